/* pthread threads, attributes, thread-specific keys and once, with glibc's object sizes, on
 * kernel threads (core/sched.h). pthread_t is the kernel's struct thread pointer. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "glibc_abi.h"
#include "../../core/sched.h"
#include "../../core/sync.h"
#include "../../arch/x86_64/cpu.h"

typedef uintptr_t glibc_pthread_t;
struct attr { size_t stack_size; void *stack_addr; int detached; };
typedef union { struct attr a; char size[56]; } glibc_pthread_attr_t;

int pthread_attr_init(glibc_pthread_attr_t *a) { a->a = (struct attr){ THREAD_STACK_DEFAULT, 0, 0 }; return 0; }
int pthread_attr_destroy(glibc_pthread_attr_t *a) { (void)a; return 0; }
int pthread_attr_setstacksize(glibc_pthread_attr_t *a, size_t size) {
  if (size < 16384) return EINVAL;
  a->a.stack_size = size;
  return 0;
}
int pthread_attr_getstacksize(const glibc_pthread_attr_t *a, size_t *size) { *size = a->a.stack_size; return 0; }
int pthread_attr_setdetachstate(glibc_pthread_attr_t *a, int detached) { a->a.detached = detached; return 0; }
int pthread_attr_getstack(const glibc_pthread_attr_t *a, void **addr, size_t *size) {
  *addr = a->a.stack_addr;
  *size = a->a.stack_size;
  return 0;
}

int pthread_create(glibc_pthread_t *out, const glibc_pthread_attr_t *attr, void *(*fn)(void *), void *arg) {
  struct thread *t = thread_create("pthread", fn, arg, attr ? attr->a.stack_size : 0);
  if (!t) return EAGAIN;
  if (attr && attr->a.detached) thread_detach(t);
  *out = (glibc_pthread_t)t;
  return 0;
}

glibc_pthread_t pthread_self(void) { return (glibc_pthread_t)thread_current(); }
int pthread_equal(glibc_pthread_t a, glibc_pthread_t b) { return a == b; }

int pthread_join(glibc_pthread_t t, void **result) {
  if ((struct thread *)t == thread_current()) return GLIBC_EDEADLK;
  void *r = thread_join((struct thread *)t);
  if (result) *result = r;
  return 0;
}

int pthread_detach(glibc_pthread_t t) { thread_detach((struct thread *)t); return 0; }

/* The calling thread's stack (V8 finds its stack limit this way). The main thread runs on the
 * boot stack, which the kernel describes the same way. */
int pthread_getattr_np(glibc_pthread_t t, glibc_pthread_attr_t *a) {
  struct thread *th = (struct thread *)t;
  void *lo;
  size_t size;
  thread_stack_bounds(th, &lo, &size);
  a->a = (struct attr){ size, lo, th->detached };
  return 0;
}

int pthread_setname_np(glibc_pthread_t t, const char *name) {
  struct thread *th = (struct thread *)t;
  strncpy(th->name, name, sizeof th->name - 1);
  return 0;
}

/* No signals in this kernel: only signal 0 (does the thread exist) has a meaning. */
int pthread_kill(glibc_pthread_t t, int sig) {
  (void)t;
  return sig == 0 ? 0 : GLIBC_ENOTSUP;
}

/* --- thread-specific data --- */
#define KEYS_MAX 128
static void (*key_destructors[KEYS_MAX])(void *);
static bool key_used[KEYS_MAX];
/* A key's generation changes when it is deleted, so a reused slot never shows a thread the
 * value it stored under the old key. */
static unsigned key_generation[KEYS_MAX];
static _Thread_local struct { void *value; unsigned generation; } key_values[KEYS_MAX];

int pthread_key_create(unsigned *key, void (*destructor)(void *)) {
  uint64_t f = irq_save();
  for (unsigned k = 0; k < KEYS_MAX; k++) {
    if (!key_used[k]) {
      key_used[k] = true;
      key_destructors[k] = destructor;
      irq_restore(f);
      *key = k;
      return 0;
    }
  }
  irq_restore(f);
  return EAGAIN;
}
int __pthread_key_create(unsigned *key, void (*destructor)(void *)) { return pthread_key_create(key, destructor); }
int pthread_key_delete(unsigned key) {
  if (key >= KEYS_MAX || !key_used[key]) return EINVAL;
  key_used[key] = false;
  key_generation[key]++;
  return 0;
}
void *pthread_getspecific(unsigned key) {
  if (key >= KEYS_MAX || key_values[key].generation != key_generation[key]) return 0;
  return key_values[key].value;
}
int pthread_setspecific(unsigned key, const void *value) {
  if (key >= KEYS_MAX || !key_used[key]) return EINVAL;
  key_values[key].value = (void *)value;
  key_values[key].generation = key_generation[key];
  return 0;
}

/* Runs the destructors of the calling thread's keys (thread exit, core/thread.c). */
void glibc_thread_exit_hook(void) {
  for (int round = 0; round < 4; round++) {
    bool any = false;
    for (unsigned k = 0; k < KEYS_MAX; k++) {
      void *v = pthread_getspecific(k);
      if (v && key_used[k] && key_destructors[k]) {
        key_values[k].value = 0;
        key_destructors[k](v);
        any = true;
      }
    }
    if (!any) break;
  }
}

/* pthread_once: 0 = not run, 1 = running, 2 = done. */
static struct mutex once_lock = RECURSIVE_MUTEX_INIT;
int pthread_once(int *once, void (*fn)(void)) {
  if (__atomic_load_n(once, __ATOMIC_ACQUIRE) == 2) return 0;
  mutex_lock(&once_lock);
  if (*once == 0) {
    *once = 1;
    fn();
    __atomic_store_n(once, 2, __ATOMIC_RELEASE);
  }
  mutex_unlock(&once_lock);
  return 0;
}
