/* The local APIC: its timer is the only interrupt source the kernel needs for now. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

void apic_init(void);
/* Interrupt (VEC_TIMER) when the monotonic clock reaches `deadline_ns`. */
void apic_timer_at(uint64_t deadline_ns);
void apic_eoi(void);
const char *apic_mode(void);   /* "x2apic/tsc-deadline", "xapic/one-shot", ... */
