/* Page-table operations on a simulated physical memory. */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "pagetable.h"

#define SIM_PAGES 64
static uint64_t (*sim)[512];
static int sim_used;

static uint64_t alloc_table(void *ctx) {
  (void)ctx;
  if (sim_used == SIM_PAGES) return 0;
  memset(sim[sim_used], 0, 4096);
  return (uint64_t)(sim_used++ + 1) * 4096;   /* physical addresses 4 KiB, 8 KiB, ... */
}
static void *phys_to_virt(void *ctx, uint64_t phys) { (void)ctx; return sim[phys / 4096 - 1]; }

int main(void) {
  sim = calloc(SIM_PAGES, 4096);
  struct pt_env e = { alloc_table, phys_to_virt, 0, 0 };
  e.root = alloc_table(0);

  /* A 4 KiB mapping creates PDPT, PD and PT: three tables besides the root. */
  CHECK_EQ(pt_set(&e, 0x100000000000ull, 0x5000 | PTE_PRESENT | PTE_WRITE | PTE_NX), PT_OK);
  CHECK_EQ(sim_used, 4);
  uint64_t pa;
  CHECK(pt_translate(&e, 0x100000000123ull, &pa));
  CHECK_EQ(pa, 0x5123);
  CHECK_EQ(pt_get(&e, 0x100000000000ull) & PTE_FLAGS_MASK, PTE_PRESENT | PTE_WRITE | PTE_NX);
  CHECK(!pt_translate(&e, 0x100000001000ull, &pa));           /* neighbour: not mapped */
  CHECK(!pt_translate(&e, 0x200000000000ull, &pa));

  /* A second page in the same table allocates nothing. */
  CHECK_EQ(pt_set(&e, 0x100000001000ull, 0x9000 | PTE_PRESENT), PT_OK);
  CHECK_EQ(sim_used, 4);

  /* Not-present entries keep their software bits (guard pages). */
  CHECK_EQ(pt_set(&e, 0x100000002000ull, PTE_SW_GUARD), PT_OK);
  CHECK_EQ(pt_get(&e, 0x100000002000ull), PTE_SW_GUARD);
  CHECK(!pt_translate(&e, 0x100000002000ull, &pa));

  /* A 2 MiB page, then a 4 KiB change inside it splits it into 512 equal entries. */
  CHECK_EQ(pt_set_huge(&e, 0x40000000ull, 0x80000000ull, PTE_WRITE | PTE_NX), PT_OK);
  CHECK(pt_translate(&e, 0x40123456ull, &pa));
  CHECK_EQ(pa, 0x80123456ull);
  CHECK(pt_get(&e, 0x40000000ull) & PTE_HUGE);
  int before = sim_used;
  CHECK_EQ(pt_set(&e, 0x40005000ull, 0x80005000ull | PTE_PRESENT), PT_OK);   /* read-only, executable */
  CHECK_EQ(sim_used, before + 1);
  CHECK(!(pt_get(&e, 0x40000000ull) & PTE_HUGE));
  CHECK(pt_translate(&e, 0x40123456ull, &pa));
  CHECK_EQ(pa, 0x80123456ull);
  CHECK_EQ(pt_get(&e, 0x40006000ull) & PTE_FLAGS_MASK, PTE_PRESENT | PTE_WRITE | PTE_NX);
  CHECK_EQ(pt_get(&e, 0x40005000ull) & PTE_FLAGS_MASK, PTE_PRESENT);
  CHECK_EQ(pt_get(&e, 0x401ff000ull) & PTE_ADDR_MASK, 0x801ff000ull);

  /* Out of table memory: an error, not a crash. */
  sim_used = SIM_PAGES;
  CHECK_EQ(pt_set(&e, 0x300000000000ull, 0x1000 | PTE_PRESENT), PT_ENOMEM);
  free(sim);
  return CHECK_DONE();
}
