/* Decoding the log channel: the byte stream of framed records (kernel/core/log_record.h) that
 * the guest writes to virtio-console, fed in pieces as they arrive. Damaged bytes are skipped
 * up to the next record start and counted. */
#ifndef RTCTL_LOG_STREAM_H
#define RTCTL_LOG_STREAM_H

#include <stddef.h>
#include <stdint.h>

#include "../kernel/core/log_record.h"

struct log_stream {
  uint8_t *buf;
  size_t len, cap;
  uint64_t skipped; /* bytes dropped while looking for a record */
};

/* name and message are NUL-terminated copies, valid during the call only; the message may
 * hold NUL bytes itself: h->message_len is its length. */
typedef void (*log_record_fn)(const struct log_record_header *h, const char *name, const char *message,
                              void *ctx);

void log_stream_feed(struct log_stream *s, const void *data, size_t len, log_record_fn fn, void *ctx);
/* Bytes held back: the start of a record not complete yet. */
size_t log_stream_pending(const struct log_stream *s);
void log_stream_free(struct log_stream *s);

#endif
