#define _GNU_SOURCE /* memmem */
#include "log_stream.h"

#include <stdlib.h>
#include <string.h>

#include "fs_util.h"

static void append(struct log_stream *s, const void *data, size_t len) {
  if (s->len + len > s->cap) {
    size_t cap = s->cap ? s->cap : 4096;
    while (cap < s->len + len) cap *= 2;
    s->buf = ib_xrealloc(s->buf, cap);
    s->cap = cap;
  }
  memcpy(s->buf + s->len, data, len);
  s->len += len;
}

void log_stream_feed(struct log_stream *s, const void *data, size_t len, log_record_fn fn, void *ctx) {
  append(s, data, len);
  size_t off = 0;
  while (s->len - off >= LOG_RECORD_HEADER_SIZE) {
    struct log_record_header h;
    if (!log_record_decode_header(s->buf + off, &h)) {
      /* Not a record start: resynchronise at the next magic (or keep a possible partial one). */
      const uint8_t *next = memmem(s->buf + off + 1, s->len - off - 1, LOG_RECORD_MAGIC, 4);
      size_t to = next ? (size_t)(next - s->buf) : s->len - 3;
      s->skipped += to - off;
      off = to;
      continue;
    }
    size_t total = LOG_RECORD_HEADER_SIZE + h.name_len + (size_t)h.message_len;
    if (s->len - off < total) break;
    /* NUL-terminated copies so callers can use them as strings. */
    char name[256];
    memcpy(name, s->buf + off + LOG_RECORD_HEADER_SIZE, h.name_len);
    name[h.name_len] = '\0';
    char *message = ib_xmalloc((size_t)h.message_len + 1);
    memcpy(message, s->buf + off + LOG_RECORD_HEADER_SIZE + h.name_len, h.message_len);
    message[h.message_len] = '\0';
    fn(&h, name, message, ctx);
    free(message);
    off += total;
  }
  memmove(s->buf, s->buf + off, s->len - off);
  s->len -= off;
}

size_t log_stream_pending(const struct log_stream *s) {
  return s->len;
}

void log_stream_free(struct log_stream *s) {
  free(s->buf);
  memset(s, 0, sizeof *s);
}
