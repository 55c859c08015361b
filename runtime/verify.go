package runtime

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Placement is where a memory plan puts one tensor of the main subgraph:
// its byte offset in the arena.
type Placement struct {
	Tensor int
	Offset int64
}

// Layout is a memory plan to verify: the arena size and the planned
// tensors. Constants, variable tensors and tensors no operator uses get
// memory of their own. Verify judges the plan by the tensors' actual
// lifetimes in the run (see Lifetime), not by any the planner assumed.
type Layout struct {
	ArenaBytes int64
	Tensors    []Placement
}

// Poison is the byte Verify writes over every arena byte that holds no
// live tensor before each operator runs.
const Poison = 0xA5

// maxArenaBytes bounds the arena Verify allocates (1 GiB).
const maxArenaBytes = 1 << 30

// ArenaMemory lays the model's tensors out in arena as layout says: each
// planned tensor is the slice of arena at its offset; everything else is
// as in PrivateMemory. It fails if a placement is out of range or a tensor
// some operator uses is not placed.
func (in *Interpreter) ArenaMemory(arena []byte, layout *Layout) (Memory, error) {
	mem := in.PrivateMemory()
	placed := make([]bool, len(in.tensors))
	for _, p := range layout.Tensors {
		if p.Tensor < 0 || p.Tensor >= len(in.tensors) {
			return nil, fmt.Errorf("plan places tensor %d, model has %d tensors", p.Tensor, len(in.tensors))
		}
		t := &in.tensors[p.Tensor]
		if t.constant != nil || t.variable {
			return nil, fmt.Errorf("plan places tensor %d %q, which is constant or variable", p.Tensor, t.name)
		}
		if placed[p.Tensor] {
			return nil, fmt.Errorf("plan places tensor %d %q twice", p.Tensor, t.name)
		}
		// Compared this way round, a huge offset cannot overflow.
		if p.Offset < 0 || p.Offset > int64(len(arena)-t.bytes) {
			return nil, fmt.Errorf("tensor %d %q: %d bytes at offset %d, outside the %d-byte arena", p.Tensor, t.name, t.bytes, p.Offset, len(arena))
		}
		end := p.Offset + int64(t.bytes)
		mem[p.Tensor] = arena[p.Offset:end:end]
		placed[p.Tensor] = true
	}
	for _, t := range in.ArenaTensors() {
		if !placed[t] && in.tensors[t].bytes > 0 {
			return nil, fmt.Errorf("plan does not place tensor %d %q", t, in.tensors[t].name)
		}
	}
	return mem, nil
}

// ArenaTensors lists, by index, the tensors a plan must place in the
// arena: those the run touches that are neither constant nor variable.
func (in *Interpreter) ArenaTensors() []int {
	var ts []int
	for t := range in.tensors {
		if in.first[t] >= 0 {
			ts = append(ts, t)
		}
	}
	return ts
}

// Result is the outcome of Verify.
type Result struct {
	// Pass is true when no live tensor was clobbered and the outputs of the
	// arena run equal those of the private run byte for byte.
	Pass       bool
	ArenaBytes int64
	// OpsRun counts the operators the arena run completed.
	OpsRun int
	// Invocations is how many invocations each run took: more than one
	// when a streaming kernel (CIRCULAR_BUFFER) ends the first ones early
	// and the run repeats them on the same inputs.
	Invocations int
	// Clobber describes the first live tensor that changed when nothing
	// should have written it; nil if none did.
	Clobber *Clobber
	// Overlap names two tensors the layout puts on common bytes while both
	// are alive, found by inspecting the layout after the runs; nil if
	// none. The runs can miss such a conflict when the overwritten bytes
	// happen to be equal (for example identical inputs).
	Overlap *Overlap
	// OutputsEqual is true when every output matched; FirstMismatch then
	// is -1, else it is the index of the first output that differs.
	OutputsEqual  bool
	FirstMismatch int
	// Outputs are the output bytes of the private run.
	Outputs [][]byte
}

// Clobber names a live tensor whose bytes changed although the operator
// that ran did not write it.
type Clobber struct {
	Tensor     int
	TensorName string
	// Op is the operator that ran when the change was seen; -1 means while
	// the model inputs were loaded.
	Op     int
	OpName string
	// Byte is the first changed byte, relative to the tensor's start.
	Byte int
}

func (c *Clobber) String() string {
	by := "loading the model inputs"
	if c.Op >= 0 {
		by = fmt.Sprintf("operator %d (%s)", c.Op, c.OpName)
	}
	return fmt.Sprintf("tensor %d %q clobbered by %s at byte %d", c.Tensor, c.TensorName, by, c.Byte)
}

// errClobbered stops an arena run at the first clobber.
var errClobbered = errors.New("live tensor clobbered")

// Verify runs the model twice on inputs, once with private memory and
// once inside an arena laid out by layout, and compares. In the arena run
// it poisons every byte not covered by a live tensor before each operator
// and checks after it that every live tensor the operator did not write
// still holds the bytes last written to it. An error means the layout or
// inputs are unusable; a failed check is reported in the Result.
func Verify(in *Interpreter, layout *Layout, inputs [][]byte) (*Result, error) {
	if layout.ArenaBytes < 0 || layout.ArenaBytes > maxArenaBytes {
		return nil, fmt.Errorf("arena of %d bytes out of range", layout.ArenaBytes)
	}
	private := in.PrivateMemory()
	invocations, err := in.invokeToEnd(private, nil, func() error { return in.SetInputs(private, inputs) })
	if err != nil {
		return nil, err
	}
	res := &Result{ArenaBytes: layout.ArenaBytes, Outputs: in.OutputData(private), FirstMismatch: -1, Invocations: invocations}

	arena := make([]byte, layout.ArenaBytes)
	mem, err := in.ArenaMemory(arena, layout)
	if err != nil {
		return nil, err
	}
	chk := newChecker(in, layout, arena, mem)
	// Every invocation loads the inputs first, as a device does.
	load := func() error {
		chk.poison(0, nil)
		if err := in.SetInputs(mem, inputs); err != nil {
			return err
		}
		// Expect each input to hold the bytes given, so that two inputs
		// sharing bytes show up as the first one clobbered.
		for k, t := range in.Inputs() {
			chk.shadow[t] = append(chk.shadow[t][:0], inputs[k]...)
		}
		return chk.check(0, -1, nil)
	}
	_, err = in.invokeToEnd(mem, chk, load)
	res.OpsRun = chk.opsRun
	if errors.Is(err, errClobbered) {
		res.Clobber = chk.clobber
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	got := in.OutputData(mem)
	res.OutputsEqual = true
	for k := range got {
		if !bytes.Equal(got[k], res.Outputs[k]) {
			res.OutputsEqual, res.FirstMismatch = false, k
			break
		}
	}
	res.Overlap = in.findOverlap(layout)
	res.Pass = res.OutputsEqual && res.Overlap == nil
	return res, nil
}

// Overlap names two tensors that share bytes while both are alive.
type Overlap struct {
	A, B         int // tensor indices, A < B
	NameA, NameB string
	Step         int // a step at which both are alive
}

func (o *Overlap) String() string {
	return fmt.Sprintf("tensors %d %q and %d %q share bytes while both are alive at step %d", o.A, o.NameA, o.B, o.NameB, o.Step)
}

// findOverlap returns the first pair of tensors (by offset) that the
// layout places on common bytes while both are alive, or nil.
func (in *Interpreter) findOverlap(layout *Layout) *Overlap {
	placed := slices.Clone(layout.Tensors)
	slices.SortFunc(placed, func(a, b Placement) int { return cmp.Compare(a.Offset, b.Offset) })
	for i, p := range placed {
		end := p.Offset + int64(in.tensors[p.Tensor].bytes)
		pf, pl := in.Lifetime(p.Tensor)
		for _, q := range placed[i+1:] {
			if q.Offset >= end {
				break
			}
			qf, ql := in.Lifetime(q.Tensor)
			if in.tensors[q.Tensor].bytes == 0 || pf < 0 || qf < 0 || pf > ql || qf > pl {
				continue
			}
			a, b := min(p.Tensor, q.Tensor), max(p.Tensor, q.Tensor)
			return &Overlap{A: a, B: b, NameA: in.tensors[a].name, NameB: in.tensors[b].name, Step: max(pf, qf)}
		}
	}
	return nil
}

// Lifetime returns the first and last step (inclusive) at which tensor t
// holds a value that is still needed: step 0 loads the model inputs and
// operator i runs at step i+1, as in tensorplan's lifetimes. A tensor is
// alive from the step that writes it to the last step that reads it; model
// outputs stay alive to the last step, and a tensor a kernel carries its
// state in from one invocation to the next (CIRCULAR_BUFFER's history)
// from the first step to the last. Both are -1 for a tensor no step
// touches. Constant and variable tensors report -1 too: they live outside
// the arena.
func (in *Interpreter) Lifetime(t int) (first, last int) {
	return in.first[t], in.last[t]
}

// computeLifetimes fills in.first and in.last from the operator order.
func (in *Interpreter) computeLifetimes() {
	n := len(in.tensors)
	in.first, in.last = make([]int, n), make([]int, n)
	for i := range n {
		in.first[i], in.last[i] = -1, -1
	}
	touch := func(t, step int) {
		if in.tensors[t].constant != nil || in.tensors[t].variable {
			return
		}
		if in.first[t] < 0 {
			in.first[t] = step
		}
		in.last[t] = max(in.last[t], step)
	}
	for _, t := range in.Inputs() {
		touch(t, 0)
	}
	for i, op := range in.ops {
		for _, t := range op.inputs {
			if t >= 0 {
				touch(t, i+1)
			}
		}
		for _, t := range op.outputs {
			touch(t, i+1)
		}
	}
	for _, t := range in.Outputs() {
		touch(t, len(in.ops))
	}
	for _, t := range in.carried {
		if in.first[t] >= 0 { // not constant or variable
			in.first[t], in.last[t] = 0, len(in.ops)
		}
	}
}

// checker is the Observer of a verified arena run.
type checker struct {
	in     *Interpreter
	arena  []byte
	mem    Memory
	placed []Placement  // planned tensors, sorted by offset
	where  []*Placement // each tensor's placement, nil if not planned
	// shadow holds each planned tensor's bytes as last written, nil until
	// it is written.
	shadow  [][]byte
	opsRun  int
	clobber *Clobber
}

func newChecker(in *Interpreter, layout *Layout, arena []byte, mem Memory) *checker {
	placed := slices.Clone(layout.Tensors)
	slices.SortFunc(placed, func(a, b Placement) int { return cmp.Compare(a.Offset, b.Offset) })
	where := make([]*Placement, len(in.tensors))
	for i := range placed {
		where[placed[i].Tensor] = &placed[i]
	}
	return &checker{in: in, arena: arena, mem: mem, placed: placed, where: where, shadow: make([][]byte, len(in.tensors))}
}

// holdsValue reports whether placement p holds a value at step that must
// survive it: alive at the step and not about to be written by it.
func (c *checker) holdsValue(p *Placement, step int, writes []int) bool {
	first, last := c.in.Lifetime(p.Tensor)
	alive := first >= 0 && first <= step && step <= last
	// A carried tensor's kernel reads its state before writing it.
	return alive && (!slices.Contains(writes, p.Tensor) || slices.Contains(c.in.carried, p.Tensor))
}

// poison overwrites every arena byte that holds no value at step.
func (c *checker) poison(step int, writes []int) {
	var next int64 // bytes below next are covered or already poisoned
	for i := range c.placed {
		p := &c.placed[i]
		if !c.holdsValue(p, step, writes) {
			continue
		}
		for b := next; b < p.Offset; b++ {
			c.arena[b] = Poison
		}
		next = max(next, p.Offset+int64(len(c.mem[p.Tensor])))
	}
	for b := next; b < int64(len(c.arena)); b++ {
		c.arena[b] = Poison
	}
}

// wrote records the current bytes of tensors as their expected contents.
func (c *checker) wrote(tensors []int) {
	for _, t := range tensors {
		c.shadow[t] = append(c.shadow[t][:0], c.mem[t]...)
	}
}

// check compares every planned tensor holding a value at step (other
// than those just written) with its shadow.
func (c *checker) check(step, op int, written []int) error {
	for t := range c.in.tensors {
		if c.shadow[t] == nil || slices.Contains(written, t) {
			continue
		}
		p := c.where[t]
		if first, last := c.in.Lifetime(t); p == nil || first > step || step > last {
			continue
		}
		if i := firstDiff(c.mem[t], c.shadow[t]); i >= 0 {
			c.clobber = &Clobber{Tensor: t, TensorName: c.in.tensors[t].name, Op: op, Byte: i}
			if op >= 0 {
				c.clobber.OpName = c.in.ops[op].name
			}
			return errClobbered
		}
	}
	return nil
}

// Before poisons the dead bytes of the arena before operator op.
func (c *checker) Before(op int) error {
	c.poison(op+1, c.in.ops[op].outputs)
	return nil
}

// After checks that operator op changed only its outputs.
func (c *checker) After(op int) error {
	outs := c.in.ops[op].outputs
	c.wrote(outs)
	c.opsRun = op + 1
	return c.check(op+1, op, outs)
}

// firstDiff returns the first index where a and b differ, or -1.
func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}
