/* newlib on the kernel: formatted floats, the heap, per-thread errno, time(), randomness. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/time.h>
#include "selftest.h"
#include "../core/random.h"
#include "../core/sched.h"

static const char *printf_float(void) {
  char buf[64];
  snprintf(buf, sizeof buf, "%f|%.3f|%g|%e", 3.25, 2.0 / 3, 1e-5, 12345.678);
  const char *want = "3.250000|0.667|1e-05|1.234568e+04";
  if (strcmp(buf, want)) return selftest_fail("got \"%s\", want \"%s\"", buf, want);
  if (strtod("2.5e3", 0) != 2500.0) return "strtod is wrong";
  return 0;
}

static const char *heap(void) {
  size_t big = 64u << 20;
  char *p = malloc(big);
  if (!p) return "malloc of 64 MiB failed";
  memset(p, 1, big);
  free(p);
  void *many[1000];
  for (int i = 0; i < 1000; i++)
    if (!(many[i] = malloc((size_t)(i % 97) * 16 + 1))) return "small mallocs failed";
  for (int i = 0; i < 1000; i++) free(many[i]);
  return 0;
}

static void *set_errno(void *arg) {
  errno = (int)(intptr_t)arg;
  thread_sleep_ns(2000000);
  return (void *)(intptr_t)errno;
}

static const char *errno_per_thread(void) {
  errno = 0;
  struct thread *t = thread_create("errno", set_errno, (void *)(intptr_t)ERANGE, 0);
  if (!t) return "cannot create a thread";
  thread_sleep_ns(1000000);
  if (errno != 0) return "another thread's errno leaked into this one";
  if ((intptr_t)thread_join(t) != ERANGE) return "a thread lost its own errno";
  if (fopen("/no/such/file", "r") || errno != ENOENT) return "fopen of a missing file did not fail with ENOENT";
  return 0;
}

static const char *time_of_day(void) {
  struct timeval tv;
  if (gettimeofday(&tv, 0)) return "gettimeofday failed";
  time_t now = time(0);
  if (now < 1735689600 || now - tv.tv_sec > 1) return "time() disagrees with gettimeofday()";
  return 0;
}

static const char *randomness(void) {
  uint8_t a[32], b[32], zero[32] = { 0 };
  random_bytes(a, sizeof a);
  random_bytes(b, sizeof b);
  if (!memcmp(a, b, sizeof a)) return "two random draws are equal";
  if (!memcmp(a, zero, sizeof a)) return "random bytes are all zero";
  return 0;
}

const struct selftest selftests_libc[] = {
  { "libc.printf_float", printf_float },
  { "libc.heap", heap },
  { "libc.errno_per_thread", errno_per_thread },
  { "libc.time_of_day", time_of_day },
  { "libc.random", randomness },
  { 0, 0 },
};
