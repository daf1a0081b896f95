/* Protection is real: read-only, guard and NX pages fault (caught by the probes), page 0 is
 * unmapped, and decommitted memory comes back zeroed. */
#include <string.h>
#include "selftest.h"
#include "../arch/x86_64/fault.h"
#include "../core/memory.h"
#include "../core/paging.h"
#include "../core/vm.h"

static const char *expect_fault(uint64_t addr, uint64_t must_have, uint64_t must_not, int count_before) {
  if (last_probe_fault.count != count_before + 1) return "no fault was recorded";
  if (last_probe_fault.vector != 14) return selftest_fail("vector %lu, not a page fault", last_probe_fault.vector);
  if (last_probe_fault.addr != addr) return selftest_fail("fault at %#lx, expected %#lx", last_probe_fault.addr, addr);
  uint64_t ec = last_probe_fault.error_code;
  if ((ec & must_have) != must_have || (ec & must_not))
    return selftest_fail("page-fault error code %#lx (want bits %#lx set, %#lx clear)", ec, must_have, must_not);
  return 0;
}

static const char *write_protect(void) {
  char *p = vm_reserve(PAGE_SIZE, PAGE_SIZE);
  if (!p || vm_set_access(p, PAGE_SIZE, VM_READ_WRITE)) return "cannot commit a page";
  p[0] = 'x';
  if (vm_set_access(p, PAGE_SIZE, VM_READ)) return "cannot make the page read-only";
  int n = last_probe_fault.count;
  if (probe_read(p)) return "reading a read-only page faulted";
  if (!probe_write(p, 1)) return "writing a read-only page did not fault";
  const char *why = expect_fault((uint64_t)p, PF_PRESENT | PF_WRITE, PF_FETCH, n);
  if (why) return why;
  if (p[0] != 'x') return "the faulting write changed the page";
  /* The kernel's own read-only data is protected too. */
  static const char rodata[16] = "constant";
  n = last_probe_fault.count;
  if (!probe_write((void *)rodata, 1)) return "writing kernel .rodata did not fault";
  if ((why = expect_fault((uint64_t)rodata, PF_PRESENT | PF_WRITE, 0, n))) return why;
  vm_release(p, PAGE_SIZE);
  return 0;
}

static const char *guard_page(void) {
  char *p = vm_reserve(3 * PAGE_SIZE, PAGE_SIZE);
  if (!p || vm_set_access(p, 3 * PAGE_SIZE, VM_READ_WRITE) || vm_guard(p + PAGE_SIZE, PAGE_SIZE))
    return "cannot set up guard page";
  int n = last_probe_fault.count;
  if (probe_read(p) || probe_read(p + 2 * PAGE_SIZE)) return "a page next to the guard faulted";
  if (!probe_read(p + PAGE_SIZE + 100)) return "reading the guard page did not fault";
  const char *why = expect_fault((uint64_t)p + PAGE_SIZE + 100, 0, PF_PRESENT, n);
  if (why) return why;
  if (!paging_is_guard((uint64_t)p + PAGE_SIZE)) return "the fault is not reported as a guard hit";
  vm_release(p, 3 * PAGE_SIZE);
  return 0;
}

static const char *no_execute(void) {
  if (!cpu_has_nx) return "NX is not supported by this CPU model: data pages cannot be made non-executable";
  uint8_t *p = vm_reserve(PAGE_SIZE, PAGE_SIZE);
  if (!p || vm_set_access(p, PAGE_SIZE, VM_READ_WRITE)) return "cannot commit a page";
  static const uint8_t ret0[] = { 0x31, 0xc0, 0xc3 };   /* xor %eax,%eax; ret */
  memcpy(p, ret0, sizeof ret0);
  int n = last_probe_fault.count;
  fault_expect_exec(p);
  if (!probe_exec(p)) return "executing a read-write (NX) page did not fault";
  const char *why = expect_fault((uint64_t)p, PF_PRESENT | PF_FETCH, 0, n);
  if (why) return why;
  if (vm_set_access(p, PAGE_SIZE, VM_READ_EXECUTE)) return "cannot make the page executable";
  if (probe_exec(p)) return "executing a read-execute page faulted";
  if (!probe_write(p, 0)) return "writing a read-execute page did not fault";
  vm_release(p, PAGE_SIZE);
  return 0;
}

static const char *null_page(void) {
  if (!probe_read((void *)0)) return "reading address 0 did not fault";
  if (!probe_read((void *)0xff8)) return "reading page 0 did not fault";
  return 0;
}

static const char *decommit_zeroes(void) {
  uint64_t free_before = kernel_pmm.free_pages;
  char *p = vm_reserve(16 * PAGE_SIZE, 2 << 20);
  if (!p) return "cannot reserve";
  if ((uint64_t)p & ((2 << 20) - 1)) return "reservation ignores its alignment";
  if (!probe_read(p)) return "reserved but uncommitted memory is readable";
  if (vm_set_access(p, 16 * PAGE_SIZE, VM_READ_WRITE)) return "cannot commit";
  memset(p, 0xab, 16 * PAGE_SIZE);
  vm_decommit(p, 16 * PAGE_SIZE);
  if (!probe_read(p + 5 * PAGE_SIZE)) return "decommitted memory is still readable";
  if (vm_set_access(p, 16 * PAGE_SIZE, VM_READ_WRITE)) return "cannot recommit";
  for (size_t i = 0; i < 16 * PAGE_SIZE; i++)
    if (p[i]) return "recommitted memory is not zero";
  vm_release(p, 16 * PAGE_SIZE);
  /* Page tables created on the way may stay; data pages must all be back. */
  if (kernel_pmm.free_pages + 4 < free_before) return selftest_fail("%lu pages leaked", free_before - kernel_pmm.free_pages);
  return 0;
}

static const char *out_of_memory(void) {
  uint64_t too_much = (kernel_pmm.free_pages + 1024) * PAGE_SIZE;
  char *p = vm_reserve(too_much, PAGE_SIZE);
  if (!p) return "cannot reserve address space beyond RAM";
  uint64_t before = kernel_pmm.free_pages;
  if (vm_set_access(p, too_much, VM_READ_WRITE) == 0) return "committing more than RAM succeeded";
  if (kernel_pmm.free_pages != before) return "a failed commit kept pages";
  vm_release(p, too_much);
  return 0;
}

const struct selftest selftests_memory[] = {
  { "memory.write_protect", write_protect },
  { "memory.guard_page", guard_page },
  { "memory.no_execute", no_execute },
  { "memory.null_page", null_page },
  { "memory.decommit_zeroes", decommit_zeroes },
  { "memory.out_of_memory", out_of_memory },
  { 0, 0 },
};
