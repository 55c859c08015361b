package tensorplan

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// offlineVersion is the format version EncodeOfflinePlan writes. TFLM reads
// neither it nor the subgraph count; 1 is what tflite-micro's own
// allocator tests write.
const offlineVersion = 1

// EncodeOfflinePlan encodes a plan of lt, the lifetimes of model m, as the
// data of an OfflineMemoryAllocation metadata entry (the counterpart of
// what ModelLifetimes reads): little-endian 32-bit words holding the
// version, the number of subgraphs, the number of tensors of all
// subgraphs, then each tensor's offset from the start of the arena, in
// subgraph order. offsets[i] places lt.Tensors[i]; every other tensor
// (constants, persistent variables, empty tensors) gets -1, so TFLM treats
// it as it would without the plan.
//
// With the plan, stock TFLM places those tensors at exactly these offsets
// and plans only its kernels' scratch buffers itself, around them.
func EncodeOfflinePlan(m *tflite.Model, lt *Lifetimes, offsets []int64) ([]byte, error) {
	if len(offsets) != len(lt.Tensors) {
		return nil, fmt.Errorf("%s: %d offsets for %d planned tensors", OfflineMetadata, len(offsets), len(lt.Tensors))
	}
	base := make([]int, len(m.Subgraphs))
	total := 0
	for i, sg := range m.Subgraphs {
		base[i] = total
		total += len(sg.Tensors)
	}
	if total > math.MaxInt32 {
		return nil, fmt.Errorf("%s: %d tensors do not fit its 32-bit count", OfflineMetadata, total)
	}
	words := make([]int32, total)
	for i := range words {
		words[i] = -1
	}
	for i, t := range lt.Tensors {
		if t.Subgraph < 0 || t.Subgraph >= len(m.Subgraphs) || t.Index < 0 || t.Index >= len(m.Subgraphs[t.Subgraph].Tensors) {
			return nil, fmt.Errorf("%s: planned tensor %d of subgraph %d is not in the model", OfflineMetadata, t.Index, t.Subgraph)
		}
		if offsets[i] < 0 || offsets[i] > math.MaxInt32-t.Size {
			return nil, fmt.Errorf("%s: tensor %d (%s) at offset %d: TFLM takes offsets from 0 to %d", OfflineMetadata, t.Index, t.Name, offsets[i], math.MaxInt32-t.Size)
		}
		global := base[t.Subgraph] + t.Index
		if words[global] != -1 {
			return nil, fmt.Errorf("%s: tensor %d of subgraph %d is planned twice", OfflineMetadata, t.Index, t.Subgraph)
		}
		words[global] = int32(offsets[i])
	}
	if err := checkVariableLookup(m, base, words); err != nil {
		return nil, err
	}
	data := make([]byte, 0, 4*(3+total))
	for _, w := range append([]int32{offlineVersion, int32(len(m.Subgraphs)), int32(total)}, words...) {
		data = binary.LittleEndian.AppendUint32(data, uint32(w))
	}
	return data, nil
}

// checkVariableLookup refuses plans TFLM would misread. Its
// MicroAllocator::AllocateVariables looks up variable tensor i of every
// subgraph at entry i of the plan, not at the tensor's own entry: a
// variable of a later subgraph that the plan leaves to TFLM, whose entry i
// (a tensor of an earlier subgraph) is planned, would get no memory at all.
func checkVariableLookup(m *tflite.Model, base []int, words []int32) error {
	for si := 1; si < len(m.Subgraphs); si++ {
		for ti, t := range m.Subgraphs[si].Tensors {
			if t.IsVariable && words[base[si]+ti] == -1 && words[ti] != -1 {
				return fmt.Errorf("%s: TFLM would leave variable tensor %d of subgraph %d without memory (it reads that variable's offset at entry %d, which the plan sets)", OfflineMetadata, ti, si, ti)
			}
		}
	}
	return nil
}

// EmbedPlan returns m's file (m.Raw) with a plan of lt, the lifetimes of m,
// written into it as OfflineMemoryAllocation metadata (see
// EncodeOfflinePlan), replacing any plan it had. Stock TFLM then uses the
// plan instead of planning those tensors itself.
func EmbedPlan(m *tflite.Model, lt *Lifetimes, offsets []int64) ([]byte, error) {
	data, err := EncodeOfflinePlan(m, lt, offsets)
	if err != nil {
		return nil, err
	}
	out, err := tflite.SetMetadata(m.Raw, OfflineMetadata, data)
	if err != nil {
		return nil, fmt.Errorf("writing %s metadata: %w", OfflineMetadata, err)
	}
	return out, nil
}

// HeadWithScratch is the head TFLM plans for a model whose offline plan
// fixes lt's tensors at offsets and whose kernels request the buffers
// scratch: TFLM's greedy planner places those around the fixed tensors.
func HeadWithScratch(lt *Lifetimes, offsets []int64, scratch []Buffer) (int64, error) {
	if len(offsets) != len(lt.Tensors) {
		return 0, fmt.Errorf("%d offsets for %d planned tensors", len(offsets), len(lt.Tensors))
	}
	buffers := make([]Buffer, 0, len(offsets)+len(scratch))
	for i, t := range lt.Tensors {
		b := t.Buffer
		b.Fixed = offsets[i]
		buffers = append(buffers, b)
	}
	buffers = append(buffers, scratch...)
	plan, err := TFLM{}.Plan(buffers)
	if err != nil {
		return 0, fmt.Errorf("tflm planner: %w", err)
	}
	if err := Validate(buffers, plan); err != nil {
		return 0, fmt.Errorf("%w: %w", ErrInvalidPlan, err)
	}
	return plan.ArenaSize, nil
}

// PlanForOffline plans lt's tensors with p for an offline plan, given the
// scratch buffers the model's kernels will request (see
// Lifetimes.ScratchBuffer), which TFLM plans itself around the offline
// offsets. It tries p's plan of the tensors alone and p's plan of the
// tensors and scratch buffers together, and returns the tensor offsets of
// the one that gives the smaller head (the first on a tie), the head
// HeadWithScratch computes for them, and whether they came from the plan
// with the scratch buffers. Without scratch buffers that is p's plan of
// the tensors, and the head its arena.
func PlanForOffline(p Planner, lt *Lifetimes, scratch []Buffer) (offsets []int64, head int64, withScratch bool, err error) {
	buffers := lt.Buffers()
	candidates := [][]Buffer{buffers}
	if len(scratch) > 0 {
		candidates = append(candidates, slices.Concat(buffers, scratch))
	}
	for i, c := range candidates {
		plan, err := p.Plan(c)
		if err != nil {
			return nil, 0, false, fmt.Errorf("%s planner: %w", p.Name(), err)
		}
		if err := Validate(c, plan); err != nil {
			return nil, 0, false, fmt.Errorf("%s planner: %w: %w", p.Name(), ErrInvalidPlan, err)
		}
		h, err := HeadWithScratch(lt, plan.Offsets[:len(buffers)], scratch)
		if err != nil {
			return nil, 0, false, err
		}
		if offsets == nil || h < head {
			offsets, head, withScratch = plan.Offsets[:len(buffers):len(buffers)], h, i == 1
		}
	}
	return offsets, head, withScratch, nil
}
