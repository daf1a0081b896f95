#include <string.h>
#include "random.h"
#include "log.h"
#include "../arch/x86_64/cpu.h"

static uint32_t key[8];
static uint64_t counter;
static const char *source = "unseeded";

#define ROTL(a, b) (((a) << (b)) | ((a) >> (32 - (b))))
#define QR(a, b, c, d) (a += b, d ^= a, d = ROTL(d, 16), c += d, b ^= c, b = ROTL(b, 12), \
                        a += b, d ^= a, d = ROTL(d, 8), c += d, b ^= c, b = ROTL(b, 7))

static void chacha20_block(const uint32_t k[8], uint64_t ctr, uint32_t out[16]) {
  uint32_t s[16] = { 0x61707865, 0x3320646e, 0x79622d32, 0x6b206574,
                     k[0], k[1], k[2], k[3], k[4], k[5], k[6], k[7],
                     (uint32_t)ctr, (uint32_t)(ctr >> 32), 0, 0 };
  uint32_t x[16];
  memcpy(x, s, sizeof x);
  for (int i = 0; i < 10; i++) {
    QR(x[0], x[4], x[8], x[12]); QR(x[1], x[5], x[9], x[13]);
    QR(x[2], x[6], x[10], x[14]); QR(x[3], x[7], x[11], x[15]);
    QR(x[0], x[5], x[10], x[15]); QR(x[1], x[6], x[11], x[12]);
    QR(x[2], x[7], x[8], x[13]); QR(x[3], x[4], x[9], x[14]);
  }
  for (int i = 0; i < 16; i++) out[i] = x[i] + s[i];
}

static bool hw_random64(bool seed, uint64_t *v) {
  for (int tries = 0; tries < 100; tries++) {
    unsigned char ok;
    if (seed) __asm__ volatile("rdseed %0; setc %1" : "=r"(*v), "=qm"(ok));
    else __asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok));
    if (ok) return true;
    cpu_pause();
  }
  return false;
}

void random_mix(const void *data, size_t n) {
  uint64_t flags = irq_save();
  const uint8_t *p = data;
  for (size_t i = 0; i < n; i++) ((uint8_t *)key)[i % sizeof key] ^= p[i];
  uint32_t block[16];
  chacha20_block(key, counter++, block);   /* the new key depends on all of the old one */
  memcpy(key, block, sizeof key);
  irq_restore(flags);
}

void random_init(void) {
  bool has_rdseed = cpuid(0, 0).eax >= 7 && (cpuid(7, 0).ebx & (1u << 18));
  bool has_rdrand = cpuid(1, 0).ecx & (1u << 30);
  uint64_t seed[4];
  bool ok = false;
  if (has_rdseed || has_rdrand) {
    ok = true;
    for (int i = 0; i < 4 && ok; i++) ok = hw_random64(has_rdseed, &seed[i]) || hw_random64(false, &seed[i]);
    source = has_rdseed ? "rdseed" : "rdrand";
  }
  if (!ok) {
    /* No hardware source: timing jitter of CPUID, which traps to the hypervisor. */
    for (int i = 0; i < 4; i++) {
      uint64_t acc = 0;
      for (int j = 0; j < 64; j++) {
        uint64_t t0 = rdtsc();
        cpuid(0, 0);
        acc = (acc << 1 | acc >> 63) ^ (rdtsc() - t0);
      }
      seed[i] = acc;
    }
    source = "tsc-jitter (weak: the CPU has no RDRAND/RDSEED)";
    kprintf("random: the CPU has no RDRAND/RDSEED; seeding from timing jitter (weak) until virtio-rng exists\n");
  }
  random_mix(seed, sizeof seed);
  memset(seed, 0, sizeof seed);
}

void random_bytes(void *buf, size_t n) {
  uint8_t *p = buf;
  uint64_t flags = irq_save();
  while (n) {
    uint32_t block[16];
    chacha20_block(key, counter++, block);
    size_t take = n < sizeof block ? n : sizeof block;
    memcpy(p, block, take);
    p += take;
    n -= take;
  }
  /* Forward secrecy: the key that produced this output is gone. */
  uint32_t next[16];
  chacha20_block(key, counter++, next);
  memcpy(key, next, sizeof key);
  irq_restore(flags);
}

const char *random_source(void) { return source; }
