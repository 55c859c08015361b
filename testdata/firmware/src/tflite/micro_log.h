#ifndef FOOTPRINT_FW_TFLITE_MICRO_LOG_H_
#define FOOTPRINT_FW_TFLITE_MICRO_LOG_H_

namespace tflite {
void MicroPrintf(const char* format, ...) __attribute__((format(printf, 1, 2)));
}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_MICRO_LOG_H_
