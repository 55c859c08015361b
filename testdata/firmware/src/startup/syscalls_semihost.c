// newlib syscalls for the QEMU build (qemu-mps2-an386): _write prints through
// semihosting (SYS_WRITEC, one character at a time, so it needs no buffer on
// the stack being measured) and _sbrk is bounded by the ._user_heap_stack
// reservation as in syscalls.c. The remaining stubs come from libnosys.
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

#include "semihost.h"

extern uint8_t _end;         // end of .bss, start of the heap (linker script)
extern uint8_t _heap_limit;  // end of the heap reservation (linker script)

static uint8_t* s_heap_end;

int _write(int fd, const char* buf, int len) {
  (void)fd;
  for (int i = 0; i < len; ++i) semihost_call(SEMIHOST_SYS_WRITEC, (uintptr_t)&buf[i]);
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
