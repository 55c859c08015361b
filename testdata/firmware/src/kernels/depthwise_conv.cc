#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

template <typename T>
void DepthwiseConv(int depth_multiplier, const RuntimeShape& input_shape, const T* input,
                   const RuntimeShape& filter_shape, const T* filter, const int32_t* bias,
                   const RuntimeShape& output_shape, T* output) {
  const int in_h = input_shape.Extended4D(1), in_w = input_shape.Extended4D(2);
  const int in_d = input_shape.Extended4D(3);
  const int f_h = filter_shape.Extended4D(1), f_w = filter_shape.Extended4D(2);
  const int out_h = output_shape.Extended4D(1), out_w = output_shape.Extended4D(2);
  const int out_d = output_shape.Extended4D(3);
  for (int oy = 0; oy < out_h; ++oy)
    for (int ox = 0; ox < out_w; ++ox)
      for (int ic = 0; ic < in_d; ++ic)
        for (int m = 0; m < depth_multiplier; ++m) {
          const int oc = ic * depth_multiplier + m;
          if (oc >= out_d) continue;
          int32_t acc = bias != nullptr ? bias[oc] : 0;
          for (int fy = 0; fy < f_h; ++fy)
            for (int fx = 0; fx < f_w; ++fx) {
              const int iy = oy + fy, ix = ox + fx;
              if (iy >= in_h || ix >= in_w) continue;
              acc += input[(iy * in_w + ix) * in_d + ic] * filter[(fy * f_w + fx) * out_d + oc];
            }
          output[(oy * out_w + ox) * out_d + oc] = ActivationClamp<T>(acc >> 8, -128, 127);
        }
}

}  // namespace reference_ops

namespace {

TfLiteStatus DepthwiseConvPrepare(TfLiteContext* context, TfLiteNode* node) {
  return GetInput(context, node, 0) != nullptr && GetOutput(context, node, 0) != nullptr
             ? kTfLiteOk
             : kTfLiteError;
}

TfLiteStatus DepthwiseConvEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  const TfLiteTensor* filter = GetInput(context, node, 1);
  const TfLiteTensor* bias = GetInput(context, node, 2);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || filter == nullptr || output == nullptr) return kTfLiteError;
  const int multiplier = RuntimeShape(output).Extended4D(3) / RuntimeShape(input).Extended4D(3);
  reference_ops::DepthwiseConv<int8_t>(
      multiplier > 0 ? multiplier : 1, RuntimeShape(input), static_cast<const int8_t*>(input->data),
      RuntimeShape(filter), static_cast<const int8_t*>(filter->data),
      bias != nullptr ? static_cast<const int32_t*>(bias->data) : nullptr, RuntimeShape(output),
      static_cast<int8_t*>(output->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_DEPTHWISE_CONV_2D() {
  return {nullptr, nullptr, DepthwiseConvPrepare, DepthwiseConvEval, 0};
}

}  // namespace tflite
