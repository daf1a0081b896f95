#include "rtc.h"
#include "../arch/x86_64/cpu.h"

static uint8_t cmos(uint8_t reg) {
  outb(0x70, reg);
  return inb(0x71);
}

int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  unsigned yoe = (unsigned)(y - era * 400);
  unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + (int64_t)doe - 719468;
}

static unsigned bcd(uint8_t v, bool binary) { return binary ? v : (v & 0x0f) + (v >> 4) * 10; }

int64_t rtc_read_epoch(void) {
  uint8_t s, mi, h, d, mo, y, c, again;
  do {
    while (cmos(0x0a) & 0x80) cpu_pause();   /* update in progress */
    s = cmos(0x00); mi = cmos(0x02); h = cmos(0x04); d = cmos(0x07); mo = cmos(0x08); y = cmos(0x09);
    c = cmos(0x32);
    again = cmos(0x00);
  } while (again != s);
  uint8_t b = cmos(0x0b);
  bool binary = b & 0x04, h24 = b & 0x02;
  bool pm = !h24 && (h & 0x80);
  unsigned hour = bcd(h & 0x7f, binary);
  if (!h24) hour = (hour % 12) + (pm ? 12 : 0);
  unsigned century = c ? bcd(c, binary) : 20;
  int64_t year = (int64_t)century * 100 + bcd(y, binary);
  int64_t days = days_from_civil(year, bcd(mo, binary), bcd(d, binary));
  return days * 86400 + hour * 3600 + bcd(mi, binary) * 60 + bcd(s, binary);
}
