/*
 * jail_wire.h: the one protocol between the Swift supervisor and the jail.
 *
 * A frame is a u32 payload length followed by records. A record is a u16
 * tag, a u32 length and that many bytes. Integers are u64 unless a tag says
 * otherwise; every integer on the wire (lengths, tags, values, the u32 mode
 * of a file record) is little-endian, whatever the host's order; strings
 * carry no NUL; pairs of strings are separated by one NUL byte. The one
 * exception is the BPF of JW_CFG_BPF*: struct sock_filter[] as the kernel
 * takes it, in the host's order (the supervisor and the jail share a host).
 *
 * Swift imports this header (module CJailWire) so the tags exist once.
 */
#ifndef CRUCIBLE_JAIL_WIRE_H
#define CRUCIBLE_JAIL_WIRE_H

#include <stddef.h>
#include <stdint.h>

/* Largest frame either side accepts (requests carry job files). */
enum { JW_MAX_FRAME = 256 * 1024 * 1024 };

/* Launcher configuration: the first frame after the jail starts. */
enum jw_config_tag {
  JW_CFG_BPF = 1,           /* bytes: struct sock_filter[] for seccomp */
  JW_CFG_OUTSIDE_UID = 2,   /* u64: host uid the sandbox user maps to */
  JW_CFG_OUTSIDE_GID = 3,   /* u64: host gid the sandbox group maps to */
  JW_CFG_INSIDE_ID = 4,     /* u64: uid and gid inside the sandbox */
  JW_CFG_MOUNT_RO = 5,      /* "src\0dst": a host directory shown read-only at dst,
                               as an overlay (host locks, notifications and
                               sockets stay out of reach) */
  JW_CFG_SYMLINK = 6,       /* "target\0linkpath" created in the root */
  JW_CFG_CLONE_FLAGS = 7,   /* u64: CLONE_NEW* flags to use */
  JW_CFG_LANDLOCK_ABI = 8,  /* u64: Landlock ABI to enforce, 0 = none */
  JW_CFG_CGROUP_DIR = 9,    /* "kind\0path": kind is memory|pids|cpu|unified */
  JW_CFG_CGROUP_V2 = 10,    /* u64: 1 when memory/pids files are cgroup v2 */
  JW_CFG_WARM_ARGV = 11,    /* repeated: zygote argv; present = warm mode */
  JW_CFG_NOTIFY = 12,       /* u64: 1 when the BPF returns USER_NOTIF */
  JW_CFG_HOSTNAME = 13,     /* string */
  JW_CFG_SLOT = 14,         /* u64: slot number, for messages */
  JW_CFG_WARM_ENV = 15,     /* repeated: zygote environment */
  JW_CFG_TRUSTED_UID = 16,  /* u64: host uid of the trusted side (uid 0 inside);
                               absent: one uid for everything */
  JW_CFG_TRUSTED_GID = 17,  /* u64: host gid of the trusted side */
  JW_CFG_MASK = 18,         /* "path": an empty read-only tmpfs over a directory */
  JW_CFG_FILE = 19,         /* u32 mode, "path\0", bytes: a file of the root */
  JW_CFG_BPF_LOOPBACK = 20, /* bytes: the BPF of loopback jobs (INET allowed) */
};

/* A job request (one frame), or a cancel frame during a job. */
enum jw_job_tag {
  JW_JOB_ARGV = 40,         /* repeated string */
  JW_JOB_ENV = 41,          /* repeated "KEY=VALUE" */
  JW_JOB_FILE = 42,         /* u32 mode, "name\0", bytes: written to /work */
  JW_JOB_WALL_MS = 43,      /* u64 wall-clock deadline */
  JW_JOB_CPU_MS = 44,       /* u64 CPU-time limit per process */
  JW_JOB_MEMORY = 45,       /* u64 bytes for the whole run (cgroup) */
  JW_JOB_PIDS = 46,         /* u64 processes+threads for the whole run */
  JW_JOB_FSIZE = 47,        /* u64 largest file a process may write */
  JW_JOB_NOFILE = 48,       /* u64 open files per process */
  JW_JOB_TMPFS = 49,        /* u64 bytes of /work and of /tmp each */
  JW_JOB_INODES = 50,       /* u64 inodes of /work and of /tmp each */
  JW_JOB_OUTPUT_CAP = 51,   /* u64 stdout+stderr bytes before the kill */
  JW_JOB_KEEP = 52,         /* u64 bytes of head and of tail kept per stream */
  JW_JOB_RESULT_CAP = 53,   /* u64 bytes of result channel kept */
  JW_JOB_ADDRESS_SPACE = 54,/* u64 RLIMIT_AS backstop per process */
  JW_JOB_NPROC = 55,        /* u64 RLIMIT_NPROC */
  JW_JOB_STDIN = 56,        /* bytes: the job's stdin (a sealed memfd); else /dev/null */
  JW_JOB_FLAGS = 57,        /* u64 jw_job_flag bits */
  JW_MSG_CANCEL = 60,       /* empty: kill the running job */
  JW_MSG_SHUTDOWN = 61,     /* empty: exit the launcher */
};

/* The launcher's answers. */
enum jw_reply_tag {
  JW_R_STATUS = 80,         /* u64 jw_status */
  JW_R_EXIT_CODE = 81,      /* u64 */
  JW_R_SIGNAL = 82,         /* u64 */
  JW_R_SYSCALL = 83,        /* u64 syscall number of a violation */
  JW_R_ARCH = 84,           /* u64 AUDIT_ARCH of a violation */
  JW_R_WALL_US = 85,
  JW_R_CPU_US = 86,
  JW_R_MAXRSS_KB = 87,
  JW_R_OUT_HEAD = 88,
  JW_R_OUT_TAIL = 89,
  JW_R_OUT_TOTAL = 90,
  JW_R_ERR_HEAD = 91,
  JW_R_ERR_TAIL = 92,
  JW_R_ERR_TOTAL = 93,
  JW_R_RESULT = 94,         /* bytes of the result channel (fd 3) */
  JW_R_RESULT_TOTAL = 95,   /* u64 bytes written to it in all */
  JW_R_SETUP_ERROR = 96,    /* string: what failed, with errno text */
  JW_R_LAYERS = 97,         /* u64 jw_layer bitmask active for this run */
  JW_R_LANDLOCK_ABI = 98,   /* u64 */
  JW_R_READY = 99,          /* u64 layers: the launcher accepted its config */
  JW_R_OOM_KILLS = 100,     /* u64 OOM kills in the run */
  JW_R_RECYCLED = 101,      /* u64 1: the warm interpreter was restarted */
  JW_R_VIOLATION_PID = 102, /* u64, repeated: pid (in the job's namespace) of
                               each process killed for a violation */
};

/* How a job runs. */
enum jw_job_flag {
  JW_JOB_F_TRUSTED = 1,       /* the harness runner: runs as the trusted uid,
                                  and starts candidates as the candidate uid */
  JW_JOB_F_COLD = 2,          /* a fresh jail even when the slot is warm */
  JW_JOB_F_LOOPBACK = 4,      /* a network namespace of its own, INET allowed
                                  (implies cold) */
};

enum jw_status {
  JW_ST_EXITED = 1,
  JW_ST_SIGNALED = 2,
  JW_ST_TIMEOUT = 3,
  JW_ST_MEMORY = 4,
  JW_ST_OUTPUT = 5,
  JW_ST_VIOLATION = 6,
  JW_ST_SETUP_FAILED = 7,
  JW_ST_CANCELLED = 8,
};

enum jw_layer {
  JW_L_SECCOMP = 1u << 0,
  JW_L_LANDLOCK_FS = 1u << 1,
  JW_L_LANDLOCK_NET = 1u << 2,
  JW_L_LANDLOCK_SCOPE = 1u << 3,
  JW_L_USERNS = 1u << 4,
  JW_L_PIDNS = 1u << 5,
  JW_L_NETNS = 1u << 6,
  JW_L_MNTNS = 1u << 7,
  JW_L_IPCNS = 1u << 8,
  JW_L_UTSNS = 1u << 9,
  JW_L_CGROUPNS = 1u << 10,
  JW_L_RLIMITS = 1u << 11,
  JW_L_SLOT_UID = 1u << 12,
  JW_L_CG_MEMORY = 1u << 13,
  JW_L_CG_PIDS = 1u << 14,
  JW_L_CG_CPU = 1u << 15,
  JW_L_NO_NEW_PRIVS = 1u << 16,
  JW_L_CAPS_DROPPED = 1u << 17,
  JW_L_SECCOMP_NOTIFY = 1u << 18,
  JW_L_WARM = 1u << 19,
  JW_L_TRUSTED_UID = 1u << 20, /* the trusted side and candidates have separate uids */
  JW_L_INIT = 1u << 21,        /* cold jobs run under a minimal init, not as pid 1 */
};

/* Protocol between the launcher and the warm zygote (harness/zygote.py). */
enum jw_zygote_tag {
  JW_Z_JOB = 120,           /* frame carries job records; fds 0,1,2,3 attached */
  JW_Z_EXITED = 122,        /* u64 wait status */
  JW_Z_CPU_US = 123,
  JW_Z_MAXRSS_KB = 124,
  JW_Z_DIRTY = 125,         /* string: state the zygote could not clean */
  JW_Z_READY = 126,         /* the zygote finished importing */
};

/* Growable byte buffer and record reader, used by the jail (C side). */
typedef struct {
  uint8_t *data;
  size_t len;
  size_t cap;
} jw_buf;

typedef struct {
  const uint8_t *cursor;
  const uint8_t *end;
} jw_reader;

int jw_put(jw_buf *b, uint16_t tag, const void *bytes, size_t len);
int jw_put_u64(jw_buf *b, uint16_t tag, uint64_t value);
int jw_put_str(jw_buf *b, uint16_t tag, const char *s);
/* Appends raw bytes (no record header). */
int jw_append(jw_buf *b, const void *bytes, size_t len);
/* Reads one frame into b (replacing its contents). 0 ok, -1 EOF or error. */
int jw_read_frame(int fd, jw_buf *b);
/* Writes b as one frame. 0 ok, -1 error. */
int jw_write_frame(int fd, const jw_buf *b);
void jw_reader_init(jw_reader *r, const jw_buf *b);
/* Next record: 1 found, 0 end, -1 malformed. */
int jw_next(jw_reader *r, uint16_t *tag, const uint8_t **bytes, uint32_t *len);
uint64_t jw_u64(const uint8_t *bytes, uint32_t len);
void jw_buf_free(jw_buf *b);

/* For the supervisor: glibc calls Swift's Glibc module does not export. */
int jw_pipe_cloexec(int fds[2]);
int jw_memfd(const char *name);

#endif
