package tflmarena

import (
	"cmp"
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// Category groups tail allocations the way TFLM's RecordingMicroAllocator
// does (RecordedAllocationType), plus the allocations it leaves unrecorded.
type Category string

// Allocation categories. The first six are RecordedAllocationType's (its
// seventh, kOpData, is never recorded by TFLM: kernels' OpData counts as
// kPersistentBufferData there and here); the others are allocations
// RecordingMicroAllocator leaves unrecorded.
const (
	EvalTensors             Category = "kTfLiteEvalTensorData"
	PersistentTensors       Category = "kPersistentTfLiteTensorData"
	PersistentQuantization  Category = "kPersistentTfLiteTensorQuantizationData"
	PersistentBuffers       Category = "kPersistentBufferData"
	VariableBuffers         Category = "kTfLiteTensorVariableBufferData"
	NodeAndRegistrations    Category = "kNodeAndRegistrationArray"
	BuiltinOptions          Category = "builtin options"
	AllocatorObjects        Category = "allocator objects"
	SubgraphAllocationsData Category = "subgraph allocations"
	ScratchBufferHandles    Category = "scratch buffer handles"
)

// Categories lists the categories in report order.
func Categories() []Category {
	return []Category{AllocatorObjects, SubgraphAllocationsData, EvalTensors, NodeAndRegistrations,
		BuiltinOptions, PersistentBuffers, ScratchBufferHandles, VariableBuffers, PersistentTensors, PersistentQuantization}
}

// Allocation is one persistent (tail) allocation, in the order TFLM makes it.
type Allocation struct {
	Category Category `json:"category"`
	// What says what the allocation holds, e.g. "OpData" or "per-channel
	// output shifts".
	What string `json:"what"`
	// Op is the operator index (subgraph Subgraph) for kernel allocations,
	// -1 otherwise.
	Subgraph int    `json:"subgraph"`
	Op       int    `json:"op"`
	OpName   string `json:"op_name,omitempty"`
	Bytes    int64  `json:"bytes"`
	Align    int64  `json:"align"`
	// Used is Bytes plus the alignment padding TFLM inserted before it,
	// for an arena whose size is a multiple of 16.
	Used int64 `json:"used"`
}

// CategoryTotal sums the allocations of one category.
type CategoryTotal struct {
	Category Category `json:"category"`
	Count    int      `json:"count"`
	Bytes    int64    `json:"requested_bytes"`
	Used     int64    `json:"used_bytes"`
}

// Estimate is what stock TFLM needs in its tensor arena for one model on
// one target.
type Estimate struct {
	Target string `json:"target"`
	// Kernels is the kernel set the figures are for; CPU the core, given
	// for CMSIS-NN (whose figures depend on it) or when the caller named
	// one.
	Kernels KernelSet `json:"kernels"`
	CPU     *CPU      `json:"cpu,omitempty"`
	// ArenaUsedBytes is what MicroInterpreter::arena_used_bytes() reports
	// after AllocateTensors() (with an arena whose size is a multiple of
	// 16): Head + Tail.
	ArenaUsedBytes int64 `json:"arena_used_bytes"`
	// Head is the planned non-persistent section: tensors and scratch
	// buffers placed by TFLM's greedy planner.
	Head int64 `json:"head_bytes"`
	// Tail is the persistent section.
	Tail int64 `json:"tail_bytes"`
	// MinArenaBytes is the smallest kTensorArenaSize with which
	// AllocateTensors() succeeds for a 16-byte aligned arena, including the
	// temporary room setup needs (planner metadata, temporary tensors,
	// scratch requests). It can be below ArenaUsedBytes: the tail's
	// alignment padding depends on where the arena ends. A kernel whose
	// persistent buffers may reach into its live temporaries
	// (BATCH_MATMUL, conflicts.go) can fail in a band of somewhat larger
	// arenas, where a field it still reads falls under a persistent
	// write (FailingArenas; a bisection, as TFLM's own tools search, may
	// then land above this minimum).
	MinArenaBytes int64 `json:"min_arena_bytes"`
	// FailingArenas are the arena sizes above MinArenaBytes with which
	// AllocateTensors() fails or TFLM crashes, when there are any.
	FailingArenas []ArenaRange `json:"failing_arenas,omitempty"`
	// Split is set for MicroAllocator's two-arena form
	// (EstimateSplitArena): the smallest persistent and non-persistent
	// arenas, whose sum MinArenaBytes then is.
	Split *Split `json:"split,omitempty"`
	// Exact is false when some operator's allocations are not modelled;
	// the numbers are then lower bounds and Reasons says why.
	Exact   bool     `json:"exact"`
	Reasons []string `json:"reasons,omitempty"`

	Categories  []CategoryTotal `json:"categories"`
	Allocations []Allocation    `json:"allocations"`
	HeadBuffers []HeadBuffer    `json:"head_buffers"`
}

// EstimateArena models TFLM's arena for model m on target abi, built with
// abi.Kernels: it replays, in TFLM's order, every allocation
// MicroInterpreter::AllocateTensors() makes with the default MicroAllocator
// and the greedy planner.
func EstimateArena(m *tflite.Model, abi ABI) (*Estimate, error) {
	b := builder{m: m, abi: abi}
	events, head, err := b.build(false)
	if err != nil {
		return nil, err
	}
	est := b.estimate(events, head)
	est.MinArenaBytes = minimumArena(events)
	est.FailingArenas = failingArenas(events, est.MinArenaBytes)
	return est, nil
}

// estimate summarises the replay of events for an arena whose end is
// 16-byte aligned: head, tail, the tail's allocations and categories.
func (b *builder) estimate(events []event, head []HeadBuffer) *Estimate {
	run := replay(events, 0)
	est := &Estimate{
		Target:         b.abi.Name,
		Kernels:        cmp.Or(b.abi.Kernels.Set, ReferenceKernels),
		CPU:            b.abi.Kernels.CPU,
		Head:           run.head,
		Tail:           run.tail,
		ArenaUsedBytes: run.head + run.tail,
		Exact:          len(b.reasons) == 0,
		Reasons:        b.reasons,
		HeadBuffers:    head,
	}
	totals := map[Category]*CategoryTotal{}
	i := 0
	for _, e := range events {
		if e.kind != evPersistent {
			continue
		}
		a := *e.alloc
		a.Used = run.used[i]
		i++
		est.Allocations = append(est.Allocations, a)
		t := totals[a.Category]
		if t == nil {
			t = &CategoryTotal{Category: a.Category}
			totals[a.Category] = t
		}
		t.Count++
		t.Bytes += a.Bytes
		t.Used += a.Used
	}
	for _, c := range Categories() {
		if t := totals[c]; t != nil {
			est.Categories = append(est.Categories, *t)
		}
	}
	return est
}

// builder turns a model into the arena events of AllocateTensors().
type builder struct {
	m   *tflite.Model
	abi ABI
	// split selects MicroAllocator's two-arena form, whose persistent
	// and non-persistent allocators replace the single-arena one.
	split   bool
	events  []event
	reasons []string
	vars    *resourceVariables
}

func (b *builder) persistent(c Category, what string, sub, op int, l Layout) {
	a := &Allocation{Category: c, What: what, Subgraph: sub, Op: op, Bytes: l.Size, Align: l.Align}
	if op >= 0 {
		a.OpName = b.m.OpName(b.m.Subgraphs[sub].Operators[op])
	}
	b.events = append(b.events, event{kind: evPersistent, size: l.Size, align: l.Align, alloc: a})
}

func (b *builder) temp(l Layout) {
	b.events = append(b.events, event{kind: evTemp, size: l.Size, align: l.Align})
}

// build lists the arena operations of MicroInterpreter construction and
// AllocateTensors() in order, with the head's buffers. recording selects the allocator objects of
// RecordingMicroAllocator instead of MicroAllocator (for testing against
// its per-category figures).
func (b *builder) build(recording bool) ([]event, []HeadBuffer, error) {
	m, abi := b.m, b.abi
	if len(m.Subgraphs) == 0 {
		return nil, nil, fmt.Errorf("model has no subgraphs")
	}
	b.events, b.reasons = nil, nil
	if err := validate(m); err != nil {
		return nil, nil, err
	}
	if k := abi.Kernels; k.IsCMSISNN() && (k.CPU == nil || abi.Pointer.Size != CortexM.Pointer.Size) {
		return nil, nil, fmt.Errorf("CMSIS-NN kernels are modelled for a Cortex-M CPU on the %s ABI", CortexM.Name)
	}
	lt, err := tensorplan.ModelLifetimes(m)
	if err != nil {
		return nil, nil, err
	}
	arenaAllocator, microAllocator := abi.SingleArenaBufferAllocator, abi.MicroAllocator
	if recording {
		arenaAllocator, microAllocator = abi.RecordingSingleArenaBufferAllocator, abi.RecordingMicroAllocator
	}
	// MicroAllocator::Create.
	if b.split {
		b.persistent(AllocatorObjects, "PersistentArenaBufferAllocator", 0, -1, abi.PersistentArenaBufferAllocator)
		b.persistent(AllocatorObjects, "NonPersistentArenaBufferAllocator", 0, -1, abi.NonPersistentArenaBufferAllocator)
	} else {
		b.persistent(AllocatorObjects, "SingleArenaBufferAllocator", 0, -1, arenaAllocator)
	}
	b.persistent(AllocatorObjects, "GreedyMemoryPlanner", 0, -1, abi.GreedyMemoryPlanner)
	b.persistent(AllocatorObjects, "MicroAllocator", 0, -1, microAllocator)
	// MicroResourceVariables::Create, by the application.
	b.vars = newResourceVariables(0)
	if count, uses := countResourceVariables(m); uses {
		b.vars.max = cmp.Or(abi.ResourceVariables, count)
		b.persistent(PersistentBuffers, "MicroResourceVariables", 0, -1, Layout{abi.MicroResourceVariables.Size, 16})
		b.persistent(PersistentBuffers, "MicroResourceVariable array", 0, -1, Layout{abi.MicroResourceVariable.Size * int64(b.vars.max), 16})
	}

	// StartModelAllocation.
	b.persistent(AllocatorObjects, "MicroBuiltinDataAllocator", 0, -1, abi.MicroBuiltinDataAllocator)
	const maxScratchPerOp = 12
	b.events = append(b.events, event{kind: evResizeHead, size: maxScratchPerOp * abi.ScratchBufferRequest.Size})
	nsub := int64(len(m.Subgraphs))
	b.persistent(SubgraphAllocationsData, "SubgraphAllocations", 0, -1, times(abi.SubgraphAllocations, nsub))
	for si := range m.Subgraphs {
		b.persistent(EvalTensors, "TfLiteEvalTensor array", si, -1, times(abi.TfLiteEvalTensor, int64(len(m.Subgraphs[si].Tensors))))
	}
	for si := range m.Subgraphs {
		b.persistent(NodeAndRegistrations, "NodeAndRegistration array", si, -1, times(abi.NodeAndRegistration, int64(len(m.Subgraphs[si].Operators))))
	}

	// PrepareNodeAndRegistrationDataFromFlatbuffer: registrations and
	// parsed builtin options.
	for si := range m.Subgraphs {
		for oi := range m.Subgraphs[si].Operators {
			o, err := b.opOf(si, oi)
			if err != nil {
				return nil, nil, err
			}
			if _, ok := b.kernel(o); !ok {
				b.reasons = append(b.reasons, fmt.Sprintf(
					"operator %d of subgraph %d (%s) is not modelled: its OpData, Prepare buffers and scratch requests are left out, so both numbers are lower bounds (stock TFLM's reference op resolver has no such op, and AllocateTensors fails unless the firmware registers one)",
					oi, si, m.OpName(m.Subgraphs[si].Operators[oi])))
				continue
			}
			if l, ok := abi.BuiltinData[o]; ok {
				b.persistent(BuiltinOptions, "parsed builtin options", si, oi, l)
			}
		}
	}
	// InitSubgraphs: each kernel's OpData.
	for si := range m.Subgraphs {
		for oi := range m.Subgraphs[si].Operators {
			o, _ := b.opOf(si, oi) // checked while parsing builtin options above
			if size, ok := b.opData(o); ok {
				b.persistent(PersistentBuffers, "OpData", si, oi, Layout{size, 16})
			}
			if k, _ := b.kernel(o); k.init != nil {
				n := b.node(si, oi)
				steps := k.init(n, &b.abi)
				if n.err != nil {
					return nil, nil, fmt.Errorf("subgraph %d operator %d (%s): %w", si, oi, m.OpName(*n.op), n.err)
				}
				for _, s := range steps {
					if err := checkStep(si, oi, s); err != nil {
						return nil, nil, err
					}
					b.persistent(PersistentBuffers, s.what, si, oi, Layout{s.bytes, 16})
				}
			}
		}
	}
	// PrepareSubgraphs.
	var requests []scratchRequest
	for si := range m.Subgraphs {
		sg := &m.Subgraphs[si]
		for oi := range sg.Operators {
			o, _ := b.opOf(si, oi) // checked while parsing builtin options above
			if k, _ := b.kernel(o); k.prepare != nil {
				n := b.node(si, oi)
				steps := k.prepare(n)
				if n.err != nil {
					return nil, nil, fmt.Errorf("subgraph %d operator %d (%s): %w", si, oi, m.OpName(*n.op), n.err)
				}
				// The events of each step, for stepConflicts.
				stepEvents := make([][]int, len(steps))
				for i, s := range steps {
					if err := checkStep(si, oi, s); err != nil {
						return nil, nil, err
					}
					first := len(b.events)
					switch s.kind {
					case stepTemp:
						b.tempTensor(&sg.Tensors[s.tensor])
					case stepPersistent:
						b.persistent(PersistentBuffers, s.what, si, oi, Layout{s.bytes, 16})
					case stepConflicts:
						b.events = append(b.events, event{kind: evConflicts, conflicts: resolveConflicts(s.conflicts, stepEvents)})
					case stepScratch:
						requests = append(requests, scratchRequest{sub: si, op: oi, opName: m.OpName(*n.op), bytes: s.bytes, what: s.what})
					case stepClearOfTemps:
						// A temporary of minus the spare bytes bounds the
						// tail; the temporaries are reset right after.
						b.temp(Layout{-s.bytes, 1})
					}
					for e := first; e < len(b.events); e++ {
						stepEvents[i] = append(stepEvents[i], e)
					}
				}
			}
			// FinishPrepareNodeAllocations.
			b.events = append(b.events, event{kind: evResetTemp},
				event{kind: evResizeHead, size: int64(len(requests)+maxScratchPerOp) * abi.ScratchBufferRequest.Size})
		}
	}

	// FinishModelAllocation.
	if len(requests) > 0 {
		b.persistent(ScratchBufferHandles, "ScratchBufferHandle array", 0, -1, times(abi.ScratchBufferHandle, int64(len(requests))))
	}
	// CommitStaticMemoryPlan: planning metadata in the temp section.
	b.temp(times(abi.Pointer, nsub))
	var tensorCount int64
	for si := range m.Subgraphs {
		tensorCount += int64(len(m.Subgraphs[si].Tensors))
	}
	b.temp(times(abi.AllocationInfo, tensorCount+int64(len(requests))))
	for _, v := range lt.Persistent {
		b.persistent(VariableBuffers, "variable tensor "+v.Name, v.Subgraph, -1, Layout{v.Bytes, 16})
	}
	head, headSize, err := headPlan(lt, requests)
	if err != nil {
		return nil, nil, err
	}
	b.events = append(b.events, event{kind: evPlanner, size: plannerBytesPerBuffer * int64(len(head))},
		event{kind: evResetTemp},
		event{kind: evResizeHead, size: 0},
		event{kind: evResizeHead, size: headSize})

	// AllocateTensors: the interpreter's input and output tensors.
	sg := &m.Subgraphs[0]
	for _, list := range []struct {
		what    string
		tensors []int32
	}{{"input", sg.Inputs}, {"output", sg.Outputs}} {
		b.persistent(PersistentBuffers, list.what+" TfLiteTensor pointers", 0, -1, Layout{abi.Pointer.Size * int64(len(list.tensors)), 16})
		for _, ti := range list.tensors {
			t := &sg.Tensors[ti]
			b.persistent(PersistentTensors, list.what+" TfLiteTensor "+t.Name, 0, -1, abi.TfLiteTensor)
			if ch := quantChannels(t); ch > 0 {
				b.persistent(PersistentQuantization, "TfLiteAffineQuantization", 0, -1, abi.TfLiteAffineQuantization)
				b.persistent(PersistentQuantization, "zero points", 0, -1, Layout{4 + 4*ch, 4})
			}
		}
	}
	return b.events, head, nil
}

// maxTensorBytes bounds a tensor's size (1 TiB) so that sums of sizes
// cannot overflow; no microcontroller arena comes near it.
const maxTensorBytes = 1 << 40

// validate rejects what TFLM itself refuses before planning: dynamic or
// negative dimensions, element types it cannot size, absurd sizes and
// operators that name tensors the subgraph does not have.
func validate(m *tflite.Model) error {
	for si := range m.Subgraphs {
		sg := &m.Subgraphs[si]
		for ti := range sg.Tensors {
			t := &sg.Tensors[ti]
			if typeSize(t.Type) == 0 {
				return fmt.Errorf("subgraph %d tensor %d (%s): element type %d has no size in TFLM", si, ti, t.Name, t.Type)
			}
			bytes := typeSize(t.Type)
			for _, d := range t.Shape {
				if d < 0 {
					return fmt.Errorf("subgraph %d tensor %d (%s): dynamic dimension %d (TFLM needs static shapes)", si, ti, t.Name, d)
				}
				bytes *= int64(d)
				if bytes > maxTensorBytes {
					return fmt.Errorf("subgraph %d tensor %d (%s): more than %d bytes", si, ti, t.Name, int64(maxTensorBytes))
				}
			}
		}
		inRange := func(list []int32, optional bool) bool {
			for _, x := range list {
				if (x < 0 && !(optional && x == -1)) || int(x) >= len(sg.Tensors) {
					return false
				}
			}
			return true
		}
		if !inRange(sg.Inputs, false) || !inRange(sg.Outputs, false) {
			return fmt.Errorf("subgraph %d: input or output tensor index out of range", si)
		}
		for oi := range sg.Operators {
			o := &sg.Operators[oi]
			if !inRange(o.Inputs, true) || !inRange(o.Outputs, false) || !inRange(o.Intermediates, false) {
				return fmt.Errorf("subgraph %d operator %d: tensor index out of range", si, oi)
			}
		}
	}
	return nil
}

// checkStep rejects a kernel allocation of implausible size, which only a
// malformed model can produce.
func checkStep(si, oi int, s step) error {
	if s.kind != stepTemp && (s.bytes < 0 || s.bytes > maxTensorBytes) {
		return fmt.Errorf("subgraph %d operator %d: %s of %d bytes is implausible", si, oi, s.what, s.bytes)
	}
	return nil
}

// plannerBytesPerBuffer is GreedyMemoryPlanner::per_buffer_size(): its
// BufferRequirements, two sort arrays, a list entry and the offset.
const plannerBytesPerBuffer = 16 + 4 + 4 + 12 + 4

// tempTensor is MicroAllocator::AllocateTempTfLiteTensor: the struct and,
// for a quantised tensor, its quantisation in the temp section.
func (b *builder) tempTensor(t *tflite.Tensor) {
	b.temp(b.abi.TfLiteTensor)
	if ch := quantChannels(t); ch > 0 {
		b.temp(b.abi.TfLiteAffineQuantization)
		b.temp(Layout{4 + 4*ch, 4})
	}
}

// quantChannels is the number of quantisation channels TFLM copies for a
// tensor: the scale count when both scales and zero points are present.
func quantChannels(t *tflite.Tensor) int64 {
	if t.Quant == nil || len(t.Quant.Scale) == 0 || len(t.Quant.ZeroPoint) == 0 {
		return 0
	}
	return int64(len(t.Quant.Scale))
}

// kernel returns the model of op's kernel in the build's kernel set: its
// CMSIS-NN version in a CMSIS-NN build when TFLM has one, else the
// reference kernel; ok is false when neither is modelled.
func (b *builder) kernel(o Op) (kernel, bool) {
	if b.abi.Kernels.IsCMSISNN() {
		if k, ok := cmsisKernels[o]; ok {
			return k, true
		}
	}
	k, ok := kernels[o]
	return k, ok
}

// opData returns the size of the OpData op's kernel allocates in Init, and
// false when it has no Init.
func (b *builder) opData(o Op) (int64, bool) {
	if b.abi.Kernels.IsCMSISNN() {
		if _, ok := cmsisKernels[o]; ok {
			size, ok := cmsisOpData[o]
			return size, ok
		}
	}
	size, ok := b.abi.OpData[o]
	return size, ok
}

// node returns operator oi of subgraph si for a kernel model.
func (b *builder) node(si, oi int) *node {
	sg := &b.m.Subgraphs[si]
	var ext Extension
	if k := b.abi.Kernels; k.IsCMSISNN() {
		ext = k.CPU.Extension
	}
	return &node{m: b.m, sg: sg, op: &sg.Operators[oi], abi: &b.abi, ext: ext, vars: b.vars}
}

// opOf returns the Op of operator oi of subgraph si.
func (b *builder) opOf(si, oi int) (Op, error) {
	o := &b.m.Subgraphs[si].Operators[oi]
	if int(o.OpcodeIndex) >= len(b.m.OpCodes) {
		return Op{}, fmt.Errorf("subgraph %d operator %d: opcode index %d out of range", si, oi, o.OpcodeIndex)
	}
	c := b.m.OpCodes[o.OpcodeIndex]
	if c.Builtin == tflite.OpCustom {
		return Op{Builtin: tflite.OpCustom, Custom: c.Custom}, nil
	}
	return Op{Builtin: c.Builtin}, nil
}

// times is an array of n elements of layout l.
func times(l Layout, n int64) Layout { return Layout{l.Size * n, l.Align} }
