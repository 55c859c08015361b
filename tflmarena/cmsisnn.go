package tflmarena

import (
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// cmsisOpData is the OpData each kernel of TFLM's kernels/cmsis_nn/ asks
// Init for on the cortex-m ABI (32-bit pointers, GCC's short enums), worked
// out from the structs at TFLMCommit and CMSISNNCommit: most wrap the
// reference kernel's OpData and add a scratch-buffer index, kernel sums or
// CMSIS-NN's own parameters. The oracle's kPersistentBufferData totals
// confirm every size a shared model exercises (all but BATCH_MATMUL and
// MAX_POOL_2D's, which shares AVERAGE_POOL_2D's struct). Kernels absent
// here have no Init.
var cmsisOpData = map[Op]int64{
	// OpDataFullyConnected (48) + buffer_conv_1x1_idx, buffer_idx,
	// kernel_sums, batches, accum_depth, output_depth.
	opFullyConnected: 72,
	// OpDataConv (56) + buffer_idx.
	opConv2D:          60,
	opDepthwiseConv2D: 60,
	// OpDataPooling (32) + buffer_idx.
	opAveragePool2D: 36,
	opMaxPool2D:     36,
	// SoftmaxParams (56) + num_rows, row_size.
	opSoftmax: 64,
	// OpDataSvdf (36) + kernel_sums (KERNELS_OPTIMIZED_FOR_SPEED: no
	// scratch_weight_tensor_index).
	opSVDF: 40,
	// ConvParams + three buffer indices + two per-channel pointers: the
	// reference OpData's 72 plus bias_converted_buffer_index.
	opTransposeConv: 76,
	// OpDataLSTM (688, 8-aligned) + cmsis_nn_lstm_params (15 int32 and
	// four 40-byte gates: 220), rounded up to 8.
	opUnidirectionalSequenceLSTM: 912,
	// OpDataBatchMatmul (three pointers, three bools: 16) + the output's
	// cmsis_nn_dims (16) + buffer_idx.
	opBatchMatMul: 36,
	// The same structs as the reference kernels'.
	opAdd:   60,
	opMul:   36,
	opPad:   56,
	opPadV2: 56,
}

// cmsisKernels models the Prepare of every TFLM kernel that has a
// kernels/cmsis_nn/ version at TFLMCommit, with the buffer-size functions
// of CMSIS-NN at CMSISNNCommit as arm-none-eabi-gcc compiles them (two of
// them differ under Arm Compiler 6: arm_convolve_1x1_s8_fast's DSP buffer
// and the depthwise-to-convolution threshold on MVE). n.ext is the CPU's
// extension. The build defines KERNELS_OPTIMIZED_FOR_SPEED, TFLM's
// default, so kernel sums live in persistent memory rather than scratch.
// ADD, MUL, PAD/PADV2, MAXIMUM and MINIMUM allocate exactly what their
// reference kernels do; TRANSPOSE too, and the reference set shares it.
var cmsisKernels = map[Op]kernel{
	opFullyConnected:             {prepare: cmsisFullyConnected},
	opConv2D:                     {prepare: cmsisConv},
	opDepthwiseConv2D:            {prepare: cmsisDepthwiseConv},
	opAveragePool2D:              {prepare: cmsisAveragePool},
	opMaxPool2D:                  {prepare: unaryPrepare},
	opSoftmax:                    kernels[opSoftmax],
	opSVDF:                       {prepare: cmsisSVDF},
	opTransposeConv:              {prepare: cmsisTransposeConv},
	opUnidirectionalSequenceLSTM: {prepare: cmsisLSTM},
	opBatchMatMul:                {prepare: cmsisBatchMatmul},
	opTranspose:                  kernels[opTranspose],
	opAdd:                        kernels[opAdd],
	opMul:                        kernels[opMul],
	opPad:                        kernels[opPad],
	opPadV2:                      kernels[opPadV2],
	opMaximum:                    kernels[opMaximum],
	opMinimum:                    kernels[opMinimum],
}

// dims is CMSIS-NN's cmsis_nn_dims: batches, height, width, channels.
type dims struct{ n, h, w, c int64 }

// convParams are the parts of cmsis_nn_conv_params and
// cmsis_nn_dw_conv_params the buffer sizes read.
type convParams struct {
	strideH, strideW int64
	padH, padW       int64
	dilH, dilW       int64
}

// mul multiplies sizes, saturating at maxTensorBytes+1 like mulSat.
func mul(xs ...int64) int64 {
	p := int64(1)
	for _, x := range xs {
		p = mulSat(p, x)
	}
	return p
}

// ceilDiv is a/b rounded up, for a >= 0 and b > 0.
func ceilDiv(a, b int64) int64 { return (a + b - 1) / b }

// is1x1 is arm_nn_is_convolve_1x1.
func is1x1(p convParams, in, filter dims) bool {
	return p.padW == 0 && p.padH == 0 && filter.w == 1 && filter.h == 1 && p.dilW == 1 && p.dilH == 1 && in.c == filter.c
}

// is1xN is arm_nn_is_convolve_1_x_n.
func is1xN(p convParams, in, filter dims) bool {
	return in.h == 1 && p.dilW == 1 && filter.h == 1 && mulSat(p.strideW, in.c)%4 == 0 && in.c == filter.c
}

// convS8Buffer is arm_convolve_s8_get_buffer_size: an im2col buffer of two
// columns of int16 padded to four (plain C and DSP), or four MVE registers'
// worth of int8 per column block (MVE).
func convS8Buffer(ext Extension, in, filter dims) int64 {
	cols := mul(filter.w, filter.h, in.c)
	if ext == MVE {
		return 4 * ceilDiv(cols, 16) * 16
	}
	return 2 * alignUp(cols, 4) * 2
}

// convS16Buffer is arm_convolve_s16_get_buffer_size.
func convS16Buffer(ext Extension, in, filter dims) int64 {
	cols := mul(in.c, filter.w, filter.h)
	if ext == MVE {
		return 4 * ceilDiv(cols, 8) * 8 * 2
	}
	return 2 * cols * 2
}

// conv1xNS8MVE is arm_convolve_1_x_n_s8_get_buffer_size_mve: no im2col
// buffer beyond the padded border when the padding splits evenly over the
// output columns.
func conv1xNS8MVE(p convParams, in, filter, out dims) int64 {
	stride := p.strideW
	totalPad := (out.w-1)*stride + filter.w - in.w
	asymPad := totalPad % 2
	var right, left int64
	if p.padW+asymPad != 0 {
		right = max(1, (p.padW+asymPad+stride-1)/stride)
	}
	if p.padW != 0 {
		left = max(1, (p.padW+stride-1)/stride)
	}
	noPad := max(out.w-(right+left), 0)
	if right+noPad+left != out.w {
		return convS8Buffer(MVE, in, filter)
	}
	padLeft := mul(p.padW, in.c)
	padRight := padLeft
	if asymPad != 0 {
		padRight = mul(right, in.c)
	}
	elemLeft := mul(filter.w, in.c)
	elemRight := elemLeft - in.c
	return max(elemLeft+padLeft, elemRight+padRight)
}

// convWrapperS8 is arm_convolve_wrapper_s8_get_buffer_size for ext: no
// buffer for a 1x1 convolution (arm-none-eabi-gcc's DSP 1x1 path needs
// none), the 1xN border on MVE, else convS8Buffer.
func convWrapperS8(ext Extension, p convParams, in, filter, out dims) int64 {
	switch {
	case is1x1(p, in, filter):
		return 0
	case ext == MVE && is1xN(p, in, filter):
		return conv1xNS8MVE(p, in, filter, out)
	}
	return convS8Buffer(ext, in, filter)
}

// chInBlockMVE is CMSIS-NN's CH_IN_BLOCK_MVE, the channels its MVE
// depthwise convolution processes per block.
const chInBlockMVE = 124

// dwOptS8Buffer is arm_depthwise_conv_s8_opt_get_buffer_size.
func dwOptS8Buffer(ext Extension, in, filter dims) int64 {
	switch ext {
	case MVE:
		return 4 * chInBlockMVE * mul(filter.w, filter.h)
	case DSP:
		return mul(in.c, filter.w, filter.h) * 2
	}
	return 0
}

// dwWrapperS8 is arm_depthwise_conv_wrapper_s8_get_buffer_size: on MVE a
// depthwise convolution of one input channel into several runs as a
// convolution (arm-none-eabi-gcc's threshold is one output channel) with
// the filter reordered; otherwise the optimised path's buffer when input
// and output channels match, except for DSP and plain C's dedicated 3x3
// kernel.
func dwWrapperS8(ext Extension, p convParams, in, filter, out dims) int64 {
	if ext == MVE && in.c == 1 && out.c > 1 {
		asConv := dims{n: filter.c, h: filter.h, w: filter.w, c: filter.n}
		return convWrapperS8(MVE, p, in, asConv, out) + mul(filter.c, filter.h, filter.w, filter.n)
	}
	if in.c != out.c || in.n != 1 || p.dilW != 1 || p.dilH != 1 {
		return 0
	}
	if ext != MVE && filter.w == 3 && filter.h == 3 && p.padH <= 1 && p.padW <= 1 {
		return 0
	}
	return dwOptS8Buffer(ext, in, filter)
}

// dwWrapperS4 is arm_depthwise_conv_wrapper_s4_get_buffer_size (int4
// filters): the int8 optimised path's buffer, the DSP formula on every
// core without MVE.
func dwWrapperS4(ext Extension, p convParams, in, filter, out dims) int64 {
	if in.c != out.c || in.n != 1 || p.dilW != 1 || p.dilH != 1 {
		return 0
	}
	if ext == MVE {
		return dwOptS8Buffer(MVE, in, filter)
	}
	return dwOptS8Buffer(DSP, in, filter)
}

// reverseTransposeConvThreshold is CMSIS-NN's
// REVERSE_TCOL_EFFICIENT_THRESHOLD: above this many input channels a
// transpose convolution of stride at most 2 runs as a convolution over a
// reversed filter.
const reverseTransposeConvThreshold = 16

// transposeConvS8Buffers are arm_transpose_conv_s8_get_buffer_size and
// arm_transpose_conv_s8_get_reverse_conv_buffer_size.
func transposeConvS8Buffers(ext Extension, strideH, strideW int64, in, filter, out dims) (buf, reverse int64) {
	if strideW <= 2 && strideH <= 2 && in.c > reverseTransposeConvThreshold {
		reversed := dims{n: in.n, h: mul(in.h, strideH), w: mul(in.w, strideW), c: in.c}
		return convS8Buffer(ext, reversed, filter), mul(in.c, filter.w, filter.h, filter.n)
	}
	// CMSIS-NN takes the stride's height for the width here; so do we.
	x := mul((in.w-1)*strideW+max(filter.w, strideH), out.c)
	y := max(filter.h, strideH)
	return mul(x, y, 4), 0
}

// shape4 reads a 4-D tensor's dimensions as cmsis_nn_dims.
func (n *node) shape4(t int32) dims {
	return dims{n: n.dim(t, 0), h: n.dim(t, 1), w: n.dim(t, 2), c: n.dim(t, 3)}
}

// outSize is TFLM's ComputeOutSizeChecked; ok is false where TFLM's check
// fails (bad padding, sizes or strides).
func outSize(p tflite.Padding, in, filter, stride, dil int64) (int64, bool) {
	if in < 0 || filter <= 0 || stride <= 0 || dil <= 0 {
		return 0, false
	}
	eff := (filter-1)*dil + 1
	var out int64
	switch p {
	case tflite.PaddingSame:
		out = (in + stride - 1) / stride
	case tflite.PaddingValid:
		out = (in + stride - eff) / stride
	default:
		return 0, false
	}
	return out, out >= 0
}

// paddingOf is ComputePaddingWithOffset's padding before the data.
func paddingOf(in, filter, out, stride, dil int64) int64 {
	eff := (filter-1)*dil + 1
	return max((out-1)*stride+eff-in, 0) / 2
}

// convPadding is TFLM's ComputePaddingHeightWidth: the height and width
// padding, both 0 when an output size cannot be computed.
func convPadding(pad tflite.Padding, strideH, strideW, dilH, dilW int64, in, filter dims) (h, w int64) {
	outW, okW := outSize(pad, in.w, filter.w, strideW, dilW)
	outH, okH := outSize(pad, in.h, filter.h, strideH, dilH)
	if !okW || !okH {
		return 0, 0
	}
	return paddingOf(in.h, filter.h, outH, strideH, dilH), paddingOf(in.w, filter.w, outW, strideW, dilW)
}

// checkStrides rejects the zero or negative strides CMSIS-NN would divide
// by.
func (n *node) checkStrides(strides ...int64) bool {
	for _, s := range strides {
		if s <= 0 {
			n.fail(fmt.Errorf("stride %d: want at least 1", s))
			return false
		}
	}
	return true
}

// cmsisFullyConnected is kernels/cmsis_nn/fully_connected.cc's Prepare.
// An int8 layer whose output has more than two dimensions and whose depth
// is a multiple of four runs as a 1x1 convolution (per-tensor quantised:
// with a scratch buffer faking per-channel multipliers and shifts);
// otherwise on MVE arm_fully_connected_s8 wants the filter's kernel sums,
// which the SPEED build precomputes into persistent memory when filter and
// bias are constant (else it asks for them as scratch).
func cmsisFullyConnected(n *node) []step {
	s := n.temps(0, 1, 2, out0)
	in, filter, out := n.input(0), n.input(1), n.output(0)
	ft := n.tensor(filter)
	isPerChannel := ft != nil && ft.Quant != nil && len(ft.Quant.Scale) > 1
	if n.typeOf(in) != tflite.Float32 && isPerChannel {
		s = append(s, perChannel(int64(len(ft.Quant.Scale)))...)
	}
	if n.typeOf(in) != tflite.Int8 || n.typeOf(filter) == tflite.Int4 {
		return s // int16: arm_fully_connected_s16 needs no buffer; int4 and float32 none either
	}
	accumDepth := lastDim(n, filter)
	outputDepth := lastDim(n, out)
	if n.rank(out) > 2 && accumDepth%4 == 0 {
		if !isPerChannel {
			s = append(s, scratch(mul(outputDepth, 4, 2), "per-channel quantisation for the 1x1 convolution"))
		}
		return s // arm_convolve_1x1_s8_fast: no buffer with arm-none-eabi-gcc
	}
	if n.ext != MVE {
		return s
	}
	sums := mul(outputDepth, 4)
	if n.isConstant(filter) && (n.input(2) < 0 || n.isConstant(n.input(2))) {
		return append(s, persistent(sums, "kernel sums"))
	}
	return append(s, scratch(sums, "kernel sums"))
}

// cmsisConv is kernels/cmsis_nn/conv.cc's Prepare: the per-channel arrays
// for quantised inputs only, and arm_convolve_wrapper_s8/_s16's buffer.
// (Its bias lookup reads output 2, which a convolution never has, so the
// 16x8 path takes the CMSIS-NN buffer whatever the bias type.)
func cmsisConv(n *node) []step {
	s := n.temps(0, 1, out0)
	in, filter, out := n.input(0), n.input(1), n.output(0)
	quantised := n.typeOf(in) == tflite.Int8 || n.typeOf(in) == tflite.Int16
	if quantised {
		s = append(s, perChannel(n.dim(filter, 0))...)
	}
	s = append(s, n.temps(0, 1, 2, out0)...)
	if !quantised {
		return s
	}
	o, err := n.op.Conv2DOptions()
	if err != nil {
		n.fail(err)
		return s
	}
	strideH, strideW := int64(o.StrideH), int64(o.StrideW)
	if !n.checkStrides(strideH, strideW) {
		return s
	}
	input := n.shape4(in)
	fd := dims{n: 1, h: n.dim(filter, 1), w: n.dim(filter, 2), c: n.dim(filter, 3)}
	p := convParams{strideH: strideH, strideW: strideW, dilH: int64(o.DilationHFactor), dilW: int64(o.DilationWFactor)}
	p.padH, p.padW = convPadding(o.Padding, strideH, strideW, p.dilH, p.dilW, input, fd)
	var bytes int64
	if n.typeOf(in) == tflite.Int8 {
		bytes = convWrapperS8(n.ext, p, input, fd, n.shape4(out))
	} else {
		bytes = convS16Buffer(n.ext, input, fd)
	}
	if bytes > 0 {
		s = append(s, scratch(bytes, "im2col buffer"))
	}
	return s
}

// cmsisDepthwiseConv is kernels/cmsis_nn/depthwise_conv.cc's Prepare; only
// int8 inputs ask for a buffer (int8 or int4 filters).
func cmsisDepthwiseConv(n *node) []step {
	s := n.temps(0, 1, out0)
	in, filter, out := n.input(0), n.input(1), n.output(0)
	quantised := n.typeOf(in) == tflite.Int8 || n.typeOf(in) == tflite.Int16
	if quantised {
		s = append(s, perChannel(n.dim(filter, 3))...)
	}
	s = append(s, n.temps(0, 1, 2, out0)...)
	if n.typeOf(in) != tflite.Int8 {
		return s
	}
	o, err := n.op.DepthwiseConv2DOptions()
	if err != nil {
		n.fail(err)
		return s
	}
	strideH, strideW := int64(o.StrideH), int64(o.StrideW)
	if !n.checkStrides(strideH, strideW) {
		return s
	}
	input := n.shape4(in)
	depth := n.dim(out, 3)
	fd := dims{n: 1, h: n.dim(filter, 1), w: n.dim(filter, 2), c: depth}
	output := dims{n: input.n, h: n.dim(out, 1), w: n.dim(out, 2), c: depth}
	p := convParams{strideH: strideH, strideW: strideW, dilH: int64(o.DilationHFactor), dilW: int64(o.DilationWFactor)}
	p.padH, p.padW = convPadding(o.Padding, strideH, strideW, p.dilH, p.dilW, input, fd)
	var bytes int64
	switch n.typeOf(filter) {
	case tflite.Int8:
		bytes = dwWrapperS8(n.ext, p, input, fd, output)
	case tflite.Int4:
		bytes = dwWrapperS4(n.ext, p, input, fd, output)
	}
	if bytes > 0 {
		s = append(s, scratch(bytes, "depthwise buffer"))
	}
	return s
}

// cmsisAveragePool is kernels/cmsis_nn/pooling.cc's AveragePrepare: the
// reference Prepare, then on DSP cores an int32 accumulator per channel
// (arm_avgpool_s8/_s16_get_buffer_size; none on MVE or plain C).
func cmsisAveragePool(n *node) []step {
	s := n.temps(0, out0, 0, out0)
	t := n.typeOf(n.input(0))
	if (t == tflite.Int8 || t == tflite.Int16) && n.ext == DSP {
		if bytes := mul(n.dim(n.input(0), 3), 4); bytes > 0 {
			s = append(s, scratch(bytes, "channel accumulators"))
		}
	}
	return s
}

// cmsisSVDF is kernels/cmsis_nn/svdf.cc's Prepare: the reference kernel's
// scratch buffers, and on MVE the int8 feature weights' kernel sums in
// persistent memory (arm_svdf_s8_get_buffer_size).
func cmsisSVDF(n *node) []step {
	s := kernels[opSVDF].prepare(n)
	if n.typeOf(n.input(0)) == tflite.Int8 && n.ext == MVE {
		if sums := mul(n.dim(n.input(1), 0), 4); sums > 0 {
			s = append(s, persistent(sums, "kernel sums"))
		}
	}
	return s
}

// cmsisTransposeConv is kernels/cmsis_nn/transpose_conv.cc's Prepare: as
// the reference kernel, except that int8 asks CMSIS-NN for its two buffers
// (a column buffer or, for stride <= 2 and more than 16 input channels,
// an im2col buffer and the reversed filter) instead of int32
// accumulators.
func cmsisTransposeConv(n *node) []step {
	// Inputs: output shape, filter, input, bias.
	s := n.temps(out0, 2, 1)
	filter, in, out := n.input(1), n.input(2), n.output(0)
	s = append(s, perChannel(n.dim(filter, 0))...)
	switch n.typeOf(in) {
	case tflite.Int8:
		o, err := n.op.TransposeConvOptions()
		if err != nil {
			n.fail(err)
			return s
		}
		strideH, strideW := int64(o.StrideH), int64(o.StrideW)
		if !n.checkStrides(strideH, strideW) {
			return s
		}
		input := n.shape4(in)
		depth := n.dim(filter, 0)
		fd := dims{n: depth, h: n.dim(filter, 1), w: n.dim(filter, 2), c: input.c}
		output := dims{n: input.n, h: n.dim(out, 1), w: n.dim(out, 2), c: depth}
		buf, reverse := transposeConvS8Buffers(n.ext, strideH, strideW, input, fd, output)
		s = append(s, scratch(buf, "column buffer"), scratch(reverse, "reversed filter"))
	case tflite.Int16:
		s = append(s, scratch(8*n.elements(out), "int64 accumulators"))
	}
	if n.typeOf(in) != tflite.Float32 {
		s = append(s, n.temps(2, 1, 3, out0)...)
		if n.typeOf(in) == tflite.Int16 && n.typeOf(n.input(3)) == tflite.Int16 {
			s = append(s, scratch(8*n.elements(n.input(3)), "int64 bias"))
		}
	}
	return s
}

// cmsisLSTM is kernels/cmsis_nn/unidirectional_sequence_lstm.cc's Prepare:
// with an int16 cell state and int8 or int16 activations it precomputes
// eight kernel sums (each gate's input and recurrent weights, int32 for
// int8 activations, int64 for int16) into persistent memory and needs
// three gate buffers; otherwise it runs the reference kernel's four.
func cmsisLSTM(n *node) []step {
	positions := make([]int, 0, 25)
	for i := range 24 {
		positions = append(positions, i)
	}
	s := n.temps(append(positions, out0)...)
	act, cell := n.typeOf(n.input(0)), n.typeOf(n.input(19))
	buffers := 4
	if cell == tflite.Int16 && (act == tflite.Int8 || act == tflite.Int16) {
		buffers = 3
		biasBytes := int64(4)
		if act == tflite.Int16 {
			biasBytes = 8
		}
		sums := mul(n.dim(n.input(18), 1), biasBytes)
		for range 8 {
			s = append(s, persistent(sums, "kernel sums"))
		}
	}
	bytes := n.elements(n.input(18)) * typeSize(cell)
	for range buffers {
		s = append(s, scratch(bytes, "gate buffer"))
	}
	return s
}

// cmsisBatchMatmul is kernels/cmsis_nn/batch_matmul.cc's Prepare: a
// transposed copy (TfLiteEvalTensor, dims and data) of the left operand
// when adj_x and of the right one unless adj_y, writable output dims, the
// quantisation parameters for integer types and, for int8 on MVE, kernel
// sums as scratch (arm_fully_connected_s8_get_buffer_size).
func cmsisBatchMatmul(n *node) []step {
	s := n.temps(0, 1, out0)
	lhs, rhs, out := n.input(0), n.input(1), n.output(0)
	for _, t := range []int32{lhs, rhs} {
		if r := n.rank(t); r < 2 || r > 4 {
			n.fail(fmt.Errorf("BATCH_MATMUL operand of %d dimensions: TFLM's Prepare wants 2 to 4", r))
			return s
		}
	}
	adjX, err := n.op.BuiltinOptions.Bool(0, false)
	if err != nil {
		n.fail(err)
		return s
	}
	adjY, err := n.op.BuiltinOptions.Bool(1, false)
	if err != nil {
		n.fail(err)
		return s
	}
	transposed := func(t int32) []step {
		return []step{
			persistent(n.abi.TfLiteEvalTensor.Size, "transposed operand TfLiteEvalTensor"),
			persistent(4+4*n.rank(t), "transposed operand dims"),
			persistent(mul(n.elements(t), typeSize(n.typeOf(t))), "transposed operand"),
		}
	}
	if adjX {
		s = append(s, transposed(lhs)...)
	}
	if !adjY {
		s = append(s, transposed(rhs)...)
	}
	s = append(s, persistent(4+4*n.rank(out), "writable output dims"))
	if n.typeOf(lhs) == tflite.Float32 || n.typeOf(rhs) == tflite.Float32 {
		return s
	}
	s = append(s, persistent(7*4, "quantisation parameters"))
	if n.typeOf(lhs) == tflite.Int8 && n.ext == MVE {
		// The output's innermost dimension: the right operand's columns.
		cols := lastDim(n, rhs)
		if adjY {
			cols = n.dim(rhs, int(n.rank(rhs))-2)
		}
		if bytes := mul(cols, 4); bytes > 0 {
			s = append(s, scratch(bytes, "kernel sums"))
		}
	}
	return s
}
