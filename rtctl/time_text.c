#define _GNU_SOURCE
#include "time_text.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

int64_t time_now_us(void) {
  struct timespec ts;
  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

void time_format_rfc3339(int64_t us, char buf[TIME_RFC3339_LEN]) {
  time_t sec = (time_t)(us / 1000000);
  long frac = (long)(us % 1000000);
  if (frac < 0) {
    frac += 1000000;
    sec--;
  }
  struct tm tm;
  gmtime_r(&sec, &tm);
  char date[32];
  strftime(date, sizeof date, "%Y-%m-%dT%H:%M:%S", &tm);
  snprintf(buf, TIME_RFC3339_LEN, "%.19s.%06ldZ", date, frac);
}

/* Exactly n decimal digits at *p. */
static int digits(const char **p, int n, int *out) {
  int v = 0;
  for (int i = 0; i < n; i++, (*p)++) {
    if (!isdigit((unsigned char)**p)) return -EINVAL;
    v = v * 10 + (**p - '0');
  }
  *out = v;
  return 0;
}

static int expect(const char **p, const char *chars) {
  if (!**p || !strchr(chars, **p)) return -EINVAL;
  (*p)++;
  return 0;
}

int time_parse_rfc3339(const char *s, int64_t *us, const char **end) {
  const char *p = s;
  int year, mon, day, hour, min, sec;
  if (digits(&p, 4, &year) || expect(&p, "-") || digits(&p, 2, &mon) || expect(&p, "-") || digits(&p, 2, &day) ||
      expect(&p, "Tt ") || digits(&p, 2, &hour) || expect(&p, ":") || digits(&p, 2, &min) || expect(&p, ":") ||
      digits(&p, 2, &sec))
    return -EINVAL;
  if (mon < 1 || mon > 12 || day < 1 || day > 31 || hour > 23 || min > 59 || sec > 60) return -EINVAL;
  long frac = 0;
  if (*p == '.') {
    p++;
    int n = 0;
    for (; isdigit((unsigned char)*p); p++, n++)
      if (n < 6) frac = frac * 10 + (*p - '0');
    if (n == 0) return -EINVAL;
    for (; n < 6; n++) frac *= 10;
  }
  int offset_min = 0;
  if (*p == 'Z' || *p == 'z') {
    p++;
  } else if (*p == '+' || *p == '-') {
    int sign = *p++ == '-' ? -1 : 1, oh, om;
    if (digits(&p, 2, &oh) || expect(&p, ":") || digits(&p, 2, &om) || oh > 23 || om > 59) return -EINVAL;
    offset_min = sign * (oh * 60 + om);
  } else {
    return -EINVAL;
  }
  if (end) *end = p;
  else if (*p) return -EINVAL;
  struct tm tm = {.tm_year = year - 1900, .tm_mon = mon - 1, .tm_mday = day, .tm_hour = hour, .tm_min = min, .tm_sec = sec};
  time_t t = timegm(&tm);
  *us = ((int64_t)t - (int64_t)offset_min * 60) * 1000000 + frac;
  return 0;
}

int time_parse_duration(const char *s, int64_t *us) {
  int64_t total = 0;
  const char *p = s;
  if (!*p) return -EINVAL;
  while (*p) {
    if (!isdigit((unsigned char)*p)) return -EINVAL;
    int64_t n = 0;
    for (; isdigit((unsigned char)*p); p++) {
      n = n * 10 + (*p - '0');
      if (n > 1000000000) return -EINVAL;
    }
    int64_t unit;
    if (strncmp(p, "ms", 2) == 0) unit = 1000, p += 2;
    else if (*p == 's') unit = 1000000, p++;
    else if (*p == 'm') unit = 60 * 1000000LL, p++;
    else if (*p == 'h') unit = 3600 * 1000000LL, p++;
    else if (*p == 'd') unit = 86400 * 1000000LL, p++;
    else return -EINVAL;
    total += n * unit;
  }
  *us = total;
  return 0;
}

int time_parse_since(const char *s, int64_t now_us, int64_t *since_us) {
  int64_t d;
  if (time_parse_duration(s, &d) == 0) {
    *since_us = now_us - d;
    return 0;
  }
  return time_parse_rfc3339(s, since_us, NULL);
}

void time_format_age(int64_t us, char *buf, size_t len) {
  int64_t s = us < 0 ? 0 : us / 1000000;
  if (s < 60) snprintf(buf, len, "%llds", (long long)s);
  else if (s < 3600) snprintf(buf, len, "%lldm", (long long)(s / 60));
  else if (s < 48 * 3600) snprintf(buf, len, "%lldh", (long long)(s / 3600));
  else snprintf(buf, len, "%lldd", (long long)(s / 86400));
}
