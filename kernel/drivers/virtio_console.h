/* virtio-console, port 0, as a byte stream to the host: the isolates' log channel. The
 * multiport feature is not negotiated (one stream; records name their isolate). Writes copy
 * into DMA slots and wait for room when the host reads slower than the guest writes. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Finds the device on PCI and sets up its transmit queue; false when there is none. */
bool virtio_console_init(void);
/* "modern" or "legacy" (the transport in use), NULL when the device is absent. */
const char *virtio_console_transport(void);
struct vcon_chunk {
  const void *data;
  size_t len;
};
/* Queues the chunks' bytes for the host, in order; one call's bytes are never interleaved
 * with another thread's. */
void virtio_console_write(const struct vcon_chunk *chunks, size_t count);
/* Waits until the device has taken every queued byte, at most timeout_ns; lock-free, so
 * usable while ending the machine. Returns whether everything went out. */
bool virtio_console_flush(uint64_t timeout_ns);
