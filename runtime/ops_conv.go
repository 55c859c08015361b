package runtime

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// convGeom reads a convolution's geometry from its NHWC input and output
// and its filter (OHWI, or 1HWC for DEPTHWISE_CONV_2D).
func convGeom(input, filter, output *tensorInfo, o convOptions) (*windowGeom, error) {
	if err := wantRank(4, input, filter, output); err != nil {
		return nil, err
	}
	if output.dim(0) != input.dim(0) {
		return nil, fmt.Errorf("input %v and output %v differ in batches", input.shape, output.shape)
	}
	return &windowGeom{
		batches: input.dim(0), inH: input.dim(1), inW: input.dim(2), inC: input.dim(3),
		outH: output.dim(1), outW: output.dim(2), outC: output.dim(3),
		filterH: filter.dim(1), filterW: filter.dim(2), filterInC: filter.dim(3),
		strideH: o.strideH, strideW: o.strideW, dilationH: o.dilationH, dilationW: o.dilationW,
	}, nil
}

// buildConv2D prepares CONV_2D: input, filter (OHWI), optional bias.
func buildConv2D(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, filter := ins[0], ins[1]
	o := n.convOptions()
	g, err := convGeom(input, filter, output, o)
	if err != nil {
		return nil, err
	}
	if err := g.checkConv(filter.dim(0), o.same); err != nil {
		return nil, err
	}
	if g.filterInC == 0 || g.inC == 0 || g.inC%g.filterInC != 0 || g.outC%(g.inC/g.filterInC) != 0 {
		return nil, fmt.Errorf("filter shape %v does not fit input %v and output %v", filter.shape, input.shape, output.shape)
	}
	return buildWindowed(n, g, input, filter, n.input(2), output, o.activation, convQuant, convFloat)
}

// buildDepthwiseConv2D prepares DEPTHWISE_CONV_2D: input, filter
// (1, H, W, C*M), optional bias. The bias is omitted by leaving it out of
// the inputs: TFLM's Prepare takes a third input as a bias and releases it
// even when it is -1 (a null tensor), so such a model crashes TFLM.
func buildDepthwiseConv2D(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	if len(n.inputs) == 3 && n.inputs[2] < 0 {
		return nil, unsupportedf("an omitted bias listed as input -1 (TFLM's Prepare dereferences it); leave it out of the inputs")
	}
	input, filter := ins[0], ins[1]
	o := n.convOptions()
	g, err := convGeom(input, filter, output, o)
	if err != nil {
		return nil, err
	}
	if g.inC == 0 || g.outC%g.inC != 0 || g.filterInC != g.outC || filter.dim(0) != 1 {
		return nil, fmt.Errorf("filter shape %v does not fit input %v and output %v", filter.shape, input.shape, output.shape)
	}
	g.depthMultiplier = g.outC / g.inC
	if o.depthMultiplier != g.depthMultiplier {
		// The reference kernels take the option and assert it matches.
		return nil, unsupportedf("depth_multiplier option %d for %d input and %d output channels (TFLM asserts %d)",
			o.depthMultiplier, g.inC, g.outC, g.depthMultiplier)
	}
	if err := g.checkConv(g.outC, o.same); err != nil {
		return nil, err
	}
	bias := n.input(2)
	if bias == nil && g.outC != 1 {
		// The reference kernels check the bias has one element per output
		// channel even when there is none (an empty shape holds one).
		return nil, unsupportedf("no bias for %d output channels (TFLM's kernel asserts a bias of one per channel)", g.outC)
	}
	return buildWindowed(n, g, input, filter, bias, output, o.activation, depthwiseQuant, depthwiseFloat)
}

// buildTransposeConv prepares TRANSPOSE_CONV: output shape (ignored: the
// output tensor's shape is static), filter (OHWI), input, optional bias.
func buildTransposeConv(n *node) (func([][]byte), error) {
	ins, output, err := n.io(3)
	if err != nil {
		return nil, err
	}
	filter, input := ins[1], ins[2]
	o := n.transposeConvOptions()
	g, err := convGeom(input, filter, output, o)
	if err != nil {
		return nil, err
	}
	if g.strideH <= 0 || g.strideW <= 0 || filter.dim(0) != g.outC || g.filterInC != g.inC {
		return nil, fmt.Errorf("filter shape %v does not fit input %v and output %v", filter.shape, input.shape, output.shape)
	}
	// TFLM pads as if the output were the input of a convolution.
	g.padH = convPadding(g.strideH, 1, g.outH, g.filterH, convOutSize(o.same, g.outH, g.filterH, g.strideH, 1))
	g.padW = convPadding(g.strideW, 1, g.outW, g.filterW, convOutSize(o.same, g.outW, g.filterW, g.strideW, 1))
	return buildWindowed(n, g, input, filter, n.input(3), output, o.activation, transposeConvQuant, transposeConvFloat)
}

// checkConv validates strides and dilations and computes the padding of a
// forward convolution whose filter has outC output channels.
func (g *windowGeom) checkConv(filterOutC int, same bool) error {
	if g.strideH <= 0 || g.strideW <= 0 || g.dilationH <= 0 || g.dilationW <= 0 {
		return fmt.Errorf("bad strides %dx%d or dilations %dx%d", g.strideH, g.strideW, g.dilationH, g.dilationW)
	}
	if filterOutC != g.outC {
		return fmt.Errorf("filter has %d output channels, output has %d", filterOutC, g.outC)
	}
	outH := convOutSize(same, g.inH, g.filterH, g.strideH, g.dilationH)
	outW := convOutSize(same, g.inW, g.filterW, g.strideW, g.dilationW)
	if outH != g.outH || outW != g.outW {
		return fmt.Errorf("output is %dx%d, padding and strides give %dx%d", g.outH, g.outW, outH, outW)
	}
	g.padH = convPadding(g.strideH, g.dilationH, g.inH, g.filterH, outH)
	g.padW = convPadding(g.strideW, g.dilationW, g.inW, g.filterW, outW)
	return nil
}

type (
	quantWindowKernel func(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32)
	floatWindowKernel func(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32)
)

// buildWindowed prepares the float or quantised variant of a convolution
// with an optional bias: constants decoded once, per-channel multipliers
// computed in double as TFLM does.
func buildWindowed(n *node, g *windowGeom, input, filter, bias, output *tensorInfo, activation int, q quantWindowKernel, f floatWindowKernel) (func([][]byte), error) {
	if input.bytes == 0 || output.bytes == 0 {
		return nil, fmt.Errorf("empty tensor")
	}
	if input.kind == tflite.Float32 {
		if filter.kind != tflite.Float32 || output.kind != tflite.Float32 {
			return nil, unsupportedf("float input with %v filter and %v output not supported", filter.kind, output.kind)
		}
		fdata, err := filter.constFloats()
		if err != nil {
			return nil, err
		}
		b, err := optionalFloatBias(bias, g.outC)
		if err != nil {
			return nil, err
		}
		lo, hi := activationRangeFloat(activation)
		var inBuf, outBuf []float32
		return func(mem [][]byte) {
			inBuf = input.floats(mem, inBuf)
			outBuf = resizeFloats(outBuf, output.elems)
			f(g, inBuf, fdata, b, lo, hi, outBuf)
			encodeFloats(mem[output.index], outBuf)
		}, nil
	}
	fdata, err := n.quantFilter(input, filter, output)
	if err != nil {
		return nil, err
	}
	b, err := quantBias(bias, g.outC)
	if err != nil {
		return nil, err
	}
	rq, err := channelMultipliers(input, filter, output, g.outC)
	if err != nil {
		return nil, err
	}
	if rq.wide, err = n.wideAccumulator(input, bias); err != nil {
		return nil, err
	}
	if err := rq.checkShifts(); err != nil {
		return nil, err
	}
	rq.actMin, rq.actMax = activationRangeQuantized(activation, output.kind, output.scale, output.zeroPoint)
	// TFLM's 16x8 convolutions take both activations as symmetric and
	// ignore their zero points (the activation range still uses the
	// output's).
	if input.kind == tflite.Int8 {
		rq.outputOffset = output.zeroPoint
		g.inputOffset = -input.zeroPoint
	}
	var inBuf, outBuf []int32
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeInts(outBuf, output.elems)
		q(g, inBuf, fdata, b, rq, outBuf)
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// quantFilter checks the element types of a quantised convolution-like op
// and decodes its constant filter: int8 weights, or TFLM's packed int4
// weights with int8 activations, which CONV_2D, DEPTHWISE_CONV_2D and a
// per-tensor FULLY_CONNECTED unpack to int8 before running the int8
// kernel.
func (n *node) quantFilter(input, filter, output *tensorInfo) ([]int32, error) {
	if filter.kind != tflite.Int4 {
		if err := quantKinds(input, filter, output); err != nil {
			return nil, err
		}
		return filter.constInts()
	}
	perChannelFC := n.name == "FULLY_CONNECTED" && len(filter.scales) > 1
	if input.kind != tflite.Int8 || output.kind != tflite.Int8 || n.name == "TRANSPOSE_CONV" || perChannelFC {
		return nil, unsupportedf("types %v x %v -> %v not supported", input.kind, filter.kind, output.kind)
	}
	if !input.quantized || !filter.quantized || !output.quantized {
		return nil, fmt.Errorf("quantised op needs quantisation parameters on input, filter and output")
	}
	return unpackInt4(filter.constant, filter.elems), nil
}

// unpackInt4 sign-extends n int4 values packed two to a byte, the first
// in the low nibble (TFLite's UnpackDenseInt4IntoInt8).
func unpackInt4(packed []byte, n int) []int32 {
	values := make([]int32, n)
	for i := range values {
		b := int8(packed[i/2])
		if i%2 == 0 {
			b <<= 4
		}
		values[i] = int32(b >> 4)
	}
	return values
}

// quantBias decodes the optional constant bias of a quantised
// convolution-like op as int64: int32 and int64 biases, and the int16
// biases TFLM widens for the 16x8 TRANSPOSE_CONV.
func quantBias(bias *tensorInfo, n int) ([]int64, error) {
	if bias == nil || bias.kind != tflite.Int16 {
		return optionalBias(bias, n)
	}
	v, err := bias.constInts()
	if err != nil {
		return nil, err
	}
	if len(v) != n {
		return nil, fmt.Errorf("bias tensor %d %q has %d elements, want %d", bias.index, bias.name, len(v), n)
	}
	b := make([]int64, n)
	for i, x := range v {
		b[i] = int64(x)
	}
	return b, nil
}

// wideAccumulator reports whether a quantised convolution-like op
// accumulates in int64 (the 16x8 kernels) rather than int32, and refuses
// the bias types TFLM's kernel for the op does not read as what they are.
// int8 ops take an int32 bias. The 16x8 CONV_2D and FULLY_CONNECTED pick
// the accumulator by the bias type, or by the options' quantized_bias_type
// when there is no bias; DEPTHWISE_CONV_2D always accumulates in int64 and
// reads the bias as int64; TRANSPOSE_CONV does too, and widens an int16
// bias first.
func (n *node) wideAccumulator(input, bias *tensorInfo) (bool, error) {
	if bias == nil {
		// CONV_2D and FULLY_CONNECTED without a bias follow their
		// options' quantized_bias_type; every other case is int64 for 16x8.
		return input.kind == tflite.Int16 && n.quantizedBiasType() != tflite.Int32, nil
	}
	ok := false
	switch {
	case input.kind == tflite.Int8:
		ok = bias.kind == tflite.Int32
	case n.name == "CONV_2D" || n.name == "FULLY_CONNECTED":
		ok = bias.kind == tflite.Int32 || bias.kind == tflite.Int64
	case n.name == "DEPTHWISE_CONV_2D":
		ok = bias.kind == tflite.Int64
	case n.name == "TRANSPOSE_CONV":
		ok = bias.kind == tflite.Int64 || bias.kind == tflite.Int16
	}
	if !ok {
		return false, unsupportedf("%v input with %v bias", input.kind, bias.kind)
	}
	return input.kind == tflite.Int16 && bias.kind != tflite.Int32, nil
}

// quantizedBiasType is the quantized_bias_type option of CONV_2D and
// FULLY_CONNECTED (FLOAT32, the schema's default, when unset or for other
// ops). Decoding errors are kept by the op's other option readers.
func (n *node) quantizedBiasType() tflite.TensorType {
	switch n.name {
	case "CONV_2D":
		o, _ := n.op.Conv2DOptions()
		return o.QuantizedBiasType
	case "FULLY_CONNECTED":
		o, _ := n.op.FullyConnectedOptions()
		return o.QuantizedBiasType
	}
	return tflite.Float32
}

// buildFullyConnected prepares FULLY_CONNECTED: input (any shape whose
// size is a multiple of the filter's depth), filter (outC x depth),
// optional bias.
func buildFullyConnected(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, filter := ins[0], ins[1]
	bias := n.input(2)
	activation, err := n.fullyConnectedActivation()
	if err != nil {
		return nil, err
	}
	if len(filter.shape) != 2 || len(output.shape) == 0 {
		return nil, unsupportedf("filter shape %v, output shape %v not supported", filter.shape, output.shape)
	}
	outC, depth := filter.dim(0), filter.dim(1)
	if depth == 0 || outC == 0 || output.dim(len(output.shape)-1) != outC || output.elems%outC != 0 {
		return nil, fmt.Errorf("filter shape %v does not fit output %v", filter.shape, output.shape)
	}
	batches := output.elems / outC
	if input.elems != batches*depth {
		return nil, fmt.Errorf("input shape %v does not fit filter %v and output %v", input.shape, filter.shape, output.shape)
	}
	if input.kind == tflite.Float32 {
		if filter.kind != tflite.Float32 || output.kind != tflite.Float32 {
			return nil, unsupportedf("float input with %v filter and %v output not supported", filter.kind, output.kind)
		}
		fdata, err := filter.constFloats()
		if err != nil {
			return nil, err
		}
		b, err := optionalFloatBias(bias, outC)
		if err != nil {
			return nil, err
		}
		lo, hi := activationRangeFloat(activation)
		var inBuf, outBuf []float32
		return func(mem [][]byte) {
			inBuf = input.floats(mem, inBuf)
			outBuf = resizeFloats(outBuf, output.elems)
			fullyConnectedFloat(batches, depth, outC, inBuf, fdata, b, lo, hi, outBuf)
			encodeFloats(mem[output.index], outBuf)
		}, nil
	}
	fdata, err := n.quantFilter(input, filter, output)
	if err != nil {
		return nil, err
	}
	if filter.zeroPoint != 0 {
		// TFLM's Prepare DCHECKs symmetric weights: a build with checks
		// aborts.
		return nil, unsupportedf("filter zero point %d (TFLM asserts 0)", filter.zeroPoint)
	}
	b, err := quantBias(bias, outC)
	if err != nil {
		return nil, err
	}
	var rq *requant
	if len(filter.scales) > 1 {
		if rq, err = channelMultipliers(input, filter, output, outC); err != nil {
			return nil, err
		}
	} else {
		if err := checkBiasScale(input, filter, bias, output); err != nil {
			return nil, err
		}
		// Per-tensor: TFLM multiplies the two scales in float32 first.
		m, s := quantizeMultiplier(float64(input.scale*filter.scale) / float64(output.scale))
		rq = &requant{multiplier: []int32{m}, shift: []int{s}}
	}
	if rq.wide, err = n.wideAccumulator(input, bias); err != nil {
		return nil, err
	}
	if err := rq.checkShifts(); err != nil {
		return nil, err
	}
	rq.outputOffset = output.zeroPoint
	rq.actMin, rq.actMax = activationRangeQuantized(activation, output.kind, output.scale, output.zeroPoint)
	inputOffset := -input.zeroPoint
	var inBuf, outBuf []int32
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeInts(outBuf, output.elems)
		fullyConnectedQuant(batches, depth, outC, inputOffset, 0, inBuf, fdata, b, rq, outBuf)
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// poolWindow reads a pooling operator's options and checks its window
// against the rank-4 input and output.
func (n *node) poolWindow(input, output *tensorInfo) (*windowGeom, poolOptions, error) {
	o := n.poolOptions()
	g := &windowGeom{
		batches: input.dim(0), inH: input.dim(1), inW: input.dim(2), inC: input.dim(3),
		outH: output.dim(1), outW: output.dim(2), outC: output.dim(3),
		filterH: o.filterH, filterW: o.filterW,
		strideH: o.strideH, strideW: o.strideW, dilationH: 1, dilationW: 1,
	}
	if g.inC != g.outC || g.batches != output.dim(0) || g.filterH <= 0 || g.filterW <= 0 {
		return nil, o, fmt.Errorf("input %v, output %v and %dx%d window do not fit", input.shape, output.shape, g.filterH, g.filterW)
	}
	return g, o, g.checkConv(g.outC, o.same)
}

// buildPool prepares AVERAGE_POOL_2D (average) or MAX_POOL_2D.
func buildPool(average bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		input, output, err := n.io1()
		if err != nil {
			return nil, err
		}
		if err := wantRank(4, input, output); err != nil {
			return nil, err
		}
		if input.bytes == 0 || output.bytes == 0 {
			return nil, fmt.Errorf("empty tensor")
		}
		g, o, err := n.poolWindow(input, output)
		if err != nil {
			return nil, err
		}
		if input.kind == tflite.Float32 && output.kind == tflite.Float32 {
			lo, hi := activationRangeFloat(o.activation)
			var inBuf, outBuf []float32
			return func(mem [][]byte) {
				inBuf = input.floats(mem, inBuf)
				outBuf = resizeFloats(outBuf, output.elems)
				if average {
					averagePoolFloat(g, inBuf, lo, hi, outBuf)
				} else {
					maxPoolFloat(g, inBuf, lo, hi, outBuf)
				}
				encodeFloats(mem[output.index], outBuf)
			}, nil
		}
		if (input.kind != tflite.Int8 && input.kind != tflite.Int16) || output.kind != input.kind {
			return nil, unsupportedf("types %v -> %v not supported", input.kind, output.kind)
		}
		// TFLM's PoolingPrepare: the output quantised as the input (the
		// scales' float difference at most 1e-6).
		if math.Abs(float64(input.scale-output.scale)) > 1e-6 || input.zeroPoint != output.zeroPoint {
			return nil, unsupportedf("output scale %g and zero point %d differ from the input's %g and %d",
				output.scale, output.zeroPoint, input.scale, input.zeroPoint)
		}
		lo, hi := activationRangeQuantized(o.activation, output.kind, output.scale, output.zeroPoint)
		floor, _ := typeRange(input.kind)
		var inBuf, outBuf []int32
		return func(mem [][]byte) {
			inBuf = input.ints(mem, inBuf)
			outBuf = resizeInts(outBuf, output.elems)
			if average {
				averagePoolQuant(g, inBuf, lo, hi, outBuf)
			} else {
				maxPoolQuant(g, inBuf, floor, lo, hi, outBuf)
			}
			encodeInts(output.kind, mem[output.index], outBuf)
		}, nil
	}
}

// resizeInts returns buf with length n, reallocating only when needed.
func resizeInts(buf []int32, n int) []int32 {
	if cap(buf) < n {
		return make([]int32, n)
	}
	return buf[:n]
}

// resizeFloats returns buf with length n, reallocating only when needed.
func resizeFloats(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

// buildL2Pool prepares L2_POOL_2D of float32: the square root of the mean
// of the squares in each window (summed in window order, in float32),
// clamped to the fused activation. TFLM rewrites the output's dims to the
// pooled shape; the model's must be that shape.
func buildL2Pool(n *node) (func([][]byte), error) {
	if len(n.inputs) != 1 || len(n.outputs) != 1 {
		return nil, fmt.Errorf("takes 1 input and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if input.kind != output.kind {
		return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
	}
	if err := wantRank(4, input, output); err != nil {
		return nil, err
	}
	if input.kind != tflite.Float32 {
		return nil, unsupportedf("L2_POOL_2D only supports float32, got %v", input.kind)
	}
	g, o, err := n.poolWindow(input, output)
	if err != nil {
		return nil, err
	}
	lo, hi := activationRangeFloat(o.activation)
	return unaryFloats(input, output, func(in, out []float32) {
		g.eachOutputWindow(func(p int, taps []tap) {
			for c := 0; c < g.outC; c++ {
				var sum float32
				for _, t := range taps {
					v := in[t.pixel*g.inC+c]
					sum += float32(v * v)
				}
				out[p*g.outC+c] = clampF32(sqrtF32(sum/float32(len(taps))), lo, hi)
			}
		})
	}), nil
}

// checkBiasScale is TFLM's GetQuantizedConvolutionMultipler check for a
// per-tensor FULLY_CONNECTED: the bias's scale (0 when it has none) must
// be the input's times the filter's to within 2% of the output's scale.
func checkBiasScale(input, filter, bias, output *tensorInfo) error {
	if bias == nil {
		return nil
	}
	var biasScale float64
	if bias.quantized {
		biasScale = float64(bias.scale)
	}
	diff := math.Abs(float64(input.scale)*float64(filter.scale) - biasScale)
	if !(diff/float64(output.scale) <= 0.02) {
		return unsupportedf("bias scale %g is not input scale x filter scale %g (to 2%% of the output scale)", biasScale, float64(input.scale)*float64(filter.scale))
	}
	return nil
}
