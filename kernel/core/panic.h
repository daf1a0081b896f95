#pragma once
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));
#define ASSERT(c) do { if (!(c)) panic("assertion failed: %s (%s:%d)", #c, __FILE__, __LINE__); } while (0)
