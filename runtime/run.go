package runtime

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// Output is one output tensor of the main subgraph after a run: what a
// reader needs to interpret its bytes, and the bytes.
type Output struct {
	// Tensor is the tensor's index in the main subgraph.
	Tensor int
	Name   string
	Type   tflite.TensorType
	Shape  []int
	// Scale and ZeroPoint are the tensor's quantisation, nil when it has
	// none; per-channel along QuantizedDimension when there are several.
	Scale              []float32
	ZeroPoint          []int64
	QuantizedDimension int
	Data               []byte
}

// Run runs the model once with private memory on inputs (one byte slice
// per model input, in order, each of the input's exact size) and returns
// every output of the main subgraph, in order. It is how a user checks a
// model on the host against what the device computes: the runtime's
// integer arithmetic is TFLM's reference kernels'. An invocation a
// streaming kernel ends early (ErrAborted) is repeated on the same inputs
// until one runs the whole graph; see RunToEnd.
func (in *Interpreter) Run(inputs [][]byte) ([]Output, error) {
	outs, _, err := in.RunToEnd(inputs)
	return outs, err
}

// RunToEnd is Run, and also says how many invocations it took: more than
// one when a kernel such as CIRCULAR_BUFFER ends the first ones early, as
// a device feeding it the same frame would see.
func (in *Interpreter) RunToEnd(inputs [][]byte) (outs []Output, invocations int, err error) {
	mem := in.PrivateMemory()
	if invocations, err = in.invokeToEnd(mem, nil, func() error { return in.SetInputs(mem, inputs) }); err != nil {
		return nil, invocations, err
	}
	for _, t := range in.Outputs() {
		info := &in.tensors[t]
		o := Output{
			Tensor: t, Name: info.name, Type: info.kind, Shape: slices.Clone(info.shape),
			Data: slices.Clone(mem[t]),
		}
		if q := in.graph.Tensors[t].Quant; q != nil && len(q.Scale) > 0 {
			o.Scale, o.ZeroPoint = slices.Clone(q.Scale), slices.Clone(q.ZeroPoint)
			o.QuantizedDimension = int(q.QuantizedDimension)
		}
		outs = append(outs, o)
	}
	return outs, invocations, nil
}

// maxEarlyEnds bounds how often invokeToEnd repeats an invocation a kernel
// ends early; CIRCULAR_BUFFER's stride (cycles_max) is a few in practice.
const maxEarlyEnds = 1 << 10

// invokeToEnd loads the inputs (load) and invokes the model on mem until
// an invocation runs every operator, and returns how many it took:
// streaming kernels end invocations early (ErrAborted, TFLM's
// kTfLiteAbort) until they have seen enough inputs.
func (in *Interpreter) invokeToEnd(mem Memory, obs Observer, load func() error) (int, error) {
	for n := 1; ; n++ {
		if err := load(); err != nil {
			return n, err
		}
		err := in.Invoke(mem, obs)
		if !errors.Is(err, ErrAborted) {
			return n, err
		}
		if n == maxEarlyEnds {
			return n, fmt.Errorf("%d invocations in a row ended early: %w", n, err)
		}
	}
}

// Values decodes the output's elements as numbers: integers and booleans
// as they are (int64 and uint64 beyond 2^53 lose their low bits), floats
// widened, and quantised integers dequantised, scale*(q-zero point), with
// each element's channel's parameters.
func (o *Output) Values() ([]float64, error) {
	size := o.Type.Size()
	if size <= 0 || o.Type == tflite.Int4 {
		return nil, fmt.Errorf("tensor %d %q: cannot decode %v elements", o.Tensor, o.Name, o.Type)
	}
	n := len(o.Data) / size
	values := make([]float64, n)
	for i := range values {
		b := o.Data[i*size:]
		switch o.Type {
		case tflite.Int8:
			values[i] = float64(int8(b[0]))
		case tflite.Uint8, tflite.Bool:
			values[i] = float64(b[0])
		case tflite.Int16:
			values[i] = float64(int16(binary.LittleEndian.Uint16(b)))
		case tflite.Uint16:
			values[i] = float64(binary.LittleEndian.Uint16(b))
		case tflite.Int32:
			values[i] = float64(int32(binary.LittleEndian.Uint32(b)))
		case tflite.Uint32:
			values[i] = float64(binary.LittleEndian.Uint32(b))
		case tflite.Int64:
			values[i] = float64(int64(binary.LittleEndian.Uint64(b)))
		case tflite.Uint64:
			values[i] = float64(binary.LittleEndian.Uint64(b))
		case tflite.Float16:
			values[i] = float64(float16(binary.LittleEndian.Uint16(b)))
		case tflite.Float32:
			values[i] = float64(math.Float32frombits(binary.LittleEndian.Uint32(b)))
		case tflite.Float64:
			values[i] = math.Float64frombits(binary.LittleEndian.Uint64(b))
		default:
			return nil, fmt.Errorf("tensor %d %q: cannot decode %v elements", o.Tensor, o.Name, o.Type)
		}
	}
	if len(o.Scale) == 0 || o.Type.IsFloat() {
		return values, nil
	}
	// Element i's channel is its coordinate along the quantised dimension.
	stride, channels := 1, 1
	if len(o.Scale) > 1 {
		d := o.QuantizedDimension
		if d < 0 || d >= len(o.Shape) || o.Shape[d] != len(o.Scale) {
			return nil, fmt.Errorf("tensor %d %q: %d scales along dimension %d of shape %v", o.Tensor, o.Name, len(o.Scale), d, o.Shape)
		}
		for _, s := range o.Shape[d+1:] {
			stride *= s
		}
		channels = len(o.Scale)
	}
	for i, v := range values {
		c := (i / stride) % channels
		var zero float64
		if c < len(o.ZeroPoint) {
			zero = float64(o.ZeroPoint[c])
		}
		values[i] = float64(o.Scale[c]) * (v - zero)
	}
	return values, nil
}

// float16 converts an IEEE 754 half-precision value to float32.
func float16(h uint16) float32 {
	sign := uint32(h>>15) << 31
	exp := uint32(h>>10) & 0x1f
	frac := uint32(h) & 0x3ff
	switch {
	case exp == 0x1f: // infinity or NaN
		return math.Float32frombits(sign | 0xff<<23 | frac<<13)
	case exp == 0 && frac == 0:
		return math.Float32frombits(sign)
	case exp == 0: // subnormal: frac * 2^-24
		v := float32(frac) / (1 << 24)
		if sign != 0 {
			v = -v
		}
		return v
	}
	return math.Float32frombits(sign | (exp+127-15)<<23 | frac<<13)
}
