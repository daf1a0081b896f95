/* The process-level parts of glibc's ABI for a kernel that is one process: limits, usage,
 * signals (none are delivered), errno, assertions, futexes, backtraces and the C++ runtime
 * hooks (thread_local destructors, the loaded-object lookups the unwinder makes). */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "glibc_abi.h"
#include "../../arch/x86_64/cpu.h"
#include "../../core/clock.h"
#include "../../core/ksyms.h"
#include "../../core/log.h"
#include "../../core/machine.h"
#include "../../core/paging.h"
#include "../../core/sched.h"

extern char boot_stack_top[];
void *__libc_stack_end = boot_stack_top;
char __libc_single_threaded = 0;       /* kernel threads exist: libstdc++ must use atomics */
void *__dso_handle = &__dso_handle;

int *__errno_location(void) { return &errno; }

void __assert_fail(const char *expr, const char *file, unsigned line, const char *fn) {
  kprintf("assertion failed: %s (%s:%u, %s)\n", expr, file, line, fn);
  machine_exit(128 + 6);   /* as if killed by SIGABRT */
}

int glibc_getrlimit(int resource, struct glibc_rlimit *r) {
  if (resource == GLIBC_RLIMIT_STACK) {
    void *lo;
    size_t size;
    thread_stack_bounds(thread_current(), &lo, &size);
    *r = (struct glibc_rlimit){ size, size };
  } else {
    *r = (struct glibc_rlimit){ GLIBC_RLIM_INFINITY, GLIBC_RLIM_INFINITY };
  }
  return 0;
}

struct glibc_rusage { int64_t utime_s, utime_us, stime_s, stime_us; long rest[14]; };
int glibc_getrusage(int who, struct glibc_rusage *u) {
  uint64_t ns = who == 1 /* RUSAGE_THREAD */ ? thread_cpu_ns(thread_current())
                                             : clock_monotonic_ns() - thread_cpu_ns(sched_idle_thread());
  *u = (struct glibc_rusage){ .utime_s = (int64_t)(ns / 1000000000), .utime_us = (int64_t)(ns % 1000000000 / 1000) };
  return 0;
}

int prctl(int option, ...) { (void)option; errno = EINVAL; return -1; }

/* Signals: handlers can be installed (V8 asks for SIGPROF and friends) but no signal is ever
 * delivered; the sets are glibc's 128-byte sigset_t. */
int glibc_sigemptyset(uint64_t set[16]) { memset(set, 0, 128); return 0; }
int glibc_sigaddset(uint64_t set[16], int sig) {
  if (sig <= 0 || sig > 64) { errno = EINVAL; return -1; }
  set[(sig - 1) / 64] |= 1ull << ((sig - 1) % 64);
  return 0;
}
int glibc_sigaction(int sig, const void *act, void *old) {
  (void)act;
  if (sig <= 0 || sig > 64) { errno = EINVAL; return -1; }
  if (old) memset(old, 0, 152);   /* sizeof(struct sigaction): SIG_DFL, empty mask */
  return 0;
}
void *glibc_signal(int sig, void *handler) {
  (void)handler;
  if (sig <= 0 || sig > 64) { errno = EINVAL; return (void *)-1; }
  return 0;   /* SIG_DFL was installed */
}

/* --- futexes (libstdc++'s static-local guards, std::atomic waits) and gettid --- */
#define SYS_gettid 186
#define SYS_futex 202
#define FUTEX_WAIT 0
#define FUTEX_WAKE 1
#define FUTEX_WAIT_BITSET 9
#define FUTEX_WAKE_BITSET 10
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_CMD_MASK 0x7f   /* without FUTEX_PRIVATE_FLAG and FUTEX_CLOCK_REALTIME */
#define FUTEX_BUCKETS 64

static struct { uintptr_t addr; struct wait_queue q; } futex_waiters[FUTEX_BUCKETS];

static long futex(int *addr, int op, int val, const struct glibc_timespec *timeout) {
  unsigned b = ((uintptr_t)addr >> 2) % FUTEX_BUCKETS;
  switch (op & FUTEX_CMD_MASK) {
  case FUTEX_WAIT_BITSET:   /* absolute timeout, on the monotonic or the realtime clock */
    if (timeout) {
      int64_t abs = timeout->tv_sec > INT64_MAX / 1000000000 - 1 ? INT64_MAX : timeout->tv_sec * 1000000000 + timeout->tv_nsec;
      int64_t now = (op & FUTEX_CLOCK_REALTIME) ? clock_realtime_ns() : (int64_t)clock_monotonic_ns();
      int64_t rel = abs - now;
      struct glibc_timespec r = { rel > 0 ? rel / 1000000000 : 0, rel > 0 ? rel % 1000000000 : 0 };
      if (abs == INT64_MAX) return futex(addr, FUTEX_WAIT, val, 0);
      return futex(addr, FUTEX_WAIT, val, &r);
    }
    return futex(addr, FUTEX_WAIT, val, 0);
  case FUTEX_WAIT: {
    uint64_t flags = irq_save();
    if (__atomic_load_n(addr, __ATOMIC_SEQ_CST) != val) {
      irq_restore(flags);
      errno = EAGAIN;
      return -1;
    }
    uint64_t deadline = 0;
    if (timeout && timeout->tv_sec < (int64_t)(UINT64_MAX / 2000000000))   /* else: forever */
      deadline = clock_monotonic_ns() + (uint64_t)timeout->tv_sec * 1000000000 + (uint64_t)timeout->tv_nsec + 1;
    /* One queue per bucket: a wake on another address in the bucket wakes spuriously, which
     * futex callers handle (they re-check the value). */
    bool woken = thread_block(&futex_waiters[b].q, deadline);
    irq_restore(flags);
    if (!woken) { errno = GLIBC_ETIMEDOUT; return -1; }
    return 0;
  }
  case FUTEX_WAKE:
  case FUTEX_WAKE_BITSET: {
    /* The bucket is shared by several addresses: wake all its waiters (they re-check their
     * value; spurious wake-ups are allowed), so a waiter on this address is never skipped. */
    long n = 0;
    while (thread_wake_one(&futex_waiters[b].q)) n++;
    return n < val ? n : val;
  }
  default:
    errno = GLIBC_ENOSYS;
    return -1;
  }
}

long syscall(long number, ...) {
  va_list ap;
  va_start(ap, number);
  long rc;
  if (number == SYS_gettid) {
    rc = thread_current()->id + 1;   /* tid 1 is the main thread, like a process's first */
  } else if (number == SYS_futex) {
    int *addr = va_arg(ap, int *);
    int op = va_arg(ap, int), val = va_arg(ap, int);
    const struct glibc_timespec *timeout = va_arg(ap, const struct glibc_timespec *);
    rc = futex(addr, op, val, timeout);
  } else {
    errno = GLIBC_ENOSYS;
    rc = -1;
  }
  va_end(ap);
  return rc;
}

/* --- backtraces (frame pointers; the kernel's symbol table names them) --- */
int backtrace(void **buf, int size) {
  uintptr_t *fp = __builtin_frame_address(0);
  int n = 0;
  while (n < size && fp && !((uintptr_t)fp & 7) && paging_is_mapped((uintptr_t)fp) && paging_is_mapped((uintptr_t)(fp + 1))) {
    if (!fp[1]) break;
    buf[n++] = (void *)fp[1];
    fp = (uintptr_t *)fp[0];
  }
  return n;
}

char **backtrace_symbols(void *const *buf, int n) {
  /* One block: the pointer array, then the strings (the caller frees the block). */
  size_t each = 128;
  char **out = malloc((size_t)n * (sizeof(char *) + each));
  if (!out) return 0;
  char *text = (char *)(out + n);
  for (int i = 0; i < n; i++, text += each) {
    const char *name = "?";
    uint64_t off = 0;
    ksyms_lookup((uint64_t)buf[i], &name, &off);
    snprintf(text, each, "%s+0x%lx [%p]", name, (unsigned long)off, buf[i]);
    out[i] = text;
  }
  return out;
}

/* --- C++ runtime hooks --- */
struct tls_dtor { void (*fn)(void *); void *obj; struct tls_dtor *next; };
static _Thread_local struct tls_dtor *tls_dtors;

int __cxa_thread_atexit_impl(void (*fn)(void *), void *obj, void *dso) {
  (void)dso;
  struct tls_dtor *d = malloc(sizeof *d);
  if (!d) return -1;
  *d = (struct tls_dtor){ fn, obj, tls_dtors };
  tls_dtors = d;
  return 0;
}

extern void glibc_thread_exit_hook(void);
static void run_thread_exit_handlers(void) {
  while (tls_dtors) {
    struct tls_dtor *d = tls_dtors;
    tls_dtors = d->next;
    d->fn(d->obj);
    free(d);
  }
  glibc_thread_exit_hook();
}

/* The unwinder asks which loaded object holds an address. The kernel image has no program
 * headers in memory or .eh_frame_hdr: report none, so unwinding stops cleanly (C++ exceptions
 * are off; backtraces use frame pointers). */
int dl_iterate_phdr(int (*cb)(void *info, size_t size, void *data), void *data) {
  (void)cb; (void)data;
  return 0;
}
int _dl_find_object(void *pc, void *result) { (void)pc; (void)result; return -1; }

void glibc_stdio_init(void);
void glibc_init(void) {
  glibc_stdio_init();
  thread_set_exit_hook(run_thread_exit_handlers);
}
