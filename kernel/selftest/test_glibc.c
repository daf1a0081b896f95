/* The glibc ABI layer (libc/glibc) as V8 and libstdc++ see it: glibc's constants, structure
 * layouts and error conventions, on the kernel's memory, clocks and locks. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "selftest.h"
#include "../arch/x86_64/fault.h"
#include "../core/clock.h"
#include "../core/sched.h"
#include "../libc/glibc/glibc_abi.h"

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off);
int munmap(void *addr, size_t len);
int mprotect(void *addr, size_t len, int prot);
int madvise(void *addr, size_t len, int advice);
long glibc_sysconf(int name);
int glibc_clock_gettime(int clock, struct glibc_timespec *ts);
struct glibc_tm *glibc_gmtime_r(const int64_t *t, struct glibc_tm *tm);
int pthread_mutex_lock(void *m);
int pthread_mutex_trylock(void *m);
int pthread_mutex_unlock(void *m);
int pthread_cond_timedwait(void *c, void *m, const struct glibc_timespec *abs);
int pthread_condattr_init(void *a);
int pthread_condattr_setclock(void *a, int clock);
int pthread_cond_init(void *c, const void *a);
long syscall(long number, ...);
int pthread_key_create(unsigned *key, void (*destructor)(void *));
int pthread_key_delete(unsigned key);
void *pthread_getspecific(unsigned key);
int pthread_setspecific(unsigned key, const void *value);

static const char *memory(void) {
  if (glibc_sysconf(GLIBC_SC_PAGESIZE) != 4096) return "sysconf(_SC_PAGESIZE) is not 4096";
  size_t len = 64 * 1024;
  uint8_t *p = mmap(0, len, GLIBC_PROT_NONE, GLIBC_MAP_PRIVATE | GLIBC_MAP_ANONYMOUS | GLIBC_MAP_NORESERVE, -1, 0);
  if (p == GLIBC_MAP_FAILED) return "mmap of a PROT_NONE reservation failed";
  if (!probe_read(p)) return "a PROT_NONE mapping is readable";
  if (mprotect(p, len, GLIBC_PROT_READ | GLIBC_PROT_WRITE)) return "mprotect to read-write failed";
  for (size_t i = 0; i < len; i++) if (p[i]) return "fresh anonymous memory is not zero";
  memset(p, 0x5a, len);
  if (mprotect(p, len, GLIBC_PROT_READ | GLIBC_PROT_EXEC)) return "mprotect to read-execute failed";
  if (!probe_write(p, 1)) return "a read-execute mapping is writable";
  if (p[100] != 0x5a) return "changing the protection lost the contents";
  if (mprotect(p, len, GLIBC_PROT_READ | GLIBC_PROT_WRITE) || madvise(p, 4096, GLIBC_MADV_DONTNEED)) return "madvise failed";
  if (p[100] != 0 || p[4096] != 0x5a) return "MADV_DONTNEED did not zero exactly its range";
  if (mmap(p + 4096, 4096, GLIBC_PROT_READ, GLIBC_MAP_PRIVATE | GLIBC_MAP_ANONYMOUS | GLIBC_MAP_FIXED, -1, 0) != p + 4096)
    return "MAP_FIXED over a mapping failed";
  if (p[4096] != 0 || !probe_write(p + 4096, 1)) return "MAP_FIXED did not give fresh read-only pages";
  if (munmap(p, len)) return "munmap failed";
  if (!probe_read(p + 8192)) return "unmapped memory is readable";
  if (mmap(0, 4096, GLIBC_PROT_READ, GLIBC_MAP_SHARED | GLIBC_MAP_ANONYMOUS, -1, 0) != GLIBC_MAP_FAILED || errno != EINVAL)
    return "a shared mapping did not fail with EINVAL";
  return 0;
}

static const char *clocks(void) {
  struct glibc_timespec ts;
  uint64_t before = clock_monotonic_ns();
  if (glibc_clock_gettime(GLIBC_CLOCK_MONOTONIC, &ts)) return "CLOCK_MONOTONIC (1) failed";
  uint64_t got = (uint64_t)ts.tv_sec * 1000000000 + (uint64_t)ts.tv_nsec, after = clock_monotonic_ns();
  if (got < before || got > after) return "CLOCK_MONOTONIC is not the kernel's monotonic clock";
  if (glibc_clock_gettime(GLIBC_CLOCK_REALTIME, &ts) || ts.tv_sec < 1735689600) return "CLOCK_REALTIME is wrong";
  struct glibc_timespec a, b;
  glibc_clock_gettime(GLIBC_CLOCK_THREAD_CPUTIME_ID, &a);
  for (volatile int i = 0; i < 2000000; i++) {}
  glibc_clock_gettime(GLIBC_CLOCK_THREAD_CPUTIME_ID, &b);
  if (b.tv_sec * 1000000000 + b.tv_nsec <= a.tv_sec * 1000000000 + a.tv_nsec) return "thread CPU time does not advance";
  if (glibc_clock_gettime(99, &ts) != -1 || errno != EINVAL) return "an unknown clock did not fail with EINVAL";
  int64_t t = 1796389500;   /* 2026-12-04 13:05:00 UTC, a Friday */
  struct glibc_tm tm;
  glibc_gmtime_r(&t, &tm);
  if (tm.tm_year != 126 || tm.tm_mon != 11 || tm.tm_mday != 4 || tm.tm_hour != 13 || tm.tm_min != 5 ||
      tm.tm_wday != 5 || tm.tm_yday != 337 || tm.tm_gmtoff != 0 || strcmp(tm.tm_zone, "UTC"))
    return selftest_fail("gmtime_r gave %d-%d-%d %d:%d wday %d yday %d", tm.tm_year, tm.tm_mon, tm.tm_mday,
                         tm.tm_hour, tm.tm_min, tm.tm_wday, tm.tm_yday);
  return 0;
}

static const char *locks(void) {
  /* PTHREAD_MUTEX_INITIALIZER is all zeros; glibc's recursive static initializer puts kind 1 at
   * offset 16 (PTHREAD_RECURSIVE_MUTEX_INITIALIZER_NP). */
  uint8_t plain[40] = { 0 }, recursive[40] = { 0 };
  recursive[16] = 1;
  if (pthread_mutex_lock(plain) || pthread_mutex_trylock(plain) != EBUSY || pthread_mutex_unlock(plain))
    return "a zero-initialised mutex does not behave";
  if (pthread_mutex_lock(recursive) || pthread_mutex_lock(recursive) || pthread_mutex_unlock(recursive) ||
      pthread_mutex_unlock(recursive))
    return "glibc's static recursive mutex is not recursive";
  if (pthread_mutex_unlock(plain) != EPERM) return "unlocking a mutex one does not own did not give EPERM";
  uint8_t cond[48] = { 0 }, attr[4];
  pthread_condattr_init(attr);
  pthread_condattr_setclock(attr, GLIBC_CLOCK_MONOTONIC);
  pthread_cond_init(cond, attr);
  struct glibc_timespec now;
  glibc_clock_gettime(GLIBC_CLOCK_MONOTONIC, &now);
  struct glibc_timespec abs = { now.tv_sec, now.tv_nsec + 2000000 };
  if (abs.tv_nsec >= 1000000000) { abs.tv_sec++; abs.tv_nsec -= 1000000000; }
  pthread_mutex_lock(plain);
  int rc = pthread_cond_timedwait(cond, plain, &abs);
  pthread_mutex_unlock(plain);
  if (rc != GLIBC_ETIMEDOUT) return selftest_fail("pthread_cond_timedwait returned %d, not glibc's ETIMEDOUT (110)", rc);
  unsigned k1, k2;
  static int value;
  if (pthread_key_create(&k1, 0) || pthread_setspecific(k1, &value) || pthread_getspecific(k1) != &value)
    return "a thread-specific key does not keep its value";
  pthread_key_delete(k1);
  if (pthread_key_create(&k2, 0)) return "cannot create a key";
  if (pthread_getspecific(k2)) return "a new key shows the value stored under a deleted one";
  pthread_key_delete(k2);
  return 0;
}

static int futex_word;
static void *futex_waker(void *arg) {
  (void)arg;
  thread_sleep_ns(2000000);
  __atomic_store_n(&futex_word, 1, __ATOMIC_SEQ_CST);
  syscall(202, &futex_word, 1 | 128, 1);   /* FUTEX_WAKE_PRIVATE, one waiter */
  return 0;
}

static const char *futex(void) {
  futex_word = 0;
  if (syscall(202, &futex_word, 0 | 128, 1, 0) != -1 || errno != EAGAIN) return "FUTEX_WAIT on a changed value did not give EAGAIN";
  struct thread *t = thread_create("futex", futex_waker, 0, 0);
  if (!t) return "cannot create a thread";
  uint64_t t0 = clock_monotonic_ns();
  while (__atomic_load_n(&futex_word, __ATOMIC_SEQ_CST) == 0) syscall(202, &futex_word, 0 | 128, 0, 0);
  thread_join(t);
  if (clock_monotonic_ns() - t0 < 1000000) return "FUTEX_WAIT returned before the wake";
  struct glibc_timespec timeout = { 0, 1000000 };
  if (syscall(202, &futex_word, 0 | 128, 1, &timeout) != -1 || errno != GLIBC_ETIMEDOUT) return "a FUTEX_WAIT timeout is not ETIMEDOUT (110)";
  if (syscall(186) != thread_current()->id + 1) return "gettid is not the thread's id";
  if (syscall(9999) != -1 || errno != GLIBC_ENOSYS) return "an unknown system call is not ENOSYS (38)";
  return 0;
}

const struct selftest selftests_glibc[] = {
  { "glibc.memory", memory },
  { "glibc.clocks", clocks },
  { "glibc.locks", locks },
  { "glibc.futex", futex },
  { 0, 0 },
};
