#include "app_log.h"
#include <string.h>
#include "clock.h"
#include "log.h"
#include "../drivers/serial.h"
#include "../drivers/virtio_console.h"

#define FLUSH_TIMEOUT_NS 2000000000ull

static bool channel;

void app_log_init(void) {
  channel = virtio_console_init();
  if (channel) kprintf("log: isolate logs on virtio-console (%s transport)\n", virtio_console_transport());
  else kprintf("log: no virtio-console: isolate logs on the serial console\n");
}

void app_log_write(const char *isolate, enum log_level level, const char *message, size_t len) {
  if (!channel) {
    serial_write(message, len);
    serial_write("\n", 1);
    return;
  }
  size_t name_len = strlen(isolate);
  if (name_len > 255) name_len = 255;
  if (len > LOG_RECORD_MESSAGE_MAX) len = LOG_RECORD_MESSAGE_MAX;
  struct log_record_header h = {LOG_RECORD_ISOLATE, (uint8_t)level, (uint8_t)name_len, (uint32_t)len,
                                clock_realtime_ns()};
  uint8_t head[LOG_RECORD_HEADER_SIZE + 255];
  log_record_encode_header(&h, head);
  memcpy(head + LOG_RECORD_HEADER_SIZE, isolate, name_len);
  /* Header and message in one write call: records never interleave. */
  struct vcon_chunk parts[2] = {{head, LOG_RECORD_HEADER_SIZE + name_len}, {message, len}};
  virtio_console_write(parts, 2);
}

void app_log_flush(void) {
  if (channel && !virtio_console_flush(FLUSH_TIMEOUT_NS))
    kprintf("log: the host did not take the last isolate log records within 2 s\n");
}
