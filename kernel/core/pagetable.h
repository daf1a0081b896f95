/* x86_64 4-level page-table operations, pure: tables are reached through callbacks, so the
 * kernel runs them on the real tables and the unit tests on a simulated physical memory. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

#define PTE_PRESENT (1ull << 0)
#define PTE_WRITE (1ull << 1)
#define PTE_PWT (1ull << 3)
#define PTE_PCD (1ull << 4)
#define PTE_HUGE (1ull << 7)          /* 2 MiB page in a PD entry */
#define PTE_GLOBAL (1ull << 8)
#define PTE_SW_GUARD (1ull << 9)      /* not present: a guard page (software bit) */
#define PTE_SW_HIDDEN (1ull << 10)    /* not present, but backed: protection "none" keeps the frame */
#define PTE_NX (1ull << 63)
#define PTE_ADDR_MASK 0x000ffffffffff000ull
#define PTE_FLAGS_MASK (~PTE_ADDR_MASK)

struct pt_env {
  /* A zeroed page for a new table, or 0 when memory is exhausted. */
  uint64_t (*alloc_table)(void *ctx);
  void *(*phys_to_virt)(void *ctx, uint64_t phys);
  void *ctx;
  uint64_t root;                      /* physical address of the PML4 */
};

enum { PT_OK = 0, PT_ENOMEM = -12, PT_ENOENT = -2 };

/* Sets the 4 KiB entry for `va` to `value` (address | flags; may be not present), creating
 * intermediate tables and splitting a 2 MiB page that covers `va`. */
int pt_set(struct pt_env *e, uint64_t va, uint64_t value);
/* Maps a 2 MiB page (va and pa 2 MiB aligned). */
int pt_set_huge(struct pt_env *e, uint64_t va, uint64_t pa, uint64_t flags);
/* The entry that translates `va` (4 KiB or 2 MiB level); 0 when there is none. */
uint64_t pt_get(const struct pt_env *e, uint64_t va);
/* Physical address `va` translates to, or false when not present. */
bool pt_translate(const struct pt_env *e, uint64_t va, uint64_t *pa);
