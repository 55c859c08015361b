#ifndef FOOTPRINT_FW_TFLITE_MICRO_OP_RESOLVER_H_
#define FOOTPRINT_FW_TFLITE_MICRO_OP_RESOLVER_H_

#include "common.h"

namespace tflite {

// MicroOpResolver maps builtin operator codes to kernel registrations.
class MicroOpResolver {
 public:
  virtual ~MicroOpResolver();
  virtual const TfLiteRegistration* FindOp(int32_t builtin_code) const = 0;
  virtual size_t registered() const = 0;
};

// MicroMutableOpResolver holds up to tOpCount registrations added at startup.
template <unsigned int tOpCount>
class MicroMutableOpResolver : public MicroOpResolver {
 public:
  const TfLiteRegistration* FindOp(int32_t builtin_code) const override {
    for (unsigned int i = 0; i < count_; ++i) {
      if (registrations_[i].builtin_code == builtin_code) return &registrations_[i];
    }
    return nullptr;
  }
  size_t registered() const override { return count_; }

  TfLiteStatus AddBuiltin(int32_t code, TfLiteRegistration (*make)()) {
    if (count_ >= tOpCount) return kTfLiteError;
    registrations_[count_] = make();
    registrations_[count_].builtin_code = code;
    ++count_;
    return kTfLiteOk;
  }
  TfLiteStatus AddFullyConnected() {
    return AddBuiltin(BuiltinOperator_FULLY_CONNECTED, Register_FULLY_CONNECTED);
  }
  TfLiteStatus AddConv2D() { return AddBuiltin(BuiltinOperator_CONV_2D, Register_CONV_2D); }
  TfLiteStatus AddDepthwiseConv2D() {
    return AddBuiltin(BuiltinOperator_DEPTHWISE_CONV_2D, Register_DEPTHWISE_CONV_2D);
  }
  TfLiteStatus AddSoftmax() { return AddBuiltin(BuiltinOperator_SOFTMAX, Register_SOFTMAX); }
  TfLiteStatus AddReshape() { return AddBuiltin(BuiltinOperator_RESHAPE, Register_RESHAPE); }
  TfLiteStatus AddAdd() { return AddBuiltin(BuiltinOperator_ADD, Register_ADD); }
  TfLiteStatus AddQuantize() { return AddBuiltin(BuiltinOperator_QUANTIZE, Register_QUANTIZE); }
  TfLiteStatus AddDequantize() {
    return AddBuiltin(BuiltinOperator_DEQUANTIZE, Register_DEQUANTIZE);
  }
#ifdef WITH_MUL_KERNEL
  TfLiteStatus AddMul() { return AddBuiltin(BuiltinOperator_MUL, Register_MUL); }
#endif

 private:
  TfLiteRegistration registrations_[tOpCount] = {};
  unsigned int count_ = 0;
};

}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_MICRO_OP_RESOLVER_H_
