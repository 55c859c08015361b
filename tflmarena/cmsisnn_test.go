package tflmarena

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// The expected sizes below are worked out by hand from CMSIS-NN's
// *_get_buffer_size functions at CMSISNNCommit, for the paths no shared
// model takes.

func TestConvBuffers(t *testing.T) {
	in := dims{n: 1, h: 8, w: 8, c: 3}
	f3 := dims{n: 1, h: 3, w: 3, c: 3}
	// 27 columns: padded to 28 int16 pairs, or two 16-byte MVE blocks times 4.
	assert.Equal(t, int64(112), convS8Buffer(DSP, in, f3))
	assert.Equal(t, int64(112), convS8Buffer(NoExtension, in, f3))
	assert.Equal(t, int64(128), convS8Buffer(MVE, in, f3))
	// int16: 45 columns, two of int16, or 4 x ceil(45/8) x 8 int16.
	in5 := dims{n: 1, h: 8, w: 8, c: 5}
	assert.Equal(t, int64(180), convS16Buffer(DSP, in5, dims{n: 1, h: 3, w: 3, c: 5}))
	assert.Equal(t, int64(384), convS16Buffer(MVE, in5, dims{n: 1, h: 3, w: 3, c: 5}))

	same := convParams{strideH: 1, strideW: 1, dilH: 1, dilW: 1}
	f1 := dims{n: 1, h: 1, w: 1, c: 3}
	for _, ext := range []Extension{NoExtension, DSP, MVE} {
		assert.Zero(t, convWrapperS8(ext, same, in, f1, in), "1x1 %s", ext)
		strided := same
		strided.strideH, strided.strideW = 2, 2
		assert.Zero(t, convWrapperS8(ext, strided, in, f1, in), "strided 1x1 %s", ext)
		padded := same
		padded.padH, padded.padW = 1, 1
		assert.Equal(t, convS8Buffer(ext, in, f3), convWrapperS8(ext, padded, in, f3, in), "3x3 %s", ext)
	}

	// 1xN on MVE: a 1x3 filter over a row of 10 with 4 channels, SAME:
	// one padded column each side, so only the border: max(3*4+4, 2*4+4).
	row := dims{n: 1, h: 1, w: 10, c: 4}
	f13 := dims{n: 1, h: 1, w: 3, c: 4}
	pad1 := convParams{strideH: 1, strideW: 1, padW: 1, dilH: 1, dilW: 1}
	assert.Equal(t, int64(16), convWrapperS8(MVE, pad1, row, f13, row))
	assert.Equal(t, int64(48), convWrapperS8(DSP, pad1, row, f13, row))
	// Stride 2 over 10 -> 5 columns: total padding 1, all on the right.
	half := dims{n: 1, h: 1, w: 5, c: 4}
	stride2 := convParams{strideH: 1, strideW: 2, dilH: 1, dilW: 1}
	assert.Equal(t, int64(12), convWrapperS8(MVE, stride2, row, f13, half))
}

func TestDepthwiseBuffers(t *testing.T) {
	in := dims{n: 1, h: 10, w: 10, c: 8}
	f3 := dims{n: 1, h: 3, w: 3, c: 8}
	f5 := dims{n: 1, h: 5, w: 5, c: 8}
	pad1 := convParams{strideH: 1, strideW: 1, padH: 1, padW: 1, dilH: 1, dilW: 1}
	pad2 := convParams{strideH: 1, strideW: 1, padH: 2, padW: 2, dilH: 1, dilW: 1}
	// DSP and plain C have a dedicated 3x3 kernel; MVE blocks 124 channels.
	assert.Zero(t, dwWrapperS8(DSP, pad1, in, f3, in))
	assert.Zero(t, dwWrapperS8(NoExtension, pad1, in, f3, in))
	assert.Equal(t, int64(4*124*9), dwWrapperS8(MVE, pad1, in, f3, in))
	assert.Equal(t, int64(8*25*2), dwWrapperS8(DSP, pad2, in, f5, in))
	assert.Zero(t, dwWrapperS8(NoExtension, pad2, in, f5, in))
	assert.Equal(t, int64(4*124*25), dwWrapperS8(MVE, pad2, in, f5, in))
	// Dilation or a depth multiplier: the generic kernel, no buffer.
	dilated := pad2
	dilated.dilH = 2
	assert.Zero(t, dwWrapperS8(DSP, dilated, in, f5, in))
	wide := dims{n: 1, h: 10, w: 10, c: 16}
	assert.Zero(t, dwWrapperS8(DSP, pad2, in, dims{n: 1, h: 5, w: 5, c: 16}, wide))
	// One input channel into eight on MVE runs as a convolution: a 3x3x1
	// im2col block (64) plus the reordered 8x3x3 filter (72).
	one := dims{n: 1, h: 10, w: 10, c: 1}
	assert.Equal(t, int64(136), dwWrapperS8(MVE, pad1, one, f3, in))
	assert.Zero(t, dwWrapperS8(DSP, pad1, one, f3, in))
	// int4 filters: the DSP formula on every core without MVE.
	assert.Equal(t, int64(8*9*2), dwWrapperS4(NoExtension, pad1, in, f3, in))
	assert.Equal(t, int64(8*9*2), dwWrapperS4(DSP, pad1, in, f3, in))
	assert.Equal(t, int64(4*124*9), dwWrapperS4(MVE, pad1, in, f3, in))
}

func TestTransposeConvBuffers(t *testing.T) {
	// 20 input channels, stride 2: a convolution over the reversed filter.
	in := dims{n: 1, h: 4, w: 4, c: 20}
	filter := dims{n: 16, h: 3, w: 3, c: 20}
	out := dims{n: 1, h: 8, w: 8, c: 16}
	buf, rev := transposeConvS8Buffers(DSP, 2, 2, in, filter, out)
	assert.Equal(t, []int64{720, 20 * 9 * 16}, []int64{buf, rev})
	buf, rev = transposeConvS8Buffers(MVE, 2, 2, in, filter, out)
	assert.Equal(t, []int64{768, 20 * 9 * 16}, []int64{buf, rev})
	// 8 input channels: the column buffer, ((4-1)*2 + 3) * 16 by 3 int32.
	in8 := dims{n: 1, h: 4, w: 4, c: 8}
	buf, rev = transposeConvS8Buffers(NoExtension, 2, 2, in8, dims{n: 16, h: 3, w: 3, c: 8}, out)
	assert.Equal(t, []int64{1728, 0}, []int64{buf, rev})
}

func TestConvPadding(t *testing.T) {
	in := dims{h: 49, w: 40}
	f := dims{h: 10, w: 8}
	h, w := convPadding(tflite.PaddingSame, 2, 2, 1, 1, in, f)
	// out 25x20: (24*2+10-49)/2 = 4, (19*2+8-40)/2 = 3.
	assert.Equal(t, []int64{4, 3}, []int64{h, w})
	h, w = convPadding(tflite.PaddingValid, 1, 1, 1, 1, in, f)
	assert.Equal(t, []int64{0, 0}, []int64{h, w})
	h, w = convPadding(tflite.Padding(7), 1, 1, 1, 1, in, f)
	assert.Equal(t, []int64{0, 0}, []int64{h, w})
}

// oneOpModel is a model of a single operator over tensors; data gives
// constant tensors their bytes (by tensor index).
func oneOpModel(op tflite.BuiltinOp, tensors []tflite.Tensor, data map[int32][]byte, inputs, outputs []int32) *tflite.Model {
	m := &tflite.Model{
		OpCodes: []tflite.OpCode{{Builtin: op}},
		Buffers: []tflite.Buffer{{}},
		Subgraphs: []tflite.Subgraph{{
			Tensors:   tensors,
			Operators: []tflite.Operator{{Inputs: inputs, Outputs: outputs}},
			Outputs:   outputs,
		}},
	}
	sg := &m.Subgraphs[0]
	for _, i := range inputs {
		if i < 0 {
			continue
		}
		if d, ok := data[i]; ok {
			sg.Tensors[i].Buffer = uint32(len(m.Buffers))
			m.Buffers = append(m.Buffers, tflite.Buffer{Data: d})
			continue
		}
		sg.Inputs = append(sg.Inputs, i)
	}
	return m
}

// kernelAllocations estimates m with CMSIS-NN on cpu and returns what its
// operator keeps beyond OpData (tail) and requests as scratch, by what,
// with the OpData size.
func kernelAllocations(t *testing.T, m *tflite.Model, cpu string) (opData int64, tail, scratch map[string]int64) {
	t.Helper()
	abi := CortexM
	if cpu != "" {
		var err error
		abi, err = ParseTarget("cortex-m", "cmsis-nn", cpu)
		require.NoError(t, err)
	}
	est, err := EstimateArena(m, abi)
	require.NoError(t, err)
	require.True(t, est.Exact, est.Reasons)
	tail, scratch = map[string]int64{}, map[string]int64{}
	for _, a := range est.Allocations {
		if a.Op == 0 && a.Category == PersistentBuffers {
			if a.What == "OpData" {
				opData = a.Bytes
				continue
			}
			tail[a.What] += a.Bytes
		}
	}
	for _, s := range est.scratchBuffers() {
		scratch[s.Name[len(scratchPrefix):]] += s.Bytes
	}
	return opData, tail, scratch
}

func q8(shape ...int32) tflite.Tensor {
	return tflite.Tensor{Shape: shape, Type: tflite.Int8, Quant: &tflite.Quantization{Scale: []float32{0.5}, ZeroPoint: []int64{0}}}
}

func TestCMSISNNFullyConnected(t *testing.T) {
	bias := tflite.Tensor{Shape: []int32{4}, Type: tflite.Int32}
	model := func(constant bool, out ...int32) *tflite.Model {
		data := map[int32][]byte{2: make([]byte, 16)}
		if constant {
			data[1] = make([]byte, 64)
		}
		return oneOpModel(tflite.OpFullyConnected, []tflite.Tensor{q8(1, 16), q8(4, 16), bias, q8(out...)}, data, []int32{0, 1, 2}, []int32{3})
	}
	none := map[string]int64{}
	for cpu, want := range map[string]struct{ tail, scratch map[string]int64 }{
		"":              {none, none},
		"cortex-m0plus": {none, none},
		"cortex-m4":     {none, none},
		// MVE precomputes the 4 output channels' kernel sums.
		"cortex-m55": {map[string]int64{"kernel sums": 16}, none},
	} {
		opData, tail, scratch := kernelAllocations(t, model(true, 1, 4), cpu)
		assert.Equal(t, want.tail, tail, cpu)
		assert.Equal(t, want.scratch, scratch, cpu)
		assert.Equal(t, map[bool]int64{true: 48, false: 72}[cpu == ""], opData, cpu)
	}
	// A filter computed at run time: the sums become scratch.
	_, tail, scratch := kernelAllocations(t, model(false, 1, 4), "cortex-m85")
	assert.Equal(t, none, tail)
	assert.Equal(t, map[string]int64{"kernel sums": 16}, scratch)
	// Three output dimensions and a depth of 16: a 1x1 convolution, with
	// per-channel multipliers and shifts faked in scratch.
	for _, cpu := range []string{"cortex-m3", "cortex-m33", "cortex-m55"} {
		_, tail, scratch = kernelAllocations(t, model(true, 1, 1, 4), cpu)
		assert.Equal(t, none, tail, cpu)
		assert.Equal(t, map[string]int64{"per-channel quantisation for the 1x1 convolution": 32}, scratch, cpu)
	}
}

func TestCMSISNNAveragePool(t *testing.T) {
	m := oneOpModel(tflite.OpAveragePool2D, []tflite.Tensor{q8(1, 4, 4, 8), q8(1, 1, 1, 8)}, nil, []int32{0}, []int32{1})
	for cpu, want := range map[string]map[string]int64{
		"cortex-m0plus": {},
		"cortex-m7":     {"channel accumulators": 32},
		"cortex-m85":    {},
	} {
		opData, _, scratch := kernelAllocations(t, m, cpu)
		assert.Equal(t, int64(36), opData)
		assert.Equal(t, want, scratch, cpu)
	}
}

func TestCMSISNNLSTMInt16(t *testing.T) {
	tensors := make([]tflite.Tensor, 25)
	for i := range tensors {
		tensors[i] = tflite.Tensor{Shape: []int32{1}, Type: tflite.Int8}
	}
	tensors[0] = tflite.Tensor{Shape: []int32{1, 1, 4}, Type: tflite.Int16}
	tensors[18] = tflite.Tensor{Shape: []int32{1, 8}, Type: tflite.Int16, IsVariable: true}
	tensors[19] = tflite.Tensor{Shape: []int32{1, 8}, Type: tflite.Int16, IsVariable: true}
	tensors[24] = tflite.Tensor{Shape: []int32{1, 1, 8}, Type: tflite.Int16}
	inputs := make([]int32, 24)
	for i := range inputs {
		inputs[i] = -1
	}
	inputs[0], inputs[18], inputs[19] = 0, 18, 19
	m := oneOpModel(tflite.OpUnidirectionalSequenceLSTM, tensors, nil, inputs, []int32{24})
	// 16x8 LSTM: eight int64 kernel sums of 8 hidden units, three gate
	// buffers of 8 int16 instead of the reference kernel's four.
	opData, tail, scratch := kernelAllocations(t, m, "cortex-m4")
	assert.Equal(t, int64(912), opData)
	assert.Equal(t, map[string]int64{"kernel sums": 8 * 64}, tail)
	assert.Equal(t, map[string]int64{"gate buffer": 3 * 16}, scratch)
	_, tail, scratch = kernelAllocations(t, m, "")
	assert.Empty(t, tail)
	assert.Equal(t, map[string]int64{"gate buffer": 4 * 16}, scratch)
}

func TestCMSISNNBatchMatmulAndTranspose(t *testing.T) {
	m := oneOpModel(tflite.OpBatchMatMul, []tflite.Tensor{q8(2, 3), q8(3, 4), q8(2, 4)}, nil, []int32{0, 1}, []int32{2})
	want := map[string]int64{
		"transposed operand TfLiteEvalTensor": 12, "transposed operand dims": 12, "transposed operand": 12,
		"writable output dims": 12, "quantisation parameters": 28,
	}
	for cpu, sums := range map[string]int64{"cortex-m4": 0, "cortex-m55": 16} {
		opData, tail, scratch := kernelAllocations(t, m, cpu)
		assert.Equal(t, int64(36), opData)
		assert.Equal(t, want, tail, cpu)
		if sums == 0 {
			assert.Empty(t, scratch, cpu)
		} else {
			assert.Equal(t, map[string]int64{"kernel sums": sums}, scratch, cpu)
		}
	}
	// The reference kernels' BATCH_MATMUL is modelled too.
	est, err := EstimateArena(m, CortexM)
	require.NoError(t, err)
	assert.True(t, est.Exact)

	// An operand of rank 1 fails TFLM's Prepare, and ours.
	bad := oneOpModel(tflite.OpBatchMatMul, []tflite.Tensor{q8(3), q8(3, 4), q8(4)}, nil, []int32{0, 1}, []int32{2})
	abi, err := ParseTarget("cortex-m", "cmsis-nn", "cortex-m4")
	require.NoError(t, err)
	_, err = EstimateArena(bad, abi)
	require.ErrorContains(t, err, "BATCH_MATMUL operand of 1 dimensions")

	tr := oneOpModel(tflite.OpTranspose, []tflite.Tensor{q8(2, 3), {Shape: []int32{2}, Type: tflite.Int32}, q8(3, 2)},
		map[int32][]byte{1: {1, 0, 0, 0, 0, 0, 0, 0}}, []int32{0, 1}, []int32{2})
	for _, cpu := range []string{"", "cortex-m4"} {
		opData, tail, scratch := kernelAllocations(t, tr, cpu)
		assert.Zero(t, opData)
		assert.Empty(t, tail)
		assert.Empty(t, scratch)
	}
}

func TestParseTarget(t *testing.T) {
	abi, err := ParseTarget("cortex-m", "", "")
	require.NoError(t, err)
	assert.Equal(t, ReferenceKernels, abi.Kernels.Set)
	assert.Nil(t, abi.Kernels.CPU)

	abi, err = ParseTarget("cortex-m", "cmsis-nn", "Cortex-M0+")
	require.NoError(t, err)
	assert.Equal(t, "cortex-m0plus", abi.Kernels.CPU.Name)
	assert.Equal(t, NoExtension, abi.Kernels.CPU.Extension)
	assert.Equal(t, "CMSIS-NN kernels on cortex-m0plus, plain-C path", abi.Kernels.String())

	abi, err = ParseTarget("cortex-m", "reference", "cortex-m85")
	require.NoError(t, err)
	assert.Equal(t, "reference kernels, cortex-m85", abi.Kernels.String())

	for _, c := range []struct{ target, kernels, cpu, want string }{
		{"cortex-m", "cmsis-nn", "", "CMSIS-NN kernels need a CPU"},
		{"cortex-m", "xtensa", "", `unknown kernel set "xtensa"`},
		{"cortex-m", "cmsis-nn", "cortex-a53", `unknown CPU "cortex-a53"`},
		{"host64", "cmsis-nn", "cortex-m4", "cortex-m4 is a Cortex-M core: it needs target cortex-m, not host64"},
		{"avr", "", "", `unknown target "avr"`},
	} {
		_, err := ParseTarget(c.target, c.kernels, c.cpu)
		assert.ErrorContains(t, err, c.want)
	}

	// A hand-made ABI that claims CMSIS-NN without a CPU is refused.
	bad := CortexM
	bad.Kernels = Kernels{Set: CMSISNN}
	_, err = EstimateArena(sharedModel(t, "hello_world__hello_world_int8"), bad)
	require.ErrorContains(t, err, "CMSIS-NN kernels are modelled for a Cortex-M CPU")

	for _, c := range CPUs() {
		assert.Equal(t, c.IsMeasured(), c.Note == "", c.Name)
		m, err := CPUByName(c.Measured)
		require.NoError(t, err)
		assert.True(t, m.IsMeasured(), c.Name)
	}
}
