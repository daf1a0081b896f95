/* The kernel command line: space-separated words, "key" or "key=value". Pure. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
/* True when `key` appears as a word; its value (or "") is copied to value[size]. */
bool cmdline_get(const char *cmdline, const char *key, char *value, size_t size);
