#include "micro_log.h"

#include <stdarg.h>
#include <stdio.h>

namespace tflite {

void MicroPrintf(const char* format, ...) {
  char line[96];
  va_list args;
  va_start(args, format);
  vsnprintf(line, sizeof(line), format, args);
  va_end(args);
  puts(line);
}

}  // namespace tflite
