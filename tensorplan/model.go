package tensorplan

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// maxOpVisits bounds how many operator visits the lifetime marking may make:
// control-flow subgraphs are walked once per calling operator, which a
// hostile model could make exponential.
const maxOpVisits = 1 << 20

// OfflineMetadata is the name of the metadata entry that carries an offline
// memory plan.
const OfflineMetadata = "OfflineMemoryAllocation"

// ModelLifetimes computes which tensors of m TFLM plans, their sizes and
// their lifetimes, following tflite-micro's micro_allocation_info.cc:
//
//   - a tensor is planned when it has no constant data, is not a variable
//     and has a non-zero size; its size is rounded up to 16 bytes;
//   - subgraph inputs are created when their subgraph starts; an operator's
//     outputs are created at its step and its inputs used until its step
//     ends; subgraph outputs live until their subgraph ends; an output
//     nobody reads lives for its operator's step only;
//   - a tensor no operator touches keeps TFLM's "unset" lifetime, step -1;
//   - a VAR_HANDLE's output is not planned: its Prepare points the tensor
//     at the kernel's OpData (the variable's id) before TFLM plans;
//   - an OfflineMemoryAllocation plan fixes the offsets it gives (-1 means
//     planned online), and makes the variable tensors it places planned.
func ModelLifetimes(m *tflite.Model) (*Lifetimes, error) {
	if len(m.Subgraphs) == 0 {
		return nil, errors.New("model has no subgraphs")
	}
	mk := &marker{model: m, base: make([]int, len(m.Subgraphs)), ops: map[[2]int]int{}, onStack: make([]bool, len(m.Subgraphs))}
	total := 0
	for i, sg := range m.Subgraphs {
		mk.base[i] = total
		total += len(sg.Tensors)
	}
	mk.first = make([]int, total)
	mk.last = make([]int, total)
	for i := range mk.first {
		mk.first[i], mk.last[i] = -1, -1
	}
	offline, err := offlineOffsets(m, total)
	if err != nil {
		return nil, err
	}
	if err := mk.mark(0); err != nil {
		return nil, err
	}
	lt := &Lifetimes{Ops: mk.opSteps, LastStep: mk.scope}
	handles := varHandleOutputs(m)
	for si, sg := range m.Subgraphs {
		for ti := range sg.Tensors {
			t := &sg.Tensors[ti]
			global := mk.base[si] + ti
			fixed := Online
			if offline != nil {
				fixed = offline[global]
			}
			bytes, err := tensorBytes(t)
			if err != nil && (t.IsVariable || !isConstant(m, t)) {
				return nil, fmt.Errorf("subgraph %d tensor %d (%s): %w", si, ti, t.Name, err)
			}
			switch {
			case t.IsVariable && fixed < 0:
				lt.Persistent = append(lt.Persistent, TensorRef{si, ti, t.Name, bytes})
				continue
			case t.IsVariable: // placed by the offline plan
			case isConstant(m, t) || bytes == 0 || handles[[2]int{si, ti}]:
				continue
			}
			lt.Tensors = append(lt.Tensors, TensorBuffer{
				TensorRef: TensorRef{si, ti, t.Name, bytes},
				Buffer:    Buffer{Size: alignUp(bytes), First: mk.first[global], Last: mk.last[global], Fixed: fixed},
			})
		}
	}
	return lt, nil
}

// varHandleOutputs are the output tensors of m's VAR_HANDLE operators, by
// subgraph and tensor index.
func varHandleOutputs(m *tflite.Model) map[[2]int]bool {
	out := map[[2]int]bool{}
	for si, sg := range m.Subgraphs {
		for _, op := range sg.Operators {
			if int(op.OpcodeIndex) < len(m.OpCodes) && m.OpCodes[op.OpcodeIndex].Builtin == tflite.OpVarHandle {
				for _, t := range op.Outputs {
					out[[2]int{si, int(t)}] = true
				}
			}
		}
	}
	return out
}

// marker walks subgraphs the way AllocationInfoBuilder::MarkAllocationLifetimes
// does, counting allocation scopes (steps).
type marker struct {
	model       *tflite.Model
	base        []int // global index of each subgraph's tensor 0
	first, last []int // per global tensor index; -1 until set
	scope       int
	visits      int
	onStack     []bool
	ops         map[[2]int]int // (subgraph, op) -> index into opSteps
	opSteps     []OpSteps
}

func (mk *marker) tensor(sub int, index int32, what string) (int, error) {
	n := len(mk.model.Subgraphs[sub].Tensors)
	if index < 0 || int(index) >= n {
		return 0, fmt.Errorf("subgraph %d: %s tensor index %d out of range [0, %d)", sub, what, index, n)
	}
	return mk.base[sub] + int(index), nil
}

func (mk *marker) created(t int) {
	if mk.first[t] == -1 {
		mk.first[t] = mk.scope
	}
}

func (mk *marker) used(t int) { mk.last[t] = mk.scope }

// mark numbers the steps of subgraph sub and records its tensors' lifetimes.
func (mk *marker) mark(sub int) error {
	if mk.onStack[sub] {
		return fmt.Errorf("subgraph %d calls itself", sub)
	}
	mk.onStack[sub] = true
	defer func() { mk.onStack[sub] = false }()
	sg := &mk.model.Subgraphs[sub]
	for _, in := range sg.Inputs {
		t, err := mk.tensor(sub, in, "input")
		if err != nil {
			return err
		}
		mk.created(t)
		mk.used(t)
	}
	for oi := range sg.Operators {
		if mk.visits++; mk.visits > maxOpVisits {
			return fmt.Errorf("control flow visits more than %d operators", maxOpVisits)
		}
		op := &sg.Operators[oi]
		mk.scope++
		for _, out := range op.Outputs {
			t, err := mk.tensor(sub, out, fmt.Sprintf("operator %d output", oi))
			if err != nil {
				return err
			}
			mk.created(t)
		}
		start := mk.scope
		called, err := calledSubgraphs(mk.model, op)
		if err != nil {
			return fmt.Errorf("subgraph %d operator %d: %w", sub, oi, err)
		}
		for _, c := range called {
			mk.scope++
			if err := mk.mark(c); err != nil {
				return err
			}
		}
		for _, in := range op.Inputs {
			if in < 0 {
				continue // omitted optional input
			}
			t, err := mk.tensor(sub, in, fmt.Sprintf("operator %d input", oi))
			if err != nil {
				return err
			}
			mk.used(t)
		}
		for _, out := range op.Outputs {
			t, _ := mk.tensor(sub, out, "output") // checked above
			mk.used(t)
		}
		key := [2]int{sub, oi}
		if i, ok := mk.ops[key]; ok {
			mk.opSteps[i].Last = mk.scope
		} else {
			mk.ops[key] = len(mk.opSteps)
			mk.opSteps = append(mk.opSteps, OpSteps{Subgraph: sub, Op: oi, First: start, Last: mk.scope})
		}
	}
	for _, out := range sg.Outputs {
		t, err := mk.tensor(sub, out, "output")
		if err != nil {
			return err
		}
		mk.created(t)
		mk.used(t)
	}
	return nil
}

// isConstant reports whether t's data lives in the model (a buffer with
// data), so TFLM neither plans nor allocates it.
func isConstant(m *tflite.Model, t *tflite.Tensor) bool {
	return int(t.Buffer) < len(m.Buffers) && len(m.Buffers[t.Buffer].Data) > 0
}

// tensorBytes is a tensor's byte length as TFLM computes it: the product of
// its dimensions (1 for a scalar) times its element size. TFLM stores int4
// tensors one element per byte in the arena.
func tensorBytes(t *tflite.Tensor) (int64, error) {
	size, ok := elementSize(t.Type)
	if !ok {
		return 0, fmt.Errorf("element type %d has no size in TFLM", t.Type)
	}
	n := int64(1)
	for _, d := range t.Shape {
		if d < 0 {
			return 0, fmt.Errorf("dynamic dimension %d in shape %v", d, t.Shape)
		}
		n *= int64(d)
		if n > maxBufferSize {
			return 0, fmt.Errorf("shape %v exceeds %d elements", t.Shape, int64(maxBufferSize))
		}
	}
	if n*size > maxBufferSize {
		return 0, fmt.Errorf("shape %v exceeds %d bytes", t.Shape, int64(maxBufferSize))
	}
	return n * size, nil
}

// elementSize mirrors TFLM's TfLiteTypeSizeOf, keyed by the schema's
// TensorType numbers.
func elementSize(t tflite.TensorType) (int64, bool) {
	switch t {
	case tflite.Uint8, tflite.Int8, tflite.Bool, tflite.Int4:
		return 1, true
	case tflite.Float16, tflite.Int16, tflite.Uint16, tflite.BFloat16:
		return 2, true
	case tflite.Float32, tflite.Int32, tflite.Uint32, tflite.Resource:
		return 4, true
	case tflite.Int64, tflite.Uint64, tflite.Float64, tflite.Complex64:
		return 8, true
	case tflite.Complex128:
		return 16, true
	}
	return 0, false
}

// offlineOffsets decodes the model's OfflineMemoryAllocation metadata, if
// any: little-endian 32-bit words holding a version, a subgraph count, the
// number of offsets, then one offset per tensor of all subgraphs in order
// (-1: plan online). Like TFLM, the last entry of that name wins. It returns
// nil when the model has no offline plan.
func offlineOffsets(m *tflite.Model, tensors int) ([]int64, error) {
	var data []byte
	found := false
	for _, md := range m.Metadata {
		if md.Name != OfflineMetadata {
			continue
		}
		if int(md.Buffer) >= len(m.Buffers) {
			return nil, fmt.Errorf("%s metadata: buffer %d out of range [0, %d)", OfflineMetadata, md.Buffer, len(m.Buffers))
		}
		data, found = m.Buffers[md.Buffer].Data, true
	}
	if !found {
		return nil, nil
	}
	return decodeOfflineOffsets(data, tensors)
}

// decodeOfflineOffsets parses an OfflineMemoryAllocation buffer for a model
// with the given number of tensors.
func decodeOfflineOffsets(data []byte, tensors int) ([]int64, error) {
	if len(data) < 12 {
		return nil, fmt.Errorf("%s metadata: %d bytes, want a 12-byte header", OfflineMetadata, len(data))
	}
	count := binary.LittleEndian.Uint32(data[8:])
	if uint64(count) != uint64(tensors) {
		return nil, fmt.Errorf("%s metadata: %d offsets for %d tensors", OfflineMetadata, count, tensors)
	}
	if uint64(len(data)-12) < 4*uint64(count) {
		return nil, fmt.Errorf("%s metadata: %d bytes hold fewer than %d offsets", OfflineMetadata, len(data), count)
	}
	offsets := make([]int64, count)
	for i := range offsets {
		v := int32(binary.LittleEndian.Uint32(data[12+4*i:]))
		if v < -1 {
			return nil, fmt.Errorf("%s metadata: tensor %d has negative offset %d", OfflineMetadata, i, v)
		}
		offsets[i] = int64(v)
	}
	return offsets, nil
}

// Union tags of the control-flow operators' options in the schema's
// BuiltinOptions union, and the fields holding subgraph indices.
const (
	ifOptions       = 92  // then_subgraph_index, else_subgraph_index
	whileOptions    = 93  // cond_subgraph_index, body_subgraph_index
	callOnceOptions = 103 // init_subgraph_index
)

// calledSubgraphs returns the subgraphs op runs, in the order TFLM marks
// them: IF's then and else branches, WHILE's condition and body, CALL_ONCE's
// init subgraph; none for other operators.
func calledSubgraphs(m *tflite.Model, op *tflite.Operator) ([]int, error) {
	if int(op.OpcodeIndex) >= len(m.OpCodes) {
		return nil, fmt.Errorf("opcode index %d out of range [0, %d)", op.OpcodeIndex, len(m.OpCodes))
	}
	code := m.OpCodes[op.OpcodeIndex].Builtin
	var tag uint8
	var fields []int
	switch code {
	case tflite.OpIf:
		tag, fields = ifOptions, []int{0, 1}
	case tflite.OpWhile:
		tag, fields = whileOptions, []int{0, 1}
	case tflite.OpCallOnce:
		tag, fields = callOnceOptions, []int{0}
	default:
		return nil, nil
	}
	if op.BuiltinOptionsType != tag || !op.BuiltinOptions.Present() {
		return nil, fmt.Errorf("%s has options of type %d, want %d", code, op.BuiltinOptionsType, tag)
	}
	var called []int
	for _, f := range fields {
		sub, err := op.BuiltinOptions.Int32(f, 0)
		if err != nil {
			return nil, fmt.Errorf("%s options: %w", code, err)
		}
		if sub < 0 || int(sub) >= len(m.Subgraphs) {
			return nil, fmt.Errorf("%s calls subgraph %d, out of range [0, %d)", code, sub, len(m.Subgraphs))
		}
		called = append(called, int(sub))
	}
	return called, nil
}
