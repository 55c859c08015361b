// ARM semihosting for the QEMU build (qemu-mps2-an386): the debugger, here
// qemu-system-arm with -semihosting-config enable=on, services a BKPT 0xAB
// with the operation in r0 and its argument in r1. This is how the firmware
// prints without a UART driver and ends the emulation with an exit status.
#ifndef FOOTPRINT_FW_STARTUP_SEMIHOST_H_
#define FOOTPRINT_FW_STARTUP_SEMIHOST_H_

#include <stdint.h>

#define SEMIHOST_SYS_WRITEC 0x03u  // r1: address of one character
#define SEMIHOST_SYS_WRITE0 0x04u  // r1: address of a NUL-terminated string
#define SEMIHOST_SYS_EXIT 0x18u    // r1 (AArch32): the reason code itself
#define SEMIHOST_SYS_GET_CMDLINE 0x15u  // r1: {buffer, size}; QEMU: kernel name + -append

// SYS_EXIT reasons: QEMU exits with status 0 for ApplicationExit, 1 otherwise.
#define SEMIHOST_ADP_STOPPED_APPLICATION_EXIT 0x20026u
#define SEMIHOST_ADP_STOPPED_RUNTIME_ERROR_UNKNOWN 0x20023u

static inline uint32_t semihost_call(uint32_t op, uintptr_t arg) {
  register uint32_t r0 __asm__("r0") = op;
  register uintptr_t r1 __asm__("r1") = arg;
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static inline void semihost_write0(const char* s) { semihost_call(SEMIHOST_SYS_WRITE0, (uintptr_t)s); }

// Ends the emulation; ok selects QEMU's exit status 0 (else 1).
static inline __attribute__((noreturn)) void semihost_exit(int ok) {
  semihost_call(SEMIHOST_SYS_EXIT, ok ? SEMIHOST_ADP_STOPPED_APPLICATION_EXIT
                                      : SEMIHOST_ADP_STOPPED_RUNTIME_ERROR_UNKNOWN);
  for (;;) {
  }
}

#endif  // FOOTPRINT_FW_STARTUP_SEMIHOST_H_
