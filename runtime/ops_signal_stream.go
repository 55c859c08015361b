package runtime

import (
	"cmp"
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// The streaming operators of TFLM's Signal library (SignalDelay,
// SignalFramer, SignalStacker, SignalOverlapAdd) keep samples from one
// invocation to the next in per-row state: circular buffers of int16
// (signal/src/circular_buffer.cc) or, for OverlapAdd, a plain array. The
// state starts as TFLM's Prepare leaves it and is reset to that by
// ResetVariables, as TFLM's MicroInterpreter::Reset calls each kernel's
// reset. TFLM trusts the options and the output shapes (its asserts are
// compiled out); the runtime refuses the models on which TFLM would read
// or write out of bounds, divide by zero or leave outputs unwritten.

// maxStateElems bounds the samples a streaming kernel keeps, so that
// hostile options cannot ask for an absurd allocation (TFLM's arena fails
// long before).
const maxStateElems = maxMemoryBytes / 2

// ringBuffer is tflm_signal::CircularBuffer: a FIFO of at most capacity
// int16 samples. TFLM mirrors the samples in a second half of its buffer
// so they can be read contiguously; the FIFO's contents are the same.
type ringBuffer struct {
	buf         []int16
	read, write int
	empty       bool
	scratch     []int16 // Extend's copy of the samples it repeats
}

func newRingBuffer(capacity int) *ringBuffer {
	r := &ringBuffer{buf: make([]int16, capacity)}
	r.reset()
	return r
}

// reset is CircularBufferReset: empty, all zeros.
func (r *ringBuffer) reset() {
	r.read, r.write, r.empty = 0, 0, true
	clear(r.buf)
}

// available is CircularBufferAvailable, the number of samples held.
func (r *ringBuffer) available() int {
	switch d := r.write - r.read; {
	case d > 0:
		return d
	case d < 0:
		return len(r.buf) + d
	case r.empty:
		return 0
	}
	return len(r.buf)
}

// push is CircularBufferWrite; the callers ensure the samples fit.
func (r *ringBuffer) push(v []int16) {
	if len(v) > 0 {
		r.empty = false
	}
	for len(v) > 0 {
		k := copy(r.buf[r.write:], v)
		v = v[k:]
		if r.write += k; r.write == len(r.buf) {
			r.write = 0
		}
	}
}

// pushZeros is CircularBufferWriteZeros.
func (r *ringBuffer) pushZeros(n int) {
	for range n {
		r.buf[r.write] = 0
		if r.write++; r.write == len(r.buf) {
			r.write = 0
		}
	}
	if n > 0 {
		r.empty = false
	}
}

// peek is CircularBufferGet: copies the len(dst) oldest samples.
func (r *ringBuffer) peek(dst []int16) {
	k := copy(dst, r.buf[r.read:])
	copy(dst[k:], r.buf)
}

// discard is CircularBufferDiscard: drops the n oldest samples.
func (r *ringBuffer) discard(n int) {
	if r.read += n; r.read >= len(r.buf) {
		r.read -= len(r.buf)
	}
	if r.read == r.write {
		r.empty = true
	}
}

// extend is CircularBufferExtend: appends the count newest samples n more
// times.
func (r *ringBuffer) extend(count, n int) {
	if count <= 0 || n <= 0 {
		return
	}
	r.scratch = r.scratch[:0]
	for i := range count {
		r.scratch = append(r.scratch, r.buf[(r.write-count+i+len(r.buf))%len(r.buf)])
	}
	for range n {
		r.push(r.scratch)
	}
}

// signalStreamIO returns the one input and the nout outputs of a Signal
// operator, which TFLM requires to be exactly that many.
func (n *node) signalStreamIO(nout int) (*tensorInfo, []*tensorInfo, error) {
	if len(n.inputs) != 1 || len(n.outputs) != nout {
		return nil, nil, fmt.Errorf("takes 1 input and %d outputs, has %d and %d", nout, len(n.inputs), len(n.outputs))
	}
	input, err := n.need(0)
	if err != nil {
		return nil, nil, err
	}
	outs := make([]*tensorInfo, nout)
	for k := range outs {
		outs[k] = n.output(k)
	}
	return input, outs, nil
}

// rows splits a tensor into rows of its innermost dimension: the row
// length and count (TFLM's frame_size or innermost_dim, and outer_dims).
func rows(t *tensorInfo) (length, count int, err error) {
	if len(t.shape) == 0 || t.shape[len(t.shape)-1] == 0 {
		return 0, 0, fmt.Errorf("tensor %d %q of shape %v has no rows: its innermost dimension is missing or 0", t.index, t.name, t.shape)
	}
	length = t.shape[len(t.shape)-1]
	return length, t.elems / length, nil
}

// checkState fails unless count buffers of size samples each stay within
// the runtime's bound.
func checkState(count, size int64) error {
	if size < 0 || count*size > maxStateElems {
		return fmt.Errorf("state of %d x %d samples exceeds the runtime's limit of %d", count, size, maxStateElems)
	}
	return nil
}

// buildSignalDelay delays each row of the int16 input by delay_length
// samples, the first ones being zeros.
func buildSignalDelay(n *node) (func([][]byte), error) {
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	delay, err := opts.int32("delay_length")
	if err != nil {
		return nil, err
	}
	input, outs, err := n.signalStreamIO(1)
	if err != nil {
		return nil, err
	}
	output := outs[0]
	if err := wantKind(tflite.Int16, input, output); err != nil {
		return nil, err
	}
	frame, count, err := rows(input)
	if err != nil {
		return nil, err
	}
	if delay < 0 {
		return nil, fmt.Errorf("delay_length %d is negative", delay)
	}
	if err := cmp.Or(sameElems(input, output), checkState(int64(count), int64(frame)+int64(delay))); err != nil {
		return nil, err
	}
	buffers := make([]*ringBuffer, count)
	for i := range buffers {
		buffers[i] = newRingBuffer(frame + int(delay))
	}
	n.keepState(func() {
		for _, b := range buffers {
			b.reset()
			b.pushZeros(int(delay))
		}
	})
	samples := make([]int16, frame)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for i, b := range buffers {
			for k := range samples {
				samples[k] = getInt16(in, i*frame+k)
			}
			b.push(samples)
			b.peek(samples)
			b.discard(frame)
			for k, v := range samples {
				putInt16(out, i*frame+k, v)
			}
		}
	}, nil
}

// buildSignalFramer cuts each row of the int16 input into frames of
// frame_size samples, frame_step apart, carrying the samples of frames
// not yet complete to the next invocation. output_valid is false when a
// frame was not complete (its output is then left as it was).
func buildSignalFramer(n *node) (func([][]byte), error) {
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var size, step int32
	if err := opts.ints([]string{"frame_size", "frame_step"}, &size, &step); err != nil {
		return nil, err
	}
	prefill, err := opts.bool("prefill")
	if err != nil {
		return nil, err
	}
	input, outs, err := n.signalStreamIO(2)
	if err != nil {
		return nil, err
	}
	output, valid := outs[0], outs[1]
	if len(output.shape) != len(input.shape)+1 || len(valid.shape) != 0 {
		return nil, fmt.Errorf("input %v, output %v and output_valid %v: want output of one more dimension than input and a scalar output_valid", input.shape, output.shape, valid.shape)
	}
	if err := cmp.Or(wantKind(tflite.Int16, input, output), wantKind(tflite.Bool, valid)); err != nil {
		return nil, err
	}
	if size <= 0 || step <= 0 {
		return nil, fmt.Errorf("frame_size %d and frame_step %d must be positive", size, step)
	}
	inner, count, err := rows(input)
	if err != nil {
		return nil, err
	}
	if inner < int(step) || inner%int(step) != 0 {
		return nil, fmt.Errorf("innermost dimension %d is not a multiple of frame_step %d", inner, step)
	}
	if prefill && size < step {
		return nil, fmt.Errorf("prefill with frame_size %d below frame_step %d (TFLM would prefill a negative count)", size, step)
	}
	frames := inner / int(step)
	capacity := (int64(size) + int64(step) - 1) / int64(step) * int64(step)
	if err := checkState(int64(count), capacity); err != nil {
		return nil, err
	}
	if int64(output.elems) != int64(count)*int64(frames)*int64(size) {
		return nil, fmt.Errorf("output %v does not hold %d frames of %d samples", output.shape, count*frames, size)
	}
	buffers := make([]*ringBuffer, count)
	for i := range buffers {
		buffers[i] = newRingBuffer(int(capacity))
	}
	n.keepState(func() {
		for _, b := range buffers {
			b.reset()
			if prefill {
				b.pushZeros(int(size - step))
			}
		}
	})
	in16, out16 := make([]int16, step), make([]int16, size)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		ok := true
		for i, b := range buffers {
			for f := range frames {
				at := i*frames + f
				for k := range in16 {
					in16[k] = getInt16(in, at*int(step)+k)
				}
				b.push(in16)
				if b.available() < int(size) {
					ok = false
					continue
				}
				b.peek(out16)
				for k, v := range out16 {
					putInt16(out, at*int(size)+k, v)
				}
				b.discard(int(step))
			}
		}
		mem[valid.index][0] = boolByte(ok)
	}, nil
}

// buildSignalStacker stacks the last stacker_left_context +
// stacker_right_context + 1 frames of num_channels int16 samples (the
// first frame repeated to fill the left context), every stacker_step
// frames; output_valid tells whether this invocation gave a stack.
func buildSignalStacker(n *node) (func([][]byte), error) {
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var channels, left, right, step int32
	if err := opts.ints([]string{"num_channels", "stacker_left_context", "stacker_right_context", "stacker_step"},
		&channels, &left, &right, &step); err != nil {
		return nil, err
	}
	input, outs, err := n.signalStreamIO(2)
	if err != nil {
		return nil, err
	}
	output, valid := outs[0], outs[1]
	if err := cmp.Or(wantRank(1, input, output), wantRank(0, valid)); err != nil {
		return nil, err
	}
	if err := cmp.Or(wantKind(tflite.Int16, input, output), wantKind(tflite.Bool, valid)); err != nil {
		return nil, err
	}
	if channels < 1 || left < 0 || right < 0 || step < 1 {
		return nil, fmt.Errorf("num_channels %d, contexts %d and %d, step %d: want positive channels and step and non-negative contexts", channels, left, right, step)
	}
	context := int64(left) + int64(right) + 1
	if int64(step) > context {
		return nil, fmt.Errorf("stacker_step %d exceeds the %d stacked frames (TFLM would discard frames it does not hold)", step, context)
	}
	if err := checkState(int64(channels), context); err != nil {
		return nil, err
	}
	size := int(channels) * int(context)
	if input.elems < int(channels) {
		return nil, fmt.Errorf("input %v holds fewer than num_channels %d samples", input.shape, channels)
	}
	if err := wantElems(output, size); err != nil {
		return nil, err
	}
	buffer := newRingBuffer(size)
	started := false
	n.keepState(func() {
		buffer.reset()
		started = false
	})
	frame, stack := make([]int16, channels), make([]int16, size)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for k := range frame {
			frame[k] = getInt16(in, k)
		}
		buffer.push(frame)
		if !started {
			buffer.extend(int(channels), int(left))
			started = true
		}
		ok := buffer.available() >= size
		if ok {
			buffer.peek(stack)
			for k, v := range stack {
				putInt16(out, k, v)
			}
			buffer.discard(int(channels) * int(step))
		}
		mem[valid.index][0] = boolByte(ok)
	}, nil
}

// buildSignalOverlapAdd overlap-adds the frames of frame_size samples
// (the input's innermost dimension) frame_step apart, giving frame_step
// finished samples per frame; the unfinished tail is carried to the next
// invocation. int16 sums saturate; float32 ones are plain.
func buildSignalOverlapAdd(n *node) (func([][]byte), error) {
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var typ, step int32
	if err := opts.ints([]string{"T", "frame_step"}, &typ, &step); err != nil {
		return nil, err
	}
	kind := tflite.TensorType(typ)
	if kind != tflite.Int16 && kind != tflite.Float32 {
		return nil, fmt.Errorf("T %v: TFLM's OverlapAdd takes INT16 or FLOAT32", kind)
	}
	input, outs, err := n.signalStreamIO(1)
	if err != nil {
		return nil, err
	}
	output := outs[0]
	if len(input.shape) != len(output.shape)+1 || len(input.shape) < 2 {
		return nil, fmt.Errorf("input %v and output %v: want output of one dimension less than input, which has at least 2", input.shape, output.shape)
	}
	if err := wantKind(kind, input, output); err != nil {
		return nil, err
	}
	size, frames := input.shape[len(input.shape)-1], input.shape[len(input.shape)-2]
	if size == 0 || frames == 0 {
		return nil, fmt.Errorf("input %v has no frames to add (TFLM divides by their size)", input.shape)
	}
	if step <= 0 || int(step) > size {
		return nil, fmt.Errorf("frame_step %d is outside [1, frame size %d]", step, size)
	}
	count := input.elems / (size * frames)
	if err := checkState(int64(count), int64(size)); err != nil {
		return nil, err
	}
	if err := wantElems(output, count*frames*int(step)); err != nil {
		return nil, err
	}
	if kind == tflite.Int16 {
		return overlapAdd(n, count, frames, size, int(step), input, output, getInt16, putInt16, func(a, b int16) int16 {
			return int16(min(max(int32(a)+int32(b), math.MinInt16), math.MaxInt16))
		}), nil
	}
	return overlapAdd(n, count, frames, size, int(step), input, output, getFloat32, putFloat32, func(a, b float32) float32 {
		return a + b
	}), nil
}

// overlapAdd is OverlapAdd's kernel for one sample type: count rows of
// frames frames of size samples, with a state row of size samples each.
func overlapAdd[T int16 | float32](n *node, count, frames, size, step int, input, output *tensorInfo,
	get func([]byte, int) T, put func([]byte, int, T), sum func(state, sample T) T) func([][]byte) {
	state := make([][]T, count)
	for i := range state {
		state[i] = make([]T, size)
	}
	n.keepState(func() {
		for _, s := range state {
			clear(s)
		}
	})
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for i, s := range state {
			for f := range frames {
				at := i*frames + f
				for k := range s {
					s[k] = sum(s[k], get(in, at*size+k))
				}
				for k := range step {
					put(out, at*step+k, s[k])
				}
				copy(s, s[step:])
				clear(s[size-step:])
			}
		}
	}
}
