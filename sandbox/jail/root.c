/*
 * root.c: the sandbox's filesystem. A tmpfs root holding read-only overlays
 * of the system and interpreter directories (an overlay, not a bind: a lock,
 * a change notification or a unix-socket connect lands on the overlay's own
 * inode and never reaches the host's, and the mount table shows descriptor
 * paths, not host paths), empty read-only tmpfs masks over what the job must
 * not see (site-packages), files written into the root (the harness), a
 * minimal /dev, and per job: tmpfs /work, /tmp and /dev/shm with their size
 * and inode limits, the job's files, and a /proc that shows only the job's
 * processes.
 *
 * As root, the launcher builds the static part once per slot (the template,
 * in its private mount namespace) and each job only adds its scratch mounts
 * to a recursive bind of it. Otherwise each job builds everything.
 * Functions return -1 with a message in err (jail.h); the caller decides
 * whether that ends a child or the launcher.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"

static const char *devices[N_DEVICES] = {"null", "zero", "full", "random", "urandom"};

int open_sources(const jail_config *cfg, mount_sources *ms, jail_err *err) {
  memset(ms, 0, sizeof *ms);
  for (int i = 0; i < N_DEVICES; i++) ms->dev[i] = -1;
  ms->src = malloc((cfg->n_mounts + 1) * sizeof *ms->src);
  ms->is_dir = calloc(cfg->n_mounts + 1, sizeof *ms->is_dir);
  if (!ms->src || !ms->is_dir) {
    errno = ENOMEM;
    jail_fail(err, "allocate", NULL);
    goto failed;
  }
  for (size_t i = 0; i <= cfg->n_mounts; i++) ms->src[i] = -1;
  for (size_t i = 0; i < cfg->n_mounts; i++) {
    ms->src[i] = open(cfg->mounts[i].src, O_PATH | O_CLOEXEC);
    struct stat st;
    if (ms->src[i] < 0) {
      jail_fail(err, "open mount source", cfg->mounts[i].src);
      goto failed;
    }
    if (fstat(ms->src[i], &st) != 0) {
      jail_fail(err, "stat mount source", cfg->mounts[i].src);
      goto failed;
    }
    ms->is_dir[i] = S_ISDIR(st.st_mode);
  }
  for (int i = 0; i < N_DEVICES; i++) {
    char p[32];
    snprintf(p, sizeof p, "/dev/%s", devices[i]);
    ms->dev[i] = open(p, O_PATH | O_CLOEXEC);
    if (ms->dev[i] < 0) {
      jail_fail(err, "open", p);
      goto failed;
    }
  }
  return 0;
failed:
  close_sources(cfg, ms);
  return -1;
}

/* Closes what open_sources opened, however far it got. */
void close_sources(const jail_config *cfg, mount_sources *ms) {
  for (size_t i = 0; ms->src && i < cfg->n_mounts; i++)
    if (ms->src[i] >= 0) close(ms->src[i]);
  for (int i = 0; i < N_DEVICES; i++)
    if (ms->dev[i] >= 0) close(ms->dev[i]);
  free(ms->src);
  free(ms->is_dir);
  memset(ms, 0, sizeof *ms);
  for (int i = 0; i < N_DEVICES; i++) ms->dev[i] = -1;
}

static int make_parent(const char *rel, jail_err *err) {
  char parent[4096];
  snprintf(parent, sizeof parent, "%s", rel);
  char *slash = strrchr(parent, '/');
  if (!slash) return 0;
  *slash = 0;
  TRY(mkdir_p(parent, 0755), "mkdir", parent);
  return 0;
}

/* Binds the file behind src_fd at rel (relative to the new root): devices. */
static int bind_file(int src_fd, const char *rel, jail_err *err) {
  char src[64];
  snprintf(src, sizeof src, "/proc/self/fd/%d", src_fd);
  if (make_parent(rel, err) != 0) return -1;
  int fd = open(rel, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  TRY(fd, "create mount point", rel);
  close(fd);
  TRY(mount(src, rel, NULL, MS_BIND, NULL), "bind", rel);
  return 0;
}

/* A read-only overlay of the directory behind src_fd at rel. Overlayfs
   wants two lower layers when there is no upper one: the second is an
   empty directory of ours. */
static int overlay_at(int src_fd, const char *rel, int empty_fd, jail_err *err) {
  TRY(mkdir_p(rel, 0755), "mkdir", rel);
  char opts[96];
  snprintf(opts, sizeof opts, "lowerdir=/proc/self/fd/%d:/proc/self/fd/%d", src_fd, empty_fd);
  TRY(mount("overlay", rel, "overlay", MS_RDONLY | MS_NOSUID | MS_NODEV, opts), "overlay", rel);
  return 0;
}

static int write_all(int fd, const uint8_t *data, size_t len) {
  size_t done = 0;
  while (done < len) {
    ssize_t w = write(fd, data + done, len - done);
    if (w < 0 && errno == EINTR) continue;
    if (w < 0) return -1;
    done += (size_t)w;
  }
  return 0;
}

static int mount_tmpfs(const char *rel, const char *mode, uint64_t size, uint64_t inodes,
                       unsigned long flags, jail_err *err) {
  char opts[160];
  snprintf(opts, sizeof opts, "mode=%s,size=%llu,nr_inodes=%llu", mode, (unsigned long long)size,
           (unsigned long long)inodes);
  TRY(mkdir_p(rel, 0755), "mkdir", rel);
  TRY(mount("tmpfs", rel, "tmpfs", flags, opts), "mount tmpfs", rel);
  return 0;
}

/* The part of the root that is the same for every job: /dev, the system
   overlays, masks, symlinks, the root's files and the empty mount points.
   In the current directory. */
static int populate_static(const jail_config *cfg, const mount_sources *ms, int own_devices,
                           jail_err *err) {
  if (mount_tmpfs("dev", "0755", 65536, 64, MS_NOSUID | MS_NOEXEC, err) != 0) return -1;
  for (int i = 0; i < N_DEVICES; i++) {
    char rel[32];
    snprintf(rel, sizeof rel, "dev/%s", devices[i]);
    if (own_devices) {
      /* Nodes of our own (the template's /dev is remounted read-only):
         a lock or a time change lands on them, never on the host's. */
      struct stat st;
      TRY(fstat(ms->dev[i], &st), "stat", rel);
      TRY(mknod(rel, S_IFCHR | 0666, st.st_rdev), "mknod", rel);
      TRY(chmod(rel, 0666), "chmod", rel);
    } else if (bind_file(ms->dev[i], rel, err) != 0) {
      return -1;
    }
  }
  TRY(mkdir("dev/.empty", 0555), "mkdir", "dev/.empty");
  int empty = open("dev/.empty", O_PATH | O_DIRECTORY | O_CLOEXEC);
  TRY(empty, "open", "dev/.empty");
  for (size_t i = 0; i < cfg->n_mounts; i++) {
    if (!ms->is_dir[i]) {
      errno = ENOTDIR;
      close(empty);
      return jail_fail(err, "mount source", cfg->mounts[i].src);
    }
    if (overlay_at(ms->src[i], cfg->mounts[i].dst + 1, empty, err) != 0) {
      close(empty);
      return -1;
    }
  }
  close(empty);
  for (size_t i = 0; i < cfg->n_masks; i++) {
    const char *rel = cfg->masks[i] + 1;
    struct stat st;
    if (lstat(rel, &st) != 0 || !S_ISDIR(st.st_mode)) continue; /* nothing to hide */
    TRY(mount("tmpfs", rel, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
              "mode=0555,size=4096,nr_inodes=2"),
        "mask", rel);
  }
  for (size_t i = 0; i < cfg->n_links; i++) {
    const char *rel = cfg->links[i].path + 1;
    if (make_parent(rel, err) != 0) return -1;
    TRY(symlink(cfg->links[i].target, rel), "symlink", rel);
  }
  for (size_t i = 0; i < cfg->n_files; i++) {
    const root_file *f = &cfg->files[i];
    const char *rel = f->path + 1;
    if (make_parent(rel, err) != 0) return -1;
    int fd = open(rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 0755);
    TRY(fd, "create", rel);
    int rc = write_all(fd, f->data, f->len);
    close(fd);
    TRY(rc, "write", rel);
  }
  static const char *links[][2] = {{"/proc/self/fd", "dev/fd"}, {"/proc/self/fd/0", "dev/stdin"},
                                   {"/proc/self/fd/1", "dev/stdout"},
                                   {"/proc/self/fd/2", "dev/stderr"}};
  for (int i = 0; i < 4; i++) TRY(symlink(links[i][0], links[i][1]), "symlink", links[i][1]);
  TRY(mkdir("dev/shm", 0755), "mkdir", "dev/shm");
  TRY(mount(NULL, "dev", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NOEXEC, NULL),
      "remount read-only", "/dev");
  TRY(mkdir("proc", 0555), "mkdir", "proc");
  TRY(mkdir("tmp", 0755), "mkdir", "tmp");
  TRY(mkdir("work", 0755), "mkdir", "work");
  return 0;
}

/* The job's files, owned by the candidate's user (the trusted side creates
   them when the ids are split). */
static int write_job_files(const jail_config *cfg, const job_spec *job, jail_err *err) {
  for (size_t i = 0; i < job->n_files; i++) {
    const job_file *f = &job->files[i];
    char rel[4096];
    snprintf(rel, sizeof rel, "work/%s", f->name);
    if (make_parent(rel, err) != 0) return -1;
    int fd = open(rel, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, f->mode & 0777);
    TRY(fd, "create job file", rel);
    int rc = write_all(fd, f->data, f->len);
    if (rc == 0 && cfg->trusted_split)
      rc = fchown(fd, (uid_t)cfg->inside_id, (gid_t)cfg->inside_id);
    close(fd);
    TRY(rc, "write job file", rel);
  }
  return 0;
}

/* Per job: the scratch file systems, the job's files and /proc. /tmp and
   /dev/shm belong to whoever builds the root (the trusted side when the ids
   are split, so a candidate cannot change their mode); /work belongs to the
   candidate. */
static int mount_scratch(const jail_config *cfg, const job_spec *job, jail_err *err) {
  const unsigned long scratch = MS_NOSUID | MS_NODEV | MS_NOEXEC;
  char work_mode[48] = "0755";
  if (cfg->trusted_split)
    snprintf(work_mode, sizeof work_mode, "0755,uid=%llu,gid=%llu",
             (unsigned long long)cfg->inside_id, (unsigned long long)cfg->inside_id);
  if (mount_tmpfs("dev/shm", "1777", job->tmpfs, job->inodes, scratch, err) != 0) return -1;
  if (mount_tmpfs("tmp", "1777", job->tmpfs, job->inodes, scratch, err) != 0) return -1;
  if (mount_tmpfs("work", work_mode, job->tmpfs, job->inodes, scratch, err) != 0) return -1;
  if (write_job_files(cfg, job, err) != 0) return -1;
  /* A candidate sees only its own processes; the trusted side's group
     (gid 0, where the ids are split) sees every process, and reads the
     candidate's CPU time (harness/testclock.py). Older kernels lack
     subset=; without gid= the trusted side falls back to wall time. */
  static const char *const options[] = {"hidepid=invisible,subset=pid,gid=0", "hidepid=2,gid=0",
                                        "hidepid=invisible,subset=pid", "hidepid=2"};
  for (size_t i = 0; i < sizeof options / sizeof *options; i++)
    if (mount("proc", "proc", "proc", scratch, options[i]) == 0) return 0;
  return jail_fail(err, "mount", "proc");
}

/* pivot_root(".", ".") stacks the old root on top of the new; detach it. */
static int enter_root(jail_err *err) {
  TRY(syscall(SYS_pivot_root, ".", "."), "pivot_root", NULL);
  TRY(umount2(".", MNT_DETACH), "detach the old root", NULL);
  TRY(chdir("/"), "chdir", "/");
  TRY(mount(NULL, "/", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL),
      "remount read-only", "/");
  TRY(chdir("/work"), "chdir", "/work");
  return 0;
}

int build_root(const jail_config *cfg, const job_spec *job, const mount_sources *ms,
               jail_err *err) {
  TRY(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make mounts private", NULL);
  TRY(mount("tmpfs", JAIL_NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV,
            "mode=0755,size=8m,nr_inodes=4096"),
      "mount root tmpfs", NULL);
  TRY(chdir(JAIL_NEWROOT), "chdir", JAIL_NEWROOT);
  /* In a user namespace, no mknod: the host's device nodes are bound. */
  if (populate_static(cfg, ms, 0, err) != 0 || mount_scratch(cfg, job, err) != 0) return -1;
  return enter_root(err);
}

static int populate_template(const jail_config *cfg, const mount_sources *ms, jail_err *err) {
  TRY(mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL), "make mounts private", NULL);
  TRY(mount("tmpfs", JAIL_NEWROOT, "tmpfs", MS_NOSUID | MS_NODEV,
            "mode=0755,size=8m,nr_inodes=4096"),
      "mount root tmpfs", NULL);
  TRY(chdir(JAIL_NEWROOT), "chdir", JAIL_NEWROOT);
  if (populate_static(cfg, ms, 1, err) != 0) return -1;
  TRY(mount(NULL, ".", NULL, MS_BIND | MS_REMOUNT | MS_RDONLY | MS_NOSUID | MS_NODEV, NULL),
      "remount read-only", "the template root");
  TRY(chdir("/"), "chdir", "/");
  return 0;
}

int build_template(const jail_config *cfg, jail_err *err) {
  mount_sources ms;
  if (open_sources(cfg, &ms, err) != 0) return -1;
  int rc = populate_template(cfg, &ms, err);
  close_sources(cfg, &ms);
  return rc;
}

int enter_template(const jail_config *cfg, const job_spec *job, jail_err *err) {
  /* The template came from the launcher's namespace, so in ours it is
     locked to its parent; a recursive bind of it is ours to pivot into. */
  TRY(mount(JAIL_NEWROOT, JAIL_NEWROOT, NULL, MS_BIND | MS_REC, NULL), "bind the template", NULL);
  TRY(chdir(JAIL_NEWROOT), "chdir", JAIL_NEWROOT);
  if (mount_scratch(cfg, job, err) != 0) return -1;
  return enter_root(err);
}

int loopback_up(jail_err *err) {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  TRY(s, "socket for lo", NULL);
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  strcpy(ifr.ifr_name, "lo");
  if (ioctl(s, SIOCGIFFLAGS, &ifr) != 0 ||
      (ifr.ifr_flags |= IFF_UP | IFF_RUNNING, ioctl(s, SIOCSIFFLAGS, &ifr) != 0)) {
    int saved = errno;
    close(s);
    errno = saved;
    return jail_fail(err, "bring lo up", NULL);
  }
  close(s);
  return 0;
}
