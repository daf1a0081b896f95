/* Time: a monotonic clock in nanoseconds since the kernel's first instruction (TSC-based) and
 * the wall clock (CMOS RTC at boot, advanced by the monotonic clock). */
#pragma once
#include <stdint.h>

void clock_init(void);
uint64_t clock_monotonic_ns(void);
/* Nanoseconds since the Unix epoch, UTC. */
int64_t clock_realtime_ns(void);
uint64_t clock_tsc_hz(void);
const char *clock_source(void);   /* how the TSC was calibrated: "kvmclock", "cpuid", "pit" */
/* The TSC value at which the monotonic clock reads `ns` (for TSC-deadline timers). */
uint64_t clock_ns_to_tsc(uint64_t ns);
