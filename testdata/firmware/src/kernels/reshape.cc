#include <string.h>

#include "../tflite/common.h"

namespace tflite {
namespace {

TfLiteStatus ReshapePrepare(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  const TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || output == nullptr) return kTfLiteError;
  return FlatSize(input) == FlatSize(output) ? kTfLiteOk : kTfLiteError;
}

TfLiteStatus ReshapeEval(TfLiteContext* context, TfLiteNode* node) {
  const TfLiteTensor* input = GetInput(context, node, 0);
  TfLiteTensor* output = GetOutput(context, node, 0);
  if (input == nullptr || output == nullptr) return kTfLiteError;
  if (input->data != output->data) memmove(output->data, input->data, input->bytes);
  return kTfLiteOk;
}

}  // namespace

TfLiteRegistration Register_RESHAPE() {
  return {nullptr, nullptr, ReshapePrepare, ReshapeEval, 0};
}

}  // namespace tflite
