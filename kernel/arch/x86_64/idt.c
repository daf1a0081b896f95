/* The IDT: 256 interrupt gates, each on an IST stack (see gdt.h), and the dispatcher the
 * assembly stubs call. */
#include <stdint.h>
#include "cpu.h"
#include "gdt.h"
#include "trap.h"
#include "fault.h"
#include "../../core/sched.h"

struct idt_gate {
  uint16_t offset_lo, selector;
  uint8_t ist, type_attr;
  uint16_t offset_mid;
  uint32_t offset_hi, zero;
} __attribute__((packed));

extern const uint64_t isr_stub_table[256];
static struct idt_gate idt[256];
static irq_handler_fn handlers[256];

static uint8_t ist_for(int vec) {
  switch (vec) {
  case 2: return IST_NMI;
  case 8: return IST_DOUBLE_FAULT;
  case 14: return IST_PAGE_FAULT;
  case 18: return IST_MACHINE_CHECK;
  default: return vec < 32 ? IST_EXCEPTION : IST_IRQ;
  }
}

void idt_init(void) {
  for (int v = 0; v < 256; v++) {
    uint64_t a = isr_stub_table[v];
    idt[v] = (struct idt_gate){
      .offset_lo = a & 0xffff, .selector = KERNEL_CS, .ist = ist_for(v),
      .type_attr = 0x8e,   /* present, ring 0, 64-bit interrupt gate (IF cleared on entry) */
      .offset_mid = a >> 16 & 0xffff, .offset_hi = a >> 32,
    };
  }
  struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = { sizeof idt - 1, (uint64_t)idt };
  __asm__ volatile("lidt %0" ::"m"(ptr));
}

void irq_set_handler(uint8_t vector, irq_handler_fn fn) { handlers[vector] = fn; }

void trap_dispatch(struct trap_frame *f) {
  if (f->vector < 32) {
    fault_handle(f);
  } else if (f->vector == VEC_YIELD) {
    sched_request_switch();
  } else if (handlers[f->vector]) {
    handlers[f->vector](f);
  } else if (f->vector != VEC_SPURIOUS) {
    fault_unexpected_interrupt(f);
  }
  sched_on_trap_exit(f);
}
