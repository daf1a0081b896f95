/* The isolates' log: framed records (log_record.h) over virtio-console when the VM has one,
 * else plain lines on the serial console (a VM started without rtctl still shows them). */
#pragma once
#include <stddef.h>
#include "log_record.h"

/* Looks for the virtio-console device; says on the kernel console where isolate logs go. */
void app_log_init(void);
void app_log_write(const char *isolate, enum log_level level, const char *message, size_t len);
/* Before the machine ends: an EXIT record with the status (the whole int: isa-debug-exit
 * only carries 0-127), then waits (bounded) until the host has every record. */
void app_log_finish(int status);
