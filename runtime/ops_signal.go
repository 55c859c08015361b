package runtime

import (
	"cmp"
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// The kernels in ops_signal*.go are TFLM's Signal-library custom operators
// (tflite-micro signal/micro/kernels and signal/src), the audio front end of
// micro_speech: window, FFT, energy, mel filter bank, noise reduction, PCAN
// gain control and log, and the streaming operators around them (delay,
// framer, stacker, overlap-add, inverse FFT). They are mostly integer
// code, so the ports keep C's
// widths: uint32 and uint64 arithmetic wraps, int16 results are truncated,
// and shifts by the width or more give 0 as the Cortex-M target's register
// shifts do. Their parameters come from the operator's custom options, a
// FlexBuffers map whose keys are the TensorFlow op's attribute names. TFLM
// reads the values by position (the keys sorted, as FlexBuffers requires);
// reading them by key gives the same values and fails clearly when one is
// missing.

// signalOptions is the custom-options map of a Signal-library operator.
type signalOptions struct {
	m flexbuf.Map
}

// signalOpts decodes the operator's custom options.
func (n *node) signalOpts() (signalOptions, error) {
	root, err := flexbuf.Root(n.op.CustomOptions)
	if err != nil {
		return signalOptions{}, fmt.Errorf("custom options: %w", err)
	}
	m, err := root.Map()
	if err != nil {
		return signalOptions{}, fmt.Errorf("custom options: %w", err)
	}
	return signalOptions{m: m}, nil
}

// value returns the option stored under key.
func (o signalOptions) value(key string) (flexbuf.Value, error) {
	v, ok, err := o.m.Get(key)
	if err != nil {
		return flexbuf.Value{}, fmt.Errorf("custom option %q: %w", key, err)
	}
	if !ok {
		return flexbuf.Value{}, fmt.Errorf("custom option %q missing", key)
	}
	return v, nil
}

// int32 returns an integer option, which must fit int32 (TFLM reads every
// one with FlexbufferWrapper::ElementAsInt32).
func (o signalOptions) int32(key string) (int32, error) {
	v, err := o.value(key)
	if err != nil {
		return 0, err
	}
	i, err := v.Int()
	if err != nil {
		return 0, fmt.Errorf("custom option %q: %w", key, err)
	}
	if i < math.MinInt32 || i > math.MaxInt32 {
		return 0, fmt.Errorf("custom option %q: %d does not fit int32", key, i)
	}
	return int32(i), nil
}

// bool returns a boolean option.
func (o signalOptions) bool(key string) (bool, error) {
	v, err := o.value(key)
	if err != nil {
		return false, err
	}
	b, err := v.Bool()
	if err != nil {
		return false, fmt.Errorf("custom option %q: %w", key, err)
	}
	return b, nil
}

// ints reads several int32 options into the given variables, in order.
func (o signalOptions) ints(keys []string, dst ...*int32) error {
	for k, key := range keys {
		v, err := o.int32(key)
		if err != nil {
			return err
		}
		*dst[k] = v
	}
	return nil
}

// keepState registers reset, which sets a kernel's persistent state to its
// initial value, to run now and whenever the interpreter's variables are
// reset (as TFLM's MicroInterpreter::Reset calls each kernel's reset).
func (n *node) keepState(reset func()) {
	reset()
	n.in.resets = append(n.in.resets, reset)
}

// wantKind fails unless every tensor has element type kind.
func wantKind(kind tflite.TensorType, ts ...*tensorInfo) error {
	for _, t := range ts {
		if t.kind != kind {
			return unsupportedf("tensor %d %q is %v, want %v", t.index, t.name, t.kind, kind)
		}
	}
	return nil
}

// wantElems fails unless the tensor has n elements.
func wantElems(t *tensorInfo, n int) error {
	if t.elems != n {
		return fmt.Errorf("tensor %d %q has shape %v, want %d elements", t.index, t.name, t.shape, n)
	}
	return nil
}

// shr32 and shr64 shift right, giving 0 for shift counts outside
// [0, width) as the ARM target does for counts up to 255.
func shr32(x uint32, s int64) uint32 {
	if s < 0 || s >= 32 {
		return 0
	}
	return x >> s
}

func shr64(x uint64, s int64) uint64 {
	if s < 0 || s >= 64 {
		return 0
	}
	return x >> s
}

// shl32 shifts left, giving 0 for counts outside [0, 32).
func shl32(x uint32, s int64) uint32 {
	if s < 0 || s >= 32 {
		return 0
	}
	return x << s
}

// msb32 is TFLM's MostSignificantBit32 as GCC builds it: the 1-based index
// of the highest set bit, and 32 (not 0) for 0.
func msb32(x uint32) int {
	if x == 0 {
		return 32
	}
	return bits.Len32(x)
}

// getInt16 and the others read or write element i of a little-endian
// array of their type.
func getInt16(b []byte, i int) int16      { return int16(binary.LittleEndian.Uint16(b[2*i:])) }
func putInt16(b []byte, i int, v int16)   { binary.LittleEndian.PutUint16(b[2*i:], uint16(v)) }
func getUint32(b []byte, i int) uint32    { return binary.LittleEndian.Uint32(b[4*i:]) }
func putUint32(b []byte, i int, v uint32) { binary.LittleEndian.PutUint32(b[4*i:], v) }
func getUint64(b []byte, i int) uint64    { return binary.LittleEndian.Uint64(b[8*i:]) }
func putUint64(b []byte, i int, v uint64) { binary.LittleEndian.PutUint64(b[8*i:], v) }

// buildSignalWindow multiplies each frame by a constant int16 window:
// (x*w) >> shift, saturated to int16. The input may hold several frames of
// the window's length.
func buildSignalWindow(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, weights := ins[0], ins[1]
	if err := wantKind(tflite.Int16, input, weights, output); err != nil {
		return nil, err
	}
	if len(input.shape) == 0 || len(output.shape) != len(input.shape) {
		return nil, fmt.Errorf("input %v and output %v must have the same rank, at least 1", input.shape, output.shape)
	}
	if err := wantRank(1, weights); err != nil {
		return nil, err
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	shift, err := opts.int32("shift")
	if err != nil {
		return nil, err
	}
	// TFLM shifts an int32 by it: C leaves other counts undefined (x86
	// masks them, a Cortex-M does not).
	if shift < 0 || shift > 31 {
		return nil, fmt.Errorf("custom option \"shift\" %d is outside [0, 31]", shift)
	}
	size := weights.elems
	if size == 0 || input.elems%size != 0 {
		return nil, fmt.Errorf("input of %d elements is not a whole number of %d-element windows", input.elems, size)
	}
	if err := wantElems(output, input.elems); err != nil {
		return nil, err
	}
	return func(mem [][]byte) {
		in, w, out := mem[input.index], mem[weights.index], mem[output.index]
		for i := range input.elems {
			raw := int32(getInt16(in, i)) * int32(getInt16(w, i%size)) >> shift
			putInt16(out, i, int16(min(max(raw, math.MinInt16), math.MaxInt16)))
		}
	}, nil
}

// buildSignalFftAutoScale shifts a frame left by as many bits as its
// largest magnitude allows, and outputs that shift (scale_bit) so that
// FilterBankSquareRoot can undo it.
func buildSignalFftAutoScale(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	scaleBit := n.output(1)
	if scaleBit == nil {
		return nil, fmt.Errorf("output 1 (scale bits) missing")
	}
	if err := cmp.Or(wantKind(tflite.Int16, input, output), wantKind(tflite.Int32, scaleBit)); err != nil {
		return nil, err
	}
	if err := cmp.Or(wantRank(1, input, output), wantRank(0, scaleBit)); err != nil {
		return nil, err
	}
	// TFLM scales as many samples as the output holds.
	if input.elems < output.elems {
		return nil, fmt.Errorf("input %v is shorter than output %v", input.shape, output.shape)
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		// MaxAbs16 keeps the maximum in an int16, so -32768 stays
		// negative and, widened to uint32, has its top bit set.
		var peak int16
		for i := range output.elems {
			v := int32(getInt16(in, i))
			if v > int32(peak) {
				peak = int16(v)
			} else if -v > int32(peak) {
				peak = int16(-v)
			}
		}
		scale := max(16-msb32(uint32(int32(peak)))-1, 0)
		for i := range output.elems {
			putInt16(out, i, int16(int32(getInt16(in, i))*(1<<scale)))
		}
		putUint32(mem[scaleBit.index], 0, uint32(scale))
	}, nil
}

// buildSignalEnergy computes re²+im² of the complex int16 spectrum bins
// [start_index, end_index) as uint32. Like TFLM it leaves the other output
// elements as they were.
func buildSignalEnergy(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if err := cmp.Or(wantKind(tflite.Int16, input), wantKind(tflite.Uint32, output), wantRank(1, input, output)); err != nil {
		return nil, err
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var start, end int32
	if err := opts.ints([]string{"start_index", "end_index"}, &start, &end); err != nil {
		return nil, err
	}
	// An empty range computes nothing (TFLM's loop does not run), whatever
	// its bounds.
	if start < end && (start < 0 || int(end) > output.elems || 2*int(end) > input.elems) {
		return nil, fmt.Errorf("bins [%d, %d) do not fit input %v and output %v", start, end, input.shape, output.shape)
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for i := int(start); i < int(end); i++ {
			re, im := int32(getInt16(in, 2*i)), int32(getInt16(in, 2*i+1))
			putUint32(out, i, uint32(re*re+im*im))
		}
	}, nil
}
