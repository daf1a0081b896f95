/* Virtual memory for V8's PageAllocator, thread stacks and the heap: reserve address space
 * without backing, then commit (zeroed pages), change access, decommit, release. Nothing is
 * ever mapped on a fault: an access to memory not committed faults and stops the machine. */
#pragma once
#include <stddef.h>
#include <stdint.h>

enum vm_access {
  VM_NONE = 0,             /* inaccessible; its pages are given back (reads as zero later) */
  VM_READ = 1,
  VM_READ_WRITE = 3,
  VM_READ_EXECUTE = 5,
  VM_READ_WRITE_EXECUTE = 7,
};

#define VM_AREA_START 0x0000100000000000ull   /* 16 TiB: far above any RAM identity map */
#define VM_AREA_END 0x0000700000000000ull

void vm_init(void);
/* Page-aligned address space of `size` bytes aligned to `align` (a power of two >= 4 KiB);
 * NULL when exhausted. */
void *vm_reserve(size_t size, size_t align);
/* Gives a reservation (or part of it) back; its pages are freed. */
int vm_release(void *addr, size_t size);
/* Sets the access of whole pages, committing zeroed pages where there were none. Returns 0,
 * -ENOMEM (nothing changed) or -EINVAL (not page aligned, outside the VM area). */
int vm_set_access(void *addr, size_t size, enum vm_access access);
/* Frees the pages; the range stays reserved and inaccessible. */
int vm_decommit(void *addr, size_t size);
/* Makes pages guard pages: any access faults and is reported as a guard hit. */
int vm_guard(void *addr, size_t size);
/* Pages committed in the VM area now. */
uint64_t vm_committed_pages(void);
