package runtime

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"slices"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// Differential tests against real TFLM. tflmCases builds small one-operator
// models; testdata/tflm_ops holds each model as a file, and results.jsonl
// what TFLM (the pinned commit, reference kernels, built for the host) did
// with it: its outputs on the case's inputs, or that it refused the model,
// and its arena figures. See testdata/tflm_ops/README.md for how they were
// measured. Set FOOTPRINT_WRITE_TFLM_OPS=1 to rewrite the model files after
// changing the cases, then measure again.

// tflmOpsDir is where the cases' models and TFLM's results live.
const tflmOpsDir = "../testdata/tflm_ops"

// tflmCase is one model to run on TFLM and on the runtime.
type tflmCase struct {
	name  string
	model []byte
	// inputs are the model inputs' bytes; nil feeds every input the
	// oracle pattern.
	inputs [][]byte
	// earlier, when set, are the inputs of invocations before the one
	// whose outputs are compared (a nil input gets the oracle pattern):
	// stateful kernels carry state from one to the next.
	earlier [][][]byte
	// refuse, when set, is part of the error New must give although TFLM
	// runs the model: a model TFLM takes on trust (a permutation that is
	// not one, a split that does not divide) and computes garbage for.
	refuse string
	// ulps, when set, is how far float32 outputs may stray from TFLM's, in
	// units in the last place: the C library's sinf, cosf, logf and expf
	// are not always correctly rounded (glibc's sinf(0.1875) is one unit
	// above sin's value rounded), and a Cortex-M's newlib differs again.
	ulps int
}

// Schema codes of the operators the cases use.
const (
	codeGather                = 36
	codeTranspose             = 39
	codeSplit                 = 49
	codePRelu                 = 54
	codeShape                 = 77
	codePack                  = 83
	codeUnpack                = 88
	codeResizeNearestNeighbor = 97
	codeSplitV                = 102
	codeGatherNd              = 107
	codeResizeBilinear        = 23

	optionsGather                = 23
	optionsSplit                 = 35
	optionsPack                  = 59
	optionsUnpack                = 64
	optionsResizeNearestNeighbor = 74
	optionsSplitV                = 79
	optionsResizeBilinear        = 15
)

// opOptions are an operator's builtin options for a case.
type opOptions struct {
	typ     byte
	nfields int
	fill    func(b *flatbuffers.Builder)
}

// oneOp builds a model of one operator over tensors: inputs and outputs
// are the operator's; the graph's inputs are its non-constant inputs.
func oneOp(code int32, o *opOptions, tensors []tmTensor, inputs, outputs []int32) []byte {
	op := tmOp{code: code, inputs: inputs, outputs: outputs}
	if o != nil {
		op.optionsType, op.nfields, op.options = o.typ, o.nfields, o.fill
	}
	return buildModel(tensors, []tmOp{op}, graphInputs(tensors, inputs), outputs)
}

// graphInputs are the operator inputs that are neither constants nor
// omitted: the model's inputs.
func graphInputs(tensors []tmTensor, inputs []int32) []int32 {
	var graphIn []int32
	for _, t := range inputs {
		if t >= 0 && tensors[t].data == nil && !slices.Contains(graphIn, t) {
			graphIn = append(graphIn, t)
		}
	}
	return graphIn
}

// customOneOp builds a model of one custom operator, the name TFLM
// registers it under, with options as its FlexBuffers map.
func customOneOp(name string, options map[string]any, tensors []tmTensor, inputs, outputs []int32) []byte {
	opts, err := flexbuf.EncodeMap(options)
	if err != nil {
		panic(err) // the cases' options are literals
	}
	op := tmOp{custom: name, customOptions: opts, inputs: inputs, outputs: outputs}
	return buildModel(tensors, []tmOp{op}, graphInputs(tensors, inputs), outputs)
}

// int32Options returns options whose fields are the given int32 values.
func int32Options(typ byte, v ...int32) *opOptions {
	return &opOptions{typ: typ, nfields: len(v), fill: func(b *flatbuffers.Builder) {
		for i, x := range v {
			b.PrependInt32Slot(i, x, 0)
		}
	}}
}

// boolOptions returns options whose fields from first on are the given
// booleans.
func boolOptions(typ byte, nfields, first int, v ...bool) *opOptions {
	return &opOptions{typ: typ, nfields: nfields, fill: func(b *flatbuffers.Builder) {
		for i, x := range v {
			b.PrependBoolSlot(first+i, x, false)
		}
	}}
}

// t8, t16, t32, f32 and i64t are activation tensors of one type.
func t8(shape ...int32) tmTensor  { return q8(shape, 0.5, -3) }
func t16(shape ...int32) tmTensor { return q16(shape, 0.25, 0) }
func t32(shape ...int32) tmTensor { return tmTensor{typ: tflite.Int32, shape: shape} }
func f32(shape ...int32) tmTensor { return tmTensor{typ: tflite.Float32, shape: shape} }
func i64t(shape ...int32) tmTensor {
	return tmTensor{typ: tflite.Int64, shape: shape}
}

// ofType is an unquantised activation tensor of typ.
func ofType(typ tflite.TensorType, shape ...int32) tmTensor { return tmTensor{typ: typ, shape: shape} }

// constI32 is a constant INT32 tensor.
func constI32(shape []int32, v ...int32) tmTensor {
	return constTensor(tflite.Int32, shape, i32s(v...), 0)
}

// floatPattern is n float32 values in [-8, 8) in steps of 1/16, the
// oracle pattern's bytes read as signed eighths: small, exact and varied.
func floatPattern(n int) []byte {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(int8(byte(i*7+3))) / 16
	}
	return floats(v...)
}

// tflmCases lists the differential cases.
func tflmCases() []tflmCase {
	var cases []tflmCase
	negZero := float32(math.Copysign(0, -1)) // a -0.0 literal is plain zero in Go
	add := func(name string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs})
	}
	refuse := func(name, reason string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs, refuse: reason})
	}
	// libm adds a case whose float outputs come from the C library's
	// float functions.
	libm := func(name string, model []byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, inputs: inputs, ulps: 1})
	}

	// TRANSPOSE.
	perm := func(v ...int32) tmTensor { return constI32([]int32{int32(len(v))}, v...) }
	add("transpose_int8_3d", oneOp(codeTranspose, nil, []tmTensor{t8(2, 3, 4), perm(2, 0, 1), t8(4, 2, 3)}, []int32{0, 1}, []int32{2}))
	add("transpose_float32_4d", oneOp(codeTranspose, nil, []tmTensor{f32(1, 2, 3, 2), perm(0, 3, 1, 2), f32(1, 2, 2, 3)}, []int32{0, 1}, []int32{2}),
		floatPattern(12))
	add("transpose_int16_5d", oneOp(codeTranspose, nil, []tmTensor{t16(1, 2, 1, 3, 2), perm(4, 3, 2, 1, 0), t16(2, 3, 1, 2, 1)}, []int32{0, 1}, []int32{2}))
	add("transpose_int8_empty", oneOp(codeTranspose, nil, []tmTensor{t8(2, 0, 3), perm(1, 2, 0), t8(0, 3, 2)}, []int32{0, 1}, []int32{2}))
	add("transpose_int32", oneOp(codeTranspose, nil, []tmTensor{t32(2, 3), perm(1, 0), t32(3, 2)}, []int32{0, 1}, []int32{2}))
	refuse("transpose_not_a_permutation", "is not a permutation",
		oneOp(codeTranspose, nil, []tmTensor{t8(2, 2, 3), perm(0, 0, 2), t8(2, 2, 3)}, []int32{0, 1}, []int32{2}))

	// SHAPE.
	add("shape_int8", oneOp(codeShape, nil, []tmTensor{t8(2, 3, 5), t32(3)}, []int32{0}, []int32{1}))
	add("shape_int64", oneOp(codeShape, nil, []tmTensor{f32(4, 1), i64t(2)}, []int32{0}, []int32{1}), floatPattern(4))

	// PACK and UNPACK.
	add("pack_int8_axis1", oneOp(codePack, int32Options(optionsPack, 3, 1),
		[]tmTensor{t8(2, 3), t8(2, 3), t8(2, 3), t8(2, 3, 3)}, []int32{0, 1, 2}, []int32{3}))
	add("pack_float32_axis_last", oneOp(codePack, int32Options(optionsPack, 2, -1),
		[]tmTensor{f32(2, 2), f32(2, 2), f32(2, 2, 2)}, []int32{0, 1}, []int32{2}), floatPattern(4), floatPattern(5)[4:])
	add("pack_int16_axis0", oneOp(codePack, int32Options(optionsPack, 2, 0),
		[]tmTensor{t16(3), t16(3), t16(2, 3)}, []int32{0, 1}, []int32{2}))
	add("pack_int64", oneOp(codePack, int32Options(optionsPack, 2, 1),
		[]tmTensor{i64t(2), i64t(2), i64t(2, 2)}, []int32{0, 1}, []int32{2}))
	add("pack_int32_const", oneOp(codePack, int32Options(optionsPack, 2, 0),
		[]tmTensor{t32(2), constI32([]int32{2}, 7, -7), t32(2, 2)}, []int32{0, 1}, []int32{2}))
	add("unpack_float32_axis0", oneOp(codeUnpack, int32Options(optionsUnpack, 3, 0),
		[]tmTensor{f32(3, 2, 2), f32(2, 2), f32(2, 2), f32(2, 2)}, []int32{0}, []int32{1, 2, 3}), floatPattern(12))
	add("unpack_int8_axis_last", oneOp(codeUnpack, int32Options(optionsUnpack, 2, -1),
		[]tmTensor{t8(3, 2), t8(3), t8(3)}, []int32{0}, []int32{1, 2}))
	add("unpack_int16_axis1", oneOp(codeUnpack, int32Options(optionsUnpack, 2, 1),
		[]tmTensor{t16(2, 2, 3), t16(2, 3), t16(2, 3)}, []int32{0}, []int32{1, 2}))

	// SPLIT and SPLIT_V.
	axis := func(a int32) tmTensor { return constI32([]int32{1}, a) }
	add("split_int8_axis1", oneOp(codeSplit, int32Options(optionsSplit, 3),
		[]tmTensor{axis(1), t8(2, 6), t8(2, 2), t8(2, 2), t8(2, 2)}, []int32{0, 1}, []int32{2, 3, 4}))
	add("split_float32_axis_last", oneOp(codeSplit, int32Options(optionsSplit, 2),
		[]tmTensor{axis(-1), f32(2, 2, 4), f32(2, 2, 2), f32(2, 2, 2)}, []int32{0, 1}, []int32{2, 3}), floatPattern(16))
	add("split_int16_axis0", oneOp(codeSplit, int32Options(optionsSplit, 2),
		[]tmTensor{axis(0), t16(4, 3), t16(2, 3), t16(2, 3)}, []int32{0, 1}, []int32{2, 3}))
	add("split_int32", oneOp(codeSplit, int32Options(optionsSplit, 2),
		[]tmTensor{axis(1), t32(1, 4), t32(1, 2), t32(1, 2)}, []int32{0, 1}, []int32{2, 3}))
	refuse("split_does_not_divide", "do not divide", oneOp(codeSplit, int32Options(optionsSplit, 2),
		[]tmTensor{axis(1), t8(2, 5), t8(2, 2), t8(2, 2)}, []int32{0, 1}, []int32{2, 3}))
	add("split_v_float32", oneOp(codeSplitV, int32Options(optionsSplitV, 3),
		[]tmTensor{f32(2, 6), constI32([]int32{3}, 1, 2, 3), axis(1), f32(2, 1), f32(2, 2), f32(2, 3)}, []int32{0, 1, 2}, []int32{3, 4, 5}),
		floatPattern(12))
	add("split_v_int8_axis0", oneOp(codeSplitV, int32Options(optionsSplitV, 2),
		[]tmTensor{t8(5, 2), constI32([]int32{2}, 3, -1), axis(0), t8(3, 2), t8(2, 2)}, []int32{0, 1, 2}, []int32{3, 4}))

	// GATHER.
	add("gather_float32_const", oneOp(codeGather, int32Options(optionsGather, 0),
		[]tmTensor{f32(4, 3), constI32([]int32{3}, 3, 0, 3), f32(3, 3)}, []int32{0, 1}, []int32{2}), floatPattern(12))
	add("gather_int8_axis1", oneOp(codeGather, int32Options(optionsGather, 1),
		[]tmTensor{t8(2, 5, 2), t32(2, 2), t8(2, 2, 2, 2)}, []int32{0, 1}, []int32{2}), nil, i32s(4, 0, 2, 2))
	add("gather_int8_batch_dims", oneOp(codeGather, int32Options(optionsGather, 2, 1),
		[]tmTensor{t8(2, 3, 4), t32(2, 2), t8(2, 3, 2)}, []int32{0, 1}, []int32{2}), nil, i32s(3, 0, 1, 1))
	add("gather_int8_axis_last", oneOp(codeGather, int32Options(optionsGather, -1),
		[]tmTensor{t8(3, 4), constI32(nil, 2), t8(3)}, []int32{0, 1}, []int32{2}))
	add("gather_int16", oneOp(codeGather, int32Options(optionsGather, 0),
		[]tmTensor{t16(3), constI32([]int32{1}, 2), t16(1)}, []int32{0, 1}, []int32{2}))

	// GATHER_ND.
	add("gather_nd_float32", oneOp(codeGatherNd, nil,
		[]tmTensor{f32(3, 2, 2), constI32([]int32{2, 1}, 2, 0), f32(2, 2, 2)}, []int32{0, 1}, []int32{2}), floatPattern(12))
	add("gather_nd_int8_points", oneOp(codeGatherNd, nil,
		[]tmTensor{t8(2, 3), t32(3, 2), t8(3)}, []int32{0, 1}, []int32{2}), nil, i32s(1, 2, 0, 0, 1, -1))
	add("gather_nd_out_of_bounds", oneOp(codeGatherNd, nil,
		[]tmTensor{t8(2, 3), t32(1, 2), t8(1)}, []int32{0, 1}, []int32{2}), nil, i32s(2, 0))

	// RESIZE_NEAREST_NEIGHBOR.
	size := func(h, w int32) tmTensor { return constI32([]int32{2}, h, w) }
	for _, v := range []struct {
		name          string
		align, center bool
	}{{"", false, false}, {"_align", true, false}, {"_half_pixel", false, true}, {"_both", true, true}} {
		add("resize_nn_int8"+v.name, oneOp(codeResizeNearestNeighbor, boolOptions(optionsResizeNearestNeighbor, 2, 0, v.align, v.center),
			[]tmTensor{t8(1, 2, 3, 2), size(4, 5), t8(1, 4, 5, 2)}, []int32{0, 1}, []int32{2}))
	}
	add("resize_nn_float32_down", oneOp(codeResizeNearestNeighbor, nil,
		[]tmTensor{f32(2, 3, 4, 1), size(2, 3), f32(2, 2, 3, 1)}, []int32{0, 1}, []int32{2}), floatPattern(24))
	add("resize_nn_int16", oneOp(codeResizeNearestNeighbor, boolOptions(optionsResizeNearestNeighbor, 2, 1, true),
		[]tmTensor{t16(1, 3, 3, 1), size(5, 2), t16(1, 5, 2, 1)}, []int32{0, 1}, []int32{2}))

	// RESIZE_BILINEAR.
	for _, v := range []struct {
		name          string
		align, center bool
	}{{"", false, false}, {"_align", true, false}, {"_half_pixel", false, true}} {
		add("resize_bilinear_int8"+v.name, oneOp(codeResizeBilinear, boolOptions(optionsResizeBilinear, 4, 2, v.align, v.center),
			[]tmTensor{t8(1, 2, 3, 2), size(3, 7), t8(1, 3, 7, 2)}, []int32{0, 1}, []int32{2}))
		add("resize_bilinear_float32"+v.name, oneOp(codeResizeBilinear, boolOptions(optionsResizeBilinear, 4, 2, v.align, v.center),
			[]tmTensor{f32(1, 3, 2, 1), size(5, 3), f32(1, 5, 3, 1)}, []int32{0, 1}, []int32{2}), floatPattern(6))
	}
	add("resize_bilinear_align_and_half_pixel", oneOp(codeResizeBilinear, boolOptions(optionsResizeBilinear, 4, 2, true, true),
		[]tmTensor{t8(1, 2, 2, 1), size(3, 3), t8(1, 3, 3, 1)}, []int32{0, 1}, []int32{2}))
	add("resize_bilinear_int16", oneOp(codeResizeBilinear, nil,
		[]tmTensor{t16(1, 2, 2, 1), size(3, 3), t16(1, 3, 3, 1)}, []int32{0, 1}, []int32{2}))

	// PRELU.
	add("prelu_float32", oneOp(codePRelu, nil,
		[]tmTensor{f32(1, 2, 2, 3), constTensor(tflite.Float32, []int32{3}, floats(0.25, -1, 2), 0), f32(1, 2, 2, 3)}, []int32{0, 1}, []int32{2}),
		floatPattern(12))
	alpha8 := constTensor(tflite.Int8, []int32{1, 1, 3}, i8s(64, -32, 127), 1.0/128)
	alpha8.zero = []int64{10}
	add("prelu_int8", oneOp(codePRelu, nil, []tmTensor{q8([]int32{1, 2, 2, 3}, 0.1, -5), alpha8, q8([]int32{1, 2, 2, 3}, 0.07, 3)},
		[]int32{0, 1}, []int32{2}))
	add("prelu_int16_int8_alpha", oneOp(codePRelu, nil, []tmTensor{q16([]int32{2, 3}, 0.01, 0), alpha8, q16([]int32{2, 3}, 0.02, 0)},
		[]int32{0, 1}, []int32{2}))
	add("prelu_int8_alpha_input", oneOp(codePRelu, nil, []tmTensor{q8([]int32{2, 3}, 0.1, 0), q8([]int32{2, 1}, 0.05, -7), q8([]int32{2, 3}, 0.1, 0)},
		[]int32{0, 1}, []int32{2}))

	// Elementwise math.
	for _, m := range []struct {
		name     string
		code     int32
		positive bool
	}{
		{"sin", 66, false}, {"cos", 108, false}, {"log", 73, true}, {"sqrt", 75, true}, {"rsqrt", 76, true},
		{"square", 92, false}, {"exp", 47, false}, {"neg", 59, false}, {"floor", 8, false}, {"ceil", 104, false},
		{"round", 116, false}, {"abs", 101, false},
	} {
		input := floatPattern(20)
		if m.positive {
			input = positiveFloatPattern(20)
		}
		model := oneOp(m.code, nil, []tmTensor{f32(4, 5), f32(4, 5)}, []int32{0}, []int32{1})
		switch m.name {
		case "sin", "cos", "log", "exp":
			libm(m.name+"_float32", model, input)
		default:
			add(m.name+"_float32", model, input)
		}
	}
	add("round_ties", oneOp(116, nil, []tmTensor{f32(8), f32(8)}, []int32{0}, []int32{1}),
		floats(0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 3.49, negZero))
	add("sin_int8", oneOp(66, nil, []tmTensor{t8(4), t8(4)}, []int32{0}, []int32{1}))
	add("exp_int8", oneOp(47, nil, []tmTensor{t8(4), t8(4)}, []int32{0}, []int32{1}))
	add("neg_int32", oneOp(59, nil, []tmTensor{t32(4), t32(4)}, []int32{0}, []int32{1}))
	add("abs_int8_rescale", oneOp(101, nil, []tmTensor{q8([]int32{2, 8}, 0.5, -10), q8([]int32{2, 8}, 0.3, -128)}, []int32{0}, []int32{1}))
	add("abs_int8_same_scale", oneOp(101, nil, []tmTensor{q8([]int32{16}, 0.5, 5), q8([]int32{16}, 0.5, -100)}, []int32{0}, []int32{1}))
	add("abs_int16_quantized", oneOp(101, nil, []tmTensor{q16([]int32{8}, 0.5, 0), q16([]int32{8}, 0.25, 0)}, []int32{0}, []int32{1}),
		i16s(-32768, -3, 0, 3, 16384, -16385, 32767, -1))
	add("abs_int16_plain", oneOp(101, nil, []tmTensor{ofType(tflite.Int16, 4), ofType(tflite.Int16, 4)}, []int32{0}, []int32{1}),
		i16s(-32768, -3, 0, 32767))
	add("rsqrt_int8", oneOp(76, nil, []tmTensor{q8([]int32{32}, 0.05, -128), q8([]int32{32}, 0.02, -100)}, []int32{0}, []int32{1}),
		i8s(-128, -127, -126, -120, -100, -64, -1, 0, 1, 50, 100, 127, -125, -110, -90, -80,
			-70, -60, -50, -40, -30, -20, -10, 10, 20, 30, 40, 60, 70, 80, 90, 126))
	add("rsqrt_int8_negative", oneOp(76, nil, []tmTensor{q8([]int32{4}, 0.05, 0), q8([]int32{4}, 0.02, 0)}, []int32{0}, []int32{1}),
		i8s(4, 1, -1, 2))
	add("rsqrt_int16", oneOp(76, nil, []tmTensor{q16([]int32{4}, 0.05, 0), q16([]int32{4}, 0.02, 0)}, []int32{0}, []int32{1}))
	add("logical_not", oneOp(87, nil, []tmTensor{ofType(tflite.Bool, 5), ofType(tflite.Bool, 5)}, []int32{0}, []int32{1}),
		[]byte{0, 1, 0, 1, 1})
	add("squared_difference_float32_broadcast", oneOp(99, nil, []tmTensor{f32(2, 3), f32(3), f32(2, 3)}, []int32{0, 1}, []int32{2}),
		floatPattern(6), floatPattern(9)[24:])
	add("squared_difference_int32", oneOp(99, nil, []tmTensor{t32(4), t32(4), t32(4)}, []int32{0, 1}, []int32{2}),
		i32s(1, -50000, 7, 46341), i32s(4, 50000, 7, 0))
	add("squared_difference_int8", oneOp(99, nil, []tmTensor{q8([]int32{2, 4}, 0.1, 3), q8([]int32{2, 4}, 0.2, -7), q8([]int32{2, 4}, 0.5, -128)},
		[]int32{0, 1}, []int32{2}))
	add("squared_difference_int8_broadcast", oneOp(99, nil, []tmTensor{q8([]int32{2, 1, 3}, 0.1, 0), q8([]int32{1, 4, 1}, 0.1, 0), q8([]int32{2, 4, 3}, 0.05, -20)},
		[]int32{0, 1}, []int32{2}))
	add("squared_difference_int16", oneOp(99, nil, []tmTensor{q16([]int32{6}, 0.01, 0), q16([]int32{6}, 0.02, 0), q16([]int32{6}, 0.5, 0)},
		[]int32{0, 1}, []int32{2}))

	// Comparisons and logical operators.
	boolT := func(shape ...int32) tmTensor { return ofType(tflite.Bool, shape...) }
	for _, c := range []struct {
		name string
		code int32
	}{{"equal", 71}, {"not_equal", 72}, {"greater", 61}, {"greater_equal", 62}, {"less", 58}, {"less_equal", 63}} {
		add(c.name+"_float32", oneOp(c.code, nil, []tmTensor{f32(2, 3), f32(2, 3), boolT(2, 3)}, []int32{0, 1}, []int32{2}),
			floats(1, -2, 3, 0, 5, negZero), floats(1, 2, -3, negZero, 6, 0))
		add(c.name+"_int32_broadcast", oneOp(c.code, nil, []tmTensor{t32(2, 3), t32(3), boolT(2, 3)}, []int32{0, 1}, []int32{2}),
			i32s(1, 2, 3, 4, 5, 6), i32s(2, 2, 7))
		add(c.name+"_int64", oneOp(c.code, nil, []tmTensor{i64t(3), i64t(3), boolT(3)}, []int32{0, 1}, []int32{2}),
			i64s(1<<40, -1, 5), i64s(1<<40+1, -1, 4))
		add(c.name+"_int8", oneOp(c.code, nil, []tmTensor{q8([]int32{8}, 0.5, 1), q8([]int32{8}, 0.25, -3), boolT(8)}, []int32{0, 1}, []int32{2}),
			i8s(1, 2, 3, -4, 5, 6, 127, -128), i8s(-1, 1, 7, -11, 7, 9, 127, -128))
		add(c.name+"_int8_broadcast", oneOp(c.code, nil, []tmTensor{q8([]int32{2, 1, 3}, 0.1, 0), q8([]int32{1, 2, 1}, 0.2, 4), boolT(2, 2, 3)},
			[]int32{0, 1}, []int32{2}))
		add(c.name+"_bool", oneOp(c.code, nil, []tmTensor{boolT(4), boolT(4), boolT(4)}, []int32{0, 1}, []int32{2}),
			[]byte{0, 0, 1, 1}, []byte{0, 1, 0, 1})
		int16 := oneOp(c.code, nil, []tmTensor{q16([]int32{2}, 0.1, 0), q16([]int32{2}, 0.1, 0), boolT(2)}, []int32{0, 1}, []int32{2})
		if c.name == "greater" {
			// TFLM's GREATER runs int16 with parameters its Prepare never
			// sets: whatever the arena held (zeros on the host).
			refuse(c.name+"_int16", "Type INT16 not supported", int16)
		} else {
			add(c.name+"_int16", int16)
		}
	}
	add("equal_int8_scale_one", oneOp(71, nil, []tmTensor{q8([]int32{2}, 1, 0), q8([]int32{2}, 0.5, 0), boolT(2)}, []int32{0, 1}, []int32{2}))
	add("logical_and", oneOp(86, nil, []tmTensor{boolT(2, 2), boolT(2, 2), boolT(2, 2)}, []int32{0, 1}, []int32{2}),
		[]byte{0, 0, 1, 1}, []byte{0, 1, 0, 1})
	add("logical_or_broadcast", oneOp(84, nil, []tmTensor{boolT(2, 2), boolT(2), boolT(2, 2)}, []int32{0, 1}, []int32{2}),
		[]byte{0, 0, 1, 1}, []byte{0, 1})

	// Reductions.
	axes := func(v ...int32) tmTensor { return constI32([]int32{int32(len(v))}, v...) }
	keep := &opOptions{typ: optionsReducer, nfields: 1, fill: func(b *flatbuffers.Builder) { b.PrependBoolSlot(0, true, false) }}
	for _, r := range []struct {
		name string
		code int32
	}{{"mean", codeMean}, {"sum", 74}, {"reduce_max", 82}, {"reduce_min", 89}} {
		add(r.name+"_float32_axis1", oneOp(r.code, nil, []tmTensor{f32(2, 3, 4), axes(1), f32(2, 4)}, []int32{0, 1}, []int32{2}), floatPattern(24))
		add(r.name+"_float32_4d_hw_keep", oneOp(r.code, keep, []tmTensor{f32(1, 3, 4, 2), axes(2, 1), f32(1, 1, 1, 2)}, []int32{0, 1}, []int32{2}), floatPattern(24))
		add(r.name+"_int8_neg_dup_axes", oneOp(r.code, nil, []tmTensor{q8([]int32{2, 3, 4}, 0.5, -3), axes(-1, 0, 2), q8([]int32{3}, 0.5, -3)},
			[]int32{0, 1}, []int32{2}))
		add(r.name+"_int8_rescale", oneOp(r.code, nil, []tmTensor{q8([]int32{4, 5}, 0.5, 7), axes(1), q8([]int32{4}, 0.3, -20)},
			[]int32{0, 1}, []int32{2}))
		add(r.name+"_int16", oneOp(r.code, nil, []tmTensor{q16([]int32{3, 5}, 0.5, 0), axes(0), q16([]int32{5}, 0.75, 0)},
			[]int32{0, 1}, []int32{2}))
		add(r.name+"_int8_all_axes", oneOp(r.code, nil, []tmTensor{q8([]int32{64, 9}, 0.5, 1), axes(0, 1), q8(nil, 0.5, 1)},
			[]int32{0, 1}, []int32{2}))
		add(r.name+"_int8_runtime_axis", oneOp(r.code, nil, []tmTensor{q8([]int32{2, 3}, 0.5, 0), t32(1), q8([]int32{2}, 0.5, 0)},
			[]int32{0, 1}, []int32{2}), nil, i32s(-1))
		add(r.name+"_int32", oneOp(r.code, nil, []tmTensor{t32(2, 2), axes(0), t32(2)}, []int32{0, 1}, []int32{2}))
		add(r.name+"_float32_empty", oneOp(r.code, nil, []tmTensor{f32(2, 0), axes(1), f32(2)}, []int32{0, 1}, []int32{2}))
	}
	add("reduce_all", oneOp(140, nil, []tmTensor{ofType(tflite.Bool, 2, 3), axes(1), ofType(tflite.Bool, 2)}, []int32{0, 1}, []int32{2}),
		[]byte{1, 1, 1, 1, 0, 1})
	add("reduce_all_int8", oneOp(140, nil, []tmTensor{t8(2, 3), axes(1), t8(2)}, []int32{0, 1}, []int32{2}))

	// ARG_MAX and ARG_MIN.
	for _, a := range []struct {
		name string
		code int32
	}{{"arg_max", 56}, {"arg_min", 79}} {
		add(a.name+"_float32_axis1", oneOp(a.code, nil, []tmTensor{f32(2, 3, 4), constI32([]int32{1}, 1), t32(2, 4)}, []int32{0, 1}, []int32{2}),
			floats(1, 5, 5, -1, 2, 5, 0, -1, 2, 1, 5, -7, 9, 9, 9, 9, 9, 9, 9, 9, -9, -9, -9, -9))
		add(a.name+"_int8_axis_last", oneOp(a.code, nil, []tmTensor{t8(3, 5), constI32(nil, -1), t32(3)}, []int32{0, 1}, []int32{2}))
		add(a.name+"_int8_runtime_axis", oneOp(a.code, nil, []tmTensor{t8(4, 3), t32(1), t32(3)}, []int32{0, 1}, []int32{2}), nil, i32s(0))
		add(a.name+"_int16", oneOp(a.code, nil, []tmTensor{t16(4, 3), constI32([]int32{1}, 0), t32(3)}, []int32{0, 1}, []int32{2}))
	}

	// HARD_SWISH.
	add("hard_swish_float32", oneOp(117, nil, []tmTensor{f32(4, 6), f32(4, 6)}, []int32{0}, []int32{1}), floatPattern(24))
	add("hard_swish_int8", oneOp(117, nil, []tmTensor{q8([]int32{4, 64}, 0.05, -10), q8([]int32{4, 64}, 0.04, -70)}, []int32{0}, []int32{1}))
	add("hard_swish_int8_wide", oneOp(117, nil, []tmTensor{q8([]int32{256}, 0.2, 3), q8([]int32{256}, 0.1, -60)}, []int32{0}, []int32{1}))
	add("hard_swish_int8_fine", oneOp(117, nil, []tmTensor{q8([]int32{256}, 0.01, 0), q8([]int32{256}, 0.008, -100)}, []int32{0}, []int32{1}))
	add("hard_swish_int8_bad_exponent", oneOp(117, nil, []tmTensor{q8([]int32{4}, 1, 0), q8([]int32{4}, 0.001, 0)}, []int32{0}, []int32{1}))

	// L2_NORMALIZATION.
	add("l2_normalization_float32", oneOp(11, nil, []tmTensor{f32(2, 3, 4), f32(2, 3, 4)}, []int32{0}, []int32{1}), floatPattern(24))
	add("l2_normalization_int8", oneOp(11, nil, []tmTensor{q8([]int32{3, 16}, 0.1, 5), q8([]int32{3, 16}, 1.0/128, 0)}, []int32{0}, []int32{1}))
	add("l2_normalization_int8_zero_row", oneOp(11, nil, []tmTensor{q8([]int32{2, 3}, 0.1, 0), q8([]int32{2, 3}, 1.0/128, 0)}, []int32{0}, []int32{1}),
		i8s(0, 0, 0, 1, 0, 0))
	add("l2_normalization_relu", oneOp(11, &opOptions{typ: 12, nfields: 1, fill: func(b *flatbuffers.Builder) { b.PrependInt8Slot(0, 1, 0) }},
		[]tmTensor{f32(4), f32(4)}, []int32{0}, []int32{1}), floatPattern(4))

	// BATCH_MATMUL.
	adj := func(x, y bool) *opOptions { return boolOptions(101, 3, 0, x, y) }
	add("batch_matmul_float32", oneOp(126, nil, []tmTensor{f32(2, 3, 4), f32(2, 4, 5), f32(2, 3, 5)}, []int32{0, 1}, []int32{2}),
		floatPattern(24), floatPattern(64)[24*4:])
	add("batch_matmul_float32_adj", oneOp(126, adj(true, true), []tmTensor{f32(1, 4, 3), f32(5, 4), f32(1, 3, 5)}, []int32{0, 1}, []int32{2}),
		floatPattern(12), floatPattern(32)[12*4:])
	add("batch_matmul_float32_const_rhs", oneOp(126, nil, []tmTensor{f32(3, 4), constTensor(tflite.Float32, []int32{4, 2}, floatPattern(8), 0), f32(3, 2)},
		[]int32{0, 1}, []int32{2}), floatPattern(12))
	add("batch_matmul_int8_broadcast", oneOp(126, nil, []tmTensor{q8([]int32{2, 1, 3, 4}, 0.05, 3), q8([]int32{1, 3, 4, 2}, 0.1, -2), q8([]int32{2, 3, 3, 2}, 0.2, 1)},
		[]int32{0, 1}, []int32{2}))
	add("batch_matmul_int8_adj_x", oneOp(126, adj(true, false), []tmTensor{q8([]int32{2, 4, 3}, 0.05, 0), q8([]int32{2, 4, 2}, 0.1, 0), q8([]int32{2, 3, 2}, 0.3, -5)},
		[]int32{0, 1}, []int32{2}))
	add("batch_matmul_int8_adj_y", oneOp(126, adj(false, true), []tmTensor{q8([]int32{3, 4}, 0.05, -1), q8([]int32{2, 4}, 0.1, 2), q8([]int32{3, 2}, 0.1, 0)},
		[]int32{0, 1}, []int32{2}))
	add("batch_matmul_int16", oneOp(126, nil, []tmTensor{q16([]int32{2, 3, 8}, 0.01, 0), q16([]int32{1, 8, 4}, 0.02, 0), q16([]int32{2, 3, 4}, 0.5, 0)},
		[]int32{0, 1}, []int32{2}))
	add("batch_matmul_rhs_batch_one", oneOp(126, nil, []tmTensor{f32(2, 2, 3, 4), f32(2, 1, 4, 2), f32(2, 2, 3, 2)}, []int32{0, 1}, []int32{2}),
		floatPattern(48), floatPattern(64)[48*4:])
	add("batch_matmul_inner_mismatch", oneOp(126, nil, []tmTensor{f32(3, 4), f32(3, 2), f32(3, 2)}, []int32{0, 1}, []int32{2}))

	// SLICE, ZEROS_LIKE, FILL.
	add("slice_int8_3d", oneOp(65, nil, []tmTensor{t8(3, 4, 5), constI32([]int32{3}, 1, 0, 2), constI32([]int32{3}, 2, -1, 3), t8(2, 4, 3)},
		[]int32{0, 1, 2}, []int32{3}))
	add("slice_float32_int64_begin", oneOp(65, nil, []tmTensor{f32(4, 3), constTensor(tflite.Int64, []int32{2}, i64s(2, 1), 0),
		constTensor(tflite.Int64, []int32{2}, i64s(2, 2), 0), f32(2, 2)}, []int32{0, 1, 2}, []int32{3}), floatPattern(12))
	add("slice_bool_runtime_begin", oneOp(65, nil, []tmTensor{ofType(tflite.Bool, 6), t32(1), constI32([]int32{1}, 3), ofType(tflite.Bool, 3)},
		[]int32{0, 1, 2}, []int32{3}), []byte{1, 0, 1, 1, 0, 0}, i32s(2))
	add("slice_int16_5d", oneOp(65, nil, []tmTensor{t16(1, 2, 2, 2, 3), constI32([]int32{5}, 0, 1, 0, 1, 1), constI32([]int32{5}, 1, 1, 2, 1, 2), t16(1, 1, 2, 1, 2)},
		[]int32{0, 1, 2}, []int32{3}))
	add("zeros_like_float32", oneOp(93, nil, []tmTensor{f32(2, 3), f32(2, 3)}, []int32{0}, []int32{1}), floatPattern(6))
	add("zeros_like_int64", oneOp(93, nil, []tmTensor{i64t(3), i64t(3)}, []int32{0}, []int32{1}))
	add("zeros_like_int16", oneOp(93, nil, []tmTensor{t16(3), t16(3)}, []int32{0}, []int32{1}))
	add("fill_float32", oneOp(94, nil, []tmTensor{constI32([]int32{2}, 2, 3), f32(), f32(2, 3)}, []int32{0, 1}, []int32{2}), floats(2.5))
	add("fill_int8_int64_dims", oneOp(94, nil, []tmTensor{constTensor(tflite.Int64, []int32{1}, i64s(4), 0), t8(), t8(4)}, []int32{0, 1}, []int32{2}))
	add("fill_int32", oneOp(94, nil, []tmTensor{constI32([]int32{3}, 1, 2, 2), t32(), t32(1, 2, 2)}, []int32{0, 1}, []int32{2}))
	add("fill_int16", oneOp(94, nil, []tmTensor{constI32([]int32{1}, 2), t16(), t16(2)}, []int32{0, 1}, []int32{2}))

	// ADD_N and SELECT_V2.
	add("add_n_float32", oneOp(106, nil, []tmTensor{f32(2, 3), f32(2, 3), f32(2, 3), f32(2, 3)}, []int32{0, 1, 2}, []int32{3}),
		floatPattern(6), floatPattern(12)[24:], floatPattern(18)[48:])
	add("add_n_int8", oneOp(106, nil, []tmTensor{q8([]int32{8}, 0.1, 5), q8([]int32{8}, 0.1, 5), q8([]int32{8}, 0.3, -10)}, []int32{0, 1}, []int32{2}))
	add("add_n_int8_zero_points_differ", oneOp(106, nil, []tmTensor{q8([]int32{8}, 0.1, 5), q8([]int32{8}, 0.1, 4), q8([]int32{8}, 0.3, -10)}, []int32{0, 1}, []int32{2}))
	add("add_n_int16", oneOp(106, nil, []tmTensor{t16(4), t16(4), t16(4)}, []int32{0, 1}, []int32{2}))
	add("select_v2_float32", oneOp(123, nil, []tmTensor{ofType(tflite.Bool, 2, 3), f32(2, 3), f32(2, 3), f32(2, 3)}, []int32{0, 1, 2}, []int32{3}),
		[]byte{1, 0, 0, 1, 1, 0}, floatPattern(6), floatPattern(12)[24:])
	add("select_v2_int8_broadcast", oneOp(123, nil, []tmTensor{ofType(tflite.Bool, 2, 1), t8(1, 3), t8(2, 3), t8(2, 3)}, []int32{0, 1, 2}, []int32{3}),
		[]byte{0, 1})
	add("select_v2_int16_scalars", oneOp(123, nil, []tmTensor{ofType(tflite.Bool), t16(1), t16(), t16(1)}, []int32{0, 1, 2}, []int32{3}),
		[]byte{1})

	// FLOOR_DIV and FLOOR_MOD.
	add("floor_div_float32", oneOp(90, nil, []tmTensor{f32(2, 4), f32(4), f32(2, 4)}, []int32{0, 1}, []int32{2}),
		floats(7, -7, 7.5, -0.5, 1, 2, 3, 4), floats(2, 2, -2, 0.25))
	add("floor_div_by_zero", oneOp(90, nil, []tmTensor{f32(2), f32(2), f32(2)}, []int32{0, 1}, []int32{2}), floats(1, 2), floats(1, 0))
	add("floor_mod_float32", oneOp(95, nil, []tmTensor{f32(2, 4), f32(4), f32(2, 4)}, []int32{0, 1}, []int32{2}),
		floats(7, -7, 7.5, -0.5, 1, -2, 3, 4), floats(2, 2, -2, 0.25))
	add("floor_mod_int32", oneOp(95, nil, []tmTensor{t32(2), t32(2), t32(2)}, []int32{0, 1}, []int32{2}))

	// ELU.
	libm("elu_float32", oneOp(111, nil, []tmTensor{f32(4, 5), f32(4, 5)}, []int32{0}, []int32{1}), floatPattern(20))
	add("elu_int8", oneOp(111, nil, []tmTensor{q8([]int32{256}, 0.05, 10), q8([]int32{256}, 0.03, -20)}, []int32{0}, []int32{1}))
	add("elu_int16", oneOp(111, nil, []tmTensor{t16(4), t16(4)}, []int32{0}, []int32{1}))

	// SPACE_TO_DEPTH and DEPTH_TO_SPACE.
	add("space_to_depth_int8", oneOp(26, int32Options(19, 2), []tmTensor{t8(2, 4, 6, 3), t8(2, 2, 3, 12)}, []int32{0}, []int32{1}))
	add("space_to_depth_float32", oneOp(26, int32Options(19, 3), []tmTensor{f32(1, 3, 3, 2), f32(1, 1, 1, 18)}, []int32{0}, []int32{1}),
		floatPattern(18))
	add("space_to_depth_int16", oneOp(26, int32Options(19, 2), []tmTensor{t16(1, 2, 2, 1), t16(1, 1, 1, 4)}, []int32{0}, []int32{1}))
	add("depth_to_space_int8", oneOp(5, int32Options(94, 2), []tmTensor{t8(2, 2, 3, 12), t8(2, 4, 6, 3)}, []int32{0}, []int32{1}))
	add("depth_to_space_float32", oneOp(5, int32Options(94, 2), []tmTensor{f32(1, 1, 2, 8), f32(1, 2, 4, 2)}, []int32{0}, []int32{1}),
		floatPattern(16))
	add("depth_to_space_block_zero", oneOp(5, int32Options(94, 0), []tmTensor{t8(1, 1, 1, 4), t8(1, 1, 1, 4)}, []int32{0}, []int32{1}))

	// Operators the runtime had whose arena model is new: RELU, RELU6,
	// TANH, DEQUANTIZE, EXPAND_DIMS, SQUEEZE.
	add("relu_int8", oneOp(codeRelu, nil, []tmTensor{q8([]int32{16}, 0.5, -3), q8([]int32{16}, 0.25, -100)}, []int32{0}, []int32{1}))
	add("relu_float32", oneOp(codeRelu, nil, []tmTensor{f32(8), f32(8)}, []int32{0}, []int32{1}), floatPattern(8))
	add("relu_int16", oneOp(codeRelu, nil, []tmTensor{q16([]int32{8}, 0.5, 0), q16([]int32{8}, 0.25, 0)}, []int32{0}, []int32{1}))
	add("relu6_int8", oneOp(codeRelu6, nil, []tmTensor{q8([]int32{16}, 0.05, -3), q8([]int32{16}, 0.05, -3)}, []int32{0}, []int32{1}))
	add("tanh_int8", oneOp(codeTanh, nil, []tmTensor{q8([]int32{32}, 0.05, 4), q8([]int32{32}, 1.0/128, 0)}, []int32{0}, []int32{1}))
	add("tanh_int16", oneOp(codeTanh, nil, []tmTensor{q16([]int32{32}, 1.0/4096, 0), q16([]int32{32}, 1.0/32768, 0)}, []int32{0}, []int32{1}))
	libm("tanh_float32", oneOp(codeTanh, nil, []tmTensor{f32(8), f32(8)}, []int32{0}, []int32{1}), floatPattern(8))
	add("dequantize_int8", oneOp(codeDequantize, nil, []tmTensor{q8([]int32{8}, 0.3, 5), f32(8)}, []int32{0}, []int32{1}))
	add("dequantize_int16", oneOp(codeDequantize, nil, []tmTensor{q16([]int32{8}, 0.001, 0), f32(8)}, []int32{0}, []int32{1}))
	add("expand_dims_int8", oneOp(codeExpandDims, nil, []tmTensor{t8(2, 3), constI32([]int32{1}, -1), t8(2, 3, 1)}, []int32{0, 1}, []int32{2}))
	add("squeeze_float32", oneOp(43, nil, []tmTensor{f32(1, 3, 1, 2), f32(3, 2)}, []int32{0}, []int32{1}), floatPattern(6))

	// REVERSE_V2 and BROADCAST_TO.
	add("reverse_v2_int8_two_axes", oneOp(105, nil, []tmTensor{t8(2, 3, 4), constI32([]int32{2}, 2, 1), t8(2, 3, 4)}, []int32{0, 1}, []int32{2}))
	add("reverse_v2_float32_axis_last", oneOp(105, nil, []tmTensor{f32(2, 3), constI32([]int32{1}, -1), f32(2, 3)}, []int32{0, 1}, []int32{2}),
		floatPattern(6))
	add("reverse_v2_int64_runtime_axis", oneOp(105, nil, []tmTensor{i64t(3, 2), t32(1), i64t(3, 2)}, []int32{0, 1}, []int32{2}), nil, i32s(0))
	add("reverse_v2_bool", oneOp(105, nil, []tmTensor{ofType(tflite.Bool, 4), constI32([]int32{1}, 0), ofType(tflite.Bool, 4)}, []int32{0, 1}, []int32{2}),
		[]byte{1, 0, 0, 0})
	add("reverse_v2_non_contiguous", oneOp(105, nil, []tmTensor{t8(2, 2, 2), constI32([]int32{2}, 0, 2), t8(2, 2, 2)}, []int32{0, 1}, []int32{2}))
	add("broadcast_to_int8", oneOp(130, nil, []tmTensor{t8(3, 1), constI32([]int32{3}, 2, 3, 4), t8(2, 3, 4)}, []int32{0, 1}, []int32{2}))
	add("broadcast_to_float32_int64_shape", oneOp(130, nil, []tmTensor{f32(2), constTensor(tflite.Int64, []int32{2}, i64s(3, 2), 0), f32(3, 2)},
		[]int32{0, 1}, []int32{2}), floatPattern(2))
	add("broadcast_to_bad", oneOp(130, nil, []tmTensor{t8(3), constI32([]int32{2}, 2, 4), t8(2, 4)}, []int32{0, 1}, []int32{2}))

	// MIRROR_PAD.
	mirror := func(mode int8) *opOptions {
		return &opOptions{typ: 77, nfields: 1, fill: func(b *flatbuffers.Builder) { b.PrependInt8Slot(0, mode, 0) }}
	}
	add("mirror_pad_reflect_int8", oneOp(100, mirror(0), []tmTensor{t8(3, 4), constI32([]int32{2, 2}, 2, 1, 3, 2), t8(6, 9)}, []int32{0, 1}, []int32{2}))
	add("mirror_pad_symmetric_float32", oneOp(100, mirror(1), []tmTensor{f32(2, 3), constI32([]int32{2, 2}, 2, 2, 0, 3), f32(6, 6)}, []int32{0, 1}, []int32{2}),
		floatPattern(6))
	add("mirror_pad_int64_runtime_paddings", oneOp(100, mirror(0), []tmTensor{t8(4), i64t(1, 2), t8(7)}, []int32{0, 1}, []int32{2}), nil, i64s(1, 2))
	add("mirror_pad_int16", oneOp(100, mirror(0), []tmTensor{t16(3), constI32([]int32{1, 2}, 1, 1), t16(5)}, []int32{0, 1}, []int32{2}))

	// SPACE_TO_BATCH_ND and BATCH_TO_SPACE_ND.
	add("space_to_batch_nd_int8", oneOp(38, nil, []tmTensor{t8(1, 4, 4, 2), constI32([]int32{2}, 2, 2), constI32([]int32{2, 2}, 0, 0, 0, 0), t8(4, 2, 2, 2)},
		[]int32{0, 1, 2}, []int32{3}))
	add("space_to_batch_nd_float32_padded", oneOp(38, nil, []tmTensor{f32(2, 3, 2, 1), constI32([]int32{2}, 2, 3), constI32([]int32{2, 2}, 1, 0, 2, 2), f32(12, 2, 2, 1)},
		[]int32{0, 1, 2}, []int32{3}), floatPattern(12))
	add("space_to_batch_nd_3d", oneOp(38, nil, []tmTensor{t8(1, 5, 2), constI32([]int32{1}, 2), constI32([]int32{1, 2}, 1, 0), t8(2, 3, 2)},
		[]int32{0, 1, 2}, []int32{3}))
	add("batch_to_space_nd_int8", oneOp(37, nil, []tmTensor{t8(4, 2, 2, 2), constI32([]int32{2}, 2, 2), constI32([]int32{2, 2}, 0, 0, 0, 0), t8(1, 4, 4, 2)},
		[]int32{0, 1, 2}, []int32{3}))
	add("batch_to_space_nd_float32_cropped", oneOp(37, nil, []tmTensor{f32(12, 2, 2, 1), constI32([]int32{2}, 2, 3), constI32([]int32{2, 2}, 1, 0, 2, 2), f32(2, 3, 2, 1)},
		[]int32{0, 1, 2}, []int32{3}), floatPattern(48))
	add("batch_to_space_nd_3d_runtime_block", oneOp(37, nil, []tmTensor{t8(2, 3, 2), t32(1), constI32([]int32{1, 2}, 1, 0), t8(1, 5, 2)},
		[]int32{0, 1, 2}, []int32{3}), nil, i32s(2))

	// EMBEDDING_LOOKUP and CUMSUM.
	add("embedding_lookup_float32", oneOp(7, nil, []tmTensor{t32(3), constTensor(tflite.Float32, []int32{4, 2}, floatPattern(8), 0), f32(3, 2)},
		[]int32{0, 1}, []int32{2}), i32s(3, 0, 3))
	add("embedding_lookup_int8", oneOp(7, nil, []tmTensor{t32(2), constTensor(tflite.Int8, []int32{3, 2, 2}, OraclePattern(12), 0.5), t8(2, 2, 2)},
		[]int32{0, 1}, []int32{2}), i32s(2, 1))
	add("embedding_lookup_hybrid", oneOp(7, nil, []tmTensor{t32(2), constTensor(tflite.Int8, []int32{3, 4}, OraclePattern(12), 0.25), f32(2, 4)},
		[]int32{0, 1}, []int32{2}), i32s(0, 2))
	add("embedding_lookup_out_of_bounds", oneOp(7, nil, []tmTensor{t32(1), constTensor(tflite.Float32, []int32{2, 2}, floatPattern(4), 0), f32(1, 2)},
		[]int32{0, 1}, []int32{2}), i32s(2))
	cumsum := func(exclusive, reverse bool) *opOptions { return boolOptions(102, 2, 0, exclusive, reverse) }
	add("cumsum_float32", oneOp(128, cumsum(false, false), []tmTensor{f32(2, 3, 2), constI32(nil, 1), f32(2, 3, 2)}, []int32{0, 1}, []int32{2}),
		floatPattern(12))
	add("cumsum_float32_exclusive_reverse", oneOp(128, cumsum(true, true), []tmTensor{f32(2, 3), constI32(nil, -1), f32(2, 3)}, []int32{0, 1}, []int32{2}),
		floatPattern(6))
	add("cumsum_int8", oneOp(128, cumsum(false, false), []tmTensor{q8([]int32{3, 4}, 0.1, 3), constI32([]int32{1}, 0), q8([]int32{3, 4}, 0.3, -5)},
		[]int32{0, 1}, []int32{2}))
	add("cumsum_int8_exclusive", oneOp(128, cumsum(true, false), []tmTensor{q8([]int32{8}, 0.1, -3), t32(1), q8([]int32{8}, 0.5, 0)},
		[]int32{0, 1}, []int32{2}), nil, i32s(0))
	add("cumsum_int16", oneOp(128, nil, []tmTensor{t16(4), constI32(nil, 0), t16(4)}, []int32{0, 1}, []int32{2}))

	// DYNAMIC_UPDATE_SLICE and BROADCAST_ARGS.
	add("dynamic_update_slice_int8", oneOp(151, nil, []tmTensor{t8(3, 4), t8(2, 2), constI32([]int32{2}, 1, 1), t8(3, 4)}, []int32{0, 1, 2}, []int32{3}))
	add("dynamic_update_slice_float32_clamped", oneOp(151, nil, []tmTensor{f32(2, 3), f32(1, 2), t32(2), f32(2, 3)}, []int32{0, 1, 2}, []int32{3}),
		floatPattern(6), floats(9, 8), i32s(5, -3))
	add("dynamic_update_slice_int64_indices_whole", oneOp(151, nil, []tmTensor{t16(2, 2), t16(2, 2), constTensor(tflite.Int64, []int32{2}, i64s(0, 0), 0), t16(2, 2)},
		[]int32{0, 1, 2}, []int32{3}))
	add("dynamic_update_slice_int32_3d", oneOp(151, nil, []tmTensor{t32(2, 3, 4), t32(1, 2, 2), constI32([]int32{3}, 1, 0, 2), t32(2, 3, 4)},
		[]int32{0, 1, 2}, []int32{3}))
	add("broadcast_args_int32", oneOp(145, nil, []tmTensor{t32(3), t32(2), t32(3)}, []int32{0, 1}, []int32{2}), i32s(2, 1, 4), i32s(3, 1))
	add("broadcast_args_int64", oneOp(145, nil, []tmTensor{i64t(1), i64t(2), i64t(2)}, []int32{0, 1}, []int32{2}), i64s(5), i64s(1, 5))

	// L2_POOL_2D.
	pool := func(same bool, stride, filter int32, act byte) *opOptions {
		return &opOptions{typ: 5, nfields: 6, fill: func(b *flatbuffers.Builder) {
			if !same {
				b.PrependByteSlot(0, 1, 0)
			}
			b.PrependInt32Slot(1, stride, 0)
			b.PrependInt32Slot(2, stride, 0)
			b.PrependInt32Slot(3, filter, 0)
			b.PrependInt32Slot(4, filter, 0)
			b.PrependByteSlot(5, act, 0)
		}}
	}
	add("l2_pool_valid", oneOp(12, pool(false, 2, 2, 0), []tmTensor{f32(1, 4, 4, 2), f32(1, 2, 2, 2)}, []int32{0}, []int32{1}), floatPattern(32))
	add("l2_pool_same_relu6", oneOp(12, pool(true, 2, 3, byte(actRelu6)), []tmTensor{f32(2, 5, 3, 1), f32(2, 3, 2, 1)}, []int32{0}, []int32{1}),
		floatPattern(30))
	add("l2_pool_int8", oneOp(12, pool(false, 1, 1, 0), []tmTensor{t8(1, 2, 2, 1), t8(1, 2, 2, 1)}, []int32{0}, []int32{1}))

	// LOG_SOFTMAX.
	libm("log_softmax_float32", oneOp(50, nil, []tmTensor{f32(3, 5), f32(3, 5)}, []int32{0}, []int32{1}), floatPattern(15))
	add("log_softmax_int8", oneOp(50, nil, []tmTensor{q8([]int32{4, 16}, 0.1, -3), q8([]int32{4, 16}, 16.0/256, 127)}, []int32{0}, []int32{1}))
	add("log_softmax_int8_wide", oneOp(50, nil, []tmTensor{q8([]int32{2, 64}, 0.5, 10), q8([]int32{2, 64}, 16.0/256, 127)}, []int32{0}, []int32{1}))
	add("log_softmax_int8_fine", oneOp(50, nil, []tmTensor{q8([]int32{1, 256}, 0.02, 0), q8([]int32{1, 256}, 16.0/256, 127)}, []int32{0}, []int32{1}))
	add("log_softmax_int8_bad_output", oneOp(50, nil, []tmTensor{q8([]int32{1, 4}, 0.1, 0), q8([]int32{1, 4}, 0.1, 0)}, []int32{0}, []int32{1}))

	// IF, WHILE and CALL_ONCE.
	addGraphs := func(name string, graphs []tmGraph, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: buildGraphs(graphs), inputs: inputs})
	}
	ifModel := func(float bool) []tmGraph {
		x := t8(4)
		if float {
			x = f32(4)
		}
		two := constTensor(x.typ, []int32{1}, i8s(4), 0.5)
		if float {
			two = constTensor(tflite.Float32, []int32{1}, floats(2), 0)
		}
		ifOp := tmOp{code: 118, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: 92, nfields: 2,
			options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0); b.PrependInt32Slot(1, 2, 0) }}
		branch := func(code int32) tmGraph {
			return tmGraph{tensors: []tmTensor{x, two, x}, ops: []tmOp{{code: code, inputs: []int32{0, 1}, outputs: []int32{2}}},
				inputs: []int32{0}, outputs: []int32{2}}
		}
		return []tmGraph{
			{tensors: []tmTensor{ofType(tflite.Bool), x, x}, ops: []tmOp{ifOp}, inputs: []int32{0, 1}, outputs: []int32{2}},
			branch(codeAdd), branch(codeSub),
		}
	}
	addGraphs("if_int8_then", ifModel(false), []byte{1}, nil)
	addGraphs("if_int8_else", ifModel(false), []byte{0}, nil)
	addGraphs("if_float32_else", ifModel(true), []byte{0}, floatPattern(4))
	whileModel := []tmGraph{
		{tensors: []tmTensor{t32(1), f32(2), t32(1), f32(2)},
			ops: []tmOp{{code: 119, inputs: []int32{0, 1}, outputs: []int32{2, 3}, optionsType: 93, nfields: 2,
				options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0); b.PrependInt32Slot(1, 2, 0) }}},
			inputs: []int32{0, 1}, outputs: []int32{2, 3}},
		// cond: i < 5.
		{tensors: []tmTensor{t32(1), f32(2), constI32([]int32{1}, 5), ofType(tflite.Bool, 1)},
			ops: []tmOp{{code: 58, inputs: []int32{0, 2}, outputs: []int32{3}}}, inputs: []int32{0, 1}, outputs: []int32{3}},
		// body: i+1, acc*2.
		{tensors: []tmTensor{t32(1), f32(2), constI32([]int32{1}, 1), constTensor(tflite.Float32, []int32{1}, floats(2), 0), t32(1), f32(2)},
			ops:    []tmOp{{code: codeAdd, inputs: []int32{0, 2}, outputs: []int32{4}}, {code: codeMul, inputs: []int32{1, 3}, outputs: []int32{5}}},
			inputs: []int32{0, 1}, outputs: []int32{4, 5}},
	}
	addGraphs("while_counter", whileModel, i32s(0), floats(1, -0.5))
	addGraphs("while_no_iteration", whileModel, i32s(7), floats(1, -0.5))
	callOnce := []tmGraph{
		{tensors: []tmTensor{f32(2), constTensor(tflite.Float32, []int32{2}, floats(1, 2), 0), f32(2)},
			ops: []tmOp{{code: 129, optionsType: 103, nfields: 1, options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0) }},
				{code: codeAdd, inputs: []int32{0, 1}, outputs: []int32{2}}},
			inputs: []int32{0}, outputs: []int32{2}},
		{tensors: []tmTensor{f32(2), f32(2)}, ops: []tmOp{{code: codeRelu, inputs: []int32{0}, outputs: []int32{1}}}},
	}
	addGraphs("call_once", callOnce, floatPattern(2))

	// Kernels the runtime had whose arena entries no shared model checks:
	// MAX_POOL_2D, PADV2, int16 SOFTMAX.
	add("max_pool_int8", oneOp(codeMaxPool2D, pool(false, 2, 2, 0), []tmTensor{t8(1, 4, 4, 2), t8(1, 2, 2, 2)}, []int32{0}, []int32{1}))
	add("pad_v2_int8", oneOp(codePadV2, nil, []tmTensor{t8(2, 3), constI32([]int32{2, 2}, 1, 0, 0, 2), constTensor(tflite.Int8, nil, i8s(-7), 0.5), t8(3, 5)},
		[]int32{0, 1, 2}, []int32{3}))
	add("softmax_int16", softmaxModel(q16([]int32{2, 8}, 0.01, 0), q16([]int32{2, 8}, 1.0/32768, 0), 1))

	// VAR_HANDLE, READ_VARIABLE and ASSIGN_VARIABLE: acc += x, the
	// variable set by a CALL_ONCE init subgraph or left at its fill.
	handle := func() tmOp {
		return tmOp{code: 142, outputs: []int32{0}, optionsType: 111, nfields: 2, strs: []string{"acc"},
			strOptions: func(b *flatbuffers.Builder, strs []flatbuffers.UOffsetT) { b.PrependUOffsetTSlot(1, strs[0], 0) }}
	}
	accumulate := func(x tmTensor, init []byte) []tmGraph {
		main := tmGraph{tensors: []tmTensor{ofType(tflite.Resource), x, x, x},
			ops: []tmOp{handle(), {code: 143, inputs: []int32{0}, outputs: []int32{2}}, {code: codeAdd, inputs: []int32{2, 1}, outputs: []int32{3}},
				{code: 144, inputs: []int32{0, 3}}},
			inputs: []int32{1}, outputs: []int32{3}}
		if init == nil {
			return []tmGraph{main}
		}
		initValue := x
		initValue.data = init
		main.ops = append([]tmOp{{code: 129, optionsType: 103, nfields: 1, options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0) }}}, main.ops...)
		return []tmGraph{main, {tensors: []tmTensor{ofType(tflite.Resource), initValue},
			ops: []tmOp{handle(), {code: 144, inputs: []int32{0, 1}}}}}
	}
	addGraphs("variable_float32_init", accumulate(f32(2), floats(10, -20)), floats(1.5, 2))
	addGraphs("variable_float32_fresh", accumulate(f32(2), nil), floats(1.5, 2))
	addGraphs("variable_int8_fresh", accumulate(q8([]int32{3}, 0.5, -4), nil))

	// Float MAXIMUM and MINIMUM pick as TFLM's comparisons do: NaNs and
	// signed zeros in either position.
	nan := float32(math.NaN())
	for _, op := range []struct {
		name string
		code int32
	}{{"maximum", 55}, {"minimum", 57}} {
		add(op.name+"_float32_nan_zeros", oneOp(op.code, nil, []tmTensor{f32(8), f32(8), f32(8)}, []int32{0, 1}, []int32{2}),
			floats(nan, 1, 0, negZero, nan, 2, negZero, 0), floats(1, nan, negZero, 0, nan, -3, negZero, 0))
	}

	// Custom operators take FlexBuffers options (flexbuf.EncodeMap).
	add("signal_energy_int16", customOneOp("SignalEnergy", map[string]any{"start_index": 1, "end_index": 4},
		[]tmTensor{ofType(tflite.Int16, 10), ofType(tflite.Uint32, 5)}, []int32{0}, []int32{1}))
	cases = append(cases, detectionCases()...)
	cases = append(cases, signalStreamCases()...)
	cases = append(cases, circularBufferCases()...)
	cases = append(cases, decodeCases()...)
	cases = append(cases, coverCases()...)
	cases = append(cases, signalFrontEndCases()...)
	cases = append(cases, bmmCases()...)
	return cases
}

// positiveFloatPattern is floatPattern's magnitudes plus 1/32: positive,
// for LOG, SQRT and RSQRT.
func positiveFloatPattern(n int) []byte {
	v := make([]float32, n)
	for i := range v {
		v[i] = float32(math.Abs(float64(int8(byte(i*7+3)))))/16 + 1.0/32
	}
	return floats(v...)
}

// tflmResult is one line of results.jsonl: what TFLM did with a case.
type tflmResult struct {
	Case           string   `json:"case"`
	Status         string   `json:"status"`
	ArenaUsedBytes int64    `json:"arena_used_bytes"`
	ArenaHeadBytes int64    `json:"arena_head_bytes"`
	ArenaTailBytes int64    `json:"arena_tail_bytes"`
	MinArenaBytes  int64    `json:"min_arena_bytes"`
	Outputs        []string `json:"outputs"`
	Log            string   `json:"log"`
	// Aborted says a kernel ended the last invocation early on purpose
	// (kTfLiteAbort); the outputs are then what it left.
	Aborted bool `json:"aborted"`
}

// readTFLMResults reads results.jsonl by case name.
func readTFLMResults(t *testing.T) map[string]tflmResult {
	return readTFLMResultsFile(t, "results.jsonl")
}

// readTFLMResultsFile reads a results file of tflmOpsDir by case name.
func readTFLMResultsFile(t *testing.T, name string) map[string]tflmResult {
	f, err := os.Open(filepath.Join(tflmOpsDir, name))
	require.NoError(t, err)
	defer f.Close()
	results := map[string]tflmResult{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var r tflmResult
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		results[r.Case] = r
	}
	require.NoError(t, sc.Err())
	return results
}

// TestTFLMOps runs every case and compares with TFLM: outputs bit for bit
// when TFLM ran the model, a refusal when TFLM refused it (to allocate or
// to invoke), and a refusal where the case says TFLM runs garbage.
func TestTFLMOps(t *testing.T) {
	cases := tflmCases()
	if os.Getenv("FOOTPRINT_WRITE_TFLM_OPS") != "" {
		writeTFLMCases(t, cases)
	}
	results := readTFLMResults(t)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			file, err := os.ReadFile(filepath.Join(tflmOpsDir, "models", c.name+".tflite"))
			require.NoError(t, err, "model file missing: set FOOTPRINT_WRITE_TFLM_OPS=1 and measure")
			require.True(t, bytes.Equal(c.model, file), "model differs from testdata: set FOOTPRINT_WRITE_TFLM_OPS=1 and measure")
			want, ok := results[c.name]
			require.True(t, ok, "no TFLM result: measure (testdata/tflm_ops/measure.sh)")
			model, err := tflite.Parse(c.model)
			require.NoError(t, err)
			in, err := New(model)
			if c.refuse != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), c.refuse)
				return
			}
			if want.Status != "ok" {
				if err == nil {
					_, err = in.Run(roundInputs(in, c.inputs))
				}
				require.Error(t, err, "TFLM: %s: %s", want.Status, want.Log)
				return
			}
			require.NoError(t, err, "TFLM ran it")
			mem := in.PrivateMemory()
			aborted := false
			for _, round := range c.rounds() {
				require.NoError(t, in.SetInputs(mem, roundInputs(in, round)))
				err := in.Invoke(mem, nil)
				// An invocation a kernel ends early on purpose is no
				// failure: the next one goes on, in TFLM too.
				if aborted = errors.Is(err, ErrAborted); !aborted {
					require.NoError(t, err)
				}
			}
			assert.Equal(t, want.Aborted, aborted, "whether the last invocation ended early")
			outs := in.OutputData(mem)
			require.Len(t, outs, len(want.Outputs))
			for k, o := range outs {
				if c.ulps > 0 && in.tensors[in.Outputs()[k]].kind == tflite.Float32 {
					wantBytes, err := hex.DecodeString(want.Outputs[k])
					require.NoError(t, err)
					assertULPs(t, wantBytes, o, c.ulps)
					continue
				}
				assert.Equal(t, want.Outputs[k], hex.EncodeToString(o), "output %d", k)
			}
		})
	}
}

// assertULPs checks that two float32 byte strings hold values at most ulps
// units in the last place apart (NaNs must be NaNs).
func assertULPs(t *testing.T, want, got []byte, ulps int) {
	t.Helper()
	require.Len(t, got, len(want))
	w, g := decodeFloats(want, nil), decodeFloats(got, nil)
	for i := range w {
		if math.IsNaN(float64(w[i])) {
			assert.True(t, math.IsNaN(float64(g[i])), "element %d: want NaN, got %g", i, g[i])
			continue
		}
		d := int64(int32(math.Float32bits(w[i]))) - int64(int32(math.Float32bits(g[i])))
		assert.LessOrEqual(t, max(d, -d), int64(ulps), "element %d: want %g, got %g", i, w[i], g[i])
	}
}

// rounds are the inputs of every invocation, the compared one last.
func (c tflmCase) rounds() [][][]byte { return append(slices.Clip(c.earlier), c.inputs) }

// roundInputs are one invocation's inputs, the oracle pattern for those
// not given.
func roundInputs(in *Interpreter, given [][]byte) [][]byte {
	sizes := in.InputBytes()
	inputs := make([][]byte, len(sizes))
	for k, s := range sizes {
		if k < len(given) && given[k] != nil {
			inputs[k] = given[k]
		} else {
			inputs[k] = OraclePattern(s)
		}
	}
	return inputs
}

// writeTFLMCases writes every case's model, and its inputs when given (all
// inputs concatenated, the oracle pattern for those not given), to
// testdata/tflm_ops/models.
func writeTFLMCases(t *testing.T, cases []tflmCase) {
	dir := filepath.Join(tflmOpsDir, "models")
	require.NoError(t, os.MkdirAll(dir, 0o755))
	old, _ := filepath.Glob(filepath.Join(dir, "*"))
	for _, f := range old {
		require.NoError(t, os.Remove(f))
	}
	names := map[string]bool{}
	for _, c := range cases {
		require.False(t, names[c.name], "duplicate case %s", c.name)
		names[c.name] = true
		require.NoError(t, os.WriteFile(filepath.Join(dir, c.name+".tflite"), c.model, 0o644))
		if c.inputs == nil && c.earlier == nil {
			continue
		}
		model, err := tflite.Parse(c.model)
		require.NoError(t, err)
		var raw []byte
		sg := model.Subgraphs[0]
		for _, round := range c.rounds() {
			for k, ti := range sg.Inputs {
				if k < len(round) && round[k] != nil {
					raw = append(raw, round[k]...)
					continue
				}
				n, err := sg.Tensors[ti].Bytes()
				require.NoError(t, err)
				raw = append(raw, OraclePattern(int(n))...)
			}
		}
		require.NoError(t, os.WriteFile(filepath.Join(dir, c.name+".input"), raw, 0o644))
	}
}

// TestTFLMCasesRefuseCleanly: every case model also runs through New and
// Run on hostile inputs (all bytes 0xff) without a panic.
func TestTFLMCasesRefuseCleanly(t *testing.T) {
	for _, c := range tflmCases() {
		model, err := tflite.Parse(c.model)
		require.NoError(t, err)
		in, err := New(model)
		if err != nil {
			continue
		}
		var inputs [][]byte
		for _, s := range in.InputBytes() {
			inputs = append(inputs, bytes.Repeat([]byte{0xff}, s))
		}
		_, err = in.Run(inputs)
		if err != nil {
			assert.NotContains(t, err.Error(), "\n")
		}
	}
}
