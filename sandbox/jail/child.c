/*
 * child.c: everything between clone and execve, in the new namespaces.
 * Order (SANDBOX.md): wait for the id maps, build the root (tmpfs, read-only
 * binds, /dev, /proc, /tmp, /work, job files), pivot_root, hostname, lo up,
 * setsid, rlimits, descriptors, identity, capabilities, no_new_privs,
 * Landlock, seccomp (last), execve. Only this single-threaded C runs here.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <linux/seccomp.h>
#include <net/if.h>
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
#include <unistd.h>

#include "jail.h"

#define NEWROOT "/tmp"
#define FD_STATUS 4
#define FD_NOTIFY 5

void child_fail(int status_fd, const char *step, int err) {
  char msg[600];
  int n = snprintf(msg, sizeof msg, "%s: %s", step, strerror(err));
  if (n > 0 && status_fd >= 0) {
    ssize_t ignored = write(status_fd, msg, (size_t)n);
    (void)ignored;
  }
  _exit(126);
}

static int status_fd = -1;

static void check(long rc, const char *step) {
  if (rc < 0) child_fail(status_fd, step, errno);
}

static void checkf(long rc, const char *what, const char *path) {
  if (rc < 0) {
    char step[512];
    snprintf(step, sizeof step, "%s %s", what, path);
    child_fail(status_fd, step, errno);
  }
}

/* Mount flags a user namespace may not drop when it remounts a bind. */
static unsigned long locked_flags(const char *path) {
  struct statvfs sv;
  if (statvfs(path, &sv) != 0) return 0;
  unsigned long f = 0;
  if (sv.f_flag & ST_NOEXEC) f |= MS_NOEXEC;
  if (sv.f_flag & ST_NOATIME) f |= MS_NOATIME;
  if (sv.f_flag & ST_NODIRATIME) f |= MS_NODIRATIME;
  if (sv.f_flag & ST_RELATIME) f |= MS_RELATIME;
  return f;
}

static void make_target(const char *rel, int is_dir) {
  if (is_dir) {
    checkf(mkdir_p(rel, 0755), "mkdir", rel);
    return;
  }
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", rel);
  char *slash = strrchr(parent, '/');
  if (slash) {
    *slash = 0;
    checkf(mkdir_p(parent, 0755), "mkdir", parent);
  }
  int fd = open(rel, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  checkf(fd, "create mount point", rel);
  close(fd);
}

/* Binds the object behind src_fd at rel (relative to the new root). */
static void bind_at(int src_fd, const char *rel, int is_dir, int read_only) {
  char src[64];
  snprintf(src, sizeof src, "/proc/self/fd/%d", src_fd);
  make_target(rel, is_dir);
  checkf(mount(src, rel, NULL, MS_BIND | MS_REC, NULL), "bind", rel);
  if (!read_only) return;
  unsigned long flags = MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV;
  checkf(mount(NULL, rel, NULL, flags | locked_flags(rel), NULL), "remount read-only", rel);
}

static void mount_tmpfs(const char *rel, const char *mode, uint64_t size, uint64_t inodes,
                        unsigned long flags) {
  char opts[128];
  snprintf(opts, sizeof opts, "mode=%s,size=%llu,nr_inodes=%llu", mode,
           (unsigned long long)size, (unsigned long long)inodes);
  checkf(mkdir_p(rel, 0755), "mkdir", rel);
  checkf(mount("tmpfs", rel, "tmpfs", flags, opts), "mount tmpfs", rel);
}

static void write_job_files(const job_spec *job) {
  for (size_t i = 0; i < job->n_files; i++) {
    const job_file *f = &job->files[i];
    char rel[4096];
    snprintf(rel, sizeof rel, "work/%s", f->name);
    char *slash = strrchr(rel, '/');
    *slash = 0;
    checkf(mkdir_p(rel, 0755), "mkdir", rel);
    *slash = '/';
    int fd = open(rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 0777);
    checkf(fd, "create job file", rel);
    size_t done = 0;
    while (done < f->len) {
      ssize_t w = write(fd, f->data + done, f->len - done);
      if (w < 0 && errno == EINTR) continue;
      checkf(w, "write job file", rel);
      done += (size_t)w;
    }
    close(fd);
  }
}

static const char *devices[] = {"null", "zero", "full", "random", "urandom"};
#define N_DEVICES 5

/* Descriptors of every mount source, opened while we still have the
   launcher's identity: the sandbox user may not be able to reach them
   (a pyenv interpreter under /root), but may see what is bound. */
typedef struct {
  int *src;
  int *is_dir;
  int dev[N_DEVICES];
} mount_sources;

static void open_sources(const jail_config *cfg, mount_sources *ms) {
  ms->src = calloc(cfg->n_mounts + 1, sizeof *ms->src);
  ms->is_dir = calloc(cfg->n_mounts + 1, sizeof *ms->is_dir);
  if (!ms->src || !ms->is_dir) child_fail(status_fd, "allocate", ENOMEM);
  for (size_t i = 0; i < cfg->n_mounts; i++) {
    ms->src[i] = open(cfg->mounts[i].src, O_PATH | O_CLOEXEC);
    checkf(ms->src[i], "open mount source", cfg->mounts[i].src);
    struct stat st;
    checkf(fstat(ms->src[i], &st), "stat mount source", cfg->mounts[i].src);
    ms->is_dir[i] = S_ISDIR(st.st_mode);
  }
  for (int i = 0; i < N_DEVICES; i++) {
    char p[32];
    snprintf(p, sizeof p, "/dev/%s", devices[i]);
    ms->dev[i] = open(p, O_PATH | O_CLOEXEC);
    checkf(ms->dev[i], "open", p);
  }
}

static void build_root(const jail_config *cfg, const job_spec *job, const mount_sources *ms) {
  const int *src = ms->src, *is_dir = ms->is_dir, *dev_fd = ms->dev;
  check(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make mounts private");
  check(mount("tmpfs", NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV, "mode=0755,size=1m,nr_inodes=4096"),
        "mount root tmpfs");
  check(chdir(NEWROOT), "chdir new root");

  for (size_t i = 0; i < cfg->n_mounts; i++)
    bind_at(src[i], cfg->mounts[i].dst + 1, is_dir[i], 1);
  for (size_t i = 0; i < cfg->n_links; i++) {
    const char *rel = cfg->links[i].path + 1;
    char parent[4096];
    snprintf(parent, sizeof parent, "%s", rel);
    char *slash = strrchr(parent, '/');
    if (slash) {
      *slash = 0;
      checkf(mkdir_p(parent, 0755), "mkdir", parent);
    }
    checkf(symlink(cfg->links[i].target, rel), "symlink", rel);
  }

  mount_tmpfs("dev", "0755", 65536, 64, MS_NOSUID | MS_NOEXEC);
  for (int i = 0; i < N_DEVICES; i++) {
    char rel[32];
    snprintf(rel, sizeof rel, "dev/%s", devices[i]);
    bind_at(dev_fd[i], rel, 0, 0);
  }
  check(symlink("/proc/self/fd", "dev/fd"), "symlink dev/fd");
  check(symlink("/proc/self/fd/0", "dev/stdin"), "symlink dev/stdin");
  check(symlink("/proc/self/fd/1", "dev/stdout"), "symlink dev/stdout");
  check(symlink("/proc/self/fd/2", "dev/stderr"), "symlink dev/stderr");
  mount_tmpfs("dev/shm", "1777", job->tmpfs, job->inodes, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  check(mount(NULL, "dev", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL),
        "remount /dev read-only");

  check(mkdir_p("proc", 0555), "mkdir proc");
  if (mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
            "hidepid=invisible,subset=pid") != 0)
    check(mount("proc", "proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2"),
          "mount proc");

  mount_tmpfs("tmp", "1777", job->tmpfs, job->inodes, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  mount_tmpfs("work", "0755", job->tmpfs, job->inodes, MS_NOSUID | MS_NODEV | MS_NOEXEC);
  write_job_files(job);

  for (size_t i = 0; i < cfg->n_mounts; i++) close(src[i]);
  for (int i = 0; i < N_DEVICES; i++) close(dev_fd[i]);

  /* pivot_root(".", ".") stacks the old root on top; detach it. */
  check(syscall(SYS_pivot_root, ".", "."), "pivot_root");
  check(umount2(".", MNT_DETACH), "detach old root");
  check(chdir("/"), "chdir /");
  check(mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL),
        "remount / read-only");
  check(chdir("/work"), "chdir /work");
}

static void loopback_up(void) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  check(s, "socket for lo");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  check(ioctl(s, SIOCGIFFLAGS, &ifr), "get lo flags");
  ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
  check(ioctl(s, SIOCSIFFLAGS, &ifr), "bring lo up");
  close(s);
}

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

static void arrange_fds(const child_fds *fds, int warm) {
  int out = lift(fds->out_w), err = lift(fds->err_w);
  int third = lift(warm ? fds->control : fds->res_w);
  int st = lift(fds->status_w), nt = lift(fds->notify_w);
  int null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  check(null_fd, "open /dev/null");
  check(dup2(null_fd, 0), "dup2 stdin");
  check(dup2(out >= 0 ? out : null_fd, 1), "dup2 stdout");
  if (err >= 0) check(dup2(err, 2), "dup2 stderr");
  if (third >= 0) check(dup2(third, 3), "dup2 fd 3");
  check(dup3(st, FD_STATUS, O_CLOEXEC), "dup status fd");
  status_fd = FD_STATUS;
  if (nt >= 0) check(dup3(nt, FD_NOTIFY, O_CLOEXEC), "dup notify fd");
  check(syscall(SYS_close_range, nt >= 0 ? FD_NOTIFY + 1 : FD_STATUS + 1, ~0U, 0), "close_range");
  if (third < 0) close(3);
}

static void set_identity(const jail_config *cfg) {
  /* Drops the host's supplementary groups; EPERM where setgroups is denied
     (an unprivileged launcher), which leaves only the caller's own groups. */
  if (setgroups(0, NULL) != 0 && errno != EPERM) check(-1, "setgroups");
  gid_t g = (gid_t)cfg->inside_id;
  uid_t u = (uid_t)cfg->inside_id;
  check(setresgid(g, g, g), "setresgid");
  check(setresuid(u, u, u), "setresuid");
}

static void drop_capabilities(void) {
  check(prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0), "clear ambient caps");
  for (int cap = 0; cap <= 63; cap++)
    if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) != 0 && errno != EINVAL)
      check(-1, "drop bounding cap");
  check(prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED | SECBIT_NO_SETUID_FIXUP |
                                     SECBIT_NO_SETUID_FIXUP_LOCKED | SECBIT_KEEP_CAPS_LOCKED |
                                     SECBIT_NO_CAP_AMBIENT_RAISE |
                                     SECBIT_NO_CAP_AMBIENT_RAISE_LOCKED,
              0, 0, 0),
        "lock securebits");
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  check(syscall(SYS_capset, &hdr, data), "capset");
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
                char *const *argv, char *const *env) {
  status_fd = fds->status_w;
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) child_fail(status_fd, "pdeathsig", errno);
  /* The launcher writes our id maps, then says go; EOF means it died. */
  char go;
  if (read(fds->sync_r, &go, 1) != 1) _exit(125);
  close(fds->sync_r);
  /* Become the mapped sandbox user first, so that what we create is owned
     by it. Our old ids are unmapped here, so the namespace's capabilities
     survive this change until execve. */
  mount_sources ms;
  if (cfg->clone_flags & CLONE_NEWNS) open_sources(cfg, &ms);
  set_identity(cfg);

  if (cfg->clone_flags & CLONE_NEWNS) build_root(cfg, job, &ms);
  if (cfg->clone_flags & CLONE_NEWUTS) {
    const char *name = cfg->hostname ? cfg->hostname : "sandbox";
    check(sethostname(name, strlen(name)), "sethostname");
  }
  if (cfg->clone_flags & CLONE_NEWNET) loopback_up();
  check(setsid(), "setsid");
  set_rlimits(job);
  if (cfg->cg_memory || cfg->cg_unified) {
    int fd = open("/proc/self/oom_score_adj", O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      ssize_t ignored = write(fd, "1000", 4);
      (void)ignored;
      close(fd);
    }
  }
  arrange_fds(fds, cfg->warm_argv != NULL);
  drop_capabilities();
  check(prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0), "no_new_privs");
  if (cfg->landlock_abi > 0) check(landlock_apply(cfg, status_fd), "landlock");

  unsigned flags = cfg->notify ? SECCOMP_FILTER_FLAG_NEW_LISTENER : 0;
  long listener = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, flags, &cfg->bpf);
  check(listener, "seccomp");
  if (cfg->notify) {
    send_fd(FD_NOTIFY, (int)listener);
    close((int)listener);
    close(FD_NOTIFY);
  }
  execve(argv[0], argv, env);
  child_fail(status_fd, argv[0], errno);
}
