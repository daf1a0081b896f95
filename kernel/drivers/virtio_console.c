#include "virtio_console.h"
#include <string.h>
#include "virtio.h"
#include "../arch/x86_64/cpu.h"
#include "../core/clock.h"
#include "../core/log.h"
#include "../core/memory.h"
#include "../core/pmm.h"
#include "../core/sched.h"
#include "../core/sync.h"

#define VIRTIO_TYPE_CONSOLE 3
#define TRANSITIONAL_ID 0x1003
#define TRANSMITQ 1          /* port 0: receiveq 0, transmitq 1 */
#define MAX_SLOTS 64         /* 4 KiB each: 256 KiB in flight at most */
#define SLOT_SIZE PAGE_SIZE

static struct virtio_device dev;
static struct virtq txq;
static uint8_t *slots;       /* slot i belongs to descriptor i */
static struct mutex lock;
static bool present;

static bool match(const struct pci_device *d, void *ctx) {
  if (!virtio_pci_match(d, VIRTIO_TYPE_CONSOLE, TRANSITIONAL_ID)) return false;
  *(struct pci_device *)ctx = *d;
  return true;
}

bool virtio_console_init(void) {
  struct pci_device d;
  if (!pci_scan(match, &d)) return false;
  if (virtio_init(&dev, &d, 0, "virtio-console")) return false;
  if (virtio_queue_setup(&dev, &txq, TRANSMITQ, MAX_SLOTS)) {
    kprintf("virtio-console: cannot set up the transmit queue\n");
    return false;
  }
  uint64_t flags = irq_save();
  uint64_t mem = pmm_alloc_contiguous(&kernel_pmm, txq.size);
  irq_restore(flags);
  if (mem == PMM_NO_PAGE) {
    kprintf("virtio-console: no memory for %u transmit buffers\n", txq.size);
    return false;
  }
  slots = (uint8_t *)mem;
  mutex_init(&lock, false);
  virtio_driver_ok(&dev);
  present = true;
  return true;
}

const char *virtio_console_transport(void) {
  return present ? (dev.modern ? "modern" : "legacy") : 0;
}

static void reclaim(void) {
  uint16_t id;
  uint32_t len;
  while (virtq_take_used(&txq, &id, &len)) {
  }
}

/* A free slot's descriptor id, waiting while the host has not taken earlier buffers yet. */
static uint16_t free_slot(void) {
  for (;;) {
    reclaim();
    if (txq.num_free > 0) return txq.free_head;
    thread_yield();
  }
}

void virtio_console_write(const struct vcon_chunk *chunks, size_t count) {
  if (!present) return;
  mutex_lock(&lock);
  /* The chunks are packed into as few 4 KiB slots as they need, each slot one descriptor. */
  uint16_t id = 0;
  size_t fill = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t *p = chunks[i].data;
    size_t len = chunks[i].len;
    while (len > 0) {
      if (fill == 0) id = free_slot();
      size_t n = SLOT_SIZE - fill < len ? SLOT_SIZE - fill : len;
      memcpy(slots + (size_t)id * SLOT_SIZE + fill, p, n);
      fill += n;
      p += n;
      len -= n;
      if (fill == SLOT_SIZE) {
        virtq_add(&txq, (uint64_t)(slots + (size_t)id * SLOT_SIZE), SLOT_SIZE, false);
        fill = 0;
      }
    }
  }
  if (fill > 0) virtq_add(&txq, (uint64_t)(slots + (size_t)id * SLOT_SIZE), (uint32_t)fill, false);
  virtq_kick(&dev, &txq);
  mutex_unlock(&lock);
}

bool virtio_console_flush(uint64_t timeout_ns) {
  if (!present) return true;
  uint64_t deadline = clock_monotonic_ns() + timeout_ns;
  while (virtq_in_flight(&txq) > 0) {
    if (clock_monotonic_ns() > deadline) return false;
    cpu_pause();
  }
  return true;
}
