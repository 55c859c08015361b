package runtime

import (
	"encoding/binary"
	"math"
	"math/rand/v2"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// Tests of the element-type variants of TFLM's kernels that no shared
// model exercises: int16 SOFTMAX, the 16x8 convolutions' biases and
// accumulators, int16 PAD and CONCATENATION, int4 weights.

// Builtin operator codes and options union tags of the schema.
const (
	codeConv2D          = 3
	codeDepthwiseConv2D = 4
	codeFullyConnected  = 9
	codeSoftmax         = 25
	codeSVDF            = 27
	codePad             = 34
	codePadV2           = 60
	codeTransposeConv   = 67

	optionsConv2D          = 1
	optionsDepthwiseConv2D = 2
	optionsSVDF            = 6
	optionsFullyConnected  = 8
	optionsSoftmax         = 9
	optionsTransposeConv   = 49
)

func q16(shape []int32, scale float32, zero int64) tmTensor {
	return tmTensor{typ: tflite.Int16, shape: shape, scale: []float32{scale}, zero: []int64{zero}}
}

func i16s(v ...int16) []byte {
	b := make([]byte, 2*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint16(b[2*i:], uint16(x))
	}
	return b
}

func decodeI16s(b []byte) []int16 {
	v := make([]int16, len(b)/2)
	for i := range v {
		v[i] = int16(binary.LittleEndian.Uint16(b[2*i:]))
	}
	return v
}

// newModel parses a hand-made model and prepares it.
func newModel(t *testing.T, data []byte) (*Interpreter, error) {
	t.Helper()
	model, err := tflite.Parse(data)
	require.NoError(t, err)
	return New(model)
}

func softmaxModel(in, out tmTensor, beta float32) []byte {
	op := tmOp{code: codeSoftmax, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsSoftmax, nfields: 1,
		options: func(b *flatbuffers.Builder) { b.PrependFloat32Slot(0, beta, 0) }}
	return buildModel([]tmTensor{in, out}, []tmOp{op}, []int32{0}, []int32{1})
}

// TestSoftmaxInt16 compares the table-driven int16 SOFTMAX with the float
// formula, round(32768*softmax(beta*x)) saturated to 32767, where the
// kernel's exp table ends at -10: exp(x) is taken as exp(max(x, -10)),
// negligible unless many elements fall there. The exp and 1/(1+x) tables
// are linear interpolations of 512 segments each, so the result may stray
// from the formula by a unit or two in the last place (TFLM's own tests
// allow 7). The kernel was also checked bit for bit against TFLM's C++
// (LUTPopulate, SoftmaxInt16) compiled on the host, which cannot be part
// of this test.
func TestSoftmaxInt16(t *testing.T) {
	const scale, beta, depth, rows = 1.0 / 2048, 1.5, 37, 8
	rng := rand.New(rand.NewPCG(6, 25))
	in := make([]int16, depth*rows)
	for i := range in {
		// Spread grows with the row: from almost uniform rows to rows whose
		// smaller values fall off the exp table (beyond -10).
		spread := 1 << (5 + 10*(i/depth)/rows)
		in[i] = int16(rng.IntN(2*spread) - spread)
	}
	model := softmaxModel(q16([]int32{rows, depth}, scale, 0), q16([]int32{rows, depth}, 1.0/32768, 0), beta)
	got := decodeI16s(runHandMade(t, model, i16s(in...))[0])
	for r := range rows {
		row := in[r*depth : (r+1)*depth]
		m := float64(slicesMax(row))
		exp := func(v int16) float64 { return math.Exp(max(beta*scale*(float64(v)-m), -10)) }
		var sum float64
		for _, v := range row {
			sum += exp(v)
		}
		for c, v := range row {
			want := min(math.Round(32768*exp(v)/sum), math.MaxInt16)
			assert.InDelta(t, want, float64(got[r*depth+c]), 2, "row %d column %d", r, c)
		}
	}

	// One-element rows are certain: exp(0)/exp(0), 1.0 saturated.
	single := softmaxModel(q16([]int32{3, 1}, scale, 0), q16([]int32{3, 1}, 1.0/32768, 0), beta)
	assert.Equal(t, []int16{32767, 32767, 32767}, decodeI16s(runHandMade(t, single, i16s(-32768, 0, 32767))[0]))
}

// TestLUTInt16 checks the softmax tables against their functions: every
// entry is the function at the segment's left end (exp on [-10, 0],
// 1/(1+x) on [0, 1]) in units of the output scale 2/65535, within the one
// unit the midpoint correction may move it, and a lookup on a segment
// boundary returns the entry itself.
func TestLUTInt16(t *testing.T) {
	p, err := newSoftmaxInt16(&tensorInfo{scale: 1}, &tensorInfo{scale: 1.0 / 32768}, 1)
	require.NoError(t, err)
	const unit = 65535.0 / 2
	for i := range 513 {
		x := float64(i) / 512 // the segment's left end, from 0 to 1 of the input range
		wantExp := min(math.Round(unit*math.Exp(10*(x-1))*65536/65535), math.MaxInt16)
		wantRecip := min(math.Round(unit/(1+x)*65536/65535), math.MaxInt16)
		assert.InDelta(t, wantExp, float64(p.exp[i]), 1, "exp entry %d", i)
		assert.InDelta(t, wantRecip, float64(p.recip[i]), 1, "1/(1+x) entry %d", i)
		if i < 512 {
			assert.Equal(t, int32(p.exp[i]), p.exp.lookup(int32(i-256)<<7), "exp lookup at entry %d", i)
		}
	}
}

func slicesMax(v []int16) int16 {
	m := v[0]
	for _, x := range v {
		m = max(m, x)
	}
	return m
}

// TestSoftmaxInt16Refusals checks TFLM's Prepare constraints: symmetric
// int16 tensors and an output scale of 2^-15.
func TestSoftmaxInt16Refusals(t *testing.T) {
	for reason, out := range map[string]tmTensor{
		"zero points 0, 5": q16([]int32{1, 4}, 1.0/32768, 5),
		"output scale 1.5": q16([]int32{1, 4}, 1.0/65536, 0),
	} {
		assertUnsupported(t, softmaxModel(q16([]int32{1, 4}, 0.01, 0), out, 1), reason)
	}
}

// TestSoftmaxInt16LongRows checks that rows too long for the int32 sum of
// exps are refused rather than overflowing.
func TestSoftmaxInt16LongRows(t *testing.T) {
	long := []int32{1, 1<<16 + 1}
	assertUnsupported(t, softmaxModel(q16(long, 0.01, 0), q16(long, 1.0/32768, 0), 1), "at most 65536")
}

// assertUnsupported checks that New refuses the model's operator as not
// supported, for a reason containing reason.
func assertUnsupported(t *testing.T, data []byte, reason string) {
	t.Helper()
	_, err := newModel(t, data)
	var unsupported *UnsupportedError
	require.ErrorAs(t, err, &unsupported)
	assert.Contains(t, err.Error(), reason)
}

// constTensor is a constant tensor of the given type and raw data.
func constTensor(typ tflite.TensorType, shape []int32, data []byte, scale float32) tmTensor {
	t := tmTensor{typ: typ, shape: shape, data: data}
	if scale != 0 {
		t.scale, t.zero = []float32{scale}, []int64{0}
	}
	return t
}

func i32s(v ...int32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], uint32(x))
	}
	return b
}

func i64s(v ...int64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], uint64(x))
	}
	return b
}

// conv1x1 is a CONV_2D of one int16 pixel and channel by an int8 filter of
// one weight, with an optional bias and quantized_bias_type option.
func conv1x1(inZero, outZero int64, bias *tmTensor, quantizedBiasType tflite.TensorType) []byte {
	tensors := []tmTensor{
		q16([]int32{1, 1, 1, 1}, 1.0/1024, inZero),
		constTensor(tflite.Int8, []int32{1, 1, 1, 1}, i8s(1), 0.7),
		q16([]int32{1, 1, 1, 1}, 1.0/1024, outZero),
	}
	if bias != nil {
		tensors = append(tensors, *bias)
	}
	return conv2DModel(quantizedBiasType, tensors)
}

// conv2DModel is a VALID CONV_2D with stride and dilation 1 over the given
// tensors: input 0, filter 1, output 2 and an optional bias 3, with the
// quantized_bias_type option.
func conv2DModel(quantizedBiasType tflite.TensorType, tensors []tmTensor) []byte {
	inputs := []int32{0, 1}
	if len(tensors) > 3 {
		inputs = append(inputs, 3)
	}
	op := tmOp{code: codeConv2D, inputs: inputs, outputs: []int32{2}, optionsType: optionsConv2D, nfields: 7,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0) // VALID
			b.PrependInt32Slot(1, 1, 0)
			b.PrependInt32Slot(2, 1, 0)
			b.PrependInt32Slot(4, 1, 1)
			b.PrependInt32Slot(5, 1, 1)
			b.PrependByteSlot(6, byte(quantizedBiasType), 0)
		}}
	return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{2})
}

// TestConv16x8Accumulator checks how the 16x8 CONV_2D picks its
// accumulator: 16389 times the weight 0.7 is 11472.3, which the int32
// accumulator's 31-bit multiplier rounds to 11472; the int64 accumulator
// multiplies by 0.7 rounded to 15 bits, 22938/32768 = 0.70001220703125,
// and gets 11472.50006, rounded to 11473. TFLM takes int32 for an int32
// bias, or with no bias when quantized_bias_type is INT32; int64 otherwise.
// It also ignores the int16 zero points.
func TestConv16x8Accumulator(t *testing.T) {
	bias32 := constTensor(tflite.Int32, []int32{1}, i32s(0), 0)
	bias64 := constTensor(tflite.Int64, []int32{1}, i64s(0), 0)
	in := i16s(16389)
	for name, tc := range map[string]struct {
		model []byte
		want  int16
	}{
		"no bias":                    {conv1x1(0, 0, nil, tflite.Float32), 11473},
		"no bias, INT32 bias type":   {conv1x1(0, 0, nil, tflite.Int32), 11472},
		"no bias, INT64 bias type":   {conv1x1(0, 0, nil, tflite.Int64), 11473},
		"int32 bias":                 {conv1x1(0, 0, &bias32, tflite.Float32), 11472},
		"int64 bias":                 {conv1x1(0, 0, &bias64, tflite.Float32), 11473},
		"zero points ignored, int64": {conv1x1(100, -7, &bias64, tflite.Float32), 11473},
		"zero points ignored, int32": {conv1x1(100, -7, &bias32, tflite.Float32), 11472},
	} {
		assert.Equal(t, []int16{tc.want}, decodeI16s(runHandMade(t, tc.model, in)[0]), name)
	}
}

// TestFullyConnected16x8Accumulator is TestConv16x8Accumulator's case for
// FULLY_CONNECTED, which does apply zero points.
func TestFullyConnected16x8Accumulator(t *testing.T) {
	fc := func(quantizedBiasType tflite.TensorType) []byte {
		tensors := []tmTensor{
			q16([]int32{1, 1}, 1.0/1024, 0),
			constTensor(tflite.Int8, []int32{1, 1}, i8s(1), 0.7),
			q16([]int32{1, 1}, 1.0/1024, 0),
		}
		op := tmOp{code: codeFullyConnected, inputs: []int32{0, 1, -1}, outputs: []int32{2}, optionsType: optionsFullyConnected, nfields: 5,
			options: func(b *flatbuffers.Builder) { b.PrependByteSlot(4, byte(quantizedBiasType), 0) }}
		return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{2})
	}
	assert.Equal(t, []int16{11473}, decodeI16s(runHandMade(t, fc(tflite.Float32), i16s(16389))[0]))
	assert.Equal(t, []int16{11472}, decodeI16s(runHandMade(t, fc(tflite.Int32), i16s(16389))[0]))
}

// TestTransposeConv16x8Int16Bias runs a 16x8 TRANSPOSE_CONV with the int16
// bias TFLM widens to int64: a column of two pixels (2, -3) spread by a
// 2x1 filter (4, 5) at stride 1 gives (2*4, 2*5 - 3*4, -3*5) plus the bias
// 100, at scales that make the requantisation exact. The zero points are
// ignored, as TFLM does.
func TestTransposeConv16x8Int16Bias(t *testing.T) {
	tensors := []tmTensor{
		constTensor(tflite.Int32, []int32{4}, i32s(1, 3, 1, 1), 0),
		constTensor(tflite.Int8, []int32{1, 2, 1, 1}, i8s(4, 5), 0.5),
		q16([]int32{1, 2, 1, 1}, 0.25, 9),
		constTensor(tflite.Int16, []int32{1}, i16s(100), 0),
		q16([]int32{1, 3, 1, 1}, 0.125, -4),
	}
	op := tmOp{code: codeTransposeConv, inputs: []int32{0, 1, 2, 3}, outputs: []int32{4}, optionsType: optionsTransposeConv, nfields: 5,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0) // VALID
			b.PrependInt32Slot(1, 1, 0)
			b.PrependInt32Slot(2, 1, 0)
		}}
	model := buildModel(tensors, []tmOp{op}, []int32{2}, []int32{4})
	got := decodeI16s(runHandMade(t, model, i16s(2, -3))[0])
	assert.Equal(t, []int16{108, 98, 85}, got)
}

// TestConvBiasTypeRefusals checks that biases TFLM would read as another
// type are refused rather than guessed at.
func TestConvBiasTypeRefusals(t *testing.T) {
	depthwise := func(in, bias tmTensor) []byte {
		tensors := []tmTensor{in, constTensor(tflite.Int8, []int32{1, 1, 1, 1}, i8s(1), 1), in, bias}
		op := tmOp{code: codeDepthwiseConv2D, inputs: []int32{0, 1, 3}, outputs: []int32{2}, optionsType: optionsDepthwiseConv2D, nfields: 7,
			options: func(b *flatbuffers.Builder) {
				b.PrependByteSlot(0, 1, 0)
				b.PrependInt32Slot(1, 1, 0)
				b.PrependInt32Slot(2, 1, 0)
				b.PrependInt32Slot(3, 1, 0) // depth multiplier
			}}
		return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{2})
	}
	shape := []int32{1, 1, 1, 1}
	assertUnsupported(t, depthwise(q16(shape, 1, 0), constTensor(tflite.Int32, []int32{1}, i32s(0), 0)), "INT16 input with INT32 bias")
	assertUnsupported(t, depthwise(q8(shape, 1, 0), constTensor(tflite.Int64, []int32{1}, i64s(0), 0)), "INT8 input with INT64 bias")
	bias16 := constTensor(tflite.Int16, []int32{1}, i16s(0), 0)
	assertUnsupported(t, conv1x1(0, 0, &bias16, tflite.Float32), "INT16 input with INT16 bias")
}

// TestPadValues checks the border PAD writes: the zero point for int8,
// but 0 for int16 whatever its zero point (as TFLM does), and PADV2's
// value even when it is not a constant but a model input.
func TestPadValues(t *testing.T) {
	paddings := constTensor(tflite.Int32, []int32{1, 2}, i32s(1, 2), 0)
	pad := tmOp{code: codePad, inputs: []int32{0, 1}, outputs: []int32{2}}

	int8Model := buildModel([]tmTensor{q8([]int32{2}, 0.5, 5), paddings, q8([]int32{5}, 0.5, 5)}, []tmOp{pad}, []int32{0}, []int32{2})
	assert.Equal(t, i8s(5, -1, 7, 5, 5), runHandMade(t, int8Model, i8s(-1, 7))[0])

	int16Model := buildModel([]tmTensor{q16([]int32{2}, 0.5, 5), paddings, q16([]int32{5}, 0.5, 5)}, []tmOp{pad}, []int32{0}, []int32{2})
	assert.Equal(t, []int16{0, -1, 700, 0, 0}, decodeI16s(runHandMade(t, int16Model, i16s(-1, 700))[0]))

	padV2 := tmOp{code: codePadV2, inputs: []int32{0, 1, 3}, outputs: []int32{2}}
	valueInput := buildModel([]tmTensor{q16([]int32{2}, 0.5, 0), paddings, q16([]int32{5}, 0.5, 0), q16(nil, 0.5, 0)},
		[]tmOp{padV2}, []int32{0, 3}, []int32{2})
	assert.Equal(t, []int16{-9, 1, 2, -9, -9}, decodeI16s(runHandMade(t, valueInput, i16s(1, 2), i16s(-9))[0]))
}

// TestConcatenationInt16Scales checks that int16 inputs of different
// scales are copied as they are, as TFLM does (int8 inputs must share the
// output's quantisation).
func TestConcatenationInt16Scales(t *testing.T) {
	concat := tmOp{code: codeConcatenation, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsConcatenation, nfields: 2,
		options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 0, 0) }}
	model := buildModel([]tmTensor{q16([]int32{2}, 0.5, 0), q16([]int32{1}, 0.25, 0), q16([]int32{3}, 1, 0)},
		[]tmOp{concat}, []int32{0, 1}, []int32{2})
	assert.Equal(t, []int16{-300, 301, 7}, decodeI16s(runHandMade(t, model, i16s(-300, 301), i16s(7))[0]))

	int8Model := buildModel([]tmTensor{q8([]int32{2}, 0.5, 0), q8([]int32{1}, 0.25, 0), q8([]int32{3}, 1, 0)},
		[]tmOp{concat}, []int32{0, 1}, []int32{2})
	_, err := newModel(t, int8Model)
	assert.ErrorContains(t, err, "quantised differently")
}

// int4Weights is a constant INT4 tensor: packed bytes, per-channel scales.
func int4Weights(shape []int32, packed []byte, scales ...float32) tmTensor {
	return tmTensor{typ: tflite.Int4, shape: shape, data: packed, scale: scales, zero: make([]int64, len(scales))}
}

// TestInt4Weights runs int8 ops with TFLM's packed int4 weights: two to a
// byte, the first in the low nibble, sign-extended.
func TestInt4Weights(t *testing.T) {
	// Rows (-8, 7, 1) and (-1, 2, -3): bytes 0x78, 0xF1, 0xD2.
	weights := int4Weights([]int32{2, 3}, []byte{0x78, 0xF1, 0xD2}, 1)
	fc := tmOp{code: codeFullyConnected, inputs: []int32{0, 1, -1}, outputs: []int32{2}}
	model := buildModel([]tmTensor{q8([]int32{1, 3}, 1, 0), weights, q8([]int32{1, 2}, 1, 0)}, []tmOp{fc}, []int32{0}, []int32{2})
	// (1, 2, 3) . (-8, 7, 1) = 9; (1, 2, 3) . (-1, 2, -3) = -6.
	assert.Equal(t, i8s(9, -6), runHandMade(t, model, i8s(1, 2, 3))[0])

	// Three per-channel weights (3, -4, 5) at scales (1, 0.5, 2): the odd
	// last weight is the low nibble of 0xA5, its high nibble unused.
	conv := tmOp{code: codeConv2D, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsConv2D, nfields: 7,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0)
			b.PrependInt32Slot(1, 1, 0)
			b.PrependInt32Slot(2, 1, 0)
		}}
	convWeights := int4Weights([]int32{3, 1, 1, 1}, []byte{0xC3, 0xA5}, 1, 0.5, 2)
	model = buildModel([]tmTensor{q8([]int32{1, 1, 1, 1}, 1, 0), convWeights, q8([]int32{1, 1, 1, 3}, 1, 0)}, []tmOp{conv}, []int32{0}, []int32{2})
	assert.Equal(t, i8s(30, -20, 100), runHandMade(t, model, i8s(10))[0])
}

// TestInt4Refusals checks the int4 cases TFLM does not run: per-channel
// FULLY_CONNECTED, int16 activations, and int4 tensors that are not
// constant weights.
func TestInt4Refusals(t *testing.T) {
	fc := tmOp{code: codeFullyConnected, inputs: []int32{0, 1, -1}, outputs: []int32{2}}
	perChannel := int4Weights([]int32{2, 1}, []byte{0x21}, 1, 1)
	assertUnsupported(t, buildModel([]tmTensor{q8([]int32{1, 1}, 1, 0), perChannel, q8([]int32{1, 2}, 1, 0)}, []tmOp{fc}, []int32{0}, []int32{2}),
		"INT8 x INT4 -> INT8")
	perTensor := int4Weights([]int32{2, 1}, []byte{0x21}, 1)
	assertUnsupported(t, buildModel([]tmTensor{q16([]int32{1, 1}, 1, 0), perTensor, q16([]int32{1, 2}, 1, 0)}, []tmOp{fc}, []int32{0}, []int32{2}),
		"INT16 x INT4 -> INT16")

	activation := tmTensor{typ: tflite.Int4, shape: []int32{2}, scale: []float32{1}, zero: []int64{0}}
	_, err := newModel(t, unary(codeRelu, activation, q8([]int32{2}, 1, 0)))
	assert.ErrorContains(t, err, "only as constant weights")
}

// The tests below run int16 variants the runtime already took, which no
// shared model exercises, on values worked out by hand.

func TestReluInt16(t *testing.T) {
	// RELU rescales by 0.5/0.25 = 2 and clamps at 0 and the type.
	relu := unary(codeRelu, q16([]int32{4}, 0.5, 0), q16([]int32{4}, 0.25, 0))
	assert.Equal(t, []int16{0, 0, 6, 32767}, decodeI16s(runHandMade(t, relu, i16s(-5, 0, 3, 20000))[0]))
	// RELU6 clamps to [0, round(6/0.01)] in the input's quantisation.
	relu6 := unary(codeRelu6, q16([]int32{4}, 0.01, 0), q16([]int32{4}, 0.01, 0))
	assert.Equal(t, []int16{0, 300, 600, 600}, decodeI16s(runHandMade(t, relu6, i16s(-5, 300, 601, 32767))[0]))
}

func TestMulInt16(t *testing.T) {
	mul := tmOp{code: codeMul, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsMul, nfields: 1,
		options: func(b *flatbuffers.Builder) {}}
	// 0.5*a * 0.5*b / 0.25 = a*b, saturated to int16.
	model := buildModel([]tmTensor{q16([]int32{3}, 0.5, 0), q16([]int32{3}, 0.5, 0), q16([]int32{3}, 0.25, 0)},
		[]tmOp{mul}, []int32{0, 1}, []int32{2})
	assert.Equal(t, []int16{-21, -200, 32767}, decodeI16s(runHandMade(t, model, i16s(-3, 100, 200), i16s(7, -2, 200))[0]))
}

func TestMeanInt16(t *testing.T) {
	axes := constTensor(tflite.Int32, []int32{2}, i32s(1, 2), 0)
	mean := tmOp{code: codeMean, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: optionsReducer, nfields: 1,
		options: func(b *flatbuffers.Builder) { b.PrependBoolSlot(0, true, false) }}
	model := buildModel([]tmTensor{q16([]int32{1, 2, 2, 2}, 1, 0), axes, q16([]int32{1, 1, 1, 2}, 1, 0)},
		[]tmOp{mean}, []int32{0}, []int32{2})
	// Channel 0: (1+2+3+5)/4 = 2.75 -> 3; channel 1: -2.75 -> -3.
	assert.Equal(t, []int16{3, -3}, decodeI16s(runHandMade(t, model, i16s(1, -1, 2, -2, 3, -3, 5, -5))[0]))
}

func TestPoolsInt16(t *testing.T) {
	pool := func(code int32) []byte {
		op := tmOp{code: code, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsPool2D, nfields: 6,
			options: func(b *flatbuffers.Builder) {
				b.PrependByteSlot(0, 1, 0) // VALID, 1x2 windows at stride 2
				b.PrependInt32Slot(1, 2, 0)
				b.PrependInt32Slot(2, 1, 0)
				b.PrependInt32Slot(3, 2, 0)
				b.PrependInt32Slot(4, 1, 0)
			}}
		return buildModel([]tmTensor{q16([]int32{1, 1, 4, 1}, 1, 0), q16([]int32{1, 1, 2, 1}, 1, 0)}, []tmOp{op}, []int32{0}, []int32{1})
	}
	in := i16s(20000, 20001, -20000, -20001)
	// The mean rounds half away from zero: 20000.5 -> 20001, -20000.5 -> -20001.
	assert.Equal(t, []int16{20001, -20001}, decodeI16s(runHandMade(t, pool(codeAveragePool2D), in)[0]))
	assert.Equal(t, []int16{20001, -20000}, decodeI16s(runHandMade(t, pool(codeMaxPool2D), in)[0]))
}

// TestDepthwiseConv16x8 multiplies two channels by a depth multiplier of
// two, weights (1, 2) for channel 0 and (3, 4) for channel 1, plus an
// int64 bias of 1, at unit scales.
func TestDepthwiseConv16x8(t *testing.T) {
	tensors := []tmTensor{
		q16([]int32{1, 1, 1, 2}, 1, 0),
		constTensor(tflite.Int8, []int32{1, 1, 1, 4}, i8s(1, 2, 3, 4), 1),
		q16([]int32{1, 1, 1, 4}, 1, 0),
		constTensor(tflite.Int64, []int32{4}, i64s(1, 1, 1, 1), 0),
	}
	op := tmOp{code: codeDepthwiseConv2D, inputs: []int32{0, 1, 3}, outputs: []int32{2}, optionsType: optionsDepthwiseConv2D, nfields: 7,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 1, 0)
			b.PrependInt32Slot(1, 1, 0)
			b.PrependInt32Slot(2, 1, 0)
			b.PrependInt32Slot(3, 2, 0)
		}}
	model := buildModel(tensors, []tmOp{op}, []int32{0}, []int32{2})
	assert.Equal(t, []int16{101, 201, -599, -799}, decodeI16s(runHandMade(t, model, i16s(100, -200))[0]))
}

func TestQuantizeInt16(t *testing.T) {
	// int8 (0.5, zero point -1) to int16 (0.25): (x+1)*2.
	model := unary(codeQuantize, q8([]int32{3}, 0.5, -1), q16([]int32{3}, 0.25, 0))
	assert.Equal(t, []int16{-254, 0, 256}, decodeI16s(runHandMade(t, model, i8s(-128, -1, 127))[0]))

	// int16 (0.25) to int8 (1, zero point 3): x/4 rounded half away from
	// zero, plus 3, saturated.
	model = unary(codeQuantize, q16([]int32{4}, 0.25, 0), q8([]int32{4}, 1, 3))
	assert.Equal(t, i8s(-128, 5, 6, 127), runHandMade(t, model, i16s(-1000, 6, 10, 1000))[0])

	// int16 to int32 at the same scale: the values themselves.
	i32 := tmTensor{typ: tflite.Int32, shape: []int32{2}, scale: []float32{0.5}, zero: []int64{0}}
	model = unary(codeQuantize, q16([]int32{2}, 0.5, 0), i32)
	assert.Equal(t, i32s(-32768, 5), runHandMade(t, model, i16s(-32768, 5))[0])

	// DEQUANTIZE int16: 0.5*(x - 2).
	model = unary(codeDequantize, q16([]int32{2}, 0.5, 2), tmTensor{typ: tflite.Float32, shape: []int32{2}})
	assert.Equal(t, floats(-16385, 0.5), runHandMade(t, model, i16s(-32768, 3))[0])
}

// TestSoftmaxInt8ToInt16 checks the int8-input, int16-output SOFTMAX
// (output scale 2^-16, zero point -32768) against the float formula; its
// fixed-point exp is within a few units of 2^-16.
func TestSoftmaxInt8ToInt16(t *testing.T) {
	model := softmaxModel(q8([]int32{2, 2}, 0.1, 0), q16([]int32{2, 2}, 1.0/65536, -32768), 1)
	got := decodeI16s(runHandMade(t, model, i8s(0, 0, 10, 0))[0])
	p := 1 / (1 + math.Exp(-1)) // softmax of (1, 0)
	want := []float64{0, 0, 65536*p - 32768, 65536*(1-p) - 32768}
	for i := range want {
		assert.InDelta(t, want[i], float64(got[i]), 3, "element %d", i)
	}
}
