// Cortex-M4F startup for QEMU's mps2-an386 board (build.sh target
// qemu-mps2-an386) that measures the application's real stack depth.
// Reset_Handler does what startup_cortexm.c does (copy .data and .ccmram, zero
// .bss, run constructors and main()) and in addition paints the stack below its
// own frame with STACK_PAINT down to the stack limit, lets SysTick interrupt
// the application every SYSTICK_RELOAD + 1 core clocks (unless QEMU's -append
// says "nosystick", to measure the application alone), and after main()
// returns (it is built with -DFOOTPRINT_QEMU, so it stops after its fixed
// number of inferences) finds the lowest word that no longer holds the pattern.
// The depth from the initial SP to that word, everything included (this
// handler's frame, exception frames, SysTick_Handler's frame), is printed
// through semihosting, which then ends the emulation.
#include <stdint.h>
#include <string.h>

#include "semihost.h"

extern uint32_t _sidata, _sdata, _edata;       // .data: load address, start, end
extern uint32_t _siccmram, _sccmram, _eccmram; // .ccmram: load address, start, end
extern uint32_t _sbss, _ebss;
extern uint32_t _estack;  // initial SP: the top of RAM (linker script)
extern uint32_t _sstack;  // stack limit: _estack - _Min_Stack_Size (linker script)

extern int main(void);
extern void __libc_init_array(void);

#define STACK_PAINT 0xDEADBEEFu

// SysTick counts the core clock (CLKSOURCE=1, 25 MHz on mps2-an386).
#define SYST_CSR (*(volatile uint32_t*)0xE000E010u)
#define SYST_RVR (*(volatile uint32_t*)0xE000E014u)
#define SYST_CVR (*(volatile uint32_t*)0xE000E018u)
#define SYST_CSR_ENABLE 0x1u
#define SYST_CSR_TICKINT 0x2u
#define SYST_CSR_CLKSOURCE_CORE 0x4u
// An interrupt every 9 core clocks: under QEMU's -icount shift=0 (one
// instruction per ns, 40 ns per clock) about every 360 instructions, so often
// that one of them lands at the application's deepest point, yet the
// application still progresses (at 6 clocks the handler starves it).
#define SYSTICK_RELOAD 8u
#define SYSTICK_SAMPLES 16  // words of SysTick_Handler's local buffer

#define CPACR (*(volatile uint32_t*)0xE000ED88u)
// EXC_RETURN bit 4 is clear when the core stacked the extended (FP) frame.
#define EXC_RETURN_STANDARD_FRAME 0x10u

void Reset_Handler(void);
void Default_Handler(void);
void SysTick_Handler(void);

#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void UART0RX_IRQHandler(void) WEAK_DEFAULT;
void UART0TX_IRQHandler(void) WEAK_DEFAULT;
void UART1RX_IRQHandler(void) WEAK_DEFAULT;
void UART1TX_IRQHandler(void) WEAK_DEFAULT;
void UART2RX_IRQHandler(void) WEAK_DEFAULT;
void UART2TX_IRQHandler(void) WEAK_DEFAULT;
void GPIO0ALL_IRQHandler(void) WEAK_DEFAULT;
void GPIO1ALL_IRQHandler(void) WEAK_DEFAULT;
void TIMER0_IRQHandler(void) WEAK_DEFAULT;
void TIMER1_IRQHandler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t g_pfnVectors[] = {
    (vector_t)&_estack,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
    0,
    0,
    0,
    0,
    SVC_Handler,
    DebugMon_Handler,
    0,
    PendSV_Handler,
    SysTick_Handler,
    // The first mps2-an386 interrupts (AN386 numbering).
    UART0RX_IRQHandler,
    UART0TX_IRQHandler,
    UART1RX_IRQHandler,
    UART1TX_IRQHandler,
    UART2RX_IRQHandler,
    UART2TX_IRQHandler,
    GPIO0ALL_IRQHandler,
    GPIO1ALL_IRQHandler,
    TIMER0_IRQHandler,
    TIMER1_IRQHandler,
};

// What SysTick_Handler saw, reported after main() returns.
static volatile uint32_t s_ticks;            // interrupts taken
static volatile uint32_t s_extended_frames;  // of those, how many stacked the FP context
static volatile uintptr_t s_lowest_tick_sp = UINTPTR_MAX;  // lowest SP inside the handler
static volatile uint32_t s_tick_digest;      // keeps the handler's buffer live

// A periodic interrupt with a real frame: a local buffer the compiler must
// keep (volatile) on top of the exception frame the core pushes.
void SysTick_Handler(void) {
  const uintptr_t exc_return = (uintptr_t)__builtin_return_address(0);
  volatile uint32_t samples[SYSTICK_SAMPLES];
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  const uint32_t tick = s_ticks + 1;
  for (unsigned i = 0; i < SYSTICK_SAMPLES; ++i) samples[i] = tick * 2654435761u + i;
  uint32_t digest = 0;
  for (unsigned i = 0; i < SYSTICK_SAMPLES; ++i) digest = (digest << 5 | digest >> 27) ^ samples[i];
  s_tick_digest = digest;
  s_ticks = tick;
  if ((exc_return & EXC_RETURN_STANDARD_FRAME) == 0) ++s_extended_frames;
  if (sp < s_lowest_tick_sp) s_lowest_tick_sp = sp;
}

static char* put_str(char* p, const char* s) {
  while (*s != '\0') *p++ = *s++;
  return p;
}

static char* put_dec(char* p, uint32_t v) {
  char digits[10];
  int n = 0;
  do {
    digits[n++] = (char)('0' + v % 10u);
    v /= 10u;
  } while (v != 0);
  while (n > 0) *p++ = digits[--n];
  return p;
}

static char* put_hex(char* p, uint32_t v) {
  p = put_str(p, "0x");
  for (int shift = 28; shift >= 0; shift -= 4) *p++ = "0123456789abcdef"[(v >> shift) & 0xFu];
  return p;
}

// The semihosting command line, then one "key=value ..." line per report, so
// build.sh can turn it into JSON.
static char s_line[256];

// Whether word occurs in s. Deliberately simple: newlib's strstr switches to
// a two-way search with a 1 KiB table for long needles, a stack path this
// program never takes but that a worst-case analysis must count.
static int contains(const char* s, const char* word) {
  for (; *s; s++) {
    const char *a = s, *b = word;
    while (*b && *a == *b) a++, b++;
    if (!*b) return 1;
  }
  return 0;
}

// Whether to run SysTick: yes unless the semihosting command line (QEMU's
// -append) contains "nosystick".
static int systick_wanted(void) {
  const uintptr_t block[2] = {(uintptr_t)s_line, sizeof(s_line)};
  if (semihost_call(SEMIHOST_SYS_GET_CMDLINE, (uintptr_t)block) != 0) return 1;
  return !contains(s_line, "nosystick");
}

// Prints the measurement and ends the emulation (status 0 only if main()
// returned 0, SysTick fired if wanted and the stack limit was never reached).
static __attribute__((noreturn, noinline)) void report(const uint32_t* frame_sp, const uint32_t* lowest,
                                                       int status, int systick) {
  const uintptr_t top = (uintptr_t)&_estack;
  const int overflow = lowest <= &_sstack;
  char* p = put_str(s_line, "footprint-stack: main_status=");
  p = put_dec(p, (uint32_t)status);
  p = put_str(p, " initial_sp=");
  p = put_hex(p, (uint32_t)top);
  p = put_str(p, " stack_limit=");
  p = put_hex(p, (uint32_t)(uintptr_t)&_sstack);
  p = put_str(p, " lowest_written=");
  p = put_hex(p, (uint32_t)(uintptr_t)lowest);
  p = put_str(p, " measured_stack_bytes=");
  p = put_dec(p, (uint32_t)(top - (uintptr_t)lowest));
  p = put_str(p, " reset_handler_frame_bytes=");
  p = put_dec(p, (uint32_t)(top - (uintptr_t)frame_sp));
  p = put_str(p, " systick_interrupts=");
  p = put_dec(p, s_ticks);
  p = put_str(p, " systick_extended_frames=");
  p = put_dec(p, s_extended_frames);
  p = put_str(p, " systick_handler_max_depth_bytes=");
  p = put_dec(p, s_ticks != 0 ? (uint32_t)(top - s_lowest_tick_sp) : 0u);
  p = put_str(p, overflow ? " overflow=1\n" : " overflow=0\n");
  *p = '\0';
  semihost_write0(s_line);
  semihost_exit(status == 0 && (s_ticks != 0) == systick && !overflow);
}

static void copy_words(uint32_t* dst, const uint32_t* src, const uint32_t* end) {
  while (dst < end) *dst++ = *src++;
}

void Reset_Handler(void) {
  // Enable CP10/CP11 (the FPU) before any float code runs.
  CPACR |= 0xFu << 20;
  copy_words(&_sdata, &_sidata, &_edata);
  copy_words(&_sccmram, &_siccmram, &_eccmram);
  for (uint32_t* p = &_sbss; p < &_ebss; ++p) *p = 0;
  const int systick = systick_wanted();

  // Everything below this function's frame is unused until the calls below.
  uint32_t* sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  for (uint32_t* p = &_sstack; p < sp; ++p) *p = STACK_PAINT;

  if (systick) {
    SYST_RVR = SYSTICK_RELOAD;
    SYST_CVR = 0;
    SYST_CSR = SYST_CSR_ENABLE | SYST_CSR_TICKINT | SYST_CSR_CLKSOURCE_CORE;
  }
  __libc_init_array();
  const int status = main();
  SYST_CSR = 0;

  // The scan runs here, not in report(), whose frame would land in the painted area.
  const uint32_t* lowest = &_sstack;
  while (lowest < sp && *lowest == STACK_PAINT) ++lowest;
  report(sp, lowest, status, systick);
}

// Any other exception is a bug in this firmware: say which and stop QEMU.
void Default_Handler(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  char* p = put_str(s_line, "footprint-stack: unexpected exception ");
  p = put_dec(p, ipsr & 0x1FFu);
  p = put_str(p, "\n");
  *p = '\0';
  semihost_write0(s_line);
  semihost_exit(0);
}
