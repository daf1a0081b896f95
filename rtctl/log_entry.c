#include "log_entry.h"

#include <stdlib.h>
#include <string.h>

#include "../kernel/core/log_record.h"
#include "fs_util.h"
#include "time_text.h"

static const char *const level_names[] = {"debug", "info", "warn", "error"};

const char *log_level_name(int level) {
  return level >= LOG_LEVEL_DEBUG && level <= LOG_LEVEL_ERROR ? level_names[level] : "info";
}

static int level_from_name(const char *name) {
  for (int i = LOG_LEVEL_DEBUG; i <= LOG_LEVEL_ERROR; i++)
    if (name && strcmp(name, level_names[i]) == 0) return i;
  return LOG_LEVEL_INFO;
}

/* Length of the valid UTF-8 sequence at s (at most n bytes), 0 when it is not one. */
static size_t utf8_sequence(const unsigned char *s, size_t n) {
  if (s[0] < 0x80) return 1;
  size_t len = s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xc2 && s[0] < 0xe0 ? 2 : 0;
  if (len == 0 || len > n) return 0;
  for (size_t i = 1; i < len; i++)
    if ((s[i] & 0xc0) != 0x80) return 0;
  if (len == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0))) return 0; /* overlong, surrogate */
  if (len == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90))) return 0;
  return len;
}

/* A copy of s[0..n) in which every byte that is not valid UTF-8 is U+FFFD (jansson needs
 * UTF-8); *out_len is the copy's length (NUL bytes stay). */
static char *utf8_clean(const char *s, size_t n, size_t *out_len) {
  char *out = ib_xmalloc(3 * n + 1), *o = out;
  for (size_t i = 0; i < n;) {
    size_t len = utf8_sequence((const unsigned char *)s + i, n - i);
    if (len == 0) {
      memcpy(o, "\xef\xbf\xbd", 3);
      o += 3;
      i++;
    } else {
      memcpy(o, s + i, len);
      o += len;
      i += len;
    }
  }
  *o = '\0';
  *out_len = (size_t)(o - out);
  return out;
}

static size_t message_length(const struct log_entry *e) {
  return e->message_len ? e->message_len : e->message ? strlen(e->message) : 0;
}

static void set_time(json_t *o, const char *key, int64_t us) {
  char stamp[TIME_RFC3339_LEN];
  time_format_rfc3339(us, stamp);
  json_object_set_new(o, key, json_string(stamp));
}

char *log_entry_to_json(const struct log_entry *e) {
  json_t *o = json_object();
  set_time(o, "time", e->time_us);
  json_object_set_new(o, "stream", json_string(e->kernel ? "kernel" : "isolate"));
  size_t len;
  if (!e->kernel) {
    const char *isolate = e->isolate ? e->isolate : "";
    char *name = utf8_clean(isolate, strlen(isolate), &len);
    json_object_set_new(o, "isolate", json_stringn(name, len));
    free(name);
    json_object_set_new(o, "level", json_string(log_level_name(e->level)));
    if (e->guest_time_us) set_time(o, "guest_time", e->guest_time_us);
  }
  char *message = utf8_clean(e->message ? e->message : "", message_length(e), &len);
  json_object_set_new(o, "message", json_stringn(message, len)); /* a NUL becomes \u0000 */
  free(message);
  char *text = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
  json_decref(o);
  if (!text) text = ib_xstrdup("{}"); /* only out of memory gets here */
  return text;
}

int log_entry_from_json(const char *line, struct log_entry *e, json_t **holder) {
  memset(e, 0, sizeof *e);
  *holder = json_loads(line, JSON_DISABLE_EOF_CHECK | JSON_ALLOW_NUL, NULL);
  json_t *o = *holder;
  const char *time = json_string_value(json_object_get(o, "time"));
  const char *stream = json_string_value(json_object_get(o, "stream"));
  json_t *message = json_object_get(o, "message");
  e->message = json_string_value(message);
  e->message_len = json_string_length(message);
  if (!time || !stream || !e->message || time_parse_rfc3339(time, &e->time_us, NULL) < 0) {
    json_decref(o);
    *holder = NULL;
    return -1;
  }
  e->kernel = strcmp(stream, "kernel") == 0;
  e->isolate = json_string_value(json_object_get(o, "isolate"));
  e->level = level_from_name(json_string_value(json_object_get(o, "level")));
  const char *guest = json_string_value(json_object_get(o, "guest_time"));
  if (guest) time_parse_rfc3339(guest, &e->guest_time_us, NULL);
  return 0;
}

void log_entry_print(const struct log_entry *e, const struct log_format *f, FILE *out) {
  if (f->json) {
    char *text = log_entry_to_json(e);
    fprintf(out, "%s\n", text);
    free(text);
    return;
  }
  char stamp[TIME_RFC3339_LEN];
  time_format_rfc3339(e->time_us, stamp);
  const char *source = e->kernel ? "kernel" : e->isolate ? e->isolate : "?";
  /* Every line of a multi-line message (a stack trace) says where it comes from. */
  const char *p = e->message ? e->message : "", *end = p + message_length(e);
  do {
    const char *nl = memchr(p, '\n', (size_t)(end - p));
    size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
    if (f->timestamps) fprintf(out, "%s ", stamp);
    fprintf(out, "[%s] ", source);
    fwrite(p, 1, len, out);
    fputc('\n', out);
    p = nl ? nl + 1 : end;
  } while (p < end);
}
