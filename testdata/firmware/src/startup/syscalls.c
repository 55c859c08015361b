// Minimal newlib syscalls for bare metal: _write to a memory-mapped UART data
// register and an _sbrk bounded by the ._user_heap_stack reservation. The
// remaining stubs come from libnosys (--specs=nosys.specs).
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#define UART_DR (*(volatile uint32_t*)0x40004404u)

extern uint8_t _end;           // end of .bss, start of the heap (linker script)
extern uint8_t _heap_limit;    // end of the heap reservation (linker script)

static uint8_t* s_heap_end;

int _write(int fd, const char* buf, int len) {
  (void)fd;
  for (int i = 0; i < len; ++i) UART_DR = (uint8_t)buf[i];
  return len;
}

void* _sbrk(ptrdiff_t incr) {
  if (s_heap_end == NULL) s_heap_end = &_end;
  uint8_t* prev = s_heap_end;
  if (s_heap_end + incr > &_heap_limit) {
    errno = ENOMEM;
    return (void*)-1;
  }
  s_heap_end += incr;
  return prev;
}
