// Cortex-M startup: vector table in .isr_vector, Reset_Handler that copies
// .data and .ccmram from flash, zeroes .bss, runs C++ constructors and main().
#include <stdint.h>

extern uint32_t _sidata, _sdata, _edata;      // .data: load address, start, end
extern uint32_t _siccmram, _sccmram, _eccmram; // .ccmram: load address, start, end
extern uint32_t _sbss, _ebss;
extern uint32_t _estack;

extern int main(void);
extern void __libc_init_array(void);

void Reset_Handler(void);
void Default_Handler(void);

#define WEAK_DEFAULT __attribute__((weak, alias("Default_Handler")))
void NMI_Handler(void) WEAK_DEFAULT;
void HardFault_Handler(void) WEAK_DEFAULT;
void SVC_Handler(void) WEAK_DEFAULT;
void PendSV_Handler(void) WEAK_DEFAULT;
void SysTick_Handler(void) WEAK_DEFAULT;
#if defined(__ARM_ARCH_7EM__)
void MemManage_Handler(void) WEAK_DEFAULT;
void BusFault_Handler(void) WEAK_DEFAULT;
void UsageFault_Handler(void) WEAK_DEFAULT;
void DebugMon_Handler(void) WEAK_DEFAULT;
#endif
void WWDG_IRQHandler(void) WEAK_DEFAULT;
void USART2_IRQHandler(void) WEAK_DEFAULT;
void TIM2_IRQHandler(void) WEAK_DEFAULT;
void DMA1_Stream0_IRQHandler(void) WEAK_DEFAULT;

typedef void (*vector_t)(void);

__attribute__((section(".isr_vector"), used)) const vector_t g_pfnVectors[] = {
    (vector_t)&_estack,
    Reset_Handler,
    NMI_Handler,
    HardFault_Handler,
#if defined(__ARM_ARCH_7EM__)
    MemManage_Handler,
    BusFault_Handler,
    UsageFault_Handler,
#else
    0,
    0,
    0,
#endif
    0,
    0,
    0,
    0,
    SVC_Handler,
#if defined(__ARM_ARCH_7EM__)
    DebugMon_Handler,
#else
    0,
#endif
    0,
    PendSV_Handler,
    SysTick_Handler,
    // External interrupts (a few, STM32-like numbering is not important here).
    WWDG_IRQHandler,
    DMA1_Stream0_IRQHandler,
    TIM2_IRQHandler,
    USART2_IRQHandler,
};

static void copy_words(uint32_t* dst, const uint32_t* src, const uint32_t* end) {
  while (dst < end) *dst++ = *src++;
}

void Reset_Handler(void) {
#if defined(__ARM_FP)
  // Enable CP10/CP11 (the FPU) before any float code runs.
  *(volatile uint32_t*)0xE000ED88u |= 0xFu << 20;
#endif
  copy_words(&_sdata, &_sidata, &_edata);
  copy_words(&_sccmram, &_siccmram, &_eccmram);
  for (uint32_t* p = &_sbss; p < &_ebss; ++p) *p = 0;
  __libc_init_array();
  main();
  for (;;) {
  }
}

void Default_Handler(void) {
  for (;;) {
  }
}
