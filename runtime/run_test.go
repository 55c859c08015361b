package runtime

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// TestRunOutputs runs a hand-made int16 ADD and reads its output back.
func TestRunOutputs(t *testing.T) {
	vec := q16([]int32{2}, 0.5, 0)
	model := buildModel([]tmTensor{vec, vec, q16([]int32{2}, 0.25, 1)},
		[]tmOp{{code: codeAdd, inputs: []int32{0, 1}, outputs: []int32{2}}}, []int32{0, 1}, []int32{2})
	in, err := newModel(t, model)
	require.NoError(t, err)
	outs, err := in.Run([][]byte{i16s(1, -2), i16s(3, 4)})
	require.NoError(t, err)
	require.Len(t, outs, 1)
	o := outs[0]
	assert.Equal(t, 2, o.Tensor)
	assert.Equal(t, tflite.Int16, o.Type)
	assert.Equal(t, []int{2}, o.Shape)
	assert.Equal(t, []float32{0.25}, o.Scale)
	assert.Equal(t, []int64{1}, o.ZeroPoint)
	// 0.5 + 1.5 = 2 and -1 + 2 = 1, in units of 0.25 from 1.
	assert.Equal(t, i16s(9, 5), o.Data)
	values, err := o.Values()
	require.NoError(t, err)
	assert.Equal(t, []float64{2, 1}, values)

	_, err = in.Run([][]byte{i16s(1)})
	require.Error(t, err)
}

// TestOutputValues decodes every numeric type, per-channel quantisation
// and half floats.
func TestOutputValues(t *testing.T) {
	u64 := make([]byte, 8)
	binary.LittleEndian.PutUint64(u64, 1<<40)
	for _, tc := range []struct {
		o    Output
		want []float64
	}{
		{Output{Type: tflite.Int8, Data: []byte{0xff, 2}}, []float64{-1, 2}},
		{Output{Type: tflite.Uint8, Data: []byte{0xff}}, []float64{255}},
		{Output{Type: tflite.Bool, Data: []byte{1, 0}}, []float64{1, 0}},
		{Output{Type: tflite.Uint16, Data: i16s(-1)}, []float64{65535}},
		{Output{Type: tflite.Int32, Data: i32s(-7)}, []float64{-7}},
		{Output{Type: tflite.Uint32, Data: i32s(-1)}, []float64{math.MaxUint32}},
		{Output{Type: tflite.Int64, Data: i64s(-5)}, []float64{-5}},
		{Output{Type: tflite.Uint64, Data: u64}, []float64{1 << 40}},
		{Output{Type: tflite.Float32, Data: floats(1.5, -2)}, []float64{1.5, -2}},
		// Half floats: 1.0, -2.0, the smallest subnormal, +Inf.
		{Output{Type: tflite.Float16, Data: []byte{0x00, 0x3c, 0x00, 0xc0, 0x01, 0x00, 0x00, 0x7c}},
			[]float64{1, -2, math.Ldexp(1, -24), math.Inf(1)}},
		{Output{Type: tflite.Int8, Data: []byte{4, 0xfe}, Scale: []float32{0.5}, ZeroPoint: []int64{2}}, []float64{1, -2}},
		// Two channels along dimension 1 of [2,2,1]: element i is in
		// channel i%2.
		{Output{Type: tflite.Int8, Shape: []int{2, 2, 1}, Data: []byte{1, 1, 2, 2},
			Scale: []float32{1, 0.25}, ZeroPoint: []int64{0, 1}, QuantizedDimension: 1}, []float64{1, 0, 2, 0.25}},
	} {
		got, err := tc.o.Values()
		require.NoError(t, err, tc.o.Type)
		assert.Equal(t, tc.want, got, tc.o.Type)
	}
	_, err := (&Output{Type: tflite.String, Data: []byte("x")}).Values()
	assert.Error(t, err)
	_, err = (&Output{Type: tflite.Int8, Shape: []int{3}, Data: []byte{1, 2, 3}, Scale: []float32{1, 2}, QuantizedDimension: 0}).Values()
	assert.ErrorContains(t, err, "2 scales along dimension 0 of shape [3]")
}

// TestCoverage reports each operator on its own: a kernel's refusal of a
// variant with its reason, a missing kernel, and "" for what runs.
func TestCoverage(t *testing.T) {
	axis := constTensor(tflite.Int32, []int32{1}, i32s(0), 0)
	tensors := []tmTensor{{typ: tflite.Int32, shape: []int32{2}}, axis, {typ: tflite.Int32, shape: []int32{1, 2}},
		{typ: tflite.Int32, shape: []int32{1, 2}}}
	ops := []tmOp{
		{code: codeExpandDims, inputs: []int32{0, 1}, outputs: []int32{2}},
		{code: 200, inputs: []int32{2}, outputs: []int32{3}}, // not a builtin the schema knows
		{code: codeAdd, inputs: []int32{2, 2}, outputs: []int32{3}},
	}
	m, err := tflite.Parse(buildModel(tensors, ops, []int32{0}, []int32{3}))
	require.NoError(t, err)
	got := Coverage(m)
	require.Len(t, got, 1)
	assert.Equal(t, []string{"type INT32 not supported (int8, int16 and float32 only)", "no kernel", ""}, got[0])
}
