package tflmarena

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// The Signal library's streaming operators (SignalDelay, SignalFramer,
// SignalStacker, SignalOverlapAdd) and its inverse FFT (SignalIrfft) size
// their persistent state from their custom options, a FlexBuffers map
// whose keys are the TensorFlow op's attributes (TFLM reads them by
// position in the sorted keys; by key gives the same values).

// customInt reads integer option key of the node's custom options (TFLM
// reads each as an int32), recording an error and returning 0 when it is
// missing, malformed or out of range.
func (n *node) customInt(key string) int64 {
	root, err := flexbuf.Root(n.op.CustomOptions)
	if err != nil {
		n.fail(fmt.Errorf("custom options: %w", err))
		return 0
	}
	m, err := root.Map()
	if err != nil {
		n.fail(fmt.Errorf("custom options: %w", err))
		return 0
	}
	v, ok, err := m.Get(key)
	if err == nil && !ok {
		err = fmt.Errorf("missing")
	}
	var i int64
	if err == nil {
		i, err = v.Int()
	}
	if err == nil && (i < math.MinInt32 || i > math.MaxInt32) {
		err = fmt.Errorf("%d does not fit int32", i)
	}
	if err != nil {
		n.fail(fmt.Errorf("custom option %q: %w", key, err))
		return 0
	}
	return i
}

// circularBufferBytes is tflm_signal::CircularBufferGetNeededMemory: the
// CircularBuffer struct (three size_t, two int32 and a pointer) and twice
// capacity int16 samples.
func circularBufferBytes(capacity int64, abi *ABI) int64 {
	return 4*abi.Pointer.Size + 8 + mulSat(4, capacity)
}

// rowsOf is a tensor's innermost dimension and the number of rows of it
// (TFLM's frame size and outer_dims); 0 rows when it has none.
func rowsOf(n *node, t int32) (length, count int64) {
	length = lastDim(n, t)
	if length <= 0 {
		return length, 0
	}
	return length, n.elements(t) / length
}

// perRowBuffers are the steps of a kernel that allocates, for each of
// count rows, one persistent buffer of bytes: each is 16-byte aligned
// from an aligned tail, so together they take count times bytes rounded
// up to 16.
func perRowBuffers(count, bytes int64, what string) step {
	if bytes < 0 {
		return persistent(bytes, what)
	}
	return persistent(mulSat(count, alignUp(bytes, 16)), what)
}

// circularBufferRows is Delay's and Framer's Prepare after their
// temporaries: the arrays of state and circular-buffer pointers, then a
// circular buffer of capacity samples per row of input 0.
func circularBufferRows(n *node, capacity int64) []step {
	_, count := rowsOf(n, n.input(0))
	ptrs := mulSat(count, n.abi.Pointer.Size)
	return []step{
		persistent(ptrs, "state buffer pointers"),
		persistent(ptrs, "circular buffer pointers"),
		perRowBuffers(count, circularBufferBytes(capacity, n.abi), "circular buffers"),
	}
}

func delayPrepare(n *node) []step {
	frame, _ := rowsOf(n, n.input(0))
	return append(n.temps(0, out0), circularBufferRows(n, frame+n.customInt("delay_length"))...)
}

// framerPrepare: each row's buffer holds frame_size rounded up to a
// multiple of frame_step.
func framerPrepare(n *node) []step {
	size, step := n.customInt("frame_size"), n.customInt("frame_step")
	if step <= 0 {
		n.fail(fmt.Errorf("frame_step %d is not positive", step))
		return nil
	}
	return append(n.temps(0, out0, out1), circularBufferRows(n, (size+step-1)/step*step)...)
}

// stackerInit: one circular buffer of num_channels times the stacked
// frames.
func stackerInit(n *node, abi *ABI) []step {
	frames := n.customInt("stacker_left_context") + n.customInt("stacker_right_context") + 1
	return []step{persistent(circularBufferBytes(mulSat(n.customInt("num_channels"), frames), abi), "circular buffer")}
}

// overlapAddPrepare: a state row of frame_size samples of T per row of
// frames.
func overlapAddPrepare(n *node) []step {
	s := n.temps(0, out0)
	in := n.input(0)
	if n.rank(in) < 2 || lastDim(n, in) <= 0 || n.dim(in, int(n.rank(in))-2) <= 0 {
		n.fail(fmt.Errorf("input tensor %d has no frames", in))
		return nil
	}
	size, frames := lastDim(n, in), n.dim(in, int(n.rank(in))-2)
	count := n.elements(in) / (size * frames)
	sample := typeSize(tflite.TensorType(n.customInt("T")))
	return append(s,
		persistent(mulSat(count, n.abi.Pointer.Size), "state buffer pointers"),
		perRowBuffers(count, mulSat(size, sample), "state buffers"))
}

// irfftInit: the inverse kiss_fftr state of fft_length (in the float build
// after an IrfftFloatState: an int32 and a pointer).
func irfftInit(n *node, abi *ABI) []step {
	length, typ := n.customInt("fft_length"), tflite.TensorType(n.customInt("T"))
	bytes := kissFFTRBytes(length, typ, abi)
	if typ == tflite.Float32 && bytes >= 0 {
		bytes += alignUp(4, abi.Pointer.Size) + abi.Pointer.Size
	}
	return []step{persistent(bytes, "kiss_fftr state")}
}
