#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "selftest.h"
#include <stdlib.h>
#include "../core/clock.h"
#include "../core/cmdline.h"
#include "../core/log.h"
#include "../core/machine.h"

const char *selftest_fail(const char *fmt, ...) {
  static char buf[256];
  va_list ap;
  va_start(ap, fmt);
  vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  return buf;
}

/* Called through a pointer so the compiler cannot prove the write is undefined and drop it. */
__attribute__((noinline)) static void selftest_crash_null_write(volatile int *p) { *p = 42; }
static void (*volatile crash)(volatile int *) = selftest_crash_null_write;

uint64_t selftest_slack_ns = 1000000;

int selftest_run(const char *which, const char *cmdline) {
  char slack[24];
  if (cmdline_get(cmdline, "selftest_slack_us", slack, sizeof slack)) selftest_slack_ns = strtoull(slack, 0, 10) * 1000;
  if (selftest_slack_ns != 1000000) kprintf("selftest: timing slack %lu us\n", selftest_slack_ns / 1000);
  if (!strcmp(which, "crash")) {
    kprintf("selftest: writing to address 0 on purpose: a fault report must follow\n");
    crash(0);
    kprintf("selftest: crash FAILED: the write to address 0 did not fault\n");
    return EXIT_SELFTEST_FAILED;
  }
  const struct selftest *groups[] = { selftests_memory, selftests_threads, selftests_time, selftests_libc, selftests_glibc };
  int passed = 0, failed = 0;
  for (size_t g = 0; g < sizeof groups / sizeof *groups; g++) {
    for (const struct selftest *t = groups[g]; t->name; t++) {
      if (*which && strcmp(which, t->name)) continue;
      uint64_t t0 = clock_monotonic_ns();
      const char *why = t->fn();
      uint64_t us = (clock_monotonic_ns() - t0) / 1000;
      if (why) {
        kprintf("selftest: %s FAILED: %s\n", t->name, why);
        failed++;
      } else {
        kprintf("selftest: %s ok (%lu us)\n", t->name, us);
        passed++;
      }
    }
  }
  if (!passed && !failed) {
    kprintf("selftest: no test named '%s'\n", which);
    return EXIT_SELFTEST_FAILED;
  }
  kprintf("selftest: %d passed, %d failed\n", passed, failed);
  return failed ? EXIT_SELFTEST_FAILED : EXIT_OK;
}
