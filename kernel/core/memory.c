#include <string.h>
#include "memory.h"
#include "panic.h"
#include "log.h"
#include "../arch/x86_64/cpu.h"

struct pmm kernel_pmm;
uint64_t memory_max_phys;

#define LOW_MEMORY_END 0x100000ull   /* real-mode area, BIOS data: never handed out */

static uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

/* The bitmap goes into the first usable RAM that overlaps nothing the kernel must keep: the
 * kernel image, the initrd (which loaders often put at the top of RAM) and the boot info. */
static uint64_t place_bitmap(const struct boot_info *bi, size_t bytes) {
  const uint64_t keep[][2] = {
    { 0, LOW_MEMORY_END },
    { (uint64_t)__kernel_start, (uint64_t)__kernel_end },
    { bi->initrd_start, bi->initrd_start + bi->initrd_size },
    { bi->info_start, bi->info_start + bi->info_size },
  };
  for (size_t i = 0; i < bi->nregions; i++) {
    const struct mem_region *r = &bi->regions[i];
    if (r->type != MEM_USABLE) continue;
    uint64_t start = align_up(r->start, PAGE_SIZE), end = r->start + r->size;
    for (bool moved = true; moved;) {
      moved = false;
      for (size_t k = 0; k < sizeof keep / sizeof *keep; k++) {
        if (start < keep[k][1] && start + bytes > keep[k][0]) {
          start = align_up(keep[k][1], PAGE_SIZE);
          moved = true;
        }
      }
    }
    /* Stay inside the 4 GiB the boot page tables map. */
    if (start + bytes <= end && start + bytes <= (4ull << 30)) return start;
  }
  panic("no room for the page bitmap (%zu bytes)", bytes);
}

void memory_init(const struct boot_info *bi) {
  for (size_t i = 0; i < bi->nregions; i++) {
    const struct mem_region *r = &bi->regions[i];
    if (r->type == MEM_USABLE && r->start + r->size > memory_max_phys) memory_max_phys = r->start + r->size;
  }
  size_t bytes = pmm_bitmap_bytes(memory_max_phys);
  uint64_t bitmap = place_bitmap(bi, bytes);
  pmm_init(&kernel_pmm, (uint64_t *)bitmap, memory_max_phys);
  for (size_t i = 0; i < bi->nregions; i++)
    if (bi->regions[i].type == MEM_USABLE)
      pmm_add_free(&kernel_pmm, bi->regions[i].start, bi->regions[i].start + bi->regions[i].size);
  pmm_reserve(&kernel_pmm, 0, LOW_MEMORY_END);
  pmm_reserve(&kernel_pmm, (uint64_t)__kernel_start, (uint64_t)__kernel_end);
  pmm_reserve(&kernel_pmm, bitmap, bitmap + bytes);
  if (bi->initrd_size) pmm_reserve(&kernel_pmm, bi->initrd_start, bi->initrd_start + bi->initrd_size);
  pmm_reserve(&kernel_pmm, bi->info_start, bi->info_start + bi->info_size);
}

uint64_t page_alloc_zeroed(void) {
  uint64_t flags = irq_save();
  uint64_t p = pmm_alloc(&kernel_pmm);
  irq_restore(flags);
  if (p == PMM_NO_PAGE) return 0;
  memset((void *)p, 0, PAGE_SIZE);
  return p;
}

void page_free(uint64_t phys) {
  uint64_t flags = irq_save();
  int rc = pmm_free(&kernel_pmm, phys);
  irq_restore(flags);
  if (rc) panic("page_free: %#lx is not an allocated page", phys);
}
