/*
 * child.c: everything between clone and execve, in the new namespaces.
 * Order: wait for the id maps, become the sandbox's first user, build or
 * enter the root (root.c), hostname, lo up, setsid, rlimits, descriptors,
 * capabilities, no_new_privs, Landlock, seccomp (last), then execve. Only
 * this single-threaded C runs here.
 *
 * Two users, when the launcher may map two (as root): uid 0 inside is the
 * trusted side (the warm judge and zygote, the cold test runner), holding only the
 * capabilities it needs to start candidates as the other user, to kill and
 * to clean up after them; uid 1000 inside is every candidate and every
 * script. The kernel clears all capabilities when uid 0 becomes 1000, and a
 * candidate can neither signal, re-limit nor read the trusted processes.
 *
 * A cold job does not run as pid 1 (where Python would not see the signal
 * semantics it has elsewhere): this process stays behind as a minimal init
 * that reaps, and reports the program's wait status to the launcher.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <grp.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"

#define FD_STATUS 4
#define FD_NOTIFY 5
#define FD_EXIT 6

/* What the trusted side keeps: start candidates as another user (SETUID,
   SETGID), kill them (KILL), and clean what they leave (FOWNER,
   DAC_OVERRIDE; these apply only to files of the sandbox's own users, as
   host files have owners the user namespace does not map). */
#define TRUSTED_CAPS                                                                               \
  ((1ULL << CAP_SETUID) | (1ULL << CAP_SETGID) | (1ULL << CAP_KILL) | (1ULL << CAP_FOWNER) |      \
   (1ULL << CAP_DAC_OVERRIDE))

/* Where a failed step is reported: the launcher reads it until execve. */
static int status_fd = -1;

/* The child's fail(): sends the message on the status descriptor and exits
   126. Every failure in the child ends here. */
static void child_fail(const jail_err *err) __attribute__((noreturn));
static void child_fail(const jail_err *err) {
  if (status_fd >= 0) {
    ssize_t ignored = write(status_fd, err->msg, strlen(err->msg));
    (void)ignored;
  }
  _exit(126);
}

/* A step that returned -1 with err filled. */
static void try_step(int rc, const jail_err *err) {
  if (rc != 0) child_fail(err);
}

/* A system call's result: negative ends the child with "what path: errno". */
static void checkf(long rc, const char *what, const char *path) {
  if (rc < 0) {
    jail_err err;
    jail_fail(&err, what, path);
    child_fail(&err);
  }
}

static void check(long rc, const char *step) { checkf(rc, step, NULL); }

static void limit(int resource, uint64_t soft, uint64_t hard, const char *name) {
  struct rlimit rl = {.rlim_cur = soft, .rlim_max = hard};
  checkf(setrlimit(resource, &rl), "setrlimit", name);
}

static void set_rlimits(const job_spec *job) {
  if (job->cpu_ms) {
    uint64_t s = (job->cpu_ms + 999) / 1000;
    limit(RLIMIT_CPU, s, s + 1, "CPU");
  }
  if (job->address_space) limit(RLIMIT_AS, job->address_space, job->address_space, "AS");
  if (job->fsize) limit(RLIMIT_FSIZE, job->fsize, job->fsize, "FSIZE");
  if (job->nofile) limit(RLIMIT_NOFILE, job->nofile, job->nofile, "NOFILE");
  if (job->nproc) limit(RLIMIT_NPROC, job->nproc, job->nproc, "NPROC");
  limit(RLIMIT_CORE, 0, 0, "CORE");
  limit(RLIMIT_MEMLOCK, 0, 0, "MEMLOCK");
  limit(RLIMIT_MSGQUEUE, 0, 0, "MSGQUEUE");
  limit(RLIMIT_RTPRIO, 0, 0, "RTPRIO");
  limit(RLIMIT_NICE, 0, 0, "NICE");
}

/* Moves fd out of the way of the low numbers the child is about to assign. */
static int lift(int fd) {
  if (fd < 0) return -1;
  int high = fcntl(fd, F_DUPFD_CLOEXEC, 64);
  check(high, "lift descriptor");
  return high;
}

static void arrange_fds(const child_fds *fds, int zygote) {
  int in = lift(fds->in_r);
  int out = lift(fds->out_w), err = lift(fds->err_w);
  int third = lift(zygote ? fds->control : fds->res_w);
  int st = lift(fds->status_w), nt = lift(fds->notify_w), ex = lift(fds->exit_w);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  check(null_fd, "open /dev/null");
  check(dup2(in >= 0 ? in : null_fd, 0), "dup2 stdin");
  check(dup2(out >= 0 ? out : null_fd, 1), "dup2 stdout");
  /* The warm interpreter has no stderr of its own: a job's is handed to it
     with the job, and its own diagnostics (a harness traceback when a job
     is cut short) are not the user's output. */
  check(dup2(err >= 0 ? err : null_fd, 2), "dup2 stderr");
  if (third >= 0) check(dup2(third, 3), "dup2 fd 3");
  check(dup3(st, FD_STATUS, O_CLOEXEC), "dup status fd");
  status_fd = FD_STATUS;
  if (nt >= 0) check(dup3(nt, FD_NOTIFY, O_CLOEXEC), "dup notify fd");
  else close(FD_NOTIFY);
  if (ex >= 0) check(dup3(ex, FD_EXIT, O_CLOEXEC), "dup exit fd");
  else close(FD_EXIT);
  check(syscall(SYS_close_range, FD_EXIT + 1, ~0U, 0), "close_range");
  if (third < 0) close(3);
}

/* The kernel clears PR_SET_PDEATHSIG when credentials change, so it is set
   after set_identity; then the launcher is checked through a pidfd, which
   closes the race with a launcher that died in between. */
static void watch_launcher(int launcher_pidfd) {
  check(prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0), "pdeathsig");
  struct pollfd p = {.fd = launcher_pidfd, .events = POLLIN};
  if (poll(&p, 1, 0) != 0) _exit(125); /* readable: the launcher has exited */
  close(launcher_pidfd);
}

/* The sandbox's first user: the trusted uid 0 when the ids are split, else
   the only user. */
static void set_identity(const jail_config *cfg) {
  /* Drops the host's supplementary groups; EPERM where setgroups is denied
     (an unprivileged launcher), which leaves only the caller's own groups. */
  if (setgroups(0, NULL) != 0 && errno != EPERM) check(-1, "setgroups");
  gid_t g = cfg->trusted_split ? 0 : (gid_t)cfg->inside_id;
  uid_t u = cfg->trusted_split ? 0 : (uid_t)cfg->inside_id;
  check(setresgid(g, g, g), "setresgid");
  check(setresuid(u, u, u), "setresuid");
}

/* Keeps only `keep` (permitted and effective; nothing inheritable, nothing
   ambient, the bounding set cut to it). With keep 0, uid 0 gains nothing at
   execve either (NOROOT). Otherwise the trusted uid 0 keeps exactly these
   across execve (no_new_privs caps them at what it holds now), and changing
   to any other uid clears them all (no NO_SETUID_FIXUP). Locked. */
static void drop_capabilities(uint64_t keep) {
  check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient caps");
  for (int cap = 0; cap <= 63; cap++)
    if (!(keep & (1ULL << cap)) && prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      check(-1, "drop bounding cap");
  unsigned long bits = SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP_LOCKED |
                       SECBIT_KEEP_CAPS_LOCKED | SECBIT_NO_CAP_AMBIENT_RAISE |
                       SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED;
  if (keep == 0) bits |= SECBIT_NOROOT | SECBIT_NO_SETUID_FIXUP;
  check(prctl(PR_SET_SECUREBITS, bits, 0, 0, 0), "lock securebits");
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  data[0].permitted = data[0].effective = (uint32_t)keep;
  data[1].permitted = data[1].effective = (uint32_t)(keep >> 32);
  check(syscall(SYS_capset, &hdr, data), "capset");
}

/* From the trusted uid 0 to the candidate's user: every capability goes. */
static void become_candidate(const jail_config *cfg) {
  gid_t g = (gid_t)cfg->inside_id;
  uid_t u = (uid_t)cfg->inside_id;
  check(setgroups(0, NULL), "setgroups");
  check(setresgid(g, g, g), "setresgid");
  check(setresuid(u, u, u), "setresuid");
}

/* pid 1 of a cold job: reaps everything, and when the program exits, tells
   the launcher how (its own exit ends the namespace and kills the rest). */
static void init_main(pid_t program) __attribute__((noreturn));
static void init_main(pid_t program) {
  close(FD_STATUS);
  int status = 0;
  for (;;) {
    int s;
    pid_t p = waitpid(-1, &s, __WALL);
    if (p < 0) {
      if (errno == EINTR) continue;
      break;
    }
    if (p == program) {
      status = s;
      break;
    }
  }
  ssize_t ignored = write(FD_EXIT, &status, sizeof status);
  (void)ignored;
  _exit(0);
}

static void send_fd(int sock, int fd) {
  char byte = 'L';
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf,
                       .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(sizeof(int));
  memcpy(CMSG_DATA(c), &fd, sizeof(int));
  check(sendmsg(sock, &msg, MSG_NOSIGNAL), "send seccomp listener");
}

void child_main(const jail_config *cfg, const job_spec *job, const child_fds *fds,
                char *const *argv, char *const *env, int zygote) {
  status_fd = fds->status_w;
  /* The launcher writes our id maps, then says go; EOF means it died. */
  char go;
  if (read(fds->sync_r, &go, 1) != 1) _exit(125);
  close(fds->sync_r);

  /* Become the mapped sandbox user first, so that what we create is owned
     by it. Our old ids are unmapped here, so the namespace's capabilities
     survive this change until execve. Mount sources are opened before it:
     the sandbox user may not reach them. */
  /* The out-of-memory killer's first choice is a sandboxed process. Set
     while this process still has the launcher's identity: after the change
     to the sandbox's users, /proc/self is no longer writable by us. */
  if (cfg->cg_memory || cfg->cg_unified)
    check(write_text("/proc/self/oom_score_adj", "1000"), "oom_score_adj");
  jail_err err;
  mount_sources ms;
  if (!cfg->template_ready) try_step(open_sources(cfg, &ms, &err), &err);
  set_identity(cfg);
  watch_launcher(fds->launcher_pidfd);
  if (cfg->template_ready) {
    try_step(enter_template(cfg, job, &err), &err);
  } else {
    try_step(build_root(cfg, job, &ms, &err), &err);
    close_sources(cfg, &ms);
  }
  if (cfg->job_flags & CLONE_NEWUTS) {
    const char *name = cfg->hostname ? cfg->hostname : "sandbox";
    check(sethostname(name, strlen(name)), "sethostname");
  }
  if ((cfg->job_flags & CLONE_NEWNET) || (job->flags & JW_JOB_F_LOOPBACK))
    try_step(loopback_up(&err), &err);
  check(setsid(), "setsid");
  set_rlimits(job);
  arrange_fds(fds, zygote);
  drop_capabilities(cfg->trusted_split ? TRUSTED_CAPS : 0);
  check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
  if (cfg->landlock_abi > 0) try_step(landlock_apply(cfg, &err), &err);

  const struct sock_fprog *bpf = (job->flags & JW_JOB_F_LOOPBACK) ? &cfg->bpf_loopback : &cfg->bpf;
  unsigned flags = cfg->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, bpf);
  check(listener, "seccomp");
  if (cfg->notify) {
    send_fd(FD_NOTIFY, (int)listener);
    close((int)listener);
    close(FD_NOTIFY);
  }
  if (!zygote) {
    pid_t program = fork();
    check(program, "fork the program");
    if (program > 0) init_main(program);
    close(FD_EXIT);
    if (cfg->trusted_split && !(job->flags & JW_JOB_F_TRUSTED)) become_candidate(cfg);
  }
  execve(argv[0], argv, env);
  jail_fail(&err, argv[0], NULL);
  child_fail(&err);
}
