package tflmarena

import (
	"fmt"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// stepKind is what one step of a kernel's Prepare does to the arena.
type stepKind int

const (
	// stepTemp: AllocateTempInputTensor / AllocateTempOutputTensor, a
	// TfLiteTensor (plus its quantisation) in the temporary section.
	stepTemp stepKind = iota
	// stepPersistent: context->AllocatePersistentBuffer(bytes), 16-aligned.
	stepPersistent
	// stepScratch: context->RequestScratchBufferInArena(bytes), planned
	// with the tensors in the head.
	stepScratch
	// stepClearOfTemps, a kernel's last step: the tail must not have
	// reached the live temporaries but for their last bytes. TFLM does not
	// check it (a persistent allocation only checks the head), but a
	// kernel that allocates persistent buffers after its temporaries then
	// deallocates them, reading the quantisation pointers of each, and
	// AllocateTensors fails or crashes if it overwrote one. bytes is how
	// far the tail may reach into them: the last temporary's zero-point
	// array and the end of its TfLiteAffineQuantization after the
	// zero_point pointer, which deallocation does not read.
	stepClearOfTemps
	// stepConflicts, a kernel's last step in place of stepClearOfTemps:
	// the pairs of byte ranges of its earlier steps' allocations that must
	// not overlap (see access and conflictsOf).
	stepConflicts
)

// step is one allocation a kernel's Prepare makes, in TFLM's order.
type step struct {
	kind      stepKind
	tensor    int32 // stepTemp: the subgraph tensor index
	bytes     int64 // stepPersistent, stepScratch
	what      string
	conflicts []stepConflict // stepConflicts
}

// kernel is the allocation behaviour of one reference kernel beyond its
// OpData: the extra buffers of its Init and the steps of its Prepare.
type kernel struct {
	// init lists Init's persistent buffers after its OpData (whose size
	// is in ABI.OpData); nil when it has none.
	init    func(n *node, abi *ABI) []step
	prepare func(n *node) []step
}

// node is one operator being prepared, with helpers to read its tensors.
type node struct {
	m   *tflite.Model
	sg  *tflite.Subgraph
	op  *tflite.Operator
	abi *ABI
	ext Extension // the CMSIS-NN code path; "" for the reference kernels
	// vars are the model's resource variables as prepared so far.
	vars *resourceVariables
	// err is the first error reading the operator's options; the builder
	// checks it after the kernel's steps (a sticky error keeps the kernel
	// models plain lists of steps).
	err error
}

// fail records the first error of the node.
func (n *node) fail(err error) {
	if n.err == nil {
		n.err = err
	}
}

// isConstant reports whether tensor t has data in the model, which TFLM
// marks kTfLiteMmapRo (IsConstantTensor).
func (n *node) isConstant(t int32) bool {
	tt := n.tensor(t)
	return tt != nil && len(n.m.TensorData(*tt)) > 0
}

// input returns the tensor index of input i, or -1 when absent or omitted.
func (n *node) input(i int) int32 {
	if i >= len(n.op.Inputs) {
		return -1
	}
	return n.op.Inputs[i]
}

// output returns the tensor index of output i, or -1 when absent.
func (n *node) output(i int) int32 {
	if i >= len(n.op.Outputs) {
		return -1
	}
	return n.op.Outputs[i]
}

// tensor returns tensor t, or nil for -1 or an index out of range.
func (n *node) tensor(t int32) *tflite.Tensor {
	if t < 0 || int(t) >= len(n.sg.Tensors) {
		return nil
	}
	return &n.sg.Tensors[t]
}

// dim returns dimension d of tensor t, or 0 when it has none.
func (n *node) dim(t int32, d int) int64 {
	tt := n.tensor(t)
	if tt == nil || d >= len(tt.Shape) {
		return 0
	}
	return int64(tt.Shape[d])
}

// rank returns the number of dimensions of tensor t.
func (n *node) rank(t int32) int64 {
	if tt := n.tensor(t); tt != nil {
		return int64(len(tt.Shape))
	}
	return 0
}

// elements returns the element count of tensor t.
func (n *node) elements(t int32) int64 {
	tt := n.tensor(t)
	if tt == nil {
		return 0
	}
	return elementCount(tt)
}

// typeOf returns the element type of tensor t.
func (n *node) typeOf(t int32) tflite.TensorType {
	if tt := n.tensor(t); tt != nil {
		return tt.Type
	}
	return -1
}

// temps lists temporary TfLiteTensor allocations of the given inputs (by
// input position) and outputs (by output position, written as -1-pos).
func (n *node) temps(positions ...int) []step {
	var out []step
	for _, p := range positions {
		t := int32(-1)
		if p >= 0 {
			t = n.input(p)
		} else {
			t = n.output(-1 - p)
		}
		if t >= 0 {
			out = append(out, step{kind: stepTemp, tensor: t})
		}
	}
	return out
}

// Output positions for node.temps.
const (
	out0 = -1
	out1 = -2
)

func persistent(bytes int64, what string) step {
	return step{kind: stepPersistent, bytes: bytes, what: what}
}

func scratch(bytes int64, what string) step {
	return step{kind: stepScratch, bytes: bytes, what: what}
}

// perChannel is the pair of per-channel output multiplier and shift arrays
// that conv-like kernels allocate in Prepare.
func perChannel(channels int64) []step {
	return []step{
		persistent(4*channels, "per-channel output multipliers"),
		persistent(4*channels, "per-channel output shifts"),
	}
}

// kernels is the allocation model of each reference kernel of TFLM at the
// pinned commit (tensorflow/lite/micro/kernels/*.cc and the Signal
// library's signal/micro/kernels), for the operators it models, read from
// their Init and Prepare. Init's OpData size lives in ABI.OpData; Prepare's
// steps are here. The shared oracle models exercise FULLY_CONNECTED,
// CONV_2D, DEPTHWISE_CONV_2D, TRANSPOSE_CONV, SOFTMAX (int8/float), ADD,
// SUB, MUL, DIV, MAXIMUM, MINIMUM, RESHAPE, QUANTIZE, CAST, LOGISTIC,
// LEAKY_RELU, AVERAGE_POOL_2D, STRIDED_SLICE, PAD, CONCATENATION, SVDF,
// UNIDIRECTIONAL_SEQUENCE_LSTM and the Signal ops; the one-operator
// models of testdata/tflm_ops, measured on TFLM built for the host
// (TestTFLMOpsArena), check every other entry on host64 (the cortex-m
// sizes of their OpData and options structs are sizeof probes compiled
// with arm-none-eabi-g++ against TFLM's sources). The older operators'
// element types and edge cases (per-channel and 16x8 convolutions, int4
// filters, every pooling, SOFTMAX, QUANTIZE and CAST type) have one-operator
// cases too (runtime's coverCases).
var kernels = map[Op]kernel{
	opFullyConnected: {prepare: func(n *node) []step {
		s := n.temps(0, 1, 2, out0)
		filter := n.tensor(n.input(1))
		if filter != nil && filter.Type == tflite.Int4 {
			s = append(s, scratch(n.elements(n.input(1)), "unpacked int4 filter"))
		}
		if n.typeOf(n.input(0)) != tflite.Float32 && filter != nil && filter.Quant != nil && len(filter.Quant.Scale) > 1 {
			// Allocated while the four temporaries are live.
			s = append(s, perChannel(int64(len(filter.Quant.Scale)))...)
			s = append(s, clearOfTemps(n, n.output(0))...)
		}
		return s
	}},
	opConv2D:          {prepare: convPrepare(0)},
	opDepthwiseConv2D: {prepare: convPrepare(3)},
	opTransposeConv: {prepare: func(n *node) []step {
		// Inputs: output shape, filter, input, bias.
		s := n.temps(out0, 2, 1)
		s = append(s, perChannel(n.dim(n.input(1), 0))...)
		switch n.typeOf(n.input(2)) {
		case tflite.Int8:
			s = append(s, scratch(4*n.elements(n.output(0)), "int32 accumulators"))
		case tflite.Int16:
			s = append(s, scratch(8*n.elements(n.output(0)), "int64 accumulators"))
		}
		if n.typeOf(n.input(2)) != tflite.Float32 {
			s = append(s, n.temps(2, 1, 3, out0)...)
			if n.typeOf(n.input(2)) == tflite.Int16 && n.typeOf(n.input(3)) == tflite.Int16 {
				s = append(s, scratch(8*n.elements(n.input(3)), "int64 bias"))
			}
		}
		return s
	}},
	opSoftmax: {prepare: func(n *node) []step {
		s := n.temps(0, out0)
		if n.typeOf(n.input(0)) == tflite.Int16 {
			s = append(s, persistent(2*513, "exp lookup table"), persistent(2*513, "1/(1+x) lookup table"))
			s = append(s, clearOfTemps(n, n.output(0))...)
		}
		return s
	}},
	opAdd:           {prepare: binaryPrepare},
	opSub:           {prepare: binaryPrepare},
	opMul:           {prepare: binaryPrepare},
	opDiv:           {prepare: binaryPrepare},
	opMaximum:       {},
	opMinimum:       {},
	opReshape:       {prepare: unaryPrepare},
	opQuantize:      {prepare: unaryPrepare},
	opCast:          {prepare: unaryPrepare},
	opLogistic:      {prepare: unaryPrepare},
	opLeakyRelu:     {prepare: unaryPrepare},
	opAveragePool2D: {prepare: unaryPrepare},
	opMaxPool2D:     {prepare: unaryPrepare},
	opStridedSlice:  {prepare: func(n *node) []step { return n.temps(0, 1, 2, 3, out0) }},
	opTranspose:     {prepare: func(n *node) []step { return n.temps(0, 1, out0) }},
	opPad:           {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opPadV2:         {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opConcatenation: {prepare: func(n *node) []step {
		s := n.temps(0, out0)
		for i := range n.op.Inputs {
			s = append(s, n.temps(i)...)
		}
		return s
	}},
	opSVDF: {prepare: func(n *node) []step {
		s := n.temps(0, 1, 2, 3, 4, out0)
		batch := n.dim(n.input(0), 0)
		filters := n.dim(n.input(1), 0)
		s = append(s, scratch(4*mulSat(batch, filters), "feature activations"))
		if n.typeOf(n.input(0)) == tflite.Int8 {
			s = append(s, scratch(4*mulSat(batch, n.dim(n.output(0), 1)), "unit accumulators"))
		}
		return s
	}},
	opUnidirectionalSequenceLSTM: {prepare: func(n *node) []step {
		positions := make([]int, 0, 25)
		for i := range 24 {
			positions = append(positions, i)
		}
		s := n.temps(append(positions, out0)...)
		// batch_size * state_dimension is the hidden state's (input 18)
		// element count; the buffers hold cell-state (input 19) elements.
		bytes := n.elements(n.input(18)) * typeSize(n.typeOf(n.input(19)))
		for range 4 {
			s = append(s, scratch(bytes, "gate buffer"))
		}
		return s
	}},

	opDequantize:            {prepare: unaryPrepare},
	opRelu:                  {prepare: unaryPrepare},
	opRelu6:                 {prepare: func(n *node) []step { return n.temps(0) }},
	opTanh:                  {prepare: func(n *node) []step { return n.temps(0, 0, out0) }},
	opExpandDims:            {prepare: func(n *node) []step { return n.temps(0, 1, out0) }},
	opSqueeze:               {prepare: unaryPrepare},
	opPrelu:                 {prepare: binaryPrepare},
	opHardSwish:             {prepare: unaryPrepare},
	opL2Normalization:       {prepare: unaryPrepare},
	opResizeNearestNeighbor: {prepare: binaryPrepare},
	opResizeBilinear:        {prepare: binaryPrepare},
	opShape:                 {},
	opPack:                  {},
	opUnpack:                {},
	opSplit:                 {prepare: func(n *node) []step { return n.temps(0) }},
	opSplitV:                {prepare: func(n *node) []step { return n.temps(2) }},
	opGather:                {prepare: outputDimsPrepare},
	opGatherNd:              {prepare: outputDimsPrepare},
	opMean:                  {prepare: meanOrSumPrepare},
	opSum:                   {prepare: meanOrSumPrepare},
	opReduceMax:             {prepare: minMaxPrepare},
	opReduceMin:             {prepare: minMaxPrepare},
	opReduceAll:             {prepare: reduceAllPrepare},
	opArgMax:                {},
	opArgMin:                {},
	opBatchMatMul:           {prepare: batchMatMulPrepare},
	opSlice:                 {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opZerosLike:             {prepare: unaryPrepare},
	opFill:                  {prepare: binaryPrepare},
	opSelectV2:              {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opAddN:                  {prepare: addNPrepare},
	opFloorDiv:              {prepare: binaryPrepare},
	opFloorMod:              {prepare: binaryPrepare},
	opElu:                   {prepare: unaryPrepare},
	opSpaceToDepth:          {prepare: spaceDepthPrepare},
	opDepthToSpace:          {prepare: spaceDepthPrepare},
	opReverseV2:             {prepare: binaryPrepare},
	opBroadcastTo:           {prepare: binaryPrepare},
	opSpaceToBatchND:        {prepare: unaryPrepare},
	opBatchToSpaceND:        {prepare: unaryPrepare},
	opDynamicUpdateSlice:    {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opBroadcastArgs:         {prepare: binaryPrepare},
	opLogSoftmax: {prepare: func(n *node) []step {
		s := n.temps(0, out0)
		if n.typeOf(n.input(0)) == tflite.Int8 {
			// LogSoftmaxOpData: five int32 and two size_t.
			s = append(s, persistent(alignUp(20, n.abi.Pointer.Size)+2*n.abi.Pointer.Size, "OpData"))
			s = append(s, clearOfTemps(n, n.output(0))...)
		}
		return s
	}},
	// IF allocates its condition; WHILE and CALL_ONCE nothing. The called
	// subgraphs' tensors are planned with the main graph's (tensorplan's
	// lifetimes).
	opIf:       {prepare: func(n *node) []step { return n.temps(0) }},
	opWhile:    {},
	opCallOnce: {},
	// Resource variables (variables.go).
	opVarHandle:      {prepare: varHandlePrepare},
	opAssignVariable: {prepare: assignVariablePrepare},
	opReadVariable:   {prepare: func(n *node) []step { return n.temps(0) }},
	opL2Pool2D: {prepare: func(n *node) []step {
		s := n.temps(out0, 0)
		return append(s, persistent(intArrayBytes(n.rank(n.output(0))), "writable output dims"))
	}},
	opEmbeddingLookup: {prepare: func(n *node) []step {
		s := n.temps(0, 1, out0)
		s = append(s,
			persistent(intArrayBytes(n.rank(n.output(0))), "writable output dims"),
			persistent(2*n.abi.Pointer.Size, "OpData"))
		return append(s, clearOfTemps(n, n.output(0))...)
	}},
	opCumsum: {prepare: func(n *node) []step {
		s := n.temps(0, 1, out0)
		if n.typeOf(n.input(0)) == tflite.Int8 {
			s = append(s, persistent(36, "OpData"))
			s = append(s, clearOfTemps(n, n.output(0))...)
		}
		return s
	}},
	opMirrorPad: {prepare: func(n *node) []step {
		s := n.temps(0, 1, out0)
		return append(s,
			scratch(4*n.rank(n.input(0)), "output dimension strides"),
			scratch(4*n.rank(n.input(0)), "input dimension strides"))
	}},
	// Elementwise math (elementwise.cc's GenericPrepare and
	// PrepareAbsRsqrt, exp.cc, ceil.cc, round.cc); NEG and FLOOR have no
	// Prepare.
	opAbs:        {prepare: unaryPrepare},
	opRsqrt:      {prepare: unaryPrepare},
	opSin:        {prepare: unaryPrepare},
	opCos:        {prepare: unaryPrepare},
	opLog:        {prepare: unaryPrepare},
	opSqrt:       {prepare: unaryPrepare},
	opSquare:     {prepare: unaryPrepare},
	opLogicalNot: {prepare: unaryPrepare},
	opExp:        {prepare: unaryPrepare},
	opCeil:       {prepare: unaryPrepare},
	opRound:      {prepare: unaryPrepare},
	opNeg:        {},
	opFloor:      {},
	// Comparisons allocate their two inputs only; LOGICAL_AND and
	// LOGICAL_OR have no Prepare.
	opSquaredDifference: {prepare: binaryPrepare},
	opEqual:             {prepare: comparisonPrepare},
	opNotEqual:          {prepare: comparisonPrepare},
	opGreater:           {prepare: comparisonPrepare},
	opGreaterEqual:      {prepare: comparisonPrepare},
	opLess:              {prepare: comparisonPrepare},
	opLessEqual:         {prepare: comparisonPrepare},
	opLogicalAnd:        {},
	opLogicalOr:         {},

	opSignalWindow:       {prepare: func(n *node) []step { return n.temps(0, 1, out0) }},
	opSignalFftAutoScale: {prepare: func(n *node) []step { return n.temps(0, out0, out1) }},
	opSignalRfft: {
		init: func(n *node, abi *ABI) []step {
			return []step{persistent(kissFFTRBytes(n.customInt("fft_length"), tflite.TensorType(n.customInt("T")), abi), "kiss_fftr state")}
		},
		prepare: func(n *node) []step {
			s := n.temps(0, out0)
			return append(s, scratch(n.customInt("fft_length")*typeSize(tflite.TensorType(n.customInt("T"))), "fft work area"))
		},
	},
	opSignalEnergy: {prepare: unaryPrepare},
	opSignalFilterBank: {
		init: func(n *node, _ *ABI) []step {
			return []step{persistent(mulSat(8, n.customInt("num_channels")+1), "accumulator work area")}
		},
		prepare: func(n *node) []step { return n.temps(0, 1, 2, 3, 4, 5, out0) },
	},
	opSignalFilterBankSqrt: {prepare: func(n *node) []step { return n.temps(0, 1, out0) }},
	opSignalSpectralSubtraction: {
		init: func(n *node, _ *ABI) []step {
			return []step{persistent(mulSat(4, n.customInt("num_channels")), "noise estimate")}
		},
		prepare: func(n *node) []step { return n.temps(0, out0, out1) },
	},
	opSignalPCAN:          {prepare: func(n *node) []step { return n.temps(0, 1, 2, out0) }},
	opSignalFilterBankLog: {prepare: unaryPrepare},
	opSignalDelay:         {prepare: delayPrepare},
	opSignalFramer:        {prepare: framerPrepare},
	opSignalStacker:       {init: stackerInit, prepare: func(n *node) []step { return n.temps(0, out0, out1) }},
	opSignalOverlapAdd:    {prepare: overlapAddPrepare},
	opSignalIrfft:         {init: irfftInit, prepare: unaryPrepare},

	opDetectionPostProcess: {prepare: detectionPrepare},

	// CIRCULAR_BUFFER's Init allocates its OpData (cycles_max and the
	// count down to the next run), its Prepare the two temporaries.
	opCircularBuffer: {prepare: unaryPrepare},
	opDecode:         {prepare: decodePrepare},
}

// decodePrepare models TFLM_DECODE (decode.cc and decode_state*.cc): an
// array of one DecodeState pointer per output, then for each output its
// encoded input, ancillary input and output as temporaries and the
// decoder object its DCM's type asks for; a Prune decoder of an int8
// output with several channels and a non-zero zero point copies the zero
// points, one byte each.
func decodePrepare(n *node) []step {
	outputs := len(n.op.Outputs)
	s := []step{persistent(n.abi.Pointer.Size*int64(outputs), "DecodeState pointers")}
	for k := range outputs {
		s = append(s, n.temps(2*k, 2*k+1, -1-k)...)
		anc := n.tensor(n.input(2*k + 1))
		var data []byte
		if anc != nil {
			data = n.m.TensorData(*anc)
		}
		if len(data) < 16 || data[0] > 2 {
			n.fail(fmt.Errorf("output %d: no decode metadata of a decode type TFLM has (LUT, Huffman, Prune)", k))
			return s
		}
		out := n.tensor(n.output(k))
		typ, wide := data[0], data[5]&1 != 0
		// Unless it is the last, the next output's temporaries go right
		// above this one's: the decoder must not reach into them at all.
		spare := int64(0)
		if k == outputs-1 {
			spare = decodeSpare(n.abi, typ, wide, out)
		}
		s = append(s, persistent(n.abi.DecodeStates[typ], "DecodeState"),
			step{kind: stepClearOfTemps, bytes: spare, what: "live temporaries"})
		if typ != 2 || out == nil || out.Type != tflite.Int8 || quantChannels(out) < 2 {
			continue
		}
		if slices.ContainsFunc(out.Quant.ZeroPoint, func(zp int64) bool { return int32(zp) != 0 }) {
			// Copying the zero points into it must not overwrite the
			// quantisation's pointers, which the deallocation reads.
			s = append(s, persistent(quantChannels(out), "per-channel zero points"))
			if k == outputs-1 {
				spare = n.abi.TfLiteAffineQuantization.Size - 2*n.abi.Pointer.Size + intArrayBytes(quantChannels(out))
			}
			s = append(s, step{kind: stepClearOfTemps, bytes: spare, what: "live temporaries"})
		}
	}
	return s
}

// lastDim is the innermost dimension of tensor t.
func lastDim(n *node, t int32) int64 {
	tt := n.tensor(t)
	if tt == nil || len(tt.Shape) == 0 {
		return 0
	}
	return int64(tt.Shape[len(tt.Shape)-1])
}

// kissFFTRBytes is kiss_fftr_alloc's memory for a real FFT of length
// fftLength (kissfft 1.3.0 as TFLM's Signal library builds it): the
// kiss_fftr_state (three pointers), the complex sub-FFT's kiss_fft_state
// (nfft, inverse, 64 factors and nfft twiddles) and 3/2 nfft super
// twiddles and temporary values, where nfft = fftLength/2. sizeof probes
// of the three builds (signal/src/kiss_fft_wrappers, g++ and
// arm-none-eabi-g++ as in abi.go) give kiss_fft_state 268 bytes in the
// int16 build and 272 in the int32 and float ones (4-byte twiddles[1]
// then 8-byte), kiss_fftr_state three pointers, on both ABIs: the sub-FFT
// is 264 bytes plus nfft complex values in every build. It fails on
// an odd length and reports no size (0); a negative length is taken as
// implausible (-1).
func kissFFTRBytes(fftLength int64, t tflite.TensorType, abi *ABI) int64 {
	switch {
	case fftLength < 0:
		return -1
	case fftLength%2 != 0:
		return 0
	}
	complexBytes := 2 * typeSize(t)
	nfft := fftLength / 2
	subState := 4 + 4 + 4*2*32 + complexBytes*nfft
	return 3*abi.Pointer.Size + subState + complexBytes*(nfft*3/2)
}

// convPrepare models CONV_2D and DEPTHWISE_CONV_2D, whose per-channel
// arrays are sized by the filter's quantised dimension.
func convPrepare(channelDim int) func(n *node) []step {
	return func(n *node) []step {
		s := n.temps(out0, 0, 1)
		s = append(s, perChannel(n.dim(n.input(1), channelDim))...)
		s = append(s, n.temps(0, 1, 2, out0)...)
		if n.typeOf(n.input(1)) == tflite.Int4 {
			s = append(s, scratch(n.elements(n.input(1)), "unpacked int4 filter"))
		}
		return s
	}
}

// meanOrSumPrepare models MEAN and SUM (reduce_common.cc).
func meanOrSumPrepare(n *node) []step {
	s := n.temps(0, out0, 1)
	quantized := n.typeOf(n.input(0)) == tflite.Int8 || n.typeOf(n.input(0)) == tflite.Int16
	if quantized {
		s = append(s, scratch(4*n.elements(n.output(0)), "accumulators"))
	}
	s = append(s,
		scratch(4*n.rank(n.input(0)), "input iterator"),
		scratch(4*n.elements(n.input(1)), "resolved axes"))
	s = append(s, n.temps(0, 1)...)
	if n.typeOf(n.input(0)) == tflite.Int8 {
		s = append(s, n.temps(out0)...)
	}
	return s
}

// minMaxPrepare models REDUCE_MAX and REDUCE_MIN (PrepareMinMaxHelper):
// PrepareSimple's temporaries first, then the iterator and axis scratch.
func minMaxPrepare(n *node) []step {
	s := n.temps(0, 1)
	if n.typeOf(n.input(0)) == tflite.Int8 {
		s = append(s, n.temps(out0)...)
	}
	s = append(s, n.temps(0, out0, 1)...)
	return append(s,
		scratch(4*n.rank(n.input(0)), "input iterator"),
		scratch(4*n.elements(n.input(1)), "resolved axes"))
}

// reduceAllPrepare models REDUCE_ALL (PrepareAllHelper).
func reduceAllPrepare(n *node) []step {
	s := n.temps(0, out0, 1)
	s = append(s, n.temps(0, 1)...)
	return append(s,
		scratch(4*n.rank(n.input(0)), "input iterator"),
		scratch(4*n.elements(n.input(1)), "resolved axes"))
}

// intArrayBytes is TfLiteIntArrayGetSizeInBytes: the size field and the
// elements.
func intArrayBytes(rank int64) int64 { return 4 + 4*rank }

// outputDimsPrepare models GATHER and GATHER_ND, whose Prepare gives the
// output its computed shape in a persistent copy of its dims
// (CreateWritableTensorDimsWithCopy).
func outputDimsPrepare(n *node) []step {
	s := n.temps(0, 1, out0)
	return append(s, persistent(intArrayBytes(n.rank(n.output(0))), "writable output dims"))
}

// batchMatMulPrepare models BATCH_MATMUL: the quantisation parameters of
// an integer product, a persistent transposed copy (a TfLiteEvalTensor,
// its dims and its data) of the left operand when adj_x and of the right
// one unless adj_y, and the output's rewritten dims, all allocated while
// the three temporaries are live: which of their bytes may lie under the
// temporaries is batchMatMulConflicts'.
func batchMatMulPrepare(n *node) []step {
	o, err := n.op.BatchMatMulOptions()
	if err != nil {
		n.fail(err)
	}
	s := n.temps(0, 1, out0)
	for _, t := range []int32{n.input(0), n.input(1)} {
		if r := n.rank(t); r < 2 || r > 5 {
			n.fail(fmt.Errorf("BATCH_MATMUL operand of %d dimensions: TFLM's Prepare wants 2 to 5", r))
			return s
		}
	}
	if len(s) < 3 {
		return s // TFLM's Prepare fails
	}
	var acc []access
	write := func(i int, lo, hi int64) { acc = append(acc, access{writePersistent, region{step: i, lo: lo, hi: hi}}) }
	field := func(k accessKind, i, part int, f Field) { acc = append(acc, access{k, fieldOf(i, part, f)}) }
	f := &n.abi.Fields
	typ := n.typeOf(n.input(0))
	quantized := typ == tflite.Int8 || typ == tflite.Int16
	quant := len(s)
	if quantized {
		s = append(s, persistent(7*4, "quantisation parameters"))
	}
	// AllocInitTransposeTensorFromTfLiteTensor: the TfLiteEvalTensor's
	// type, the dims (the operand's rank, read through its dims, then its
	// dims swapped), the size of the data (its dims and type again); the
	// data is written by Eval only, and only its pointer is read there.
	var evals []int
	transposed := func(t int32, temp int) {
		ev := len(s)
		evals = append(evals, ev)
		s = append(s, persistent(n.abi.TfLiteEvalTensor.Size, "transposed operand TfLiteEvalTensor"))
		field(writePersistent, ev, partStruct, f.EvalType)
		field(readTemp, temp, partStruct, f.TensorDims)
		dims := intArrayBytes(n.rank(t))
		write(len(s), 0, dims)
		s = append(s, persistent(dims, "transposed operand dims"))
		field(writePersistent, ev, partStruct, f.EvalDims)
		field(readTemp, temp, partStruct, f.TensorDims)
		field(readTemp, temp, partStruct, f.TensorType)
		s = append(s, persistent(mulSat(n.elements(t), typeSize(n.typeOf(t))), "transposed operand"))
		field(writePersistent, ev, partStruct, f.EvalData)
	}
	if o.AdjX {
		transposed(n.input(0), 0)
	}
	if !o.AdjY {
		transposed(n.input(1), 1)
	}
	if quantized {
		// The multiplier, shift and activation range; an int16 product
		// then checks the three zero points are 0; then they are copied.
		write(quant, 0, 16)
		if typ == tflite.Int16 {
			for temp := range 3 {
				field(readTemp, temp, partStruct, f.TensorZeroPoint)
			}
		}
		write(quant, 16, 28)
	}
	// The operands' shapes; ReshapeOutputTensor: the output's element
	// count and rank, then CreateWritableTensorDimsWithCopy (the new dims'
	// size, the output's dims pointer, the copied dims), the dims rewritten
	// through that pointer and counted again; Eval reads them.
	for temp := range 3 {
		field(readTemp, temp, partStruct, f.TensorDims)
	}
	dims, out := len(s), intArrayBytes(n.rank(n.output(0)))
	s = append(s, persistent(out, "writable output dims"))
	write(dims, 0, 4)
	field(writeTemp, 2, partStruct, f.TensorDims)
	write(dims, 4, out)
	field(readTemp, 2, partStruct, f.TensorDims)
	acc = append(acc, access{needPersistent, region{step: dims, lo: 0, hi: out}})
	// DeallocateTempTfLiteTensor of each: it reads the quantisation's
	// type, pointer and zero-point pointer (an unquantised one's type),
	// then clears four fields.
	for temp, t := range []int32{n.input(0), n.input(1), n.output(0)} {
		if tt := n.tensor(t); tt != nil && quantChannels(tt) > 0 {
			field(readTemp, temp, partStruct, f.TensorQuantization)
			field(readTemp, temp, partQuantization, f.AffineZeroPoint)
		} else {
			field(readTemp, temp, partStruct, f.TensorQuantizationType)
		}
		field(writeTemp, temp, partStruct, f.TensorQuantization)
		field(writeTemp, temp, partStruct, f.TensorData)
		field(writeTemp, temp, partStruct, f.TensorDims)
	}
	for _, ev := range evals {
		field(needPersistent, ev, partStruct, f.EvalData)
	}
	return append(s, conflictsOf(acc))
}

// addNPrepare models ADD_N: the first input, the output, the other
// inputs, then a scratch array of input pointers; an int8 ADD_N allocates
// its OpData in Prepare (it has no Init).
func addNPrepare(n *node) []step {
	s := n.temps(0, out0)
	for i := 1; i < len(n.op.Inputs); i++ {
		s = append(s, n.temps(i)...)
	}
	if n.typeOf(n.input(0)) == tflite.Int8 {
		s = append(s, persistent(40, "OpData"))
	}
	return append(s, scratch(n.abi.Pointer.Size*int64(len(n.op.Inputs)), "input pointers"))
}

// clearOfTemps is the stepClearOfTemps of a kernel whose last temporary
// is tensor t: none unless t is quantised (a float temporary's
// deallocation reads nothing the tail overwrites at TFLM's minimum).
func clearOfTemps(n *node, t int32) []step {
	tt := n.tensor(t)
	if tt == nil || tt.Quant == nil || len(tt.Quant.Scale) == 0 || len(tt.Quant.ZeroPoint) == 0 {
		return nil
	}
	spare := n.abi.TfLiteAffineQuantization.Size - 2*n.abi.Pointer.Size + intArrayBytes(int64(len(tt.Quant.Scale)))
	return []step{{kind: stepClearOfTemps, bytes: spare, what: "live temporaries"}}
}

// spaceDepthPrepare models SPACE_TO_DEPTH and DEPTH_TO_SPACE, which
// rewrite the output's dims in a persistent copy.
func spaceDepthPrepare(n *node) []step {
	s := n.temps(0, out0)
	return append(s, persistent(intArrayBytes(n.rank(n.output(0))), "writable output dims"))
}

func binaryPrepare(n *node) []step { return n.temps(0, 1, out0) }

func comparisonPrepare(n *node) []step { return n.temps(0, 1) }

func unaryPrepare(n *node) []step { return n.temps(0, out0) }

// mulSat multiplies two sizes of at most maxTensorBytes, saturating at
// maxTensorBytes+1 so that the product cannot overflow.
func mulSat(a, b int64) int64 {
	if a != 0 && b > (maxTensorBytes+1)/a {
		return maxTensorBytes + 1
	}
	return a * b
}

// elementCount is the number of elements of a tensor (1 for a scalar).
func elementCount(t *tflite.Tensor) int64 {
	n := int64(1)
	for _, d := range t.Shape {
		n *= int64(d)
	}
	return n
}

// typeSize is TFLM's TfLiteTypeSizeOf for a schema tensor type, 0 for types
// TFLM cannot place in the arena.
func typeSize(t tflite.TensorType) int64 {
	switch t {
	case tflite.Int8, tflite.Uint8, tflite.Bool, tflite.Int4:
		return 1
	case tflite.Float16, tflite.Int16, tflite.Uint16, 18: // 18: BFLOAT16
		return 2
	case tflite.Float32, tflite.Int32, tflite.Uint32, 13: // 13: RESOURCE
		return 4
	case tflite.Int64, tflite.Uint64, tflite.Float64, 8: // 8: COMPLEX64
		return 8
	case 11: // COMPLEX128
		return 16
	}
	return 0
}

// decodeSpare is how far the DecodeState of a TFLM_DECODE output may reach
// into the output's temporary, the last one, without TFLM failing (built
// without NDEBUG, as its Makefile and the harness build it, TFLM checks
// its TFLITE_DCHECKs): whatever lies above the last
// field read after the allocation may be overwritten. Every decoder reads
// the output's dims; the deallocation of the temporaries the quantisation
// pointers; LUT and Prune the quantised dimension; Prune the zero-point
// array's size (a DCHECK) and its zero points, which must stay zero for
// other outputs than int8 (an int8 output decodes garbage zero points); a
// 16-bit Huffman table the output's type.
func decodeSpare(abi *ABI, typ byte, wide bool, out *tflite.Tensor) int64 {
	if out == nil {
		return 0
	}
	ch := quantChannels(out)
	switch {
	case ch == 0 && typ == 1 && !wide:
		return abi.TfLiteTensor.Size - abi.TfLiteTensorTypeEnd
	case ch == 0:
		return abi.TfLiteTensor.Size - abi.TfLiteTensorDimsEnd
	case typ == 1:
		return abi.TfLiteAffineQuantization.Size - 2*abi.Pointer.Size + intArrayBytes(ch)
	case typ == 0:
		// The quantised dimension, an int, follows the two pointers.
		return abi.TfLiteAffineQuantization.Size - 2*abi.Pointer.Size - 4 + intArrayBytes(ch)
	case out.Type == tflite.Int8:
		return 4 * ch
	}
	return 0
}
