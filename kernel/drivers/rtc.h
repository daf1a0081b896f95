/* The CMOS real-time clock: the wall clock at boot. */
#pragma once
#include <stdint.h>
/* Seconds since the Unix epoch (UTC), read once; waits for an update to finish. */
int64_t rtc_read_epoch(void);
/* Days since 1970-01-01 of a civil date (proleptic Gregorian). Pure. */
int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
