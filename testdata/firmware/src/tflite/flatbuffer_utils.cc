#include "flatbuffer_utils.h"

#include <string.h>

namespace tflite {

uint32_t Table::ReadU32(uint32_t at) const {
  if (base_ == nullptr || static_cast<size_t>(at) + 4 > size_) return 0;
  uint32_t v;
  memcpy(&v, base_ + at, sizeof(v));
  return v;
}

uint32_t Table::FieldOffset(int field) const {
  if (base_ == nullptr) return 0;
  int32_t soffset = static_cast<int32_t>(ReadU32(pos_));
  uint32_t vtable = pos_ - static_cast<uint32_t>(soffset);
  if (static_cast<size_t>(vtable) + 4 > size_) return 0;
  uint16_t vt_size, entry = 0;
  memcpy(&vt_size, base_ + vtable, 2);
  uint32_t slot = 4 + 2 * static_cast<uint32_t>(field);
  if (slot + 2 > vt_size || vtable + slot + 2 > size_) return 0;
  memcpy(&entry, base_ + vtable + slot, 2);
  return entry == 0 ? 0 : pos_ + entry;
}

template <typename T>
T Table::Scalar(int field, T default_value) const {
  uint32_t at = FieldOffset(field);
  if (at == 0 || static_cast<size_t>(at) + sizeof(T) > size_) return default_value;
  T v;
  memcpy(&v, base_ + at, sizeof(T));
  return v;
}

template int8_t Table::Scalar<int8_t>(int, int8_t) const;
template uint8_t Table::Scalar<uint8_t>(int, uint8_t) const;
template int32_t Table::Scalar<int32_t>(int, int32_t) const;
template uint32_t Table::Scalar<uint32_t>(int, uint32_t) const;
template float Table::Scalar<float>(int, float) const;

Table Table::SubTable(int field) const {
  uint32_t at = FieldOffset(field);
  if (at == 0) return Table();
  uint32_t target = at + ReadU32(at);
  if (static_cast<size_t>(target) + 4 > size_) return Table();
  return Table(base_, size_, target);
}

uint32_t Table::Vector(int field, uint32_t* data_pos) const {
  uint32_t at = FieldOffset(field);
  if (at == 0) return 0;
  uint32_t vec = at + ReadU32(at);
  if (static_cast<size_t>(vec) + 4 > size_) return 0;
  uint32_t count = ReadU32(vec);
  if (count > size_) return 0;
  *data_pos = vec + 4;
  return count;
}

Table Table::VectorTable(int field, uint32_t index) const {
  uint32_t data = 0;
  uint32_t count = Vector(field, &data);
  if (index >= count) return Table();
  uint32_t at = data + 4 * index;
  uint32_t target = at + ReadU32(at);
  if (static_cast<size_t>(target) + 4 > size_) return Table();
  return Table(base_, size_, target);
}

ModelView::ModelView(const uint8_t* data, size_t size) {
  // Bytes 4..7 hold the file identifier "TFL3".
  if (size < 8 || memcmp(data + 4, "TFL3", 4) != 0) return;
  uint32_t root;
  memcpy(&root, data, 4);
  if (root + 4 > size) return;
  root_ = Table(data, size, root);
}

uint32_t ModelView::operator_code_count() const {
  uint32_t data = 0;
  return root_.Vector(1, &data);
}

int32_t ModelView::BuiltinCode(uint32_t index) const {
  Table code = root_.VectorTable(1, index);
  if (!code.valid()) return -1;
  // Field 0 is the deprecated int8 code, field 3 the full int32 code.
  int32_t deprecated = code.Scalar<int8_t>(0, 0);
  int32_t full = code.Scalar<int32_t>(3, 0);
  return full > deprecated ? full : deprecated;
}

}  // namespace tflite
