package tflite

import (
	"fmt"
	"math"
	"math/bits"
	"strconv"
)

// tensorTypeInfo is the schema name and element width of a tensor type.
type tensorTypeInfo struct {
	name string
	bits int // 0 for types without a fixed element size
}

// tensorTypes describes every type of the schema's TensorType enum.
var tensorTypes = [...]tensorTypeInfo{
	Float32:      {"FLOAT32", 32},
	Float16:      {"FLOAT16", 16},
	Int32:        {"INT32", 32},
	Uint8:        {"UINT8", 8},
	Int64:        {"INT64", 64},
	String:       {"STRING", 0},
	Bool:         {"BOOL", 8},
	Int16:        {"INT16", 16},
	Complex64:    {"COMPLEX64", 64},
	Int8:         {"INT8", 8},
	Float64:      {"FLOAT64", 64},
	Complex128:   {"COMPLEX128", 128},
	Uint64:       {"UINT64", 64},
	Resource:     {"RESOURCE", 0},
	Variant:      {"VARIANT", 0},
	Uint32:       {"UINT32", 32},
	Uint16:       {"UINT16", 16},
	Int4:         {"INT4", 4},
	BFloat16:     {"BFLOAT16", 16},
	Int2:         {"INT2", 2},
	Uint4:        {"UINT4", 4},
	Float8E4M3FN: {"FLOAT8_E4M3FN", 8},
	Float8E5M2:   {"FLOAT8_E5M2", 8},
}

func (t TensorType) info() tensorTypeInfo {
	if t >= 0 && int(t) < len(tensorTypes) {
		return tensorTypes[t]
	}
	return tensorTypeInfo{}
}

// String returns the schema's name of the type ("INT8"), or
// "TYPE_<n>" for a value the schema does not define.
func (t TensorType) String() string {
	if name := t.info().name; name != "" {
		return name
	}
	return "TYPE_" + strconv.Itoa(int(t))
}

// Bits returns the width of one element in bits (4 for INT4), or 0 for
// types whose elements have no fixed size (STRING, RESOURCE, VARIANT) and
// unknown types.
func (t TensorType) Bits() int { return t.info().bits }

// Size returns the size of one element in bytes, or 0 when elements are
// not a whole number of bytes (INT4, INT2, UINT4 are packed) or have no
// fixed size (STRING, RESOURCE, VARIANT).
func (t TensorType) Size() int {
	if b := t.Bits(); b%8 == 0 {
		return b / 8
	}
	return 0
}

// IsFloat reports whether the type holds floating-point values.
func (t TensorType) IsFloat() bool {
	switch t {
	case Float32, Float16, Float64, BFloat16, Float8E4M3FN, Float8E5M2, Complex64, Complex128:
		return true
	}
	return false
}

// NumElements returns the product of the tensor's dimensions (1 for a
// scalar), or an error for a negative dimension or a product that
// overflows int64.
func (t Tensor) NumElements() (int64, error) {
	n := int64(1)
	for _, d := range t.Shape {
		if d < 0 {
			return 0, fmt.Errorf("tensor %q: shape %v has a negative dimension", t.Name, t.Shape)
		}
		hi, lo := bits.Mul64(uint64(n), uint64(d))
		if hi != 0 || lo > math.MaxInt64 {
			return 0, fmt.Errorf("tensor %q: shape %v has more than 2^63 elements", t.Name, t.Shape)
		}
		n = int64(lo)
	}
	return n, nil
}

// Bytes returns the size of the tensor's data: its elements times the
// element size, packed types rounded up to whole bytes (TFLM stores INT4
// tensors two to a byte). It is an error for a type without a fixed element
// size (STRING, RESOURCE, VARIANT) or when the size overflows int64.
func (t Tensor) Bytes() (int64, error) {
	n, err := t.NumElements()
	if err != nil {
		return 0, err
	}
	b := int64(t.Type.Bits())
	if b == 0 {
		return 0, fmt.Errorf("tensor %q: type %v has no fixed element size", t.Name, t.Type)
	}
	if n > (math.MaxInt64-7)/b {
		return 0, fmt.Errorf("tensor %q: shape %v of %v is larger than 2^63 bytes", t.Name, t.Shape, t.Type)
	}
	return (n*b + 7) / 8, nil
}

// BufferData returns the data of buffer i, or nil when the buffer is empty
// or does not exist (buffer 0 is the schema's empty sentinel).
func (m *Model) BufferData(i uint32) []byte {
	if int64(i) >= int64(len(m.Buffers)) {
		return nil
	}
	return m.Buffers[i].Data
}

// TensorData returns the constant data of tensor t: the data of its buffer,
// or nil when it has none (activations, variables).
func (m *Model) TensorData(t Tensor) []byte { return m.BufferData(t.Buffer) }
