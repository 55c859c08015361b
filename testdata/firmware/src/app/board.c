// Board support: cycle counter, boot counter kept across resets in .noinit.
#include "board.h"

// Survives a warm reset: the startup code never clears .noinit.
__attribute__((section(".noinit"))) uint32_t g_boot_count;
__attribute__((section(".noinit"))) uint32_t g_reset_magic;

static uint64_t s_cycle_base;

#define RESET_MAGIC 0xB007C0DEu

// A file-local helper; telemetry.c has its own static function of the same name.
static __attribute__((noinline)) unsigned checksum(const unsigned char* p, unsigned n) {
  unsigned sum = 0;
  for (unsigned i = 0; i < n; ++i) sum = (sum << 1 | sum >> 31) ^ p[i];
  return sum;
}

void board_init(void) {
  if (g_reset_magic != RESET_MAGIC) {
    g_reset_magic = RESET_MAGIC;
    g_boot_count = 0;
  }
  ++g_boot_count;
#if defined(__ARM_ARCH_7EM__)
  // Enable the DWT cycle counter (Cortex-M4).
  *(volatile uint32_t*)0xE000EDFCu |= 1u << 24;
  *(volatile uint32_t*)0xE0001000u |= 1u;
#endif
  s_cycle_base = 0;
}

uint64_t board_cycles(void) {
#if defined(__ARM_ARCH_7EM__)
  s_cycle_base += *(volatile uint32_t*)0xE0001004u;
#elif defined(__riscv)
  uint32_t lo;
  __asm__ volatile(".option push\n.option arch, +zicsr\nrdcycle %0\n.option pop" : "=r"(lo));
  s_cycle_base += lo;
#else
  s_cycle_base += 1000u;
#endif
  return s_cycle_base;
}

uint32_t board_boot_count(void) { return g_boot_count; }

unsigned board_model_checksum(const unsigned char* data, unsigned len) {
  return checksum(data, len);
}
