/*
 * crucible-jail: the sandbox helper.
 *
 *   crucible-jail serve   read a configuration frame on fd 0, answer READY on
 *                         fd 1, then run one job per request frame until EOF.
 *   crucible-jail probe   print which isolation layers this kernel allows.
 *
 * One launcher serves one worker slot of the supervisor's pool. It joins the
 * slot's cgroups once, so every sandbox is born inside them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "jail.h"

/*
 * As root, each slot gets its own network and IPC namespaces (made once,
 * reused by its jobs: seccomp refuses SysV IPC and message queues, and
 * sockets die with their processes, so nothing crosses from job to job),
 * and the read-only part of the root is built once in the launcher's
 * private mount namespace. A fresh network namespace costs about 0.45 ms
 * per job on these machines; the template saves most of the mounts.
 * Unprivileged launchers cannot do this and build everything per job.
 */
static void prepare_slot(jail_config *cfg) {
  cfg->job_flags = cfg->clone_flags;
  if (geteuid() != 0 || !(cfg->clone_flags & CLONE_NEWNS)) return;
  unsigned long shared = cfg->clone_flags & (CLONE_NEWNET | CLONE_NEWIPC);
  if (unshare(CLONE_NEWNS | (int)shared) != 0) fail("unshare: %s", strerror(errno));
  jail_err err;
  if ((shared & CLONE_NEWNET) && loopback_up(&err) != 0) fail("%s", err.msg);
  if (build_template(cfg, &err) != 0) fail("root template: %s", err.msg);
  cfg->job_flags &= ~shared;
  cfg->template_ready = 1;
}

static int serve(void) {
  /* Nothing but our three descriptors survives from the supervisor. */
  syscall(SYS_close_range, 3, ~0U, 0);
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) fail("pdeathsig: %s", strerror(errno));
  if (getppid() == 1) return 0; /* the supervisor is already gone */
  signal(SIGPIPE, SIG_IGN);

  jw_buf frame = {0};
  if (jw_read_frame(0, &frame) != 0) fail("no configuration frame on stdin");
  jail_config cfg;
  if (parse_config(&frame, &cfg) != 0) fail("malformed configuration frame");
  jail_err err;
  if (cgroup_join(&cfg, &err) != 0) {
    fprintf(stderr, "crucible-jail: %s\n", err.msg);
    return 4;
  }
  prepare_slot(&cfg);
  /* The out-of-memory killer should pick a sandboxed process, never us.
     Lowering needs CAP_SYS_RESOURCE; without it, the sandboxed children's
     score of 1000 (set in child.c) still makes them the first victims. */
  if (cfg.cg_memory || cfg.cg_unified) write_text("/proc/self/oom_score_adj", "-1000");
  jw_buf ready = {0};
  jw_put_u64(&ready, JW_R_READY, config_layers(&cfg));
  if (jw_write_frame(1, &ready) != 0) return 0;
  jw_buf_free(&ready);

  for (;;) {
    if (jw_read_frame(0, &frame) != 0) break;
    jw_reader r;
    jw_reader_init(&r, &frame);
    uint16_t tag;
    const uint8_t *v;
    uint32_t len;
    if (jw_next(&r, &tag, &v, &len) == 1 && (tag == JW_MSG_SHUTDOWN || tag == JW_MSG_CANCEL)) {
      if (tag == JW_MSG_SHUTDOWN) break;
      continue; /* a cancel that arrived after its job ended */
    }
    job_spec job;
    if (parse_job(&frame, &job) != 0) fail("malformed job frame");
    int stop = run_job(&cfg, &job, 0, 1);
    free_job(&job);
    if (stop) break;
  }
  warm_shutdown();
  return 0;
}

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "serve") == 0) return serve();
  if (argc == 2 && strcmp(argv[1], "probe") == 0) return probe_main();
  fprintf(stderr, "usage: crucible-jail serve|probe\n");
  return 2;
}
