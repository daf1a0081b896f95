/* kmain: from the boot entry (boot.S) to a running system. */
#include <stdio.h>
#include <string.h>
#include "app.h"
#include "app_log.h"
#include "bootinfo.h"
#include "clock.h"
#include "cmdline.h"
#include "log.h"
#include "machine.h"
#include "memory.h"
#include "paging.h"
#include "panic.h"
#include "random.h"
#include "sched.h"
#include "timer.h"
#include "vm.h"
#include "../arch/x86_64/apic.h"
#include "../arch/x86_64/cpu.h"
#include "../arch/x86_64/gdt.h"
#include "../arch/x86_64/trap.h"
#include "../drivers/acpi.h"
#include "../drivers/serial.h"
#include "../selftest/selftest.h"

void glibc_init(void);   /* libc/glibc: the C library ABI of the V8 objects */

#ifndef RUNTIMEJS_VERSION
#define RUNTIMEJS_VERSION "dev"
#endif

static struct boot_info boot_info;

/* Before paging_init the boot tables identity-map 4 GiB: loader structures live there. */
static const void *boot_phys(uint64_t phys, size_t len) {
  (void)len;
  return (const void *)phys;
}

static void run_constructors(void) {
  extern void (*__init_array_start[])(void), (*__init_array_end[])(void);
  for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) (*f)();
}

static const char *protocol_name(enum boot_protocol p) {
  return p == BOOT_MULTIBOOT2 ? "multiboot2" : p == BOOT_PVH ? "PVH" : "?";
}

void kmain(uint32_t magic, uint64_t info) {
  serial_init();
  gdt_init();
  idt_init();
  const char *error;
  if (!bootinfo_parse(magic, info, boot_phys, &boot_info, &error)) panic("boot: %s", error);
  memory_init(&boot_info);
  paging_init();
  vm_init();
  acpi_init(boot_info.rsdp);
  clock_init();
  random_init();
  sched_init();
  glibc_init();
  timer_init();
  apic_init();
  timer_reprogram();
  run_constructors();
  irq_enable();

  uint64_t ready_ns = clock_monotonic_ns();
  kprintf("runtime.js kernel %s: booted via %s, %lu MiB RAM, %lu free\n", RUNTIMEJS_VERSION,
          protocol_name(boot_info.protocol), memory_max_phys >> 20, kernel_pmm.free_pages * PAGE_SIZE >> 20);
  kprintf("cpu: TSC %lu.%03lu MHz (%s), %s, NX %s, entropy %s\n", clock_tsc_hz() / 1000000,
          clock_tsc_hz() / 1000 % 1000, clock_source(), apic_mode(), cpu_has_nx ? "on" : "absent", random_source());
  kprintf("boot: ready %lu.%03lu ms after the first instruction\n", ready_ns / 1000000, ready_ns / 1000 % 1000);

  char arg[64];
  int status;
  if (cmdline_get(boot_info.cmdline, "selftest", arg, sizeof arg)) {
    status = selftest_run(arg, boot_info.cmdline);
  } else {
    app_log_init();
    status = app_run(&boot_info);
  }
  machine_exit(status);
}
