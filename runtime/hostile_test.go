package runtime

import (
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// svdfModel is an int8 SVDF of rank 1 with two filters, memory 3, a bias and an
// int16 state, over the given number of batches.
func svdfModel(batches int32) []byte {
	state := q16([]int32{batches, 6}, 1.0/1024, 0)
	state.variable = true
	tensors := []tmTensor{
		q8([]int32{batches, 2}, 0.5, 0),
		constTensor(tflite.Int8, []int32{2, 2}, i8s(1, 2, 3, 4), 0.25),
		constTensor(tflite.Int16, []int32{2, 3}, i16s(1, 2, 3, 4, 5, 6), 0.25),
		state,
		q8([]int32{batches, 2}, 0.5, 0),
		constTensor(tflite.Int32, []int32{2}, i32s(5, -5), 0.25/1024),
	}
	op := tmOp{code: codeSVDF, inputs: []int32{0, 1, 2, 5, 3}, outputs: []int32{4}, optionsType: optionsSVDF, nfields: 3,
		options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, 1, 0) }}
	return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{4})
}

// samePoolModel is an int8 MAX_POOL_2D with SAME padding, stride 1 and a
// filter x filter window over a 1x4x4x1 image.
func samePoolModel(filter int32) []byte {
	pool := tmOp{code: codeMaxPool2D, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsPool2D, nfields: 6,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, 0, 1) // SAME
			b.PrependInt32Slot(1, 1, 0)
			b.PrependInt32Slot(2, 1, 0)
			b.PrependInt32Slot(3, filter, 0)
			b.PrependInt32Slot(4, filter, 0)
		}}
	return buildModel([]tmTensor{q8([]int32{1, 4, 4, 1}, 0.5, 0), q8([]int32{1, 4, 4, 1}, 0.5, 0)},
		[]tmOp{pool}, []int32{0}, []int32{1})
}

// huge is the largest dimension a .tflite shape can hold; a zero
// dimension ahead of it keeps the tensor empty, within New's size limit.
const huge = 1<<31 - 1

// TestHostileModelsFailCleanly feeds New models whose shapes or
// quantisation once made it, or Invoke, panic: each must be refused with
// an error naming the problem, or run.
func TestHostileModelsFailCleanly(t *testing.T) {
	for _, tc := range []struct {
		name  string
		model []byte
		err   string // "" if the model must run
	}{
		{
			// inC/filterInC is 0 groups: a division by zero.
			name: "conv with zero input channels",
			model: conv2DModel(tflite.Float32, []tmTensor{
				q8([]int32{1, 1, 1, 0}, 1, 0),
				constTensor(tflite.Int8, []int32{1, 1, 1, 1}, i8s(1), 1),
				q8([]int32{1, 1, 1, 1}, 1, 0),
			}),
			err: "does not fit",
		},
		{
			// A real multiplier of 1e9 would shift the int64 path by a
			// negative count.
			name: "16x8 conv with a huge multiplier",
			model: conv2DModel(tflite.Float32, []tmTensor{
				q16([]int32{1, 1, 1, 1}, 1, 0),
				constTensor(tflite.Int8, []int32{1, 1, 1, 1}, i8s(1), 1),
				q16([]int32{1, 1, 1, 1}, 1e-9, 0),
				constTensor(tflite.Int64, []int32{1}, i64s(0), 0),
			}),
			err: "16x8 requantisation multiplier",
		},
		{
			// beta*scale*2^26 below 1/2 gives a negative left shift.
			name:  "int8 softmax with a tiny input scale",
			model: softmaxModel(q8([]int32{1, 4}, 1e-9, 0), q8([]int32{1, 4}, 1.0/256, -128), 1),
			err:   "too small",
		},
		{
			// Float axes would have been decoded as zeros, axis 0.
			name: "mean over float axes",
			model: buildModel([]tmTensor{
				q8([]int32{2, 2}, 1, 0),
				{typ: tflite.Float32, shape: []int32{1}, data: floats(1)},
				q8([]int32{2}, 1, 0),
			}, []tmOp{{code: codeMean, inputs: []int32{0, 1}, outputs: []int32{2}}}, []int32{0}, []int32{2}),
			err: "axis type FLOAT32 (INT32 only)",
		},
		{
			// The int8 input would have been decoded as one float.
			name: "float ADD of an int8 input",
			model: buildModel([]tmTensor{
				q8([]int32{4}, 1, 0),
				{typ: tflite.Float32, shape: []int32{4}},
				{typ: tflite.Float32, shape: []int32{4}},
			}, []tmOp{{code: codeAdd, inputs: []int32{0, 1}, outputs: []int32{2}}}, []int32{0, 1}, []int32{2}),
			err: "types INT8, FLOAT32 -> FLOAT32 not supported",
		},
		{
			// Four float outputs would have been encoded into four bytes.
			name: "float FULLY_CONNECTED with an int8 output",
			model: buildModel([]tmTensor{
				{typ: tflite.Float32, shape: []int32{1, 2}},
				{typ: tflite.Float32, shape: []int32{4, 2}, data: floats(1, 2, 3, 4, 5, 6, 7, 8)},
				q8([]int32{1, 4}, 1, 0),
			}, []tmOp{{code: codeFullyConnected, inputs: []int32{0, 1, -1}, outputs: []int32{2}}}, []int32{0}, []int32{2}),
			err: "float input with FLOAT32 filter and INT8 output not supported",
		},
		{
			// No pixels to scan, but the window's taps were sized by the
			// empty image's huge height and width.
			name: "pool with a huge window over an empty image of huge size",
			model: buildModel([]tmTensor{q8([]int32{0, huge, huge, 1}, 0.5, 0), q8([]int32{0, huge, huge, 1}, 0.5, 0)},
				[]tmOp{{code: codeMaxPool2D, inputs: []int32{0}, outputs: []int32{1}, optionsType: optionsPool2D, nfields: 6,
					options: func(b *flatbuffers.Builder) {
						b.PrependByteSlot(0, 0, 1) // SAME
						b.PrependInt32Slot(1, 1, 0)
						b.PrependInt32Slot(2, 1, 0)
						b.PrependInt32Slot(3, 1<<30, 0)
						b.PrependInt32Slot(4, 1<<30, 0)
					}}}, []int32{0}, []int32{1}),
			err: "empty tensor",
		},
		{name: "svdf", model: svdfModel(1)},
		{
			// SAME padding puts no bound on a pool's window: TFLM visits
			// only the part over the image, and so must the runtime.
			name:  "pool with a 2^30-pixel-wide window",
			model: samePoolModel(1 << 30),
		},
		{
			// An empty state has no first element to shift out.
			name:  "svdf with no batches",
			model: svdfModel(0),
			err:   "do not fit",
		},
		{
			// 8192 equal inputs sum to 2^32, which wraps to 0.
			name:  "int8 softmax row whose sum wraps",
			model: softmaxModel(q8([]int32{1, 8192}, 0.1, 0), q16([]int32{1, 8192}, 1.0/65536, -32768), 1),
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			model, err := tflite.Parse(tc.model)
			require.NoError(t, err)
			in, err := New(model)
			if tc.err != "" {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tc.err)
				return
			}
			require.NoError(t, err)
			assert.NoError(t, in.Invoke(in.PrivateMemory(), nil))
		})
	}
}

// TestHostileIndicesFailTheRun: index inputs computed at run time that
// point outside their tensor fail Invoke with an error naming the
// operator, where TFLM's kernels read outside the tensor (its own
// malicious_gather fuzzing seed crashes its GATHER); constant ones are
// refused by New.
func TestHostileIndicesFailTheRun(t *testing.T) {
	for _, tc := range []struct {
		name   string
		model  []byte
		inputs [][]byte
		err    string
	}{
		{"gather position past the axis", oneOp(codeGather, int32Options(optionsGather, 0),
			[]tmTensor{t8(4, 3), t32(2), t8(2, 3)}, []int32{0, 1}, []int32{2}),
			[][]byte{OraclePattern(12), i32s(1, 1<<30)}, "operator 0 GATHER: position 1073741824 outside the params' axis 0 of size 4"},
		{"gather negative position", oneOp(codeGather, int32Options(optionsGather, 1),
			[]tmTensor{t8(4, 3), t32(1), t8(4, 1)}, []int32{0, 1}, []int32{2}),
			[][]byte{OraclePattern(12), i32s(-1)}, "position -1 outside"},
		{"gather_nd past the params", oneOp(codeGatherNd, nil,
			[]tmTensor{t8(2, 3), t32(1, 2), t8(1)}, []int32{0, 1}, []int32{2}),
			[][]byte{OraclePattern(6), i32s(1<<20, 5)}, "operator 0 GATHER_ND: gather_nd index out of bounds"},
		{"slice past the input", oneOp(65, nil,
			[]tmTensor{t8(4), t32(1), constI32([]int32{1}, 2), t8(2)}, []int32{0, 1, 2}, []int32{3}),
			[][]byte{OraclePattern(4), i32s(3)}, "operator 0 SLICE: slice begin [3] size [2] does not fit input [4]"},
		{"arg_max axis out of range", oneOp(56, nil,
			[]tmTensor{t8(2, 3), t32(1), t32(3)}, []int32{0, 1}, []int32{2}),
			[][]byte{OraclePattern(6), i32s(7)}, "operator 0 ARG_MAX: axis 7 out of range"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in, err := newModel(t, tc.model)
			require.NoError(t, err)
			_, err = in.Run(tc.inputs)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.err)
			// The same indices as constants are refused before running.
		})
	}
	constant := oneOp(codeGather, int32Options(optionsGather, 0),
		[]tmTensor{t8(4, 3), constI32([]int32{1}, 9), t8(1, 3)}, []int32{0, 1}, []int32{2})
	_, err := newModel(t, constant)
	require.ErrorContains(t, err, "operator 0 GATHER: position 9 outside the params' axis 0 of size 4")

	// A RESHAPE whose output shape's product overflows is refused while
	// its tensors are described, before any kernel sees it.
	reshape := buildModel([]tmTensor{t8(4), t8(huge, huge, huge, 4)},
		[]tmOp{{code: 22, inputs: []int32{0}, outputs: []int32{1}}}, []int32{0}, []int32{1})
	_, err = newModel(t, reshape)
	require.ErrorContains(t, err, "too large")
}

// TestHostileControlFlow: a subgraph that calls itself fails the run once
// calls nest maxCallDepth deep (TFLM recurses until its stack overflows),
// and calling the main subgraph or one the model lacks is refused.
func TestHostileControlFlow(t *testing.T) {
	ifOp := func(then, otherwise int32) tmOp {
		return tmOp{code: 118, inputs: []int32{0, 1}, outputs: []int32{2}, optionsType: 92, nfields: 2,
			options: func(b *flatbuffers.Builder) { b.PrependInt32Slot(0, then, 0); b.PrependInt32Slot(1, otherwise, 0) }}
	}
	graph := func(op tmOp) tmGraph {
		return tmGraph{tensors: []tmTensor{ofType(tflite.Bool), f32(2), f32(2)}, ops: []tmOp{op}, inputs: []int32{0, 1}, outputs: []int32{2}}
	}
	// Subgraph 1 is an IF, on a constant true condition, of subgraph 1.
	recurse := ifOp(1, 1)
	recurse.inputs = []int32{1, 0}
	self := buildGraphs([]tmGraph{graph(ifOp(1, 1)), {
		tensors: []tmTensor{f32(2), constTensor(tflite.Bool, nil, []byte{1}, 0), f32(2)},
		ops:     []tmOp{recurse}, inputs: []int32{0}, outputs: []int32{2},
	}})
	in, err := newModel(t, self)
	require.NoError(t, err)
	_, err = in.Run([][]byte{{1}, floats(1, 2)})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "operator 0 IF:")

	for _, tc := range []struct {
		model []byte
		err   string
	}{
		{buildGraphs([]tmGraph{graph(ifOp(0, 0))}), "calls the main subgraph 0"},
		{buildGraphs([]tmGraph{graph(ifOp(5, 1))}), "subgraph 5 does not exist"},
	} {
		_, err := newModel(t, tc.model)
		require.Error(t, err)
		assert.Contains(t, err.Error(), tc.err)
	}
}
