package runtime

import (
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// Regression tests for differences found by running randomised one-operator
// models through both this runtime and TFLM's reference kernels built for
// the host. Each model feeds its input with OraclePattern, as the oracle
// harness does, so its expected bytes were checked against TFLM's
// reference kernels as well as worked out by hand below.

const (
	codeSub        = 41
	codeExpandDims = 70
	optionsAdd     = 11
	optionsSub     = 28
)

// binaryWithConst builds code(input, constant) with a fused activation.
func binaryWithConst(code int32, optionsType byte, activation byte, in, constant, out tmTensor) []byte {
	op := tmOp{code: code, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsType, nfields: 2,
		options: func(b *flatbuffers.Builder) { b.PrependByteSlot(0, activation, 0) }}
	return buildModel([]tmTensor{in, constant, out}, []tmOp{op}, []int32{0}, []int32{2})
}

// TestInt32FusedActivations: TFLM's int32 MUL and SUB clamp to their fused
// activation (CalculateActivationRange in mul_common.cc and sub.cc), its
// int32 ADD does not (add.cc passes the whole int32 range).
func TestInt32FusedActivations(t *testing.T) {
	vec := tmTensor{typ: tflite.Int32, shape: []int32{4}}
	constant := func(v ...int32) tmTensor {
		c := vec
		c.data = i32s(v...)
		return c
	}
	// OraclePattern(16) as int32: 0x18110a03, 0x342d261f, 0x5049423b, 0x6c655e57.
	in := OraclePattern(16)
	const p0, p1, p2, p3 = 0x18110a03, 0x342d261f, 0x5049423b, 0x6c655e57

	// RELU6: 0, -p1, p2 and 2*p3 (which wraps negative) clamp to 0, 0, 6, 0.
	mul := binaryWithConst(codeMul, optionsMul, byte(actRelu6), vec, constant(0, -1, 1, 2), vec)
	assert.Equal(t, i32s(0, 0, 6, 0), runHandMade(t, mul, in)[0])

	// RELU_N1_TO_1: 0, 1, p2 and -1 clamp to 0, 1, 1, -1.
	sub := binaryWithConst(codeSub, optionsSub, byte(actReluN1To1), vec, constant(p0, p1-1, 0, p3+1), vec)
	assert.Equal(t, i32s(0, 1, 1, -1), runHandMade(t, sub, in)[0])

	// RELU6 is ignored: the sums pass through.
	add := binaryWithConst(codeAdd, optionsAdd, byte(actRelu6), vec, constant(-p0, 0, -p2-7, 1), vec)
	assert.Equal(t, i32s(0, p1, -7, p3+1), runHandMade(t, add, in)[0])
}

// TestDivInt8 checks the int8 DIV of TFLM's reference DivElementwise: the
// offset numerator times a Q0.31 reciprocal of the offset divisor, rescaled
// by input1_scale / (input2_scale * output_scale) = 0.5 / (0.25 * 1) = 2.
func TestDivInt8(t *testing.T) {
	divisor := q8([]int32{6}, 0.25, -1)
	// Real divisors 0.5, 2, 1.5, -2, 0.25, 0.5.
	divisor.data = i8s(1, 7, 5, -9, 0, 1)
	model := binaryWithConst(codeDiv, optionsDiv, byte(actNone), q8([]int32{6}, 0.5, 2), divisor, q8([]int32{6}, 1, 3))
	// OraclePattern(6) is 3, 10, 17, 24, 31, 38: real 0.5, 4, 7.5, 11, 14.5,
	// 18. Quotients 1, 2, 5, -5.5, 58 and 36, plus the output zero point 3.
	// The tie -5.5 becomes -5: the divisor's signs are swapped to make it
	// positive (-22 / 8), and the Q0.31 reciprocal of a power of two
	// saturates just below 1, so the quotient falls a hair short of 5.5.
	assert.Equal(t, i8s(4, 5, 8, -2, 61, 39), runHandMade(t, model, OraclePattern(6))[0])

	// A scale ratio of 2^30 would need a left shift at the end.
	huge := binaryWithConst(codeDiv, optionsDiv, byte(actNone), q8([]int32{6}, 1, 0), divisor, q8([]int32{6}, 1.0/(1<<28), 0))
	assertUnsupported(t, huge, "too large a ratio")
	_, err := newModel(t, binaryWithConst(codeDiv, optionsDiv, byte(actNone), q8([]int32{6}, 0.5, 1<<20), divisor, q8([]int32{6}, 1, 3)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "zero point 1048576 out of range")
}

// TestBinaryOutputIsBroadcastShape: an output larger than the inputs'
// broadcast shape is refused. TFLM takes the output's shape on trust and
// leaves such outputs partly unwritten or aborts.
func TestBinaryOutputIsBroadcastShape(t *testing.T) {
	i32 := func(shape ...int32) tmTensor { return tmTensor{typ: tflite.Int32, shape: shape} }
	mul := func(a, b, out tmTensor) []byte {
		return buildModel([]tmTensor{a, b, out}, []tmOp{{code: codeMul, inputs: []int32{0, 1}, outputs: []int32{2}}},
			[]int32{0, 1}, []int32{2})
	}
	_, err := newModel(t, mul(i32(2, 1), i32(), i32(2, 4)))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "broadcast to [2 1], not to the output's [2 4]")

	out := runHandMade(t, mul(i32(2, 1), i32(4), i32(2, 4)), i32s(2, 3), i32s(1, 2, 3, 4))
	assert.Equal(t, i32s(2, 4, 6, 8, 3, 6, 9, 12), out[0])
}

// TestSoftmaxInt8OutputQuantisation: the int8 SOFTMAX writes probabilities
// in units of 2^-8 from -128 or of 2^-16 from -32768, and refuses outputs
// quantised otherwise, as TFLM's CalculateSoftmaxParams does.
func TestSoftmaxInt8OutputQuantisation(t *testing.T) {
	in := q8([]int32{1, 4}, 0.1, 0)
	assertUnsupported(t, softmaxModel(in, q16([]int32{1, 4}, 1.0/32768, 0), 1), "must be 2^-16, -32768")
	assertUnsupported(t, softmaxModel(in, q8([]int32{1, 4}, 1.0/128, 0), 1), "must be 2^-8, -128")

	// Inputs 0.3, 1.0, 1.7, 2.4: softmax 0.06564, 0.13218, 0.26617,
	// 0.53601, that is 4302, 8662, 17444, 35128 units of 2^-16 from -32768.
	got := runHandMade(t, softmaxModel(in, q16([]int32{1, 4}, 1.0/65536, -32768), 1), OraclePattern(4))
	assert.Equal(t, i16s(-28466, -24106, -15324, 2360), got[0])
}

// TestSVDFNeedsQuantisedBias: TFLM's integer SVDF Prepare reads the bias's
// scale even when the bias is omitted (a null dereference, its TODO #1751)
// and requires it to be the state's scale times the time weights'.
func TestSVDFNeedsQuantisedBias(t *testing.T) {
	model := func(biasIndex int32, biasScale float32) []byte {
		state := q16([]int32{1, 6}, 1.0/1024, 0)
		state.variable = true
		tensors := []tmTensor{
			q8([]int32{1, 2}, 0.5, 0),
			constTensor(tflite.Int8, []int32{2, 2}, i8s(1, 2, 3, 4), 0.25),
			constTensor(tflite.Int16, []int32{2, 3}, i16s(1, 2, 3, 4, 5, 6), 0.25),
			state,
			q8([]int32{1, 2}, 0.5, 0),
			constTensor(tflite.Int32, []int32{2}, i32s(5, -5), biasScale),
		}
		op := tmOp{code: codeSVDF, inputs: []int32{0, 1, 2, biasIndex, 3}, outputs: []int32{4}, optionsType: optionsSVDF, nfields: 3,
			options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0) }}
		return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{4})
	}
	assertUnsupported(t, model(-1, 0.25/1024), "SVDF without a bias")
	assertUnsupported(t, model(5, 0.5/1024), "bias scale")
	_, err := newModel(t, model(5, 0.25/1024))
	require.NoError(t, err)
}

// TestSVDFFloat works one step of the float SVDF by hand: the state's
// newest column gets the feature dot products, 1*1 + 0.5*2 = 2 and
// -1*1 + 2*2 = 3; the time weights take 0.25*0 + 1*2 = 2 and 2*0 - 1*3 = -3
// from the state (0, 2 | 0, 3); the biases add 0.5 and -0.5, and RELU
// clamps -3.5 to 0. (This kernel matched TFLM's bit for bit on randomised
// models.)
func TestSVDFFloat(t *testing.T) {
	f32 := func(shape []int32, v ...float32) tmTensor {
		tt := tmTensor{typ: tflite.Float32, shape: shape}
		if v != nil {
			tt.data = floats(v...)
		}
		return tt
	}
	state := f32([]int32{1, 4})
	state.variable = true
	tensors := []tmTensor{
		f32([]int32{1, 2}),
		f32([]int32{2, 2}, 1, 0.5, -1, 2),
		f32([]int32{2, 2}, 0.25, 1, 2, -1),
		f32([]int32{2}, 0.5, -0.5),
		state,
		f32([]int32{1, 2}),
	}
	op := tmOp{code: codeSVDF, inputs: []int32{0, 1, 2, 3, 4}, outputs: []int32{5}, optionsType: optionsSVDF, nfields: 3,
		options: func(b *flatbuffers.Builder) {
			b.PrependInt32Slot(0, 1, 0)
			b.PrependByteSlot(1, byte(actRelu), 0)
		}}
	model := buildModel(tensors, []tmOp{op}, []int32{0}, []int32{5})
	assert.Equal(t, floats(2.5, 0), runHandMade(t, model, floats(1, 2))[0])
}

// TestDepthwiseOmittedBias: TFLM's depthwise Prepare counts a third input
// as a bias and releases it even when it is -1, dereferencing null, so the
// runtime refuses that form and runs the two-input one; and the reference
// kernels assert a bias of one element per output channel even when there
// is none (an empty shape counts one), so only a one-channel depthwise
// runs without a bias (testdata/tflm_ops: TFLM aborts on the others).
func TestDepthwiseOmittedBias(t *testing.T) {
	model := func(channels int32, inputs ...int32) []byte {
		op := tmOp{code: codeDepthwiseConv2D, inputs: inputs, outputs: []int32{2}, optionsType: optionsDepthwiseConv2D, nfields: 7,
			options: func(b *flatbuffers.Builder) {
				b.PrependByteSlot(0, 1, 0) // VALID
				b.PrependInt32Slot(1, 1, 0)
				b.PrependInt32Slot(2, 1, 0)
				b.PrependInt32Slot(3, 1, 0)
			}}
		filter := constTensor(tflite.Int8, []int32{1, 1, 1, channels}, i8s(2, -3)[:channels], 0.5)
		return buildModel([]tmTensor{q8([]int32{1, 1, 4 / channels, channels}, 0.5, 0), filter, q8([]int32{1, 1, 4 / channels, channels}, 0.25, 0)},
			[]tmOp{op}, []int32{0}, []int32{2})
	}
	assertUnsupported(t, model(2, 0, 1, -1), "omitted bias")
	assertUnsupported(t, model(2, 0, 1), "no bias for 2 output channels")
	// 0.5*x times 0.5*w in units of 0.25: x*w.
	assert.Equal(t, i8s(2, 4, -6, -8), runHandMade(t, model(1, 0, 1), i8s(1, 2, -3, -4))[0])
}

// TestExpandDimsTypes: TFLM's EXPAND_DIMS copies int8, int16 and float32
// only; its Eval fails on int32.
func TestExpandDimsTypes(t *testing.T) {
	model := func(typ tflite.TensorType) []byte {
		axis := constTensor(tflite.Int32, []int32{1}, i32s(0), 0)
		return buildModel([]tmTensor{{typ: typ, shape: []int32{2}}, axis, {typ: typ, shape: []int32{1, 2}}},
			[]tmOp{{code: codeExpandDims, inputs: []int32{0, 1}, outputs: []int32{2}}}, []int32{0}, []int32{2})
	}
	assertUnsupported(t, model(tflite.Int32), "int8, int16 and float32 only")
	assert.Equal(t, i16s(7, -7), runHandMade(t, model(tflite.Int16), i16s(7, -7))[0])
}
