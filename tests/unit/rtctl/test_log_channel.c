/* The log channel, host side: the record header (kernel/core/log_record.h), the stream
 * decoder (split feeds, damage, truncation), log entries (JSON lines, text form, UTF-8), and
 * the sink that turns serial bytes and records into stored entries. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "log_entry.h"
#include "log_sink.h"
#include "log_stream.h"
#include "test_helpers.h"
#include "time_text.h"

/* A record as the kernel writes it. */
static size_t record(uint8_t *out, uint8_t level, const char *name, const char *msg, int64_t t) {
  struct log_record_header h = {LOG_RECORD_ISOLATE, level, (uint8_t)strlen(name), (uint32_t)strlen(msg), t};
  log_record_encode_header(&h, out);
  memcpy(out + LOG_RECORD_HEADER_SIZE, name, strlen(name));
  memcpy(out + LOG_RECORD_HEADER_SIZE + strlen(name), msg, strlen(msg));
  return LOG_RECORD_HEADER_SIZE + strlen(name) + strlen(msg);
}

static void test_header(void) {
  uint8_t b[LOG_RECORD_HEADER_SIZE];
  struct log_record_header h = {LOG_RECORD_ISOLATE, LOG_LEVEL_WARN, 5, 300, -2}, back;
  log_record_encode_header(&h, b);
  const uint8_t want[LOG_RECORD_HEADER_SIZE] = {'R', 'T', 'J', 'L', 1, 1, 2, 5, 0x2c, 1, 0, 0,
                                                0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
  CHECK(memcmp(b, want, sizeof want) == 0);
  CHECK(log_record_decode_header(b, &back) == 1);
  CHECK(back.type == h.type && back.level == h.level && back.name_len == 5 && back.message_len == 300 &&
        back.time_ns == -2);
  b[4] = 2; /* another version */
  CHECK(log_record_decode_header(b, &back) == 0);
  b[4] = 1;
  b[6] = 4; /* no such level */
  CHECK(log_record_decode_header(b, &back) == 0);
  b[6] = 1;
  log_record_put_u32(b + 8, LOG_RECORD_MESSAGE_MAX + 1);
  CHECK(log_record_decode_header(b, &back) == 0);
}

struct seen {
  int count;
  char text[1024];
};

static void collect(const struct log_record_header *h, const char *name, const char *message, void *ctx) {
  struct seen *s = ctx;
  size_t n = strlen(s->text);
  snprintf(s->text + n, sizeof s->text - n, "%d:%s:%s:%lld|", h->level, name, message, (long long)h->time_ns);
  s->count++;
}

static void test_stream(void) {
  uint8_t buf[512];
  size_t n = record(buf, LOG_LEVEL_INFO, "hello", "one", 7);
  n += record(buf + n, LOG_LEVEL_ERROR, "hello", "two\nlines", 8);
  /* Byte by byte: records come out whole, in order. */
  struct log_stream s = {0};
  struct seen seen = {0};
  for (size_t i = 0; i < n; i++) log_stream_feed(&s, buf + i, 1, collect, &seen);
  CHECK_STR(seen.text, "1:hello:one:7|3:hello:two\nlines:8|");
  CHECK_EQ(log_stream_pending(&s), 0);
  CHECK_EQ(s.skipped, 0);
  log_stream_free(&s);

  /* Garbage before and between records is skipped and counted; the records survive. */
  uint8_t dirty[600];
  size_t d = 0;
  memcpy(dirty, "junkRTJ", 7);
  d = 7;
  d += record(dirty + d, LOG_LEVEL_INFO, "a", "x", 1);
  memcpy(dirty + d, "\0\0\0", 3);
  d += 3;
  d += record(dirty + d, LOG_LEVEL_DEBUG, "b", "", 2);
  struct seen seen2 = {0};
  log_stream_feed(&s, dirty, d, collect, &seen2);
  CHECK_STR(seen2.text, "1:a:x:1|0:b::2|");
  CHECK_EQ(s.skipped, 10);

  /* A cut record stays pending. */
  n = record(buf, LOG_LEVEL_INFO, "c", "unfinished", 3);
  log_stream_feed(&s, buf, n - 4, collect, &seen2);
  CHECK_EQ(seen2.count, 2);
  CHECK_EQ(log_stream_pending(&s), n - 4);
  log_stream_free(&s);
}

static void test_entry(void) {
  struct log_entry e = {.time_us = 1733352601123456LL, .guest_time_us = 1733352601000001LL, .level = LOG_LEVEL_WARN,
                        .isolate = "web", .message = "careful \"x\"\nsecond line"};
  char *json = log_entry_to_json(&e);
  CHECK_STR(json, "{\"time\":\"2024-12-04T22:50:01.123456Z\",\"stream\":\"isolate\",\"isolate\":\"web\","
                  "\"level\":\"warn\",\"guest_time\":\"2024-12-04T22:50:01.000001Z\","
                  "\"message\":\"careful \\\"x\\\"\\nsecond line\"}");
  struct log_entry back;
  json_t *holder;
  CHECK(log_entry_from_json(json, &back, &holder) == 0);
  CHECK(back.time_us == e.time_us && back.guest_time_us == e.guest_time_us && !back.kernel &&
        back.level == LOG_LEVEL_WARN);
  CHECK_STR(back.isolate, "web");
  CHECK_STR(back.message, e.message);
  json_decref(holder);
  free(json);
  CHECK(log_entry_from_json("{\"time\":\"x\"}", &back, &holder) < 0);
  CHECK(log_entry_from_json("not json", &back, &holder) < 0);

  /* Invalid UTF-8 (a broken serial byte) becomes U+FFFD; valid sequences stay. */
  struct log_entry k = {.time_us = 0, .kernel = true, .message = "caf\xc3\xa9 \xff\xc3"};
  json = log_entry_to_json(&k);
  CHECK_STR(json, "{\"time\":\"1970-01-01T00:00:00.000000Z\",\"stream\":\"kernel\",\"message\":\"caf\xc3\xa9 "
                  "\xef\xbf\xbd\xef\xbf\xbd\"}");
  free(json);

  /* Bytes 0xf5-0xff start no sequence; a NUL byte inside a message survives as \u0000. */
  struct log_entry bad = {.time_us = 0, .kernel = true, .message = "\xff\xbf\xbf"};
  json = log_entry_to_json(&bad);
  CHECK_STR(json, "{\"time\":\"1970-01-01T00:00:00.000000Z\",\"stream\":\"kernel\",\"message\":"
                  "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\"}");
  free(json);
  struct log_entry nul = {.time_us = 0, .isolate = "x", .message = "a\0b", .message_len = 3};
  json = log_entry_to_json(&nul);
  CHECK_CONTAINS(json, "\"message\":\"a\\u0000b\"");
  CHECK(log_entry_from_json(json, &back, &holder) == 0);
  CHECK(back.message_len == 3 && memcmp(back.message, "a\0b", 3) == 0);
  json_decref(holder);
  free(json);

  /* Text: every line says where it comes from; -t puts the receive time first. */
  char *dir = test_dir();
  char *path = ib_strfmt("%s/out", dir);
  FILE *out = fopen(path, "w");
  log_entry_print(&e, &(struct log_format){0}, out);
  log_entry_print(&k, &(struct log_format){.timestamps = true}, out);
  log_entry_print(&(struct log_entry){.isolate = "x", .message = ""}, &(struct log_format){0}, out);
  fclose(out);
  char *text;
  struct ib_error err;
  CHECK(ib_read_file(path, &text, NULL, &err) == 0);
  CHECK_STR(text, "[web] careful \"x\"\n[web] second line\n1970-01-01T00:00:00.000000Z [kernel] caf\xc3\xa9 \xff\xc3\n[x] \n");
  free(text);
  free(path);
  ib_remove_tree(dir);
  free(dir);
}

static void test_sink(void) {
  char *dir = test_dir();
  char *path = ib_strfmt("%s/log.jsonl", dir);
  struct log_sink s;
  struct ib_error err;
  log_sink_init(&s, false, false, NULL);
  CHECK(log_sink_store(&s, path, &err) == 0);
  int64_t before = time_now_us();
  log_sink_serial(&s, "boot\r\nhal", 9);
  uint8_t buf[128];
  size_t n = record(buf, LOG_LEVEL_ERROR, "app", "oops", 1000000000LL);
  log_sink_channel(&s, buf, n);
  log_sink_serial(&s, "f", 1);
  log_sink_finish(&s); /* the partial kernel line becomes an entry */
  CHECK_EQ(s.records, 1);
  CHECK_EQ(s.backlog_count, 2); /* kernel lines, not shown: kept for a post-mortem */
  log_sink_close(&s);

  char *text;
  CHECK(ib_read_file(path, &text, NULL, &err) == 0);
  const char *want[][4] = {{"kernel", NULL, NULL, "boot"}, {"isolate", "app", "error", "oops"},
                           {"kernel", NULL, NULL, "half"}};
  char *line = text;
  for (int i = 0; i < 3; i++) {
    char *nl = strchr(line, '\n');
    CHECK(nl != NULL);
    if (!nl) break;
    *nl = '\0';
    struct log_entry e;
    json_t *holder;
    CHECK(log_entry_from_json(line, &e, &holder) == 0);
    CHECK(e.kernel == (strcmp(want[i][0], "kernel") == 0));
    CHECK(e.time_us >= before && e.time_us <= time_now_us());
    if (want[i][1]) CHECK_STR(e.isolate, want[i][1]);
    if (want[i][2]) CHECK_STR(log_level_name(e.level), want[i][2]);
    if (!e.kernel) CHECK_EQ(e.guest_time_us, 1000000);
    CHECK_STR(e.message, want[i][3]);
    json_decref(holder);
    line = nl + 1;
  }
  CHECK(*line == '\0');
  free(text);

  /* The backlog keeps the last LOG_SINK_BACKLOG kernel lines, oldest first. */
  log_sink_init(&s, false, false, NULL);
  for (int i = 0; i < LOG_SINK_BACKLOG + 5; i++) {
    char l[32];
    int len = snprintf(l, sizeof l, "line %d\n", i);
    log_sink_serial(&s, l, (size_t)len);
  }
  char *out_path = ib_strfmt("%s/backlog", dir);
  FILE *out = fopen(out_path, "w");
  CHECK_EQ(log_sink_print_backlog(&s, out), LOG_SINK_BACKLOG);
  fclose(out);
  log_sink_close(&s);
  CHECK(ib_read_file(out_path, &text, NULL, &err) == 0);
  CHECK(strncmp(text, "[kernel] line 5\n", 16) == 0);
  char last[32];
  snprintf(last, sizeof last, "[kernel] line %d\n", LOG_SINK_BACKLOG + 4);
  CHECK(strlen(text) > strlen(last) && strcmp(text + strlen(text) - strlen(last), last) == 0);
  free(text);
  free(out_path);
  free(path);
  ib_remove_tree(dir);
  free(dir);
}

int main(void) {
  test_header();
  test_stream();
  test_entry();
  test_sink();
  return CHECK_DONE();
}
