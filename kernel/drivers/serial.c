#include "serial.h"
#include "../arch/x86_64/cpu.h"

#define COM1 0x3f8

void serial_init(void) {
  outb(COM1 + 1, 0x00);   /* no interrupts: the console is written by polling */
  outb(COM1 + 3, 0x80);   /* DLAB on */
  outb(COM1 + 0, 0x01);   /* divisor 1: 115200 baud */
  outb(COM1 + 1, 0x00);
  outb(COM1 + 3, 0x03);   /* 8N1 */
  outb(COM1 + 2, 0xc7);   /* FIFO on, cleared, 14-byte threshold */
  outb(COM1 + 4, 0x03);   /* DTR, RTS */
}

static void put(char c) {
  for (int spin = 0; spin < 100000 && !(inb(COM1 + 5) & 0x20); spin++) cpu_pause();
  outb(COM1, (uint8_t)c);
}

void serial_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (s[i] == '\n') put('\r');
    put(s[i]);
  }
}
