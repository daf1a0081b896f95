/* TSC calibration and the clocks built on it. The frequency comes from kvmclock when running
 * under KVM, else CPUID leaf 0x15, else a 10 ms measurement against the PIT. */
#include <string.h>
#include "cpu.h"
#include "../../core/clock.h"
#include "../../drivers/rtc.h"

extern uint64_t boot_tsc;   /* boot.S: the first instruction */

static uint64_t tsc_hz;
static uint64_t ns_per_tsc_q32;    /* ns = ticks * ns_per_tsc_q32 >> 32 */
static const char *source = "none";
static int64_t rtc_epoch;
static uint64_t rtc_read_at_ns;

struct pvclock {
  uint32_t version, pad0;
  uint64_t tsc_timestamp, system_time;
  uint32_t tsc_to_system_mul;
  int8_t tsc_shift;
  uint8_t flags, pad[2];
} __attribute__((packed));

static uint64_t kvmclock_hz(void) {
  struct cpuid_regs r = cpuid(0x40000000, 0);
  char sig[13];
  memcpy(sig, &r.ebx, 4);
  memcpy(sig + 4, &r.ecx, 4);
  memcpy(sig + 8, &r.edx, 4);
  sig[12] = 0;
  if (strcmp(sig, "KVMKVMKVM") || r.eax < 0x40000001) return 0;
  if (!(cpuid(0x40000001, 0).eax & (1u << 3))) return 0;    /* KVM_FEATURE_CLOCKSOURCE2 */
  static struct pvclock pv __attribute__((aligned(64)));
  wrmsr(0x4b564d01, (uint64_t)&pv | 1);
  uint32_t v;
  uint32_t mul;
  int8_t shift;
  do {
    v = __atomic_load_n(&pv.version, __ATOMIC_ACQUIRE);
    mul = pv.tsc_to_system_mul;
    shift = pv.tsc_shift;
  } while ((v & 1) || v != __atomic_load_n(&pv.version, __ATOMIC_ACQUIRE) || !mul);
  wrmsr(0x4b564d01, 0);
  uint64_t hz = (uint64_t)((1000000000ull << 32) / mul);
  return shift >= 0 ? hz >> shift : hz << -shift;
}

static uint64_t cpuid_hz(void) {
  if (cpuid(0, 0).eax < 0x15) return 0;
  struct cpuid_regs r = cpuid(0x15, 0);
  if (!r.eax || !r.ebx || !r.ecx) return 0;
  return (uint64_t)r.ecx * r.ebx / r.eax;
}

/* PIT channel 0 as a reference: always gated on (unlike channel 2, whose gate sits behind the
 * PC speaker port that microvm lacks); its counter is read back with latch commands. */
static uint16_t pit_count(void) {
  outb(0x43, 0x00);                          /* latch channel 0 */
  uint8_t lo = inb(0x40), hi = inb(0x40);
  return (uint16_t)(hi << 8 | lo);
}

static uint64_t pit_hz(void) {
  const uint32_t pit_hz = 1193182, want = pit_hz / 100;   /* 10 ms */
  outb(0x43, 0x34);                          /* channel 0, lo/hi byte, rate generator */
  outb(0x40, 0xff);
  outb(0x40, 0xff);
  uint16_t prev = pit_count(), now;
  while ((now = pit_count()) == prev) cpu_pause();        /* start on a tick edge */
  uint64_t start = rdtsc();
  uint32_t elapsed = 0;
  prev = now;
  while (elapsed < want) {
    now = pit_count();
    elapsed += (uint16_t)(prev - now);       /* counts down, wraps at 0x10000 */
    prev = now;
  }
  return (rdtsc() - start) * pit_hz / elapsed;
}

void clock_init(void) {
  if ((tsc_hz = kvmclock_hz())) source = "kvmclock";
  else if ((tsc_hz = cpuid_hz())) source = "cpuid";
  else { tsc_hz = pit_hz(); source = "pit"; }
  ns_per_tsc_q32 = (uint64_t)(((unsigned __int128)1000000000u << 32) / tsc_hz);
  rtc_epoch = rtc_read_epoch();
  rtc_read_at_ns = clock_monotonic_ns();
}

uint64_t clock_monotonic_ns(void) {
  return (uint64_t)(((unsigned __int128)(rdtsc() - boot_tsc) * ns_per_tsc_q32) >> 32);
}

int64_t clock_realtime_ns(void) {
  return rtc_epoch * 1000000000ll + (int64_t)(clock_monotonic_ns() - rtc_read_at_ns);
}

uint64_t clock_ns_to_tsc(uint64_t ns) {
  return boot_tsc + (uint64_t)((unsigned __int128)ns * tsc_hz / 1000000000u);
}

uint64_t clock_tsc_hz(void) { return tsc_hz; }
const char *clock_source(void) { return source; }
