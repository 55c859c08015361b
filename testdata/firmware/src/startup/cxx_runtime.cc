// Minimal C++ runtime support for targets without a libstdc++ build
// (riscv64-unknown-elf has none in Debian): global operator new/delete on
// top of the C library's malloc/free.
#include <stdlib.h>

void* operator new(size_t size) {
  void* p = malloc(size != 0 ? size : 1);
  if (p == nullptr) __builtin_trap();
  return p;
}

void operator delete(void* p) noexcept { free(p); }

void operator delete(void* p, size_t) noexcept { free(p); }
