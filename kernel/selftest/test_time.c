/* Time: sleeps wake within 1 ms of their deadline; the wall clock is today's (the host test
 * compares the printed value with its own clock). */
#include "selftest.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/sched.h"

static const char *sleep_precision(void) {
  static const uint64_t delays_us[] = { 100, 1000, 2000, 3000, 5000, 10000, 20000 };
  uint64_t worst = 0;
  for (size_t i = 0; i < sizeof delays_us / sizeof *delays_us; i++) {
    uint64_t deadline = clock_monotonic_ns() + delays_us[i] * 1000;
    thread_sleep_until(deadline);
    uint64_t now = clock_monotonic_ns();
    if (now < deadline) return selftest_fail("a %lu us sleep woke %lu ns early", delays_us[i], deadline - now);
    if (now - deadline > worst) worst = now - deadline;
  }
  kprintf("selftest: sleep lateness at most %lu us\n", worst / 1000);
  if (worst >= selftest_slack_ns) return selftest_fail("a sleep woke %lu us after its deadline", worst / 1000);
  return 0;
}

static const char *monotonic(void) {
  uint64_t prev = clock_monotonic_ns();
  for (int i = 0; i < 100000; i++) {
    uint64_t now = clock_monotonic_ns();
    if (now < prev) return "the monotonic clock went backwards";
    prev = now;
  }
  return 0;
}

static const char *wall_clock(void) {
  int64_t s = clock_realtime_ns() / 1000000000;
  kprintf("selftest: wallclock %ld\n", (long)s);
  if (s < 1735689600) return selftest_fail("wall clock %ld is before 2025", (long)s);
  return 0;
}

const struct selftest selftests_time[] = {
  { "time.sleep_precision", sleep_precision },
  { "time.monotonic", monotonic },
  { "time.wall_clock", wall_clock },
  { 0, 0 },
};
