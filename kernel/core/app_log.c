#include "app_log.h"
#include <stdio.h>
#include <string.h>
#include "clock.h"
#include "log.h"
#include "../drivers/serial.h"
#include "../drivers/virtio_console.h"

#define FLUSH_TIMEOUT_NS 30000000000ull /* without progress: the host has stopped reading */
#define FINAL_WRITE_NS 5000000000ull

static bool channel;

void app_log_init(void) {
  channel = virtio_console_init();
  if (channel) kprintf("log: isolate logs on virtio-console (%s)\n", virtio_console_transport());
  else kprintf("%s\n", LOG_CHANNEL_MISSING_LINE);
}

static void send_record(enum log_record_type type, const char *name, enum log_level level, const char *message,
                        size_t len, bool final) {
  size_t name_len = strlen(name);
  if (name_len > 255) name_len = 255;
  if (len > LOG_RECORD_MESSAGE_MAX) len = LOG_RECORD_MESSAGE_MAX;
  struct log_record_header h = {(uint8_t)type, (uint8_t)level, (uint8_t)name_len, (uint32_t)len, clock_realtime_ns()};
  uint8_t head[LOG_RECORD_HEADER_SIZE + 255];
  log_record_encode_header(&h, head);
  memcpy(head + LOG_RECORD_HEADER_SIZE, name, name_len);
  /* Header and message in one write call: records never interleave. */
  struct vcon_chunk parts[2] = {{head, LOG_RECORD_HEADER_SIZE + name_len}, {message, len}};
  if (final) virtio_console_write_final(parts, 2, FINAL_WRITE_NS);
  else virtio_console_write(parts, 2);
}

void app_log_write(const char *isolate, enum log_level level, const char *message, size_t len) {
  if (!channel) {
    serial_write(message, len);
    serial_write("\n", 1);
    return;
  }
  send_record(LOG_RECORD_ISOLATE, isolate, level, message, len, false);
}

void app_log_finish(int status) {
  if (!channel) return;
  char text[16];
  int n = snprintf(text, sizeof text, "%d", status);
  /* Without the record (the lock held by whoever panicked), the host has isa-debug-exit's. */
  send_record(LOG_RECORD_EXIT, "", LOG_LEVEL_INFO, text, (size_t)n, true);
  if (!virtio_console_flush(FLUSH_TIMEOUT_NS))
    kprintf("log: the host took none of the last isolate log records for 30 s: they are lost\n");
}
