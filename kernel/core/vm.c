#include <errno.h>
#include "vm.h"
#include "memory.h"
#include "paging.h"
#include "panic.h"
#include "../arch/x86_64/cpu.h"

/* Free address ranges, sorted, merged on release. */
#define VM_MAX_HOLES 4096
static struct { uint64_t start, end; } holes[VM_MAX_HOLES];
static size_t nholes;
static uint64_t committed;

void vm_init(void) {
  holes[0].start = VM_AREA_START;
  holes[0].end = VM_AREA_END;
  nholes = 1;
}

static bool in_area(uint64_t a, size_t size) {
  return !(a & 0xfff) && !(size & 0xfff) && a >= VM_AREA_START && a + size <= VM_AREA_END && a + size > a;
}

void *vm_reserve(size_t size, size_t align) {
  if (!size || (size & 0xfff) || align < PAGE_SIZE || (align & (align - 1))) return 0;
  uint64_t flags = irq_save();
  void *result = 0;
  for (size_t i = 0; i < nholes; i++) {
    uint64_t start = (holes[i].start + align - 1) & ~(uint64_t)(align - 1);
    if (start + size > holes[i].end || start + size < start) continue;
    uint64_t end = start + size;
    if (start > holes[i].start && end < holes[i].end) {        /* split the hole in two */
      if (nholes == VM_MAX_HOLES) break;
      for (size_t j = nholes; j > i + 1; j--) holes[j] = holes[j - 1];
      nholes++;
      holes[i + 1].start = end;
      holes[i + 1].end = holes[i].end;
      holes[i].end = start;
    } else if (start > holes[i].start) {
      holes[i].end = start;
    } else if (end < holes[i].end) {
      holes[i].start = end;
    } else {
      for (size_t j = i; j + 1 < nholes; j++) holes[j] = holes[j + 1];
      nholes--;
    }
    result = (void *)start;
    break;
  }
  irq_restore(flags);
  return result;
}

static void unmap_pages(uint64_t a, size_t size) {
  for (uint64_t va = a; va < a + size; va += PAGE_SIZE) {
    uint64_t e = paging_get(va);
    if (e & PTE_PRESENT) {
      paging_set(va, 0);
      page_free(e & PTE_ADDR_MASK);
      committed--;
    } else if (e) {
      paging_set(va, 0);
    }
  }
}

int vm_release(void *addr, size_t size) {
  uint64_t a = (uint64_t)addr;
  if (!in_area(a, size)) return -EINVAL;
  uint64_t flags = irq_save();
  size_t i = 0;
  while (i < nholes && holes[i].start < a) i++;
  /* Releasing what is already free (twice, or never reserved) must not add an overlapping hole. */
  if ((i > 0 && holes[i - 1].end > a) || (i < nholes && holes[i].start < a + size)) {
    irq_restore(flags);
    return -EINVAL;
  }
  unmap_pages(a, size);
  bool merge_prev = i > 0 && holes[i - 1].end == a, merge_next = i < nholes && holes[i].start == a + size;
  int rc = 0;
  if (merge_prev && merge_next) {
    holes[i - 1].end = holes[i].end;
    for (size_t j = i; j + 1 < nholes; j++) holes[j] = holes[j + 1];
    nholes--;
  } else if (merge_prev) {
    holes[i - 1].end = a + size;
  } else if (merge_next) {
    holes[i].start = a;
  } else if (nholes < VM_MAX_HOLES) {
    for (size_t j = nholes; j > i; j--) holes[j] = holes[j - 1];
    holes[i].start = a;
    holes[i].end = a + size;
    nholes++;
  } else {
    rc = -ENOMEM;   /* the range stays unusable, its pages are freed */
  }
  irq_restore(flags);
  return rc;
}

static uint64_t pte_flags(enum vm_access access) {
  uint64_t f = PTE_PRESENT;
  if (access & 2) f |= PTE_WRITE;
  if (!(access & 4) && cpu_has_nx) f |= PTE_NX;
  return f;
}

int vm_set_access(void *addr, size_t size, enum vm_access access) {
  uint64_t a = (uint64_t)addr;
  if (!in_area(a, size)) return -EINVAL;
  if (access == VM_NONE) return vm_decommit(addr, size);
  uint64_t flags = irq_save();
  uint64_t needed = 0;
  for (uint64_t va = a; va < a + size; va += PAGE_SIZE) needed += !(paging_get(va) & PTE_PRESENT);
  /* Page tables may need a few pages too: keep a margin so a commit never half-happens. */
  if (needed + needed / 512 + 4 > kernel_pmm.free_pages) {
    irq_restore(flags);
    return -ENOMEM;
  }
  for (uint64_t va = a; va < a + size; va += PAGE_SIZE) {
    uint64_t e = paging_get(va), pa;
    if (e & PTE_PRESENT) {
      pa = e & PTE_ADDR_MASK;
    } else {
      pa = page_alloc_zeroed();
      committed++;
    }
    if (!pa || paging_set(va, pa | pte_flags(access))) panic("vm: out of memory despite the check");
  }
  irq_restore(flags);
  return 0;
}

int vm_decommit(void *addr, size_t size) {
  uint64_t a = (uint64_t)addr;
  if (!in_area(a, size)) return -EINVAL;
  uint64_t flags = irq_save();
  unmap_pages(a, size);
  irq_restore(flags);
  return 0;
}

int vm_guard(void *addr, size_t size) {
  uint64_t a = (uint64_t)addr;
  if (!in_area(a, size)) return -EINVAL;
  uint64_t flags = irq_save();
  unmap_pages(a, size);
  int rc = 0;
  for (uint64_t va = a; va < a + size && !rc; va += PAGE_SIZE) rc = paging_set(va, PTE_SW_GUARD);
  irq_restore(flags);
  return rc ? -ENOMEM : 0;
}

uint64_t vm_committed_pages(void) { return committed; }
