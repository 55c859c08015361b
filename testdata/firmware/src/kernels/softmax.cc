#include <math.h>

#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

// SoftmaxLut caches exp(-beta * scale * d) for d = 0..255 (int8 softmax).
class SoftmaxLut {
 public:
  void Build(float beta, float input_scale);
  float Lookup(int diff) const { return table_[diff < 0 ? 0 : (diff > 255 ? 255 : diff)]; }
  void Apply(const int8_t* input, int8_t* output, int depth) const;

 private:
  float table_[256];
};

// Called twice with the same constant step below so -O2 emits a .constprop clone.
static __attribute__((noinline)) void FillExpTable(float* table, int n, float step) {
  for (int i = 0; i < n; ++i) table[i] = expf(-step * static_cast<float>(i));
}

void SoftmaxLut::Build(float beta, float input_scale) {
  if (beta == 1.0f && input_scale == 0.0f) {
    FillExpTable(table_, 256, 0.00390625f);
  } else if (input_scale == 0.0f) {
    FillExpTable(table_, 256, 0.00390625f);
    for (float& v : table_) v = powf(v, beta);
  } else {
    for (int i = 0; i < 256; ++i) table_[i] = expf(-beta * input_scale * static_cast<float>(i));
  }
}

void SoftmaxLut::Apply(const int8_t* input, int8_t* output, int depth) const {
  int8_t max_value = -128;
  for (int i = 0; i < depth; ++i) max_value = input[i] > max_value ? input[i] : max_value;
  float sum = 0.0f;
  for (int i = 0; i < depth; ++i) sum += Lookup(max_value - input[i]);
  const float inv = 1.0f / sum;
  for (int i = 0; i < depth; ++i) {
    const float p = Lookup(max_value - input[i]) * inv;
    output[i] = ActivationClamp<int8_t>(static_cast<int32_t>(lrintf(p * 256.0f)) - 128, -128, 127);
  }
}

}  // namespace reference_ops

namespace {

void* SoftmaxInit(TfLiteContext* context, const char*, size_t) {
  void* mem = context->AllocatePersistentBuffer(context, sizeof(reference_ops::SoftmaxLut));
  return mem;
}

TfLiteStatus SoftmaxPrepare(TfLiteContext* context, TfLiteNode* node) {
  auto* lut = static_cast<reference_ops::SoftmaxLut*>(node->user_data);
  const TfLiteTensor* input = GetInput(context, node, 0);
  if (lut == nullptr || input == nullptr) return kTfLiteError;
  lut->Build(1.0f, input->params.scale);
  return kTfLiteOk;
}

TfLiteStatus SoftmaxEval(TfLiteContext* context, TfLiteNode* node) {
  const auto* lut = static_cast<const reference_ops::SoftmaxLut*>(node->user_data);
  const TfLiteTensor* input = GetInput(context, node, 0);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (lut == nullptr || input == nullptr || output == nullptr) return kTfLiteError;
  const int depth = input->num_dims > 0 ? input->dims[input->num_dims - 1] : 1;
  const int rows = FlatSize(input) / (depth > 0 ? depth : 1);
  for (int r = 0; r < rows; ++r) {
    lut->Apply(static_cast<const int8_t*>(input->data) + r * depth,
               static_cast<int8_t*>(output->data) + r * depth, depth);
  }
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_SOFTMAX() {
  return {SoftmaxInit, nullptr, SoftmaxPrepare, SoftmaxEval, 0};
}

}  // namespace tflite
