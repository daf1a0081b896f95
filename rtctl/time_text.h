/* Times as rtctl prints and reads them: RFC 3339 timestamps (the stored console logs, the
 * instance state), durations ("10s", "5m", "1h30m") for --since, and "12s"-style ages for ps.
 * Times are microseconds since the Unix epoch, UTC. */
#ifndef RTCTL_TIME_TEXT_H
#define RTCTL_TIME_TEXT_H

#include <stddef.h>
#include <stdint.h>

#define TIME_RFC3339_LEN 28 /* "2025-01-02T03:04:05.123456Z" and its NUL */

int64_t time_now_us(void);

/* "2025-01-02T03:04:05.123456Z". */
void time_format_rfc3339(int64_t us, char buf[TIME_RFC3339_LEN]);

/* YYYY-MM-DD(T|t| )HH:MM:SS[.fraction](Z|z|+HH:MM|-HH:MM). Returns 0 or -EINVAL; *end (when
 * not NULL) is set past the parsed text, otherwise the whole string must be the timestamp. */
int time_parse_rfc3339(const char *s, int64_t *us, const char **end);

/* One or more NUMBER UNIT pairs, units ms, s, m, h, d: "10s", "5m", "2h", "1h30m". */
int time_parse_duration(const char *s, int64_t *us);

/* --since: a duration back from now, or an RFC 3339 timestamp. */
int time_parse_since(const char *s, int64_t now_us, int64_t *since_us);

/* A short age: "12s", "3m", "5h", "2d". */
void time_format_age(int64_t us, char *buf, size_t len);

#endif
