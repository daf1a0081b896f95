/* Threads, run queue and the switch on the way out of an interrupt. */
#include <reent.h>
#include <stdlib.h>
#include <string.h>
#include "sched.h"
#include "clock.h"
#include "panic.h"
#include "vm.h"
#include "pmm.h"
#include "random.h"
#include "../arch/x86_64/cpu.h"

/* TLS image from the linker script (x86-64 variant II: the block sits just below %fs). */
extern char __tdata_start[], __tdata_size[], __tbss_offset[], __tbss_size[], __tls_align[];
#define TCB_SIZE 256
#define TCB_STACK_GUARD 0x28          /* -fstack-protector reads the canary at %fs:0x28 */

static struct thread boot_thread = { .state = THREAD_RUNNING, .id = 0, .name = "main" };
static uint8_t clean_fpu[512] __attribute__((aligned(16)));   /* FXSAVE image new threads start from */
static struct thread *current = &boot_thread, *idle;
static struct wait_queue run_queue, zombies;
static int runnable, next_id = 1;
static bool need_switch;
static uint64_t switches;

static void thread_free(struct thread *t);
static void reap_zombies(void);

static void queue_push_back(struct wait_queue *q, struct thread *t) {
  t->next = 0;
  if (q->tail) q->tail->next = t; else q->head = t;
  q->tail = t;
}
static void queue_push_front(struct wait_queue *q, struct thread *t) {
  t->next = q->head;
  q->head = t;
  if (!q->tail) q->tail = t;
}
static struct thread *queue_pop(struct wait_queue *q) {
  struct thread *t = q->head;
  if (t) {
    q->head = t->next;
    if (!q->head) q->tail = 0;
    t->next = 0;
  }
  return t;
}
static void queue_remove(struct wait_queue *q, struct thread *t) {
  struct thread *prev = 0;
  for (struct thread *i = q->head; i; prev = i, i = i->next) {
    if (i != t) continue;
    if (prev) prev->next = t->next; else q->head = t->next;
    if (q->tail == t) q->tail = prev;
    t->next = 0;
    return;
  }
}

struct thread *thread_current(void) { return current; }
struct thread *sched_idle_thread(void) { return idle; }
int sched_runnable_count(void) { return runnable; }
uint64_t sched_switch_count(void) { return switches; }
void sched_request_switch(void) { need_switch = true; }

static void make_runnable(struct thread *t) {
  t->state = THREAD_RUNNABLE;
  t->waiting_on = 0;
  queue_push_front(&run_queue, t);   /* a woken thread runs next: timers stay precise */
  runnable++;
  need_switch = true;
  timer_reprogram();   /* woken from thread context: the next slice boundary switches to it */
}

void sched_on_trap_exit(struct trap_frame *f) {
  if (!need_switch) return;
  need_switch = false;
  struct thread *next = queue_pop(&run_queue);
  if (next) {
    runnable--;
  } else {
    if (current->state == THREAD_RUNNING) return;
    next = idle;
  }
  if (next == current) return;
  if (current->state == THREAD_RUNNING) {
    current->state = THREAD_RUNNABLE;
    if (current != idle) {
      queue_push_back(&run_queue, current);
      runnable++;
    }
  }
  uint64_t now = clock_monotonic_ns();
  current->cpu_ns += now - current->run_start_ns;
  next->run_start_ns = now;
  memcpy(&current->frame, f, sizeof *f);
  current->fs_base = rdmsr(MSR_FS_BASE);
  memcpy(f, &next->frame, sizeof *f);
  wrmsr(MSR_FS_BASE, next->fs_base);
  next->state = THREAD_RUNNING;
  current = next;
  switches++;
  timer_new_slice();
}

static void switch_away(void) { __asm__ volatile("int %0" ::"i"(VEC_YIELD) : "memory"); }

void thread_yield(void) { switch_away(); }

static void wake_on_timeout(struct timer *tm) {
  struct thread *t = (struct thread *)((char *)tm - offsetof(struct thread, wake_timer));
  if (t->state != THREAD_BLOCKED) return;
  if (t->waiting_on) queue_remove(t->waiting_on, t);
  t->timed_out = true;
  make_runnable(t);
}

bool thread_block(struct wait_queue *wq, uint64_t deadline_ns) {
  struct thread *self = current;
  self->state = THREAD_BLOCKED;
  self->timed_out = false;
  self->waiting_on = wq;
  queue_push_back(wq, self);
  if (deadline_ns) timer_start(&self->wake_timer, deadline_ns, wake_on_timeout);
  need_switch = true;
  switch_away();
  if (deadline_ns) timer_cancel(&self->wake_timer);
  return !self->timed_out;
}

bool thread_wake_one(struct wait_queue *wq) {
  uint64_t flags = irq_save();
  struct thread *t = queue_pop(wq);
  if (t) {
    timer_cancel(&t->wake_timer);
    make_runnable(t);
  }
  irq_restore(flags);
  return t != 0;
}

void thread_wake_all(struct wait_queue *wq) {
  while (thread_wake_one(wq)) {}
}

void thread_sleep_until(uint64_t deadline_ns) {
  uint64_t flags = irq_save();
  struct wait_queue alone = { 0, 0 };
  while (clock_monotonic_ns() < deadline_ns) thread_block(&alone, deadline_ns);
  irq_restore(flags);
}

void thread_sleep_ns(uint64_t ns) { thread_sleep_until(clock_monotonic_ns() + ns); }

/* --- creation and teardown --- */

static size_t tls_block_size(void) {
  size_t align = (size_t)__tls_align ? (size_t)__tls_align : 16;
  size_t memsz = (size_t)__tdata_size;
  if ((size_t)__tbss_size && (size_t)__tbss_offset + (size_t)__tbss_size > memsz)
    memsz = (size_t)__tbss_offset + (size_t)__tbss_size;
  return (memsz + align - 1) & ~(align - 1);
}

/* Allocates the TLS block and TCB; returns the thread pointer (%fs base). */
static uint64_t tls_create(void **block_out) {
  size_t size = tls_block_size(), align = (size_t)__tls_align > 64 ? (size_t)__tls_align : 64;
  uint8_t *block = aligned_alloc(align, (size + TCB_SIZE + align - 1) & ~(align - 1));
  if (!block) return 0;
  memset(block, 0, size + TCB_SIZE);
  memcpy(block, __tdata_start, (size_t)__tdata_size);
  uint64_t tp = (uint64_t)block + size;
  ((uint64_t *)tp)[0] = tp;                              /* self pointer */
  uint64_t canary;
  random_bytes(&canary, sizeof canary);
  *(uint64_t *)(tp + TCB_STACK_GUARD) = canary & ~0xffull;  /* low byte 0 stops string overreads */
  *block_out = block;
  return tp;
}

static void thread_entry(void) {
  struct thread *t = current;
  thread_exit(t->fn(t->arg));
}

struct thread *thread_create(const char *name, void *(*fn)(void *), void *arg, size_t stack_size) {
  if (idle) reap_zombies();
  if (!stack_size) stack_size = THREAD_STACK_DEFAULT;
  stack_size = (stack_size + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  struct thread *t = calloc(1, sizeof *t);
  if (!t) return 0;
  t->reent = malloc(sizeof *t->reent);
  t->stack = vm_reserve(stack_size + PAGE_SIZE, PAGE_SIZE);
  t->stack_size = stack_size;
  t->fs_base = tls_create(&t->tls_block);
  if (!t->reent || !t->stack || !t->fs_base || vm_guard(t->stack, PAGE_SIZE) ||
      vm_set_access((char *)t->stack + PAGE_SIZE, stack_size, VM_READ_WRITE)) {
    if (t->stack) vm_release(t->stack, stack_size + PAGE_SIZE);
    free(t->tls_block);
    free(t->reent);
    free(t);
    return 0;
  }
  _REENT_INIT_PTR(t->reent);
  strncpy(t->name, name, sizeof t->name - 1);
  t->fn = fn;
  t->arg = arg;
  uint64_t top = (uint64_t)t->stack + PAGE_SIZE + stack_size;
  /* Start as if called: RSP+8 16-byte aligned at entry. The FPU state is a clean one. */
  memcpy(t->frame.fpu, clean_fpu, sizeof t->frame.fpu);
  t->frame.rip = (uint64_t)thread_entry;
  t->frame.rsp = top - 8;
  t->frame.cs = KERNEL_CS;
  t->frame.ss = KERNEL_DS;
  t->frame.rflags = 0x202;
  uint64_t flags = irq_save();
  t->id = next_id++;
  t->state = THREAD_RUNNABLE;
  queue_push_back(&run_queue, t);
  runnable++;
  timer_reprogram();   /* more than one thread now: time slices start */
  irq_restore(flags);
  return t;
}

static void thread_free(struct thread *t) {
  vm_release(t->stack, t->stack_size + PAGE_SIZE);
  _reclaim_reent(t->reent);
  free(t->reent);
  free(t->tls_block);
  free(t);
}

static void (*exit_hook)(void);
void thread_set_exit_hook(void (*hook)(void)) { exit_hook = hook; }

void thread_exit(void *result) {
  if (exit_hook) exit_hook();
  irq_disable();
  struct thread *self = current;
  self->result = result;
  self->state = THREAD_DEAD;
  if (self->detached) queue_push_back(&zombies, self);
  while (self->joiners.head) {
    struct thread *j = queue_pop(&self->joiners);
    timer_cancel(&j->wake_timer);
    make_runnable(j);
  }
  need_switch = true;
  switch_away();
  panic("a dead thread ran again");
}

void *thread_join(struct thread *t) {
  uint64_t flags = irq_save();
  while (t->state != THREAD_DEAD) thread_block(&t->joiners, 0);
  irq_restore(flags);
  void *r = t->result;
  thread_free(t);
  return r;
}

void thread_stack_bounds(struct thread *t, void **low, size_t *size) {
  extern char boot_stack[], boot_stack_top[];
  if (t == &boot_thread) {
    *low = boot_stack;
    *size = (size_t)(boot_stack_top - boot_stack);
  } else {
    *low = (char *)t->stack + PAGE_SIZE;
    *size = t->stack_size;
  }
}

uint64_t thread_cpu_ns(struct thread *t) {
  uint64_t flags = irq_save();
  uint64_t ns = t->cpu_ns + (t == current ? clock_monotonic_ns() - t->run_start_ns : 0);
  irq_restore(flags);
  return ns;
}

void thread_detach(struct thread *t) {
  uint64_t flags = irq_save();
  t->detached = true;
  if (t->state == THREAD_DEAD) queue_push_back(&zombies, t);
  irq_restore(flags);
}

/* Runs when nothing else can, and never blocks (it takes no lock): waits for an interrupt,
 * or gives the CPU to a thread that became runnable meanwhile. */
static void *idle_loop(void *unused) {
  (void)unused;
  for (;;) {
    irq_disable();
    if (runnable) {
      need_switch = true;
      switch_away();
    }
    __asm__ volatile("sti; hlt" ::: "memory");
  }
  return 0;
}

/* Frees detached threads that have ended (from a normal thread: freeing takes locks). */
static void reap_zombies(void) {
  for (;;) {
    uint64_t flags = irq_save();
    struct thread *z = queue_pop(&zombies);
    irq_restore(flags);
    if (!z) return;
    thread_free(z);
  }
}

void sched_init(void) {
  /* A clean FPU state for new threads: default x87 control word and MXCSR. */
  __asm__ volatile("fninit; fxsave64 %0" : "=m"(clean_fpu));
  uint32_t mxcsr = 0x1f80;
  memcpy(clean_fpu + 24, &mxcsr, 4);
  boot_thread.reent = _GLOBAL_REENT;
  boot_thread.fs_base = tls_create(&boot_thread.tls_block);
  if (!boot_thread.fs_base) panic("no memory for the main thread's TLS");
  wrmsr(MSR_FS_BASE, boot_thread.fs_base);
  idle = thread_create("idle", idle_loop, 0, 16 * 1024);
  if (!idle) panic("cannot create the idle thread");
  /* The idle thread only runs when the run queue is empty. */
  uint64_t flags = irq_save();
  queue_remove(&run_queue, idle);
  runnable--;
  irq_restore(flags);
}

struct _reent *__getreent(void) {
  return current->reent ? current->reent : _GLOBAL_REENT;
}
