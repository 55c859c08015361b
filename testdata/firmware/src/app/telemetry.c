// Formats one telemetry line: "<tag>=<value> *<checksum>".
#include <stdio.h>
#include <string.h>

#include "board.h"

// Same name as the static helper in board.c, on purpose (duplicate local symbols).
static __attribute__((noinline)) unsigned checksum(const unsigned char* p, unsigned n) {
  unsigned sum = 0;
  for (unsigned i = 0; i < n; ++i) sum += p[i];
  return sum & 0xFFu;
}

int telemetry_format(char* buf, unsigned size, const char* tag, int32_t value) {
  int n = snprintf(buf, size, "%s=%ld", tag, (long)value);
  if (n < 0 || (unsigned)n >= size) return -1;
  unsigned sum = checksum((const unsigned char*)buf, (unsigned)n);
  int m = snprintf(buf + n, size - (unsigned)n, " *%02X", sum);
  return m < 0 ? -1 : n + m;
}
