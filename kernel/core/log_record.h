/* The log channel's wire format, shared by the kernel (writer) and rtctl (reader): a byte
 * stream of records, each a 20-byte little-endian header, the source name, the message.
 *
 *   u32 magic "RTJL"  u8 version  u8 type  u8 level  u8 name_len  u32 message_len  i64 time_ns
 *
 * time_ns is the guest's wall clock (ns since 1970). The magic lets a reader find the next
 * record after damage. Pure C without kernel dependencies: rtctl includes it. */
#pragma once
#include <stddef.h>
#include <stdint.h>

#define LOG_RECORD_MAGIC "RTJL"
/* The kernel's console line saying isolate logs come as plain serial lines instead: rtctl
 * then shows the console (the app's output is there). */
#define LOG_CHANNEL_MISSING_LINE "log: no virtio-console: isolate logs on the serial console"
#define LOG_RECORD_VERSION 1
#define LOG_RECORD_HEADER_SIZE 20
#define LOG_RECORD_MESSAGE_MAX (1u << 20) /* longer messages are cut */

/* EXIT: the machine's exit status as decimal text (isa-debug-exit carries only 7 bits). */
enum log_record_type { LOG_RECORD_ISOLATE = 1, LOG_RECORD_KERNEL = 2, LOG_RECORD_EXIT = 3 };
enum log_level { LOG_LEVEL_DEBUG = 0, LOG_LEVEL_INFO = 1, LOG_LEVEL_WARN = 2, LOG_LEVEL_ERROR = 3 };

struct log_record_header {
  uint8_t type, level, name_len;
  uint32_t message_len;
  int64_t time_ns;
};

static inline void log_record_put_u32(uint8_t *p, uint32_t v) {
  for (int i = 0; i < 4; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint32_t log_record_get_u32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void log_record_encode_header(const struct log_record_header *h, uint8_t out[LOG_RECORD_HEADER_SIZE]) {
  for (int i = 0; i < 4; i++) out[i] = (uint8_t)LOG_RECORD_MAGIC[i];
  out[4] = LOG_RECORD_VERSION;
  out[5] = h->type;
  out[6] = h->level;
  out[7] = h->name_len;
  log_record_put_u32(out + 8, h->message_len);
  log_record_put_u32(out + 12, (uint32_t)(uint64_t)h->time_ns);
  log_record_put_u32(out + 16, (uint32_t)((uint64_t)h->time_ns >> 32));
}

/* 1: a valid header; 0: not one (bad magic, version, type, level or length). */
static inline int log_record_decode_header(const uint8_t in[LOG_RECORD_HEADER_SIZE], struct log_record_header *h) {
  for (int i = 0; i < 4; i++)
    if (in[i] != (uint8_t)LOG_RECORD_MAGIC[i]) return 0;
  if (in[4] != LOG_RECORD_VERSION || in[5] < LOG_RECORD_ISOLATE || in[5] > LOG_RECORD_EXIT ||
      in[6] > LOG_LEVEL_ERROR)
    return 0;
  h->type = in[5];
  h->level = in[6];
  h->name_len = in[7];
  h->message_len = log_record_get_u32(in + 8);
  h->time_ns = (int64_t)((uint64_t)log_record_get_u32(in + 12) | (uint64_t)log_record_get_u32(in + 16) << 32);
  return h->message_len <= LOG_RECORD_MESSAGE_MAX;
}
