#include "virtio.h"
#include <string.h>
#include "../arch/x86_64/cpu.h"
#include "../core/log.h"
#include "../core/memory.h"
#include "../core/paging.h"
#include "../core/pmm.h"

/* Device status bits. */
#define ST_ACKNOWLEDGE 1
#define ST_DRIVER 2
#define ST_DRIVER_OK 4
#define ST_FEATURES_OK 8
#define ST_FAILED 128

/* Modern: vendor capability types and the common configuration layout. */
#define CAP_VENDOR 0x09
#define CFG_COMMON 1
#define CFG_NOTIFY 2
#define CFG_ISR 3
#define CFG_DEVICE 4
enum {
  C_DEVICE_FEATURE_SELECT = 0, C_DEVICE_FEATURE = 4, C_DRIVER_FEATURE_SELECT = 8, C_DRIVER_FEATURE = 12,
  C_NUM_QUEUES = 18, C_STATUS = 20, C_QUEUE_SELECT = 22, C_QUEUE_SIZE = 24, C_QUEUE_MSIX = 26,
  C_QUEUE_ENABLE = 28, C_QUEUE_NOTIFY_OFF = 30, C_QUEUE_DESC = 32, C_QUEUE_DRIVER = 40, C_QUEUE_DEVICE = 48,
};

/* Legacy: the registers of I/O BAR 0 (no MSI-X: device configuration at 20). */
enum {
  L_HOST_FEATURES = 0, L_GUEST_FEATURES = 4, L_QUEUE_PFN = 8, L_QUEUE_SIZE = 12, L_QUEUE_SELECT = 14,
  L_QUEUE_NOTIFY = 16, L_STATUS = 18, L_ISR = 19, L_CONFIG = 20,
};

static inline void barrier(void) { __atomic_thread_fence(__ATOMIC_SEQ_CST); }

static void c_w8(struct virtio_device *v, unsigned off, uint8_t x) { *(volatile uint8_t *)(v->common + off) = x; }
static void c_w16(struct virtio_device *v, unsigned off, uint16_t x) { *(volatile uint16_t *)(v->common + off) = x; }
static void c_w32(struct virtio_device *v, unsigned off, uint32_t x) { *(volatile uint32_t *)(v->common + off) = x; }
static void c_w64(struct virtio_device *v, unsigned off, uint64_t x) {
  c_w32(v, off, (uint32_t)x);
  c_w32(v, off + 4, (uint32_t)(x >> 32));
}
static uint8_t c_r8(struct virtio_device *v, unsigned off) { return *(volatile uint8_t *)(v->common + off); }
static uint16_t c_r16(struct virtio_device *v, unsigned off) { return *(volatile uint16_t *)(v->common + off); }
static uint32_t c_r32(struct virtio_device *v, unsigned off) { return *(volatile uint32_t *)(v->common + off); }

static void set_status(struct virtio_device *v, uint8_t s) {
  if (v->modern) c_w8(v, C_STATUS, s);
  else outb((uint16_t)(v->io + L_STATUS), s);
}
static uint8_t get_status(struct virtio_device *v) {
  return v->modern ? c_r8(v, C_STATUS) : inb((uint16_t)(v->io + L_STATUS));
}

bool virtio_pci_match(const struct pci_device *d, uint16_t type, uint16_t transitional_id) {
  return d->vendor == VIRTIO_VENDOR && (d->device == 0x1040 + type || d->device == transitional_id);
}

/* Maps the region a modern capability points at; NULL when its BAR is unusable. */
static volatile uint8_t *cap_region(const struct pci_device *d, uint8_t cap, uint32_t *len) {
  uint8_t bar = pci_read8(d, (uint8_t)(cap + 4));
  uint32_t off = pci_read32(d, (uint8_t)(cap + 8));
  *len = pci_read32(d, (uint8_t)(cap + 12));
  uint64_t addr, size;
  bool io;
  if (!pci_bar(d, bar, &addr, &size, &io) || io || (uint64_t)off + *len > size) return 0;
  if (paging_map_mmio(addr + off, *len)) return 0;
  return (volatile uint8_t *)(addr + off);
}

/* Finds the modern configuration structures; false when the device has none (legacy only). */
static bool find_modern(struct virtio_device *v) {
  const struct pci_device *d = &v->pci;
  for (uint8_t cap = pci_find_capability(d, CAP_VENDOR, 0); cap; cap = pci_find_capability(d, CAP_VENDOR, cap)) {
    uint8_t type = pci_read8(d, (uint8_t)(cap + 3));
    uint32_t len;
    volatile uint8_t **slot = type == CFG_COMMON ? &v->common : type == CFG_ISR ? &v->isr
                             : type == CFG_DEVICE ? &v->config : type == CFG_NOTIFY ? &v->notify_base : 0;
    if (!slot || *slot) continue; /* the first of each kind is the preferred one */
    *slot = cap_region(d, cap, &len);
    if (type == CFG_NOTIFY) v->notify_multiplier = pci_read32(d, (uint8_t)(cap + 16));
  }
  return v->common && v->notify_base && v->isr;
}

int virtio_init(struct virtio_device *v, const struct pci_device *d, uint64_t wanted, const char *name) {
  memset(v, 0, sizeof *v);
  v->pci = *d;
  pci_enable(d);
  v->modern = find_modern(v);
  if (!v->modern) {
    uint64_t addr, size;
    bool io;
    if (!pci_bar(d, 0, &addr, &size, &io) || !io) {
      kprintf("%s: neither the modern nor the legacy virtio transport is usable\n", name);
      return -1;
    }
    v->io = (uint16_t)addr;
  }
  set_status(v, 0); /* reset; a modern device says it is done by reading back 0 */
  for (unsigned i = 0; v->modern && get_status(v) != 0 && i < 1000000; i++) cpu_pause();
  set_status(v, ST_ACKNOWLEDGE);
  set_status(v, ST_ACKNOWLEDGE | ST_DRIVER);
  uint64_t offered;
  if (v->modern) {
    c_w32(v, C_DEVICE_FEATURE_SELECT, 0);
    offered = c_r32(v, C_DEVICE_FEATURE);
    c_w32(v, C_DEVICE_FEATURE_SELECT, 1);
    offered |= (uint64_t)c_r32(v, C_DEVICE_FEATURE) << 32;
    v->features = offered & (wanted | VIRTIO_F_VERSION_1);
    c_w32(v, C_DRIVER_FEATURE_SELECT, 0);
    c_w32(v, C_DRIVER_FEATURE, (uint32_t)v->features);
    c_w32(v, C_DRIVER_FEATURE_SELECT, 1);
    c_w32(v, C_DRIVER_FEATURE, (uint32_t)(v->features >> 32));
    set_status(v, ST_ACKNOWLEDGE | ST_DRIVER | ST_FEATURES_OK);
    if (!(get_status(v) & ST_FEATURES_OK) || !(v->features & VIRTIO_F_VERSION_1)) {
      set_status(v, ST_FAILED);
      kprintf("%s: the device refused our features (%#lx)\n", name, v->features);
      return -1;
    }
  } else {
    offered = inl((uint16_t)(v->io + L_HOST_FEATURES));
    v->features = offered & wanted & 0xffffffffull;
    outl((uint16_t)(v->io + L_GUEST_FEATURES), (uint32_t)v->features);
  }
  return 0;
}

/* Split-ring layout shared by both transports (the legacy one dictates it): descriptors,
 * then the available ring, then the used ring on the next 4 KiB boundary. */
static uint64_t ring_bytes(uint16_t n, uint64_t *used_off) {
  uint64_t avail_end = 16ull * n + 6 + 2ull * n;
  *used_off = (avail_end + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1);
  return *used_off + 6 + 8ull * n;
}

int virtio_queue_setup(struct virtio_device *v, struct virtq *q, uint16_t index, uint16_t max_size) {
  memset(q, 0, sizeof *q);
  uint16_t n;
  if (v->modern) {
    c_w16(v, C_QUEUE_SELECT, index);
    n = c_r16(v, C_QUEUE_SIZE);
    if (n > max_size) n = max_size; /* modern devices accept a smaller power-of-two size */
  } else {
    outw((uint16_t)(v->io + L_QUEUE_SELECT), index);
    n = inw((uint16_t)(v->io + L_QUEUE_SIZE));
  }
  if (n == 0) return -1;
  uint64_t used_off, bytes = ring_bytes(n, &used_off);
  uint64_t pages = (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
  uint64_t flags = irq_save();
  uint64_t mem = pmm_alloc_contiguous(&kernel_pmm, pages);
  irq_restore(flags);
  if (mem == PMM_NO_PAGE) return -1;
  memset((void *)mem, 0, pages * PAGE_SIZE);
  q->index = index;
  q->size = n;
  q->desc = (struct vring_desc *)mem;
  q->avail = (struct vring_avail *)(mem + 16ull * n);
  q->used = (volatile struct vring_used *)(mem + used_off);
  q->avail->flags = VRING_AVAIL_F_NO_INTERRUPT;
  for (uint16_t i = 0; i < n; i++) q->desc[i].next = (uint16_t)(i + 1);
  q->num_free = n;
  if (v->modern) {
    c_w16(v, C_QUEUE_SIZE, n);
    c_w16(v, C_QUEUE_MSIX, 0xffff); /* no vector: we poll */
    c_w64(v, C_QUEUE_DESC, mem);
    c_w64(v, C_QUEUE_DRIVER, (uint64_t)q->avail);
    c_w64(v, C_QUEUE_DEVICE, (uint64_t)q->used);
    uint16_t off = c_r16(v, C_QUEUE_NOTIFY_OFF);
    q->notify = (volatile uint16_t *)(v->notify_base + (uint64_t)off * v->notify_multiplier);
    c_w16(v, C_QUEUE_ENABLE, 1);
  } else {
    outl((uint16_t)(v->io + L_QUEUE_PFN), (uint32_t)(mem >> 12));
  }
  return 0;
}

void virtio_reset(struct virtio_device *v) {
  set_status(v, 0);
  for (unsigned i = 0; v->modern && get_status(v) != 0 && i < 1000000; i++) cpu_pause();
}

void virtio_driver_ok(struct virtio_device *v) {
  uint8_t s = ST_ACKNOWLEDGE | ST_DRIVER | ST_DRIVER_OK;
  set_status(v, v->modern ? (uint8_t)(s | ST_FEATURES_OK) : s);
}

uint8_t virtio_config8(const struct virtio_device *v, unsigned off) {
  if (v->modern) return v->config ? v->config[off] : 0;
  return inb((uint16_t)(v->io + L_CONFIG + off));
}

int virtq_add(struct virtq *q, uint64_t phys, uint32_t len, bool device_writes) {
  if (q->num_free == 0) return -1;
  uint16_t id = q->free_head;
  struct vring_desc *d = &q->desc[id];
  q->free_head = d->next;
  q->num_free--;
  d->addr = phys;
  d->len = len;
  d->flags = device_writes ? VRING_DESC_F_WRITE : 0;
  q->avail->ring[q->avail->idx % q->size] = id;
  barrier(); /* the descriptor and ring entry before the index */
  q->avail->idx++;
  return id;
}

void virtq_kick(const struct virtio_device *v, struct virtq *q) {
  barrier(); /* the new index before the notification */
  if (v->modern) *q->notify = q->index;
  else outw((uint16_t)(v->io + L_QUEUE_NOTIFY), q->index);
}

bool virtq_take_used(struct virtq *q, uint16_t *id, uint32_t *len) {
  if (q->last_used == q->used->idx) return false;
  barrier(); /* the index before the entry it covers */
  volatile struct vring_used_elem *e = &q->used->ring[q->last_used % q->size];
  *id = (uint16_t)e->id;
  *len = e->len;
  q->last_used++;
  q->desc[*id].next = q->free_head;
  q->free_head = *id;
  q->num_free++;
  return true;
}

unsigned virtq_in_flight(const struct virtq *q) {
  return (uint16_t)(q->avail->idx - q->used->idx);
}
