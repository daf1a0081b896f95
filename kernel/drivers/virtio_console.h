/* virtio-console as a byte stream to the host: the isolates' log channel. With the MULTIPORT
 * feature (QEMU's virtio-serial), serial port 1, which QEMU throttles rather than drops when
 * the host reads slowly; without it, port 0. One stream: records name their isolate. Writes
 * copy into DMA slots and wait for room while the host has not taken earlier ones. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the device on PCI and sets up its transmit queue; false when there is none. */
bool virtio_console_init(void);
/* "modern transport, port 1" and the like, NULL when the device is absent. */
const char *virtio_console_transport(void);
struct vcon_chunk {
  const void *data;
  size_t len;
};
/* Queues the chunks' bytes for the host, in order; one call's bytes are never interleaved
 * with another thread's. */
void virtio_console_write(const struct vcon_chunk *chunks, size_t count);
/* The same while the machine ends: never sleeps; waits for the lock until timeout_ns when
 * interrupts are on, only tries it from a panic or fault (interrupts off). False when the
 * lock or a free slot did not come within timeout_ns. */
bool virtio_console_write_final(const struct vcon_chunk *chunks, size_t count, uint64_t timeout_ns);
/* Waits until the device has taken every queued byte, giving up after timeout_ns without
 * progress; lock-free, so usable while ending the machine. Returns whether everything went out. */
bool virtio_console_flush(uint64_t timeout_ns);
