/* The register frame every interrupt and exception stub saves, and the trap entry points. */
#pragma once
#include <stdint.h>

struct trap_frame {
  uint8_t fpu[512] __attribute__((aligned(16)));   /* FXSAVE area */
  uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
  uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
  uint64_t vector, error_code;
  uint64_t rip, cs, rflags, rsp, ss;   /* pushed by the CPU */
};

enum {
  VEC_PAGE_FAULT = 14,
  VEC_IRQ_BASE = 32,
  VEC_TIMER = 0x40,
  VEC_YIELD = 0x81,       /* software interrupt: a thread gives up the CPU */
  VEC_SPURIOUS = 0xff,
};

typedef void (*irq_handler_fn)(struct trap_frame *f);

void gdt_init(void);
void idt_init(void);
void irq_set_handler(uint8_t vector, irq_handler_fn fn);
void trap_dispatch(struct trap_frame *f);   /* called by the stubs in isr.S */
