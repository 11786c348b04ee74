/*
 * run.c: one job from request to reply. Cold: clone a fresh jail whose init
 * execs the interpreter. Warm: hand the job to a pre-started interpreter (the
 * zygote) living in a jail of its own, which forks per job. Both paths share
 * the poll loop: drain output, enforce the wall deadline and the output cap,
 * catch seccomp violations, honour cancellation.
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

typedef struct {
  pid_t pid;
  int pidfd;
  int status_r;    /* setup errors; EOF at execve */
  int notify_sock; /* delivers the seccomp listener */
  int listener;
  int exit_r;      /* cold: the program's wait status, from the jail's init */
} jail_proc;

/* A running warm jail: the zygote and its control socket. */
typedef struct {
  jail_proc proc;
  int sock;
  int ready;
  uint64_t tmpfs, inodes;
  jw_buf inbox; /* bytes read from the zygote not yet parsed */
} warm_jail;

static warm_jail warm = {.proc = {.pid = -1, .pidfd = -1, .status_r = -1, .notify_sock = -1,
                                  .listener = -1, .exit_r = -1},
                         .sock = -1};

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
   cold job under the jail's own init. fd3 becomes the program's fd 3. */
static int spawn_jail(const jail_config *cfg, const job_spec *job, int zygote, int in_r, int out_w,
                      int err_w, int fd3, char *const *argv, char *const *env, jail_proc *jp,
                      char *err, size_t errcap) {
  int sync[2], status[2], notify[2] = {-1, -1}, exitp[2] = {-1, -1};
  if (pipe2(sync, O_CLOEXEC) != 0) goto fail_errno;
  if (pipe2(status, O_CLOEXEC) != 0) goto fail_errno;
  if (!zygote && pipe2(exitp, O_CLOEXEC) != 0) goto fail_errno;
  if (cfg->notify && socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, notify) != 0)
    goto fail_errno;
  child_fds fds = {.in_r = in_r, .out_w = out_w, .err_w = err_w,
                   .res_w = zygote ? -1 : fd3, .control = zygote ? fd3 : -1,
                   .sync_r = sync[0], .status_w = status[1], .notify_w = notify[1],
                   .launcher_pidfd = launcher_pidfd(), .exit_w = exitp[1]};
  uint64_t flags = cfg->job_flags;
  if (job->flags & JW_JOB_F_LOOPBACK) flags |= CLONE_NEWNET;
  pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
  if (pid < 0) goto fail_errno;
  if (pid == 0) child_main(cfg, job, &fds, argv, env, zygote);
  close(sync[0]);
  close(status[1]);
  if (notify[1] >= 0) close(notify[1]);
  if (exitp[1] >= 0) close(exitp[1]);

  int ok = write_id_maps(cfg, pid) == 0;
  int saved = errno;
  if (ok) ok = write(sync[1], "g", 1) == 1;
  close(sync[1]);
  jp->pid = pid;
  jp->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
  jp->status_r = status[0];
  jp->notify_sock = notify[0];
  jp->listener = -1;
  jp->exit_r = exitp[0];
  if (!ok || jp->pidfd < 0) {
    snprintf(err, errcap, "write id maps for the sandbox: %s", strerror(saved));
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    close_fd(&jp->pidfd);
    close_fd(&jp->status_r);
    close_fd(&jp->notify_sock);
    close_fd(&jp->exit_r);
    return -1;
  }
  return 0;
fail_errno:
  snprintf(err, errcap, "start the sandbox: %s", strerror(errno));
  return -1;
}

static int dev_null(void) {
  static int fd = -1;
  if (fd < 0) fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  return fd;
}

/* The job's stdin: a sealed memfd holding its bytes, -1 for /dev/null, or
   -2 with err filled. */
static int job_stdin(const job_spec *job, char *err, size_t errcap) {
  if (!job->stdin_data) return -1;
  int fd = memfd_create("crucible-stdin", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (fd < 0) {
    snprintf(err, errcap, "memfd_create for stdin: %s", strerror(errno));
    return -2;
  }
  size_t done = 0;
  while (done < job->stdin_len) {
    ssize_t w = write(fd, job->stdin_data + done, job->stdin_len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) {
      snprintf(err, errcap, "write stdin: %s", strerror(errno));
      close(fd);
      return -2;
    }
    done += (size_t)w;
  }
  fcntl(fd, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL);
  lseek(fd, 0, SEEK_SET);
  return fd;
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

static int start_warm(const jail_config *cfg, const job_spec *job, char *err, size_t errcap) {
  int sp[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sp) != 0) {
    snprintf(err, errcap, "socketpair: %s", strerror(errno));
    return -1;
  }
  job_spec shape = {.tmpfs = job->tmpfs, .inodes = job->inodes, .nofile = 256,
                    .nproc = job->nproc, .address_space = job->address_space};
  if (spawn_jail(cfg, &shape, 1, -1, -1, -1, sp[1], cfg->warm_argv, cfg->warm_env, &warm.proc, err,
                 errcap) != 0) {
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
static int await_warm(char *err, size_t errcap) {
  uint64_t deadline = now_us() + 30u * 1000000u;
  char setup[600];
  size_t setup_len = 0;
  while (!warm.ready) {
    struct pollfd p[4] = {{warm.sock, POLLIN, 0}, {warm.proc.status_r, POLLIN, 0},
                          {warm.proc.notify_sock, POLLIN, 0}, {warm.proc.pidfd, POLLIN, 0}};
    uint64_t now = now_us();
    if (now >= deadline) {
      snprintf(err, errcap, "the warm interpreter did not start within 30 s");
      return -1;
    }
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
    if (p[0].revents && read_zygote(NULL) != 0) {
      snprintf(err, errcap, "%s%.*s", setup_len ? "sandbox setup: " : "the warm interpreter exited during start-up",
               (int)setup_len, setup);
      return -1;
    }
    if (p[3].revents && !warm.ready) {
      snprintf(err, errcap, "%s%.*s", setup_len ? "sandbox setup: " : "the warm interpreter died during start-up",
               (int)setup_len, setup);
      return -1;
    }
  }
  return 0;
}

static void put_reply(int reply_fd, const jail_config *cfg, const job_spec *job, run_state *st,
                      uint64_t wall_us, uint64_t oom_kills, int recycled) {
  jw_buf r = {0};
  uint64_t status;
  int sig = WIFSIGNALED(st->wstatus) ? WTERMSIG(st->wstatus) : 0;
  if (st->setup_len) status = JW_ST_SETUP_FAILED;
  else if (st->violation) status = JW_ST_VIOLATION;
  else if (st->timed_out) status = JW_ST_TIMEOUT;
  else if (st->cancelled) status = JW_ST_CANCELLED;
  else if (oom_kills) status = JW_ST_MEMORY;
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
  jw_put_u64(&r, JW_R_STATUS, status);
  if (WIFEXITED(st->wstatus)) jw_put_u64(&r, JW_R_EXIT_CODE, (uint64_t)WEXITSTATUS(st->wstatus));
  if (sig) jw_put_u64(&r, JW_R_SIGNAL, (uint64_t)sig);
  if (st->violation) {
    jw_put_u64(&r, JW_R_SYSCALL, st->vio_nr);
    jw_put_u64(&r, JW_R_ARCH, st->vio_arch);
    for (size_t i = 0; i < st->n_vio_pids; i++) jw_put_u64(&r, JW_R_VIOLATION_PID, st->vio_pids[i]);
  }
  jw_put_u64(&r, JW_R_WALL_US, wall_us);
  jw_put_u64(&r, JW_R_CPU_US, st->cpu_us);
  jw_put_u64(&r, JW_R_MAXRSS_KB, st->maxrss_kb);
  capture_put(&st->out, &r, JW_R_OUT_HEAD, JW_R_OUT_TAIL, JW_R_OUT_TOTAL);
  capture_put(&st->err, &r, JW_R_ERR_HEAD, JW_R_ERR_TAIL, JW_R_ERR_TOTAL);
  jw_put(&r, JW_R_RESULT, st->res, st->res_len);
  jw_put_u64(&r, JW_R_RESULT_TOTAL, st->res_total);
  if (st->setup_len) jw_put(&r, JW_R_SETUP_ERROR, st->setup, st->setup_len);
  jw_put_u64(&r, JW_R_LAYERS, config_layers(cfg));
  jw_put_u64(&r, JW_R_LANDLOCK_ABI, (uint64_t)cfg->landlock_abi);
  jw_put_u64(&r, JW_R_OOM_KILLS, oom_kills);
  if (recycled) jw_put_u64(&r, JW_R_RECYCLED, 1);
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

int run_job(const jail_config *cfg, const job_spec *job, int control_fd, int reply_fd) {
  /* A cold job in a warm slot (loopback jobs among them) gets the slot to
     itself: the idle zygote goes, so the job's limits are the job's alone,
     and comes back after. */
  int cold_in_warm = cfg->warm_argv != NULL && (job->flags & (JW_JOB_F_COLD | JW_JOB_F_LOOPBACK));
  int is_warm = cfg->warm_argv != NULL && !cold_in_warm;
  run_state st;
  memset(&st, 0, sizeof st);
  capture_init(&st.out, job->keep);
  capture_init(&st.err, job->keep);
  char err[600] = "";
  int recycled = 0;

  if (cgroup_set_limits(cfg, job->memory, job->pids) != 0) {
    st.setup_len = (size_t)snprintf(st.setup, sizeof st.setup, "set cgroup limits: %s",
                                    strerror(errno));
    put_reply(reply_fd, cfg, job, &st, 0, 0, 0);
    capture_free(&st.out);
    capture_free(&st.err);
    return 0;
  }
  if ((job->flags & JW_JOB_F_LOOPBACK) && cfg->bpf_loopback.len == 0) {
    snprintf(err, sizeof err, "this sandbox has no policy for loopback jobs");
    goto setup_failed;
  }
  if (cold_in_warm && warm.proc.pid > 0) warm_shutdown();
  if (is_warm && warm.proc.pid > 0 && (warm.tmpfs != job->tmpfs || warm.inodes != job->inodes))
    warm_shutdown();
  if (is_warm && warm.proc.pid <= 0 && start_warm(cfg, job, err, sizeof err) != 0) goto setup_failed;
  if (is_warm && await_warm(err, sizeof err) != 0) {
    warm_shutdown();
    goto setup_failed;
  }

  int out[2], errp[2], res[2];
  if (pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC) || pipe2(res, O_CLOEXEC)) {
    snprintf(err, sizeof err, "pipe: %s", strerror(errno));
    goto setup_failed;
  }
  int stdin_fd = job_stdin(job, err, sizeof err);
  if (stdin_fd == -2) {
    close(out[0]); close(out[1]); close(errp[0]); close(errp[1]); close(res[0]); close(res[1]);
    goto setup_failed;
  }
  uint64_t oom_before = cgroup_oom_kills(cfg);
  /* Only a slot's shared network namespace can keep a job's sockets. */
  int sockets_before = cfg->template_ready ? unix_socket_count() : -1;
  uint64_t started = now_us();
  jail_proc cold = {.pid = -1, .pidfd = -1, .status_r = -1, .notify_sock = -1, .listener = -1,
                    .exit_r = -1};
  jail_proc *jp = is_warm ? &warm.proc : &cold;
  if (is_warm) {
    jw_buf frame = {0};
    jw_put_u64(&frame, JW_Z_JOB, 1);
    for (size_t i = 0; i < job->argc; i++) jw_put_str(&frame, JW_JOB_ARGV, job->argv[i]);
    for (size_t i = 0; i < job->envc; i++) jw_put_str(&frame, JW_JOB_ENV, job->env[i]);
    for (size_t i = 0; i < job->n_files; i++) {
      const job_file *f = &job->files[i];
      size_t nl = strlen(f->name);
      uint8_t *rec = malloc(4 + nl + 1 + f->len);
      if (!rec) fail("out of memory");
      uint32_t mode = htole32(f->mode);
      memcpy(rec, &mode, 4);
      memcpy(rec + 4, f->name, nl + 1);
      memcpy(rec + 5 + nl, f->data, f->len);
      jw_put(&frame, JW_JOB_FILE, rec, 5 + nl + f->len);
      free(rec);
    }
    jw_put_u64(&frame, JW_JOB_CPU_MS, job->cpu_ms);
    jw_put_u64(&frame, JW_JOB_FSIZE, job->fsize);
    jw_put_u64(&frame, JW_JOB_NOFILE, job->nofile);
    jw_put_u64(&frame, JW_JOB_NPROC, job->nproc);
    jw_put_u64(&frame, JW_JOB_ADDRESS_SPACE, job->address_space);
    jw_put_u64(&frame, JW_JOB_FLAGS, job->flags);
    int pass[4] = {stdin_fd >= 0 ? stdin_fd : dev_null(), out[1], errp[1], res[1]};
    int sent = send_fds(warm.sock, &frame, pass, 4);
    jw_buf_free(&frame);
    close_fd(&stdin_fd);
    if (sent != 0) {
      snprintf(err, sizeof err, "hand the job to the warm interpreter: %s", strerror(errno));
      close(out[0]); close(out[1]); close(errp[0]); close(errp[1]); close(res[0]); close(res[1]);
      warm_shutdown();
      goto setup_failed;
    }
  } else {
    char **env = job->env;
    char *empty[] = {NULL};
    if (spawn_jail(cfg, job, 0, stdin_fd, out[1], errp[1], res[1], job->argv, env ? env : empty,
                   &cold, err, sizeof err) != 0) {
      close(out[0]); close(out[1]); close(errp[0]); close(errp[1]); close(res[0]); close(res[1]);
      close_fd(&stdin_fd);
      goto setup_failed;
    }
  }
  close_fd(&stdin_fd);
  close(out[1]);
  close(errp[1]);
  close(res[1]);
  int out_r = out[0], err_r = errp[0], res_r = res[0];
  int timer = arm_timer(job->wall_ms);
  int drain_timer = -1;
  int killed = 0;
  struct rusage ru;
  memset(&ru, 0, sizeof ru);

  for (;;) {
    int done = st.exited || st.zygote_died;
    if (done && out_r < 0 && err_r < 0 && res_r < 0) break;
    if (done && drain_timer < 0) drain_timer = arm_timer(2000);
    struct pollfd p[10];
    int n = 0;
    int i_out = -1, i_err = -1, i_res = -1, i_status = -1, i_nsock = -1, i_listen = -1;
    int i_pid = -1, i_timer = -1, i_ctl = -1, i_zsock = -1, i_drain = -1;
#define ADD(fd, idx)                                                                               \
  if ((fd) >= 0) {                                                                                 \
    p[n] = (struct pollfd){(fd), POLLIN, 0};                                                       \
    idx = n++;                                                                                     \
  }
    ADD(out_r, i_out);
    ADD(err_r, i_err);
    ADD(res_r, i_res);
    ADD(jp->status_r, i_status);
    ADD(jp->notify_sock, i_nsock);
    ADD(jp->listener, i_listen);
    if (!done) ADD(jp->pidfd, i_pid);
    if (!done) ADD(timer, i_timer);
    ADD(control_fd, i_ctl);
    if (is_warm && !done) ADD(warm.sock, i_zsock);
    ADD(drain_timer, i_drain);
#undef ADD
    if (poll(p, (nfds_t)n, -1) < 0) {
      if (errno == EINTR) continue;
      fail("poll: %s", strerror(errno));
    }
    int kill_now = 0;
    if (i_out >= 0 && p[i_out].revents) read_stream(&out_r, &st.out, &st, job, &kill_now);
    if (i_err >= 0 && p[i_err].revents) read_stream(&err_r, &st.err, &st, job, &kill_now);
    if (i_res >= 0 && p[i_res].revents) read_result(&res_r, &st, job);
    if (i_status >= 0 && p[i_status].revents) {
      ssize_t r = read(jp->status_r, st.setup + st.setup_len, sizeof st.setup - 1 - st.setup_len);
      if (r > 0) st.setup_len += (size_t)r;
      else close_fd(&jp->status_r);
    }
    if (i_nsock >= 0 && p[i_nsock].revents) {
      jp->listener = recv_fd(jp->notify_sock);
      close_fd(&jp->notify_sock);
    }
    if (i_listen >= 0 && p[i_listen].revents) {
      if (p[i_listen].revents & POLLIN) handle_notification(jp->listener, &st);
      else close_fd(&jp->listener); /* every filtered process is gone */
    }
    if (i_timer >= 0 && p[i_timer].revents) {
      st.timed_out = 1;
      kill_now = 1;
    }
    if (i_drain >= 0 && p[i_drain].revents) {
      close_fd(&out_r);
      close_fd(&err_r);
      close_fd(&res_r);
    }
    if (i_ctl >= 0 && p[i_ctl].revents) {
      jw_buf msg = {0};
      if (jw_read_frame(control_fd, &msg) != 0) {
        st.shutdown = 1;
        st.cancelled = 1;
        kill_now = 1;
        control_fd = -1;
      } else {
        jw_reader r;
        jw_reader_init(&r, &msg);
        uint16_t tag;
        const uint8_t *v;
        uint32_t len;
        while (jw_next(&r, &tag, &v, &len) == 1) {
          if (tag == JW_MSG_CANCEL) {
            st.cancelled = 1;
            kill_now = 1;
          } else if (tag == JW_MSG_SHUTDOWN) {
            st.shutdown = 1;
            st.cancelled = 1;
            kill_now = 1;
          }
        }
      }
      jw_buf_free(&msg);
    }
    if (i_zsock >= 0 && p[i_zsock].revents && read_zygote(&st) != 0) {
      st.zygote_died = 1;
      kill_now = 1;
    }
    if (i_pid >= 0 && p[i_pid].revents) {
      if (is_warm) {
        st.zygote_died = 1;
      } else {
        /* The init's report is the program's wait status; without one (the
           init was killed: a deadline, a cancel), the init's own. */
        int s, reported;
        int has_report = jp->exit_r >= 0 && read(jp->exit_r, &reported, sizeof reported) == sizeof reported;
        reap_jail(jp, &s, &ru);
        st.exited = 1;
        st.wstatus = has_report ? reported : s;
        st.cpu_us = (uint64_t)ru.ru_utime.tv_sec * 1000000u + (uint64_t)ru.ru_utime.tv_usec +
                    (uint64_t)ru.ru_stime.tv_sec * 1000000u + (uint64_t)ru.ru_stime.tv_usec;
        st.maxrss_kb = (uint64_t)ru.ru_maxrss;
      }
    }
    if (kill_now && !killed && jp->pid > 0) {
      killed = 1;
      kill(jp->pid, SIGKILL); /* init of the pid namespace: the kernel kills the rest */
      if (is_warm) {
        st.zygote_died = 1;
      }
    }
  }
  uint64_t wall = now_us() - started;
  close(timer);
  close_fd(&drain_timer);
  close_fd(&out_r);
  close_fd(&err_r);
  close_fd(&res_r);
  if (!is_warm) reap_jail(jp, NULL, NULL);
  if (is_warm && st.exited && !st.zygote_died && !st.dirty[0]) {
    char scrub_err[200];
    if (scrub_warm(cfg, warm.proc.pid, scrub_err, sizeof scrub_err) != 0)
      snprintf(st.dirty, sizeof st.dirty, "%s", scrub_err);
  }
  {
    char settle_err[200];
    if (settle_unix_sockets(sockets_before, settle_err, sizeof settle_err) != 0 && is_warm && !st.dirty[0])
      snprintf(st.dirty, sizeof st.dirty, "%s", settle_err);
  }
  uint64_t oom = cgroup_oom_kills(cfg) - oom_before;
  if (is_warm && (st.zygote_died || st.dirty[0] || !st.exited)) {
    warm_shutdown();
    recycled = 1;
  }
  put_reply(reply_fd, cfg, job, &st, wall, oom, recycled);
  capture_free(&st.out);
  capture_free(&st.err);
  free(st.res);
  if ((recycled || cold_in_warm) && !st.shutdown) {
    char ignored[600];
    start_warm(cfg, job, ignored, sizeof ignored); /* ready by the next job */
  }
  return st.shutdown ? 1 : 0;

setup_failed:
  st.setup_len = (size_t)snprintf(st.setup, sizeof st.setup, "%s", err);
  put_reply(reply_fd, cfg, job, &st, 0, 0, recycled);
  capture_free(&st.out);
  capture_free(&st.err);
  return 0;
}
