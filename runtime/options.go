package runtime

import "github.com/footprint-dev/footprint/tflite"

// The kernels' view of operator options, decoded by package tflite. A
// decoding error (options of the wrong union type, a field pointing outside
// the file) is kept on the node; prepare reports it after the kernel
// builder has read what it needs, and the values are then the defaults.

// keep records the first options error of the node.
func (n *node) keep(err error) {
	if n.optErr == nil {
		n.optErr = err
	}
}

// convOptions are the options of CONV_2D, DEPTHWISE_CONV_2D and
// TRANSPOSE_CONV.
type convOptions struct {
	same                 bool
	strideW, strideH     int
	dilationW, dilationH int
	activation           int
	depthMultiplier      int // DEPTHWISE_CONV_2D's
}

func (n *node) convOptions() convOptions {
	if n.name == "DEPTHWISE_CONV_2D" {
		o, err := n.op.DepthwiseConv2DOptions()
		n.keep(err)
		return convOptions{
			same:    o.Padding == tflite.PaddingSame,
			strideW: int(o.StrideW), strideH: int(o.StrideH),
			dilationW: int(o.DilationWFactor), dilationH: int(o.DilationHFactor),
			activation: int(o.Activation), depthMultiplier: int(o.DepthMultiplier),
		}
	}
	o, err := n.op.Conv2DOptions()
	n.keep(err)
	return convOptions{
		same:    o.Padding == tflite.PaddingSame,
		strideW: int(o.StrideW), strideH: int(o.StrideH),
		dilationW: int(o.DilationWFactor), dilationH: int(o.DilationHFactor),
		activation: int(o.Activation),
	}
}

// transposeConvOptions reads TRANSPOSE_CONV's options; it has no
// dilation.
func (n *node) transposeConvOptions() convOptions {
	o, err := n.op.TransposeConvOptions()
	n.keep(err)
	return convOptions{
		same:    o.Padding == tflite.PaddingSame,
		strideW: int(o.StrideW), strideH: int(o.StrideH),
		dilationW: 1, dilationH: 1,
		activation: int(o.Activation),
	}
}

// fullyConnectedActivation is FULLY_CONNECTED's fused activation; it fails
// for the shuffled weights format, which TFLM's reference kernel lacks.
func (n *node) fullyConnectedActivation() (int, error) {
	o, err := n.op.FullyConnectedOptions()
	n.keep(err)
	if o.WeightsFormat != 0 {
		return 0, unsupportedf("shuffled weights format %d not supported", o.WeightsFormat)
	}
	return int(o.Activation), nil
}

// poolOptions are the options of AVERAGE_POOL_2D and MAX_POOL_2D.
type poolOptions struct {
	same             bool
	strideW, strideH int
	filterW, filterH int
	activation       int
}

func (n *node) poolOptions() poolOptions {
	o, err := n.op.Pool2DOptions()
	n.keep(err)
	return poolOptions{
		same:    o.Padding == tflite.PaddingSame,
		strideW: int(o.StrideW), strideH: int(o.StrideH),
		filterW: int(o.FilterWidth), filterH: int(o.FilterHeight),
		activation: int(o.Activation),
	}
}

// activationOption is the fused activation of ADD, SUB, MUL and DIV.
func (n *node) activationOption() int {
	var act tflite.ActivationFunctionType
	var err error
	switch n.name {
	case "ADD":
		var o tflite.AddOptions
		o, err = n.op.AddOptions()
		act = o.Activation
	case "SUB":
		var o tflite.SubOptions
		o, err = n.op.SubOptions()
		act = o.Activation
	case "MUL":
		var o tflite.MulOptions
		o, err = n.op.MulOptions()
		act = o.Activation
	case "DIV":
		var o tflite.DivOptions
		o, err = n.op.DivOptions()
		act = o.Activation
	}
	n.keep(err)
	return int(act)
}

// softmaxBeta is SOFTMAX's beta.
func (n *node) softmaxBeta() float32 {
	o, err := n.op.SoftmaxOptions()
	n.keep(err)
	return o.Beta
}

// leakyReluAlpha is LEAKY_RELU's alpha.
func (n *node) leakyReluAlpha() float32 {
	o, err := n.op.LeakyReluOptions()
	n.keep(err)
	return o.Alpha
}

// concatAxis is CONCATENATION's axis; a fused activation is not supported.
func (n *node) concatAxis() (int, error) {
	o, err := n.op.ConcatenationOptions()
	n.keep(err)
	if o.Activation != tflite.ActivationNone {
		return 0, unsupportedf("fused activation %v not supported", o.Activation)
	}
	return int(o.Axis), nil
}

// stridedSliceOptions are the options of STRIDED_SLICE TFLM reads: the
// begin, end and shrink-axis masks.
type stridedSliceOptions struct {
	beginMask, endMask, shrinkAxisMask int
}

func (n *node) stridedSliceOptions() stridedSliceOptions {
	o, err := n.op.StridedSliceOptions()
	n.keep(err)
	return stridedSliceOptions{
		beginMask: int(o.BeginMask), endMask: int(o.EndMask), shrinkAxisMask: int(o.ShrinkAxisMask),
	}
}

// svdfRank is SVDF's rank.
func (n *node) svdfRank() int {
	o, err := n.op.SVDFOptions()
	n.keep(err)
	return int(o.Rank)
}

// svdfActivation is SVDF's fused activation (applied by the float kernel
// only, as in TFLM).
func (n *node) svdfActivation() int {
	o, err := n.op.SVDFOptions()
	n.keep(err)
	return int(o.Activation)
}

// lstmOptions are the options of UNIDIRECTIONAL_SEQUENCE_LSTM.
type lstmOptions struct {
	activation int
	cellClip   float32
	timeMajor  bool
}

func (n *node) lstmOptions() lstmOptions {
	o, err := n.op.UnidirectionalSequenceLSTMOptions()
	n.keep(err)
	return lstmOptions{activation: int(o.Activation), cellClip: o.CellClip, timeMajor: o.TimeMajor}
}

// gatherOptions are GATHER's axis and batch dimensions.
func (n *node) gatherOptions() tflite.GatherOptions {
	o, err := n.op.GatherOptions()
	n.keep(err)
	return o
}

// packOptions are PACK's value count and axis.
func (n *node) packOptions() tflite.PackOptions {
	o, err := n.op.PackOptions()
	n.keep(err)
	return o
}

// unpackOptions are UNPACK's output count and axis.
func (n *node) unpackOptions() tflite.UnpackOptions {
	o, err := n.op.UnpackOptions()
	n.keep(err)
	return o
}

// resizeOptions are the corner and centre options of RESIZE_BILINEAR and
// RESIZE_NEAREST_NEIGHBOR.
func (n *node) resizeOptions() tflite.ResizeOptions {
	var o tflite.ResizeOptions
	var err error
	if n.name == "RESIZE_BILINEAR" {
		o, err = n.op.ResizeBilinearOptions()
	} else {
		o, err = n.op.ResizeNearestNeighborOptions()
	}
	n.keep(err)
	return o
}

// checkOptions records an error of an operator whose options table has
// no field the kernel reads (TRANSPOSE, GATHER_ND, SPLIT, SPLIT_V): its
// union type must still be its own.
func (n *node) checkOptions() {
	switch n.name {
	case "TRANSPOSE":
		n.keep(n.op.TransposeOptions())
	case "GATHER_ND":
		n.keep(n.op.GatherNdOptions())
	case "SPLIT":
		_, err := n.op.SplitOptions()
		n.keep(err)
	case "SPLIT_V":
		_, err := n.op.SplitVOptions()
		n.keep(err)
	}
}
