#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "trap.h"

void fault_handle(struct trap_frame *f);
void fault_unexpected_interrupt(struct trap_frame *f);
void backtrace_print(uint64_t rip, uint64_t rbp, int first_frame);

/* Probes for tests (probe.S): return 1 when the access faulted, 0 when it did not. */
int probe_read(const volatile void *addr);
int probe_write(volatile void *addr, uint8_t value);
int probe_exec(const void *code);
/* An instruction fetch from `code` is expected to fault (probe_exec). */
void fault_expect_exec(const void *code);
/* What the last recovered probe fault was: the address and the page-fault error code. */
struct probe_fault { uint64_t addr, error_code, vector; int count; };
extern struct probe_fault last_probe_fault;

#define PF_PRESENT (1u << 0)
#define PF_WRITE (1u << 1)
#define PF_FETCH (1u << 4)
