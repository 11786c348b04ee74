/*
 * scrub.c: after a warm job, the launcher empties the jail's scratch
 * directories (/work, /tmp, /dev/shm) from outside, through the zygote's
 * /proc/PID/root, and puts back their modes and times. From outside, so
 * that the job's file names (data, as far as names go) never enter the
 * zygote, which every later job is forked from.
 *
 * The launcher is root on the host, so nothing here resolves a path the job
 * could have made: only *at calls on directory descriptors, with
 * O_NOFOLLOW, one name at a time. Deep trees are flattened (subdirectories
 * moved up to the scratch root) instead of recursed into.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "jail.h"

struct linux_dirent64 {
  uint64_t d_ino;
  int64_t d_off;
  unsigned short d_reclen;
  unsigned char d_type;
  char d_name[];
};

/* Whether name (in dir) is a directory, without following it. */
static int is_dir(int dir, const struct linux_dirent64 *e) {
  if (e->d_type != DT_UNKNOWN) return e->d_type == DT_DIR;
  struct stat st;
  return fstatat(dir, e->d_name, &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
}

static int dots(const char *name) {
  return name[0] == '.' && (name[1] == 0 || (name[1] == '.' && name[2] == 0));
}

/* One pass over dir: files go; subdirectories of dir's subdirectories move
   up to root (so no path gets deep), then the emptied subdirectory goes.
   Returns how many entries it saw (0: dir is empty), -1 on error. */
static int scrub_pass(int root, int dir, uint64_t *serial, char *buf, size_t bufsize) {
  int seen = 0;
  lseek(dir, 0, SEEK_SET);
  for (;;) {
    long n = syscall(SYS_getdents64, dir, buf, bufsize);
    if (n < 0) return -1;
    if (n == 0) break;
    for (long at = 0; at < n;) {
      struct linux_dirent64 *e = (struct linux_dirent64 *)(buf + at);
      at += e->d_reclen;
      if (dots(e->d_name)) continue;
      seen++;
      if (!is_dir(dir, e)) {
        if (unlinkat(dir, e->d_name, 0) != 0 && errno != ENOENT) return -1;
        continue;
      }
      int sub = openat(dir, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      if (sub < 0) return -1;
      char inner[8192];
      for (;;) {
        long m = syscall(SYS_getdents64, sub, inner, sizeof inner);
        if (m <= 0) break;
        for (long j = 0; j < m;) {
          struct linux_dirent64 *f = (struct linux_dirent64 *)(inner + j);
          j += f->d_reclen;
          if (dots(f->d_name)) continue;
          if (is_dir(sub, f)) {
            char moved[32];
            snprintf(moved, sizeof moved, ".z%llu", (unsigned long long)++*serial);
            if (renameat(sub, f->d_name, root, moved) != 0) {
              close(sub);
              return -1;
            }
          } else if (unlinkat(sub, f->d_name, 0) != 0 && errno != ENOENT) {
            close(sub);
            return -1;
          }
        }
      }
      close(sub);
      if (unlinkat(dir, e->d_name, AT_REMOVEDIR) != 0 && errno != ENOENT && errno != ENOTEMPTY) return -1;
    }
  }
  return seen;
}

/* Whether an emptied scratch filesystem still holds data: blocks, or
   inodes beyond its root (files kept alive by descriptors in flight). */
static int holds_data(int dir) {
  struct statvfs sv;
  if (fstatvfs(dir, &sv) != 0) return 1;
  return sv.f_blocks > sv.f_bfree || sv.f_files > sv.f_ffree + 1;
}

int scrub_warm(const jail_config *cfg, pid_t zygote, jail_err *err) {
  static const struct {
    const char *path;
    mode_t mode;
    int candidate_owned;
  } roots[] = {{"work", 0755, 1}, {"tmp", 01777, 0}, {"dev/shm", 01777, 0}};
  char path[64];
  snprintf(path, sizeof path, "/proc/%d/root", zygote);
  int root = open(path, O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (root < 0) return jail_fail(err, "open the warm jail's root", NULL);
  int fds[3] = {-1, -1, -1};
  char *buf = malloc(1 << 16);
  if (!buf) fail("out of memory");
  int rc = 0;
  for (int i = 0; i < 3 && rc == 0; i++) {
    /* "dev/shm": dev is the jail's read-only tmpfs, so no job made it. */
    fds[i] = openat(root, roots[i].path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (fds[i] < 0) {
      rc = jail_failf(err, "/%s: %s", roots[i].path, strerror(errno));
      break;
    }
    uint64_t serial = 0;
    int seen = 1;
    for (int pass = 0; pass < 1000000 && seen > 0; pass++) seen = scrub_pass(fds[i], fds[i], &serial, buf, 1 << 16);
    struct timespec zero[2] = {{0, 0}, {0, 0}};
    struct stat st;
    uid_t owner = roots[i].candidate_owned || !cfg->trusted_split ? (uid_t)cfg->outside_uid : (uid_t)cfg->trusted_uid;
    if (seen != 0 || fchmod(fds[i], roots[i].mode) != 0 || futimens(fds[i], zero) != 0 || fstat(fds[i], &st) != 0) {
      rc = jail_failf(err, "/%s: %s", roots[i].path, seen > 0 ? "not emptied" : strerror(errno));
    } else if (st.st_uid != owner || (st.st_mode & 07777) != roots[i].mode) {
      rc = jail_failf(err, "/%s: owner %u, mode %o", roots[i].path, (unsigned)st.st_uid,
                      (unsigned)(st.st_mode & 07777));
    }
  }
  free(buf);
  /* Descriptors sent over a unix socket that was then closed are in flight:
     they keep files (space, memory, locks) alive after every process of the
     job is gone, until the kernel's unix garbage collector runs. Closing a
     socket starts it whenever anything is in flight; wait for the scratch
     filesystems to be empty, briefly. */
  for (int i = 0; i < 3 && rc == 0; i++) {
    if (!holds_data(fds[i])) continue;
    int pair[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) == 0) {
      close(pair[0]);
      close(pair[1]);
    }
    uint64_t deadline = now_us() + 500000;
    while (holds_data(fds[i]) && now_us() < deadline) poll(NULL, 0, 1);
    if (holds_data(fds[i])) {
      rc = jail_failf(err, "files of the job outlived it (descriptors in flight)");
    }
  }
  for (int i = 0; i < 3; i++)
    if (fds[i] >= 0) close(fds[i]);
  close(root);
  return rc;
}

/* Unix sockets of the slot's network namespace (where this launcher lives
   too, as root), as /proc/self/net/unix lists them; -1 when unknown. */
int unix_socket_count(void) {
  int fd = open("/proc/self/net/unix", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return -1;
  char buf[65536];
  int lines = 0;
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0)
    for (ssize_t i = 0; i < n; i++) lines += buf[i] == '\n';
  close(fd);
  return lines > 0 ? lines - 1 : -1;
}

/* After a job, the slot's unix sockets must be back to what they were
   before it. More means sockets kept alive only by descriptors in flight
   (a socket sent over itself): they hold memory charged to the slot, and
   an abstract name a later job could see and connect to. The kernel's
   garbage collector frees them, but only runs when some socket is
   released: we make garbage of our own (a pipe's write end in flight in a
   socket sent over itself), which starts it, and wait until that pipe says
   its writer is gone; the collector frees all garbage in one pass. */
int settle_unix_sockets(int before, jail_err *err) {
  if (before < 0 || unix_socket_count() <= before) return 0;
  int pipefd[2], pair[2];
  if (pipe2(pipefd, O_CLOEXEC) != 0) return 0;
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, pair) != 0) {
    close(pipefd[0]);
    close(pipefd[1]);
    return 0;
  }
  char byte = 'x';
  struct iovec iov = {.iov_base = &byte, .iov_len = 1};
  union {
    char buf[CMSG_SPACE(2 * sizeof(int))];
    struct cmsghdr align;
  } u;
  memset(&u, 0, sizeof u);
  struct msghdr msg = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = u.buf, .msg_controllen = sizeof u.buf};
  struct cmsghdr *c = CMSG_FIRSTHDR(&msg);
  c->cmsg_level = SOL_SOCKET;
  c->cmsg_type = SCM_RIGHTS;
  c->cmsg_len = CMSG_LEN(2 * sizeof(int));
  int pass[2] = {pipefd[1], pair[1]};
  memcpy(CMSG_DATA(c), pass, sizeof pass);
  int sent = sendmsg(pair[0], &msg, MSG_NOSIGNAL) == 1;
  close(pipefd[1]);
  close(pair[1]);
  close(pair[0]);
  if (sent) {
    struct pollfd p = {.fd = pipefd[0], .events = POLLIN};
    poll(&p, 1, 1000);
  }
  close(pipefd[0]);
  if (unix_socket_count() > before) return jail_failf(err, "unix sockets of the job outlived it");
  return 0;
}
