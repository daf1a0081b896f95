#include "pci.h"
#include "../arch/x86_64/cpu.h"

#define PCI_ADDR 0xcf8
#define PCI_DATA 0xcfc

static uint32_t address(const struct pci_device *d, uint8_t off) {
  return 0x80000000u | (uint32_t)d->bus << 16 | (uint32_t)d->dev << 11 | (uint32_t)d->fn << 8 | (off & 0xfc);
}

/* Address and data are two port accesses: interrupts off between them. */
uint32_t pci_read32(const struct pci_device *d, uint8_t off) {
  uint64_t f = irq_save();
  outl(PCI_ADDR, address(d, off));
  uint32_t v = inl(PCI_DATA);
  irq_restore(f);
  return v;
}

uint16_t pci_read16(const struct pci_device *d, uint8_t off) {
  return (uint16_t)(pci_read32(d, off) >> ((off & 2) * 8));
}

uint8_t pci_read8(const struct pci_device *d, uint8_t off) {
  return (uint8_t)(pci_read32(d, off) >> ((off & 3) * 8));
}

static void write32(const struct pci_device *d, uint8_t off, uint32_t v) {
  uint64_t f = irq_save();
  outl(PCI_ADDR, address(d, off));
  outl(PCI_DATA, v);
  irq_restore(f);
}

void pci_write16(const struct pci_device *d, uint8_t off, uint16_t v) {
  uint32_t old = pci_read32(d, off & 0xfc);
  unsigned shift = (off & 2) * 8;
  write32(d, off & 0xfc, (old & ~(0xffffu << shift)) | (uint32_t)v << shift);
}

static bool scan_bus(uint8_t bus, unsigned depth, bool (*found)(const struct pci_device *, void *), void *ctx) {
  for (uint8_t dev = 0; dev < 32; dev++) {
    for (uint8_t fn = 0; fn < 8; fn++) {
      struct pci_device d = {bus, dev, fn, 0, 0};
      uint32_t id = pci_read32(&d, 0);
      if ((id & 0xffff) == 0xffff) {
        if (fn == 0) break; /* no device: no other functions either */
        continue;
      }
      d.vendor = (uint16_t)id;
      d.device = (uint16_t)(id >> 16);
      if (found(&d, ctx)) return true;
      uint8_t header = pci_read8(&d, 0x0e);
      /* A PCI-to-PCI bridge: its secondary bus holds more devices (depth bounds a bad topology). */
      if ((header & 0x7f) == 1 && depth < 8) {
        uint8_t secondary = pci_read8(&d, 0x19);
        if (secondary > bus && scan_bus(secondary, depth + 1, found, ctx)) return true;
      }
      if (fn == 0 && !(header & 0x80)) break; /* single-function device */
    }
  }
  return false;
}

bool pci_scan(bool (*found)(const struct pci_device *d, void *ctx), void *ctx) {
  return scan_bus(0, 0, found, ctx);
}

bool pci_bar(const struct pci_device *d, unsigned n, uint64_t *addr, uint64_t *size, bool *io) {
  if (n > 5) return false;
  uint8_t off = (uint8_t)(0x10 + 4 * n);
  uint32_t lo = pci_read32(d, off);
  *io = lo & 1;
  bool is64 = !*io && ((lo >> 1) & 3) == 2;
  uint64_t base = *io ? (lo & ~3u) : (lo & ~0xfu);
  uint32_t hi = is64 ? pci_read32(d, off + 4) : 0;
  base |= (uint64_t)hi << 32;
  /* Size: write all ones, read back the mask, restore (decoding stays off meanwhile). */
  uint16_t cmd = pci_read16(d, 0x04);
  pci_write16(d, 0x04, cmd & ~3u);
  write32(d, off, 0xffffffffu);
  uint64_t mask = pci_read32(d, off);
  write32(d, off, lo);
  if (is64) {
    write32(d, off + 4, 0xffffffffu);
    mask |= (uint64_t)pci_read32(d, off + 4) << 32;
    write32(d, off + 4, hi);
  } else {
    mask |= 0xffffffff00000000ull;
  }
  pci_write16(d, 0x04, cmd);
  mask &= *io ? ~3ull : ~0xfull;
  if (*io) mask |= 0xffffffffffff0000ull; /* I/O BARs decode 16 bits */
  *size = ~mask + 1;
  *addr = base;
  return base != 0 && mask != 0;
}

void pci_enable(const struct pci_device *d) {
  pci_write16(d, 0x04, pci_read16(d, 0x04) | 0x7); /* I/O, memory, bus master */
}

uint8_t pci_find_capability(const struct pci_device *d, uint8_t id, uint8_t after) {
  if (!(pci_read16(d, 0x06) & 0x10)) return 0; /* no capability list */
  uint8_t off = after ? pci_read8(d, (uint8_t)(after + 1)) : pci_read8(d, 0x34);
  for (unsigned guard = 0; off >= 0x40 && guard < 48; guard++) {
    if (pci_read8(d, off) == id) return off;
    off = pci_read8(d, (uint8_t)(off + 1));
  }
  return 0;
}
