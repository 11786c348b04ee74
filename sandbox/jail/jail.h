/*
 * jail.h: internals of crucible-jail, the single-threaded helper that the
 * Swift supervisor spawns once per worker slot. It never runs Swift code and
 * never links libseccomp: the supervisor hands it a compiled BPF program.
 */
#ifndef CRUCIBLE_JAIL_H
#define CRUCIBLE_JAIL_H

#include <linux/filter.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include "jail_wire.h"

typedef struct {
  char *src; /* host path */
  char *dst; /* path inside the sandbox */
} jail_mount;

typedef struct {
  char *target;
  char *path;
} jail_symlink;

/* A file written into the root (the harness, small /etc files). */
typedef struct {
  uint32_t mode;
  char *path;
  uint8_t *data;
  uint32_t len;
} root_file;

typedef struct {
  struct sock_fprog bpf;
  struct sock_fprog bpf_loopback; /* INET allowed; len 0 when absent */
  uint64_t outside_uid, outside_gid, inside_id;
  /* The trusted side (inside uid and gid 0) maps to these host ids when
     trusted_split is set; candidates run as inside_id. */
  int trusted_split;
  uint64_t trusted_uid, trusted_gid;
  jail_mount *mounts;
  size_t n_mounts;
  jail_symlink *links;
  size_t n_links;
  char **masks;
  size_t n_masks;
  root_file *files;
  size_t n_files;
  uint64_t clone_flags;
  int landlock_abi;
  char *cg_memory, *cg_pids, *cg_cpu, *cg_unified;
  int cg_v2;
  char **warm_argv;
  size_t n_warm_argv;
  char **warm_env;
  size_t n_warm_env;
  int notify;
  char *hostname;
  uint64_t slot;
  /* Decided at start-up, not sent by the supervisor: */
  uint64_t job_flags;  /* clone flags per job (net and ipc may be the slot's) */
  int template_ready;  /* the read-only root template exists at JAIL_NEWROOT */
} jail_config;

/* Where roots are built: a tmpfs mounted over this path in a private mount
   namespace (the child's, or the launcher's for the template). */
#define JAIL_NEWROOT "/tmp"
#define N_DEVICES 5

/*
 * Errors, one style throughout the jail:
 * - a step that can fail returns 0, or -1 with a message in a jail_err
 *   ("what path: strerror", made by jail_fail from errno); the caller
 *   decides whether that is a setup failure of one job, a dirty warm jail,
 *   or the end of a child or of the launcher;
 * - the small primitives of util.c return -1 with errno, as the system
 *   calls they wrap do;
 * - what cannot be recovered from ends the process: fail() in the launcher
 *   (out of memory, the supervisor's pipes gone), child_fail() in a child
 *   (which sends the message on its status descriptor first).
 */
typedef struct {
  char msg[600];
} jail_err;

/* Fills err with "what path: strerror(errno)" (path may be NULL), keeps
   errno, and returns -1. */
int jail_fail(jail_err *err, const char *what, const char *path);
/* Fills err with a message of its own; returns -1. */
int jail_failf(jail_err *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Returns jail_fail(err, what, path) from the enclosing function when expr
   is negative; the function has a jail_err *err. */
#define TRY(expr, what, path)                                                                      \
  do {                                                                                             \
    if ((expr) < 0) return jail_fail(err, what, path);                                             \
  } while (0)

/* Descriptors of every mount source, opened with the launcher's identity:
   the sandbox user may not be able to reach them (a pyenv interpreter
   under /root), but may see what is bound. */
typedef struct {
  int *src;
  int *is_dir;
  int dev[N_DEVICES];
} mount_sources;

typedef struct {
  uint32_t mode;
  char *name;
  const uint8_t *data;
  uint32_t len;
} job_file;

typedef struct {
  char **argv;
  size_t argc;
  char **env;
  size_t envc;
  job_file *files;
  size_t n_files;
  uint64_t wall_ms, cpu_ms, memory, pids, fsize, nofile, tmpfs, inodes;
  uint64_t output_cap, keep, result_cap, address_space, nproc;
  const uint8_t *stdin_data; /* NULL: /dev/null */
  uint32_t stdin_len;
  uint64_t flags; /* jw_job_flag */
} job_spec;

/* Head and tail of one output stream. */
typedef struct {
  uint8_t *head;
  size_t head_len;
  uint8_t *tail; /* ring buffer */
  size_t tail_len, tail_pos;
  size_t keep;
  uint64_t total;
} capture;

/* Descriptors a sandboxed child needs; -1 where unused. */
typedef struct {
  int in_r;                /* becomes fd 0; -1: /dev/null */
  int out_w, err_w, res_w; /* become fds 1, 2, 3 */
  int control;             /* warm: zygote socket, becomes fd 3 */
  int sync_r;              /* parent says "go" after writing the id maps */
  int status_w;            /* setup errors, CLOEXEC: EOF at exec */
  int notify_w;            /* socket for passing the seccomp listener */
  int launcher_pidfd;      /* readable once the launcher has exited */
  int exit_w;              /* cold: init reports the program's wait status */
} child_fds;

/* util.c */
void fail(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
char *dupn(const uint8_t *bytes, uint32_t len);
int mkdir_p(const char *path, mode_t mode);
int write_text(const char *path, const char *text);
int read_text(const char *path, char *buf, size_t cap);
uint64_t now_us(void);
char *xstrdup_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* config.c */
int parse_config(const jw_buf *frame, jail_config *cfg);
int parse_job(const jw_buf *frame, job_spec *job);
void free_job(job_spec *job);

/* child.c: runs in the cloned child; never returns. `zygote`: the warm
   jail (its judge exec'd as pid 1, trusted, which forks the zygote); else
   a cold job under a minimal init. A step that fails sends its message on
   fds->status_w and exits 126. */
void child_main(const jail_config *cfg, const job_spec *job, const child_fds *fds,
                char *const *argv, char *const *env, int zygote) __attribute__((noreturn));

/* root.c */
int open_sources(const jail_config *cfg, mount_sources *ms, jail_err *err);
void close_sources(const jail_config *cfg, mount_sources *ms);
int build_root(const jail_config *cfg, const job_spec *job, const mount_sources *ms,
               jail_err *err);
int build_template(const jail_config *cfg, jail_err *err);
int enter_template(const jail_config *cfg, const job_spec *job, jail_err *err);
int loopback_up(jail_err *err);

/* landlock.c: landlock_apply restricts the calling process (the child,
   inside its new root) to the sandbox's rules. */
int landlock_probe_abi(void);
int landlock_apply(const jail_config *cfg, jail_err *err);

/* cgroup.c */
int cgroup_join(const jail_config *cfg, jail_err *err);
int cgroup_set_limits(const jail_config *cfg, uint64_t memory, uint64_t pids, jail_err *err);
uint64_t cgroup_oom_kills(const jail_config *cfg);
uint32_t cgroup_layers(const jail_config *cfg);

/* capture.c */
void capture_init(capture *c, size_t keep);
void capture_add(capture *c, const uint8_t *bytes, size_t n);
void capture_put(const capture *c, jw_buf *reply, uint16_t head_tag, uint16_t tail_tag,
                 uint16_t total_tag);
void capture_free(capture *c);

/* run.c: one job, cold or warm. Returns 0 when the reply was written. */
int run_job(const jail_config *cfg, const job_spec *job, int control_fd, int reply_fd);
void warm_shutdown(void);
uint32_t config_layers(const jail_config *cfg);

/* scrub.c: empties a warm jail's scratch directories from outside, after a
   job; -1 with err when they cannot be (the jail is then replaced). */
int scrub_warm(const jail_config *cfg, pid_t zygote, jail_err *err);
/* Unix sockets of the slot's network namespace; -1 when unknown. */
int unix_socket_count(void);
/* Waits until the unix sockets are back to `before` (garbage left in
   flight collected); -1 with err when they are not. */
int settle_unix_sockets(int before, jail_err *err);

/* probe.c */
int probe_main(void);

#endif
