#include "pagetable.h"

#define TABLE_FLAGS (PTE_PRESENT | PTE_WRITE)   /* permissions are decided at the leaf */

static inline unsigned idx(uint64_t va, int level) { return (va >> (12 + 9 * level)) & 511; }
static inline uint64_t *table(const struct pt_env *e, uint64_t entry) {
  return e->phys_to_virt(e->ctx, entry & PTE_ADDR_MASK);
}

/* A PD entry for a 2 MiB page becomes a page table of 512 equal 4 KiB entries. */
static int split_huge(struct pt_env *e, uint64_t *pde) {
  uint64_t pt = e->alloc_table(e->ctx);
  if (!pt) return PT_ENOMEM;
  uint64_t *t = e->phys_to_virt(e->ctx, pt);
  uint64_t base = *pde & PTE_ADDR_MASK & ~0x1fffffull, flags = (*pde & PTE_FLAGS_MASK) & ~PTE_HUGE;
  for (int i = 0; i < 512; i++) t[i] = (base + (uint64_t)i * 4096) | flags;
  *pde = pt | TABLE_FLAGS;
  return PT_OK;
}

/* The entry at `level` (0 = PT) for va, creating tables on the way; NULL on no memory. */
static uint64_t *walk_create(struct pt_env *e, uint64_t va, int level, int *err) {
  uint64_t *t = e->phys_to_virt(e->ctx, e->root);
  for (int l = 3; l > level; l--) {
    uint64_t *ent = &t[idx(va, l)];
    if (!(*ent & PTE_PRESENT)) {
      uint64_t n = e->alloc_table(e->ctx);
      if (!n) { *err = PT_ENOMEM; return 0; }
      *ent = n | TABLE_FLAGS;
    } else if (l == 1 && (*ent & PTE_HUGE)) {
      if ((*err = split_huge(e, ent))) return 0;
    }
    t = table(e, *ent);
  }
  return &t[idx(va, level)];
}

int pt_set(struct pt_env *e, uint64_t va, uint64_t value) {
  int err = PT_OK;
  uint64_t *ent = walk_create(e, va, 0, &err);
  if (!ent) return err;
  *ent = value;
  return PT_OK;
}

int pt_set_huge(struct pt_env *e, uint64_t va, uint64_t pa, uint64_t flags) {
  int err = PT_OK;
  uint64_t *ent = walk_create(e, va, 1, &err);
  if (!ent) return err;
  *ent = pa | flags | PTE_HUGE | PTE_PRESENT;
  return PT_OK;
}

uint64_t pt_get(const struct pt_env *e, uint64_t va) {
  uint64_t *t = e->phys_to_virt(e->ctx, e->root);
  for (int l = 3; l > 0; l--) {
    uint64_t ent = t[idx(va, l)];
    if (!(ent & PTE_PRESENT)) return 0;
    if (l == 1 && (ent & PTE_HUGE)) return ent;
    t = table(e, ent);
  }
  return t[idx(va, 0)];
}

bool pt_translate(const struct pt_env *e, uint64_t va, uint64_t *pa) {
  uint64_t ent = pt_get(e, va);
  if (!(ent & PTE_PRESENT)) return false;
  uint64_t mask = (ent & PTE_HUGE) ? 0x1fffffull : 0xfffull;
  *pa = ((ent & PTE_ADDR_MASK) & ~mask) | (va & mask);
  return true;
}
