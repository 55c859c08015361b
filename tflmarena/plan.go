package tflmarena

import (
	"encoding/binary"
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// offlineMetadata is the metadata name of an offline memory plan.
const offlineMetadata = "OfflineMemoryAllocation"

// scratchRequest is one RequestScratchBufferInArena call: bytes wanted by
// operator op of subgraph sub.
type scratchRequest struct {
	sub, op int
	bytes   int64
	what    string
}

// allocationInfo mirrors TFLM's AllocationInfo for one tensor or scratch
// buffer: its size, lifetime and whether the planner places it.
type allocationInfo struct {
	bytes       int64
	first, last int
	offline     int64
	plan        bool
	sub, tensor int // tensor >= 0 for tensors, -1-request for scratch buffers
}

// HeadBuffer is one buffer of the planned head: a tensor or a kernel's
// scratch buffer, with its offset in the arena.
type HeadBuffer struct {
	// Subgraph and Tensor identify a tensor; Tensor is -1 for a scratch
	// buffer, which names its operator in Op.
	Subgraph int    `json:"subgraph"`
	Tensor   int    `json:"tensor"`
	Op       int    `json:"op,omitempty"`
	Name     string `json:"name"`
	Bytes    int64  `json:"bytes"`
	// Size is Bytes rounded up to 16, as TFLM plans it.
	Size   int64 `json:"size"`
	First  int   `json:"first"`
	Last   int   `json:"last"`
	Offset int64 `json:"offset"`
}

// headPlan follows TFLM's AllocationInfoBuilder and CreatePlan: every
// non-constant, non-variable tensor of non-zero size and every scratch
// request becomes a buffer with TFLM's lifetime rules, planned by the
// greedy planner replica. It returns the planned buffers and the head size.
func headPlan(m *tflite.Model, requests []scratchRequest) ([]HeadBuffer, int64, error) {
	offline, err := offlineOffsets(m)
	if err != nil {
		return nil, 0, err
	}
	var infos []allocationInfo
	base := make([]int, len(m.Subgraphs))
	for si := range m.Subgraphs {
		base[si] = len(infos)
		for ti := range m.Subgraphs[si].Tensors {
			t := &m.Subgraphs[si].Tensors[ti]
			bytes := elementCount(t) * typeSize(t.Type)
			info := allocationInfo{bytes: bytes, first: -1, last: -1, offline: tensorplan.Online, sub: si, tensor: ti}
			info.plan = !hasData(m, t) && !t.IsVariable && bytes != 0
			if offline != nil {
				info.offline = int64(offline[len(infos)])
				if t.IsVariable && info.offline != tensorplan.Online {
					info.plan = true
				}
			}
			infos = append(infos, info)
		}
	}
	scratchBase := len(infos)
	for i, r := range requests {
		infos = append(infos, allocationInfo{bytes: r.bytes, first: -1, last: -1, offline: tensorplan.Online, plan: true, sub: r.sub, tensor: -1 - i})
	}
	mark := marker{m: m, infos: infos, base: base, requests: requests, scratchBase: scratchBase}
	if len(m.Subgraphs) > 0 {
		if err := mark.subgraph(0, 0); err != nil {
			return nil, 0, err
		}
	}

	var buffers []tensorplan.Buffer
	var head []HeadBuffer
	for _, info := range infos {
		if !info.plan {
			continue
		}
		size := alignUp(info.bytes, 16)
		buffers = append(buffers, tensorplan.Buffer{Size: size, First: info.first, Last: info.last, Fixed: info.offline})
		hb := HeadBuffer{Subgraph: info.sub, Tensor: info.tensor, Bytes: info.bytes, Size: size, First: info.first, Last: info.last}
		if info.tensor >= 0 {
			hb.Name = m.Subgraphs[info.sub].Tensors[info.tensor].Name
		} else {
			r := requests[-1-info.tensor]
			hb.Tensor, hb.Op, hb.Name = -1, r.op, "scratch: "+r.what
		}
		head = append(head, hb)
	}
	if len(buffers) == 0 {
		return nil, 0, nil
	}
	plan, err := greedyPlan(buffers)
	if err != nil {
		return nil, 0, fmt.Errorf("planning the head: %w", err)
	}
	for i := range head {
		head[i].Offset = plan.Offsets[i]
	}
	return head, plan.ArenaSize, nil
}

// greedyPlan runs the replica of TFLM's GreedyMemoryPlanner. Buffers with
// an unset lifetime (-1) are those of subgraphs TFLM never visits; TFLM
// still plans them, alive at step -1.
func greedyPlan(buffers []tensorplan.Buffer) (tensorplan.Plan, error) {
	return tensorplan.TFLM{}.Plan(buffers)
}

// marker replays AllocationInfoBuilder::MarkAllocationLifetimes.
type marker struct {
	m           *tflite.Model
	infos       []allocationInfo
	base        []int
	requests    []scratchRequest
	scratchBase int
	scope       int
}

func (k *marker) created(i int) {
	if k.infos[i].first == -1 {
		k.infos[i].first = k.scope
	}
}

func (k *marker) used(i int) { k.infos[i].last = k.scope }

func (k *marker) subgraph(si, depth int) error {
	if si < 0 || si >= len(k.m.Subgraphs) {
		return fmt.Errorf("subgraph %d out of range", si)
	}
	if depth > len(k.m.Subgraphs) {
		return fmt.Errorf("subgraph %d calls itself", si)
	}
	sg := &k.m.Subgraphs[si]
	tensor := func(t int32) (int, bool) {
		if t < 0 || int(t) >= len(sg.Tensors) {
			return 0, false
		}
		return k.base[si] + int(t), true
	}
	for _, t := range sg.Inputs {
		if i, ok := tensor(t); ok {
			k.created(i)
			k.used(i)
		}
	}
	for oi := range sg.Operators {
		op := &sg.Operators[oi]
		k.scope++
		for _, t := range op.Outputs {
			if i, ok := tensor(t); ok {
				k.created(i)
			}
		}
		start := k.scope
		for _, t := range op.Inputs {
			if i, ok := tensor(t); ok {
				k.used(i)
			}
		}
		for _, t := range op.Outputs {
			if i, ok := tensor(t); ok {
				k.used(i)
			}
		}
		for ri, r := range k.requests {
			if r.sub == si && r.op == oi {
				i := k.scratchBase + ri
				if k.infos[i].first == -1 {
					k.infos[i].first = start
				}
				k.used(i)
			}
		}
	}
	for _, t := range sg.Outputs {
		if i, ok := tensor(t); ok {
			k.created(i)
			k.used(i)
		}
	}
	return nil
}

// hasData reports whether a tensor's contents live in the flatbuffer.
func hasData(m *tflite.Model, t *tflite.Tensor) bool {
	if int(t.Buffer) >= len(m.Buffers) {
		return false
	}
	b := &m.Buffers[t.Buffer]
	return len(b.Data) > 0 || b.Size > 0
}

// offlineOffsets reads an OfflineMemoryAllocation metadata buffer: a
// version, a subgraph index, the tensor count and one int32 offset per
// tensor (-1 for online planning). It returns nil when the model has none.
func offlineOffsets(m *tflite.Model) ([]int32, error) {
	for _, md := range m.Metadata {
		if md.Name != offlineMetadata {
			continue
		}
		if int(md.Buffer) >= len(m.Buffers) {
			return nil, fmt.Errorf("%s: buffer %d out of range", offlineMetadata, md.Buffer)
		}
		data := m.Buffers[md.Buffer].Data
		if len(data) < 12 {
			return nil, fmt.Errorf("%s: %d bytes, want at least 12", offlineMetadata, len(data))
		}
		n := int(binary.LittleEndian.Uint32(data[8:]))
		total := 0
		for i := range m.Subgraphs {
			total += len(m.Subgraphs[i].Tensors)
		}
		if n != total || len(data) < 12+4*n {
			return nil, fmt.Errorf("%s: %d offsets for %d tensors", offlineMetadata, n, total)
		}
		out := make([]int32, n)
		for i := range out {
			out[i] = int32(binary.LittleEndian.Uint32(data[12+4*i:]))
		}
		return out, nil
	}
	return nil, nil
}

// alignUp rounds n up to a multiple of a (a power of two).
func alignUp(n, a int64) int64 { return (n + a - 1) &^ (a - 1) }
