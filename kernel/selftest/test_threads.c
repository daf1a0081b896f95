/* Threads: preemption of busy threads, per-thread TLS, and the sleeping locks. */
#include <stdint.h>
#include "selftest.h"
#include "../core/clock.h"
#include "../core/sched.h"
#include "../core/sync.h"

static volatile uint64_t spin_count[2];
static volatile bool spin_stop;

static void *spin(void *arg) {
  int i = (int)(intptr_t)arg;
  while (!spin_stop) spin_count[i]++;   /* never yields: only preemption lets others run */
  return 0;
}

static const char *preemption(void) {
  spin_stop = false;
  spin_count[0] = spin_count[1] = 0;
  struct thread *a = thread_create("spin-a", spin, (void *)0, 0), *b = thread_create("spin-b", spin, (void *)1, 0);
  if (!a || !b) return "cannot create threads";
  uint64_t samples[4][2];
  for (int s = 0; s < 4; s++) {
    thread_sleep_ns(50 * 1000000ull);
    samples[s][0] = spin_count[0];
    samples[s][1] = spin_count[1];
  }
  spin_stop = true;
  thread_join(a);
  thread_join(b);
  for (int s = 1; s < 4; s++)
    for (int i = 0; i < 2; i++)
      if (samples[s][i] <= samples[s - 1][i])
        return selftest_fail("busy thread %d made no progress in window %d (%lu -> %lu)", i, s, samples[s - 1][i], samples[s][i]);
  return 0;
}

static _Thread_local int tls_value = 7;
static _Thread_local char tls_zeroed[64];

static void *tls_worker(void *arg) {
  int id = (int)(intptr_t)arg;
  if (tls_value != 7) return (void *)1;
  for (int i = 0; i < 64; i++)
    if (tls_zeroed[i]) return (void *)2;
  tls_value = id;
  tls_zeroed[0] = (char)id;
  thread_sleep_ns(5 * 1000000ull);    /* other workers run and set theirs meanwhile */
  if (tls_value != id || tls_zeroed[0] != id) return (void *)3;
  return (void *)&tls_value;
}

static const char *tls(void) {
  struct thread *t[3];
  for (int i = 0; i < 3; i++)
    if (!(t[i] = thread_create("tls", tls_worker, (void *)(intptr_t)(100 + i), 0))) return "cannot create threads";
  void *addr[3];
  for (int i = 0; i < 3; i++) addr[i] = thread_join(t[i]);
  for (int i = 0; i < 3; i++) {
    if ((uintptr_t)addr[i] < 16) return selftest_fail("worker %d saw a wrong TLS value (case %lu)", i, (uintptr_t)addr[i]);
    if (addr[i] == &tls_value) return "a worker's TLS variable is the main thread's";
    for (int j = 0; j < i; j++)
      if (addr[i] == addr[j]) return "two threads share a TLS variable";
  }
  if (tls_value != 7) return "the main thread's TLS value changed";
  uint64_t canary;
  __asm__ volatile("mov %%fs:0x28, %0" : "=r"(canary));
  if (!canary) return "no stack-protector canary at %fs:0x28";
  return 0;
}

static struct mutex counter_lock = MUTEX_INIT;
static uint64_t counter;

static void *count_up(void *arg) {
  (void)arg;
  for (int i = 0; i < 500; i++) {
    mutex_lock(&counter_lock);
    uint64_t v = counter;
    if (i % 50 == 0) thread_yield();   /* others must wait for the lock, not race */
    counter = v + 1;
    mutex_unlock(&counter_lock);
  }
  return 0;
}

static const char *mutex(void) {
  counter = 0;
  struct thread *t[4];
  for (int i = 0; i < 4; i++)
    if (!(t[i] = thread_create("count", count_up, 0, 0))) return "cannot create threads";
  for (int i = 0; i < 4; i++) thread_join(t[i]);
  if (counter != 2000) return selftest_fail("counter is %lu, expected 2000", counter);
  struct mutex r;
  mutex_init(&r, true);
  mutex_lock(&r);
  if (!mutex_trylock(&r)) return "a recursive mutex cannot be taken twice by its owner";
  mutex_unlock(&r);
  mutex_unlock(&r);
  if (r.owner) return "a recursive mutex is still held after two unlocks";
  struct mutex plain = MUTEX_INIT;
  mutex_lock(&plain);
  if (mutex_trylock(&plain)) return "a plain mutex was taken twice";
  mutex_unlock(&plain);
  return 0;
}

static const char *condvar_timeout(void) {
  struct mutex m = MUTEX_INIT;
  struct condvar c;
  condvar_init(&c);
  mutex_lock(&m);
  uint64_t t0 = clock_monotonic_ns(), deadline = t0 + 5 * 1000000ull;
  bool woken = condvar_wait_until(&c, &m, deadline);
  uint64_t t1 = clock_monotonic_ns();
  if (m.owner != thread_current()) return "the mutex is not held after the wait";
  mutex_unlock(&m);
  if (woken) return "the wait reports a wake-up nobody sent";
  if (t1 < deadline) return selftest_fail("the wait ended %lu us early", (deadline - t1) / 1000);
  if (t1 - deadline > selftest_slack_ns) return selftest_fail("the wait ended %lu us late", (t1 - deadline) / 1000);
  return 0;
}

static struct semaphore items;
static struct condvar ready_cv;
static struct mutex ready_lock = MUTEX_INIT;
static int produced;

static void *producer(void *arg) {
  (void)arg;
  for (int i = 0; i < 10; i++) {
    thread_sleep_ns(200000);
    semaphore_post(&items);
  }
  mutex_lock(&ready_lock);
  produced = 10;
  condvar_signal(&ready_cv);
  mutex_unlock(&ready_lock);
  return 0;
}

static const char *semaphore_and_signal(void) {
  semaphore_init(&items, 0);
  condvar_init(&ready_cv);
  produced = 0;
  if (semaphore_trywait(&items)) return "an empty semaphore was taken";
  struct thread *p = thread_create("producer", producer, 0, 0);
  if (!p) return "cannot create a thread";
  for (int i = 0; i < 10; i++)
    if (!semaphore_wait_until(&items, clock_monotonic_ns() + 1000000000ull)) return "the semaphore wait timed out";
  mutex_lock(&ready_lock);
  while (!produced)
    if (!condvar_wait_until(&ready_cv, &ready_lock, clock_monotonic_ns() + 1000000000ull)) break;
  mutex_unlock(&ready_lock);
  thread_join(p);
  if (produced != 10) return "the condition variable signal was lost";
  return 0;
}

static const char *rwlock(void) {
  struct rwlock l;
  rwlock_init(&l);
  rwlock_read_lock(&l);
  if (!rwlock_try_read_lock(&l)) return "a second reader was refused";
  if (rwlock_try_write_lock(&l)) return "a writer got in beside readers";
  rwlock_unlock(&l);
  rwlock_unlock(&l);
  if (!rwlock_try_write_lock(&l)) return "a writer was refused on a free lock";
  if (rwlock_try_read_lock(&l)) return "a reader got in beside a writer";
  rwlock_unlock(&l);
  return 0;
}

const struct selftest selftests_threads[] = {
  { "threads.preemption", preemption },
  { "threads.tls", tls },
  { "threads.mutex", mutex },
  { "threads.condvar_timeout", condvar_timeout },
  { "threads.semaphore", semaphore_and_signal },
  { "threads.rwlock", rwlock },
  { 0, 0 },
};
