#include "ksyms.h"

struct ksym { uint64_t addr; uint32_t name; uint32_t pad; };
/* Weak, empty in the first link; the generated object defines them in the final one. */
extern const struct ksym ksyms_table[] __attribute__((weak));
extern const uint64_t ksyms_count __attribute__((weak));
extern const char ksyms_names[] __attribute__((weak));

bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset) {
  if (!&ksyms_count || !ksyms_count) return false;
  uint64_t lo = 0, hi = ksyms_count;
  while (hi - lo > 1) {
    uint64_t mid = (lo + hi) / 2;
    if (ksyms_table[mid].addr <= addr) lo = mid; else hi = mid;
  }
  if (ksyms_table[lo].addr > addr) return false;
  *name = ksyms_names + ksyms_table[lo].name;
  *offset = addr - ksyms_table[lo].addr;
  return true;
}
