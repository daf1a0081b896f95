/* Kernel threads and the preemptive scheduler (one CPU). A thread switch happens only on the
 * way out of an interrupt: the timer's time slice, or the VEC_YIELD software interrupt a
 * thread raises to block or yield. The interrupted registers go into the thread (struct
 * trap_frame), so no IST stack ever holds a sleeping thread's state. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "../arch/x86_64/trap.h"
#include "timer.h"

struct _reent;

enum thread_state { THREAD_RUNNABLE, THREAD_RUNNING, THREAD_BLOCKED, THREAD_DEAD };

struct wait_queue { struct thread *head, *tail; };

struct thread {
  struct trap_frame frame;           /* registers while not running */
  uint64_t fs_base;                  /* TLS: %fs points at the thread control block */
  enum thread_state state;
  int id;
  char name[24];
  struct thread *next;               /* run queue or wait queue */
  struct wait_queue *waiting_on;
  struct timer wake_timer;
  bool timed_out;
  void *stack;                       /* reservation: guard page, then the stack */
  size_t stack_size;
  void *tls_block;
  struct _reent *reent;              /* newlib's per-thread state */
  void *(*fn)(void *);
  void *arg, *result;
  struct wait_queue joiners;
  bool detached;
  uint64_t cpu_ns;                   /* time spent running, for CLOCK_THREAD_CPUTIME_ID */
  uint64_t run_start_ns;
};

#define THREAD_STACK_DEFAULT (256 * 1024)

void sched_init(void);
/* A new runnable thread; NULL when memory is short. stack_size 0: the default. */
struct thread *thread_create(const char *name, void *(*fn)(void *), void *arg, size_t stack_size);
struct thread *thread_current(void);
/* The thread that runs when nothing else can (its CPU time is the machine's idle time). */
struct thread *sched_idle_thread(void);
void thread_yield(void);
void thread_exit(void *result) __attribute__((noreturn));
/* Waits for `t` to end, then frees it; returns its result. */
void *thread_join(struct thread *t);
void thread_detach(struct thread *t);
/* The lowest address and size of a thread's stack. */
void thread_stack_bounds(struct thread *t, void **low, size_t *size);
/* CPU time the thread has used, in nanoseconds (the running thread's included). */
uint64_t thread_cpu_ns(struct thread *t);
/* Called in every exiting thread before it ends (the C library's thread-specific data). */
void thread_set_exit_hook(void (*hook)(void));
void thread_sleep_ns(uint64_t ns);
void thread_sleep_until(uint64_t deadline_ns);

/* With interrupts off: queues the current thread on `wq` and switches away until
 * thread_wake_one/all (returns true) or the deadline passes (returns false; 0 = none). */
bool thread_block(struct wait_queue *wq, uint64_t deadline_ns);
bool thread_wake_one(struct wait_queue *wq);
void thread_wake_all(struct wait_queue *wq);

/* For the interrupt path (idt.c, timer.c). */
void sched_request_switch(void);
void sched_on_trap_exit(struct trap_frame *f);
int sched_runnable_count(void);
uint64_t sched_switch_count(void);
