package tflmarena

import (
	"fmt"
	"slices"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// ReorderedModel is a model whose main subgraph's operators were put in
// the order with the smallest peak of live tensor and scratch bytes, and
// what that does to stock TFLM's arena.
type ReorderedModel struct {
	// Schedule is the order found: Schedule.Order[i] is the original
	// index of the operator that runs i-th, Schedule.Peak its joint
	// bound, and Schedule.Optimal whether no order does better.
	Schedule tensorplan.Schedule
	// PeakBefore is the joint bound of the model's own order: the most
	// tensor and scratch bytes alive at one step.
	PeakBefore int64
	// Data is the reordered .tflite file (the original file when the
	// order is unchanged) and Model its parse.
	Data  []byte
	Model *tflite.Model
	// Before and After are TFLM's arena for the original and the
	// reordered model, each with TFLM's own plan.
	Before, After *Estimate
}

// Changed reports whether the order differs from the model's own.
func (r *ReorderedModel) Changed() bool {
	for i, v := range r.Schedule.Order {
		if v != i {
			return true
		}
	}
	return false
}

// Reorder finds the order of m's main-subgraph operators with the smallest
// joint bound on abi: the tensors by TFLM's lifetime rules (inputs from step
// 0, outputs to the end) and the scratch buffers abi's kernels request,
// each alive at its operator's step (tensorplan.ModelGraph,
// Graph.Schedule, with budget states). It writes the reordered model only
// when the order changes. Models carrying an offline plan, whose offsets
// hold for their own order only, are refused.
func Reorder(m *tflite.Model, abi ABI, budget int) (*ReorderedModel, error) {
	lt, err := tensorplan.ModelLifetimes(m)
	if err != nil {
		return nil, err
	}
	if slices.ContainsFunc(lt.Tensors, func(t tensorplan.TensorBuffer) bool { return t.Fixed >= 0 }) {
		return nil, fmt.Errorf("the model carries an %s plan made for its own operator order; reorder a copy without it", tensorplan.OfflineMetadata)
	}
	before, err := EstimateArena(m, abi)
	if err != nil {
		return nil, err
	}
	scratch := map[int]int64{}
	for _, b := range before.HeadBuffers {
		if b.Tensor < 0 && b.Subgraph == 0 {
			scratch[b.Op] += b.Size
		}
	}
	g, err := tensorplan.ModelGraph(m, scratch)
	if err != nil {
		return nil, err
	}
	identity := make([]int, g.NumOps())
	for i := range identity {
		identity[i] = i
	}
	r := &ReorderedModel{Schedule: g.Schedule(budget), Data: m.Raw, Model: m, Before: before, After: before}
	if r.PeakBefore, err = g.Peak(identity); err != nil {
		return nil, err
	}
	if bound := headBound(before); bound != r.PeakBefore {
		return nil, fmt.Errorf("internal error: the operator graph's peak is %d bytes, the model's joint bound %d", r.PeakBefore, bound)
	}
	if !r.Changed() {
		return r, nil
	}
	if r.Data, err = tflite.ReorderOperators(m.Raw, 0, r.Schedule.Order); err != nil {
		return nil, err
	}
	if r.Model, err = tflite.Parse(r.Data); err != nil {
		return nil, fmt.Errorf("the reordered model does not parse: %w", err)
	}
	if r.After, err = EstimateArena(r.Model, abi); err != nil {
		return nil, fmt.Errorf("the reordered model: %w", err)
	}
	if bound := headBound(r.After); bound != r.Schedule.Peak {
		return nil, fmt.Errorf("internal error: the order promised a joint bound of %d bytes, the reordered model has %d", r.Schedule.Peak, bound)
	}
	return r, nil
}

// headBound is the joint lower bound of an estimate's head: the peak of
// live tensor and scratch bytes.
func headBound(e *Estimate) int64 {
	buffers := make([]tensorplan.Buffer, len(e.HeadBuffers))
	for i, b := range e.HeadBuffers {
		buffers[i] = tensorplan.Buffer{Size: b.Size, First: b.First, Last: b.Last, Fixed: tensorplan.Online}
	}
	return tensorplan.LowerBound(buffers)
}
