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
	// Data is the rewritten .tflite file.
	Data []byte
	// Before and After are TFLM's arena for the original and the
	// rewritten model.
	Before, After *Estimate
	// Scratch counts the kernels' scratch buffers the written plan was
	// made together with; 0 when the plan of the tensors alone gave TFLM
	// the smaller head.
	Scratch int
}

// EmbedPlan rewrites m with p's plan of its tensors as
// OfflineMemoryAllocation metadata, so that stock TFLM on abi places them
// at those offsets. TFLM plans kernels' scratch buffers itself, around an
// offline plan, so both p's plan of the tensors alone and its plan of the
// tensors and scratch buffers together are tried
// (tensorplan.PlanForOffline), and the one that leaves TFLM the smaller
// head is written.
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
	offsets, _, withScratch, err := tensorplan.PlanForOffline(p, lt, scratch)
	if err != nil {
		return nil, err
	}
	data, err := tensorplan.EmbedPlan(m, lt, offsets)
	if err != nil {
		return nil, err
	}
	planned, err := tflite.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("the rewritten model does not parse: %w", err)
	}
	after, err := EstimateArena(planned, abi)
	if err != nil {
		return nil, fmt.Errorf("the rewritten model: %w", err)
	}
	pm := &PlannedModel{Data: data, Before: before, After: after}
	if withScratch {
		pm.Scratch = len(scratch)
	}
	return pm, nil
}
