#include "micro_interpreter.h"

#include <string.h>

#include "micro_log.h"

namespace tflite {
namespace {

// Subgraph fields: tensors, inputs, outputs, operators, name.
constexpr int kSubgraphTensors = 0;
constexpr int kSubgraphInputs = 1;
constexpr int kSubgraphOutputs = 2;
constexpr int kSubgraphOperators = 3;
// Tensor fields: shape, type, buffer, name, quantization.
constexpr int kTensorShape = 0;
constexpr int kTensorType = 1;
constexpr int kTensorBuffer = 2;
constexpr int kTensorQuantization = 4;
// Operator fields: opcode_index, inputs, outputs, builtin_options_type, builtin_options.
constexpr int kOperatorOpcode = 0;
constexpr int kOperatorInputs = 1;
constexpr int kOperatorOutputs = 2;

// ConvertTensorType maps the schema's TensorType enum to TfLiteType.
TfLiteType ConvertTensorType(uint8_t schema_type) {
  switch (schema_type) {
    case 0:
      return kTfLiteFloat32;
    case 2:
      return kTfLiteInt32;
    case 3:
      return kTfLiteUInt8;
    case 4:
      return kTfLiteInt64;
    case 7:
      return kTfLiteInt16;
    case 9:
      return kTfLiteInt8;
    default:
      return kTfLiteNoType;
  }
}

void* ContextAllocatePersistent(TfLiteContext* context, size_t bytes) {
  return static_cast<MicroAllocator*>(context->impl)->AllocatePersistent(bytes, 16);
}

}  // namespace

MicroInterpreter::MicroInterpreter(const uint8_t* model, size_t model_size,
                                   const MicroOpResolver& resolver, uint8_t* arena,
                                   size_t arena_size)
    : model_(model, model_size),
      resolver_(resolver),
      allocator_(arena, arena_size),
      context_{nullptr, 0, ContextAllocatePersistent, &allocator_},
      nodes_(nullptr),
      registrations_(nullptr),
      operators_size_(0),
      inputs_(nullptr),
      inputs_size_(0),
      outputs_(nullptr),
      outputs_size_(0) {}

const int32_t* MicroInterpreter::ReadIndexVector(const Table& t, int field, int* count) {
  uint32_t pos = 0;
  uint32_t n = t.Vector(field, &pos);
  *count = 0;
  if (n == 0 || static_cast<size_t>(pos) + 4ull * n > t.size()) return nullptr;
  // Copy into the arena: the flatbuffer only guarantees 4-byte alignment.
  int32_t* out = allocator_.AllocateArray<int32_t>(n);
  if (out == nullptr) return nullptr;
  memcpy(out, t.base() + pos, 4 * n);
  *count = static_cast<int>(n);
  return out;
}

TfLiteStatus MicroInterpreter::ParseTensor(const Table& t, TfLiteTensor* out) {
  memset(out, 0, sizeof(*out));
  uint32_t pos = 0;
  uint32_t n = t.Vector(kTensorShape, &pos);
  if (n > kMaxDims || static_cast<size_t>(pos) + 4ull * n > t.size()) return kTfLiteError;
  memcpy(out->dims, t.base() + pos, 4 * n);
  out->num_dims = static_cast<int>(n);
  out->type = ConvertTensorType(t.Scalar<uint8_t>(kTensorType, 0));
  out->bytes = TfLiteTypeSize(out->type) * static_cast<size_t>(FlatSize(out));

  Table quant = t.SubTable(kTensorQuantization);
  if (quant.valid()) {
    uint32_t qpos = 0;
    if (quant.Vector(2, &qpos) > 0) memcpy(&out->params.scale, t.base() + qpos, 4);
    if (quant.Vector(3, &qpos) > 0) memcpy(&out->params.zero_point, t.base() + qpos, 4);
  }

  Table buffer = model_.buffer(t.Scalar<uint32_t>(kTensorBuffer, 0));
  uint32_t data_pos = 0;
  if (buffer.valid() && buffer.Vector(0, &data_pos) >= out->bytes && out->bytes > 0) {
    out->data = const_cast<uint8_t*>(t.base() + data_pos);
    return kTfLiteOk;
  }
  out->data = allocator_.AllocateHead(out->bytes, 16);
  return out->data != nullptr || out->bytes == 0 ? kTfLiteOk : kTfLiteError;
}

TfLiteStatus MicroInterpreter::AllocateTensors() {
  if (!model_.ok()) {
    MicroPrintf("model is not a TFL3 flatbuffer");
    return kTfLiteError;
  }
  Table subgraph = model_.subgraph(0);
  uint32_t pos = 0;
  uint32_t tensor_count = subgraph.Vector(kSubgraphTensors, &pos);
  context_.tensors = allocator_.AllocateArray<TfLiteTensor>(tensor_count);
  if (context_.tensors == nullptr) return kTfLiteError;
  context_.tensors_size = tensor_count;
  for (uint32_t i = 0; i < tensor_count; ++i) {
    if (ParseTensor(subgraph.VectorTable(kSubgraphTensors, i), &context_.tensors[i]) != kTfLiteOk) {
      MicroPrintf("tensor %u does not fit the arena", static_cast<unsigned>(i));
      return kTfLiteError;
    }
  }
  inputs_ = ReadIndexVector(subgraph, kSubgraphInputs, &inputs_size_);
  outputs_ = ReadIndexVector(subgraph, kSubgraphOutputs, &outputs_size_);

  operators_size_ = subgraph.Vector(kSubgraphOperators, &pos);
  nodes_ = allocator_.AllocateArray<TfLiteNode>(operators_size_);
  registrations_ = allocator_.AllocateArray<const TfLiteRegistration*>(operators_size_);
  if (nodes_ == nullptr || registrations_ == nullptr) return kTfLiteError;
  for (size_t i = 0; i < operators_size_; ++i) {
    Table op = subgraph.VectorTable(kSubgraphOperators, static_cast<uint32_t>(i));
    int32_t code = model_.BuiltinCode(op.Scalar<uint32_t>(kOperatorOpcode, 0));
    const TfLiteRegistration* reg = resolver_.FindOp(code);
    if (reg == nullptr) {
      MicroPrintf("no kernel for builtin operator %d", static_cast<int>(code));
      return kTfLiteError;
    }
    registrations_[i] = reg;
    TfLiteNode& node = nodes_[i];
    node.inputs = ReadIndexVector(op, kOperatorInputs, &node.num_inputs);
    node.outputs = ReadIndexVector(op, kOperatorOutputs, &node.num_outputs);
    node.builtin_options = nullptr;
    node.user_data = reg->init != nullptr ? reg->init(&context_, nullptr, 0) : nullptr;
    if (reg->prepare != nullptr && reg->prepare(&context_, &node) != kTfLiteOk) {
      return kTfLiteError;
    }
  }
  return kTfLiteOk;
}

TfLiteStatus MicroInterpreter::Invoke() {
  for (size_t i = 0; i < operators_size_; ++i) {
    if (registrations_[i]->invoke(&context_, &nodes_[i]) != kTfLiteOk) {
      MicroPrintf("operator %u failed", static_cast<unsigned>(i));
      return kTfLiteError;
    }
  }
  return kTfLiteOk;
}

TfLiteTensor* MicroInterpreter::input(int index) {
  if (index < 0 || index >= inputs_size_) return nullptr;
  return &context_.tensors[inputs_[index]];
}

TfLiteTensor* MicroInterpreter::output(int index) {
  if (index < 0 || index >= outputs_size_) return nullptr;
  return &context_.tensors[outputs_[index]];
}

}  // namespace tflite
