package tflmarena

import (
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// PlannedModel is a model rewritten with an offline plan embedded as
// OfflineMemoryAllocation metadata, and what that does to stock TFLM's
// arena.
type PlannedModel struct {
	// Data is the rewritten .tflite file: m's file unchanged when Kept
	// is set.
	Data []byte
	// Offsets is the written plan: one offset per planned tensor, in the
	// order of the lifetimes' Tensors; nil when Kept is set.
	Offsets []int64
	// Before and After are TFLM's arena for the original and the
	// rewritten model; After is what EstimateArena computes on Data.
	Before, After *Estimate
	// Scratch counts the kernels' scratch buffers the written plan was
	// made together with; 0 when the plan of the tensors alone gave TFLM
	// the smaller head.
	Scratch int
	// Joint is the plan of tensors and scratch buffers, for the best
	// planner: its Head is After.Head, its Bound the joint lower bound
	// (peak of live tensor and scratch bytes). Nil for other planners.
	Joint *tensorplan.JointPlan
	// Kept is set when no offline plan found gives TFLM a smaller head
	// than it plans without one (fixing the tensors changes the order in
	// which its greedy planner meets the scratch buffers), so m was
	// written unchanged.
	Kept bool
}

// EmbedPlan rewrites m with p's plan of its tensors as
// OfflineMemoryAllocation metadata, so that stock TFLM on abi places them
// at those offsets and plans only the kernels' scratch buffers itself,
// around them.
//
// For the best planner the tensors and the scratch buffers abi's kernels
// request are planned together (tensorplan.Best.PlanJoint), so that TFLM's
// greedy placement of the scratch buffers lands where the plan has them.
// Other planners' plans of the tensors alone and of the tensors and
// scratch buffers together are both tried (tensorplan.PlanForOffline), and
// the one that leaves TFLM the smaller head is written. Should every plan
// leave TFLM a larger head than it plans without one, m is kept as it is.
func EmbedPlan(m *tflite.Model, lt *tensorplan.Lifetimes, p tensorplan.Planner, abi ABI) (*PlannedModel, error) {
	before, err := EstimateArena(m, abi)
	if err != nil {
		return nil, err
	}
	var scratch []tensorplan.Buffer
	for _, b := range before.HeadBuffers {
		if b.Tensor < 0 {
			scratch = append(scratch, tensorplan.Buffer{Size: b.Size, First: b.First, Last: b.Last, Fixed: tensorplan.Online})
		}
	}
	pm := &PlannedModel{Before: before}
	var offsets []int64
	var head int64
	if best, ok := p.(tensorplan.Best); ok {
		jp, err := best.PlanJoint(lt.Buffers(), scratch)
		if err != nil {
			return nil, fmt.Errorf("%s planner: %w", p.Name(), err)
		}
		offsets, head, pm.Joint = jp.Tensors, jp.Head, &jp
		if jp.Source != "tensors" {
			pm.Scratch = len(scratch)
		}
	} else {
		var withScratch bool
		if offsets, head, withScratch, err = tensorplan.PlanForOffline(p, lt, scratch); err != nil {
			return nil, err
		}
		if withScratch {
			pm.Scratch = len(scratch)
		}
	}
	if head > before.Head {
		pm.Data, pm.After, pm.Kept, pm.Scratch = m.Raw, before, true, 0
		return pm, nil
	}
	pm.Offsets = offsets
	if pm.Data, err = tensorplan.EmbedPlan(m, lt, offsets); err != nil {
		return nil, err
	}
	planned, err := tflite.Parse(pm.Data)
	if err != nil {
		return nil, fmt.Errorf("the rewritten model does not parse: %w", err)
	}
	if pm.After, err = EstimateArena(planned, abi); err != nil {
		return nil, fmt.Errorf("the rewritten model: %w", err)
	}
	if pm.After.Head != head {
		return nil, fmt.Errorf("internal error: the plan promised TFLM a %d-byte head, the rewritten model gets %d", head, pm.After.Head)
	}
	return pm, nil
}
