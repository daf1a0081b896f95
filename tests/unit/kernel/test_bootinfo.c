/* Multiboot2 and PVH boot information parsing, on structures built here. Physical addresses
 * are host pointers (the parser reaches memory through the `phys` callback). */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "bootinfo.h"

static const void *identity(uint64_t phys, size_t len) { (void)len; return (const void *)(uintptr_t)phys; }

static uint8_t *put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); return p + 4; }
static uint8_t *put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); return p + 8; }
static uint8_t *align8(uint8_t *base, uint8_t *p) { while ((p - base) % 8) *p++ = 0; return p; }

static void multiboot2(void) {
  static uint8_t buf[512] __attribute__((aligned(8)));
  uint8_t *p = buf + 8, *tag;
  tag = p; p = put32(p, 1); p = put32(p, 8 + 17); memcpy(p, "selftest quiet=1", 17); p += 17; p = align8(buf, p);
  (void)tag;
  p = put32(p, 3); p = put32(p, 16 + 7); p = put32(p, 0x400000); p = put32(p, 0x401234); memcpy(p, "initrd", 7); p += 7;
  p = align8(buf, p);
  p = put32(p, 6); p = put32(p, 16 + 3 * 24); p = put32(p, 24); p = put32(p, 0);
  p = put64(p, 0); p = put64(p, 0x9fc00); p = put32(p, 1); p = put32(p, 0);
  p = put64(p, 0x100000); p = put64(p, 0x7ee0000); p = put32(p, 1); p = put32(p, 0);
  p = put64(p, 0xfffc0000); p = put64(p, 0x40000); p = put32(p, 2); p = put32(p, 0);
  p = put32(p, 0); p = put32(p, 8);
  put32(buf, (uint32_t)(p - buf));
  put32(buf + 4, 0);

  struct boot_info bi;
  const char *err;
  CHECK(bootinfo_parse(MB2_BOOT_MAGIC, (uint64_t)(uintptr_t)buf, identity, &bi, &err));
  CHECK_EQ(bi.protocol, BOOT_MULTIBOOT2);
  CHECK_STR(bi.cmdline, "selftest quiet=1");
  CHECK_EQ(bi.initrd_start, 0x400000);
  CHECK_EQ(bi.initrd_size, 0x1234);
  CHECK_EQ(bi.nregions, 3);
  CHECK_EQ(bi.regions[1].start, 0x100000);
  CHECK_EQ(bi.regions[1].size, 0x7ee0000);
  CHECK_EQ(bi.regions[2].type, MEM_RESERVED);
  CHECK_EQ(bi.info_size, (uint64_t)(p - buf));

  /* A tag that runs past the end is rejected with a reason. */
  put32(buf + 12, 4000);
  CHECK(!bootinfo_parse(MB2_BOOT_MAGIC, (uint64_t)(uintptr_t)buf, identity, &bi, &err));
  CHECK(err && strstr(err, "overruns"));
}

static void pvh(void) {
  static const char cmdline[] = "selftest=crash";
  static struct hvm_modlist_entry mod = { 0x2000000, 777, 0, 0 };
  static struct hvm_memmap_entry map[2] = { { 0, 0x9fc00, 1, 0 }, { 0x100000, 0xff00000, 1, 0 } };
  struct hvm_start_info si = { PVH_START_MAGIC, 1, 0, 1, (uint64_t)(uintptr_t)&mod, (uint64_t)(uintptr_t)cmdline,
                               0xf5a40, (uint64_t)(uintptr_t)map, 2, 0 };
  struct boot_info bi;
  const char *err;
  CHECK(bootinfo_parse(0, (uint64_t)(uintptr_t)&si, identity, &bi, &err));
  CHECK_EQ(bi.protocol, BOOT_PVH);
  CHECK_STR(bi.cmdline, "selftest=crash");
  CHECK_EQ(bi.initrd_start, 0x2000000);
  CHECK_EQ(bi.initrd_size, 777);
  CHECK_EQ(bi.nregions, 2);
  CHECK_EQ(bi.regions[1].size, 0xff00000);
  CHECK_EQ(bi.rsdp, 0xf5a40);

  si.version = 0;   /* version 0 has no memory map */
  CHECK(!bootinfo_parse(0, (uint64_t)(uintptr_t)&si, identity, &bi, &err));
  CHECK(err && strstr(err, "no memory map"));
  si.version = 1;
  si.magic = 0x12345678;
  CHECK(!bootinfo_parse(0, (uint64_t)(uintptr_t)&si, identity, &bi, &err));
  CHECK(err && strstr(err, "unknown boot protocol"));
}

int main(void) {
  multiboot2();
  pvh();
  return CHECK_DONE();
}
