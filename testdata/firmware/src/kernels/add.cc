#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

template <typename T, typename AccT>
struct QuantizedAddFunctor {
  static T Apply(const ArithmeticParams<T>& p, T a, T b) {
    const AccT sum = (a + p.input1_offset) + (b + p.input2_offset);
    const AccT scaled =
        MultiplyByQuantizedMultiplier(sum, p.output_multiplier, p.output_shift) + p.output_offset;
    return ActivationClamp<T>(scaled, p.quantized_activation_min, p.quantized_activation_max);
  }
};

// A deliberately long template instantiation: its mangled name is well over
// 200 characters, which exercises symbol-name handling and demangling.
template <typename Params, typename Functor, typename Shape, typename T>
__attribute__((noinline)) void BroadcastBinaryFunction4DSlow(const Params& params,
                                                             const Shape& input1_shape,
                                                             const T* input1_data,
                                                             const Shape& input2_shape,
                                                             const T* input2_data,
                                                             const Shape& output_shape,
                                                             T* output_data) {
  const int d0 = output_shape.Extended4D(0), d1 = output_shape.Extended4D(1);
  const int d2 = output_shape.Extended4D(2), d3 = output_shape.Extended4D(3);
  for (int b = 0; b < d0; ++b)
    for (int y = 0; y < d1; ++y)
      for (int x = 0; x < d2; ++x)
        for (int c = 0; c < d3; ++c) {
          const int i1 = (((b % input1_shape.Extended4D(0)) * input1_shape.Extended4D(1) +
                           (y % input1_shape.Extended4D(1))) * input1_shape.Extended4D(2) +
                          (x % input1_shape.Extended4D(2))) * input1_shape.Extended4D(3) +
                         (c % input1_shape.Extended4D(3));
          const int i2 = (((b % input2_shape.Extended4D(0)) * input2_shape.Extended4D(1) +
                           (y % input2_shape.Extended4D(1))) * input2_shape.Extended4D(2) +
                          (x % input2_shape.Extended4D(2))) * input2_shape.Extended4D(3) +
                         (c % input2_shape.Extended4D(3));
          output_data[((b * d1 + y) * d2 + x) * d3 + c] =
              Functor::Apply(params, input1_data[i1], input2_data[i2]);
        }
}

}  // namespace reference_ops

namespace {

TfLiteStatus AddPrepare(TfLiteContext* context, TfLiteNode* node) {
  return GetInput(context, node, 1) != nullptr ? kTfLiteOk : kTfLiteError;
}

TfLiteStatus AddEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* a = GetInput(context, node, 0);
  const TfLiteTensor* b = GetInput(context, node, 1);
  TfLiteTensor* out = GetOutput(context, node, 0);
  if (a == nullptr || b == nullptr || out == nullptr) return kTfLiteError;
  const reference_ops::ArithmeticParams<int8_t> params = {
      -a->params.zero_point, -b->params.zero_point, out->params.zero_point, 1 << 30, 0, -128, 127};
  reference_ops::BroadcastBinaryFunction4DSlow<
      reference_ops::ArithmeticParams<int8_t>,
      reference_ops::QuantizedAddFunctor<int8_t, int32_t>, RuntimeShape, int8_t>(
      params, RuntimeShape(a), static_cast<const int8_t*>(a->data), RuntimeShape(b),
      static_cast<const int8_t*>(b->data), RuntimeShape(out), static_cast<int8_t*>(out->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_ADD() { return {nullptr, nullptr, AddPrepare, AddEval, 0}; }

}  // namespace tflite
