// Package runtime is a reference interpreter for .tflite models that proves
// memory plans safe.
//
// It executes the main subgraph of a model operator by operator with TFLM's
// reference-kernel arithmetic (the same rounding, saturating fixed-point
// multiplies and activation clamps), so int8 and int16 outputs are
// bit-identical to TFLM's. Every tensor's bytes come from a Memory chosen by
// the caller: private buffers, or slices of one arena at a plan's offsets.
// Verify runs a model both ways, poisons dead arena bytes before every
// operator and checks after it that no live tensor changed unless the
// operator wrote it, which turns a memory plan into evidence: the model
// runs inside the planned arena and computes exactly what it computes with
// private memory.
//
// Constant tensors are read from the model's buffers; variable tensors get
// persistent private buffers, as TFLM keeps them in its arena's tail; any
// scratch memory a kernel needs is private to the kernel.
package runtime

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/footprint-dev/footprint/tflite"
)

// Interpreter runs the main subgraph of one model. It is prepared once
// (shapes checked, quantisation multipliers and constants decoded) and can
// run any number of times; it is not safe for concurrent use.
type Interpreter struct {
	model   *tflite.Model
	graph   *tflite.Subgraph
	tensors []tensorInfo
	ops     []preparedOp
	// first and last are each tensor's lifetime in steps (see Lifetime).
	first, last []int
	// resets set the state kernels keep between invocations (outside any
	// tensor) to its initial value; ResetVariables runs them.
	resets []func()
	// carried are the tensors a kernel keeps its state in from one
	// invocation to the next (CIRCULAR_BUFFER's history, its output):
	// alive throughout, so no other tensor may share their bytes.
	carried []int
	// set holds the model's subgraphs, index is this one's; mem is the
	// memory a called subgraph (not the main one) runs in, and calls
	// counts its calls in progress, to bound recursion.
	set   *graphSet
	index int
	mem   Memory
	calls int
}

// tensorInfo is what kernels need to know about one tensor.
type tensorInfo struct {
	index    int
	name     string
	kind     tflite.TensorType
	shape    []int
	elems    int
	bytes    int
	constant []byte // the model's data for a constant tensor, nil otherwise
	variable bool
	// Quantisation: scale and zero point of the tensor (the first channel's
	// when per-channel), every channel's scale, and the dimension the
	// channels run along.
	quantized bool
	scale     float32
	zeroPoint int32
	scales    []float32
	quantDim  int
}

// preparedOp is one operator ready to run.
type preparedOp struct {
	name    string
	inputs  []int // tensor indices; -1 marks an omitted optional input
	outputs []int
	eval    func(mem [][]byte)
	// runErr is where eval reports a failure only the run can find (an
	// index input out of range); Invoke returns it after eval.
	runErr *error
}

// UnsupportedError lists the operators of a model this runtime cannot run.
type UnsupportedError struct {
	// Ops are operator names, each once, in order of first use; an
	// operator whose kernel exists but not for this variant (element
	// types, options) carries the reason in parentheses.
	Ops []string
}

func (e *UnsupportedError) Error() string {
	return "unsupported operators: " + strings.Join(e.Ops, ", ")
}

// New prepares model for execution. A model with operators the runtime
// does not implement yields an *UnsupportedError naming all of them, before
// anything runs.
func New(model *tflite.Model) (*Interpreter, error) {
	if model == nil || len(model.Subgraphs) == 0 {
		return nil, errors.New("model has no subgraph")
	}
	set := newGraphSet(model)
	var unsupported []string
	// TFLM prepares every subgraph, called or not: an operator it lacks
	// in any of them fails AllocateTensors.
	for i := range model.Subgraphs {
		err := set.list[i].prepareGraph()
		var ue *UnsupportedError
		switch {
		case errors.As(err, &ue):
			for _, op := range ue.Ops {
				if !slices.Contains(unsupported, op) {
					unsupported = append(unsupported, op)
				}
			}
		case err != nil && i > 0:
			return nil, fmt.Errorf("subgraph %d: %w", i, err)
		case err != nil:
			return nil, err
		}
	}
	if len(unsupported) > 0 {
		return nil, &UnsupportedError{Ops: unsupported}
	}
	for _, sub := range set.list[1:] {
		sub.mem = sub.PrivateMemory()
	}
	in := set.list[0]
	in.computeLifetimes()
	return in, nil
}

// graphSet holds one Interpreter per subgraph of a model. Control-flow
// kernels (IF, WHILE, CALL_ONCE) reach the subgraphs they call through it;
// every subgraph but the main one runs in memory of its own.
type graphSet struct {
	model     *tflite.Model
	table     map[string]kernelBuilder
	list      []*Interpreter
	resources *resources
	// circularBufferGuesses counts the CIRCULAR_BUFFERs prepared without
	// cycles_max since the last one guessed 1 (TFLM's cb_prepare_count).
	circularBufferGuesses int
}

// newGraphSet makes an unprepared Interpreter for every subgraph.
func newGraphSet(model *tflite.Model) *graphSet {
	set := &graphSet{model: model, table: kernelTable(), list: make([]*Interpreter, len(model.Subgraphs)), resources: &resources{}}
	for i := range set.list {
		set.list[i] = &Interpreter{model: model, graph: &model.Subgraphs[i], set: set, index: i}
	}
	return set
}

// subgraph returns subgraph i's interpreter, failing for an index the
// model does not have and for the main subgraph, which an operator of the
// model calling it would run inside its own run.
func (s *graphSet) subgraph(i int32) (*Interpreter, error) {
	if i < 0 || int(i) >= len(s.list) {
		return nil, fmt.Errorf("subgraph %d does not exist (%d subgraphs)", i, len(s.list))
	}
	if i == 0 {
		return nil, fmt.Errorf("calls the main subgraph 0")
	}
	return s.list[i], nil
}

// prepareGraph describes the subgraph's tensors and prepares its
// operators: an *UnsupportedError names every operator the runtime lacks.
func (in *Interpreter) prepareGraph() error {
	for _, list := range [][]int32{in.graph.Inputs, in.graph.Outputs} {
		for _, t := range list {
			if t < 0 || int(t) >= len(in.graph.Tensors) {
				return fmt.Errorf("graph input or output tensor %d out of range", t)
			}
		}
	}
	table := in.set.table
	var unsupported []string
	for i := range in.graph.Operators {
		name, err := in.opName(i)
		if err != nil {
			return err
		}
		if _, ok := table[name]; ok {
			continue
		}
		if reason := vendorReason(name); reason != "" {
			name += " (" + reason + ")"
		}
		if !slices.Contains(unsupported, name) {
			unsupported = append(unsupported, name)
		}
	}
	if len(unsupported) > 0 {
		return &UnsupportedError{Ops: unsupported}
	}
	in.tensors = make([]tensorInfo, len(in.graph.Tensors))
	var total int
	for i := range in.graph.Tensors {
		if err := in.describe(i); err != nil {
			return err
		}
		if in.tensors[i].constant == nil {
			if total += in.tensors[i].bytes; total > maxMemoryBytes {
				return fmt.Errorf("tensors need more than %d bytes of memory", maxMemoryBytes)
			}
		}
	}
	for i := range in.graph.Operators {
		op, err := in.prepare(i, table)
		switch {
		case errors.Is(err, errUnsupported):
			// A variant the kernel does not implement: list the operator
			// with the reason, like a missing kernel.
			if entry := op.name + " (" + unwrapReason(err) + ")"; !slices.Contains(unsupported, entry) {
				unsupported = append(unsupported, entry)
			}
		case err != nil:
			return err
		}
		in.ops = append(in.ops, op)
	}
	if len(unsupported) > 0 {
		return &UnsupportedError{Ops: unsupported}
	}
	return nil
}

// Coverage says, for every operator of every subgraph of model (indexed
// [subgraph][operator]), why the runtime cannot run it: no kernel for the
// operator, a variant its kernel refuses (element types, options, with
// the kernel's reason), or a malformed operator or tensor; "" when it can.
// Unlike New it looks at each operator on its own, so one operator's
// problem does not hide another's.
func Coverage(model *tflite.Model) [][]string {
	set := newGraphSet(model)
	table := set.table
	out := make([][]string, len(model.Subgraphs))
	for si := range model.Subgraphs {
		in := set.list[si]
		out[si] = make([]string, len(in.graph.Operators))
		in.tensors = make([]tensorInfo, len(in.graph.Tensors))
		tensorErrs := make([]error, len(in.graph.Tensors))
		for i := range in.graph.Tensors {
			tensorErrs[i] = in.describe(i)
		}
		for i := range in.graph.Operators {
			name, err := in.opName(i)
			switch {
			case err != nil:
				out[si][i] = err.Error()
				continue
			case table[name] == nil:
				out[si][i] = cmp.Or(vendorReason(name), "no kernel")
				continue
			}
			op := &in.graph.Operators[i]
			for _, t := range slices.Concat(op.Inputs, op.Outputs) {
				if t >= 0 && int(t) < len(tensorErrs) && tensorErrs[t] != nil && out[si][i] == "" {
					out[si][i] = tensorErrs[t].Error()
				}
			}
			if out[si][i] != "" {
				continue
			}
			if _, err := in.prepare(i, table); errors.Is(err, errUnsupported) {
				out[si][i] = unwrapReason(err)
			} else if err != nil {
				out[si][i] = err.Error()
			}
		}
	}
	return out
}

// opName returns the operator's builtin name, or CUSTOM:<code>.
func (in *Interpreter) opName(i int) (string, error) {
	op := &in.graph.Operators[i]
	if int(op.OpcodeIndex) >= len(in.model.OpCodes) {
		return "", fmt.Errorf("operator %d: opcode index %d out of range", i, op.OpcodeIndex)
	}
	return in.model.OpCodes[op.OpcodeIndex].Name(), nil
}

// describe fills in.tensors[i] from the model.
func (in *Interpreter) describe(i int) error {
	t := &in.graph.Tensors[i]
	info := tensorInfo{index: i, name: t.Name, kind: t.Type, variable: t.IsVariable, elems: 1}
	size := elemSize(t.Type)
	if size == 0 && t.Type != tflite.Int4 {
		return fmt.Errorf("tensor %d %q: element type %d not supported", i, t.Name, t.Type)
	}
	for _, d := range t.Shape {
		if d < 0 {
			return fmt.Errorf("tensor %d %q: dynamic shape %v not supported", i, t.Name, t.Shape)
		}
		info.shape = append(info.shape, int(d))
		info.elems *= int(d)
		if info.elems > maxTensorElems {
			return fmt.Errorf("tensor %d %q: shape %v too large", i, t.Name, t.Shape)
		}
	}
	info.bytes = info.elems * size
	if t.Type == tflite.Int4 {
		info.bytes = (info.elems + 1) / 2 // packed two to a byte, low nibble first
	}
	if int(t.Buffer) < len(in.model.Buffers) {
		if data := in.model.Buffers[t.Buffer].Data; len(data) > 0 {
			if len(data) != info.bytes {
				return fmt.Errorf("tensor %d %q: buffer holds %d bytes, shape %v needs %d", i, t.Name, len(data), t.Shape, info.bytes)
			}
			info.constant = data
		}
	}
	if t.Type == tflite.Int4 && info.constant == nil {
		return fmt.Errorf("tensor %d %q: INT4 tensors are supported only as constant weights", i, t.Name)
	}
	if q := t.Quant; q != nil && len(q.Scale) > 0 {
		info.quantized = true
		info.scale = q.Scale[0]
		info.scales = q.Scale
		info.quantDim = int(q.QuantizedDimension)
		if len(q.ZeroPoint) > 0 {
			info.zeroPoint = int32(q.ZeroPoint[0])
		}
	}
	in.tensors[i] = info
	return nil
}

// maxTensorElems bounds a tensor's element count and maxMemoryBytes the
// bytes of all non-constant tensors together (16 MiB, far more than a
// microcontroller's SRAM), so a hostile shape cannot ask for an absurd
// allocation.
const (
	maxTensorElems = 1 << 24
	maxMemoryBytes = 16 << 20
)

// prepare builds operator i's kernel.
func (in *Interpreter) prepare(i int, table map[string]kernelBuilder) (preparedOp, error) {
	name, _ := in.opName(i)
	op := &in.graph.Operators[i]
	p := preparedOp{name: name}
	for _, t := range op.Inputs {
		if t >= 0 && int(t) >= len(in.tensors) {
			return p, fmt.Errorf("operator %d %s: input tensor %d out of range", i, name, t)
		}
		p.inputs = append(p.inputs, int(t))
	}
	for _, t := range op.Outputs {
		if t < 0 || int(t) >= len(in.tensors) {
			return p, fmt.Errorf("operator %d %s: output tensor %d out of range", i, name, t)
		}
		if in.tensors[t].constant != nil {
			return p, fmt.Errorf("operator %d %s: output tensor %d %q is a constant", i, name, t, in.tensors[t].name)
		}
		p.outputs = append(p.outputs, int(t))
	}
	p.runErr = new(error)
	n := &node{in: in, name: name, op: op, inputs: p.inputs, outputs: p.outputs, runErr: p.runErr}
	eval, err := table[name](n)
	if err == nil && n.optErr != nil {
		err = fmt.Errorf("options: %w", n.optErr)
	}
	if err != nil {
		return p, fmt.Errorf("operator %d %s: %w", i, name, err)
	}
	// TFLM refuses an operator any of whose outputs has a dimension of 0
	// once prepared, but for the legacy scalar shape [0]
	// (CheckDynamicTensors).
	for _, t := range p.outputs {
		shape := in.tensors[t].shape
		if len(shape) == 1 && shape[0] == 0 {
			continue
		}
		if slices.Contains(shape, 0) {
			return p, fmt.Errorf("operator %d %s: output tensor %d %q of shape %v is dynamic: TFLM does not support dynamic tensors", i, name, t, in.tensors[t].name, shape)
		}
	}
	p.eval = eval
	return p, nil
}

// Tensor describes one tensor of the main subgraph for callers.
type Tensor struct {
	Index    int
	Name     string
	Bytes    int
	Constant bool
	Variable bool
}

// Tensors lists the tensors of the main subgraph.
func (in *Interpreter) Tensors() []Tensor {
	out := make([]Tensor, len(in.tensors))
	for i, t := range in.tensors {
		out[i] = Tensor{Index: i, Name: t.name, Bytes: t.bytes, Constant: t.constant != nil, Variable: t.variable}
	}
	return out
}

// Inputs and Outputs return the tensor indices of the main subgraph's
// inputs and outputs.
func (in *Interpreter) Inputs() []int  { return toInts(in.graph.Inputs) }
func (in *Interpreter) Outputs() []int { return toInts(in.graph.Outputs) }

// InputBytes returns the byte length of each model input, in order.
func (in *Interpreter) InputBytes() []int {
	var sizes []int
	for _, t := range in.Inputs() {
		sizes = append(sizes, in.tensors[t].bytes)
	}
	return sizes
}

// NumOps returns the number of operators of the main subgraph.
func (in *Interpreter) NumOps() int { return len(in.ops) }

// OpName returns the name of operator i (e.g. CONV_2D or CUSTOM:ethos-u).
func (in *Interpreter) OpName(i int) string { return in.ops[i].name }

func toInts(v []int32) []int {
	out := make([]int, len(v))
	for i, x := range v {
		out[i] = int(x)
	}
	return out
}

// Memory holds the bytes of every tensor for one run, indexed by tensor.
// Constant tensors alias the model's buffers and must not be written.
type Memory [][]byte

// PrivateMemory gives every non-constant tensor its own zeroed buffer.
// Variable tensors are reset as TFLM resets them.
func (in *Interpreter) PrivateMemory() Memory {
	mem := make(Memory, len(in.tensors))
	for i, t := range in.tensors {
		if t.constant != nil {
			mem[i] = t.constant
			continue
		}
		mem[i] = make([]byte, t.bytes)
	}
	in.ResetVariables(mem)
	return mem
}

// ResetVariables sets every variable tensor to zero (to its zero point for
// int8), and resets the state kernels keep between invocations, as TFLM
// does before the first invocation.
func (in *Interpreter) ResetVariables(mem Memory) {
	for _, reset := range in.resets {
		reset()
	}
	if in.index == 0 && in.set != nil {
		in.set.resources.reset()
		for _, sub := range in.set.list[1:] {
			if sub.mem != nil {
				sub.ResetVariables(sub.mem)
			}
		}
	}
	for i, t := range in.tensors {
		if !t.variable || t.constant != nil {
			continue
		}
		fill := byte(0)
		if t.kind == tflite.Int8 {
			fill = byte(t.zeroPoint)
		}
		for j := range mem[i] {
			mem[i][j] = fill
		}
	}
}

// Observer watches a run: Before is called before operator i runs, After
// when it has run. A non-nil error stops the run and is returned by Invoke.
type Observer interface {
	Before(op int) error
	After(op int) error
}

// SetInputs copies data[k] into the k-th model input. Each must have the
// input's exact byte length.
func (in *Interpreter) SetInputs(mem Memory, data [][]byte) error {
	inputs := in.Inputs()
	if len(data) != len(inputs) {
		return fmt.Errorf("model has %d inputs, got %d", len(inputs), len(data))
	}
	for k, t := range inputs {
		if in.tensors[t].constant != nil {
			return fmt.Errorf("input %d (tensor %d %q) is a constant", k, t, in.tensors[t].name)
		}
		if len(data[k]) != len(mem[t]) {
			return fmt.Errorf("input %d (tensor %d %q) needs %d bytes, got %d", k, t, in.tensors[t].name, len(mem[t]), len(data[k]))
		}
		copy(mem[t], data[k])
	}
	return nil
}

// Invoke runs every operator once over mem, calling obs (if not nil)
// around each.
func (in *Interpreter) Invoke(mem Memory, obs Observer) error {
	if len(mem) != len(in.tensors) {
		return fmt.Errorf("memory holds %d tensors, model has %d", len(mem), len(in.tensors))
	}
	for i := range in.ops {
		if obs != nil {
			if err := obs.Before(i); err != nil {
				return err
			}
		}
		in.ops[i].eval(mem)
		if err := *in.ops[i].runErr; err != nil {
			*in.ops[i].runErr = nil
			return fmt.Errorf("operator %d %s: %w", i, in.ops[i].name, err)
		}
		if obs != nil {
			if err := obs.After(i); err != nil {
				return err
			}
		}
	}
	return nil
}

// OutputData returns copies of the model's output bytes from mem.
func (in *Interpreter) OutputData(mem Memory) [][]byte {
	var out [][]byte
	for _, t := range in.Outputs() {
		out = append(out, slices.Clone(mem[t]))
	}
	return out
}

// OraclePattern returns the deterministic input the shared TFLM oracle
// measurements use: byte i is (i*7+3) mod 256.
func OraclePattern(n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(i*7 + 3)
	}
	return b
}

// unwrapReason is the message of an errUnsupported error without the
// operator prefix and the marker.
func unwrapReason(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, errUnsupported.Error()+": "); i >= 0 {
		return msg[i+len(errUnsupported.Error())+2:]
	}
	return msg
}
