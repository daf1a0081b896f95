/* COM1 (16550 UART at 0x3f8): the kernel's console. */
#pragma once
#include <stddef.h>
void serial_init(void);
void serial_write(const char *s, size_t n);
