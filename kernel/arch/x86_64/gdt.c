/* GDT with a 64-bit TSS whose IST slots give every interrupt vector its own known-good stack.
 * Every vector must use an IST stack: the host-built libraries (V8, libstdc++) use the x86-64
 * red zone, which an interrupt pushing onto the current stack would overwrite. */
#include <stdint.h>
#include <string.h>
#include "cpu.h"
#include "gdt.h"

struct tss {
  uint32_t reserved0;
  uint64_t rsp[3];
  uint64_t reserved1;
  uint64_t ist[7];
  uint64_t reserved2;
  uint16_t reserved3;
  uint16_t iomap_base;
} __attribute__((packed));

static struct tss tss;
static uint64_t gdt[7];
static uint8_t ist_stacks[IST_COUNT][IST_STACK_SIZE] __attribute__((aligned(16)));

void gdt_init(void) {
  gdt[0] = 0;
  gdt[1] = 0x00209a0000000000ull;   /* KERNEL_CS: 64-bit code */
  gdt[2] = 0x0000920000000000ull;   /* KERNEL_DS */
  gdt[3] = 0x00cf9a000000ffffull;   /* 32-bit code (unused after boot, kept for symmetry) */
  uint64_t base = (uint64_t)&tss, limit = sizeof tss - 1;
  gdt[4] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89ull << 40) |
           ((limit >> 16 & 0xf) << 48) | ((base >> 24 & 0xff) << 56);
  gdt[5] = base >> 32;
  for (int i = 0; i < IST_COUNT; i++) tss.ist[i] = (uint64_t)&ist_stacks[i][IST_STACK_SIZE];
  tss.iomap_base = sizeof tss;

  struct { uint16_t limit; uint64_t base; } __attribute__((packed)) ptr = { sizeof gdt - 1, (uint64_t)gdt };
  __asm__ volatile("lgdt %0\n"
                   "pushq %1\n"
                   "leaq 1f(%%rip), %%rax\n"
                   "pushq %%rax\n"
                   "lretq\n"
                   "1: mov %2, %%ax\n"
                   "mov %%ax, %%ds\n mov %%ax, %%es\n mov %%ax, %%ss\n"
                   "mov $0x20, %%ax\n ltr %%ax\n"
                   :: "m"(ptr), "i"(KERNEL_CS), "i"(KERNEL_DS) : "rax", "memory");
}

bool gdt_on_ist_stack(uint64_t addr, int *ist) {
  for (int i = 0; i < IST_COUNT; i++) {
    if (addr >= (uint64_t)ist_stacks[i] && addr < (uint64_t)&ist_stacks[i][IST_STACK_SIZE]) {
      *ist = i + 1;
      return true;
    }
  }
  return false;
}
