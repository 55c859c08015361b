#include "../tflite/common.h"
#include "../tflite/kernel_util.h"

namespace tflite {
namespace reference_ops {

struct ConvParams {
  int stride_width;
  int stride_height;
  int pad_width;
  int pad_height;
  int32_t input_offset;
  int32_t output_multiplier;
  int output_shift;
};

template <typename T>
void Conv(const ConvParams& params, const RuntimeShape& input_shape, const T* input,
          const RuntimeShape& filter_shape, const T* filter, const int32_t* bias,
          const RuntimeShape& output_shape, T* output) {
  const int batches = input_shape.Extended4D(0);
  const int in_h = input_shape.Extended4D(1), in_w = input_shape.Extended4D(2);
  const int in_d = input_shape.Extended4D(3);
  const int f_h = filter_shape.Extended4D(1), f_w = filter_shape.Extended4D(2);
  const int out_h = output_shape.Extended4D(1), out_w = output_shape.Extended4D(2);
  const int out_d = output_shape.Extended4D(3);
  for (int b = 0; b < batches; ++b)
    for (int oy = 0; oy < out_h; ++oy)
      for (int ox = 0; ox < out_w; ++ox)
        for (int oc = 0; oc < out_d; ++oc) {
          int32_t acc = bias != nullptr ? bias[oc] : 0;
          for (int fy = 0; fy < f_h; ++fy)
            for (int fx = 0; fx < f_w; ++fx) {
              const int iy = oy * params.stride_height - params.pad_height + fy;
              const int ix = ox * params.stride_width - params.pad_width + fx;
              if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;
              for (int ic = 0; ic < in_d; ++ic) {
                const int32_t iv = input[((b * in_h + iy) * in_w + ix) * in_d + ic];
                const int32_t fv = filter[((oc * f_h + fy) * f_w + fx) * in_d + ic];
                acc += (iv + params.input_offset) * fv;
              }
            }
          acc = MultiplyByQuantizedMultiplier(acc, params.output_multiplier, params.output_shift);
          output[((b * out_h + oy) * out_w + ox) * out_d + oc] =
              ActivationClamp<T>(acc, -128, 127);
        }
}

}  // namespace reference_ops

namespace {

// The same static name exists in fully_connected.cc on purpose.
static __attribute__((noinline)) TfLiteStatus CheckShape(const TfLiteTensor* t, int min_dims) {
  return t != nullptr && t->num_dims >= min_dims ? kTfLiteOk : kTfLiteError;
}

void* ConvInit(TfLiteContext* context, const char*, size_t) {
  return context->AllocatePersistentBuffer(context, sizeof(reference_ops::ConvParams));
}

TfLiteStatus ConvPrepare(TfLiteContext* context, TfLiteNode* node) {
  auto* params = static_cast<reference_ops::ConvParams*>(node->user_data);
  if (params == nullptr) return kTfLiteError;
  *params = {1, 1, 0, 0, 0, 1 << 30, 0};
  if (CheckShape(GetInput(context, node, 0), 4) != kTfLiteOk) return kTfLiteError;
  return CheckShape(GetInput(context, node, 1), 4);
}

TfLiteStatus ConvEval(TfLiteContext* context, TfLiteNode* node) {
  const auto* params = static_cast<const reference_ops::ConvParams*>(node->user_data);
  const TfLiteTensor* input = GetInput(context, node, 0);
  const TfLiteTensor* filter = GetInput(context, node, 1);
  const TfLiteTensor* bias = GetInput(context, node, 2);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || filter == nullptr || output == nullptr) return kTfLiteError;
  reference_ops::Conv<int8_t>(*params, RuntimeShape(input),
                              static_cast<const int8_t*>(input->data), RuntimeShape(filter),
                              static_cast<const int8_t*>(filter->data),
                              bias != nullptr ? static_cast<const int32_t*>(bias->data) : nullptr,
                              RuntimeShape(output), static_cast<int8_t*>(output->data));
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_CONV_2D() { return {ConvInit, nullptr, ConvPrepare, ConvEval, 0}; }

}  // namespace tflite
