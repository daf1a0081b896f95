/* Virtio over PCI: the 1.0 "modern" transport (configuration structures found through
 * vendor capabilities, in memory BARs) with the legacy I/O-port transport as the fallback,
 * feature negotiation, and split virtqueues. The drivers poll the used rings: no interrupts. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "pci.h"

#define VIRTIO_VENDOR 0x1af4
#define VIRTIO_F_VERSION_1 (1ull << 32)

struct vring_desc {
  uint64_t addr;
  uint32_t len;
  uint16_t flags;
  uint16_t next;
};
#define VRING_DESC_F_NEXT 1
#define VRING_DESC_F_WRITE 2

struct vring_avail {
  uint16_t flags;
  uint16_t idx;
  uint16_t ring[];
};
#define VRING_AVAIL_F_NO_INTERRUPT 1

struct vring_used_elem {
  uint32_t id;
  uint32_t len;
};
struct vring_used {
  uint16_t flags;
  uint16_t idx;
  struct vring_used_elem ring[];
};

struct virtq {
  uint16_t index, size;
  struct vring_desc *desc;
  struct vring_avail *avail;
  volatile struct vring_used *used;
  uint16_t free_head, num_free, last_used;
  volatile uint16_t *notify; /* modern: where the queue index is written */
};

struct virtio_device {
  struct pci_device pci;
  bool modern;
  volatile uint8_t *common, *isr, *config; /* modern */
  volatile uint8_t *notify_base;
  uint32_t notify_multiplier;
  uint16_t io; /* legacy: the I/O BAR */
  uint64_t features;
};

/* Device IDs: modern-only 0x1040 + type, transitional 0x1000 + (type-dependent). */
bool virtio_pci_match(const struct pci_device *d, uint16_t type, uint16_t transitional_id);

/* Resets the device, acknowledges it and negotiates features: the device's set intersected
 * with `wanted` (VERSION_1 added on the modern transport). Returns 0, or -1 after printing why. */
int virtio_init(struct virtio_device *v, const struct pci_device *d, uint64_t wanted, const char *name);

/* Sets up queue `index` with at most `max_size` entries (pages from the page allocator). */
int virtio_queue_setup(struct virtio_device *v, struct virtq *q, uint16_t index, uint16_t max_size);

/* Resets the device: it stops using our queues and buffers. */
void virtio_reset(struct virtio_device *v);

/* Tells the device the driver is ready: queues may be used from now on. */
void virtio_driver_ok(struct virtio_device *v);

/* Device-specific configuration: byte `off` of it. */
uint8_t virtio_config8(const struct virtio_device *v, unsigned off);

/* Queues one buffer (one descriptor) for the device; returns its descriptor id or -1 when the
 * queue is full. The buffer's address is physical. */
int virtq_add(struct virtq *q, uint64_t phys, uint32_t len, bool device_writes);
/* Makes the queued buffers visible and notifies the device. */
void virtq_kick(const struct virtio_device *v, struct virtq *q);
/* Takes one buffer the device has finished with; false when there is none. */
bool virtq_take_used(struct virtq *q, uint16_t *id, uint32_t *len);
/* Buffers the device has not given back yet. */
unsigned virtq_in_flight(const struct virtq *q);
