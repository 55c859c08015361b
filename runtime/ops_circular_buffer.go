package runtime

import (
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// ErrAborted is wrapped by the error Invoke returns when an operator ends
// the invocation early on purpose, as TFLM's kernels do by returning
// kTfLiteAbort: TFLM's interpreter then skips the rest of the graph and
// Invoke returns kTfLiteAbort, which is not a failure. The operators that
// ran before (the aborting one included) have written their outputs; the
// next invocation starts again from the first operator. A streaming
// model's CIRCULAR_BUFFER aborts this way on the invocations between its
// strides.
var ErrAborted = errors.New("invocation aborted")

// buildCircularBuffer is TFLM's CIRCULAR_BUFFER custom operator, the
// history of a strided streaming convolution: every invocation shifts the
// int8 output [batch, slots, height, depth] one slot towards its start and
// appends the input [batch, 1, height, depth] (only the first batch: TFLM
// ignores the others). Then it counts down cycles_max invocations and
// aborts the invocation (ErrAborted) unless the count reached zero, so
// that the operators after it run once every cycles_max invocations.
//
// cycles_max comes from the FlexBuffers options, which TFLM reads by
// position: entry 0 of the map must be cycles_max. Without options, or
// with cycles_max <= 0, TFLM's Prepare guesses it for the two streaming
// models it knows: 1 when the output has 5, 13 or 25 slots, or for the
// fifth such guess in a row of an output of height 2 and depth 96;
// otherwise 2. TFLM counts those guesses in a static variable shared by
// every interpreter of the process; the runtime counts them per
// interpreter, which is the same for a process's first model.
func buildCircularBuffer(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(1)
	if err != nil {
		return nil, err
	}
	input := ins[0]
	// TFLM reads four dimensions of each without checking the ranks.
	if err := wantRank(4, input, output); err != nil {
		return nil, err
	}
	if input.shape[0] != output.shape[0] || input.shape[1] != 1 || input.shape[2] != output.shape[2] || input.shape[3] != output.shape[3] {
		return nil, fmt.Errorf("input shape %v does not fit output shape %v: want [batch, 1, height, depth] and [batch, slots, height, depth]", input.shape, output.shape)
	}
	if input.kind != output.kind {
		return nil, fmt.Errorf("input is %v, output %v: types must match", input.kind, output.kind)
	}
	if err := wantKind(tflite.Int8, input); err != nil {
		return nil, err
	}
	slots, depth := output.shape[1], output.shape[2]*output.shape[3]
	if depth > 0 && (slots < 1 || input.shape[0] < 1) {
		// TFLM would move (slots-1)*depth bytes, or read a missing input.
		return nil, fmt.Errorf("output shape %v: want at least one batch and one slot", output.shape)
	}
	cyclesMax, err := n.circularBufferCycles()
	if err != nil {
		return nil, err
	}
	if cyclesMax <= 0 {
		n.in.set.circularBufferGuesses++
		if slots == 5 || slots == 13 || slots == 25 || (n.in.set.circularBufferGuesses == 5 && output.shape[2] == 2 && output.shape[3] == 96) {
			cyclesMax = 1
			n.in.set.circularBufferGuesses = 0
		} else {
			cyclesMax = 2
		}
	}
	var untilRun int32
	n.keepState(func() { untilRun = cyclesMax })
	// The history is the output's bytes, which must survive between
	// invocations (unless a variable tensor, outside the arena).
	n.in.carried = append(n.in.carried, output.index)
	return func(mem [][]byte) {
		out := mem[output.index]
		copy(out, out[depth:slots*depth])
		copy(out[(slots-1)*depth:slots*depth], mem[input.index][:depth])
		if untilRun--; untilRun != 0 {
			n.runFail(fmt.Errorf("%w: the circular buffer runs the rest of the graph every %d invocations, %d to go", ErrAborted, cyclesMax, untilRun))
			return
		}
		untilRun = cyclesMax
	}, nil
}

// circularBufferCycles reads cycles_max from the options as TFLM's Init
// does: 0 without options, else entry 0 of the map, which must be
// cycles_max (TFLM reads it by position) and fit int32.
func (n *node) circularBufferCycles() (int32, error) {
	if len(n.op.CustomOptions) == 0 {
		return 0, nil
	}
	opts, err := n.signalOpts()
	if err != nil {
		return 0, err
	}
	if opts.m.Len() == 0 {
		return 0, fmt.Errorf("custom options: empty map, want cycles_max")
	}
	key, err := opts.m.Key(0)
	if err != nil {
		return 0, fmt.Errorf("custom options: %w", err)
	}
	if key != "cycles_max" {
		return 0, fmt.Errorf("custom options: first entry %q, want cycles_max: TFLM reads the first entry", key)
	}
	return opts.int32("cycles_max")
}
