#define _GNU_SOURCE
#include <endian.h>
#include <stdlib.h>
#include <string.h>

#include "jail.h"

static void *grow(void *array, size_t count, size_t size) {
  void *p = realloc(array, (count + 1) * size);
  if (!p) fail("out of memory");
  return p;
}

/* Splits "a\0b" into two strings; -1 when there is no NUL. */
static int split_pair(const uint8_t *bytes, uint32_t len, char **a, char **b) {
  const uint8_t *nul = memchr(bytes, 0, len);
  if (!nul) return -1;
  *a = dupn(bytes, (uint32_t)(nul - bytes));
  *b = dupn(nul + 1, (uint32_t)(len - (uint32_t)(nul - bytes) - 1));
  return 0;
}

static int parse_bpf(const uint8_t *v, uint32_t len, struct sock_fprog *prog) {
  if (len == 0 || len % sizeof(struct sock_filter) != 0) return -1;
  struct sock_filter *f = malloc(len);
  if (!f) fail("out of memory");
  memcpy(f, v, len);
  prog->filter = f;
  prog->len = (unsigned short)(len / sizeof(struct sock_filter));
  return 0;
}

static char **push_string(char **list, size_t *count, const uint8_t *bytes, uint32_t len) {
  list = grow(list, *count + 1, sizeof *list);
  list[(*count)++] = dupn(bytes, len);
  list[*count] = NULL;
  return list;
}

int parse_config(const jw_buf *frame, jail_config *cfg) {
  memset(cfg, 0, sizeof *cfg);
  jw_reader r;
  jw_reader_init(&r, frame);
  uint16_t tag;
  const uint8_t *v;
  uint32_t len;
  int rc;
  while ((rc = jw_next(&r, &tag, &v, &len)) == 1) {
    switch (tag) {
    case JW_CFG_BPF:
      if (parse_bpf(v, len, &cfg->bpf) != 0) return -1;
      break;
    case JW_CFG_BPF_LOOPBACK:
      if (parse_bpf(v, len, &cfg->bpf_loopback) != 0) return -1;
      break;
    case JW_CFG_TRUSTED_UID:
      cfg->trusted_uid = jw_u64(v, len);
      cfg->trusted_split = 1;
      break;
    case JW_CFG_TRUSTED_GID: cfg->trusted_gid = jw_u64(v, len); break;
    case JW_CFG_MASK:
      cfg->masks = push_string(cfg->masks, &cfg->n_masks, v, len);
      if (cfg->masks[cfg->n_masks - 1][0] != '/') return -1;
      break;
    case JW_CFG_FILE: {
      if (len < 5) return -1;
      const uint8_t *nul = memchr(v + 4, 0, len - 4);
      if (!nul || v[4] != '/') return -1;
      cfg->files = grow(cfg->files, cfg->n_files, sizeof *cfg->files);
      root_file *f = &cfg->files[cfg->n_files++];
      memcpy(&f->mode, v, 4);
      f->mode = le32toh(f->mode);
      f->path = dupn(v + 4, (uint32_t)(nul - v - 4));
      f->len = (uint32_t)(v + len - nul - 1);
      f->data = (uint8_t *)dupn(nul + 1, f->len);
      break;
    }
    case JW_CFG_OUTSIDE_UID: cfg->outside_uid = jw_u64(v, len); break;
    case JW_CFG_OUTSIDE_GID: cfg->outside_gid = jw_u64(v, len); break;
    case JW_CFG_INSIDE_ID: cfg->inside_id = jw_u64(v, len); break;
    case JW_CFG_MOUNT_RO: {
      cfg->mounts = grow(cfg->mounts, cfg->n_mounts, sizeof *cfg->mounts);
      jail_mount *m = &cfg->mounts[cfg->n_mounts++];
      if (split_pair(v, len, &m->src, &m->dst) != 0 || m->dst[0] != '/') return -1;
      break;
    }
    case JW_CFG_SYMLINK: {
      cfg->links = grow(cfg->links, cfg->n_links, sizeof *cfg->links);
      jail_symlink *l = &cfg->links[cfg->n_links++];
      if (split_pair(v, len, &l->target, &l->path) != 0 || l->path[0] != '/') return -1;
      break;
    }
    case JW_CFG_CLONE_FLAGS: cfg->clone_flags = jw_u64(v, len); break;
    case JW_CFG_LANDLOCK_ABI: cfg->landlock_abi = (int)jw_u64(v, len); break;
    case JW_CFG_CGROUP_DIR: {
      char *kind, *path;
      if (split_pair(v, len, &kind, &path) != 0) return -1;
      if (strcmp(kind, "memory") == 0) cfg->cg_memory = path;
      else if (strcmp(kind, "pids") == 0) cfg->cg_pids = path;
      else if (strcmp(kind, "cpu") == 0) cfg->cg_cpu = path;
      else if (strcmp(kind, "unified") == 0) cfg->cg_unified = path;
      else return -1;
      free(kind);
      break;
    }
    case JW_CFG_CGROUP_V2: cfg->cg_v2 = (int)jw_u64(v, len); break;
    case JW_CFG_WARM_ARGV:
      cfg->warm_argv = push_string(cfg->warm_argv, &cfg->n_warm_argv, v, len);
      break;
    case JW_CFG_WARM_ENV:
      cfg->warm_env = push_string(cfg->warm_env, &cfg->n_warm_env, v, len);
      break;
    case JW_CFG_NOTIFY: cfg->notify = (int)jw_u64(v, len); break;
    case JW_CFG_HOSTNAME: cfg->hostname = dupn(v, len); break;
    case JW_CFG_SLOT: cfg->slot = jw_u64(v, len); break;
    default: return -1;
    }
  }
  if (rc < 0 || cfg->bpf.filter == NULL) return -1;
  return 0;
}

int parse_job(const jw_buf *frame, job_spec *job) {
  memset(job, 0, sizeof *job);
  jw_reader r;
  jw_reader_init(&r, frame);
  uint16_t tag;
  const uint8_t *v;
  uint32_t len;
  int rc;
  while ((rc = jw_next(&r, &tag, &v, &len)) == 1) {
    uint64_t n = len == 8 ? jw_u64(v, len) : 0;
    switch (tag) {
    case JW_JOB_ARGV: job->argv = push_string(job->argv, &job->argc, v, len); break;
    case JW_JOB_ENV: job->env = push_string(job->env, &job->envc, v, len); break;
    case JW_JOB_FILE: {
      if (len < 5) return -1;
      const uint8_t *nul = memchr(v + 4, 0, len - 4);
      if (!nul) return -1;
      job->files = grow(job->files, job->n_files, sizeof *job->files);
      job_file *f = &job->files[job->n_files++];
      memcpy(&f->mode, v, 4);
      f->mode = le32toh(f->mode);
      f->name = dupn(v + 4, (uint32_t)(nul - v - 4));
      f->data = nul + 1;
      f->len = (uint32_t)(v + len - nul - 1);
      break;
    }
    case JW_JOB_WALL_MS: job->wall_ms = n; break;
    case JW_JOB_CPU_MS: job->cpu_ms = n; break;
    case JW_JOB_MEMORY: job->memory = n; break;
    case JW_JOB_PIDS: job->pids = n; break;
    case JW_JOB_FSIZE: job->fsize = n; break;
    case JW_JOB_NOFILE: job->nofile = n; break;
    case JW_JOB_TMPFS: job->tmpfs = n; break;
    case JW_JOB_INODES: job->inodes = n; break;
    case JW_JOB_OUTPUT_CAP: job->output_cap = n; break;
    case JW_JOB_KEEP: job->keep = n; break;
    case JW_JOB_RESULT_CAP: job->result_cap = n; break;
    case JW_JOB_ADDRESS_SPACE: job->address_space = n; break;
    case JW_JOB_NPROC: job->nproc = n; break;
    case JW_JOB_STDIN:
      job->stdin_data = v;
      job->stdin_len = len;
      break;
    case JW_JOB_FLAGS: job->flags = n; break;
    default: return -1;
    }
  }
  if (rc < 0 || job->argc == 0 || job->wall_ms == 0) return -1;
  return 0;
}

void free_job(job_spec *job) {
  for (size_t i = 0; i < job->argc; i++) free(job->argv[i]);
  for (size_t i = 0; i < job->envc; i++) free(job->env[i]);
  for (size_t i = 0; i < job->n_files; i++) free(job->files[i].name);
  free(job->argv);
  free(job->env);
  free(job->files);
  memset(job, 0, sizeof *job);
}
