/* Just enough ACPI to power the machine off (S5) when there is no isa-debug-exit device:
 * the FADT's PM1 control ports and the DSDT's \_S5 sleep type. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/* Finds the tables from the boot loader's RSDP (0: search the BIOS area). */
void acpi_init(uint64_t rsdp);
bool acpi_can_power_off(void);
void acpi_power_off(void);
