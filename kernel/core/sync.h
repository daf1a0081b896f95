/* Sleeping locks for kernel threads: mutex (optionally recursive), reader-writer lock,
 * condition variable with timeout, counting semaphore. Deadlines are monotonic nanoseconds;
 * 0 means no deadline. Timed waits return false on timeout. */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "sched.h"

/* The layouts fit glibc's pthread types (kernel/libc/glibc), which wrap them: an all-zero
 * object is a valid unlocked one, and a mutex's kind sits where glibc keeps it (offset 16). */
enum mutex_kind { MUTEX_PLAIN = 0, MUTEX_RECURSIVE = 1, MUTEX_ERRORCHECK = 2 };
struct mutex { struct thread *owner; unsigned depth, reserved; int kind, reserved2; struct wait_queue waiters; };
struct rwlock { int readers; struct thread *writer; struct wait_queue waiters; };
struct condvar { struct wait_queue waiters; int clock; };
struct semaphore { unsigned count; struct wait_queue waiters; };

#define MUTEX_INIT { 0, 0, 0, MUTEX_PLAIN, 0, { 0, 0 } }
#define RECURSIVE_MUTEX_INIT { 0, 0, 0, MUTEX_RECURSIVE, 0, { 0, 0 } }

void mutex_init(struct mutex *m, bool recursive);
bool mutex_lock_until(struct mutex *m, uint64_t deadline_ns);
void mutex_lock(struct mutex *m);
bool mutex_trylock(struct mutex *m);
/* Returns false when the caller does not own the mutex. */
bool mutex_unlock(struct mutex *m);

void rwlock_init(struct rwlock *l);
void rwlock_read_lock(struct rwlock *l);
void rwlock_write_lock(struct rwlock *l);
bool rwlock_try_read_lock(struct rwlock *l);
bool rwlock_try_write_lock(struct rwlock *l);
void rwlock_unlock(struct rwlock *l);

void condvar_init(struct condvar *c);
/* Releases `m` while waiting and holds it again on return (also on timeout). */
bool condvar_wait_until(struct condvar *c, struct mutex *m, uint64_t deadline_ns);
void condvar_signal(struct condvar *c);
void condvar_broadcast(struct condvar *c);

void semaphore_init(struct semaphore *s, unsigned count);
bool semaphore_wait_until(struct semaphore *s, uint64_t deadline_ns);
bool semaphore_trywait(struct semaphore *s);
void semaphore_post(struct semaphore *s);
