// MUL kernel: only compiled into the "extra-kernel" diff variant (-DWITH_MUL_KERNEL).
#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

template <typename T>
void Mul(const ArithmeticParams<T>& params, int size, const T* input1, const T* input2,
         T* output) {
  for (int i = 0; i < size; ++i) {
    const int32_t product = (input1[i] + params.input1_offset) * (input2[i] + params.input2_offset);
    const int32_t scaled =
        MultiplyByQuantizedMultiplier(product, params.output_multiplier, params.output_shift) +
        params.output_offset;
    output[i] = ActivationClamp<T>(scaled, params.quantized_activation_min,
                                   params.quantized_activation_max);
  }
}

}  // namespace reference_ops

namespace {

TfLiteStatus MulPrepare(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* a = GetInput(context, node, 0);
  const TfLiteTensor* b = GetInput(context, node, 1);
  if (a == nullptr || b == nullptr) return kTfLiteError;
  return FlatSize(a) == FlatSize(b) ? kTfLiteOk : kTfLiteError;
}

TfLiteStatus MulEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* a = GetInput(context, node, 0);
  const TfLiteTensor* b = GetInput(context, node, 1);
  TfLiteTensor* out = GetOutput(context, node, 0);
  if (a == nullptr || b == nullptr || out == nullptr) return kTfLiteError;
  const reference_ops::ArithmeticParams<int8_t> params = {
      -a->params.zero_point, -b->params.zero_point, out->params.zero_point, 1 << 30, 1, -128, 127};
  reference_ops::Mul<int8_t>(params, FlatSize(out), static_cast<const int8_t*>(a->data),
                             static_cast<const int8_t*>(b->data), static_cast<int8_t*>(out->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_MUL() { return {nullptr, nullptr, MulPrepare, MulEval, 0}; }

}  // namespace tflite
