/* Kernel randomness: a ChaCha20 generator seeded from RDSEED/RDRAND when the CPU has them.
 * Without them the seed is TSC jitter, which is weak: random_init says so on the console. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

void random_init(void);
void random_bytes(void *buf, size_t n);
/* Mixes more entropy into the key (e.g. from virtio-rng later). */
void random_mix(const void *data, size_t n);
const char *random_source(void);
