// Shared helpers for the reference kernels.
#ifndef FOOTPRINT_FW_TFLITE_KERNEL_UTIL_H_
#define FOOTPRINT_FW_TFLITE_KERNEL_UTIL_H_

#include <stdint.h>

#include "common.h"

namespace tflite {

// RuntimeShape is a small fixed-capacity shape used by the reference ops.
class RuntimeShape {
 public:
  explicit RuntimeShape(const TfLiteTensor* t) : size_(t->num_dims), dims_{} {
    for (int i = 0; i < size_; ++i) dims_[i] = t->dims[i];
  }
  int DimensionsCount() const { return size_; }
  int32_t Dims(int i) const { return i < size_ ? dims_[i] : 1; }
  int FlatSize() const {
    int n = 1;
    for (int i = 0; i < size_; ++i) n *= dims_[i];
    return n;
  }
  // Extended4D returns dimension i of the shape right-aligned into 4-D.
  int32_t Extended4D(int i) const {
    int offset = 4 - size_;
    return i < offset ? 1 : dims_[i - offset];
  }

 private:
  int size_;
  int32_t dims_[kMaxDims];
};

namespace reference_ops {

template <typename T>
struct ArithmeticParams {
  int32_t input1_offset;
  int32_t input2_offset;
  int32_t output_offset;
  int32_t output_multiplier;
  int output_shift;
  T quantized_activation_min;
  T quantized_activation_max;
};

template <typename T>
inline T ActivationClamp(int32_t v, T lo, T hi) {
  return static_cast<T>(v < lo ? lo : (v > hi ? hi : v));
}

// MultiplyByQuantizedMultiplier rescales an int32 accumulator (64-bit product).
inline int32_t MultiplyByQuantizedMultiplier(int32_t x, int32_t multiplier, int shift) {
  int64_t total = static_cast<int64_t>(x) * multiplier;
  int right = 31 - shift;
  int64_t round = static_cast<int64_t>(1) << (right - 1);
  return static_cast<int32_t>((total + round) >> right);
}

}  // namespace reference_ops
}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_KERNEL_UTIL_H_
