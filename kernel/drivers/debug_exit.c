/* Ends the VM with a status: QEMU's isa-debug-exit device (port 0xf4) makes QEMU exit with
 * status*2+1. Without that device, ACPI power-off (the status cannot travel that way, so it is
 * printed); without ACPI either, the machine halts with interrupts off, after saying so. */
#include "../arch/x86_64/cpu.h"
#include "../core/app_log.h"
#include "../core/machine.h"
#include "serial.h"
#include "acpi.h"
#include <stdio.h>

#define DEBUG_EXIT_PORT 0xf4

void machine_exit(int status) {
  app_log_finish(status); /* the host must have the app's last words, and the whole status */
  irq_disable();
  outl(DEBUG_EXIT_PORT, (uint32_t)status);
  char msg[96];
  if (acpi_can_power_off()) {
    int n = snprintf(msg, sizeof msg, "\nmachine: exit status %d; powering off (ACPI S5)\n", status);
    serial_write(msg, (size_t)n);
    acpi_power_off();
  }
  int n = snprintf(msg, sizeof msg, "\nmachine: exit status %d; no isa-debug-exit or ACPI power-off: halted\n", status);
  serial_write(msg, (size_t)n);
  for (;;) cpu_halt();
}
