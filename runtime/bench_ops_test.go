package runtime

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// benchOp prepares a one-operator model and measures Run on the oracle
// pattern, reporting the input bytes processed per second.
func benchOp(b *testing.B, model []byte) {
	m, err := tflite.Parse(model)
	require.NoError(b, err)
	in, err := New(m)
	require.NoError(b, err)
	var inputs [][]byte
	total := 0
	for _, s := range in.InputBytes() {
		inputs = append(inputs, OraclePattern(s))
		total += s
	}
	mem := in.PrivateMemory()
	b.SetBytes(int64(total))
	b.ResetTimer()
	for range b.N {
		require.NoError(b, in.SetInputs(mem, inputs))
		require.NoError(b, in.Invoke(mem, nil))
	}
}

// BenchmarkTranspose permutes a 1 MiB int8 tensor [64,128,128] to
// [128,128,64].
func BenchmarkTranspose(b *testing.B) {
	perm := constI32([]int32{3}, 2, 1, 0)
	benchOp(b, oneOp(codeTranspose, nil, []tmTensor{t8(64, 128, 128), perm, t8(128, 128, 64)}, []int32{0, 1}, []int32{2}))
}

// BenchmarkResizeBilinear doubles a 1 MiB int8 image, 1x256x256x16 to
// 1x512x512x16, and a 1 MiB float32 one, 1x128x128x16 to 1x256x256x16.
func BenchmarkResizeBilinear(b *testing.B) {
	size := constI32([]int32{2}, 512, 512)
	b.Run("int8", func(b *testing.B) {
		benchOp(b, oneOp(codeResizeBilinear, nil, []tmTensor{t8(1, 256, 256, 16), size, t8(1, 512, 512, 16)}, []int32{0, 1}, []int32{2}))
	})
	b.Run("float32", func(b *testing.B) {
		size := constI32([]int32{2}, 256, 256)
		benchOp(b, oneOp(codeResizeBilinear, nil, []tmTensor{f32(1, 128, 128, 16), size, f32(1, 256, 256, 16)}, []int32{0, 1}, []int32{2}))
	})
}

// BenchmarkBatchMatMul multiplies 1 MiB int8 operands, [4,512,512] by
// [4,512,64] (67M multiply-accumulates), and float32 ones, [4,256,256] by
// [4,256,64].
func BenchmarkBatchMatMul(b *testing.B) {
	b.Run("int8", func(b *testing.B) {
		benchOp(b, oneOp(126, nil, []tmTensor{q8([]int32{4, 512, 512}, 0.05, 1), q8([]int32{4, 512, 64}, 0.05, -1), q8([]int32{4, 512, 64}, 0.5, 0)},
			[]int32{0, 1}, []int32{2}))
	})
	b.Run("float32", func(b *testing.B) {
		benchOp(b, oneOp(126, nil, []tmTensor{f32(4, 256, 256), f32(4, 256, 64), f32(4, 256, 64)}, []int32{0, 1}, []int32{2}))
	})
}
