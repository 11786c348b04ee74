/*
 * cgroup.c: the launcher joins its slot's cgroups once, so every sandboxed
 * child is born inside them (no per-job migration), and sets the per-job
 * memory and process limits. The supervisor creates and removes the groups.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "jail.h"

static int join(const char *dir) {
  if (!dir) return 0;
  char path[4096], pid[32];
  snprintf(path, sizeof path, "%s/cgroup.procs", dir);
  snprintf(pid, sizeof pid, "%d", getpid());
  return write_text(path, pid);
}

int cgroup_join(const jail_config *cfg, jail_err *err) {
  const char *dirs[] = {cfg->cg_memory, cfg->cg_pids, cfg->cg_cpu, cfg->cg_unified};
  for (int i = 0; i < 4; i++)
    if (join(dirs[i]) != 0) return jail_fail(err, "cannot join cgroup", dirs[i]);
  return 0;
}

static int set_file(const char *dir, const char *name, uint64_t value) {
  char path[4096], text[32];
  snprintf(path, sizeof path, "%s/%s", dir, name);
  if (value == 0) snprintf(text, sizeof text, "max");
  else snprintf(text, sizeof text, "%llu", (unsigned long long)value);
  return write_text(path, text);
}

static uint64_t last_memory = UINT64_MAX, last_pids = UINT64_MAX;

static int set_limits(const jail_config *cfg, uint64_t memory, uint64_t pids) {
  if (cfg->cg_memory && memory != last_memory) {
    if (cfg->cg_v2) {
      if (set_file(cfg->cg_memory, "memory.max", memory) != 0) return -1;
      char sw[4096];
      snprintf(sw, sizeof sw, "%s/memory.swap.max", cfg->cg_memory);
      write_text(sw, "0");
    } else {
      /* v1 refuses a memsw limit below the memory limit and vice versa:
         try both orders. "max" is spelled -1 in v1. */
      char path[4096], text[32];
      if (memory) snprintf(text, sizeof text, "%llu", (unsigned long long)memory);
      else snprintf(text, sizeof text, "-1");
      snprintf(path, sizeof path, "%s/memory.limit_in_bytes", cfg->cg_memory);
      int first = write_text(path, text);
      char sw[4096];
      snprintf(sw, sizeof sw, "%s/memory.memsw.limit_in_bytes", cfg->cg_memory);
      if (access(sw, F_OK) == 0 && write_text(sw, text) != 0 && first == 0) return -1;
      if (first != 0 && write_text(path, text) != 0) return -1;
      /* v1 keeps TCP buffers out of memory.usage: a loopback job could hold
         far more than its limit in them. They get a limit of their own, a
         quarter of the job's memory (at least 4 MiB); v2 counts them in
         memory.max. */
      char tcp[4096], tcp_text[32];
      snprintf(tcp, sizeof tcp, "%s/memory.kmem.tcp.limit_in_bytes", cfg->cg_memory);
      uint64_t tcp_limit = memory / 4 < (4u << 20) ? (4u << 20) : memory / 4;
      if (memory) snprintf(tcp_text, sizeof tcp_text, "%llu", (unsigned long long)tcp_limit);
      else snprintf(tcp_text, sizeof tcp_text, "-1");
      if (access(tcp, F_OK) == 0 && write_text(tcp, tcp_text) != 0) return -1;
    }
    last_memory = memory;
  }
  if (cfg->cg_pids && pids != last_pids) {
    if (set_file(cfg->cg_pids, "pids.max", pids) != 0) return -1;
    last_pids = pids;
  }
  return 0;
}

int cgroup_set_limits(const jail_config *cfg, uint64_t memory, uint64_t pids, jail_err *err) {
  return set_limits(cfg, memory, pids) == 0 ? 0 : jail_fail(err, "set cgroup limits", NULL);
}

uint64_t cgroup_oom_kills(const jail_config *cfg) {
  if (!cfg->cg_memory) return 0;
  char path[4096], text[4096];
  snprintf(path, sizeof path, "%s/%s", cfg->cg_memory,
           cfg->cg_v2 ? "memory.events" : "memory.oom_control");
  if (read_text(path, text, sizeof text) < 0) return 0;
  char *p = strstr(text, "oom_kill ");
  return p ? strtoull(p + 9, NULL, 10) : 0;
}

uint32_t cgroup_layers(const jail_config *cfg) {
  uint32_t l = 0;
  if (cfg->cg_memory) l |= JW_L_CG_MEMORY;
  if (cfg->cg_pids) l |= JW_L_CG_PIDS;
  if (cfg->cg_cpu) l |= JW_L_CG_CPU;
  return l;
}
