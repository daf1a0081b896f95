/* The heap under newlib's malloc: one large reservation in the VM area, committed as sbrk
 * grows it. Memory never appears on a fault; running out gives ENOMEM to malloc. */
#include <errno.h>
#include <stdint.h>
#include "../core/vm.h"
#include "../core/pmm.h"


#define HEAP_RESERVATION (64ull << 30)

static char *heap_start, *heap_brk, *heap_committed;

void *sbrk(ptrdiff_t increment) {
  if (!heap_start) {
    heap_start = vm_reserve(HEAP_RESERVATION, 2 << 20);
    if (!heap_start) { errno = ENOMEM; return (void *)-1; }
    heap_brk = heap_committed = heap_start;
  }
  char *old = heap_brk, *want = heap_brk + increment;
  if (want < heap_start || want > heap_start + HEAP_RESERVATION) { errno = ENOMEM; return (void *)-1; }
  if (want > heap_committed) {
    char *end = (char *)(((uintptr_t)want + PAGE_SIZE - 1) & ~(uintptr_t)(PAGE_SIZE - 1));
    if (vm_set_access(heap_committed, (size_t)(end - heap_committed), VM_READ_WRITE)) {
      errno = ENOMEM;
      return (void *)-1;
    }
    heap_committed = end;
  }
  heap_brk = want;
  return old;
}

/* newlib's aligned_alloc calls posix_memalign, which this newlib lacks. */
#include <malloc.h>
int posix_memalign(void **out, size_t align, size_t size) {
  if (align < sizeof(void *) || (align & (align - 1))) return EINVAL;
  void *p = memalign(align, size);
  if (!p) return ENOMEM;
  *out = p;
  return 0;
}
