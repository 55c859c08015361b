package runtime

import (
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// node is the view of one operator that a kernel builder prepares from.
type node struct {
	in      *Interpreter
	name    string
	op      *tflite.Operator
	optErr  error // the first error decoding the operator's options
	inputs  []int
	outputs []int
	// runErr receives a failure the kernel finds while it runs (see
	// runFail).
	runErr *error
}

// runFail reports a failure the kernel finds while it runs, such as an
// index input out of range: the kernel returns without finishing and
// Invoke fails naming the operator. Only the first failure is kept.
func (n *node) runFail(err error) {
	if *n.runErr == nil {
		*n.runErr = err
	}
}

// kernelBuilder checks an operator's tensors and options and returns the
// function that evaluates it over a run's memory.
type kernelBuilder func(n *node) (func(mem [][]byte), error)

// input returns the k-th input tensor, or nil if it is omitted or absent.
func (n *node) input(k int) *tensorInfo {
	if k >= len(n.inputs) || n.inputs[k] < 0 {
		return nil
	}
	return &n.in.tensors[n.inputs[k]]
}

// output returns the k-th output tensor, or nil if absent.
func (n *node) output(k int) *tensorInfo {
	if k >= len(n.outputs) {
		return nil
	}
	return &n.in.tensors[n.outputs[k]]
}

// need returns the k-th input, failing if it is missing.
func (n *node) need(k int) (*tensorInfo, error) {
	if t := n.input(k); t != nil {
		return t, nil
	}
	return nil, fmt.Errorf("input %d missing", k)
}

// io returns inputs 0..nin-1 (required) and output 0.
func (n *node) io(nin int) ([]*tensorInfo, *tensorInfo, error) {
	ins := make([]*tensorInfo, nin)
	for k := range ins {
		t, err := n.need(k)
		if err != nil {
			return nil, nil, err
		}
		ins[k] = t
	}
	out := n.output(0)
	if out == nil {
		return nil, nil, fmt.Errorf("output missing")
	}
	return ins, out, nil
}

// exactIO is io for an op that takes exactly nin inputs and one output.
func (n *node) exactIO(nin int) ([]*tensorInfo, *tensorInfo, error) {
	if len(n.inputs) != nin || len(n.outputs) != 1 {
		return nil, nil, fmt.Errorf("takes %d inputs and 1 output, has %d and %d", nin, len(n.inputs), len(n.outputs))
	}
	return n.io(nin)
}

// isInt reports whether a tensor holds integer elements the kernels widen
// to int32.
func (t *tensorInfo) isInt() bool {
	switch t.kind {
	case tflite.Int8, tflite.Uint8, tflite.Int16, tflite.Int32, tflite.Uint32, tflite.Bool, tflite.Uint16:
		return true
	}
	return false
}

// ints decodes the tensor's elements from mem (or its constant data) into
// buf, reusing buf's storage when it is large enough.
func (t *tensorInfo) ints(mem [][]byte, buf []int32) []int32 {
	return decodeInts(t.kind, mem[t.index], buf)
}

// floats decodes a float32 tensor from mem.
func (t *tensorInfo) floats(mem [][]byte, buf []float32) []float32 {
	return decodeFloats(mem[t.index], buf)
}

// constInts decodes a constant integer tensor once, at prepare time.
func (t *tensorInfo) constInts() ([]int32, error) {
	if t.constant == nil {
		return nil, fmt.Errorf("tensor %d %q must be constant", t.index, t.name)
	}
	if !t.isInt() && t.kind != tflite.Int64 && t.kind != tflite.Uint64 {
		// decodeInts would read zeros.
		return nil, unsupportedf("tensor %d %q: %v is not an integer type", t.index, t.name, t.kind)
	}
	return decodeInts(t.kind, t.constant, nil), nil
}

// constFloats decodes a constant float32 tensor once.
func (t *tensorInfo) constFloats() ([]float32, error) {
	if t.constant == nil || t.kind != tflite.Float32 {
		return nil, fmt.Errorf("tensor %d %q must be a constant float32 tensor", t.index, t.name)
	}
	return decodeFloats(t.constant, nil), nil
}

// optionalBias decodes an optional constant bias as int64 (nil if absent).
func optionalBias(t *tensorInfo, n int) ([]int64, error) {
	if t == nil {
		return nil, nil
	}
	if t.constant == nil {
		return nil, fmt.Errorf("bias tensor %d %q must be constant", t.index, t.name)
	}
	b := decodeInt64s(t.kind, t.constant)
	if b == nil {
		return nil, unsupportedf("bias tensor %d %q: type %v not supported", t.index, t.name, t.kind)
	}
	if len(b) != n {
		return nil, fmt.Errorf("bias tensor %d %q has %d elements, want %d", t.index, t.name, len(b), n)
	}
	return b, nil
}

// optionalFloatBias decodes an optional constant float bias.
func optionalFloatBias(t *tensorInfo, n int) ([]float32, error) {
	if t == nil {
		return nil, nil
	}
	b, err := t.constFloats()
	if err != nil {
		return nil, err
	}
	if len(b) != n {
		return nil, fmt.Errorf("bias tensor %d %q has %d elements, want %d", t.index, t.name, len(b), n)
	}
	return b, nil
}

// dim returns dimension i of the tensor's shape, or 0 if it has fewer.
func (t *tensorInfo) dim(i int) int {
	if i < 0 || i >= len(t.shape) {
		return 0
	}
	return t.shape[i]
}

// wantRank fails unless every tensor has the given rank.
func wantRank(rank int, ts ...*tensorInfo) error {
	for _, t := range ts {
		if len(t.shape) != rank {
			return fmt.Errorf("tensor %d %q has shape %v, want rank %d", t.index, t.name, t.shape, rank)
		}
	}
	return nil
}

// channelMultipliers quantises input_scale*filter_scale[c]/output_scale in
// double for every output channel c, as TFLite's
// PopulateConvolutionQuantizationParams does (a per-tensor filter scale is
// broadcast).
func channelMultipliers(input, filter, output *tensorInfo, channels int) (*requant, error) {
	if len(filter.scales) != 1 && len(filter.scales) != channels {
		return nil, fmt.Errorf("filter %q has %d scales for %d channels", filter.name, len(filter.scales), channels)
	}
	// TFLM checks the scales run along the filter's quantized dimension
	// (PopulateConvolutionQuantizationParams, FULLY_CONNECTED's Prepare).
	if d := filter.quantDim; len(filter.scales) > 1 && (d < 0 || d >= len(filter.shape) || filter.shape[d] != channels) {
		return nil, unsupportedf("filter %q: %d per-channel scales along dimension %d of shape %v", filter.name, len(filter.scales), d, filter.shape)
	}
	rq := &requant{multiplier: make([]int32, channels), shift: make([]int, channels)}
	for c := range channels {
		s := filter.scales[0]
		if len(filter.scales) > 1 {
			s = filter.scales[c]
		}
		real := float64(input.scale) * float64(s) / float64(output.scale)
		rq.multiplier[c], rq.shift[c] = quantizeMultiplier(real)
	}
	return rq, nil
}

// quantKinds checks the integer element types of a quantised
// convolution-like op: int8 activations, or int16 activations with int8
// weights (16x8), with a quantised output of the input's type.
func quantKinds(input, filter, output *tensorInfo) error {
	if !input.quantized || !filter.quantized || !output.quantized {
		return fmt.Errorf("quantised op needs quantisation parameters on input, filter and output")
	}
	if filter.kind != tflite.Int8 || (input.kind != tflite.Int8 && input.kind != tflite.Int16) || output.kind != input.kind {
		return unsupportedf("types %v x %v -> %v not supported", input.kind, filter.kind, output.kind)
	}
	return nil
}

// io1 returns input 0 and output 0.
func (n *node) io1() (input, output *tensorInfo, err error) {
	ins, output, err := n.io(1)
	if err != nil {
		return nil, nil, err
	}
	return ins[0], output, nil
}

// elementwiseIO returns the one input and the output of an op that maps
// each input element to one output element, checking their sizes agree.
func (n *node) elementwiseIO() (input, output *tensorInfo, err error) {
	input, output, err = n.io1()
	if err != nil {
		return nil, nil, err
	}
	if err := sameElems(input, output); err != nil {
		return nil, nil, err
	}
	return input, output, nil
}
