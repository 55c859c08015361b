// Minimal TFLite-Micro-like runtime types used by the footprint test firmware.
// This is not TFLM: it is a small, self-contained runtime shaped like it, so that
// the resulting ELF has realistic symbol names, sections and libraries.
#ifndef FOOTPRINT_FW_TFLITE_COMMON_H_
#define FOOTPRINT_FW_TFLITE_COMMON_H_

#include <stddef.h>
#include <stdint.h>

namespace tflite {

enum TfLiteStatus { kTfLiteOk = 0, kTfLiteError = 1 };

enum TfLiteType : uint8_t {
  kTfLiteNoType = 0,
  kTfLiteFloat32 = 1,
  kTfLiteInt32 = 2,
  kTfLiteUInt8 = 3,
  kTfLiteInt64 = 4,
  kTfLiteInt16 = 7,
  kTfLiteInt8 = 9,
};

// Builtin operator codes as numbered in the TFLite schema.
enum BuiltinOperator : int32_t {
  BuiltinOperator_ADD = 0,
  BuiltinOperator_CONV_2D = 3,
  BuiltinOperator_DEPTHWISE_CONV_2D = 4,
  BuiltinOperator_DEQUANTIZE = 6,
  BuiltinOperator_FULLY_CONNECTED = 9,
  BuiltinOperator_MUL = 18,
  BuiltinOperator_RESHAPE = 22,
  BuiltinOperator_SOFTMAX = 25,
  BuiltinOperator_QUANTIZE = 114,
};

struct QuantizationParams {
  float scale;
  int32_t zero_point;
};

constexpr int kMaxDims = 5;

struct TfLiteTensor {
  void* data;
  int32_t dims[kMaxDims];
  int num_dims;
  TfLiteType type;
  size_t bytes;
  QuantizationParams params;
  const char* name;
};

struct TfLiteNode {
  const int32_t* inputs;
  int num_inputs;
  const int32_t* outputs;
  int num_outputs;
  const uint8_t* builtin_options;
  void* user_data;
};

struct TfLiteContext;

struct TfLiteRegistration {
  void* (*init)(TfLiteContext* context, const char* buffer, size_t length);
  void (*free)(TfLiteContext* context, void* buffer);
  TfLiteStatus (*prepare)(TfLiteContext* context, TfLiteNode* node);
  TfLiteStatus (*invoke)(TfLiteContext* context, TfLiteNode* node);
  int32_t builtin_code;
};

struct TfLiteContext {
  TfLiteTensor* tensors;
  size_t tensors_size;
  void* (*AllocatePersistentBuffer)(TfLiteContext* context, size_t bytes);
  void* impl;
};

inline TfLiteTensor* GetInput(TfLiteContext* ctx, const TfLiteNode* node, int i) {
  if (i >= node->num_inputs || node->inputs[i] < 0 ||
      static_cast<size_t>(node->inputs[i]) >= ctx->tensors_size) {
    return nullptr;
  }
  return &ctx->tensors[node->inputs[i]];
}

inline TfLiteTensor* GetOutput(TfLiteContext* ctx, const TfLiteNode* node, int i) {
  if (i >= node->num_outputs || node->outputs[i] < 0 ||
      static_cast<size_t>(node->outputs[i]) >= ctx->tensors_size) {
    return nullptr;
  }
  return &ctx->tensors[node->outputs[i]];
}

inline int FlatSize(const TfLiteTensor* t) {
  int n = 1;
  for (int i = 0; i < t->num_dims; ++i) n *= t->dims[i];
  return n;
}

size_t TfLiteTypeSize(TfLiteType type);

// Kernel registrations, one per file under kernels/.
TfLiteRegistration Register_ADD();
TfLiteRegistration Register_CONV_2D();
TfLiteRegistration Register_DEPTHWISE_CONV_2D();
TfLiteRegistration Register_FULLY_CONNECTED();
TfLiteRegistration Register_RESHAPE();
TfLiteRegistration Register_SOFTMAX();
TfLiteRegistration Register_QUANTIZE();
TfLiteRegistration Register_DEQUANTIZE();
#ifdef WITH_MUL_KERNEL
TfLiteRegistration Register_MUL();
#endif

}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_COMMON_H_
