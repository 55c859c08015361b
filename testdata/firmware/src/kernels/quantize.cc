#include <math.h>

#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

template <typename InT, typename OutT>
void AffineQuantize(const QuantizationParams& q, int size, const InT* input, OutT* output) {
  const float inv_scale = q.scale != 0.0f ? 1.0f / q.scale : 0.0f;
  for (int i = 0; i < size; ++i) {
    const int32_t v = static_cast<int32_t>(roundf(input[i] * inv_scale)) + q.zero_point;
    output[i] = ActivationClamp<OutT>(v, -128, 127);
  }
}

template <typename InT, typename OutT>
void Dequantize(const QuantizationParams& q, int size, const InT* input, OutT* output) {
  for (int i = 0; i < size; ++i) {
    output[i] = static_cast<OutT>((static_cast<int32_t>(input[i]) - q.zero_point) * q.scale);
  }
}

}  // namespace reference_ops

namespace {

TfLiteStatus QuantizePrepare(TfLiteContext* context, TfLiteNode* node) {
  return GetOutput(context, node, 0) != nullptr ? kTfLiteOk : kTfLiteError;
}

TfLiteStatus QuantizeEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || output == nullptr) return kTfLiteError;
  reference_ops::AffineQuantize<float, int8_t>(output->params, FlatSize(output),
                                               static_cast<const float*>(input->data),
                                               static_cast<int8_t*>(output->data));
  return kTfLiteOk;
}

TfLiteStatus DequantizeEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || output == nullptr) return kTfLiteError;
  reference_ops::Dequantize<int8_t, float>(input->params, FlatSize(input),
                                           static_cast<const int8_t*>(input->data),
                                           static_cast<float*>(output->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_QUANTIZE() {
  return {nullptr, nullptr, QuantizePrepare, QuantizeEval, 0};
}

TfLiteRegistration Register_DEQUANTIZE() {
  return {nullptr, nullptr, QuantizePrepare, DequantizeEval, 0};
}

}  // namespace tflite
