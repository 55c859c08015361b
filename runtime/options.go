package runtime

import "github.com/footprint-dev/footprint/tflite"

// Operator options the kernels read from the operator's builtin options
// table. Field numbers and defaults are the .tflite schema's.

// optionReader reads fields of an operator's builtin options table and
// keeps the first error (a field pointing outside the file); prepare
// reports it after the kernel builder has read what it needs.
type optionReader struct {
	table tflite.Table
	err   error
}

func (r *optionReader) int32Field(field int, def int32) int32 {
	v, err := r.table.Int32(field, def)
	r.keep(err)
	return v
}

func (r *optionReader) byteField(field int, def uint8) uint8 {
	v, err := r.table.Uint8(field, def)
	r.keep(err)
	return v
}

func (r *optionReader) float32Field(field int, def float32) float32 {
	v, err := r.table.Float32(field, def)
	r.keep(err)
	return v
}

func (r *optionReader) keep(err error) {
	if r.err == nil {
		r.err = err
	}
}

// paddingSame is the schema's Padding.SAME.
const paddingSame = 0

// convOptions are the options of CONV_2D and DEPTHWISE_CONV_2D.
type convOptions struct {
	same                 bool
	strideW, strideH     int
	dilationW, dilationH int
	activation           int
}

func (n *node) convOptions() convOptions {
	t := n.opts
	o := convOptions{
		same:    t.byteField(0, 0) == paddingSame,
		strideW: int(t.int32Field(1, 0)), strideH: int(t.int32Field(2, 0)),
	}
	if n.name == "DEPTHWISE_CONV_2D" {
		// Field 3 is depth_multiplier, which TFLM derives from the shapes.
		o.activation = int(t.byteField(4, 0))
		o.dilationW, o.dilationH = int(t.int32Field(5, 1)), int(t.int32Field(6, 1))
	} else {
		o.activation = int(t.byteField(3, 0))
		o.dilationW, o.dilationH = int(t.int32Field(4, 1)), int(t.int32Field(5, 1))
	}
	return o
}

// transposeConvOptions are the options of TRANSPOSE_CONV.
type transposeConvOptions struct {
	same             bool
	strideW, strideH int
	activation       int
}

func (n *node) transposeConvOptions() transposeConvOptions {
	t := n.opts
	return transposeConvOptions{
		same:    t.byteField(0, 0) == paddingSame,
		strideW: int(t.int32Field(1, 0)), strideH: int(t.int32Field(2, 0)),
		activation: int(t.byteField(3, 0)),
	}
}

// fullyConnectedActivation is FULLY_CONNECTED's fused activation; it fails
// for the shuffled weights format, which TFLM's reference kernel lacks.
func (n *node) fullyConnectedActivation() (int, error) {
	if format := n.opts.byteField(1, 0); format != 0 {
		return 0, unsupportedf("shuffled weights format %d not supported", format)
	}
	return int(n.opts.byteField(0, 0)), nil
}

// poolOptions are the options of AVERAGE_POOL_2D and MAX_POOL_2D.
type poolOptions struct {
	same             bool
	strideW, strideH int
	filterW, filterH int
	activation       int
}

func (n *node) poolOptions() poolOptions {
	t := n.opts
	return poolOptions{
		same:    t.byteField(0, 0) == paddingSame,
		strideW: int(t.int32Field(1, 0)), strideH: int(t.int32Field(2, 0)),
		filterW: int(t.int32Field(3, 0)), filterH: int(t.int32Field(4, 0)),
		activation: int(t.byteField(5, 0)),
	}
}

// activationOption is the fused activation of ADD, SUB, MUL and DIV (field
// 0 of their options).
func (n *node) activationOption() int { return int(n.opts.byteField(0, 0)) }

// softmaxBeta is SOFTMAX's beta.
func (n *node) softmaxBeta() float32 { return n.opts.float32Field(0, 0) }

// leakyReluAlpha is LEAKY_RELU's alpha.
func (n *node) leakyReluAlpha() float32 { return n.opts.float32Field(0, 0) }

// concatAxis is CONCATENATION's axis; a fused activation is not supported.
func (n *node) concatAxis() (int, error) {
	if act := n.opts.byteField(1, 0); act != actNone {
		return 0, unsupportedf("fused activation %d not supported", act)
	}
	return int(n.opts.int32Field(0, 0)), nil
}

// stridedSliceOptions are the options of STRIDED_SLICE.
type stridedSliceOptions struct {
	beginMask, endMask, ellipsisMask, newAxisMask, shrinkAxisMask int
	offset                                                        bool
}

func (n *node) stridedSliceOptions() stridedSliceOptions {
	t := n.opts
	return stridedSliceOptions{
		beginMask: int(t.int32Field(0, 0)), endMask: int(t.int32Field(1, 0)),
		ellipsisMask: int(t.int32Field(2, 0)), newAxisMask: int(t.int32Field(3, 0)),
		shrinkAxisMask: int(t.int32Field(4, 0)), offset: t.byteField(5, 0) != 0,
	}
}

// svdfRank is SVDF's rank.
func (n *node) svdfRank() int { return int(n.opts.int32Field(0, 0)) }

// lstmOptions are the options of UNIDIRECTIONAL_SEQUENCE_LSTM.
type lstmOptions struct {
	activation int
	cellClip   float32
	timeMajor  bool
}

func (n *node) lstmOptions() lstmOptions {
	t := n.opts
	return lstmOptions{activation: int(t.byteField(0, 0)), cellClip: t.float32Field(1, 0), timeMajor: t.byteField(3, 0) != 0}
}
