/* PCI configuration space through the legacy I/O ports (0xcf8/0xcfc, present on q35 and
 * i440fx; microvm has no PCI), device discovery and BAR decoding for the drivers. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

struct pci_device {
  uint8_t bus, dev, fn;
  uint16_t vendor, device;
};

uint32_t pci_read32(const struct pci_device *d, uint8_t off);
uint16_t pci_read16(const struct pci_device *d, uint8_t off);
uint8_t pci_read8(const struct pci_device *d, uint8_t off);
void pci_write16(const struct pci_device *d, uint8_t off, uint16_t v);

/* Calls found() for every function present (bridges' secondary buses included) until it
 * returns true; returns whether one did. */
bool pci_scan(bool (*found)(const struct pci_device *d, void *ctx), void *ctx);

/* BAR n: its address (memory or I/O port), whether it is I/O space, and its size. Returns
 * false for an absent or unassigned BAR. */
bool pci_bar(const struct pci_device *d, unsigned n, uint64_t *addr, uint64_t *size, bool *io);

/* Turns on I/O and memory decoding and bus mastering (DMA). */
void pci_enable(const struct pci_device *d);

/* Offset of the first capability of type id after `after` (0: from the start), or 0. */
uint8_t pci_find_capability(const struct pci_device *d, uint8_t id, uint8_t after);
