/* Clocks, sleeping and broken-down time with glibc's clock ids and struct tm. The kernel has
 * no time zones: local time is UTC. */
#include <errno.h>
#include <stdint.h>
#include "glibc_abi.h"
#include "../../core/clock.h"
#include "../../core/sched.h"
#include "../../drivers/rtc.h"

int glibc_clock_gettime(int clock, struct glibc_timespec *ts) {
  int64_t ns;
  switch (clock) {
  case GLIBC_CLOCK_REALTIME:
  case GLIBC_CLOCK_REALTIME_COARSE: ns = clock_realtime_ns(); break;
  case GLIBC_CLOCK_MONOTONIC:
  case GLIBC_CLOCK_MONOTONIC_RAW:
  case GLIBC_CLOCK_MONOTONIC_COARSE:
  case GLIBC_CLOCK_BOOTTIME: ns = (int64_t)clock_monotonic_ns(); break;
  case GLIBC_CLOCK_THREAD_CPUTIME_ID: ns = (int64_t)thread_cpu_ns(thread_current()); break;
  case GLIBC_CLOCK_PROCESS_CPUTIME_ID: ns = (int64_t)(clock_monotonic_ns() - thread_cpu_ns(sched_idle_thread())); break;
  default: errno = EINVAL; return -1;
  }
  ts->tv_sec = ns / 1000000000;
  ts->tv_nsec = ns % 1000000000;
  return 0;
}

int clock_getres(int clock, struct glibc_timespec *res) {
  if (clock < GLIBC_CLOCK_REALTIME || clock > GLIBC_CLOCK_BOOTTIME) { errno = EINVAL; return -1; }
  if (res) *res = (struct glibc_timespec){ 0, 1 };
  return 0;
}

int nanosleep(const struct glibc_timespec *req, struct glibc_timespec *rem) {
  if (req->tv_nsec < 0 || req->tv_nsec >= 1000000000 || req->tv_sec < 0) { errno = EINVAL; return -1; }
  thread_sleep_ns((uint64_t)req->tv_sec * 1000000000 + (uint64_t)req->tv_nsec);
  if (rem) *rem = (struct glibc_timespec){ 0, 0 };
  return 0;
}

int usleep(unsigned us) { thread_sleep_ns((uint64_t)us * 1000); return 0; }
int sched_yield(void) { thread_yield(); return 0; }

static struct glibc_tm *broken_down(int64_t t, struct glibc_tm *tm) {
  int64_t days = t / 86400, secs = t % 86400;
  if (secs < 0) { secs += 86400; days--; }
  /* civil_from_days (H. Hinnant's algorithm). */
  int64_t z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  unsigned doe = (unsigned)(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = (int64_t)yoe + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153, d = doy - (153 * mp + 2) / 5 + 1, m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
  *tm = (struct glibc_tm){
    .tm_sec = (int)(secs % 60), .tm_min = (int)(secs / 60 % 60), .tm_hour = (int)(secs / 3600),
    .tm_mday = (int)d, .tm_mon = (int)m - 1, .tm_year = (int)(y - 1900),
    .tm_wday = (int)((days % 7 + 11) % 7), .tm_isdst = 0, .tm_gmtoff = 0, .tm_zone = "UTC",
  };
  tm->tm_yday = (int)(days - days_from_civil(y, 1, 1));
  return tm;
}

struct glibc_tm *glibc_gmtime_r(const int64_t *t, struct glibc_tm *tm) { return broken_down(*t, tm); }
struct glibc_tm *glibc_localtime_r(const int64_t *t, struct glibc_tm *tm) { return broken_down(*t, tm); }
struct glibc_tm *glibc_gmtime(const int64_t *t) { static _Thread_local struct glibc_tm tm; return broken_down(*t, &tm); }
struct glibc_tm *glibc_localtime(const int64_t *t) { return glibc_gmtime(t); }
