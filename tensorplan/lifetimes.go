package tensorplan

import "fmt"

// Alignment is the granularity of TFLM's arena: every planned size is
// rounded up to it (MicroArenaBufferAlignment, AlignSizeUp).
const Alignment = 16

// Lifetimes is what TFLM's AllocationInfoBuilder learns about a model: the
// tensors it plans in the arena's head, with their steps, and the variable
// tensors it keeps in the persistent tail.
//
// Steps follow TFLM's allocation scopes: subgraph 0's inputs are created at
// step 0, its operator i runs at step i+1, and a control-flow operator (IF,
// WHILE, CALL_ONCE) opens one more step per subgraph it calls, whose
// operators are numbered inside it before the operator's own inputs are
// released.
type Lifetimes struct {
	// Tensors are the planned tensors in TFLM's AddBuffer order (subgraph
	// by subgraph, tensor by tensor), so Buffers()[i] is the planner's
	// buffer i in TFLM too.
	Tensors []TensorBuffer
	// Persistent are variable tensors, which TFLM allocates in the
	// persistent tail rather than planning them (unless an offline plan
	// places them).
	Persistent []TensorRef
	// Ops gives the steps of every operator TFLM visited, the lifetime of
	// the scratch buffers its kernel requests (see ScratchBuffer).
	Ops []OpSteps
	// LastStep is the step at which subgraph 0 ends.
	LastStep int
}

// TensorRef names one tensor of a model.
type TensorRef struct {
	Subgraph int
	Index    int
	Name     string
	// Bytes is the tensor's byte length, before rounding to Alignment.
	Bytes int64
}

// TensorBuffer is a planned tensor and its buffer: Size is Bytes rounded up
// to Alignment.
type TensorBuffer struct {
	TensorRef
	Buffer
}

// OpSteps is the span of steps of one operator: from when it starts to when
// the subgraphs it calls (if any) have ended, over all visits.
type OpSteps struct {
	Subgraph, Op int
	First, Last  int
}

// Buffers returns the planners' input: one Buffer per planned tensor, in
// order. Append scratch buffers after them, as TFLM does.
func (l *Lifetimes) Buffers() []Buffer {
	out := make([]Buffer, len(l.Tensors))
	for i := range l.Tensors {
		out[i] = l.Tensors[i].Buffer
	}
	return out
}

// ScratchBuffer returns the buffer TFLM plans for a kernel's scratch request
// of bytes by operator op of subgraph sub: alive over the operator's steps,
// its size rounded up to Alignment. It fails if TFLM never visits the
// operator.
func (l *Lifetimes) ScratchBuffer(sub, op int, bytes int64) (Buffer, error) {
	if bytes < 0 || bytes > maxBufferSize {
		return Buffer{}, fmt.Errorf("scratch buffer of %d bytes: size out of range", bytes)
	}
	for _, o := range l.Ops {
		if o.Subgraph == sub && o.Op == op {
			return Buffer{Size: alignUp(bytes), First: o.First, Last: o.Last, Fixed: Online}, nil
		}
	}
	return Buffer{}, fmt.Errorf("scratch buffer: operator %d of subgraph %d never runs", op, sub)
}

// alignUp rounds n up to a multiple of Alignment.
func alignUp(n int64) int64 { return (n + Alignment - 1) / Alignment * Alignment }
