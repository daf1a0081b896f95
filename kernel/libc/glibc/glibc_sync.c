/* pthread mutex, condition variable, reader-writer lock and POSIX semaphores, with glibc's
 * object sizes, on the kernel's sleeping locks (core/sync.h). Return values and errno as
 * glibc documents them. */
#include <errno.h>
#include <stdint.h>
#include "glibc_abi.h"
#include "../../core/clock.h"
#include "../../core/sync.h"

typedef union { struct mutex m; char size[40]; } glibc_mutex_t;
typedef union { int kind; char size[4]; } glibc_mutexattr_t;
typedef union { struct condvar c; char size[48]; } glibc_cond_t;
typedef union { int clock; char size[4]; } glibc_condattr_t;
typedef union { struct rwlock l; char size[56]; } glibc_rwlock_t;
typedef union { struct semaphore s; char size[32]; } glibc_sem_t;
_Static_assert(sizeof(struct mutex) == 40, "pthread_mutex_t is 40 bytes");
_Static_assert(sizeof(struct condvar) <= 48 && sizeof(struct rwlock) <= 56 && sizeof(struct semaphore) <= 32, "sizes");

/* Absolute time on `clock` (a glibc clock id) to a monotonic deadline (0: none). */
static uint64_t deadline_from(const struct glibc_timespec *abs, int clock) {
  if (abs->tv_sec > INT64_MAX / 1000000000 - 1) return 0;   /* practically never: no deadline */
  int64_t abs_ns = abs->tv_sec * 1000000000ll + abs->tv_nsec;
  int64_t now_mono = (int64_t)clock_monotonic_ns();
  int64_t now = clock == GLIBC_CLOCK_MONOTONIC ? now_mono : clock_realtime_ns();
  int64_t d = now_mono + (abs_ns - now);
  return d > 0 ? (uint64_t)d : 1;
}

int pthread_mutexattr_init(glibc_mutexattr_t *a) { a->kind = MUTEX_PLAIN; return 0; }
int pthread_mutexattr_destroy(glibc_mutexattr_t *a) { (void)a; return 0; }
int pthread_mutexattr_settype(glibc_mutexattr_t *a, int kind) {
  if (kind < MUTEX_PLAIN || kind > MUTEX_ERRORCHECK) return EINVAL;
  a->kind = kind;
  return 0;
}

int pthread_mutex_init(glibc_mutex_t *m, const glibc_mutexattr_t *a) {
  m->m = (struct mutex){ .kind = a ? a->kind : MUTEX_PLAIN };
  return 0;
}
int pthread_mutex_destroy(glibc_mutex_t *m) { return m->m.owner ? EBUSY : 0; }
int pthread_mutex_lock(glibc_mutex_t *m) {
  if (m->m.kind == MUTEX_ERRORCHECK && m->m.owner == thread_current()) return GLIBC_EDEADLK;
  mutex_lock(&m->m);
  return 0;
}
int pthread_mutex_trylock(glibc_mutex_t *m) { return mutex_trylock(&m->m) ? 0 : EBUSY; }
int pthread_mutex_unlock(glibc_mutex_t *m) { return mutex_unlock(&m->m) ? 0 : EPERM; }

int pthread_condattr_init(glibc_condattr_t *a) { a->clock = GLIBC_CLOCK_REALTIME; return 0; }
int pthread_condattr_destroy(glibc_condattr_t *a) { (void)a; return 0; }
int pthread_condattr_setclock(glibc_condattr_t *a, int clock) {
  if (clock != GLIBC_CLOCK_REALTIME && clock != GLIBC_CLOCK_MONOTONIC) return EINVAL;
  a->clock = clock;
  return 0;
}
int pthread_cond_init(glibc_cond_t *c, const glibc_condattr_t *a) {
  c->c = (struct condvar){ .clock = a ? a->clock : GLIBC_CLOCK_REALTIME };
  return 0;
}
int pthread_cond_destroy(glibc_cond_t *c) { return c->c.waiters.head ? EBUSY : 0; }
int pthread_cond_signal(glibc_cond_t *c) { condvar_signal(&c->c); return 0; }
int pthread_cond_broadcast(glibc_cond_t *c) { condvar_broadcast(&c->c); return 0; }
int pthread_cond_wait(glibc_cond_t *c, glibc_mutex_t *m) {
  condvar_wait_until(&c->c, &m->m, 0);
  return 0;
}
int pthread_cond_timedwait(glibc_cond_t *c, glibc_mutex_t *m, const struct glibc_timespec *abs) {
  if (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000) return EINVAL;
  return condvar_wait_until(&c->c, &m->m, deadline_from(abs, c->c.clock)) ? 0 : GLIBC_ETIMEDOUT;
}

int pthread_rwlock_init(glibc_rwlock_t *l, const void *attr) { (void)attr; rwlock_init(&l->l); return 0; }
int pthread_rwlock_destroy(glibc_rwlock_t *l) { return l->l.readers || l->l.writer ? EBUSY : 0; }
int pthread_rwlock_rdlock(glibc_rwlock_t *l) { rwlock_read_lock(&l->l); return 0; }
int pthread_rwlock_wrlock(glibc_rwlock_t *l) { rwlock_write_lock(&l->l); return 0; }
int pthread_rwlock_tryrdlock(glibc_rwlock_t *l) { return rwlock_try_read_lock(&l->l) ? 0 : EBUSY; }
int pthread_rwlock_trywrlock(glibc_rwlock_t *l) { return rwlock_try_write_lock(&l->l) ? 0 : EBUSY; }
int pthread_rwlock_unlock(glibc_rwlock_t *l) { rwlock_unlock(&l->l); return 0; }

int sem_init(glibc_sem_t *s, int pshared, unsigned value) {
  (void)pshared;
  semaphore_init(&s->s, value);
  return 0;
}
int sem_destroy(glibc_sem_t *s) { (void)s; return 0; }
int sem_post(glibc_sem_t *s) { semaphore_post(&s->s); return 0; }
int sem_wait(glibc_sem_t *s) { semaphore_wait_until(&s->s, 0); return 0; }
int sem_trywait(glibc_sem_t *s) {
  if (semaphore_trywait(&s->s)) return 0;
  errno = EAGAIN;
  return -1;
}
int sem_timedwait(glibc_sem_t *s, const struct glibc_timespec *abs) {
  if (abs->tv_nsec < 0 || abs->tv_nsec >= 1000000000) { errno = EINVAL; return -1; }
  if (semaphore_wait_until(&s->s, deadline_from(abs, GLIBC_CLOCK_REALTIME))) return 0;
  errno = GLIBC_ETIMEDOUT;
  return -1;
}
