package runtime

import (
	"encoding/binary"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// Kernels work on decoded values: every integer element type is widened to
// int32 (int64 for int64 tensors) and floats stay float32. Decoding at the
// start of an op and encoding at its end keeps the kernels free of byte
// arithmetic, and matches what the arena check needs: an op reads its
// inputs' bytes and writes its outputs' bytes, nothing else.

// elemSize is the size in bytes of one element of kind, 0 if unsupported.
func elemSize(kind tflite.TensorType) int {
	switch kind {
	case tflite.Int8, tflite.Uint8, tflite.Bool:
		return 1
	case tflite.Int16, tflite.Uint16, tflite.Float16:
		return 2
	case tflite.Int32, tflite.Uint32, tflite.Float32, tflite.Resource:
		// A RESOURCE tensor holds a resource variable's int32 id.
		return 4
	case tflite.Int64, tflite.Uint64, tflite.Float64:
		return 8
	}
	return 0
}

// decodeInts widens the integer elements in b to int32. Unsigned 32-bit
// values wrap, as a C cast would.
func decodeInts(kind tflite.TensorType, b []byte, dst []int32) []int32 {
	n := len(b) / max(elemSize(kind), 1)
	if cap(dst) < n {
		dst = make([]int32, n)
	}
	dst = dst[:n]
	switch kind {
	case tflite.Int8:
		for i := range dst {
			dst[i] = int32(int8(b[i]))
		}
	case tflite.Uint8, tflite.Bool:
		for i := range dst {
			dst[i] = int32(b[i])
		}
	case tflite.Int16:
		for i := range dst {
			dst[i] = int32(int16(binary.LittleEndian.Uint16(b[2*i:])))
		}
	case tflite.Uint16:
		for i := range dst {
			dst[i] = int32(binary.LittleEndian.Uint16(b[2*i:]))
		}
	case tflite.Int32, tflite.Uint32:
		for i := range dst {
			dst[i] = int32(binary.LittleEndian.Uint32(b[4*i:]))
		}
	case tflite.Int64, tflite.Uint64:
		for i := range dst {
			dst[i] = int32(binary.LittleEndian.Uint64(b[8*i:]))
		}
	}
	return dst
}

// encodeInts narrows values to kind and stores them in b (a C cast: the
// low bits are kept).
func encodeInts(kind tflite.TensorType, b []byte, values []int32) {
	switch kind {
	case tflite.Int8, tflite.Uint8, tflite.Bool:
		for i, v := range values {
			b[i] = byte(v)
		}
	case tflite.Int16, tflite.Uint16:
		for i, v := range values {
			binary.LittleEndian.PutUint16(b[2*i:], uint16(v))
		}
	case tflite.Int32, tflite.Uint32:
		for i, v := range values {
			binary.LittleEndian.PutUint32(b[4*i:], uint32(v))
		}
	case tflite.Int64:
		for i, v := range values {
			binary.LittleEndian.PutUint64(b[8*i:], uint64(int64(v)))
		}
	case tflite.Uint64:
		for i, v := range values {
			binary.LittleEndian.PutUint64(b[8*i:], uint64(uint32(v)))
		}
	}
}

// decodeInt64s reads int64 elements (16x8 biases); int32 elements are
// sign-extended so either bias type can feed a wide accumulator.
func decodeInt64s(kind tflite.TensorType, b []byte) []int64 {
	switch kind {
	case tflite.Int64:
		dst := make([]int64, len(b)/8)
		for i := range dst {
			dst[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
		}
		return dst
	case tflite.Int32:
		dst := make([]int64, len(b)/4)
		for i := range dst {
			dst[i] = int64(int32(binary.LittleEndian.Uint32(b[4*i:])))
		}
		return dst
	}
	return nil
}

// decodeFloats reads float32 elements.
func decodeFloats(b []byte, dst []float32) []float32 {
	n := len(b) / 4
	if cap(dst) < n {
		dst = make([]float32, n)
	}
	dst = dst[:n]
	for i := range dst {
		dst[i] = math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
	}
	return dst
}

// encodeFloats stores float32 elements.
func encodeFloats(b []byte, values []float32) {
	for i, v := range values {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
	}
}
