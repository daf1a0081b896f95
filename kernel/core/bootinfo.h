/* What the boot loader tells the kernel, whichever protocol it used: the memory map, the
 * command line and the initrd. Parsing is pure so the host unit tests can run it. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MB2_BOOT_MAGIC 0x36d76289u
#define PVH_START_MAGIC 0x336ec578u
#define BOOTINFO_MAX_REGIONS 64

/* PVH's start info (xen/include/public/arch-x86/hvm/start_info.h, version 1). */
struct hvm_start_info {
  uint32_t magic, version, flags, nr_modules;
  uint64_t modlist_paddr, cmdline_paddr, rsdp_paddr, memmap_paddr;
  uint32_t memmap_entries, reserved;
};
struct hvm_modlist_entry { uint64_t paddr, size, cmdline_paddr, reserved; };
struct hvm_memmap_entry { uint64_t addr, size; uint32_t type, reserved; };

enum boot_protocol { BOOT_UNKNOWN, BOOT_MULTIBOOT2, BOOT_PVH };
enum mem_type { MEM_USABLE = 1, MEM_RESERVED = 2, MEM_ACPI = 3, MEM_NVS = 4, MEM_BAD = 5 };

struct mem_region { uint64_t start, size; uint32_t type; };

struct boot_info {
  enum boot_protocol protocol;
  struct mem_region regions[BOOTINFO_MAX_REGIONS];
  size_t nregions;
  char cmdline[512];
  uint64_t initrd_start, initrd_size;   /* physical; size 0 when there is none */
  uint64_t info_start, info_size;       /* the loader's own structures, to keep free of */
  uint64_t rsdp;                        /* ACPI root pointer (physical), 0 when not given */
};

/* `phys` turns a physical address into a pointer (identity in the kernel). Returns false with
 * a reason in `error` when the structures are not what the protocol promises. */
typedef const void *(*phys_ptr_fn)(uint64_t phys, size_t len);
bool bootinfo_parse(uint32_t magic, uint64_t info, phys_ptr_fn phys, struct boot_info *out, const char **error);
