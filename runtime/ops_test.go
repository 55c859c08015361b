package runtime

import (
	"encoding/binary"
	"math"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// Builtin operator codes and options union tags of the schema.
const (
	codeAdd           = 0
	codeAveragePool2D = 1
	codeConcatenation = 2
	codeDequantize    = 6
	codeLogistic      = 14
	codeMaxPool2D     = 17
	codeMul           = 18
	codeRelu          = 19
	codeRelu6         = 21
	codeTanh          = 28
	codeMean          = 40
	codeDiv           = 42
	codeCast          = 53
	codeMaximum       = 55
	codeMinimum       = 57
	codeQuantize      = 114

	optionsPool2D        = 5
	optionsConcatenation = 10
	optionsMul           = 21
	optionsReducer       = 27
	optionsDiv           = 29
)

// runHandMade parses data, runs it on inputs with private memory and in
// the tflm planner's arena under Verify, and returns the outputs.
func runHandMade(t *testing.T, data []byte, inputs ...[]byte) [][]byte {
	t.Helper()
	model, err := tflite.Parse(data)
	require.NoError(t, err)
	in, err := New(model)
	require.NoError(t, err)
	res, err := Verify(in, planLayout(t, in, "tflm"), inputs)
	require.NoError(t, err)
	require.True(t, res.Pass, "arena run differs from private run")
	return res.Outputs
}

func i8s(v ...int8) []byte {
	b := make([]byte, len(v))
	for i, x := range v {
		b[i] = byte(x)
	}
	return b
}

func q8(shape []int32, scale float32, zero int64) tmTensor {
	return tmTensor{typ: tflite.Int8, shape: shape, scale: []float32{scale}, zero: []int64{zero}}
}

// unary builds a model of one operator from tensor 0 to tensor 1.
func unary(code int32, in, out tmTensor) []byte {
	return buildModel([]tmTensor{in, out}, []tmOp{{code: code, inputs: []int32{0}, outputs: []int32{1}}}, []int32{0}, []int32{1})
}

func TestMaxPool2D(t *testing.T) {
	pool := tmOp{code: codeMaxPool2D, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsPool2D, nfields: 6,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0) // VALID
			b.PrependInt32Slot(1, 2, 0)
			b.PrependInt32Slot(2, 2, 0)
			b.PrependInt32Slot(3, 2, 0)
			b.PrependInt32Slot(4, 2, 0)
		}}
	model := buildModel([]tmTensor{q8([]int32{1, 4, 4, 1}, 0.5, 0), q8([]int32{1, 2, 2, 1}, 0.5, 0)},
		[]tmOp{pool}, []int32{0}, []int32{1})
	out := runHandMade(t, model, i8s(
		1, 2, -3, -4,
		5, 6, -7, -8,
		9, -10, 11, 127,
		-128, 12, 13, 14))
	assert.Equal(t, i8s(6, -3, 12, 127), out[0])
}

func TestAveragePool2DRoundsAwayFromZero(t *testing.T) {
	pool := tmOp{code: codeAveragePool2D, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsPool2D, nfields: 6,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0)
			b.PrependInt32Slot(1, 2, 0)
			b.PrependInt32Slot(2, 1, 0)
			b.PrependInt32Slot(3, 2, 0)
			b.PrependInt32Slot(4, 1, 0)
		}}
	model := buildModel([]tmTensor{q8([]int32{1, 1, 4, 1}, 0.5, 0), q8([]int32{1, 1, 2, 1}, 0.5, 0)},
		[]tmOp{pool}, []int32{0}, []int32{1})
	// (2+3)/2 = 2.5 -> 3; (-2-3)/2 = -2.5 -> -3.
	assert.Equal(t, i8s(3, -3), runHandMade(t, model, i8s(2, 3, -2, -3))[0])
}

func TestMul(t *testing.T) {
	mul := tmOp{code: codeMul, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsMul, nfields: 1,
		options: func(b *flatbuffers.Builder) {}}
	// 0.5*a * 0.5*b / 0.25 = a*b, saturated to int8; b broadcasts.
	model := buildModel([]tmTensor{q8([]int32{1, 4}, 0.5, 0), q8([]int32{1}, 0.5, 0), q8([]int32{1, 4}, 0.25, 0)},
		[]tmOp{mul}, []int32{0, 1}, []int32{2})
	assert.Equal(t, i8s(-6, 0, 30, 127), runHandMade(t, model, i8s(-2, 0, 10, 100), i8s(3))[0])
}

func floats(v ...float32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(x))
	}
	return b
}

func TestDequantizeAndQuantize(t *testing.T) {
	f32 := tmTensor{typ: tflite.Float32, shape: []int32{4}}
	deq := unary(codeDequantize, q8([]int32{4}, 0.5, -1), f32)
	assert.Equal(t, floats(-63.5, 0, 0.5, 64), runHandMade(t, deq, i8s(-128, -1, 0, 127))[0])

	// round(x/0.5) - 1, half away from zero, clamped.
	q := unary(codeQuantize, f32, q8([]int32{4}, 0.5, -1))
	assert.Equal(t, i8s(-3, 1, -128, 127), runHandMade(t, q, floats(-0.75, 0.75, -1000, 1000))[0])
}

func TestConcatenation(t *testing.T) {
	concat := tmOp{code: codeConcatenation, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsConcatenation, nfields: 2,
		options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0) }}
	model := buildModel([]tmTensor{q8([]int32{2, 1}, 1, 0), q8([]int32{2, 2}, 1, 0), q8([]int32{2, 3}, 1, 0)},
		[]tmOp{concat}, []int32{0, 1}, []int32{2})
	assert.Equal(t, i8s(1, 10, 11, 2, 20, 21), runHandMade(t, model, i8s(1, 2), i8s(10, 11, 20, 21))[0])
}

func TestMean(t *testing.T) {
	axes := tmTensor{typ: tflite.Int32, shape: []int32{2}, data: []byte{1, 0, 0, 0, 2, 0, 0, 0}}
	mean := tmOp{code: codeMean, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsReducer, nfields: 1,
		options: func(b *flatbuffers.Builder) { b.PrependBoolSlot(0, true, false) }}
	model := buildModel([]tmTensor{q8([]int32{1, 2, 2, 2}, 1, 0), axes, q8([]int32{1, 1, 1, 2}, 1, 0)},
		[]tmOp{mean}, []int32{0}, []int32{2})
	// Channel 0: (1+2+3+4)/4 = 2.5 -> 3; channel 1: (-1-2-3-4)/4 = -2.5 -> -3.
	assert.Equal(t, i8s(3, -3), runHandMade(t, model, i8s(1, -1, 2, -2, 3, -3, 4, -4))[0])
}

func TestRelu(t *testing.T) {
	relu := unary(codeRelu, q8([]int32{4}, 0.5, -10), q8([]int32{4}, 0.5, -10))
	assert.Equal(t, i8s(-10, -10, 0, 127), runHandMade(t, relu, i8s(-128, -11, 0, 127))[0])
	relu6 := unary(codeRelu6, q8([]int32{4}, 0.1, 0), q8([]int32{4}, 0.1, 0))
	assert.Equal(t, i8s(0, 0, 33, 60), runHandMade(t, relu6, i8s(-128, -1, 33, 127))[0])
}

// TestLogisticTanh compares the int8 fixed-point kernels with float math:
// within one quantisation step everywhere.
func TestLogisticTanh(t *testing.T) {
	in := make([]int8, 256)
	for i := range in {
		in[i] = int8(i - 128)
	}
	const scale = 1.0 / 16
	logistic := unary(codeLogistic, q8([]int32{256}, scale, 0), q8([]int32{256}, 1.0/256, -128))
	tanh := unary(codeTanh, q8([]int32{256}, scale, 0), q8([]int32{256}, 1.0/128, 0))
	gotL := runHandMade(t, logistic, i8s(in...))[0]
	gotT := runHandMade(t, tanh, i8s(in...))[0]
	for i, q := range in {
		x := float64(q) * scale
		wantL := min(127, math.Round(256/(1+math.Exp(-x)))-128)
		wantT := max(-128, min(127, math.Round(128*math.Tanh(x))))
		assert.InDelta(t, wantL, float64(int8(gotL[i])), 1, "logistic(%g)", x)
		assert.InDelta(t, wantT, float64(int8(gotT[i])), 1, "tanh(%g)", x)
	}
}

func TestCastDivMinMax(t *testing.T) {
	f32 := tmTensor{typ: tflite.Float32, shape: []int32{3}}
	i32 := tmTensor{typ: tflite.Int32, shape: []int32{3}}
	cast := unary(codeCast, f32, i32)
	// C's float-to-int conversion truncates toward zero.
	assert.Equal(t, []byte{1, 0, 0, 0, 0xfe, 0xff, 0xff, 0xff, 0, 0, 0, 0}, runHandMade(t, cast, floats(1.9, -2.7, 0.2))[0])

	binop := func(code int32, optionsType byte) []byte {
		op := tmOp{code: code, inputs: []int32{0, 1}, outputs: []int32{2}}
		if optionsType != 0 {
			op.optionsType, op.nfields, op.options = optionsType, 1, func(*flatbuffers.Builder) {}
		}
		return buildModel([]tmTensor{f32, f32, f32}, []tmOp{op}, []int32{0, 1}, []int32{2})
	}
	a, b := floats(1, -4, 9), floats(2, 8, -3)
	assert.Equal(t, floats(0.5, -0.5, -3), runHandMade(t, binop(codeDiv, optionsDiv), a, b)[0])
	assert.Equal(t, floats(2, 8, 9), runHandMade(t, binop(codeMaximum, 0), a, b)[0])
	assert.Equal(t, floats(1, -4, -3), runHandMade(t, binop(codeMinimum, 0), a, b)[0])
}
