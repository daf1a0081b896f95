/* The kernel's own symbol table, generated after a first link (cmake/kernel-symbols.sh) and
 * linked into the final image, for symbolized backtraces. */
#pragma once
#include <stdbool.h>
#include <stdint.h>

bool ksyms_lookup(uint64_t addr, const char **name, uint64_t *offset);
