/* mmap and friends for anonymous memory, on the kernel's VM area (core/vm.h): a mapping is a
 * reservation; pages are committed (zeroed) when their protection allows access, like Linux's
 * demand-zero memory but without faults. File mappings do not exist: ENODEV. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "glibc_abi.h"
#include "../../core/memory.h"
#include "../../core/paging.h"
#include "../../core/pmm.h"
#include "../../core/vm.h"

static enum vm_access access_of(int prot) {
  if (!(prot & (GLIBC_PROT_READ | GLIBC_PROT_WRITE | GLIBC_PROT_EXEC))) return VM_NONE;
  if (prot & GLIBC_PROT_WRITE) return prot & GLIBC_PROT_EXEC ? VM_READ_WRITE_EXECUTE : VM_READ_WRITE;
  return prot & GLIBC_PROT_EXEC ? VM_READ_EXECUTE : VM_READ;
}

static size_t page_round(size_t n) { return (n + PAGE_SIZE - 1) & ~(size_t)(PAGE_SIZE - 1); }

void *mmap(void *addr, size_t len, int prot, int flags, int fd, long off) {
  (void)off;
  if (!len) { errno = EINVAL; return GLIBC_MAP_FAILED; }
  if (!(flags & GLIBC_MAP_ANONYMOUS) || fd != -1) { errno = ENODEV; return GLIBC_MAP_FAILED; }
  if (flags & GLIBC_MAP_SHARED) { errno = EINVAL; return GLIBC_MAP_FAILED; }
  len = page_round(len);
  void *p;
  if (flags & GLIBC_MAP_FIXED) {
    /* Only over memory this layer handed out: replace its contents with fresh pages. */
    p = addr;
    if ((uintptr_t)p & (PAGE_SIZE - 1) || vm_decommit(p, len)) { errno = EINVAL; return GLIBC_MAP_FAILED; }
  } else {
    p = vm_reserve(len, PAGE_SIZE);   /* hints are not honoured: the VM area has its own layout */
    if (!p) { errno = ENOMEM; return GLIBC_MAP_FAILED; }
  }
  enum vm_access a = access_of(prot);
  if (a != VM_NONE && vm_set_access(p, len, a)) {
    if (!(flags & GLIBC_MAP_FIXED)) vm_release(p, len);
    errno = ENOMEM;
    return GLIBC_MAP_FAILED;
  }
  return p;
}

int munmap(void *addr, size_t len) {
  if ((uintptr_t)addr & (PAGE_SIZE - 1) || !len || vm_release(addr, page_round(len))) { errno = EINVAL; return -1; }
  return 0;
}

int mprotect(void *addr, size_t len, int prot) {
  if ((uintptr_t)addr & (PAGE_SIZE - 1)) { errno = EINVAL; return -1; }
  int rc = vm_set_access(addr, page_round(len), access_of(prot));
  if (rc) { errno = rc == -ENOMEM ? ENOMEM : EINVAL; return -1; }
  return 0;
}

/* MADV_DONTNEED: the pages read as zero afterwards (and keep their protection); MADV_FREE and
 * the other hints change nothing, which Linux allows. */
int madvise(void *addr, size_t len, int advice) {
  if ((uintptr_t)addr & (PAGE_SIZE - 1)) { errno = EINVAL; return -1; }
  if (advice == GLIBC_MADV_DONTNEED) {
    for (uintptr_t va = (uintptr_t)addr; va < (uintptr_t)addr + len; va += PAGE_SIZE) {
      uint64_t e = paging_get(va);
      if (e & PTE_PRESENT) memset((void *)(e & PTE_ADDR_MASK), 0, PAGE_SIZE);
    }
  }
  return 0;
}

/* Growing a mapping in place is not supported: callers fall back to map-copy-unmap. */
void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...) {
  (void)old; (void)old_len; (void)new_len; (void)flags;
  errno = ENOMEM;
  return GLIBC_MAP_FAILED;
}

long glibc_sysconf(int name) {
  switch (name) {
  case GLIBC_SC_PAGESIZE: return PAGE_SIZE;
  case GLIBC_SC_NPROCESSORS_CONF:
  case GLIBC_SC_NPROCESSORS_ONLN: return 1;
  case GLIBC_SC_PHYS_PAGES: return (long)(memory_max_phys / PAGE_SIZE);
  case GLIBC_SC_CLK_TCK: return 100;
  case GLIBC_SC_OPEN_MAX: return 64;
  default: errno = EINVAL; return -1;
  }
}
long glibc___sysconf(int name) { return glibc_sysconf(name); }
int getpagesize(void) { return PAGE_SIZE; }
