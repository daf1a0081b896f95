/* CPU exceptions: recover the self-test probes, and otherwise print the registers and a
 * symbolized backtrace and stop the machine with a failure status. */
#include <stdint.h>
#include "cpu.h"
#include "fault.h"
#include "../../core/log.h"
#include "../../core/ksyms.h"
#include "../../core/paging.h"
#include "../../core/machine.h"

extern const char probe_read_insn[], probe_write_insn[];
struct probe_fault last_probe_fault;
static uint64_t expected_exec;

static const char *const names[32] = {
  "divide error", "debug", "NMI", "breakpoint", "overflow", "bound range", "invalid opcode",
  "device not available", "double fault", "coprocessor overrun", "invalid TSS",
  "segment not present", "stack fault", "general protection", "page fault", "reserved",
  "x87 FP error", "alignment check", "machine check", "SIMD FP error", "virtualization",
  "control protection", [29] = "VMM communication", [30] = "security",
};

void fault_expect_exec(const void *code) { expected_exec = (uint64_t)code; }

/* Resume at the probe's caller with RAX = 1. */
static bool recover_probe(struct trap_frame *f, uint64_t addr) {
  bool at_probe = f->rip == (uint64_t)probe_read_insn || f->rip == (uint64_t)probe_write_insn;
  bool at_exec = expected_exec && f->rip == expected_exec;
  if (!at_probe && !at_exec) return false;
  if (at_exec) expected_exec = 0;
  last_probe_fault = (struct probe_fault){ addr, f->error_code, f->vector, last_probe_fault.count + 1 };
  f->rip = *(uint64_t *)f->rsp;
  f->rsp += 8;
  f->rax = 1;
  return true;
}

void backtrace_print(uint64_t rip, uint64_t rbp, int first_frame) {
  for (int depth = first_frame; depth < first_frame + 32 && rip; depth++) {
    const char *name = "?";
    uint64_t off = 0;
    ksyms_lookup(rip, &name, &off);
    kprintf("  #%-2d %016lx %s+0x%lx\n", depth, rip, name, off);
    /* Follow the frame-pointer chain only through mapped memory: a fault here would land on
     * the same IST stack we are running on. */
    if (!rbp || (rbp & 7) || !paging_is_mapped(rbp) || !paging_is_mapped(rbp + 8)) break;
    rip = ((uint64_t *)rbp)[1];
    rbp = ((uint64_t *)rbp)[0];
  }
}

static void dump_and_stop(struct trap_frame *f, const char *what) {
  log_emergency();
  kprintf("\nKERNEL FAULT: %s (vector %lu, error code 0x%lx)\n", what, f->vector, f->error_code);
  if (f->vector == VEC_PAGE_FAULT) {
    uint64_t ec = f->error_code;
    kprintf("  address %016lx: %s, %s%s\n", read_cr2(), ec & PF_PRESENT ? "protection violation" : "page not present",
            ec & PF_FETCH ? "instruction fetch" : ec & PF_WRITE ? "write" : "read",
            paging_is_guard(read_cr2()) ? " (guard page: stack overflow?)" : "");
  }
  kprintf("  rip %016lx rsp %016lx rflags %016lx\n", f->rip, f->rsp, f->rflags);
  kprintf("  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", f->rax, f->rbx, f->rcx, f->rdx);
  kprintf("  rsi %016lx rdi %016lx rbp %016lx r8  %016lx\n", f->rsi, f->rdi, f->rbp, f->r8);
  kprintf("  r9  %016lx r10 %016lx r11 %016lx r12 %016lx\n", f->r9, f->r10, f->r11, f->r12);
  kprintf("  r13 %016lx r14 %016lx r15 %016lx cr3 %016lx\n", f->r13, f->r14, f->r15, read_cr3());
  kprintf("backtrace:\n");
  const char *name;
  uint64_t off;
  if (ksyms_lookup(f->rip, &name, &off) && off == 0 && paging_is_mapped(f->rsp)) {
    /* Faulted on a function's first instruction: its caller's address is still at [rsp]. */
    kprintf("  #0  %016lx %s+0x0\n", f->rip, name);
    backtrace_print(*(uint64_t *)f->rsp, f->rbp, 1);
  } else {
    backtrace_print(f->rip, f->rbp, 0);
  }
  machine_exit(EXIT_KERNEL_FAULT);
}

void fault_handle(struct trap_frame *f) {
  if (f->vector == VEC_PAGE_FAULT && recover_probe(f, read_cr2())) return;
  if (f->vector == 13 && recover_probe(f, 0)) return;
  dump_and_stop(f, names[f->vector] ? names[f->vector] : "reserved exception");
}

void fault_unexpected_interrupt(struct trap_frame *f) {
  dump_and_stop(f, "unexpected interrupt");
}
