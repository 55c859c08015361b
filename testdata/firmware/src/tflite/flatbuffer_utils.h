// A tiny read-only flatbuffer walker for the TFLite model schema.
#ifndef FOOTPRINT_FW_TFLITE_FLATBUFFER_UTILS_H_
#define FOOTPRINT_FW_TFLITE_FLATBUFFER_UTILS_H_

#include <stddef.h>
#include <stdint.h>

namespace tflite {

// Table is a view of one flatbuffer table inside a bounded byte buffer.
class Table {
 public:
  Table() : base_(nullptr), size_(0), pos_(0) {}
  Table(const uint8_t* base, size_t size, uint32_t pos)
      : base_(base), size_(size), pos_(pos) {}

  bool valid() const { return base_ != nullptr; }
  uint32_t FieldOffset(int field) const;
  template <typename T>
  T Scalar(int field, T default_value) const;
  Table SubTable(int field) const;
  // Vector returns the element count of a vector field and its data position.
  uint32_t Vector(int field, uint32_t* data_pos) const;
  Table VectorTable(int field, uint32_t index) const;
  const uint8_t* base() const { return base_; }
  size_t size() const { return size_; }

 private:
  uint32_t ReadU32(uint32_t at) const;
  const uint8_t* base_;
  size_t size_;
  uint32_t pos_;
};

// ModelView exposes the parts of a TFLite model the interpreter needs.
class ModelView {
 public:
  ModelView(const uint8_t* data, size_t size);
  bool ok() const { return root_.valid(); }
  uint32_t version() const { return root_.Scalar<uint32_t>(0, 0); }
  uint32_t operator_code_count() const;
  int32_t BuiltinCode(uint32_t index) const;
  Table subgraph(uint32_t index) const { return root_.VectorTable(2, index); }
  Table buffer(uint32_t index) const { return root_.VectorTable(4, index); }

 private:
  Table root_;
};

}  // namespace tflite

#endif  // FOOTPRINT_FW_TFLITE_FLATBUFFER_UTILS_H_
