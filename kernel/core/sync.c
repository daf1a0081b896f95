#include "sync.h"
#include "clock.h"
#include "../arch/x86_64/cpu.h"

void mutex_init(struct mutex *m, bool recursive) { *m = (struct mutex){ .kind = recursive ? MUTEX_RECURSIVE : MUTEX_PLAIN }; }

static bool deadline_passed(uint64_t d) { return d && clock_monotonic_ns() >= d; }

bool mutex_lock_until(struct mutex *m, uint64_t deadline_ns) {
  struct thread *self = thread_current();
  uint64_t flags = irq_save();
  bool ok = true;
  if (m->owner == self && m->kind == MUTEX_RECURSIVE) {
    m->depth++;
  } else {
    while (m->owner && ok) ok = thread_block(&m->waiters, deadline_ns) || !deadline_passed(deadline_ns);
    if (!m->owner) {
      m->owner = self;
      m->depth = 1;
      ok = true;
    }
  }
  irq_restore(flags);
  return ok;
}

void mutex_lock(struct mutex *m) { mutex_lock_until(m, 0); }

bool mutex_trylock(struct mutex *m) {
  uint64_t flags = irq_save();
  bool ok = false;
  if (!m->owner) {
    m->owner = thread_current();
    m->depth = 1;
    ok = true;
  } else if (m->owner == thread_current() && m->kind == MUTEX_RECURSIVE) {
    m->depth++;
    ok = true;
  }
  irq_restore(flags);
  return ok;
}

bool mutex_unlock(struct mutex *m) {
  uint64_t flags = irq_save();
  bool ok = m->owner == thread_current();
  if (ok && --m->depth == 0) {
    m->owner = 0;
    thread_wake_one(&m->waiters);
  }
  irq_restore(flags);
  return ok;
}

void rwlock_init(struct rwlock *l) { *l = (struct rwlock){ 0 }; }

bool rwlock_try_read_lock(struct rwlock *l) {
  uint64_t flags = irq_save();
  bool ok = !l->writer;
  if (ok) l->readers++;
  irq_restore(flags);
  return ok;
}

bool rwlock_try_write_lock(struct rwlock *l) {
  uint64_t flags = irq_save();
  bool ok = !l->writer && !l->readers;
  if (ok) l->writer = thread_current();
  irq_restore(flags);
  return ok;
}

void rwlock_read_lock(struct rwlock *l) {
  uint64_t flags = irq_save();
  while (l->writer) thread_block(&l->waiters, 0);
  l->readers++;
  irq_restore(flags);
}

void rwlock_write_lock(struct rwlock *l) {
  uint64_t flags = irq_save();
  while (l->writer || l->readers) thread_block(&l->waiters, 0);
  l->writer = thread_current();
  irq_restore(flags);
}

void rwlock_unlock(struct rwlock *l) {
  uint64_t flags = irq_save();
  if (l->writer == thread_current()) l->writer = 0;
  else if (l->readers > 0) l->readers--;
  if (!l->writer && !l->readers) thread_wake_all(&l->waiters);
  irq_restore(flags);
}

void condvar_init(struct condvar *c) { *c = (struct condvar){ 0 }; }

bool condvar_wait_until(struct condvar *c, struct mutex *m, uint64_t deadline_ns) {
  uint64_t flags = irq_save();
  /* Interrupts stay off from unlock to block: a signal cannot slip in between. */
  unsigned depth = m->depth;
  m->depth = 1;
  mutex_unlock(m);
  bool woken = thread_block(&c->waiters, deadline_ns);
  mutex_lock(m);
  m->depth = depth;
  irq_restore(flags);
  return woken;
}

void condvar_signal(struct condvar *c) { thread_wake_one(&c->waiters); }
void condvar_broadcast(struct condvar *c) { thread_wake_all(&c->waiters); }

void semaphore_init(struct semaphore *s, unsigned count) { *s = (struct semaphore){ .count = count }; }

bool semaphore_wait_until(struct semaphore *s, uint64_t deadline_ns) {
  uint64_t flags = irq_save();
  while (!s->count) {
    if (!thread_block(&s->waiters, deadline_ns) && !s->count) {
      irq_restore(flags);
      return false;
    }
  }
  s->count--;
  irq_restore(flags);
  return true;
}

bool semaphore_trywait(struct semaphore *s) {
  uint64_t flags = irq_save();
  bool ok = s->count > 0;
  if (ok) s->count--;
  irq_restore(flags);
  return ok;
}

void semaphore_post(struct semaphore *s) {
  uint64_t flags = irq_save();
  s->count++;
  thread_wake_one(&s->waiters);
  irq_restore(flags);
}
