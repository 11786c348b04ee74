/*
 * probe.c: `crucible-jail probe` tries each isolation layer for real and
 * prints one "key value" line per finding, for `crucible sandbox doctor`.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "jail.h"

/* In the child: what must work inside these namespaces. */
static int exercise(unsigned long flags) {
  if (flags & CLONE_NEWNS) {
    if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0) return 10;
    if (mount("tmpfs", "/tmp", "tmpfs", MS_NOSUID | MS_NODEV, "size=64k") != 0) return 11;
    if (flags & CLONE_NEWPID) {
      if (mkdir("/tmp/proc", 0755) != 0) return 12;
      if (mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC,
                "hidepid=invisible,subset=pid") != 0 &&
          mount("proc", "/tmp/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, "hidepid=2") != 0)
        return 13;
    }
  }
  return 0;
}

/* Clones with flags, maps ids when a user namespace is involved, and reports
   "ok" or the reason. */
static const char *try_clone(unsigned long flags, char *why, size_t cap) {
  int sync[2];
  if (pipe2(sync, O_CLOEXEC) != 0) return strerror(errno);
  uid_t uid = geteuid();
  gid_t gid = getegid();
  pid_t pid = (pid_t)syscall(SYS_clone, flags | SIGCHLD, 0, NULL, NULL, 0);
  if (pid < 0) {
    snprintf(why, cap, "clone: %s", strerror(errno));
    close(sync[0]);
    close(sync[1]);
    return why;
  }
  if (pid == 0) {
    close(sync[1]);
    char go;
    if (read(sync[0], &go, 1) != 1) _exit(9);
    _exit(exercise(flags));
  }
  close(sync[0]);
  if (flags & CLONE_NEWUSER) {
    char path[64], map[64];
    snprintf(map, sizeof map, "0 %u 1\n", uid);
    snprintf(path, sizeof path, "/proc/%d/uid_map", pid);
    write_text(path, map);
    snprintf(path, sizeof path, "/proc/%d/setgroups", pid);
    write_text(path, "deny");
    snprintf(map, sizeof map, "0 %u 1\n", gid);
    snprintf(path, sizeof path, "/proc/%d/gid_map", pid);
    write_text(path, map);
  }
  if (write(sync[1], "g", 1) != 1) {}
  close(sync[1]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return "ok";
  const char *step = "unknown";
  switch (WIFEXITED(status) ? WEXITSTATUS(status) : -1) {
  case 10: step = "mount propagation"; break;
  case 11: step = "mount tmpfs"; break;
  case 12: step = "mkdir"; break;
  case 13: step = "mount proc"; break;
  }
  snprintf(why, cap, "%s failed inside the namespace", step);
  return why;
}

int probe_main(void) {
  struct utsname u;
  if (uname(&u) == 0) printf("kernel %s\n", u.release);
  printf("euid %u\n", geteuid());
  printf("landlock_abi %d\n", landlock_probe_abi());
  unsigned action = SECCOMP_RET_KILL_PROCESS;
  printf("seccomp %s\n",
         syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 ? "ok" : strerror(errno));
  action = SECCOMP_RET_USER_NOTIF;
  printf("seccomp_notify %s\n",
         syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 ? "ok" : strerror(errno));
  struct {
    const char *name;
    unsigned long flag;
  } ns[] = {{"userns", 0},           {"mntns", CLONE_NEWNS},   {"pidns", CLONE_NEWPID | CLONE_NEWNS},
            {"netns", CLONE_NEWNET}, {"ipcns", CLONE_NEWIPC},  {"utsns", CLONE_NEWUTS},
            {"cgroupns", CLONE_NEWCGROUP}};
  char why[256];
  for (size_t i = 0; i < sizeof ns / sizeof ns[0]; i++)
    printf("%s %s\n", ns[i].name, try_clone(CLONE_NEWUSER | ns[i].flag, why, sizeof why));
  fflush(stdout);
  return 0;
}
