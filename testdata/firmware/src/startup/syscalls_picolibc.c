// picolibc glue for bare-metal RV32: stdout goes to a memory-mapped UART
// transmit register. picolibc's own sbrk uses __heap_start/__heap_end from the
// linker script's ._user_heap_stack reservation.
#include <stdint.h>
#include <stdio.h>

#define UART_TXDATA (*(volatile uint32_t*)0x10013000u)

static int uart_putc(char c, FILE* file) {
  (void)file;
  while ((int32_t)UART_TXDATA < 0) {
  }
  UART_TXDATA = (uint8_t)c;
  return (unsigned char)c;
}

static FILE uart_stdout = FDEV_SETUP_STREAM(uart_putc, NULL, NULL, _FDEV_SETUP_WRITE);
FILE* const stdout = &uart_stdout;

// Nothing to return to on bare metal: park the core.
void _exit(int status) {
  (void)status;
  for (;;) {
  }
}
