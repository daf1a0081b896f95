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
#define F_MULTIPORT (1ull << 1)
#define PORT0_TRANSMITQ 1    /* without MULTIPORT: port 0, receiveq 0, transmitq 1 */
#define CONTROL_RECEIVEQ 2
#define CONTROL_TRANSMITQ 3
#define LOG_PORT 1           /* rtctl puts the log channel there (a virtserialport, nr=1) */
#define LOG_PORT_TRANSMITQ (2 * LOG_PORT + 3)
#define MAX_SLOTS 64         /* 4 KiB each: 256 KiB in flight (legacy: the device's queue size) */
#define SLOT_SIZE PAGE_SIZE
#define RFLAGS_IF (1ull << 9)
#define CONTROL_BUFS 8
#define CONTROL_BUF_SIZE 128 /* a control message, with a port name after it */
#define HANDSHAKE_NS 2000000000ull
#define NAME_WAIT_NS 200000000ull /* after PORT_ADD: PORT_NAME comes once the port is ready */
#define LOG_PORT_NAME "runtimejs.log"
#define WAIT_NS 200000ull    /* between looks at a full transmit queue */

/* Control messages (MULTIPORT): events of the virtio spec, 5.3.6.2. */
enum {
  DEVICE_READY = 0, PORT_ADD = 1, PORT_REMOVE = 2, PORT_READY = 3, CONSOLE_PORT = 4, RESIZE = 5, PORT_OPEN = 6,
  PORT_NAME = 7,
};
struct control {
  uint32_t id;
  uint16_t event, value;
};

static struct virtio_device dev;
static struct virtq txq, ctrl_rx, ctrl_tx;
static uint8_t *slots;       /* slot i belongs to descriptor i of txq */
static uint8_t *ctrl_mem;    /* CONTROL_BUFS receive buffers, then one transmit buffer */
static struct mutex lock;
static bool present, multiport, port_added;
static char port_name[CONTROL_BUF_SIZE];

#define MAX_DEVICES 4
struct candidates {
  struct pci_device d[MAX_DEVICES];
  unsigned count;
};

/* Every virtio-console: the log port may be on any of them. */
static bool collect(const struct pci_device *d, void *ctx) {
  struct candidates *c = ctx;
  if (virtio_pci_match(d, VIRTIO_TYPE_CONSOLE, TRANSITIONAL_ID) && c->count < MAX_DEVICES) c->d[c->count++] = *d;
  return false;
}

static void *alloc_pages(uint64_t n) {
  uint64_t flags = irq_save();
  uint64_t mem = pmm_alloc_contiguous(&kernel_pmm, n);
  irq_restore(flags);
  if (mem == PMM_NO_PAGE) return 0;
  memset((void *)mem, 0, n * PAGE_SIZE);
  return (void *)mem;
}

/* Sends one control message and waits (bounded) until the device has taken it. */
static bool control_send(uint32_t id, uint16_t event, uint16_t value) {
  struct control *m = (struct control *)(ctrl_mem + CONTROL_BUFS * CONTROL_BUF_SIZE);
  *m = (struct control){id, event, value};
  if (virtq_add(&ctrl_tx, (uint64_t)m, sizeof *m, false) < 0) return false;
  virtq_kick(&dev, &ctrl_tx);
  uint64_t deadline = clock_monotonic_ns() + HANDSHAKE_NS;
  uint16_t used_id;
  uint32_t len;
  while (!virtq_take_used(&ctrl_tx, &used_id, &len)) {
    if (clock_monotonic_ns() > deadline) return false;
    cpu_pause();
  }
  return true;
}

/* Handles what the device said on the control queue; buffers go back to it. Other ports'
 * PORT_ADDs are left unanswered (declining one makes QEMU print a "guest failure"). */
static void control_poll(void) {
  uint16_t id;
  uint32_t len;
  bool returned = false;
  while (virtq_take_used(&ctrl_rx, &id, &len)) {
    returned = true;
    uint64_t addr = ctrl_rx.desc[id].addr;
    const struct control *m = (const struct control *)addr;
    if (len >= sizeof *m && m->id == LOG_PORT) {
      if (m->event == PORT_ADD) {
        port_added = true;
        control_send(LOG_PORT, PORT_READY, 1);
        control_send(LOG_PORT, PORT_OPEN, 1); /* the guest side of the port is open */
      } else if (m->event == PORT_NAME) {
        size_t n = len - sizeof *m < sizeof port_name - 1 ? len - sizeof *m : sizeof port_name - 1;
        memcpy(port_name, (const char *)(m + 1), n);
        port_name[n] = '\0';
      }
    }
    virtq_add(&ctrl_rx, addr, CONTROL_BUF_SIZE, true);
  }
  if (returned) virtq_kick(&dev, &ctrl_rx);
}

/* MULTIPORT: the control queues, DEVICE_READY, then the log port's PORT_ADD and PORT_NAME. */
static bool handshake(void) {
  if (!ctrl_mem) ctrl_mem = alloc_pages(1);
  if (!ctrl_mem) return false;
  for (unsigned i = 0; i < CONTROL_BUFS; i++)
    virtq_add(&ctrl_rx, (uint64_t)(ctrl_mem + i * CONTROL_BUF_SIZE), CONTROL_BUF_SIZE, true);
  virtio_driver_ok(&dev);
  virtq_kick(&dev, &ctrl_rx);
  if (!control_send(0, DEVICE_READY, 1)) return false;
  /* The device answers PORT_ADD, then PORT_NAME once told the port is ready. Only port 1
   * named LOG_PORT_NAME is rtctl's log channel. */
  uint64_t deadline = clock_monotonic_ns() + HANDSHAKE_NS;
  bool short_wait = false;
  while (!port_name[0] && clock_monotonic_ns() < deadline) {
    control_poll();
    if (port_added && !short_wait) {
      short_wait = true;
      deadline = clock_monotonic_ns() + NAME_WAIT_NS;
    }
    cpu_pause();
  }
  return port_added && strcmp(port_name, LOG_PORT_NAME) == 0;
}

/* Sets up one device; false (and the device reset) when it has no log port. */
static bool try_device(const struct pci_device *d) {
  port_added = false;
  port_name[0] = '\0';
  if (virtio_init(&dev, d, F_MULTIPORT, "virtio-console")) return false;
  multiport = dev.features & F_MULTIPORT;
  /* A serial port (MULTIPORT) makes QEMU hold our buffers while the host is not reading; port
   * 0, a console, drops what the host cannot take at once. */
  uint16_t tx_index = multiport ? LOG_PORT_TRANSMITQ : PORT0_TRANSMITQ;
  if (virtio_queue_setup(&dev, &txq, tx_index, MAX_SLOTS) ||
      (multiport && (virtio_queue_setup(&dev, &ctrl_rx, CONTROL_RECEIVEQ, CONTROL_BUFS) ||
                     virtio_queue_setup(&dev, &ctrl_tx, CONTROL_TRANSMITQ, CONTROL_BUFS)))) {
    kprintf("virtio-console: cannot set up the queues\n");
    virtio_reset(&dev);
    return false;
  }
  if (multiport && !handshake()) {
    virtio_reset(&dev); /* the device lets go of our buffers */
    return false;
  }
  return true;
}

bool virtio_console_init(void) {
  struct candidates c = {0};
  pci_scan(collect, &c);
  unsigned i = 0;
  while (i < c.count && !try_device(&c.d[i])) i++;
  if (i == c.count) {
    if (c.count) kprintf("virtio-console: no port %d named %s (rtctl's log channel)\n", LOG_PORT, LOG_PORT_NAME);
    return false;
  }
  slots = alloc_pages(txq.size);
  if (!slots) {
    kprintf("virtio-console: no memory for %u transmit buffers\n", txq.size);
    virtio_reset(&dev);
    return false;
  }
  mutex_init(&lock, false);
  if (!multiport) virtio_driver_ok(&dev);
  present = true;
  return true;
}

const char *virtio_console_transport(void) {
  if (!present) return 0;
  if (multiport) return dev.modern ? "modern transport, serial port 1" : "legacy transport, serial port 1";
  return dev.modern ? "modern transport, console port 0" : "legacy transport, console port 0";
}

static void reclaim(void) {
  uint16_t id;
  uint32_t len;
  while (virtq_take_used(&txq, &id, &len)) {
  }
}

/* A free slot's descriptor id, waiting while the host has not taken earlier buffers yet
 * (they are kicked first: the device must know of them to give them back). Sleeps between
 * looks, or with !can_sleep (ending the machine) spins until the deadline; -1 then. */
static int free_slot(bool can_sleep, uint64_t deadline) {
  for (bool kicked = false;;) {
    reclaim();
    if (txq.num_free > 0) return txq.free_head;
    if (!kicked) virtq_kick(&dev, &txq);
    kicked = true;
    if (!can_sleep && clock_monotonic_ns() > deadline) return -1;
    if (can_sleep) thread_sleep_ns(WAIT_NS);
    else cpu_pause();
  }
}

/* The chunks packed into as few 4 KiB slots as they need, each slot one descriptor. */
static bool write_locked(const struct vcon_chunk *chunks, size_t count, bool can_sleep, uint64_t deadline) {
  if (multiport && can_sleep) control_poll();
  int id = 0;
  size_t fill = 0;
  for (size_t i = 0; i < count; i++) {
    const uint8_t *p = chunks[i].data;
    size_t len = chunks[i].len;
    while (len > 0) {
      if (fill == 0 && (id = free_slot(can_sleep, deadline)) < 0) return false;
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
  return true;
}

void virtio_console_write(const struct vcon_chunk *chunks, size_t count) {
  if (!present) return;
  mutex_lock(&lock);
  write_locked(chunks, count, true, 0);
  mutex_unlock(&lock);
}

bool virtio_console_write_final(const struct vcon_chunk *chunks, size_t count, uint64_t timeout_ns) {
  if (!present) return false;
  uint64_t deadline = clock_monotonic_ns() + timeout_ns;
  /* An orderly exit (interrupts on) waits for a writer held up by a slow host; a panic or a
   * fault (interrupts off) cannot: whoever holds the lock may never run again. */
  uint64_t flags = irq_save();
  irq_restore(flags);
  bool locked = (flags & RFLAGS_IF) ? mutex_lock_until(&lock, deadline) : mutex_trylock(&lock);
  if (!locked) return false;
  bool ok = write_locked(chunks, count, false, deadline);
  mutex_unlock(&lock);
  return ok;
}

bool virtio_console_flush(uint64_t timeout_ns) {
  if (!present) return true;
  virtq_kick(&dev, &txq); /* buffers added but not kicked yet (a panic mid-write) */
  /* The host may be slow (rtctl's output piped into a slow reader): wait while it makes
   * progress; give up after timeout_ns without any. */
  unsigned last = virtq_in_flight(&txq);
  uint64_t deadline = clock_monotonic_ns() + timeout_ns;
  while (last > 0) {
    if (clock_monotonic_ns() > deadline) return false;
    cpu_pause();
    unsigned now = virtq_in_flight(&txq);
    if (now < last) deadline = clock_monotonic_ns() + timeout_ns;
    last = now;
  }
  return true;
}
