#include "timer.h"
#include "clock.h"
#include "sched.h"
#include "../arch/x86_64/apic.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/trap.h"

static struct timer *pending;         /* sorted by deadline */
static uint64_t slice_end_ns;

void timer_start(struct timer *t, uint64_t deadline_ns, void (*fn)(struct timer *t)) {
  uint64_t flags = irq_save();
  if (t->armed) timer_cancel(t);
  t->deadline_ns = deadline_ns;
  t->fn = fn;
  t->armed = true;
  struct timer **p = &pending;
  while (*p && (*p)->deadline_ns <= deadline_ns) p = &(*p)->next;
  t->next = *p;
  *p = t;
  if (pending == t) timer_reprogram();
  irq_restore(flags);
}

bool timer_cancel(struct timer *t) {
  uint64_t flags = irq_save();
  bool found = false;
  for (struct timer **p = &pending; *p; p = &(*p)->next) {
    if (*p == t) {
      *p = t->next;
      found = true;
      break;
    }
  }
  t->armed = false;
  irq_restore(flags);
  return found;
}

void timer_reprogram(void) {
  uint64_t next = UINT64_MAX;
  if (pending) next = pending->deadline_ns;
  if (sched_runnable_count() > 0) {
    if (!slice_end_ns) slice_end_ns = clock_monotonic_ns() + TIME_SLICE_NS;
    if (slice_end_ns < next) next = slice_end_ns;
  } else {
    slice_end_ns = 0;
  }
  if (next != UINT64_MAX) apic_timer_at(next);
}

void timer_new_slice(void) {
  slice_end_ns = 0;
  timer_reprogram();
}

static void timer_interrupt(struct trap_frame *f) {
  (void)f;
  apic_eoi();
  uint64_t now = clock_monotonic_ns();
  while (pending && pending->deadline_ns <= now) {
    struct timer *t = pending;
    pending = t->next;
    t->armed = false;
    t->fn(t);
    now = clock_monotonic_ns();
  }
  if (slice_end_ns && now >= slice_end_ns) {
    slice_end_ns = 0;
    sched_request_switch();   /* time slice over: let the next runnable thread in */
  }
  timer_reprogram();
}

void timer_init(void) {
  irq_set_handler(VEC_TIMER, timer_interrupt);
}
