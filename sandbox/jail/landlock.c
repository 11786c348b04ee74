/*
 * landlock.c: filesystem rules, and TCP and scope rules where the ABI has them.
 * Paths are inside the new root. Missing definitions are spelled out because
 * Debian 12's headers stop at ABI 3.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"

#define LL_EXECUTE (1ULL << 0)
#define LL_WRITE_FILE (1ULL << 1)
#define LL_READ_FILE (1ULL << 2)
#define LL_READ_DIR (1ULL << 3)
#define LL_REMOVE_DIR (1ULL << 4)
#define LL_REMOVE_FILE (1ULL << 5)
#define LL_MAKE_CHAR (1ULL << 6)
#define LL_MAKE_DIR (1ULL << 7)
#define LL_MAKE_REG (1ULL << 8)
#define LL_MAKE_SOCK (1ULL << 9)
#define LL_MAKE_FIFO (1ULL << 10)
#define LL_MAKE_BLOCK (1ULL << 11)
#define LL_MAKE_SYM (1ULL << 12)
#define LL_REFER (1ULL << 13)
#define LL_TRUNCATE (1ULL << 14)
#define LL_IOCTL_DEV (1ULL << 15)
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LL_RULE_PATH_BENEATH 1
#define LL_CREATE_RULESET_VERSION (1U << 0)

struct ll_ruleset_attr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};

struct ll_path_beneath {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

int landlock_probe_abi(void) {
  long abi = syscall(SYS_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
  return abi < 0 ? 0 : (int)abi;
}

static uint64_t fs_rights(int abi) {
  uint64_t all = (LL_MAKE_SYM << 1) - 1;
  if (abi >= 2) all |= LL_REFER;
  if (abi >= 3) all |= LL_TRUNCATE;
  if (abi >= 5) all |= LL_IOCTL_DEV;
  return all;
}

/* Allows `access` (as far as it is handled, and applies to what path is)
   beneath path; a path that does not exist needs no rule. */
static int allow(int ruleset, const char *path, uint64_t access, uint64_t handled, jail_err *err) {
  int fd = open(path, O_PATH | O_CLOEXEC);
  if (fd < 0) return errno == ENOENT ? 0 : jail_fail(err, path, NULL);
  int rc = 0;
  struct stat st;
  if (fstat(fd, &st) != 0) {
    rc = jail_fail(err, path, NULL);
    goto out;
  }
  if (!S_ISDIR(st.st_mode))
    access &= LL_EXECUTE | LL_WRITE_FILE | LL_READ_FILE | LL_TRUNCATE | LL_IOCTL_DEV;
  struct ll_path_beneath rule = {.allowed_access = access & handled, .parent_fd = fd};
  if (rule.allowed_access &&
      syscall(SYS_landlock_add_rule, ruleset, LL_RULE_PATH_BENEATH, &rule, 0) != 0)
    rc = jail_fail(err, "landlock rule for", path);
out:
  close(fd);
  return rc;
}

/* The rules, beneath the new root: read and execute the system overlays,
   read the root's own files, and (with a mount namespace) the devices,
   /proc and the scratch directories. */
static int add_rules(const jail_config *cfg, int rs, uint64_t h, jail_err *err) {
  const uint64_t read_exec = LL_READ_FILE | LL_READ_DIR | LL_EXECUTE;
  const uint64_t scratch = LL_READ_FILE | LL_READ_DIR | LL_WRITE_FILE | LL_REMOVE_DIR |
                           LL_REMOVE_FILE | LL_MAKE_DIR | LL_MAKE_REG | LL_MAKE_SOCK | LL_REFER |
                           LL_TRUNCATE;
  const uint64_t dev_rw = LL_READ_FILE | LL_WRITE_FILE | LL_TRUNCATE;
  if (allow(rs, "/", LL_READ_DIR, h, err) != 0) return -1;
  for (size_t i = 0; i < cfg->n_mounts; i++)
    if (allow(rs, cfg->mounts[i].dst, read_exec, h, err) != 0) return -1;
  /* The root's own files, and their directories (which hold nothing else). */
  for (size_t i = 0; i < cfg->n_files; i++) {
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", cfg->files[i].path);
    char *slash = strrchr(dir, '/');
    if (slash && slash != dir) {
      *slash = 0;
      if (allow(rs, dir, LL_READ_FILE | LL_READ_DIR, h, err) != 0) return -1;
    }
  }
  if (!(cfg->clone_flags & CLONE_NEWNS)) return 0;
  const struct {
    const char *path;
    uint64_t access;
  } fixed[] = {{"/dev", LL_READ_DIR}, {"/dev/null", dev_rw}, {"/dev/zero", dev_rw},
               {"/dev/full", dev_rw}, {"/dev/random", LL_READ_FILE},
               {"/dev/urandom", LL_READ_FILE}, {"/proc", LL_READ_FILE | LL_READ_DIR},
               {"/dev/shm", scratch}, {"/tmp", scratch}, {"/work", scratch}};
  for (size_t i = 0; i < sizeof fixed / sizeof fixed[0]; i++)
    if (allow(rs, fixed[i].path, fixed[i].access, h, err) != 0) return -1;
  return 0;
}

int landlock_apply(const jail_config *cfg, jail_err *err) {
  int abi = cfg->landlock_abi;
  struct ll_ruleset_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.handled_access_fs = fs_rights(abi);
  if (abi >= 4 && !(cfg->clone_flags & CLONE_NEWNET))
    attr.handled_access_net = LL_NET_BIND_TCP | LL_NET_CONNECT_TCP; /* no rules: no TCP */
  if (abi >= 6) attr.scoped = LL_SCOPE_ABSTRACT_UNIX | LL_SCOPE_SIGNAL;
  long ruleset = syscall(SYS_landlock_create_ruleset, &attr, sizeof attr, 0);
  if (ruleset < 0) return jail_fail(err, "landlock_create_ruleset", NULL);
  int rs = (int)ruleset;
  int rc = add_rules(cfg, rs, attr.handled_access_fs, err);
  if (rc == 0 && syscall(SYS_landlock_restrict_self, rs, 0) != 0)
    rc = jail_fail(err, "landlock_restrict_self", NULL);
  close(rs);
  return rc;
}
