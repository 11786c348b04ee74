/*
 * run.c: one job from request to reply. Cold: clone a fresh jail whose init
 * execs the interpreter. Warm: hand the job to a pre-started interpreter (the
 * zygote) living in a jail of its own, which forks per job. Both paths share
 * the poll loop: drain output, enforce the wall deadline and the output cap,
 * catch seccomp violations, honour cancellation.
 *
 * run_job goes through four phases, each a function: prepare_job (limits,
 * a ready warm jail), spawn_job (hand the job over or clone a cold jail),
 * supervise (the poll loop), collect_job (reap, check the warm jail is
 * clean); then the reply. Every phase that fails releases what it took.
 */
#define _GNU_SOURCE
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/timerfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"

/* A jail's process and the launcher's descriptors for it; -1 where none. */
typedef struct {
  pid_t pid;
  int pidfd;
  int status_r;    /* setup errors; EOF at execve */
  int notify_sock; /* delivers the seccomp listener */
  int listener;
  int exit_r;      /* cold: the program's wait status, from the jail's init */
} jail_proc;

#define JAIL_PROC_NONE                                                                             \
  {.pid = -1, .pidfd = -1, .status_r = -1, .notify_sock = -1, .listener = -1, .exit_r = -1}

/* A running warm jail: the zygote and its control socket. */
typedef struct {
  jail_proc proc;
  int sock;
  int ready;
  uint64_t tmpfs, inodes;
  jw_buf inbox; /* bytes read from the zygote not yet parsed */
} warm_jail;

static warm_jail warm = {.proc = JAIL_PROC_NONE, .sock = -1};

uint32_t config_layers(const jail_config *cfg) {
  uint32_t l = JW_L_SECCOMP | JW_L_RLIMITS | JW_L_NO_NEW_PRIVS | JW_L_CAPS_DROPPED;
  if (cfg->notify) l |= JW_L_SECCOMP_NOTIFY;
  if (cfg->landlock_abi >= 1) l |= JW_L_LANDLOCK_FS;
  if (cfg->landlock_abi >= 4 && !(cfg->clone_flags & CLONE_NEWNET)) l |= JW_L_LANDLOCK_NET;
  if (cfg->landlock_abi >= 6) l |= JW_L_LANDLOCK_SCOPE;
  if (cfg->clone_flags & CLONE_NEWUSER) l |= JW_L_USERNS;
  if (cfg->clone_flags & CLONE_NEWPID) l |= JW_L_PIDNS;
  if (cfg->clone_flags & CLONE_NEWNET) l |= JW_L_NETNS;
  if (cfg->clone_flags & CLONE_NEWNS) l |= JW_L_MNTNS;
  if (cfg->clone_flags & CLONE_NEWIPC) l |= JW_L_IPCNS;
  if (cfg->clone_flags & CLONE_NEWUTS) l |= JW_L_UTSNS;
  if (cfg->clone_flags & CLONE_NEWCGROUP) l |= JW_L_CGROUPNS;
  if (geteuid() == 0 && cfg->outside_uid != 0) l |= JW_L_SLOT_UID;
  if (cfg->warm_argv) l |= JW_L_WARM;
  if (cfg->trusted_split) l |= JW_L_TRUSTED_UID;
  return l | JW_L_INIT | cgroup_layers(cfg);
}

static void close_fd(int *fd) {
  if (*fd >= 0) close(*fd);
  *fd = -1;
}

static int write_map(pid_t pid, const char *file, const char *text) {
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/%s", pid, file);
  return write_text(path, text);
}

/* A pidfd of this launcher, opened once; children poll it. */
static int launcher_pidfd(void) {
  static int fd = -1;
  if (fd < 0) fd = (int)syscall(SYS_pidfd_open, getpid(), 0);
  if (fd < 0) fail("pidfd_open: %s", strerror(errno));
  return fd;
}

/* The id maps: with split ids, uid 0 inside is the trusted host user and
   inside_id the candidate's; else inside_id is the only user. */
static int write_id_maps(const jail_config *cfg, pid_t pid) {
  char map[128];
  unsigned long long in = (unsigned long long)cfg->inside_id;
  if (cfg->trusted_split)
    snprintf(map, sizeof map, "0 %llu 1\n%llu %llu 1\n", (unsigned long long)cfg->trusted_uid, in,
             (unsigned long long)cfg->outside_uid);
  else
    snprintf(map, sizeof map, "%llu %llu 1\n", in, (unsigned long long)cfg->outside_uid);
  if (write_map(pid, "uid_map", map) != 0) return -1;
  if (geteuid() != 0 && write_map(pid, "setgroups", "deny") != 0) return -1;
  if (cfg->trusted_split)
    snprintf(map, sizeof map, "0 %llu 1\n%llu %llu 1\n", (unsigned long long)cfg->trusted_gid, in,
             (unsigned long long)cfg->outside_gid);
  else
    snprintf(map, sizeof map, "%llu %llu 1\n", in, (unsigned long long)cfg->outside_gid);
  return write_map(pid, "gid_map", map);
}

/* Clones a jail running argv: the warm zygote as its pid 1 (`zygote`), or a
   cold job under the jail's own init. fd3 becomes the program's fd 3. The
   caller's descriptors stay the caller's. 0: *jp describes the running jail;
   -1 with err: nothing is left behind (no descriptor, no child) and *jp is
   untouched. */
static int spawn_jail(const jail_config *cfg, const job_spec *job, int zygote, int in_r, int out_w,
                      int err_w, int fd3, char *const *argv, char *const *env, jail_proc *jp,
                      jail_err *err) {
  int sync[2] = {-1, -1}, status[2] = {-1, -1}, notify[2] = {-1, -1}, exitp[2] = {-1, -1};
  pid_t pid = -1;
  if (pipe2(sync, O_CLOEXEC) != 0 || pipe2(status, O_CLOEXEC) != 0 ||
      (!zygote && pipe2(exitp, O_CLOEXEC) != 0) ||
      (cfg->notify && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, notify) != 0)) {
    jail_fail(err, "start the sandbox", NULL);
    goto failed;
  }
  child_fds fds = {.in_r = in_r, .out_w = out_w, .err_w = err_w,
                   .res_w = zygote ? -1 : fd3, .control = zygote ? fd3 : -1,
                   .sync_r = sync[0], .status_w = status[1], .notify_w = notify[1],
                   .launcher_pidfd = launcher_pidfd(), .exit_w = exitp[1]};
  uint64_t flags = cfg->job_flags;
  if (job->flags & JW_JOB_F_LOOPBACK) flags |= CLONE_NEWNET;
  pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
  if (pid < 0) {
    jail_fail(err, "start the sandbox", NULL);
    goto failed;
  }
  if (pid == 0) child_main(cfg, job, &fds, argv, env, zygote);
  close_fd(&sync[0]); /* the child's ends */
  close_fd(&status[1]);
  close_fd(&notify[1]);
  close_fd(&exitp[1]);
  /* The child waits for "go"; EOF on sync (a failure below) ends it. */
  if (write_id_maps(cfg, pid) != 0) {
    jail_fail(err, "write id maps for the sandbox", NULL);
    goto failed;
  }
  if (write(sync[1], "g", 1) != 1) {
    jail_fail(err, "start the sandbox", NULL);
    goto failed;
  }
  close_fd(&sync[1]);
  int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  if (pidfd < 0) {
    jail_fail(err, "pidfd_open for the sandbox", NULL);
    goto failed;
  }
  *jp = (jail_proc){.pid = pid, .pidfd = pidfd, .status_r = status[0], .notify_sock = notify[0],
                    .listener = -1, .exit_r = exitp[0]};
  return 0;
failed:
  if (pid > 0) {
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
  }
  close_fd(&sync[0]);
  close_fd(&sync[1]);
  close_fd(&status[0]);
  close_fd(&status[1]);
  close_fd(&notify[0]);
  close_fd(&notify[1]);
  close_fd(&exitp[0]);
  close_fd(&exitp[1]);
  return -1;
}

static int dev_null(void) {
  static int fd = -1;
  if (fd < 0) fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd;
}

/* The job's stdin: *fd becomes a sealed memfd holding its bytes, or -1
   for /dev/null. -1 with err when it cannot be made. */
static int job_stdin(const job_spec *job, int *fd, jail_err *err) {
  *fd = -1;
  if (!job->stdin_data) return 0;
  int m = memfd_create("crucible-stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (m < 0) return jail_fail(err, "memfd_create for stdin", NULL);
  size_t done = 0;
  while (done < job->stdin_len) {
    ssize_t w = write(m, job->stdin_data + done, job->stdin_len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      jail_fail(err, "write stdin", NULL);
      close(m);
      return -1;
    }
    done += (size_t)w;
  }
  fcntl(m, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  lseek(m, 0, SEEK_SET);
  *fd = m;
  return 0;
}

static int recv_fd(int sock) {
  char byte;
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                       .msg_controllen = sizeof u.buf};
  if (recvmsg(sock, &msg, MSG_CMSG_CLOEXEC) <= 0) return -1;
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  if (!c || c->cmsg_type != SCM_RIGHTS) return -1;
  int fd;
  memcpy(&fd, CMSG_DATA(c), sizeof fd);
  return fd;
}

static int send_fds(int sock, const jw_buf *frame, const int *fds, int n) {
  uint32_t len = htole32((uint32_t)frame->len);
  struct iovec iov[2] = {{.iov_base = &len, .iov_len = 4},
                         {.iov_base = frame->data, .iov_len = frame->len}};
  union {
    char buf[CMSG_SPACE(4 * sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = iov, .msg_iovlen = 2, .msg_control = u.buf,
                       .msg_controllen = CMSG_SPACE((size_t)n * sizeof(int))};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN((size_t)n * sizeof(int));
  memcpy(CMSG_DATA(c), fds, (size_t)n * sizeof(int));
  ssize_t sent = sendmsg(sock, &msg, MSG_NOSIGNAL);
  if (sent < 0) return -1;
  /* The rest of a large frame goes without descriptors. */
  size_t total = 4 + frame->len;
  while ((size_t)sent < total) {
    const uint8_t *p;
    size_t left;
    if ((size_t)sent < 4) {
      p = (const uint8_t *)&len + sent;
      left = 4 - (size_t)sent;
    } else {
      p = frame->data + ((size_t)sent - 4);
      left = total - (size_t)sent;
    }
    ssize_t w = send(sock, p, left, MSG_NOSIGNAL);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) return -1;
    sent += w;
  }
  return 0;
}

/* Everything the loop learns about one job. */
typedef struct {
  capture out, err;
  uint8_t *res;
  size_t res_len;
  uint64_t res_total;
  char setup[600];
  size_t setup_len;
  int exited, wstatus;
  uint64_t cpu_us, maxrss_kb;
  int timed_out, cancelled, output_exceeded, violation, shutdown, zygote_died;
  uint64_t vio_nr, vio_arch;
  uint64_t vio_pids[64]; /* in the job's pid namespace */
  size_t n_vio_pids;
  char dirty[256];
  uint64_t wall_us, oom_kills;
  int recycled; /* the warm jail was replaced after the job */
} run_state;

static void read_stream(int *fd, capture *c, run_state *st, const job_spec *job, int *kill_now) {
  uint8_t buf[65536];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close_fd(fd);
    return;
  }
  capture_add(c, buf, (size_t)n);
  if (job->output_cap && st->out.total + st->err.total > job->output_cap && !st->output_exceeded) {
    st->output_exceeded = 1;
    *kill_now = 1;
  }
}

static void read_result(int *fd, run_state *st, const job_spec *job) {
  uint8_t buf[65536];
  ssize_t n = read(*fd, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) {
    close_fd(fd);
    return;
  }
  st->res_total += (uint64_t)n;
  size_t room = job->result_cap > st->res_len ? job->result_cap - st->res_len : 0;
  size_t take = (size_t)n < room ? (size_t)n : room;
  if (take) {
    uint8_t *p = realloc(st->res, st->res_len + take);
    if (!p) fail("out of memory for the result channel");
    memcpy(p + st->res_len, buf, take);
    st->res = p;
    st->res_len += take;
  }
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* Linux 6.9: a pidfd of a thread, not only of a leader */
#endif
#ifndef PIDFD_SIGNAL_THREAD_GROUP
#define PIDFD_SIGNAL_THREAD_GROUP (1U << 1)
#endif

/* A field of /proc/TID/status: its last number (the innermost namespace's,
   for NStgid). */
static uint64_t status_field(pid_t tid, const char *field) {
  char path[64], text[4096], key[32];
  snprintf(path, sizeof path, "/proc/%d/status", tid);
  if (read_text(path, text, sizeof text) < 0) return 0;
  snprintf(key, sizeof key, "\n%s:", field);
  char *line = strstr(text, key);
  if (!line) return 0;
  char *end = strchr(line + 1, '\n');
  if (end) *end = 0;
  char *last = strrchr(line, '\t');
  if (!last) last = strrchr(line, ' ');
  return last ? strtoull(last + 1, NULL, 10) : 0;
}

/* A forbidden call: the process that made it (whichever of its threads)
   is killed, as with SECCOMP_RET_KILL_PROCESS. The jail is root on the
   host, so it acts only through a pidfd, and only when the notification
   is still valid after everything it read: the calling thread was blocked
   in the call all along, so the pidfd, the status read and the thread
   group are that thread's, never a pid the host reused. */
static void handle_notification(int listener, run_state *st) {
  static struct seccomp_notif_sizes sizes;
  if (sizes.seccomp_notif == 0 && syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0)
    return;
  struct seccomp_notif *req = calloc(1, sizes.seccomp_notif);
  if (!req) fail("out of memory");
  if (ioctl(listener, SECCOMP_IOCTL_NOTIF_RECV, req) == 0) {
    if (!st->violation) {
      st->violation = 1;
      st->vio_nr = (uint64_t)(uint32_t)req->data.nr;
      st->vio_arch = req->data.arch;
    }
    pid_t tid = (pid_t)req->pid;
    unsigned signal_flags = PIDFD_SIGNAL_THREAD_GROUP;
    int pidfd = (int)syscall(SYS_pidfd_open, tid, PIDFD_THREAD);
    if (pidfd < 0) { /* an older kernel: the thread group's leader */
      pidfd = (int)syscall(SYS_pidfd_open, (pid_t)status_field(tid, "Tgid"), 0);
      signal_flags = 0;
    }
    uint64_t in_namespace = status_field(tid, "NStgid");
    if (pidfd >= 0 && ioctl(listener, SECCOMP_IOCTL_NOTIF_ID_VALID, &req->id) == 0) {
      if (st->n_vio_pids < sizeof st->vio_pids / sizeof st->vio_pids[0])
        st->vio_pids[st->n_vio_pids++] = in_namespace;
      /* SIGKILL ends the whole thread group whichever thread gets it. */
      if (syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, signal_flags) != 0 && signal_flags)
        syscall(SYS_pidfd_send_signal, pidfd, SIGKILL, NULL, 0);
    }
    if (pidfd >= 0) close(pidfd);
  }
  free(req);
}

/* Parses complete frames the zygote sent; returns -1 on a protocol error. */
static int zygote_messages(run_state *st) {
  for (;;) {
    if (warm.inbox.len < 4) return 0;
    uint32_t len;
    memcpy(&len, warm.inbox.data, 4);
    len = le32toh(len);
    if (len > 65536) return -1;
    if (warm.inbox.len < 4 + (size_t)len) return 0;
    jw_buf frame = {.data = warm.inbox.data + 4, .len = len, .cap = len};
    jw_reader r;
    jw_reader_init(&r, &frame);
    uint16_t tag;
    const uint8_t *v;
    uint32_t vlen;
    int rc;
    while ((rc = jw_next(&r, &tag, &v, &vlen)) == 1) {
      switch (tag) {
      case JW_Z_READY: warm.ready = 1; break;
      case JW_Z_EXITED:
        if (st) {
          st->exited = 1;
          st->wstatus = (int)jw_u64(v, vlen);
        }
        break;
      case JW_Z_CPU_US: if (st) st->cpu_us = jw_u64(v, vlen); break;
      case JW_Z_MAXRSS_KB: if (st) st->maxrss_kb = jw_u64(v, vlen); break;
      case JW_Z_DIRTY:
        if (st) snprintf(st->dirty, sizeof st->dirty, "%.*s", (int)vlen, (const char *)v);
        break;
      default: break;
      }
    }
    if (rc < 0) return -1;
    memmove(warm.inbox.data, warm.inbox.data + 4 + len, warm.inbox.len - 4 - len);
    warm.inbox.len -= 4 + len;
  }
}

static int read_zygote(run_state *st) {
  uint8_t buf[4096];
  ssize_t n = read(warm.sock, buf, sizeof buf);
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return 0;
  if (n <= 0) return -1;
  if (jw_append(&warm.inbox, buf, (size_t)n) != 0) fail("out of memory");
  return zygote_messages(st);
}

static void reap_jail(jail_proc *jp, int *wstatus, struct rusage *ru) {
  if (jp->pid > 0) {
    int s = 0;
    struct rusage r;
    while (wait4(jp->pid, &s, 0, &r) < 0 && errno == EINTR) {}
    if (wstatus) *wstatus = s;
    if (ru) *ru = r;
  }
  jp->pid = -1;
  close_fd(&jp->pidfd);
  close_fd(&jp->status_r);
  close_fd(&jp->notify_sock);
  close_fd(&jp->listener);
  close_fd(&jp->exit_r);
}

void warm_shutdown(void) {
  if (warm.proc.pid > 0) {
    kill(warm.proc.pid, SIGKILL);
    reap_jail(&warm.proc, NULL, NULL);
  }
  close_fd(&warm.sock);
  warm.ready = 0;
  warm.inbox.len = 0;
}
static int start_warm(const jail_config *cfg, const job_spec *job, jail_err *err) {
  int sp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0)
    return jail_fail(err, "socketpair", NULL);
  job_spec shape = {.tmpfs = job->tmpfs, .inodes = job->inodes, .nofile = 256,
                    .nproc = job->nproc, .address_space = job->address_space};
  if (spawn_jail(cfg, &shape, 1, -1, -1, -1, sp[1], cfg->warm_argv, cfg->warm_env, &warm.proc,
                 err) != 0) {
    close(sp[0]);
    close(sp[1]);
    return -1;
  }
  close(sp[1]);
  warm.sock = sp[0];
  warm.ready = 0;
  warm.inbox.len = 0;
  warm.tmpfs = job->tmpfs;
  warm.inodes = job->inodes;
  return 0;
}

/* Waits until the zygote says READY; collects the listener and setup errors. */
static int await_warm(jail_err *err) {
  uint64_t deadline = now_us() + 30u * 1000000u;
  char setup[600];
  size_t setup_len = 0;
  while (!warm.ready) {
    struct pollfd p[4] = {{warm.sock, POLLIN, 0}, {warm.proc.status_r, POLLIN, 0},
                          {warm.proc.notify_sock, POLLIN, 0}, {warm.proc.pidfd, POLLIN, 0}};
    uint64_t now = now_us();
    if (now >= deadline) return jail_failf(err, "the warm interpreter did not start within 30 s");
    int n = poll(p, 4, (int)((deadline - now) / 1000 + 1));
    if (n < 0 && errno == EINTR) continue;
    if (p[1].revents) {
      ssize_t r = read(warm.proc.status_r, setup + setup_len, sizeof setup - 1 - setup_len);
      if (r > 0) setup_len += (size_t)r;
      else close_fd(&warm.proc.status_r);
    }
    if (p[2].revents) {
      int fd = recv_fd(warm.proc.notify_sock);
      close_fd(&warm.proc.notify_sock);
      warm.proc.listener = fd;
    }
    if (p[0].revents && read_zygote(NULL) != 0)
      return jail_failf(err, "%s%.*s",
                        setup_len ? "sandbox setup: " : "the warm interpreter exited during start-up",
                        (int)setup_len, setup);
    if (p[3].revents && !warm.ready)
      return jail_failf(err, "%s%.*s",
                        setup_len ? "sandbox setup: " : "the warm interpreter died during start-up",
                        (int)setup_len, setup);
  }
  return 0;
}

/* The reply's status (jw_status) and the signal it reports, 0 for none. */
static uint64_t job_status(const job_spec *job, const run_state *st, int *signal_out) {
  int sig = WIFSIGNALED(st->wstatus) ? WTERMSIG(st->wstatus) : 0;
  uint64_t status;
  if (st->setup_len) status = JW_ST_SETUP_FAILED;
  else if (st->violation) status = JW_ST_VIOLATION;
  else if (st->timed_out) status = JW_ST_TIMEOUT;
  else if (st->cancelled) status = JW_ST_CANCELLED;
  else if (st->oom_kills) status = JW_ST_MEMORY;
  else if (st->output_exceeded) status = JW_ST_OUTPUT;
  else if (sig == SIGSYS) status = JW_ST_VIOLATION;
  else if (sig == SIGXCPU || (sig == SIGKILL && job->cpu_ms && st->cpu_us >= job->cpu_ms * 1000))
    status = JW_ST_TIMEOUT;
  else if (st->zygote_died && !st->exited) {
    /* The warm interpreter died under a running job: the job's processes
       died with it, whoever killed it (the job, most likely). */
    status = JW_ST_SIGNALED;
    sig = SIGKILL;
  }
  else if (sig) status = JW_ST_SIGNALED;
  else status = JW_ST_EXITED;
  *signal_out = sig;
  return status;
}

static void put_reply(int reply_fd, const jail_config *cfg, const job_spec *job, const run_state *st) {
  jw_buf r = {0};
  int sig;
  jw_put_u64(&r, JW_R_STATUS, job_status(job, st, &sig));
  if (WIFEXITED(st->wstatus)) jw_put_u64(&r, JW_R_EXIT_CODE, (uint64_t)WEXITSTATUS(st->wstatus));
  if (sig) jw_put_u64(&r, JW_R_SIGNAL, (uint64_t)sig);
  if (st->violation) {
    jw_put_u64(&r, JW_R_SYSCALL, st->vio_nr);
    jw_put_u64(&r, JW_R_ARCH, st->vio_arch);
    for (size_t i = 0; i < st->n_vio_pids; i++) jw_put_u64(&r, JW_R_VIOLATION_PID, st->vio_pids[i]);
  }
  jw_put_u64(&r, JW_R_WALL_US, st->wall_us);
  jw_put_u64(&r, JW_R_CPU_US, st->cpu_us);
  jw_put_u64(&r, JW_R_MAXRSS_KB, st->maxrss_kb);
  capture_put(&st->out, &r, JW_R_OUT_HEAD, JW_R_OUT_TAIL, JW_R_OUT_TOTAL);
  capture_put(&st->err, &r, JW_R_ERR_HEAD, JW_R_ERR_TAIL, JW_R_ERR_TOTAL);
  jw_put(&r, JW_R_RESULT, st->res, st->res_len);
  jw_put_u64(&r, JW_R_RESULT_TOTAL, st->res_total);
  if (st->setup_len) jw_put(&r, JW_R_SETUP_ERROR, st->setup, st->setup_len);
  jw_put_u64(&r, JW_R_LAYERS, config_layers(cfg));
  jw_put_u64(&r, JW_R_LANDLOCK_ABI, (uint64_t)cfg->landlock_abi);
  jw_put_u64(&r, JW_R_OOM_KILLS, st->oom_kills);
  if (st->recycled) jw_put_u64(&r, JW_R_RECYCLED, 1);
  if (jw_write_frame(reply_fd, &r) != 0) fail("cannot write the reply: %s", strerror(errno));
  jw_buf_free(&r);
}

static int arm_timer(uint64_t ms) {
  int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
  if (fd < 0) fail("timerfd_create: %s", strerror(errno));
  struct itimerspec its;
  memset(&its, 0, sizeof its);
  its.it_value.tv_sec = (time_t)(ms / 1000);
  its.it_value.tv_nsec = (long)(ms % 1000) * 1000000L;
  if (timerfd_settime(fd, 0, &its, NULL) != 0) fail("timerfd_settime: %s", strerror(errno));
  return fd;
}

/* ---- One job, phase by phase (run_job at the end). ---- */

/* Where a job runs. */
typedef struct {
  int warm;         /* handed to the slot's warm jail */
  int cold_in_warm; /* a fresh jail in a warm slot (loopback jobs among them) */
} job_mode;

/* The job's own descriptors: three pipes (stdout, stderr, the result
   channel; [0] the launcher reads, [1] the job writes) and its stdin. */
typedef struct {
  int out[2], err[2], res[2];
  int stdin_fd; /* a sealed memfd; -1: /dev/null */
} job_pipes;

/* Closes every descriptor of the set that is still open. */
static void close_pipes(job_pipes *p) {
  close_fd(&p->out[0]);
  close_fd(&p->out[1]);
  close_fd(&p->err[0]);
  close_fd(&p->err[1]);
  close_fd(&p->res[0]);
  close_fd(&p->res[1]);
  close_fd(&p->stdin_fd);
}

/* The pipes and stdin of a job. -1 with err: none of them is left open. */
static int open_pipes(const job_spec *job, job_pipes *p, jail_err *err) {
  *p = (job_pipes){.out = {-1, -1}, .err = {-1, -1}, .res = {-1, -1}, .stdin_fd = -1};
  if (pipe2(p->out, O_CLOEXEC) != 0 || pipe2(p->err, O_CLOEXEC) != 0 ||
      pipe2(p->res, O_CLOEXEC) != 0) {
    jail_fail(err, "pipe", NULL);
    close_pipes(p);
    return -1;
  }
  if (job_stdin(job, &p->stdin_fd, err) != 0) {
    close_pipes(p);
    return -1;
  }
  return 0;
}

static void run_state_init(run_state *st, const job_spec *job) {
  memset(st, 0, sizeof *st);
  capture_init(&st->out, job->keep);
  capture_init(&st->err, job->keep);
}

static void run_state_free(run_state *st) {
  capture_free(&st->out);
  capture_free(&st->err);
  free(st->res);
  st->res = NULL;
}

/* Phase 1, prepare: the slot's limits for this job and, for a warm job, a
   ready zygote of the job's shape. A cold job in a warm slot gets the slot
   to itself: the idle zygote goes, so the job's limits are the job's alone
   (it comes back after the job). -1 with err: the job's setup failed;
   nothing is left to release. */
static int prepare_job(const jail_config *cfg, const job_spec *job, const job_mode *mode,
                       jail_err *err) {
  if (cgroup_set_limits(cfg, job->memory, job->pids, err) != 0) return -1;
  if ((job->flags & JW_JOB_F_LOOPBACK) && cfg->bpf_loopback.len == 0)
    return jail_failf(err, "this sandbox has no policy for loopback jobs");
  if (mode->cold_in_warm && warm.proc.pid > 0) warm_shutdown();
  if (!mode->warm) return 0;
  if (warm.proc.pid > 0 && (warm.tmpfs != job->tmpfs || warm.inodes != job->inodes))
    warm_shutdown();
  if (warm.proc.pid <= 0 && start_warm(cfg, job, err) != 0) return -1;
  if (await_warm(err) != 0) {
    warm_shutdown();
    return -1;
  }
  return 0;
}

/* The zygote's job frame: what it needs to start the job itself. */
static void zygote_job_frame(const job_spec *job, jw_buf *frame) {
  jw_put_u64(frame, JW_Z_JOB, 1);
  for (size_t i = 0; i < job->argc; i++) jw_put_str(frame, JW_JOB_ARGV, job->argv[i]);
  for (size_t i = 0; i < job->envc; i++) jw_put_str(frame, JW_JOB_ENV, job->env[i]);
  for (size_t i = 0; i < job->n_files; i++) {
    const job_file *f = &job->files[i];
    size_t nl = strlen(f->name);
    uint8_t *rec = malloc(4 + nl + 1 + f->len);
    if (!rec) fail("out of memory");
    uint32_t mode = htole32(f->mode);
    memcpy(rec, &mode, 4);
    memcpy(rec + 4, f->name, nl + 1);
    memcpy(rec + 5 + nl, f->data, f->len);
    jw_put(frame, JW_JOB_FILE, rec, 5 + nl + f->len);
    free(rec);
  }
  jw_put_u64(frame, JW_JOB_CPU_MS, job->cpu_ms);
  jw_put_u64(frame, JW_JOB_FSIZE, job->fsize);
  jw_put_u64(frame, JW_JOB_NOFILE, job->nofile);
  jw_put_u64(frame, JW_JOB_NPROC, job->nproc);
  jw_put_u64(frame, JW_JOB_ADDRESS_SPACE, job->address_space);
  jw_put_u64(frame, JW_JOB_FLAGS, job->flags);
}

/* Phase 2, spawn: the job starts, handed to the warm zygote with its
   descriptors, or in a fresh cold jail (*cold). 0: the job's ends of the
   pipes and stdin are closed (the jail holds its own copies), the
   launcher's ends stay open. -1 with err: every descriptor of p is closed,
   and a warm jail that did not take the job is gone. */
static int spawn_job(const jail_config *cfg, const job_spec *job, const job_mode *mode,
                     job_pipes *p, jail_proc *cold, jail_err *err) {
  int rc;
  if (mode->warm) {
    jw_buf frame = {0};
    zygote_job_frame(job, &frame);
    int pass[4] = {p->stdin_fd >= 0 ? p->stdin_fd : dev_null(), p->out[1], p->err[1], p->res[1]};
    rc = send_fds(warm.sock, &frame, pass, 4) == 0
             ? 0
             : jail_fail(err, "hand the job to the warm interpreter", NULL);
    jw_buf_free(&frame);
  } else {
    char *empty[] = {NULL};
    rc = spawn_jail(cfg, job, 0, p->stdin_fd, p->out[1], p->err[1], p->res[1], job->argv,
                    job->env ? job->env : empty, cold, err);
  }
  close_fd(&p->stdin_fd);
  close_fd(&p->out[1]);
  close_fd(&p->err[1]);
  close_fd(&p->res[1]);
  if (rc != 0) {
    close_pipes(p);
    if (mode->warm) warm_shutdown();
  }
  return rc;
}

/* A frame from the supervisor during a job: a cancel, or shutdown (EOF
   too: the supervisor is gone, and *control_fd is not watched again).
   Returns 1 when the job must be killed. */
static int read_control(int *control_fd, run_state *st) {
  jw_buf msg = {0};
  int kill_now = 0;
  if (jw_read_frame(*control_fd, &msg) != 0) {
    st->shutdown = 1;
    st->cancelled = 1;
    kill_now = 1;
    *control_fd = -1;
  } else {
    jw_reader r;
    jw_reader_init(&r, &msg);
    uint16_t tag;
    const uint8_t *v;
    uint32_t len;
    while (jw_next(&r, &tag, &v, &len) == 1) {
      if (tag == JW_MSG_CANCEL) {
        st->cancelled = 1;
        kill_now = 1;
      } else if (tag == JW_MSG_SHUTDOWN) {
        st->shutdown = 1;
        st->cancelled = 1;
        kill_now = 1;
      }
    }
  }
  jw_buf_free(&msg);
  return kill_now;
}

/* A cold jail's init ended: the init's report is the program's wait status;
   without one (the init was killed: a deadline, a cancel), the init's own. */
static void collect_exit(jail_proc *jp, run_state *st) {
  int s = 0, reported = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);
  int has_report =
      jp->exit_r >= 0 && read(jp->exit_r, &reported, sizeof reported) == sizeof reported;
  reap_jail(jp, &s, &ru);
  st->exited = 1;
  st->wstatus = has_report ? reported : s;
  st->cpu_us = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec +
               (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
  st->maxrss_kb = (uint64_t)ru.ru_maxrss;
}

/* What the supervision loop polls; an fd of -1 is not watched. */
enum { W_OUT, W_ERR, W_RES, W_STATUS, W_NSOCK, W_LISTEN, W_PID, W_TIMER, W_CTL, W_ZSOCK, W_DRAIN, W_N };

/* Phase 3, supervise: until the job is over and its output drained (at
   most 2 s after the end), reads its output and result channel, enforces
   the wall deadline and the output cap, kills a process that makes a
   forbidden call, and honours a cancel from control_fd. Takes the
   launcher's ends of p and closes them; fills st, wall_us included (from
   `started`). */
static void supervise(const job_spec *job, jail_proc *jp, int is_warm, job_pipes *p, int control_fd,
                      uint64_t started, run_state *st) {
  int *out_r = &p->out[0], *err_r = &p->err[0], *res_r = &p->res[0];
  int timer = arm_timer(job->wall_ms);
  int drain_timer = -1;
  int killed = 0;
  for (;;) {
    int done = st->exited || st->zygote_died;
    if (done && *out_r < 0 && *err_r < 0 && *res_r < 0) break;
    if (done && drain_timer < 0) drain_timer = arm_timer(2000);
    struct pollfd w[W_N];
    const int fds[W_N] = {
        [W_OUT] = *out_r, [W_ERR] = *err_r, [W_RES] = *res_r, [W_STATUS] = jp->status_r,
        [W_NSOCK] = jp->notify_sock, [W_LISTEN] = jp->listener, [W_PID] = done ? -1 : jp->pidfd,
        [W_TIMER] = done ? -1 : timer, [W_CTL] = control_fd,
        [W_ZSOCK] = is_warm && !done ? warm.sock : -1, [W_DRAIN] = drain_timer};
    for (int i = 0; i < W_N; i++) w[i] = (struct pollfd){fds[i], POLLIN, 0};
    if (poll(w, W_N, -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll: %s", strerror(errno));
    }
    int kill_now = 0;
    if (w[W_OUT].revents) read_stream(out_r, &st->out, st, job, &kill_now);
    if (w[W_ERR].revents) read_stream(err_r, &st->err, st, job, &kill_now);
    if (w[W_RES].revents) read_result(res_r, st, job);
    if (w[W_STATUS].revents) {
      ssize_t r = read(jp->status_r, st->setup + st->setup_len, sizeof st->setup - 1 - st->setup_len);
      if (r > 0) st->setup_len += (size_t)r;
      else close_fd(&jp->status_r);
    }
    if (w[W_NSOCK].revents) {
      jp->listener = recv_fd(jp->notify_sock);
      close_fd(&jp->notify_sock);
    }
    if (w[W_LISTEN].revents) {
      if (w[W_LISTEN].revents & POLLIN) handle_notification(jp->listener, st);
      else close_fd(&jp->listener); /* every filtered process is gone */
    }
    if (w[W_TIMER].revents) {
      st->timed_out = 1;
      kill_now = 1;
    }
    if (w[W_DRAIN].revents) {
      close_fd(out_r);
      close_fd(err_r);
      close_fd(res_r);
    }
    if (w[W_CTL].revents && read_control(&control_fd, st)) kill_now = 1;
    if (w[W_ZSOCK].revents && read_zygote(st) != 0) {
      st->zygote_died = 1;
      kill_now = 1;
    }
    if (w[W_PID].revents) {
      if (is_warm) st->zygote_died = 1;
      else collect_exit(jp, st);
    }
    if (kill_now && !killed && jp->pid > 0) {
      killed = 1;
      kill(jp->pid, SIGKILL); /* init of the pid namespace: the kernel kills the rest */
      if (is_warm) st->zygote_died = 1;
    }
  }
  st->wall_us = now_us() - started;
  close(timer);
  close_fd(&drain_timer);
  close_pipes(p);
}

/* Phase 4, collect: a cold jail is reaped; a warm jail must be clean for
   the next job (its scratch directories emptied, no unix socket of the job
   left), else st->dirty says why. */
static void collect_job(const jail_config *cfg, const job_mode *mode, jail_proc *jp,
                        int sockets_before, run_state *st) {
  jail_err err;
  if (!mode->warm) reap_jail(jp, NULL, NULL);
  if (mode->warm && st->exited && !st->zygote_died && !st->dirty[0] &&
      scrub_warm(cfg, warm.proc.pid, &err) != 0)
    snprintf(st->dirty, sizeof st->dirty, "%s", err.msg);
  if (settle_unix_sockets(sockets_before, &err) != 0 && mode->warm && !st->dirty[0])
    snprintf(st->dirty, sizeof st->dirty, "%s", err.msg);
}

/* A job that never ran: the reply says why. */
static int reply_setup_failed(int reply_fd, const jail_config *cfg, const job_spec *job,
                              run_state *st, const jail_err *err) {
  snprintf(st->setup, sizeof st->setup, "%s", err->msg);
  st->setup_len = strlen(st->setup);
  put_reply(reply_fd, cfg, job, st);
  run_state_free(st);
  return 0;
}

int run_job(const jail_config *cfg, const job_spec *job, int control_fd, int reply_fd) {
  job_mode mode;
  mode.cold_in_warm = cfg->warm_argv != NULL && (job->flags & (JW_JOB_F_COLD | JW_JOB_F_LOOPBACK));
  mode.warm = cfg->warm_argv != NULL && !mode.cold_in_warm;
  run_state st;
  run_state_init(&st, job);
  jail_err err;
  job_pipes pipes;
  if (prepare_job(cfg, job, &mode, &err) != 0 || open_pipes(job, &pipes, &err) != 0)
    return reply_setup_failed(reply_fd, cfg, job, &st, &err);

  uint64_t oom_before = cgroup_oom_kills(cfg);
  /* Only a slot's shared network namespace can keep a job's sockets. */
  int sockets_before = cfg->template_ready ? unix_socket_count() : -1;
  uint64_t started = now_us();
  jail_proc cold = JAIL_PROC_NONE;
  jail_proc *jp = mode.warm ? &warm.proc : &cold;
  if (spawn_job(cfg, job, &mode, &pipes, &cold, &err) != 0)
    return reply_setup_failed(reply_fd, cfg, job, &st, &err);
  supervise(job, jp, mode.warm, &pipes, control_fd, started, &st);
  collect_job(cfg, &mode, jp, sockets_before, &st);
  st.oom_kills = cgroup_oom_kills(cfg) - oom_before;
  if (mode.warm && (st.zygote_died || st.dirty[0] || !st.exited)) {
    warm_shutdown();
    st.recycled = 1;
  }
  put_reply(reply_fd, cfg, job, &st);
  run_state_free(&st);
  if ((st.recycled || mode.cold_in_warm) && !st.shutdown) {
    jail_err ignored;
    start_warm(cfg, job, &ignored); /* ready by the next job */
  }
  return st.shutdown ? 1 : 0;
}
