/* Kernel timers: callbacks run from the timer interrupt at a monotonic deadline. The same
 * interrupt drives preemption (a time slice when more than one thread can run). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct timer {
  uint64_t deadline_ns;
  void (*fn)(struct timer *t);
  struct timer *next;
  bool armed;
};

#define TIME_SLICE_NS 10000000ull   /* 10 ms */

void timer_init(void);
void timer_start(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *t));
/* Returns true when the timer was armed (its callback will not run). */
bool timer_cancel(struct timer *t);
/* Reprograms the hardware for the earliest of the next timer and the time slice. */
void timer_reprogram(void);
/* A thread switch happened: the next thread gets a full slice. */
void timer_new_slice(void);
