/* The kernel's page tables: RAM identity-mapped (NX, read-write), the kernel image with exact
 * permissions (text RX, rodata R, data RW), page 0 unmapped, and the VM area (vm.h). */
#pragma once
#include <stdbool.h>
#include <stdint.h>
#include "pagetable.h"

extern bool cpu_has_nx;
void paging_init(void);
bool paging_is_mapped(uint64_t va);
bool paging_is_guard(uint64_t va);
/* Sets one 4 KiB entry and flushes it from the TLB. */
int paging_set(uint64_t va, uint64_t value);
uint64_t paging_get(uint64_t va);
/* Identity-maps a device's memory range uncached (a PCI BAR); pages already mapped are kept.
 * Returns -1 when out of memory for page tables. */
int paging_map_mmio(uint64_t phys, uint64_t size);
