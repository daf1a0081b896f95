#include <string.h>
#include "cmdline.h"

bool cmdline_get(const char *s, const char *key, char *value, size_t size) {
  size_t klen = strlen(key);
  while (*s) {
    while (*s == ' ') s++;
    const char *end = s;
    while (*end && *end != ' ') end++;
    if ((size_t)(end - s) >= klen && !strncmp(s, key, klen) && (s + klen == end || s[klen] == '=')) {
      const char *v = s + klen == end ? end : s + klen + 1;
      size_t n = (size_t)(end - v);
      if (value && size) {
        if (n >= size) n = size - 1;
        memcpy(value, v, n);
        value[n] = 0;
      }
      return true;
    }
    s = end;
  }
  return false;
}
