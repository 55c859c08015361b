// hello_world-style TinyML application: runs the embedded model on a sweep of
// inputs and prints the results next to the reference value from libm.
#include <math.h>
#include <stdint.h>
#include <stdio.h>

#include "../tflite/micro_interpreter.h"
#include "../tflite/micro_log.h"
#include "../tflite/micro_op_resolver.h"
#include "board.h"
#include "model_data.h"

#ifndef TENSOR_ARENA_SIZE
#define TENSOR_ARENA_SIZE 1200
#endif

namespace {

constexpr size_t kTensorArenaSize = TENSOR_ARENA_SIZE;
constexpr int kInferencesPerCycle = 20;
constexpr uint32_t kCoreClockHz = 168000000u;

// Exponential smoothing weights, placed in core-coupled RAM (copied from flash at reset).
__attribute__((section(".ccmram"))) float g_smoothing[8] = {0.5f,  0.25f,  0.125f,  0.0625f,
                                                            0.03125f, 0.015625f, 0.0078125f,
                                                            0.00390625f};
__attribute__((section(".ccmram"))) float g_history[8];

}  // namespace

alignas(16) static uint8_t tensor_arena[kTensorArenaSize];

static float Smooth(float sample) {
  float acc = 0.0f;
  for (int i = 7; i > 0; --i) g_history[i] = g_history[i - 1];
  g_history[0] = sample;
  for (int i = 0; i < 8; ++i) acc += g_smoothing[i] * g_history[i];
  return acc;
}

static int RunInference(tflite::MicroInterpreter* interpreter, float x, float* y) {
  tflite::TfLiteTensor* input = interpreter->input(0);
  tflite::TfLiteTensor* output = interpreter->output(0);
  if (input == nullptr || output == nullptr || input->data == nullptr) return -1;
  const float scale = input->params.scale != 0.0f ? input->params.scale : 1.0f;
  *static_cast<int8_t*>(input->data) =
      static_cast<int8_t>(lrintf(x / scale) + input->params.zero_point);
  if (interpreter->Invoke() != tflite::kTfLiteOk) return -1;
  *y = (*static_cast<const int8_t*>(output->data) - output->params.zero_point) *
       output->params.scale;
  return 0;
}

int main() {
  board_init();
  printf("footprint test firmware, boot #%lu, model %u bytes (crc %08x)\n",
         static_cast<unsigned long>(board_boot_count()), g_model_len,
         board_model_checksum(g_model, g_model_len));

  static tflite::MicroMutableOpResolver<9> resolver;
  resolver.AddFullyConnected();
  resolver.AddConv2D();
  resolver.AddDepthwiseConv2D();
  resolver.AddSoftmax();
  resolver.AddReshape();
  resolver.AddAdd();
  resolver.AddQuantize();
  resolver.AddDequantize();
#ifdef WITH_MUL_KERNEL
  resolver.AddMul();
#endif

  auto* interpreter = new tflite::MicroInterpreter(g_model, g_model_len, resolver,
                                                   tensor_arena, kTensorArenaSize);
  if (interpreter->AllocateTensors() != tflite::kTfLiteOk) {
    tflite::MicroPrintf("AllocateTensors() failed");
    delete interpreter;
    return 1;
  }
  tflite::MicroPrintf("arena used: %u of %u bytes, %u operators",
                      static_cast<unsigned>(interpreter->arena_used_bytes()),
                      static_cast<unsigned>(kTensorArenaSize),
                      static_cast<unsigned>(interpreter->operators_size()));

  uint64_t total_cycles = 0;
  float error_energy = 0.0f;
  char line[64];
  for (int i = 0; i < kInferencesPerCycle; ++i) {
    const float x = 6.2831853f * static_cast<float>(i) / kInferencesPerCycle;
    float y = 0.0f;
    const uint64_t start = board_cycles();
    if (RunInference(interpreter, x, &y) != 0) break;
    total_cycles += board_cycles() - start;
    const float err = y - sinf(x);
    error_energy += err * err;
    if (telemetry_format(line, sizeof(line), "y_milli", static_cast<int32_t>(Smooth(y) * 1000.0f)) > 0) {
      puts(line);
    }
  }
  // 64-bit division (libgcc __aeabi_uldivmod / __udivdi3) and double math.
  const uint64_t avg_cycles = total_cycles / static_cast<uint32_t>(kInferencesPerCycle);
  const double avg_us = static_cast<double>(avg_cycles) * 1e6 / kCoreClockHz;
  const float snr_db = 10.0f * logf(1.0f + 1.0f / (error_energy + 1e-6f)) / logf(10.0f);
  printf("avg %lu cycles (%ld us), snr %d dB, exp(1)=%d/1000\n",
         static_cast<unsigned long>(avg_cycles), static_cast<long>(avg_us),
         static_cast<int>(snr_db), static_cast<int>(expf(1.0f) * 1000.0f));
  delete interpreter;
#if defined(FOOTPRINT_HOST) || defined(FOOTPRINT_QEMU)
  return 0;
#else
  for (;;) {
  }
#endif
}
