#include "apic.h"
#include "cpu.h"
#include "trap.h"
#include "../../core/clock.h"

enum { REG_ID = 0x20, REG_EOI = 0xb0, REG_SPURIOUS = 0xf0, REG_LVT_TIMER = 0x320,
       REG_TIMER_INIT = 0x380, REG_TIMER_CURRENT = 0x390, REG_TIMER_DIVIDE = 0x3e0 };

static bool ready, x2apic, tsc_deadline;
static volatile uint32_t *mmio;
static uint64_t timer_hz;     /* one-shot mode: APIC timer ticks per second (divide by 16) */

static void write_reg(uint32_t reg, uint32_t v) {
  if (x2apic) wrmsr(0x800 + (reg >> 4), v);
  else mmio[reg / 4] = v;
}
static uint32_t read_reg(uint32_t reg) {
  return x2apic ? (uint32_t)rdmsr(0x800 + (reg >> 4)) : mmio[reg / 4];
}

void apic_eoi(void) { write_reg(REG_EOI, 0); }

void apic_init(void) {
  outb(0x21, 0xff);   /* mask the legacy PICs: everything goes through the APIC */
  outb(0xa1, 0xff);
  struct cpuid_regs r = cpuid(1, 0);
  x2apic = r.ecx & (1u << 21);
  tsc_deadline = r.ecx & (1u << 24);
  uint64_t base = rdmsr(MSR_APIC_BASE);
  base |= 1u << 11;                          /* enable */
  if (x2apic) base |= 1u << 10;
  wrmsr(MSR_APIC_BASE, base);
  mmio = (volatile uint32_t *)(base & 0xfffff000ull);
  write_reg(REG_SPURIOUS, 0x100 | VEC_SPURIOUS);
  if (tsc_deadline) {
    write_reg(REG_LVT_TIMER, VEC_TIMER | (2u << 17));
  } else {
    write_reg(REG_TIMER_DIVIDE, 0x3);        /* divide by 16 */
    write_reg(REG_LVT_TIMER, VEC_TIMER | (1u << 16));   /* masked while measuring */
    write_reg(REG_TIMER_INIT, 0xffffffff);
    uint64_t t0 = clock_monotonic_ns();
    while (clock_monotonic_ns() - t0 < 2000000) cpu_pause();
    uint32_t elapsed = 0xffffffff - read_reg(REG_TIMER_CURRENT);
    write_reg(REG_TIMER_INIT, 0);
    timer_hz = (uint64_t)elapsed * 500;
    write_reg(REG_LVT_TIMER, VEC_TIMER);     /* one-shot */
  }
  ready = true;
}

void apic_timer_at(uint64_t deadline_ns) {
  if (!ready) return;   /* timers armed before apic_init are programmed by its caller */
  if (tsc_deadline) {
    wrmsr(MSR_TSC_DEADLINE, clock_ns_to_tsc(deadline_ns));
    return;
  }
  uint64_t now = clock_monotonic_ns();
  uint64_t delta = deadline_ns > now ? deadline_ns - now : 0;
  uint64_t ticks = (uint64_t)((unsigned __int128)delta * timer_hz / 1000000000u);
  if (ticks == 0) ticks = 1;
  if (ticks > 0xffffffffu) ticks = 0xffffffffu;
  write_reg(REG_TIMER_INIT, (uint32_t)ticks);
}

const char *apic_mode(void) {
  if (x2apic) return tsc_deadline ? "x2apic, tsc-deadline timer" : "x2apic, one-shot timer";
  return tsc_deadline ? "xapic, tsc-deadline timer" : "xapic, one-shot timer";
}
