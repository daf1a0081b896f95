#pragma once
#include <stdbool.h>
#include <stdint.h>

/* IST slots (1-based in the IDT): one per class of vector, so a fault while handling an IRQ
 * does not reuse the stack of the IRQ it interrupted. */
enum { IST_DOUBLE_FAULT = 1, IST_NMI = 2, IST_MACHINE_CHECK = 3, IST_PAGE_FAULT = 4,
       IST_EXCEPTION = 5, IST_IRQ = 6, IST_COUNT = 6 };
#define IST_STACK_SIZE (16 * 1024)

void gdt_init(void);
bool gdt_on_ist_stack(uint64_t addr, int *ist);
