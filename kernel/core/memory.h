/* Physical memory of the machine: the page allocator set up from the boot memory map. */
#pragma once
#include <stdint.h>
#include "bootinfo.h"
#include "pmm.h"

extern struct pmm kernel_pmm;
extern uint64_t memory_max_phys;

void memory_init(const struct boot_info *bi);
/* A zeroed physical page (reachable at the same virtual address), or 0 when out of memory. */
uint64_t page_alloc_zeroed(void);
void page_free(uint64_t phys);

/* Linker-script symbols for the kernel image. */
extern char __kernel_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[],
    __data_start[], __kernel_end[];
