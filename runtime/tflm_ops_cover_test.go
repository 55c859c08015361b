package runtime

import (
	"math"
	"slices"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/footprint-dev/footprint/tflite"
)

// Differential cases for the operators the runtime ran before issue #15's
// one-operator tests existed, checked until then only on the shared real
// models: every element type TFLM's reference kernels accept, and their
// edge cases (per-channel quantisation, the 16x8 paths, SAME and VALID
// padding, strides and dilation, fused activations, broadcasting,
// keep_num_dims, saturation), the models TFLM's Prepare refuses or its
// assertions abort on, and the element types the newer operators' cases
// leave out. Each runs on real TFLM like tflmCases' own.

// Schema codes of the operators and option tables these cases use that
// the other tests do not name.
const (
	codeLeakyRelu             = 98
	codeStridedSlice          = 45
	codeReshape               = 22
	codeSqueeze               = 43
	optionsStridedSlice       = 32
	optionsLeakyRelu          = 75
	paddingSame, paddingValid = 0, 1
)

// perChannelWeights is a constant int8 tensor quantised per channel along
// dimension dim.
func perChannelWeights(shape []int32, dim int32, data []byte, scales ...float32) tmTensor {
	return tmTensor{typ: tflite.Int8, shape: shape, data: data, scale: scales, zero: make([]int64, len(scales)), quantDim: dim}
}

// shapeElems is the number of elements of a shape.
func shapeElems(shape []int32) int {
	n := 1
	for _, d := range shape {
		n *= int(d)
	}
	return n
}

// coverConvOptions are Conv2DOptions.
func coverConvOptions(padding byte, strideW, strideH int32, act byte, dilW, dilH int32) *opOptions {
	return &opOptions{typ: optionsConv2D, nfields: 7, fill: func(b *flatbuffers.Builder) {
		b.PrependByteSlot(0, padding, 0)
		b.PrependInt32Slot(1, strideW, 0)
		b.PrependInt32Slot(2, strideH, 0)
		b.PrependByteSlot(3, act, 0)
		b.PrependInt32Slot(4, dilW, 1)
		b.PrependInt32Slot(5, dilH, 1)
	}}
}

// coverDepthwiseOptions are DepthwiseConv2DOptions.
func coverDepthwiseOptions(padding byte, strideW, strideH, multiplier int32, act byte, dilW, dilH int32) *opOptions {
	return &opOptions{typ: optionsDepthwiseConv2D, nfields: 7, fill: func(b *flatbuffers.Builder) {
		b.PrependByteSlot(0, padding, 0)
		b.PrependInt32Slot(1, strideW, 0)
		b.PrependInt32Slot(2, strideH, 0)
		b.PrependInt32Slot(3, multiplier, 0)
		b.PrependByteSlot(4, act, 0)
		b.PrependInt32Slot(5, dilW, 1)
		b.PrependInt32Slot(6, dilH, 1)
	}}
}

// coverFCOptions are FullyConnectedOptions.
func coverFCOptions(act byte, keepNumDims bool) *opOptions {
	return &opOptions{typ: optionsFullyConnected, nfields: 5, fill: func(b *flatbuffers.Builder) {
		b.PrependByteSlot(0, act, 0)
		b.PrependBoolSlot(2, keepNumDims, false)
	}}
}

// coverPoolOptions are Pool2DOptions.
func coverPoolOptions(padding byte, strideW, strideH, filterW, filterH int32, act byte) *opOptions {
	return &opOptions{typ: optionsPool2D, nfields: 6, fill: func(b *flatbuffers.Builder) {
		b.PrependByteSlot(0, padding, 0)
		b.PrependInt32Slot(1, strideW, 0)
		b.PrependInt32Slot(2, strideH, 0)
		b.PrependInt32Slot(3, filterW, 0)
		b.PrependInt32Slot(4, filterH, 0)
		b.PrependByteSlot(5, act, 0)
	}}
}

// coverActOptions are options whose first field is the fused activation (ADD,
// SUB, MUL, DIV), of a table of nfields fields.
func coverActOptions(typ byte, nfields int, act byte) *opOptions {
	return &opOptions{typ: typ, nfields: nfields, fill: func(b *flatbuffers.Builder) { b.PrependByteSlot(0, act, 0) }}
}

// coverTransposeConvOptions are TransposeConvOptions.
func coverTransposeConvOptions(padding byte, strideW, strideH int32, act byte) *opOptions {
	return &opOptions{typ: optionsTransposeConv, nfields: 5, fill: func(b *flatbuffers.Builder) {
		b.PrependByteSlot(0, padding, 0)
		b.PrependInt32Slot(1, strideW, 0)
		b.PrependInt32Slot(2, strideH, 0)
		b.PrependByteSlot(3, act, 0)
	}}
}

// coverCases are the differential cases of the operators the shared models
// used to check alone.
func coverCases() []tflmCase {
	var cases []tflmCase
	negZero := float32(math.Copysign(0, -1)) // a -0.0 literal is plain zero in Go
	add := func(name string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs})
	}
	libm := func(name string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs, ulps: 1})
	}
	relu, relu6 := byte(actRelu), byte(actRelu6)
	// w8 and wf are constant weights of the oracle pattern, pcw per-channel
	// ones along the first dimension, dw along the last (depthwise filters).
	w8 := func(shape []int32, scale float32) tmTensor {
		return constTensor(tflite.Int8, shape, OraclePattern(shapeElems(shape)), scale)
	}
	wf := func(shape ...int32) tmTensor {
		return constTensor(tflite.Float32, shape, floatPattern(shapeElems(shape)), 0)
	}
	pcw := func(shape []int32, scales ...float32) tmTensor {
		return perChannelWeights(shape, 0, OraclePattern(shapeElems(shape)), scales...)
	}
	dw := func(shape []int32, scales ...float32) tmTensor {
		t := pcw(shape, scales...)
		t.quantDim = int32(len(shape) - 1)
		return t
	}
	bias32 := func(v ...int32) tmTensor { return constI32([]int32{int32(len(v))}, v...) }
	bias64 := func(v ...int64) tmTensor { return constTensor(tflite.Int64, []int32{int32(len(v))}, i64s(v...), 0) }
	biasF := func(v ...float32) tmTensor {
		return constTensor(tflite.Float32, []int32{int32(len(v))}, floats(v...), 0)
	}

	// CONV_2D.
	add("conv_int8_per_channel_same_stride2_relu", oneOp(codeConv2D, coverConvOptions(paddingSame, 2, 2, relu, 1, 1),
		[]tmTensor{t8(1, 5, 5, 3), pcw([]int32{4, 3, 3, 3}, 0.01, 0.02, 0.015, 0.03), bias32(100, -200, 300, 0), q8([]int32{1, 3, 3, 4}, 2, 5)},
		[]int32{0, 1, 2}, []int32{3}))
	add("conv_int8_valid_dilation2_relu6", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, relu6, 2, 2),
		[]tmTensor{q8([]int32{1, 7, 6, 2}, 0.05, 0), w8([]int32{2, 3, 3, 2}, 0.05), q8([]int32{1, 3, 2, 2}, 0.05, -128)},
		[]int32{0, 1, -1}, []int32{2}))
	add("conv_int8_batch2_stride_w2_same", oneOp(codeConv2D, coverConvOptions(paddingSame, 2, 1, 0, 1, 1),
		[]tmTensor{t8(2, 3, 4, 2), w8([]int32{2, 2, 2, 2}, 0.1), q8([]int32{2, 3, 2, 2}, 1, 0)},
		[]int32{0, 1, -1}, []int32{2}))
	add("conv_int8_dilation_w_stride_h", oneOp(codeConv2D, coverConvOptions(paddingSame, 1, 2, 0, 3, 1),
		[]tmTensor{t8(1, 5, 6, 1), pcw([]int32{2, 2, 3, 1}, 0.1, 0.05), bias32(-50, 50), q8([]int32{1, 3, 6, 2}, 0.7, -3)},
		[]int32{0, 1, 2}, []int32{3}))
	add("conv_int16x8_per_channel_int64_bias", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{q16([]int32{1, 4, 4, 2}, 0.01, 0), pcw([]int32{3, 2, 2, 2}, 0.02, 0.01, 0.04), bias64(1000, -2000, 0), q16([]int32{1, 3, 3, 3}, 0.02, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("conv_int16x8_int32_bias_same_stride2_relu", oneOp(codeConv2D, coverConvOptions(paddingSame, 2, 2, relu, 1, 1),
		[]tmTensor{q16([]int32{1, 5, 5, 1}, 0.01, 0), pcw([]int32{2, 3, 3, 1}, 0.03, 0.02), bias32(700, -700), q16([]int32{1, 3, 3, 2}, 0.005, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("conv_int16x8_multiplier_too_large", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{q16([]int32{1, 2, 2, 4}, 0.5, 0), w8([]int32{2, 2, 2, 4}, 0.5), q16([]int32{1, 1, 1, 2}, 0.001, 0)},
		[]int32{0, 1, -1}, []int32{2}), i16s(30000, -30000, 32767, -32768, 100, 200, -300, 400, 30000, 30000, 30000, 30000, -1, -2, -3, -4))
	add("conv_int16x8_saturating", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{q16([]int32{1, 2, 2, 4}, 0.5, 0), w8([]int32{2, 2, 2, 4}, 0.5), q16([]int32{1, 1, 1, 2}, 0.01, 0)},
		[]int32{0, 1, -1}, []int32{2}), i16s(30000, -30000, 32767, -32768, 100, 200, -300, 400, 30000, 30000, 30000, 30000, -1, -2, -3, -4))
	add("conv_float32_same_stride2_relu6", oneOp(codeConv2D, coverConvOptions(paddingSame, 2, 2, relu6, 1, 1),
		[]tmTensor{f32(1, 4, 5, 2), wf(3, 3, 3, 2), biasF(0.5, -1, 0), f32(1, 2, 3, 3)}, []int32{0, 1, 2}, []int32{3}), floatPattern(40))
	add("conv_float32_dilation_valid_relu", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, relu, 2, 1),
		[]tmTensor{f32(2, 5, 5, 1), wf(2, 2, 2, 1), f32(2, 4, 3, 2)}, []int32{0, 1, -1}, []int32{2}), floatPattern(50))
	add("conv_int8_int4_filter", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 2), int4Weights([]int32{2, 1, 1, 2}, []byte{0x78, 0xD2}, 0.1, 0.2), q8([]int32{1, 2, 2, 2}, 0.5, 0)},
		[]int32{0, 1, -1}, []int32{2}))

	// DEPTHWISE_CONV_2D.
	add("depthwise_int8_per_channel_mult2_same_stride2_relu", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 2, 2, 2, relu, 1, 1),
		[]tmTensor{t8(1, 5, 5, 2), dw([]int32{1, 3, 3, 4}, 0.01, 0.02, 0.03, 0.015), bias32(10, -20, 30, -40), q8([]int32{1, 3, 3, 4}, 1, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int8_per_channel_wrong_dimension", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 1, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 3, 3, 2), pcw([]int32{1, 2, 2, 2}, 0.01, 0.02), bias32(1, 2), q8([]int32{1, 3, 3, 2}, 1, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int8_dilation2_valid_relu6", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, relu6, 2, 2),
		[]tmTensor{q8([]int32{1, 6, 6, 3}, 0.05, 0), w8([]int32{1, 2, 2, 3}, 0.1), bias32(30, 0, -30), q8([]int32{1, 4, 4, 3}, 0.05, -128)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int8_stride_w_dilation_h", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 2, 1, 1, 0, 1, 2),
		[]tmTensor{t8(2, 4, 5, 2), dw([]int32{1, 3, 2, 2}, 0.05, 0.1), bias32(5, -5), q8([]int32{2, 4, 3, 2}, 0.5, 7)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int16x8_per_channel_int64_bias", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, 0, 1, 1),
		[]tmTensor{q16([]int32{1, 4, 4, 3}, 0.01, 0), dw([]int32{1, 2, 2, 3}, 0.02, 0.01, 0.04), bias64(500, -500, 0), q16([]int32{1, 3, 3, 3}, 0.002, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int16x8_mult2_same_relu", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 1, 1, 2, relu, 1, 1),
		[]tmTensor{q16([]int32{1, 3, 3, 1}, 0.01, 0), w8([]int32{1, 3, 3, 2}, 0.02), bias64(-40000, 40000), q16([]int32{1, 3, 3, 2}, 0.004, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	// TFLM's reference kernels assert one bias element per output channel,
	// even with no bias: it aborts.
	add("depthwise_int16x8_no_bias_two_channels", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 1, 1, 2, relu, 1, 1),
		[]tmTensor{q16([]int32{1, 3, 3, 1}, 0.01, 0), w8([]int32{1, 3, 3, 2}, 0.02), q16([]int32{1, 3, 3, 2}, 0.004, 0)},
		[]int32{0, 1}, []int32{2}))
	add("depthwise_int16x8_int32_bias", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, 0, 1, 1),
		[]tmTensor{q16([]int32{1, 2, 2, 1}, 0.01, 0), w8([]int32{1, 1, 1, 1}, 0.02), bias32(3), q16([]int32{1, 2, 2, 1}, 0.004, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("depthwise_int8_no_bias_one_channel", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 2, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 3, 4, 1), w8([]int32{1, 2, 2, 1}, 0.1), q8([]int32{1, 3, 2, 1}, 0.5, 3)}, []int32{0, 1}, []int32{2}))
	add("depthwise_float32_no_bias_one_channel", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, relu, 1, 1),
		[]tmTensor{f32(1, 3, 3, 1), wf(1, 2, 2, 1), f32(1, 2, 2, 1)}, []int32{0, 1}, []int32{2}), floatPattern(9))
	add("depthwise_float32_same_mult2_relu6", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingSame, 1, 1, 2, relu6, 1, 1),
		[]tmTensor{f32(1, 3, 4, 1), wf(1, 3, 3, 2), biasF(0.25, -0.5), f32(1, 3, 4, 2)}, []int32{0, 1, 2}, []int32{3}), floatPattern(12))
	add("depthwise_float32_valid_stride2_dilation", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 2, 2, 1, 0, 2, 2),
		[]tmTensor{f32(1, 7, 7, 2), wf(1, 2, 2, 2), biasF(1, -1), f32(1, 3, 3, 2)}, []int32{0, 1, 2}, []int32{3}), floatPattern(98))

	// FULLY_CONNECTED.
	add("fc_int8_bias_relu", oneOp(codeFullyConnected, coverFCOptions(relu, false),
		[]tmTensor{t8(2, 6), w8([]int32{4, 6}, 0.02), constTensor(tflite.Int32, []int32{4}, i32s(100, -100, 0, 2000), 0.01), q8([]int32{2, 4}, 0.1, -10)},
		[]int32{0, 1, 2}, []int32{3}))
	add("fc_int8_bias_scale_mismatch", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(2, 6), w8([]int32{4, 6}, 0.02), bias32(100, -100, 0, 2000), q8([]int32{2, 4}, 0.1, -10)}, []int32{0, 1, 2}, []int32{3}))
	add("fc_int8_per_channel", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(3, 5), pcw([]int32{4, 5}, 0.01, 0.02, 0.04, 0.005), bias32(1, 2, 3, 4), q8([]int32{3, 4}, 0.2, 3)}, []int32{0, 1, 2}, []int32{3}))
	add("fc_int8_keep_num_dims_relu6", oneOp(codeFullyConnected, coverFCOptions(relu6, true),
		[]tmTensor{t8(2, 3, 6), w8([]int32{4, 6}, 0.02), q8([]int32{2, 3, 4}, 0.05, -128)}, []int32{0, 1, -1}, []int32{2}))
	add("fc_int8_flatten", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(2, 3, 6), w8([]int32{4, 6}, 0.02), q8([]int32{6, 4}, 0.5, 0)}, []int32{0, 1, -1}, []int32{2}))
	add("fc_int16x8_int64_bias", oneOp(codeFullyConnected, nil,
		[]tmTensor{q16([]int32{2, 8}, 0.01, 0), w8([]int32{3, 8}, 0.01), bias64(100, -30000, 5), q16([]int32{2, 3}, 0.02, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("fc_int16x8_per_channel_relu", oneOp(codeFullyConnected, coverFCOptions(relu, false),
		[]tmTensor{q16([]int32{2, 4}, 0.01, 0), pcw([]int32{3, 4}, 0.01, 0.02, 0.03), bias64(7, -7, 0), q16([]int32{2, 3}, 0.01, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("fc_int16x8_int32_bias", oneOp(codeFullyConnected, nil,
		[]tmTensor{q16([]int32{1, 4}, 0.01, 0), w8([]int32{2, 4}, 0.01), bias32(9, -9), q16([]int32{1, 2}, 0.02, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("fc_float32_bias_relu6", oneOp(codeFullyConnected, coverFCOptions(relu6, false),
		[]tmTensor{f32(3, 5), wf(4, 5), biasF(1, -1, 0.5, 3), f32(3, 4)}, []int32{0, 1, 2}, []int32{3}), floatPattern(15))
	add("fc_float32_keep_num_dims", oneOp(codeFullyConnected, coverFCOptions(0, true),
		[]tmTensor{f32(2, 2, 3), wf(2, 3), f32(2, 2, 2)}, []int32{0, 1, -1}, []int32{2}), floatPattern(12))
	add("fc_int8_int4_weights", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(2, 3), int4Weights([]int32{2, 3}, []byte{0x78, 0xF1, 0xD2}, 0.1), q8([]int32{2, 2}, 0.5, 1)}, []int32{0, 1, -1}, []int32{2}))

	// AVERAGE_POOL_2D and MAX_POOL_2D.
	add("average_pool_int8_same_stride2_relu", oneOp(codeAveragePool2D, coverPoolOptions(paddingSame, 2, 2, 3, 3, relu),
		[]tmTensor{t8(1, 5, 5, 2), t8(1, 3, 3, 2)}, []int32{0}, []int32{1}))
	add("average_pool_int16_valid", oneOp(codeAveragePool2D, coverPoolOptions(paddingValid, 3, 2, 3, 2, 0),
		[]tmTensor{t16(1, 4, 6, 1), t16(1, 2, 2, 1)}, []int32{0}, []int32{1}))
	add("average_pool_float32_same_relu6", oneOp(codeAveragePool2D, coverPoolOptions(paddingSame, 1, 1, 3, 3, relu6),
		[]tmTensor{f32(2, 4, 4, 3), f32(2, 4, 4, 3)}, []int32{0}, []int32{1}), floatPattern(96))
	add("average_pool_int8_relu6", oneOp(codeAveragePool2D, coverPoolOptions(paddingValid, 1, 1, 2, 2, relu6),
		[]tmTensor{q8([]int32{1, 3, 3, 1}, 0.05, -10), q8([]int32{1, 2, 2, 1}, 0.05, -10)}, []int32{0}, []int32{1}))
	add("max_pool_float32_same_relu6", oneOp(codeMaxPool2D, coverPoolOptions(paddingSame, 2, 2, 2, 2, relu6),
		[]tmTensor{f32(1, 5, 3, 2), f32(1, 3, 2, 2)}, []int32{0}, []int32{1}), floatPattern(30))
	add("max_pool_int16_valid", oneOp(codeMaxPool2D, coverPoolOptions(paddingValid, 1, 1, 3, 3, 0),
		[]tmTensor{t16(1, 4, 4, 1), t16(1, 2, 2, 1)}, []int32{0}, []int32{1}))
	add("max_pool_int8_same_relu", oneOp(codeMaxPool2D, coverPoolOptions(paddingSame, 1, 1, 2, 2, relu),
		[]tmTensor{t8(1, 3, 3, 1), t8(1, 3, 3, 1)}, []int32{0}, []int32{1}))
	add("max_pool_int16_relu", oneOp(codeMaxPool2D, coverPoolOptions(paddingSame, 2, 2, 3, 3, relu),
		[]tmTensor{q16([]int32{1, 4, 4, 2}, 0.5, 0), q16([]int32{1, 2, 2, 2}, 0.5, 0)}, []int32{0}, []int32{1}))

	// ADD, SUB, MUL, DIV.
	type binary struct {
		name string
		code int32
		opts byte
		nf   int
	}
	for _, op := range []binary{{"add", codeAdd, optionsAdd, 2}, {"sub", codeSub, optionsSub, 2}, {"mul", codeMul, optionsMul, 1}} {
		opts := func(act byte) *opOptions { return coverActOptions(op.opts, op.nf, act) }
		add(op.name+"_int16", oneOp(op.code, nil,
			[]tmTensor{q16([]int32{2, 4}, 0.01, 0), q16([]int32{2, 4}, 0.02, 0), q16([]int32{2, 4}, 0.03, 0)}, []int32{0, 1}, []int32{2}))
		add(op.name+"_int16_broadcast_relu6", oneOp(op.code, opts(relu6),
			[]tmTensor{q16([]int32{2, 1, 3}, 0.001, 0), q16([]int32{1, 4, 1}, 0.002, 0), q16([]int32{2, 4, 3}, 0.001, 0)}, []int32{0, 1}, []int32{2}))
		add(op.name+"_int16_saturating", oneOp(op.code, nil,
			[]tmTensor{q16([]int32{4}, 0.5, 0), q16([]int32{4}, 0.5, 0), q16([]int32{4}, 0.25, 0)}, []int32{0, 1}, []int32{2}),
			i16s(32767, -32768, 16000, -3), i16s(32767, 32767, -16000, 5))
		add(op.name+"_int8_broadcast_relu6", oneOp(op.code, opts(relu6),
			[]tmTensor{q8([]int32{2, 3}, 0.05, 3), q8([]int32{3}, 0.1, -2), q8([]int32{2, 3}, 0.05, -10)}, []int32{0, 1}, []int32{2}))
		add(op.name+"_int8_4d_broadcast_relu", oneOp(op.code, opts(relu),
			[]tmTensor{q8([]int32{2, 1, 3, 1}, 0.1, 0), q8([]int32{1, 2, 1, 4}, 0.2, 5), q8([]int32{2, 2, 3, 4}, 0.3, -7)}, []int32{0, 1}, []int32{2}))
		add(op.name+"_float32_broadcast_relu", oneOp(op.code, opts(relu),
			[]tmTensor{f32(2, 1, 3), f32(4, 1), f32(2, 4, 3)}, []int32{0, 1}, []int32{2}), floatPattern(6), floatPattern(10)[24:])
		add(op.name+"_float32_relu6", oneOp(op.code, opts(relu6),
			[]tmTensor{f32(6), f32(6), f32(6)}, []int32{0, 1}, []int32{2}), floats(-7, 1, 5, 3, 0.5, 100), floats(1, 1.5, 2, -4, 0.25, 1))
		add(op.name+"_int32_broadcast", oneOp(op.code, nil,
			[]tmTensor{t32(2, 3), t32(1, 3), t32(2, 3)}, []int32{0, 1}, []int32{2}), i32s(1, -2, 3, 1<<30, -5, 7), i32s(10, 1<<30, -3))
		add(op.name+"_int32_relu", oneOp(op.code, opts(relu),
			[]tmTensor{t32(4), t32(4), t32(4)}, []int32{0, 1}, []int32{2}), i32s(3, -20, 7, 0), i32s(-5, 4, 2, 9))
	}
	add("mul_int64", oneOp(codeMul, nil, []tmTensor{i64t(3), i64t(3), i64t(3)}, []int32{0, 1}, []int32{2}))
	add("add_int64", oneOp(codeAdd, nil, []tmTensor{i64t(3), i64t(3), i64t(3)}, []int32{0, 1}, []int32{2}))
	add("mul_int8_saturating", oneOp(codeMul, nil,
		[]tmTensor{q8([]int32{6}, 0.5, 0), q8([]int32{6}, 0.5, 0), q8([]int32{6}, 0.01, 0)}, []int32{0, 1}, []int32{2}),
		i8s(127, -128, 3, -3, 0, 1), i8s(127, 127, -3, -3, 5, 1))
	add("mul_int8_same_output_scale", oneOp(codeMul, nil,
		[]tmTensor{q8([]int32{2, 8}, 0.1, -5), q8([]int32{2, 8}, 0.2, 6), q8([]int32{2, 8}, 0.1, 1)}, []int32{0, 1}, []int32{2}))
	add("div_float32_broadcast_relu", oneOp(codeDiv, coverActOptions(optionsDiv, 1, relu),
		[]tmTensor{f32(2, 3), f32(3), f32(2, 3)}, []int32{0, 1}, []int32{2}), floats(1, -2, 3, 4, 5, -6), floats(3, 0.5, -7))
	add("div_int32", oneOp(codeDiv, nil, []tmTensor{t32(5), t32(5), t32(5)}, []int32{0, 1}, []int32{2}),
		i32s(7, -7, 7, -7, 1<<30), i32s(2, 2, -2, -2, 3))
	add("div_int8", oneOp(codeDiv, nil,
		[]tmTensor{q8([]int32{8}, 0.1, 2), q8([]int32{8}, 0.05, -3), q8([]int32{8}, 0.2, 0)}, []int32{0, 1}, []int32{2}),
		nil, i8s(10, 20, -30, 40, 50, 1, -60, 100))
	add("div_int8_broadcast", oneOp(codeDiv, nil,
		[]tmTensor{q8([]int32{2, 3}, 0.1, 0), q8([]int32{3}, 0.05, 0), q8([]int32{2, 3}, 0.2, 0)}, []int32{0, 1}, []int32{2}),
		nil, i8s(10, -20, 40))
	add("div_int16", oneOp(codeDiv, nil, []tmTensor{t16(2), t16(2), t16(2)}, []int32{0, 1}, []int32{2}))

	// MAXIMUM and MINIMUM.
	for _, op := range []struct {
		name string
		code int32
	}{{"maximum", codeMaximum}, {"minimum", codeMinimum}} {
		add(op.name+"_float32_broadcast", oneOp(op.code, nil, []tmTensor{f32(2, 3), f32(1, 3), f32(2, 3)}, []int32{0, 1}, []int32{2}),
			floatPattern(6), floats(0, -0.5, 1))
		add(op.name+"_int8", oneOp(op.code, nil, []tmTensor{t8(2, 4), t8(2, 4), t8(2, 4)}, []int32{0, 1}, []int32{2}),
			nil, i8s(0, 1, -1, 127, -128, 5, 6, 7))
		add(op.name+"_int16_broadcast", oneOp(op.code, nil, []tmTensor{t16(3, 1), t16(1, 2), t16(3, 2)}, []int32{0, 1}, []int32{2}))
		add(op.name+"_int32", oneOp(op.code, nil, []tmTensor{t32(4), t32(4), t32(4)}, []int32{0, 1}, []int32{2}),
			i32s(1, -1, 1<<31-1, 0), i32s(-1, 1, -1<<31, 0))
		add(op.name+"_int64", oneOp(op.code, nil, []tmTensor{i64t(3), i64t(3), i64t(3)}, []int32{0, 1}, []int32{2}),
			i64s(1<<40, -1, 3), i64s(-(1<<40), 2, 3))
	}

	// CONCATENATION.
	concat := func(axis int32, act byte) *opOptions {
		return &opOptions{typ: optionsConcatenation, nfields: 2, fill: func(b *flatbuffers.Builder) {
			b.PrependInt32Slot(0, axis, 0)
			b.PrependByteSlot(1, act, 0)
		}}
	}
	add("concatenation_float32_axis1", oneOp(codeConcatenation, concat(1, 0), []tmTensor{f32(2, 1, 2), f32(2, 2, 2), f32(2, 3, 2), f32(2, 6, 2)},
		[]int32{0, 1, 2}, []int32{3}), floatPattern(4), floatPattern(12)[16:], floatPattern(24)[48:])
	add("concatenation_int8_axis_last", oneOp(codeConcatenation, concat(-1, 0), []tmTensor{t8(2, 3), t8(2, 1), t8(2, 4)},
		[]int32{0, 1}, []int32{2}))
	add("concatenation_int16_axis0", oneOp(codeConcatenation, concat(0, 0), []tmTensor{t16(1, 3), t16(2, 3), t16(3, 3)},
		[]int32{0, 1}, []int32{2}))
	add("concatenation_int32_const", oneOp(codeConcatenation, concat(0, 0), []tmTensor{t32(2), constI32([]int32{1}, 99), t32(3)},
		[]int32{0, 1}, []int32{2}))
	add("concatenation_int64", oneOp(codeConcatenation, concat(1, 0), []tmTensor{i64t(2, 1), i64t(2, 2), i64t(2, 3)},
		[]int32{0, 1}, []int32{2}))
	add("concatenation_bool", oneOp(codeConcatenation, concat(0, 0), []tmTensor{ofType(tflite.Bool, 2), ofType(tflite.Bool, 3), ofType(tflite.Bool, 5)},
		[]int32{0, 1}, []int32{2}), []byte{1, 0}, []byte{0, 1, 1})
	add("concatenation_float32_relu", oneOp(codeConcatenation, concat(0, relu), []tmTensor{f32(2), f32(2), f32(4)},
		[]int32{0, 1}, []int32{2}), floats(-1, 2), floats(3, -4))
	add("concatenation_int8_scales_differ", oneOp(codeConcatenation, concat(0, 0), []tmTensor{q8([]int32{2}, 0.5, 0), q8([]int32{2}, 0.25, 0), q8([]int32{4}, 0.5, 0)},
		[]int32{0, 1}, []int32{2}))

	// CAST.
	castPairs := []struct {
		name    string
		in, out tflite.TensorType
		input   []byte
	}{
		{"int8_float32", tflite.Int8, tflite.Float32, i8s(-128, -1, 0, 127)},
		{"float32_int32", tflite.Float32, tflite.Int32, floats(-2.75, -0.5, 0.99, 1e9)},
		{"int32_float32", tflite.Int32, tflite.Float32, i32s(1<<24+1, -7, 0, 1<<31-1)},
		{"bool_float32", tflite.Bool, tflite.Float32, []byte{1, 0, 1, 0}},
		{"bool_int32", tflite.Bool, tflite.Int32, []byte{0, 1, 1, 0}},
		{"int16_int32", tflite.Int16, tflite.Int32, i16s(-32768, -1, 1, 32767)},
		{"int32_int16", tflite.Int32, tflite.Int16, i32s(70000, -70000, -1, 32768)},
		{"int32_int8", tflite.Int32, tflite.Int8, i32s(300, -129, 127, -1)},
		{"int8_int16", tflite.Int8, tflite.Int16, i8s(-128, -1, 0, 127)},
		{"int16_float32", tflite.Int16, tflite.Float32, i16s(-32768, -1, 1, 32767)},
		{"float32_int16", tflite.Float32, tflite.Int16, floats(-300.9, 0.5, 1000, -1)},
		{"float32_int8", tflite.Float32, tflite.Int8, floats(-100.9, 0.5, 100, -1)},
		{"int32_uint32", tflite.Int32, tflite.Uint32, i32s(-1, 0, 5, 1<<31-1)},
		{"uint32_float32", tflite.Uint32, tflite.Float32, i32s(-1, 0, 5, 1<<24+1)},
		{"float32_bool", tflite.Float32, tflite.Bool, floats(0, 1, -1, 0.5)},
		{"int64_float32", tflite.Int64, tflite.Float32, i64s(1, 2, 3, 4)},
		{"float32_int64", tflite.Float32, tflite.Int64, floats(1, 2, 3, 4)},
	}
	for _, p := range castPairs {
		add("cast_"+p.name, oneOp(codeCast, nil, []tmTensor{ofType(p.in, 2, 2), ofType(p.out, 2, 2)}, []int32{0}, []int32{1}), p.input)
	}

	// QUANTIZE and DEQUANTIZE.
	add("quantize_float32_int8", oneOp(codeQuantize, nil, []tmTensor{f32(16), q8([]int32{16}, 0.03, -7)}, []int32{0}, []int32{1}), floatPattern(16))
	add("quantize_float32_int16", oneOp(codeQuantize, nil, []tmTensor{f32(16), q16([]int32{16}, 0.0003, 0)}, []int32{0}, []int32{1}), floatPattern(16))
	add("quantize_float32_int8_saturating", oneOp(codeQuantize, nil, []tmTensor{f32(6), q8([]int32{6}, 0.01, 0)}, []int32{0}, []int32{1}),
		floats(1e6, -1e6, 1.275, 1.285, -1.285, 0.005))
	add("quantize_int8_int8", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{32}, 0.05, 4), q8([]int32{32}, 0.03, -20)}, []int32{0}, []int32{1}))
	add("quantize_int8_int8_same_scale", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{16}, 0.05, 4), q8([]int32{16}, 0.05, -20)}, []int32{0}, []int32{1}))
	add("quantize_int16_int8", oneOp(codeQuantize, nil, []tmTensor{q16([]int32{16}, 0.001, 0), q8([]int32{16}, 0.1, 3)}, []int32{0}, []int32{1}))
	add("quantize_int8_int16", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{16}, 0.1, 3), q16([]int32{16}, 0.001, 0)}, []int32{0}, []int32{1}))
	add("quantize_int16_int16", oneOp(codeQuantize, nil, []tmTensor{q16([]int32{16}, 0.001, 0), q16([]int32{16}, 0.0007, 0)}, []int32{0}, []int32{1}))
	add("quantize_int16_int32", oneOp(codeQuantize, nil, []tmTensor{q16([]int32{8}, 0.001, 0), tmTensor{typ: tflite.Int32, shape: []int32{8}, scale: []float32{0.0001}, zero: []int64{5}}},
		[]int32{0}, []int32{1}))
	add("quantize_int8_int32", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{8}, 0.1, 3), tmTensor{typ: tflite.Int32, shape: []int32{8}, scale: []float32{0.001}, zero: []int64{-2}}},
		[]int32{0}, []int32{1}))
	add("quantize_int32_int8", oneOp(codeQuantize, nil, []tmTensor{tmTensor{typ: tflite.Int32, shape: []int32{6}, scale: []float32{0.001}, zero: []int64{1}}, q8([]int32{6}, 0.1, 3)},
		[]int32{0}, []int32{1}), i32s(-100000, -5000, 0, 1, 5000, 100000))
	add("quantize_int32_int16", oneOp(codeQuantize, nil, []tmTensor{tmTensor{typ: tflite.Int32, shape: []int32{6}, scale: []float32{0.001}, zero: []int64{0}}, q16([]int32{6}, 0.01, 0)},
		[]int32{0}, []int32{1}), i32s(-1<<31, -5000, 0, 1, 5000, 1<<31-1))
	add("quantize_float32_uint8", oneOp(codeQuantize, nil, []tmTensor{f32(4), tmTensor{typ: tflite.Uint8, shape: []int32{4}, scale: []float32{0.1}, zero: []int64{128}}},
		[]int32{0}, []int32{1}), floatPattern(4))
	add("dequantize_uint8", oneOp(codeDequantize, nil, []tmTensor{tmTensor{typ: tflite.Uint8, shape: []int32{8}, scale: []float32{0.1}, zero: []int64{128}}, f32(8)},
		[]int32{0}, []int32{1}))
	add("dequantize_int8_per_tensor_2d", oneOp(codeDequantize, nil, []tmTensor{q8([]int32{2, 4}, 0.007, -128), f32(2, 4)}, []int32{0}, []int32{1}))

	// LOGISTIC, SOFTMAX, TANH.
	add("logistic_int8", oneOp(codeLogistic, nil, []tmTensor{q8([]int32{64}, 0.1, 5), q8([]int32{64}, 1.0/256, -128)}, []int32{0}, []int32{1}))
	add("logistic_int8_fine", oneOp(codeLogistic, nil, []tmTensor{q8([]int32{256}, 0.02, -10), q8([]int32{256}, 1.0/256, -128)}, []int32{0}, []int32{1}),
		func() []byte {
			b := make([]byte, 256)
			for i := range b {
				b[i] = byte(i)
			}
			return b
		}())
	add("logistic_int16", oneOp(codeLogistic, nil, []tmTensor{q16([]int32{64}, 1.0/4096, 0), q16([]int32{64}, 1.0/32768, 0)}, []int32{0}, []int32{1}))
	add("logistic_int16_wide", oneOp(codeLogistic, nil, []tmTensor{q16([]int32{8}, 0.01, 0), q16([]int32{8}, 1.0/32768, 0)}, []int32{0}, []int32{1}),
		i16s(-32768, -1000, -1, 0, 1, 555, 1000, 32767))
	libm("logistic_float32", oneOp(codeLogistic, nil, []tmTensor{f32(20), f32(20)}, []int32{0}, []int32{1}), floatPattern(20))
	add("softmax_int8", softmaxModel(q8([]int32{3, 10}, 0.1, 5), q8([]int32{3, 10}, 1.0/256, -128), 1))
	add("softmax_int8_beta", softmaxModel(q8([]int32{2, 2, 7}, 0.05, -3), q8([]int32{2, 2, 7}, 1.0/256, -128), 0.7))
	add("softmax_int8_int16", softmaxModel(q8([]int32{2, 9}, 0.1, 5), q16([]int32{2, 9}, 1.0/65536, -32768), 1))
	libm("softmax_float32", softmaxModel(f32(3, 6), f32(3, 6), 1), floatPattern(18))
	libm("softmax_float32_beta", softmaxModel(f32(2, 2, 5), f32(2, 2, 5), 0.3), floatPattern(20))
	add("softmax_int8_bad_output", softmaxModel(q8([]int32{2, 4}, 0.1, 5), q8([]int32{2, 4}, 1.0/128, -128), 1))
	add("tanh_int16_wide", oneOp(codeTanh, nil, []tmTensor{q16([]int32{8}, 0.01, 0), q16([]int32{8}, 1.0/32768, 0)}, []int32{0}, []int32{1}),
		i16s(-32768, -1000, -1, 0, 1, 555, 1000, 32767))
	add("tanh_int8_wide", oneOp(codeTanh, nil, []tmTensor{q8([]int32{256}, 0.03, -7), q8([]int32{256}, 1.0/128, 0)}, []int32{0}, []int32{1}),
		func() []byte {
			b := make([]byte, 256)
			for i := range b {
				b[i] = byte(i)
			}
			return b
		}())

	// RELU6, LEAKY_RELU.
	add("relu6_float32", oneOp(codeRelu6, nil, []tmTensor{f32(8), f32(8)}, []int32{0}, []int32{1}), floats(-1, 0, 3, 6, 6.5, 100, negZero, 5.99))
	add("relu6_int16", oneOp(codeRelu6, nil, []tmTensor{q16([]int32{8}, 0.01, 0), q16([]int32{8}, 0.01, 0)}, []int32{0}, []int32{1}),
		i16s(-5, 0, 300, 599, 600, 601, 32767, -32768))
	add("relu6_int8_rescale", oneOp(codeRelu6, nil, []tmTensor{q8([]int32{16}, 0.1, 3), q8([]int32{16}, 0.03, -128)}, []int32{0}, []int32{1}))
	leaky := func(alpha float32) *opOptions {
		return &opOptions{typ: optionsLeakyRelu, nfields: 1, fill: func(b *flatbuffers.Builder) { b.PrependFloat32Slot(0, alpha, 0) }}
	}
	add("leaky_relu_float32", oneOp(codeLeakyRelu, leaky(0.2), []tmTensor{f32(12), f32(12)}, []int32{0}, []int32{1}), floatPattern(12))
	add("leaky_relu_int8", oneOp(codeLeakyRelu, leaky(0.1), []tmTensor{q8([]int32{32}, 0.1, 5), q8([]int32{32}, 0.07, -20)}, []int32{0}, []int32{1}))
	add("leaky_relu_int8_alpha_above_one", oneOp(codeLeakyRelu, leaky(1.5), []tmTensor{q8([]int32{16}, 0.1, 0), q8([]int32{16}, 0.1, 0)}, []int32{0}, []int32{1}))
	add("leaky_relu_int16", oneOp(codeLeakyRelu, leaky(0.3), []tmTensor{q16([]int32{8}, 0.01, 0), q16([]int32{8}, 0.02, 0)}, []int32{0}, []int32{1}),
		i16s(-32768, -1000, -1, 0, 1, 555, 1000, 32767))

	// PAD and PADV2.
	paddings := constI32([]int32{2, 2}, 1, 0, 2, 1)
	add("pad_int8", oneOp(codePad, nil, []tmTensor{t8(2, 3), paddings, t8(3, 6)}, []int32{0, 1}, []int32{2}))
	add("pad_float32_4d", oneOp(codePad, nil, []tmTensor{f32(1, 2, 2, 1), constI32([]int32{4, 2}, 0, 0, 1, 1, 0, 2, 0, 0), f32(1, 4, 4, 1)},
		[]int32{0, 1}, []int32{2}), floatPattern(4))
	add("pad_int16", oneOp(codePad, nil, []tmTensor{t16(2, 3), paddings, t16(3, 6)}, []int32{0, 1}, []int32{2}))
	add("pad_int32", oneOp(codePad, nil, []tmTensor{t32(2, 3), paddings, t32(3, 6)}, []int32{0, 1}, []int32{2}))
	add("pad_int8_runtime_paddings", oneOp(codePad, nil, []tmTensor{t8(3), t32(1, 2), t8(6)}, []int32{0, 1}, []int32{2}), nil, i32s(2, 1))
	add("pad_v2_float32", oneOp(codePadV2, nil, []tmTensor{f32(2, 2), paddings, constTensor(tflite.Float32, nil, floats(-9.5), 0), f32(3, 5)},
		[]int32{0, 1, 2}, []int32{3}), floatPattern(4))
	padValue8 := q8(nil, 0.5, -3)
	padValue8.data = i8s(40)
	add("pad_v2_int8_value", oneOp(codePadV2, nil, []tmTensor{t8(2, 2), paddings, padValue8, t8(3, 5)}, []int32{0, 1, 2}, []int32{3}))
	add("pad_v2_int16", oneOp(codePadV2, nil, []tmTensor{t16(2, 2), paddings, constTensor(tflite.Int16, nil, i16s(77), 0.25), t16(3, 5)},
		[]int32{0, 1, 2}, []int32{3}))

	// RESHAPE, SQUEEZE, EXPAND_DIMS.
	add("reshape_float32_shape_tensor", oneOp(codeReshape, nil, []tmTensor{f32(2, 3, 2), constI32([]int32{2}, 3, -1), f32(3, 4)},
		[]int32{0, 1}, []int32{2}), floatPattern(12))
	add("reshape_int8_no_shape", oneOp(codeReshape, nil, []tmTensor{t8(2, 3), t8(6, 1)}, []int32{0}, []int32{1}))
	add("reshape_int16_output_stretch", oneOp(codeReshape, nil, []tmTensor{t16(2, 3), t16(3, -1)}, []int32{0}, []int32{1}))
	add("reshape_int32", oneOp(codeReshape, nil, []tmTensor{t32(4), constI32([]int32{2}, 2, 2), t32(2, 2)}, []int32{0, 1}, []int32{2}))
	add("reshape_bool", oneOp(codeReshape, nil, []tmTensor{ofType(tflite.Bool, 4), constI32([]int32{1}, 4), ofType(tflite.Bool, 4)},
		[]int32{0, 1}, []int32{2}), []byte{1, 0, 0, 1})
	add("reshape_int64", oneOp(codeReshape, nil, []tmTensor{i64t(2, 2), constI32([]int32{1}, -1), i64t(4)}, []int32{0, 1}, []int32{2}))
	add("reshape_element_mismatch", oneOp(codeReshape, nil, []tmTensor{t8(2, 3), constI32([]int32{2}, 2, 2), t8(2, 2)}, []int32{0, 1}, []int32{2}))
	add("squeeze_int8", oneOp(codeSqueeze, nil, []tmTensor{t8(1, 2, 1, 3, 1), t8(2, 3)}, []int32{0}, []int32{1}))
	add("squeeze_int16", oneOp(codeSqueeze, nil, []tmTensor{t16(3, 1), t16(3)}, []int32{0}, []int32{1}))
	add("squeeze_int32", oneOp(codeSqueeze, nil, []tmTensor{t32(1, 4), t32(4)}, []int32{0}, []int32{1}))
	add("expand_dims_float32_axis0", oneOp(codeExpandDims, nil, []tmTensor{f32(2, 3), constI32(nil, 0), f32(1, 2, 3)}, []int32{0, 1}, []int32{2}), floatPattern(6))
	add("expand_dims_int16_int64_axis", oneOp(codeExpandDims, nil, []tmTensor{t16(3), constTensor(tflite.Int64, []int32{1}, i64s(1), 0), t16(3, 1)},
		[]int32{0, 1}, []int32{2}))
	add("expand_dims_int8_wrong_output", oneOp(codeExpandDims, nil, []tmTensor{t8(2, 3), constI32(nil, 1), t8(2, 3, 1)}, []int32{0, 1}, []int32{2}))
	add("expand_dims_int32", oneOp(codeExpandDims, nil, []tmTensor{t32(3), constI32(nil, 0), t32(1, 3)}, []int32{0, 1}, []int32{2}))

	// STRIDED_SLICE.
	slice := func(begin, end, ellipsis, newAxis, shrink int32, offset bool) *opOptions {
		return &opOptions{typ: optionsStridedSlice, nfields: 6, fill: func(b *flatbuffers.Builder) {
			b.PrependInt32Slot(0, begin, 0)
			b.PrependInt32Slot(1, end, 0)
			b.PrependInt32Slot(2, ellipsis, 0)
			b.PrependInt32Slot(3, newAxis, 0)
			b.PrependInt32Slot(4, shrink, 0)
			b.PrependBoolSlot(5, offset, false)
		}}
	}
	vec := func(v ...int32) tmTensor { return constI32([]int32{int32(len(v))}, v...) }
	add("strided_slice_float32_masks", oneOp(codeStridedSlice, slice(1, 2, 0, 0, 0, false),
		[]tmTensor{f32(3, 4), vec(2, 1), vec(3, 3), vec(1, 1), f32(3, 3)}, []int32{0, 1, 2, 3}, []int32{4}), floatPattern(12))
	add("strided_slice_int8_negative_stride", oneOp(codeStridedSlice, nil,
		[]tmTensor{t8(2, 6), vec(0, -1), vec(2, 0), vec(1, -2), t8(2, 3)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int16_shrink", oneOp(codeStridedSlice, slice(0, 0, 0, 0, 1, false),
		[]tmTensor{t16(3, 4), vec(1, 0), vec(2, 4), vec(1, 2), t16(2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int32_3d", oneOp(codeStridedSlice, nil,
		[]tmTensor{t32(2, 3, 4), vec(0, 1, 1), vec(2, 3, 4), vec(1, 1, 2), t32(2, 2, 2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_bool", oneOp(codeStridedSlice, nil,
		[]tmTensor{ofType(tflite.Bool, 5), vec(1), vec(5), vec(2), ofType(tflite.Bool, 2)}, []int32{0, 1, 2, 3}, []int32{4}), []byte{1, 0, 1, 1, 0})
	add("strided_slice_int8_offset_ignored", oneOp(codeStridedSlice, slice(0, 0, 0, 0, 0, true),
		[]tmTensor{t8(6), vec(1), vec(3), vec(1), t8(2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int8_new_axis_ignored", oneOp(codeStridedSlice, slice(0, 0, 1, 2, 0, false),
		[]tmTensor{t8(2, 3), vec(0, 1), vec(2, 3), vec(1, 1), t8(2, 2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int8_short_begin", oneOp(codeStridedSlice, nil,
		[]tmTensor{t8(2, 3), vec(1), vec(2), vec(1), t8(1, 3)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int8_ellipsis", oneOp(codeStridedSlice, slice(0, 0, 1, 0, 0, false),
		[]tmTensor{t8(2, 3, 4), vec(0, 1), vec(0, 3), vec(1, 1), t8(2, 3, 2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int8_clamped_5d", oneOp(codeStridedSlice, nil,
		[]tmTensor{t8(1, 2, 1, 3, 2), vec(0, -5, 0, 1, 0), vec(1, 5, 1, 9, 2), vec(1, 1, 1, 1, 1), t8(1, 2, 1, 2, 2)}, []int32{0, 1, 2, 3}, []int32{4}))

	// TRANSPOSE_CONV.
	outShape := func(v ...int32) tmTensor { return constI32([]int32{4}, v...) }
	add("transpose_conv_int8_per_channel_same_stride2", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingSame, 2, 2, 0),
		[]tmTensor{outShape(1, 4, 4, 2), pcw([]int32{2, 3, 3, 3}, 0.02, 0.04), t8(1, 2, 2, 3), bias32(100, -100), q8([]int32{1, 4, 4, 2}, 0.5, 2)},
		[]int32{0, 1, 2, 3}, []int32{4}))
	add("transpose_conv_int8_valid_relu", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 1, 2, relu),
		[]tmTensor{outShape(1, 5, 4, 1), w8([]int32{1, 3, 2, 2}, 0.05), t8(1, 2, 3, 2), q8([]int32{1, 5, 4, 1}, 0.5, -4)},
		[]int32{0, 1, 2, -1}, []int32{3}))
	add("transpose_conv_float32_valid_stride2_bias", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 2, 2, 0),
		[]tmTensor{outShape(1, 5, 5, 2), wf(2, 3, 3, 1), f32(1, 2, 2, 1), biasF(0.5, -0.25), f32(1, 5, 5, 2)},
		[]int32{0, 1, 2, 3}, []int32{4}), floatPattern(4))
	add("transpose_conv_float32_same_relu6", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingSame, 2, 1, relu6),
		[]tmTensor{outShape(1, 3, 4, 1), wf(1, 2, 2, 2), f32(1, 3, 2, 2), f32(1, 3, 4, 1)},
		[]int32{0, 1, 2, -1}, []int32{3}), floatPattern(12))
	add("transpose_conv_int16x8_int64_bias", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingSame, 2, 2, 0),
		[]tmTensor{outShape(1, 4, 4, 2), pcw([]int32{2, 2, 2, 1}, 0.02, 0.04), q16([]int32{1, 2, 2, 1}, 0.01, 0), bias64(1000, -1000), q16([]int32{1, 4, 4, 2}, 0.001, 0)},
		[]int32{0, 1, 2, 3}, []int32{4}))
	add("transpose_conv_int16x8_no_bias", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 1, 1, 0),
		[]tmTensor{outShape(1, 3, 3, 1), w8([]int32{1, 2, 2, 1}, 0.02), q16([]int32{1, 2, 2, 1}, 0.01, 0), q16([]int32{1, 3, 3, 1}, 0.001, 0)},
		[]int32{0, 1, 2, -1}, []int32{3}))

	// Five-dimensional broadcasting: TFLM's ADD and MUL broadcast 4-D at
	// most, SUB, DIV and MAXIMUM/MINIMUM five.
	for _, op := range []struct {
		name string
		code int32
	}{{"add", codeAdd}, {"sub", codeSub}, {"mul", codeMul}, {"div", codeDiv}, {"maximum", codeMaximum}, {"minimum", codeMinimum}} {
		add(op.name+"_float32_5d_broadcast", oneOp(op.code, nil, []tmTensor{f32(2, 1, 2, 1, 3), f32(1, 2, 1, 2, 1), f32(2, 2, 2, 2, 3)},
			[]int32{0, 1}, []int32{2}), floatPattern(12), floats(0.5, -2, 4, 1))
		add(op.name+"_int8_5d_broadcast", oneOp(op.code, nil, []tmTensor{q8([]int32{2, 1, 2, 1, 3}, 0.1, 2), q8([]int32{1, 2, 1, 2, 1}, 0.1, 2), q8([]int32{2, 2, 2, 2, 3}, 0.2, -3)},
			[]int32{0, 1}, []int32{2}), nil, i8s(10, -20, 30, 40))
		add(op.name+"_float32_5d_same_shape", oneOp(op.code, nil, []tmTensor{f32(1, 2, 1, 2, 2), f32(1, 2, 1, 2, 2), f32(1, 2, 1, 2, 2)},
			[]int32{0, 1}, []int32{2}), floatPattern(8), floats(1, 2, -3, 4, 0.5, -0.25, 8, 1))
	}

	// TFLM's int8 DIV asserts its final shift is at most 31 bits, which
	// a small numerator over a large divisor exceeds (the 5-D case above
	// has some; this one has none).
	add("div_int8_5d_broadcast_large_numerators", oneOp(codeDiv, nil, []tmTensor{q8([]int32{2, 1, 2, 1, 3}, 0.1, 2), q8([]int32{1, 2, 1, 2, 1}, 0.1, 2), q8([]int32{2, 2, 2, 2, 3}, 0.2, -3)},
		[]int32{0, 1}, []int32{2}), i8s(-128, -50, -20, 30, 40, 70, 20, 60, 100, 127, -40, -30), i8s(10, -20, 30, 40))
	add("div_int8_zero_numerator", oneOp(codeDiv, nil, []tmTensor{q8([]int32{2}, 0.1, 2), q8([]int32{2}, 0.1, 2), q8([]int32{2}, 0.2, -3)},
		[]int32{0, 1}, []int32{2}), i8s(2, 5), i8s(10, 10))
	add("div_int8_zero_divisor", oneOp(codeDiv, nil, []tmTensor{q8([]int32{2}, 0.1, 2), q8([]int32{2}, 0.1, 2), q8([]int32{2}, 0.2, -3)},
		[]int32{0, 1}, []int32{2}), i8s(7, 5), i8s(10, 2))

	// Grouped convolutions (the filter's depth divides the input's).
	add("conv_int8_grouped", oneOp(codeConv2D, coverConvOptions(paddingSame, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 3, 3, 4), pcw([]int32{4, 2, 2, 2}, 0.01, 0.02, 0.03, 0.04), bias32(1, 2, 3, 4), q8([]int32{1, 3, 3, 4}, 0.5, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("conv_float32_grouped", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{f32(1, 2, 2, 4), wf(2, 1, 1, 2), f32(1, 2, 2, 2)}, []int32{0, 1, -1}, []int32{2}), floatPattern(16))
	add("conv_int8_filter_zero_point", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 1), tmTensor{typ: tflite.Int8, shape: []int32{1, 1, 1, 1}, data: i8s(3), scale: []float32{0.5}, zero: []int64{2}}, q8([]int32{1, 2, 2, 1}, 0.5, 0)},
		[]int32{0, 1, -1}, []int32{2}))
	add("fc_int8_filter_zero_point", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(1, 2), tmTensor{typ: tflite.Int8, shape: []int32{1, 2}, data: i8s(3, -4), scale: []float32{0.5}, zero: []int64{2}}, q8([]int32{1, 1}, 0.5, 0)},
		[]int32{0, 1, -1}, []int32{2}))
	add("fc_float32_4d_input", oneOp(codeFullyConnected, coverFCOptions(relu, false),
		[]tmTensor{f32(2, 1, 2, 3), wf(2, 3), biasF(0.5, -0.5), f32(4, 2)}, []int32{0, 1, 2}, []int32{3}), floatPattern(12))
	add("fc_int8_per_channel_keep_num_dims", oneOp(codeFullyConnected, coverFCOptions(0, true),
		[]tmTensor{t8(2, 1, 3), pcw([]int32{2, 3}, 0.01, 0.03), q8([]int32{2, 1, 2}, 0.1, 0)}, []int32{0, 1, -1}, []int32{2}))

	// More element types.
	for _, p := range []struct {
		name    string
		in, out tflite.TensorType
		input   []byte
	}{
		{"int16_int8", tflite.Int16, tflite.Int8, i16s(300, -129, 127, -1)},
		{"bool_int8", tflite.Bool, tflite.Int8, []byte{1, 0, 0, 1}},
		{"int8_int32", tflite.Int8, tflite.Int32, i8s(-128, -1, 0, 127)},
		{"uint32_int32", tflite.Uint32, tflite.Int32, i32s(-1, 0, 5, 1<<31-1)},
		{"float32_uint32", tflite.Float32, tflite.Uint32, floats(3e9, 0.5, 7.9, 16777216)},
		{"float32_float32", tflite.Float32, tflite.Float32, floats(-1.5, 0, 2, 1e30)},
		{"int8_bool", tflite.Int8, tflite.Bool, i8s(0, 1, -1, 2)},
		{"uint8_int32", tflite.Uint8, tflite.Int32, []byte{0, 1, 200, 255}},
	} {
		add("cast_"+p.name, oneOp(codeCast, nil, []tmTensor{ofType(p.in, 2, 2), ofType(p.out, 2, 2)}, []int32{0}, []int32{1}), p.input)
	}
	add("pad_v2_int32", oneOp(codePadV2, nil, []tmTensor{t32(2, 2), paddings, constI32(nil, -5), t32(3, 5)}, []int32{0, 1, 2}, []int32{3}))
	add("pad_int64", oneOp(codePad, nil, []tmTensor{i64t(2), constI32([]int32{1, 2}, 1, 1), i64t(4)}, []int32{0, 1}, []int32{2}))
	add("expand_dims_int16_negative_axis", oneOp(codeExpandDims, nil, []tmTensor{t16(2, 3), constI32([]int32{1}, -2), t16(2, 1, 3)}, []int32{0, 1}, []int32{2}))
	add("squeeze_bool", oneOp(codeSqueeze, nil, []tmTensor{ofType(tflite.Bool, 1, 3), ofType(tflite.Bool, 3)}, []int32{0}, []int32{1}), []byte{1, 0, 1})
	add("squeeze_int64", oneOp(codeSqueeze, nil, []tmTensor{i64t(2, 1), i64t(2)}, []int32{0}, []int32{1}))
	add("reshape_int16", oneOp(codeReshape, nil, []tmTensor{t16(2, 3), constI32([]int32{3}, 3, 1, -1), t16(3, 1, 2)}, []int32{0, 1}, []int32{2}))
	add("quantize_int8_uint8", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{8}, 0.1, 3), tmTensor{typ: tflite.Uint8, shape: []int32{8}, scale: []float32{0.1}, zero: []int64{131}}},
		[]int32{0}, []int32{1}))
	add("quantize_uint8_int8", oneOp(codeQuantize, nil, []tmTensor{tmTensor{typ: tflite.Uint8, shape: []int32{8}, scale: []float32{0.05}, zero: []int64{128}}, q8([]int32{8}, 0.1, 3)},
		[]int32{0}, []int32{1}))
	add("quantize_float32_int8_per_channel", oneOp(codeQuantize, nil,
		[]tmTensor{f32(2, 2), tmTensor{typ: tflite.Int8, shape: []int32{2, 2}, scale: []float32{0.1, 0.2}, zero: []int64{0, 0}}}, []int32{0}, []int32{1}), floatPattern(4))
	add("average_pool_int16_same_relu6", oneOp(codeAveragePool2D, coverPoolOptions(paddingSame, 2, 2, 3, 3, relu6),
		[]tmTensor{q16([]int32{1, 3, 3, 2}, 0.01, 0), q16([]int32{1, 2, 2, 2}, 0.01, 0)}, []int32{0}, []int32{1}))
	add("average_pool_float32_filter_beyond_input", oneOp(codeAveragePool2D, coverPoolOptions(paddingSame, 1, 1, 5, 4, 0),
		[]tmTensor{f32(1, 2, 3, 1), f32(1, 2, 3, 1)}, []int32{0}, []int32{1}), floatPattern(6))
	add("max_pool_int8_filter_beyond_input_valid", oneOp(codeMaxPool2D, coverPoolOptions(paddingValid, 1, 1, 3, 3, 0),
		[]tmTensor{t8(1, 2, 2, 1), t8(1, 0, 0, 1)}, []int32{0}, []int32{1}))

	// Zero points where TFLM's int16 kernels want none, or take any.
	add("mul_int16_zero_points", oneOp(codeMul, nil,
		[]tmTensor{q16([]int32{4}, 0.5, 3), q16([]int32{4}, 0.5, -2), q16([]int32{4}, 0.25, 1)}, []int32{0, 1}, []int32{2}),
		i16s(-3, 100, 200, 7), i16s(7, -2, 200, 9))
	add("add_int16_zero_points", oneOp(codeAdd, nil,
		[]tmTensor{q16([]int32{4}, 0.5, 3), q16([]int32{4}, 0.5, -2), q16([]int32{4}, 0.25, 1)}, []int32{0, 1}, []int32{2}),
		i16s(-3, 100, 200, 7), i16s(7, -2, 200, 9))
	add("quantize_int16_int16_zero_points", oneOp(codeQuantize, nil, []tmTensor{q16([]int32{4}, 0.001, 5), q16([]int32{4}, 0.0007, -3)}, []int32{0}, []int32{1}),
		i16s(-32768, 0, 5, 32767))
	add("dequantize_int16_zero_point", oneOp(codeDequantize, nil, []tmTensor{q16([]int32{4}, 0.001, 7), f32(4)}, []int32{0}, []int32{1}),
		i16s(-32768, 0, 7, 32767))
	add("logistic_int16_zero_point", oneOp(codeLogistic, nil, []tmTensor{q16([]int32{4}, 1.0/4096, 3), q16([]int32{4}, 1.0/32768, 0)}, []int32{0}, []int32{1}))
	add("tanh_int16_zero_point", oneOp(codeTanh, nil, []tmTensor{q16([]int32{4}, 1.0/4096, 0), q16([]int32{4}, 1.0/32768, 5)}, []int32{0}, []int32{1}))
	add("leaky_relu_int16_negative_alpha", oneOp(codeLeakyRelu, leaky(-0.5), []tmTensor{q16([]int32{6}, 0.01, 0), q16([]int32{6}, 0.01, 0)}, []int32{0}, []int32{1}),
		i16s(-32768, -100, -1, 0, 1, 32767))
	add("softmax_float32_beta_zero", softmaxModel(f32(2, 3), f32(2, 3), 0), floatPattern(6))
	add("softmax_int8_long_rows", softmaxModel(q8([]int32{2, 300}, 0.05, -3), q8([]int32{2, 300}, 1.0/256, -128), 1))
	eleven := make([]tmTensor, 12)
	elevenIn := make([]int32, 11)
	for i := range 11 {
		eleven[i], elevenIn[i] = t8(1), int32(i)
	}
	eleven[11] = t8(11)
	add("concatenation_eleven_inputs", oneOp(codeConcatenation, concat(0, 0), eleven, elevenIn, []int32{11}))
	ten := append(slices.Clone(eleven[:10]), t8(10))
	add("concatenation_ten_inputs", oneOp(codeConcatenation, concat(0, 0), ten, elevenIn[:10], []int32{10}))
	add("concatenation_int8_5d", oneOp(codeConcatenation, concat(3, 0), []tmTensor{t8(1, 2, 1, 2, 2), t8(1, 2, 1, 1, 2), t8(1, 2, 1, 3, 2)},
		[]int32{0, 1}, []int32{2}))
	add("strided_slice_float32_negative_stride_masks", oneOp(codeStridedSlice, slice(1, 2, 0, 0, 0, false),
		[]tmTensor{f32(3, 4), vec(1, -1), vec(-5, 0), vec(-1, -1), f32(2, 4)}, []int32{0, 1, 2, 3}, []int32{4}), floatPattern(12))
	add("strided_slice_int8_shrink_negative_index", oneOp(codeStridedSlice, slice(0, 0, 0, 0, 2, false),
		[]tmTensor{t8(2, 5, 2), vec(0, -1, 0), vec(2, 0, 2), vec(1, 1, 1), t8(2, 2)}, []int32{0, 1, 2, 3}, []int32{4}))
	add("strided_slice_int8_4d_stride3", oneOp(codeStridedSlice, nil,
		[]tmTensor{t8(1, 7, 2, 3), vec(0, 1, 0, 0), vec(1, 7, 2, 3), vec(1, 3, 1, 2), t8(1, 2, 2, 2)}, []int32{0, 1, 2, 3}, []int32{4}))

	quantizedI32 := func(shape ...int32) tmTensor {
		return tmTensor{typ: tflite.Int32, shape: shape, scale: []float32{0.5}, zero: []int64{0}}
	}
	add("mul_int32_quantized", oneOp(codeMul, nil, []tmTensor{quantizedI32(3), quantizedI32(3), quantizedI32(3)}, []int32{0, 1}, []int32{2}),
		i32s(3, -4, 5), i32s(6, 7, -8))
	add("div_int32_quantized", oneOp(codeDiv, nil, []tmTensor{quantizedI32(3), quantizedI32(3), quantizedI32(3)}, []int32{0, 1}, []int32{2}),
		i32s(30, -40, 5), i32s(6, 7, -8))
	add("add_int32_quantized", oneOp(codeAdd, nil, []tmTensor{quantizedI32(3), quantizedI32(3), quantizedI32(3)}, []int32{0, 1}, []int32{2}),
		i32s(30, -40, 5), i32s(6, 7, -8))
	add("sub_int32_quantized", oneOp(codeSub, nil, []tmTensor{quantizedI32(3), quantizedI32(3), quantizedI32(3)}, []int32{0, 1}, []int32{2}),
		i32s(30, -40, 5), i32s(6, 7, -8))

	reluN1 := byte(actReluN1To1)
	add("conv_int8_relu_n1_to_1", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, reluN1, 1, 1),
		[]tmTensor{t8(1, 2, 2, 2), w8([]int32{2, 1, 1, 2}, 0.01), q8([]int32{1, 2, 2, 2}, 0.01, 5)}, []int32{0, 1, -1}, []int32{2}))
	add("add_float32_relu_n1_to_1", oneOp(codeAdd, coverActOptions(optionsAdd, 2, reluN1), []tmTensor{f32(6), f32(6), f32(6)}, []int32{0, 1}, []int32{2}),
		floats(-7, 1, 0.5, 0.25, -0.5, 100), floats(1, 1.5, 0.25, -4, 0.25, 1))
	// A -0 result keeps its sign through a fused RELU, as C++'s std::max
	// keeps its first argument on a tie (Go's max orders -0 below +0).
	add("add_float32_relu_negative_zero", oneOp(codeAdd, coverActOptions(optionsAdd, 2, relu), []tmTensor{f32(4), f32(4), f32(4)}, []int32{0, 1}, []int32{2}),
		floats(negZero, negZero, 0, -1), floats(negZero, 0, negZero, 1))
	add("max_pool_float32_relu_negative_zero", oneOp(codeMaxPool2D, coverPoolOptions(paddingValid, 1, 1, 2, 2, relu),
		[]tmTensor{f32(1, 2, 2, 1), f32(1, 1, 1, 1)}, []int32{0}, []int32{1}), floats(negZero, -3, negZero, -1))
	// MAX_POOL_2D takes its maximum with std::max: of -0 and +0 the first
	// stays, and a NaN is skipped.
	add("max_pool_float32_nan_zeros", oneOp(codeMaxPool2D, coverPoolOptions(paddingValid, 1, 2, 1, 2, 0),
		[]tmTensor{f32(1, 4, 1, 2), f32(1, 2, 1, 2)}, []int32{0}, []int32{1}),
		floats(negZero, float32(math.NaN()), 0, -1, float32(math.NaN()), 0, -2, negZero))
	add("average_pool_float32_relu_n1_to_1", oneOp(codeAveragePool2D, coverPoolOptions(paddingValid, 1, 1, 2, 2, reluN1),
		[]tmTensor{f32(1, 3, 3, 1), f32(1, 2, 2, 1)}, []int32{0}, []int32{1}), floatPattern(9))
	add("fc_int8_relu_n1_to_1", oneOp(codeFullyConnected, coverFCOptions(reluN1, false),
		[]tmTensor{t8(1, 4), w8([]int32{3, 4}, 0.01), q8([]int32{1, 3}, 0.02, 0)}, []int32{0, 1, -1}, []int32{2}))
	int4DW := int4Weights([]int32{1, 1, 1, 2}, []byte{0x7A}, 0.1, 0.2)
	int4DW.quantDim = 3
	add("depthwise_int8_int4_filter", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 2), int4DW, bias32(3, -3), q8([]int32{1, 2, 2, 2}, 0.5, 0)},
		[]int32{0, 1, 2}, []int32{3}))
	add("transpose_conv_int16x8_int16_bias", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 2, 1, 0),
		[]tmTensor{outShape(1, 3, 5, 1), w8([]int32{1, 1, 3, 2}, 0.05), q16([]int32{1, 3, 2, 2}, 0.01, 0), constTensor(tflite.Int16, []int32{1}, i16s(-300), 0), q16([]int32{1, 3, 5, 1}, 0.002, 0)},
		[]int32{0, 1, 2, 3}, []int32{4}))
	add("logistic_int8_other_output_zero_point", oneOp(codeLogistic, nil, []tmTensor{q8([]int32{8}, 0.1, 0), q8([]int32{8}, 1.0/256, 0)}, []int32{0}, []int32{1}))
	add("logistic_int8_other_output_scale", oneOp(codeLogistic, nil, []tmTensor{q8([]int32{8}, 0.1, 0), q8([]int32{8}, 1.0/128, -128)}, []int32{0}, []int32{1}))
	add("tanh_int8_other_output_scale", oneOp(codeTanh, nil, []tmTensor{q8([]int32{8}, 0.1, 0), q8([]int32{8}, 1.0/256, -128)}, []int32{0}, []int32{1}))
	add("logistic_int16_other_output_scale", oneOp(codeLogistic, nil, []tmTensor{q16([]int32{8}, 1.0/4096, 0), q16([]int32{8}, 1.0/16384, 0)}, []int32{0}, []int32{1}))

	// Prepare checks on quantisation.
	add("average_pool_int8_output_requantised", oneOp(codeAveragePool2D, coverPoolOptions(paddingValid, 1, 1, 2, 2, 0),
		[]tmTensor{q8([]int32{1, 2, 2, 1}, 0.5, 0), q8([]int32{1, 1, 1, 1}, 0.25, 0)}, []int32{0}, []int32{1}))
	add("max_pool_int16_output_zero_point", oneOp(codeMaxPool2D, coverPoolOptions(paddingValid, 1, 1, 2, 2, 0),
		[]tmTensor{q16([]int32{1, 2, 2, 1}, 0.5, 0), q16([]int32{1, 1, 1, 1}, 0.5, 3)}, []int32{0}, []int32{1}))
	add("relu_int16_zero_point", oneOp(codeRelu, nil, []tmTensor{q16([]int32{4}, 0.5, 2), q16([]int32{4}, 0.5, 2)}, []int32{0}, []int32{1}))
	add("relu6_int8_six_out_of_range", oneOp(codeRelu6, nil, []tmTensor{q8([]int32{4}, 0.01, 0), q8([]int32{4}, 0.01, 0)}, []int32{0}, []int32{1}))
	add("relu6_int16_zero_point", oneOp(codeRelu6, nil, []tmTensor{q16([]int32{4}, 0.01, 5), q16([]int32{4}, 0.02, 0)}, []int32{0}, []int32{1}),
		i16s(-5, 300, 700, 32767))

	// Per-channel scales with one zero point: DEPTHWISE_CONV_2D and
	// TRANSPOSE_CONV want as many zero points as scales, CONV_2D does not.
	oneZero := func(t tmTensor) tmTensor {
		t.zero = t.zero[:1]
		return t
	}
	add("conv_int8_per_channel_one_zero_point", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 1), oneZero(pcw([]int32{2, 1, 1, 1}, 0.1, 0.2)), q8([]int32{1, 2, 2, 2}, 0.5, 0)}, []int32{0, 1, -1}, []int32{2}))
	add("depthwise_int8_per_channel_one_zero_point", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 2), oneZero(dw([]int32{1, 1, 1, 2}, 0.1, 0.2)), bias32(0, 0), q8([]int32{1, 2, 2, 2}, 0.5, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("transpose_conv_int8_per_channel_one_zero_point", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 1, 1, 0),
		[]tmTensor{outShape(1, 2, 2, 2), oneZero(pcw([]int32{2, 1, 1, 1}, 0.1, 0.2)), t8(1, 2, 2, 1), q8([]int32{1, 2, 2, 2}, 0.5, 0)},
		[]int32{0, 1, 2, -1}, []int32{3}))

	// Types of the newer operators their own cases leave out.
	add("zeros_like_int32", oneOp(93, nil, []tmTensor{t32(3), t32(3)}, []int32{0}, []int32{1}))
	add("zeros_like_int8", oneOp(93, nil, []tmTensor{t8(2, 2), t8(2, 2)}, []int32{0}, []int32{1}))
	add("split_v_int16", oneOp(codeSplitV, int32Options(optionsSplitV, 2),
		[]tmTensor{t16(2, 5), constI32([]int32{2}, 2, 3), constI32([]int32{1}, 1), t16(2, 2), t16(2, 3)}, []int32{0, 1, 2}, []int32{3, 4}))
	add("split_v_int32", oneOp(codeSplitV, int32Options(optionsSplitV, 2),
		[]tmTensor{t32(4), constI32([]int32{2}, 1, 3), constI32([]int32{1}, 0), t32(1), t32(3)}, []int32{0, 1, 2}, []int32{3, 4}))
	add("gather_nd_int32", oneOp(codeGatherNd, nil, []tmTensor{t32(3, 2), constI32([]int32{2, 1}, 2, 0), t32(2, 2)}, []int32{0, 1}, []int32{2}))
	add("gather_int32", oneOp(codeGather, int32Options(optionsGather, 0), []tmTensor{t32(4), constI32([]int32{2}, 3, 1), t32(2)}, []int32{0, 1}, []int32{2}))
	add("mirror_pad_int32", oneOp(100, &opOptions{typ: 77, nfields: 1, fill: func(b *flatbuffers.Builder) { b.PrependInt8Slot(0, 1, 0) }},
		[]tmTensor{t32(3), constI32([]int32{1, 2}, 2, 1), t32(6)}, []int32{0, 1}, []int32{2}))
	add("mirror_pad_int64", oneOp(100, nil, []tmTensor{i64t(2, 2), constI32([]int32{2, 2}, 1, 0, 0, 1), i64t(3, 3)}, []int32{0, 1}, []int32{2}))
	add("fill_int64", oneOp(94, nil, []tmTensor{constI32([]int32{2}, 2, 2), i64t(), i64t(2, 2)}, []int32{0, 1}, []int32{2}), i64s(-1<<40))
	add("broadcast_to_int16", oneOp(130, nil, []tmTensor{t16(1, 3), constI32([]int32{2}, 2, 3), t16(2, 3)}, []int32{0, 1}, []int32{2}))
	add("broadcast_to_bool", oneOp(130, nil, []tmTensor{ofType(tflite.Bool, 2, 1), constI32([]int32{2}, 2, 2), ofType(tflite.Bool, 2, 2)}, []int32{0, 1}, []int32{2}),
		[]byte{1, 0})
	add("broadcast_to_int32", oneOp(130, nil, []tmTensor{t32(1), constI32([]int32{1}, 3), t32(3)}, []int32{0, 1}, []int32{2}))
	add("depth_to_space_int16", oneOp(5, int32Options(94, 2), []tmTensor{t16(1, 1, 1, 4), t16(1, 2, 2, 1)}, []int32{0}, []int32{1}))
	add("cumsum_int32", oneOp(128, nil, []tmTensor{t32(4), constI32(nil, 0), t32(4)}, []int32{0, 1}, []int32{2}))
	add("batch_to_space_nd_int16", oneOp(37, nil, []tmTensor{t16(4, 1, 1, 1), constI32([]int32{2}, 2, 2), constI32([]int32{2, 2}, 0, 0, 0, 0), t16(1, 2, 2, 1)},
		[]int32{0, 1, 2}, []int32{3}))

	// The depth multiplier option against the channel counts.
	add("depthwise_multiplier_option_mismatch", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 1), w8([]int32{1, 1, 1, 2}, 0.1), bias32(0, 0), q8([]int32{1, 2, 2, 2}, 0.5, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("depthwise_multiplier_option_unset", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 1, 1, 0, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 2), w8([]int32{1, 1, 1, 2}, 0.1), bias32(0, 0), q8([]int32{1, 2, 2, 2}, 0.5, 0)}, []int32{0, 1, 2}, []int32{3}))
	add("transpose_conv_float32_output_beyond", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingValid, 2, 2, 0),
		[]tmTensor{outShape(1, 6, 6, 1), wf(1, 3, 3, 1), f32(1, 2, 2, 1), f32(1, 6, 6, 1)}, []int32{0, 1, 2, -1}, []int32{3}), floatPattern(4))
	add("transpose_conv_int8_same_stride3", oneOp(codeTransposeConv, coverTransposeConvOptions(paddingSame, 3, 3, 0),
		[]tmTensor{outShape(1, 6, 5, 1), w8([]int32{1, 2, 2, 1}, 0.1), t8(1, 2, 2, 1), q8([]int32{1, 6, 5, 1}, 0.5, 0)}, []int32{0, 1, 2, -1}, []int32{3}))
	add("softmax_int8_int16_bad_zero_point", softmaxModel(q8([]int32{1, 4}, 0.1, 0), q16([]int32{1, 4}, 1.0/65536, 0), 1))

	// Per-channel activations where kernels read one scale.
	perChannelAct := tmTensor{typ: tflite.Int8, shape: []int32{2, 2}, scale: []float32{0.1, 0.2}, zero: []int64{1, -1}}
	add("dequantize_int8_per_channel", oneOp(codeDequantize, nil, []tmTensor{perChannelAct, f32(2, 2)}, []int32{0}, []int32{1}), i8s(10, 20, 30, 40))
	add("quantize_int8_per_channel_input", oneOp(codeQuantize, nil, []tmTensor{perChannelAct, q8([]int32{2, 2}, 0.3, 0)}, []int32{0}, []int32{1}), i8s(10, 20, 30, 40))

	// Windows larger than the input, strides beyond the window.
	add("conv_int8_filter_beyond_input_same", oneOp(codeConv2D, coverConvOptions(paddingSame, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 2, 2, 1), w8([]int32{1, 5, 5, 1}, 0.05), q8([]int32{1, 2, 2, 1}, 0.5, 0)}, []int32{0, 1, -1}, []int32{2}))
	add("depthwise_float32_stride_beyond_filter", oneOp(codeDepthwiseConv2D, coverDepthwiseOptions(paddingValid, 3, 3, 1, 0, 1, 1),
		[]tmTensor{f32(1, 7, 7, 1), wf(1, 2, 2, 1), biasF(0.5), f32(1, 2, 2, 1)}, []int32{0, 1, 2}, []int32{3}), floatPattern(49))
	add("max_pool_float32_stride_beyond_filter", oneOp(codeMaxPool2D, coverPoolOptions(paddingSame, 3, 2, 2, 1, 0),
		[]tmTensor{f32(1, 5, 7, 1), f32(1, 3, 3, 1)}, []int32{0}, []int32{1}), floatPattern(35))
	add("conv_float32_dilation_same_large", oneOp(codeConv2D, coverConvOptions(paddingSame, 1, 1, 0, 3, 3),
		[]tmTensor{f32(1, 4, 4, 1), wf(1, 3, 3, 1), f32(1, 4, 4, 1)}, []int32{0, 1, -1}, []int32{2}), floatPattern(16))

	add("sub_int16_zero_points", oneOp(codeSub, nil,
		[]tmTensor{q16([]int32{4}, 0.5, 3), q16([]int32{4}, 0.5, -2), q16([]int32{4}, 0.25, 1)}, []int32{0, 1}, []int32{2}),
		i16s(-3, 100, 200, 7), i16s(7, -2, 200, 9))
	add("sub_int16_zero_points_broadcast", oneOp(codeSub, nil,
		[]tmTensor{q16([]int32{2, 2}, 0.5, 3), q16([]int32{2, 1}, 0.5, -2), q16([]int32{2, 2}, 0.25, 1)}, []int32{0, 1}, []int32{2}),
		i16s(-3, 100, 200, 7), i16s(7, -2))
	add("sub_int16_zero_points_extended_same", oneOp(codeSub, nil,
		[]tmTensor{q16([]int32{1, 2}, 0.5, 3), q16([]int32{2}, 0.5, 0), q16([]int32{1, 2}, 0.25, 0)}, []int32{0, 1}, []int32{2}),
		i16s(-3, 100), i16s(7, -2))
	add("leaky_relu_int8_alpha_zero", oneOp(codeLeakyRelu, leaky(0), []tmTensor{q8([]int32{8}, 0.1, 3), q8([]int32{8}, 0.1, 3)}, []int32{0}, []int32{1}))
	add("leaky_relu_float32_alpha_one", oneOp(codeLeakyRelu, leaky(1), []tmTensor{f32(4), f32(4)}, []int32{0}, []int32{1}), floats(-2, -0.5, 0, 3))
	add("quantize_float32_int8_ties", oneOp(codeQuantize, nil, []tmTensor{f32(8), q8([]int32{8}, 0.5, 0)}, []int32{0}, []int32{1}),
		floats(0.25, 0.75, -0.25, -0.75, 1.25, -1.25, 63.75, -64.25))
	add("quantize_float32_int16_ties", oneOp(codeQuantize, nil, []tmTensor{f32(6), q16([]int32{6}, 0.5, 0)}, []int32{0}, []int32{1}),
		floats(0.25, 0.75, -0.25, -0.75, 16383.75, -16384.25))
	add("softmax_int8_one_column", softmaxModel(q8([]int32{4, 1}, 0.1, 0), q8([]int32{4, 1}, 1.0/256, -128), 1))
	add("softmax_float32_one_column", softmaxModel(f32(3, 1), f32(3, 1), 1), floats(-100, 0, 5))
	add("add_int8_scalar", oneOp(codeAdd, nil, []tmTensor{q8([]int32{2, 3}, 0.1, 1), q8(nil, 0.2, -3), q8([]int32{2, 3}, 0.15, 0)}, []int32{0, 1}, []int32{2}))
	add("mul_float32_scalar_first", oneOp(codeMul, nil, []tmTensor{f32(), f32(4), f32(4)}, []int32{0, 1}, []int32{2}), floats(-1.5), floatPattern(4))
	add("sub_int16_scalar", oneOp(codeSub, nil, []tmTensor{q16([]int32{3}, 0.01, 0), q16(nil, 0.01, 0), q16([]int32{3}, 0.02, 0)}, []int32{0, 1}, []int32{2}))
	add("maximum_int8_scalar", oneOp(codeMaximum, nil, []tmTensor{t8(4), t8(), t8(4)}, []int32{0, 1}, []int32{2}), nil, i8s(20))
	add("div_float32_scalar", oneOp(codeDiv, nil, []tmTensor{f32(3), f32(), f32(3)}, []int32{0, 1}, []int32{2}), floats(1, -2, 3), floats(0.5))

	add("cast_int8_quantized_float32", oneOp(codeCast, nil, []tmTensor{q8([]int32{4}, 0.5, 3), f32(4)}, []int32{0}, []int32{1}), i8s(-128, 3, 4, 127))
	add("cast_float32_int16_quantized", oneOp(codeCast, nil, []tmTensor{f32(3), q16([]int32{3}, 0.01, 0)}, []int32{0}, []int32{1}), floats(-2.5, 1.5, 300))

	// Multipliers QuantizeMultiplier flushes to zero or caps.
	add("conv_int8_tiny_multiplier", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 1, 1, 2), w8([]int32{1, 1, 1, 2}, 0.001), q8([]int32{1, 1, 1, 1}, 1e9, 7)}, []int32{0, 1, -1}, []int32{2}))
	// Multipliers of 2^40: TFLM's MultiplyByQuantizedMultiplier computes
	// 1 << 40 in an int, undefined behaviour (the host's x86 masks the
	// count to 8, a Cortex-M's shift gives 0), so its outputs are garbage
	// the runtime refuses; ADD's output multiplier must be below 1, or TFLM
	// aborts.
	overflow := func(name string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs, refuse: "overflows TFLM's shift"})
	}
	overflow("mul_int8_huge_multiplier", oneOp(codeMul, nil, []tmTensor{q8([]int32{4}, 1, 0), q8([]int32{4}, 1, 0), q8([]int32{4}, 1e-12, 0)},
		[]int32{0, 1}, []int32{2}), i8s(0, 1, -1, 2), i8s(0, 1, 1, 0))
	overflow("conv_int8_huge_multiplier", oneOp(codeConv2D, coverConvOptions(paddingValid, 1, 1, 0, 1, 1),
		[]tmTensor{t8(1, 1, 1, 2), w8([]int32{1, 1, 1, 2}, 1), q8([]int32{1, 1, 1, 1}, 1e-12, 0)}, []int32{0, 1, -1}, []int32{2}))
	overflow("quantize_int8_int8_huge_multiplier", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{4}, 1, 0), q8([]int32{4}, 1e-12, 0)}, []int32{0}, []int32{1}),
		i8s(0, 1, -1, 2))
	overflow("fc_int8_huge_multiplier", oneOp(codeFullyConnected, nil,
		[]tmTensor{t8(1, 2), w8([]int32{1, 2}, 1), q8([]int32{1, 1}, 1e-12, 0)}, []int32{0, 1, -1}, []int32{2}))
	add("sub_int16_output_multiplier_above_one", oneOp(codeSub, nil, []tmTensor{q16([]int32{2}, 1, 0), q16([]int32{2}, 1, 0), q16([]int32{2}, 1e-5, 0)},
		[]int32{0, 1}, []int32{2}))
	add("add_n_int8_output_multiplier_above_one", oneOp(106, nil, []tmTensor{q8([]int32{2}, 1, 0), q8([]int32{2}, 1, 0), q8([]int32{2}, 1e-7, 0)},
		[]int32{0, 1}, []int32{2}))
	add("cumsum_int8_output_multiplier_above_one", oneOp(128, nil, []tmTensor{q8([]int32{2}, 1, 0), constI32(nil, 0), q8([]int32{2}, 1e-7, 0)},
		[]int32{0, 1}, []int32{2}))
	add("squared_difference_int8_output_multiplier_above_one", oneOp(99, nil, []tmTensor{q8([]int32{2}, 1, 0), q8([]int32{2}, 1, 0), q8([]int32{2}, 1e-9, 0)},
		[]int32{0, 1}, []int32{2}))
	// The same multiplier in the other requantising kernels.
	huge := func(shape ...int32) tmTensor { return q8(shape, 1e-12, 0) }
	overflow("relu_int8_huge_multiplier", oneOp(codeRelu, nil, []tmTensor{q8([]int32{4}, 1, 0), huge(4)}, []int32{0}, []int32{1}), i8s(0, 1, -1, 2))
	overflow("leaky_relu_int8_huge_multiplier", oneOp(codeLeakyRelu, leaky(0.5), []tmTensor{q8([]int32{4}, 1, 0), huge(4)}, []int32{0}, []int32{1}), i8s(0, 1, -1, 2))
	overflow("prelu_int8_huge_multiplier", oneOp(codePRelu, nil, []tmTensor{q8([]int32{4}, 1, 0), constTensor(tflite.Int8, []int32{1}, i8s(64), 1.0/128), huge(4)},
		[]int32{0, 1}, []int32{2}), i8s(0, 1, -1, 2))
	overflow("mean_int8_huge_multiplier", oneOp(codeMean, nil, []tmTensor{q8([]int32{2, 2}, 1, 0), constI32([]int32{1}, 1), huge(2)}, []int32{0, 1}, []int32{2}),
		i8s(0, 1, -1, 2))
	overflow("sum_int8_huge_multiplier", oneOp(74, nil, []tmTensor{q8([]int32{2, 2}, 1, 0), constI32([]int32{1}, 1), huge(2)}, []int32{0, 1}, []int32{2}),
		i8s(0, 1, -1, 2))
	add("hard_swish_int8_huge_multiplier", oneOp(117, nil, []tmTensor{q8([]int32{4}, 1, 0), huge(4)}, []int32{0}, []int32{1}), i8s(0, 1, -1, 2))
	overflow("batch_matmul_int8_huge_multiplier", oneOp(126, boolOptions(101, 3, 0, false, true),
		[]tmTensor{q8([]int32{1, 2}, 1, 0), q8([]int32{1, 2}, 1, 0), huge(1, 1)}, []int32{0, 1}, []int32{2}), i8s(1, 0), i8s(1, 0))
	overflow("abs_int8_huge_multiplier", oneOp(101, nil, []tmTensor{q8([]int32{4}, 1, 0), huge(4)}, []int32{0}, []int32{1}), i8s(0, 1, -1, 2))
	overflow("squared_difference_int16_huge_multiplier", oneOp(99, nil, []tmTensor{q16([]int32{2}, 1, 0), q16([]int32{2}, 1, 0), q16([]int32{2}, 1e-12, 0)},
		[]int32{0, 1}, []int32{2}), i16s(0, 1), i16s(1, 1))
	add("add_int8_huge_multiplier", oneOp(codeAdd, nil, []tmTensor{q8([]int32{4}, 1, 0), q8([]int32{4}, 1, 0), q8([]int32{4}, 1e-12, 0)},
		[]int32{0, 1}, []int32{2}), i8s(0, 1, -1, 2), i8s(0, 1, 1, 0))
	add("quantize_int8_int8_tiny_multiplier", oneOp(codeQuantize, nil, []tmTensor{q8([]int32{4}, 1e-12, 0), q8([]int32{4}, 1, 5)}, []int32{0}, []int32{1}),
		i8s(-128, 0, 1, 127))

	// SVDF: the state carries from one invocation to the next.
	svdf := func(name string, tensors []tmTensor, rank int32, act byte, rounds ...[]byte) {
		op := tmOp{code: codeSVDF, inputs: []int32{0, 1, 2, 3, 4}, outputs: []int32{5}, optionsType: optionsSVDF, nfields: 3,
			options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, rank, 0); b.PrependByteSlot(1, act, 0) }}
		c := tflmCase{name: name, model: buildModel(tensors, []tmOp{op}, []int32{0}, []int32{5}), inputs: [][]byte{rounds[len(rounds)-1]}}
		for _, r := range rounds[:len(rounds)-1] {
			c.earlier = append(c.earlier, [][]byte{r})
		}
		cases = append(cases, c)
	}
	stateF := f32(2, 4*3)
	stateF.variable = true
	// TFLM releases the omitted bias's temporary and aborts.
	stateF1 := f32(1, 2*4)
	stateF1.variable = true
	noBias := tmOp{code: codeSVDF, inputs: []int32{0, 1, 2, -1, 3}, outputs: []int32{4}, optionsType: optionsSVDF, nfields: 3,
		options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0); b.PrependByteSlot(1, relu6, 0) }}
	cases = append(cases, tflmCase{name: "svdf_float32_omitted_bias",
		model:   buildModel([]tmTensor{f32(1, 3), wf(2, 3), wf(2, 4), stateF1, f32(1, 2)}, []tmOp{noBias}, []int32{0}, []int32{4}),
		inputs:  [][]byte{floats(0.5, -1, 2)},
		earlier: [][][]byte{{floats(1, 2, 3)}, {floats(-1, 0.25, 0)}}})
	svdf("svdf_float32_rank2_relu", []tmTensor{f32(2, 3), wf(4, 3), wf(4, 3), biasF(0.5, -0.5), stateF, f32(2, 2)}, 2, relu,
		floatPattern(6), floatPattern(12)[24:], floats(1, -1, 0.5, 2, 0, -3))
	state16 := q16([]int32{1, 4 * 3}, 1.0/1024, 0)
	state16.variable = true
	svdf("svdf_int8_rank2_int16_state", []tmTensor{q8([]int32{1, 3}, 0.5, 0), w8([]int32{4, 3}, 0.25),
		constTensor(tflite.Int16, []int32{4, 3}, i16s(1000, -2000, 3000, 400, -500, 600, 70, -80, 90, 1, 2, 3), 0.25),
		constTensor(tflite.Int32, []int32{2}, i32s(500, -500), 0.25/1024), state16, q8([]int32{1, 2}, 0.5, 0)}, 2, 0,
		i8s(10, -20, 30), i8s(127, -128, 5), i8s(-7, 8, 90))
	state8 := q8([]int32{2, 2 * 3}, 1.0/64, 0)
	state8.variable = true
	svdf("svdf_int8_int8_state_relu", []tmTensor{q8([]int32{2, 2}, 0.5, 0), w8([]int32{2, 2}, 0.25),
		constTensor(tflite.Int8, []int32{2, 3}, i8s(10, -20, 30, 40, -50, 60), 0.25),
		constTensor(tflite.Int32, []int32{2}, i32s(5, -5), 0.25/64), state8, q8([]int32{2, 2}, 0.5, 0)}, 1, relu,
		i8s(1, 2, 3, 4), i8s(-5, 6, -7, 8), i8s(9, -10, 11, -12), i8s(100, -100, 50, 0))

	return append(cases, lstmCases()...)
}

// lstmModel builds a UNIDIRECTIONAL_SEQUENCE_LSTM without peepholes,
// projection or layer norm, of activations of type kind (FLOAT32, or INT8
// or INT16 with INT8 weights), with input dimension inDim and state
// dimension stateDim; the input is [steps, batches, inDim] when timeMajor,
// else [batches, steps, inDim]. act is the cell's activation and clip the
// cell clip (0 for none).
func lstmModel(kind tflite.TensorType, timeMajor bool, steps, batches, inDim, stateDim int, act byte, clip float32) []byte {
	inScale, hiddenScale, wScale := float32(1.0/64), float32(1.0/128), float32(1.0/32)
	if kind == tflite.Int16 {
		// int16 input and hidden state over [-4, 4) and [-1, 1).
		inScale, hiddenScale = 1.0/8192, 1.0/32768
	}
	seed := 0
	weights := func(rows, cols int) tmTensor {
		data := make([]byte, rows*cols)
		for i := range data {
			data[i] = byte(int8((seed*29+i*37+11)%121 - 60))
		}
		seed++
		if kind == tflite.Float32 {
			v := make([]float32, len(data))
			for i, b := range data {
				v[i] = float32(int8(b)) * wScale
			}
			return constTensor(tflite.Float32, []int32{int32(rows), int32(cols)}, floats(v...), 0)
		}
		return constTensor(tflite.Int8, []int32{int32(rows), int32(cols)}, data, wScale)
	}
	bias := func() tmTensor {
		v := make([]int64, stateDim)
		for i := range v {
			v[i] = int64((seed*13+i*7)%2001 - 1000)
		}
		seed++
		switch kind {
		case tflite.Float32:
			f := make([]float32, stateDim)
			for i, x := range v {
				f[i] = float32(x) * inScale * wScale
			}
			return constTensor(tflite.Float32, []int32{int32(stateDim)}, floats(f...), 0)
		case tflite.Int16:
			return constTensor(tflite.Int64, []int32{int32(stateDim)}, i64s(v...), inScale*wScale)
		}
		w := make([]int32, stateDim)
		for i, x := range v {
			w[i] = int32(x)
		}
		return constTensor(tflite.Int32, []int32{int32(stateDim)}, i32s(w...), inScale*wScale)
	}
	activation := func(shape []int32, scale float32, zero int64) tmTensor {
		switch kind {
		case tflite.Float32:
			return f32(shape...)
		case tflite.Int16:
			return q16(shape, scale, 0)
		}
		return q8(shape, scale, zero)
	}
	seq := []int32{int32(batches), int32(steps)}
	if timeMajor {
		seq = []int32{int32(steps), int32(batches)}
	}
	tensors := []tmTensor{activation(append(seq, int32(inDim)), inScale, 3)}
	for range 4 {
		tensors = append(tensors, weights(stateDim, inDim))
	}
	for range 4 {
		tensors = append(tensors, weights(stateDim, stateDim))
	}
	for range 4 {
		tensors = append(tensors, bias())
	}
	state := []int32{int32(batches), int32(stateDim)}
	hidden := activation(state, hiddenScale, -2)
	hidden.variable = true
	cell := f32(state...)
	if kind != tflite.Float32 {
		cell = q16(state, 1.0/2048, 0)
	}
	cell.variable = true
	tensors = append(tensors, hidden, cell, activation(append(seq, int32(stateDim)), hiddenScale, -2))
	// Inputs 9-11 (peephole), 16-17 (projection) and 20-23 (layer norm)
	// are omitted.
	inputs := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1}
	op := tmOp{code: int32(tflite.OpUnidirectionalSequenceLSTM), inputs: inputs, outputs: []int32{15},
		optionsType: tflite.OptionsUnidirectionalSequenceLSTM, nfields: 6,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, act, 0)
			b.PrependFloat32Slot(1, clip, 0)
			b.PrependBoolSlot(3, timeMajor, false)
		}}
	return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{15})
}

// lstmCases are the UNIDIRECTIONAL_SEQUENCE_LSTM cases: each runs twice,
// the second invocation from the state the first left.
func lstmCases() []tflmCase {
	seqBytes := func(n, size int) []byte {
		b := make([]byte, n*size)
		for i := range b {
			b[i] = byte(i*37 + 11)
		}
		return b
	}
	floatSeq := func(n int) []byte {
		v := make([]float32, n)
		for i := range v {
			v[i] = float32(int8(byte(i*37+11))) / 64
		}
		return floats(v...)
	}
	var cases []tflmCase
	add := func(name string, model []byte, ulps int, first, second []byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: [][]byte{second}, earlier: [][][]byte{{first}}, ulps: ulps})
	}
	add("lstm_int8_time_major_tanh_clip", lstmModel(tflite.Int8, true, 3, 2, 4, 3, actTanh, 0.5), 0, seqBytes(24, 1), seqBytes(25, 1)[1:])
	add("lstm_int8_batch_major", lstmModel(tflite.Int8, false, 2, 3, 3, 4, actTanh, 0), 0, seqBytes(18, 1), seqBytes(19, 1)[1:])
	add("lstm_int16x8_time_major", lstmModel(tflite.Int16, true, 2, 2, 3, 4, actTanh, 0), 0, seqBytes(12, 2), seqBytes(13, 2)[2:])
	add("lstm_int16x8_batch_major_clip", lstmModel(tflite.Int16, false, 3, 1, 4, 3, actTanh, 0.25), 0, seqBytes(12, 2), seqBytes(13, 2)[2:])
	add("lstm_float32_tanh_clip", lstmModel(tflite.Float32, true, 3, 2, 4, 3, actTanh, 0.5), 2, floatSeq(24), floatSeq(25)[4:])
	add("lstm_float32_batch_major", lstmModel(tflite.Float32, false, 2, 2, 3, 2, actTanh, 0), 2, floatSeq(12), floatSeq(13)[4:])
	// The schema has no sigmoid: 6 converts to no activation, on which
	// TFLM's kernel aborts.
	add("lstm_int8_activation_6", lstmModel(tflite.Int8, true, 1, 1, 2, 2, 6, 0), 0, seqBytes(2, 1), seqBytes(3, 1)[1:])
	return cases
}
