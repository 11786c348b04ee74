#define _GNU_SOURCE
#include <stdlib.h>
#include <string.h>

#include "jail.h"

void capture_init(capture *c, size_t keep) {
  memset(c, 0, sizeof *c);
  c->keep = keep;
  c->head = keep ? malloc(keep) : NULL;
  c->tail = keep ? malloc(keep) : NULL;
  if (keep && (!c->head || !c->tail)) fail("out of memory for output capture");
}

/* Keeps the first `keep` bytes and a ring of the last `keep` bytes after them. */
void capture_add(capture *c, const uint8_t *bytes, size_t n) {
  c->total += n;
  if (c->keep == 0) return;
  size_t room = c->keep - c->head_len;
  size_t take = n < room ? n : room;
  memcpy(c->head + c->head_len, bytes, take);
  c->head_len += take;
  bytes += take;
  n -= take;
  if (n > c->keep) {
    bytes += n - c->keep;
    n = c->keep;
  }
  while (n) {
    size_t chunk = c->keep - c->tail_pos;
    if (chunk > n) chunk = n;
    memcpy(c->tail + c->tail_pos, bytes, chunk);
    c->tail_pos = (c->tail_pos + chunk) % c->keep;
    c->tail_len = c->tail_len + chunk > c->keep ? c->keep : c->tail_len + chunk;
    bytes += chunk;
    n -= chunk;
  }
}

void capture_put(const capture *c, jw_buf *reply, uint16_t head_tag, uint16_t tail_tag,
                 uint16_t total_tag) {
  jw_put(reply, head_tag, c->head, c->head_len);
  if (c->tail_len) {
    uint8_t *t = malloc(c->tail_len);
    if (!t) fail("out of memory");
    size_t start = (c->tail_pos + c->keep - c->tail_len) % c->keep;
    for (size_t i = 0; i < c->tail_len; i++) t[i] = c->tail[(start + i) % c->keep];
    jw_put(reply, tail_tag, t, c->tail_len);
    free(t);
  }
  jw_put_u64(reply, total_tag, c->total);
}

void capture_free(capture *c) {
  free(c->head);
  free(c->tail);
  memset(c, 0, sizeof *c);
}
