#include "paging.h"
#include "memory.h"
#include "panic.h"
#include "../arch/x86_64/cpu.h"

bool cpu_has_nx;
static struct pt_env kernel_pt;
static bool paging_ready;

static uint64_t alloc_table(void *ctx) { (void)ctx; return page_alloc_zeroed(); }
static void *phys_to_virt(void *ctx, uint64_t phys) { (void)ctx; return (void *)phys; }

#define HUGE (2ull << 20)
#define MMIO_START 0xfec00000ull   /* IOAPIC and LAPIC: 0xfec00000 and 0xfee00000 */
#define MMIO_END 0xff000000ull

static uint64_t nx(void) { return cpu_has_nx ? PTE_NX : 0; }

static void map_range(uint64_t start, uint64_t end, uint64_t flags) {
  for (uint64_t va = start & ~0xfffull; va < end; va += PAGE_SIZE)
    if (pt_set(&kernel_pt, va, va | flags | PTE_PRESENT)) panic("paging: out of memory mapping %#lx", va);
}

void paging_init(void) {
  cpu_has_nx = rdmsr(MSR_EFER) & (1u << 11);
  kernel_pt = (struct pt_env){ alloc_table, phys_to_virt, 0, page_alloc_zeroed() };
  if (!kernel_pt.root) panic("paging: no memory for the page tables");
  /* All RAM, 2 MiB at a time, read-write and never executable. */
  uint64_t ram_end = (memory_max_phys + HUGE - 1) & ~(HUGE - 1);
  for (uint64_t pa = 0; pa < ram_end; pa += HUGE)
    if (pt_set_huge(&kernel_pt, pa, pa, PTE_WRITE | nx())) panic("paging: out of memory");
  for (uint64_t pa = MMIO_START & ~(HUGE - 1); pa < MMIO_END; pa += HUGE)
    pt_set_huge(&kernel_pt, pa, pa, PTE_WRITE | PTE_PCD | PTE_PWT | nx());
  /* Page 0 faults: a null pointer is never silently readable. */
  pt_set(&kernel_pt, 0, 0);
  map_range((uint64_t)__kernel_start, (uint64_t)__text_end, 0);                    /* RX */
  map_range((uint64_t)__rodata_start, (uint64_t)__rodata_end, nx());               /* R */
  map_range((uint64_t)__data_start, (uint64_t)__kernel_end, PTE_WRITE | nx());     /* RW */
  write_cr3(kernel_pt.root);
  paging_ready = true;
}

uint64_t paging_get(uint64_t va) { return paging_ready ? pt_get(&kernel_pt, va) : 0; }

bool paging_is_mapped(uint64_t va) {
  if (!paging_ready) return va < (4ull << 30);
  return pt_get(&kernel_pt, va) & PTE_PRESENT;
}

bool paging_is_guard(uint64_t va) {
  uint64_t e = paging_get(va);
  return !(e & PTE_PRESENT) && (e & PTE_SW_GUARD);
}

int paging_set(uint64_t va, uint64_t value) {
  int rc = pt_set(&kernel_pt, va, value);
  invlpg(va);
  return rc;
}

int paging_map_mmio(uint64_t phys, uint64_t size) {
  for (uint64_t va = phys & ~0xfffull; va < phys + size; va += PAGE_SIZE) {
    if (paging_is_mapped(va)) continue;
    if (paging_set(va, va | PTE_PRESENT | PTE_WRITE | PTE_PCD | PTE_PWT | nx())) return -1;
  }
  return 0;
}
