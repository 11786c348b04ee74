#define _GNU_SOURCE
#include "jail_wire.h"

#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int reserve(jw_buf *b, size_t extra) {
  if (b->len + extra <= b->cap) return 0;
  size_t cap = b->cap ? b->cap : 256;
  while (cap < b->len + extra) cap *= 2;
  uint8_t *p = realloc(b->data, cap);
  if (!p) return -1;
  b->data = p;
  b->cap = cap;
  return 0;
}

int jw_put(jw_buf *b, uint16_t tag, const void *bytes, size_t len) {
  if (len > UINT32_MAX || reserve(b, 6 + len) != 0) return -1;
  uint16_t t = htole16(tag);
  uint32_t l = htole32((uint32_t)len);
  memcpy(b->data + b->len, &t, 2);
  memcpy(b->data + b->len + 2, &l, 4);
  if (len) memcpy(b->data + b->len + 6, bytes, len);
  b->len += 6 + len;
  return 0;
}

int jw_append(jw_buf *b, const void *bytes, size_t len) {
  if (reserve(b, len) != 0) return -1;
  if (len) memcpy(b->data + b->len, bytes, len);
  b->len += len;
  return 0;
}

int jw_put_u64(jw_buf *b, uint16_t tag, uint64_t value) {
  uint64_t le = htole64(value);
  return jw_put(b, tag, &le, 8);
}

int jw_put_str(jw_buf *b, uint16_t tag, const char *s) {
  return jw_put(b, tag, s, strlen(s));
}

static int read_full(int fd, void *dst, size_t n) {
  uint8_t *p = dst;
  while (n) {
    ssize_t r = read(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

static int write_full(int fd, const void *src, size_t n) {
  const uint8_t *p = src;
  while (n) {
    ssize_t r = write(fd, p, n);
    if (r < 0 && errno == EINTR) continue;
    if (r <= 0) return -1;
    p += r;
    n -= (size_t)r;
  }
  return 0;
}

int jw_read_frame(int fd, jw_buf *b) {
  uint32_t len;
  if (read_full(fd, &len, 4) != 0) return -1;
  len = le32toh(len);
  if (len > JW_MAX_FRAME) return -1;
  b->len = 0;
  if (reserve(b, len) != 0) return -1;
  if (read_full(fd, b->data, len) != 0) return -1;
  b->len = len;
  return 0;
}

int jw_write_frame(int fd, const jw_buf *b) {
  uint32_t len = htole32((uint32_t)b->len);
  if (write_full(fd, &len, 4) != 0) return -1;
  return write_full(fd, b->data, b->len);
}

void jw_reader_init(jw_reader *r, const jw_buf *b) {
  r->cursor = b->data;
  r->end = b->data + b->len;
}

int jw_next(jw_reader *r, uint16_t *tag, const uint8_t **bytes, uint32_t *len) {
  if (r->cursor == r->end) return 0;
  if (r->end - r->cursor < 6) return -1;
  uint16_t t;
  uint32_t l;
  memcpy(&t, r->cursor, 2);
  memcpy(&l, r->cursor + 2, 4);
  *tag = le16toh(t);
  l = le32toh(l);
  if ((size_t)(r->end - r->cursor - 6) < l) return -1;
  *bytes = r->cursor + 6;
  *len = l;
  r->cursor += 6 + (size_t)l;
  return 1;
}

uint64_t jw_u64(const uint8_t *bytes, uint32_t len) {
  /* A short record is the low bytes of a little-endian number. */
  uint64_t v = 0;
  memcpy(&v, bytes, len < 8 ? len : 8);
  return le64toh(v);
}

void jw_buf_free(jw_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
}

int jw_pipe_cloexec(int fds[2]) { return pipe2(fds, O_CLOEXEC); }

int jw_memfd(const char *name) { return memfd_create(name, MFD_CLOEXEC); }
