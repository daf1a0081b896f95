#include <string.h>
#include "bootinfo.h"

/* Multiboot2 information: https://www.gnu.org/software/grub/manual/multiboot2/ (section 3.6). */
enum { MB2_TAG_END = 0, MB2_TAG_CMDLINE = 1, MB2_TAG_MODULE = 3, MB2_TAG_MMAP = 6, MB2_TAG_ACPI_OLD = 14, MB2_TAG_ACPI_NEW = 15 };

static void add_region(struct boot_info *bi, uint64_t start, uint64_t size, uint32_t type) {
  if (bi->nregions < BOOTINFO_MAX_REGIONS && size)
    bi->regions[bi->nregions++] = (struct mem_region){ start, size, type };
}

static void copy_cmdline(struct boot_info *bi, const char *s, size_t max) {
  size_t n = strnlen(s, max);
  if (n >= sizeof bi->cmdline) n = sizeof bi->cmdline - 1;
  memcpy(bi->cmdline, s, n);
  bi->cmdline[n] = 0;
}

static bool parse_mb2(uint64_t info, phys_ptr_fn phys, struct boot_info *bi, const char **error) {
  const uint32_t *hdr = phys(info, 8);
  uint32_t total = hdr[0];
  if (total < 16 || total > (1u << 20)) { *error = "multiboot2 information has an impossible size"; return false; }
  const uint8_t *base = phys(info, total);
  bi->info_start = info;
  bi->info_size = total;
  for (uint32_t off = 8; off + 8 <= total;) {
    uint32_t type, size;
    memcpy(&type, base + off, 4);
    memcpy(&size, base + off + 4, 4);
    if (type == MB2_TAG_END) break;
    if (size < 8 || off + size > total) { *error = "multiboot2 tag overruns the information"; return false; }
    const uint8_t *tag = base + off;
    if (type == MB2_TAG_CMDLINE) {
      copy_cmdline(bi, (const char *)tag + 8, size - 8);
    } else if (type == MB2_TAG_MODULE && !bi->initrd_size) {
      uint32_t start, end;
      memcpy(&start, tag + 8, 4);
      memcpy(&end, tag + 12, 4);
      if (end < start) { *error = "multiboot2 module ends before it starts"; return false; }
      bi->initrd_start = start;
      bi->initrd_size = end - start;
    } else if ((type == MB2_TAG_ACPI_OLD && !bi->rsdp) || type == MB2_TAG_ACPI_NEW) {
      bi->rsdp = info + off + 8;   /* the tag holds a copy of the RSDP itself */
    } else if (type == MB2_TAG_MMAP) {
      uint32_t entry_size;
      memcpy(&entry_size, tag + 8, 4);
      if (entry_size < 24) { *error = "multiboot2 memory map entries too small"; return false; }
      for (uint32_t e = 16; e + entry_size <= size; e += entry_size) {
        uint64_t addr, len;
        uint32_t t;
        memcpy(&addr, tag + e, 8);
        memcpy(&len, tag + e + 8, 8);
        memcpy(&t, tag + e + 16, 4);
        add_region(bi, addr, len, t);
      }
    }
    off += (size + 7) & ~7u;
  }
  return true;
}

static bool parse_pvh(uint64_t info, phys_ptr_fn phys, struct boot_info *bi, const char **error) {
  const struct hvm_start_info *si = phys(info, sizeof *si);
  if (si->magic != PVH_START_MAGIC) { *error = "unknown boot protocol (neither multiboot2 nor PVH)"; return false; }
  bi->info_start = info;
  bi->info_size = sizeof *si;
  if (si->cmdline_paddr) copy_cmdline(bi, phys(si->cmdline_paddr, 1), sizeof bi->cmdline);
  bi->rsdp = si->rsdp_paddr;
  if (si->nr_modules) {
    const struct hvm_modlist_entry *m = phys(si->modlist_paddr, sizeof *m);
    bi->initrd_start = m->paddr;
    bi->initrd_size = m->size;
  }
  if (si->version < 1 || !si->memmap_paddr) { *error = "PVH start info has no memory map (version 0)"; return false; }
  const struct hvm_memmap_entry *mm = phys(si->memmap_paddr, si->memmap_entries * sizeof *mm);
  for (uint32_t i = 0; i < si->memmap_entries; i++) add_region(bi, mm[i].addr, mm[i].size, mm[i].type);
  return true;
}

bool bootinfo_parse(uint32_t magic, uint64_t info, phys_ptr_fn phys, struct boot_info *bi, const char **error) {
  memset(bi, 0, sizeof *bi);
  *error = 0;
  bool ok;
  if (magic == MB2_BOOT_MAGIC) {
    bi->protocol = BOOT_MULTIBOOT2;
    ok = parse_mb2(info, phys, bi, error);
  } else {
    bi->protocol = BOOT_PVH;
    ok = parse_pvh(info, phys, bi, error);
  }
  if (ok && !bi->nregions) { *error = "the boot loader gave no memory map"; ok = false; }
  return ok;
}
