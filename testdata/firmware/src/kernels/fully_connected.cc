#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

template <typename InputT, typename AccT>
void FullyConnected(const RuntimeShape& input_shape, const InputT* input,
                    const RuntimeShape& weights_shape, const InputT* weights,
                    const AccT* bias, int32_t input_offset, int32_t multiplier, int shift,
                    InputT* output) {
  const int depth = weights_shape.Dims(weights_shape.DimensionsCount() - 1);
  const int units = weights_shape.Dims(0);
  const int batches = input_shape.FlatSize() / (depth > 0 ? depth : 1);
  for (int b = 0; b < batches; ++b) {
    for (int u = 0; u < units; ++u) {
      AccT acc = bias != nullptr ? bias[u] : 0;
      for (int d = 0; d < depth; ++d) {
        acc += (input[b * depth + d] + input_offset) * weights[u * depth + d];
      }
      int32_t scaled = MultiplyByQuantizedMultiplier(acc, multiplier, shift);
      output[b * units + u] = ActivationClamp<InputT>(scaled, -128, 127);
    }
  }
}

}  // namespace reference_ops

namespace {

// The same static name exists in conv.cc on purpose (duplicate local symbols).
static __attribute__((noinline)) TfLiteStatus CheckShape(const TfLiteTensor* t, int min_dims) {
  return t != nullptr && t->num_dims >= min_dims && t->data != nullptr ? kTfLiteOk
                                                                       : kTfLiteError;
}

TfLiteStatus FullyConnectedPrepare(TfLiteContext* context, TfLiteNode* node) {
  if (CheckShape(GetInput(context, node, 0), 1) != kTfLiteOk) return kTfLiteError;
  if (CheckShape(GetInput(context, node, 1), 2) != kTfLiteOk) return kTfLiteError;
  return CheckShape(GetOutput(context, node, 0), 1);
}

TfLiteStatus FullyConnectedEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  const TfLiteTensor* weights = GetInput(context, node, 1);
  const TfLiteTensor* bias = GetInput(context, node, 2);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || weights == nullptr || output == nullptr) return kTfLiteError;
  reference_ops::FullyConnected<int8_t, int32_t>(
      RuntimeShape(input), static_cast<const int8_t*>(input->data), RuntimeShape(weights),
      static_cast<const int8_t*>(weights->data),
      bias != nullptr ? static_cast<const int32_t*>(bias->data) : nullptr,
      -input->params.zero_point, 1 << 30, 0, static_cast<int8_t*>(output->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_FULLY_CONNECTED() {
  return {nullptr, nullptr, FullyConnectedPrepare, FullyConnectedEval, 0};
}

}  // namespace tflite
