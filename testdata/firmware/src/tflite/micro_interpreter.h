#ifndef FOOTPRINT_FW_TFLITE_MICRO_INTERPRETER_H_
#define FOOTPRINT_FW_TFLITE_MICRO_INTERPRETER_H_

#include "common.h"
#include "flatbuffer_utils.h"
#include "micro_allocator.h"
#include "micro_op_resolver.h"

namespace tflite {

// MicroInterpreter walks subgraph 0 of a TFLite flatbuffer, binds each
// operator to a kernel from the resolver and runs them in order.
class MicroInterpreter {
 public:
  MicroInterpreter(const uint8_t* model, size_t model_size,
                   const MicroOpResolver& resolver, uint8_t* arena,
                   size_t arena_size);

  TfLiteStatus AllocateTensors();
  TfLiteStatus Invoke();
  TfLiteTensor* input(int index);
  TfLiteTensor* output(int index);
  size_t arena_used_bytes() const { return allocator_.used_bytes(); }
  size_t operators_size() const { return operators_size_; }

 private:
  TfLiteStatus ParseTensor(const Table& t, TfLiteTensor* out);
  const int32_t* ReadIndexVector(const Table& t, int field, int* count);

  ModelView model_;
  const MicroOpResolver& resolver_;
  MicroAllocator allocator_;
  TfLiteContext context_;
  TfLiteNode* nodes_;
  const TfLiteRegistration** registrations_;
  size_t operators_size_;
  const int32_t* inputs_;
  int inputs_size_;
  const int32_t* outputs_;
  int outputs_size_;
};

}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_MICRO_INTERPRETER_H_
