#include <string.h>
#include "acpi.h"
#include "../arch/x86_64/cpu.h"
#include "../core/log.h"

struct rsdp { char sig[8]; uint8_t checksum; char oem[6]; uint8_t revision; uint32_t rsdt; uint32_t length; uint64_t xsdt; } __attribute__((packed));
struct sdt { char sig[4]; uint32_t length; uint8_t revision, checksum; char oem[6], oem_table[8]; uint32_t oem_rev, creator, creator_rev; } __attribute__((packed));

static uint16_t pm1a_cnt, pm1b_cnt;
static uint16_t slp_typ_a, slp_typ_b;
static bool ready;

static bool checksum_ok(const void *p, size_t n) {
  uint8_t sum = 0;
  for (size_t i = 0; i < n; i++) sum += ((const uint8_t *)p)[i];
  return sum == 0;
}

static const struct rsdp *find_rsdp(uint64_t given) {
  if (given) return (const struct rsdp *)given;
  for (uint64_t a = 0xe0000; a < 0x100000; a += 16)
    if (!memcmp((const void *)a, "RSD PTR ", 8) && checksum_ok((const void *)a, 20)) return (const struct rsdp *)a;
  return 0;
}

static const struct sdt *find_table(const struct rsdp *r, const char *sig) {
  bool x = r->revision >= 2 && r->xsdt;
  const struct sdt *root = (const struct sdt *)(x ? r->xsdt : r->rsdt);
  if (!root || root->length < sizeof *root) return 0;
  size_t n = (root->length - sizeof *root) / (x ? 8 : 4);
  const uint8_t *entries = (const uint8_t *)(root + 1);
  for (size_t i = 0; i < n; i++) {
    uint64_t addr = 0;
    memcpy(&addr, entries + i * (x ? 8 : 4), x ? 8 : 4);
    const struct sdt *t = (const struct sdt *)addr;
    if (t && !memcmp(t->sig, sig, 4)) return t;
  }
  return 0;
}

/* A package element of \_S5: ZeroOp, OneOp, BytePrefix n, or a small integer. */
static const uint8_t *aml_integer(const uint8_t *p, uint16_t *value) {
  if (*p == 0x0a) { *value = p[1]; return p + 2; }
  if (*p == 0x00 || *p == 0x01) { *value = *p; return p + 1; }
  *value = *p;
  return p + 1;
}

void acpi_init(uint64_t given) {
  const struct rsdp *r = find_rsdp(given);
  if (!r) return;
  const struct sdt *fadt = find_table(r, "FACP");
  if (!fadt || fadt->length < 72) return;
  const uint8_t *f = (const uint8_t *)fadt;
  uint32_t dsdt32, a, b;
  memcpy(&dsdt32, f + 40, 4);
  memcpy(&a, f + 64, 4);
  memcpy(&b, f + 68, 4);
  uint64_t dsdt_addr = dsdt32;
  if (fadt->length >= 148) {
    uint64_t x;
    memcpy(&x, f + 140, 8);
    if (x) dsdt_addr = x;
  }
  const struct sdt *dsdt = (const struct sdt *)dsdt_addr;
  if (!a || !dsdt || memcmp(dsdt->sig, "DSDT", 4)) return;
  const uint8_t *aml = (const uint8_t *)(dsdt + 1), *end = (const uint8_t *)dsdt + dsdt->length;
  for (const uint8_t *p = aml; p + 8 < end; p++) {
    /* NameOp "_S5_" PackageOp PkgLength NumElements ... (optionally a root prefix '\\'). */
    if (memcmp(p, "_S5_", 4) || p[4] != 0x12 || (p[-1] != 0x08 && !(p[-1] == '\\' && p[-2] == 0x08))) continue;
    const uint8_t *q = p + 5;
    q += ((*q >> 6) & 3) + 1;   /* PkgLength: lead byte plus 0..3 more */
    q++;                        /* NumElements */
    q = aml_integer(q, &slp_typ_a);
    aml_integer(q, &slp_typ_b);
    pm1a_cnt = (uint16_t)a;
    pm1b_cnt = (uint16_t)b;
    ready = true;
    return;
  }
}

bool acpi_can_power_off(void) { return ready; }

void acpi_power_off(void) {
  if (!ready) return;
  outw(pm1a_cnt, (uint16_t)(slp_typ_a << 10 | 1 << 13));
  if (pm1b_cnt) outw(pm1b_cnt, (uint16_t)(slp_typ_b << 10 | 1 << 13));
}
