package runtime

import (
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
)

// PlanLayout asks planner for a layout of in's arena tensors. Each becomes
// a tensorplan.Buffer with the tensor's lifetime (see Lifetime) and its
// size rounded up to tensorplan.Alignment, as TFLM rounds it.
func PlanLayout(in *Interpreter, planner tensorplan.Planner) (*Layout, error) {
	tensors := in.ArenaTensors()
	buffers := make([]tensorplan.Buffer, len(tensors))
	for i, t := range tensors {
		first, last := in.Lifetime(t)
		size := (int64(in.tensors[t].bytes) + tensorplan.Alignment - 1) / tensorplan.Alignment * tensorplan.Alignment
		buffers[i] = tensorplan.Buffer{Size: size, First: first, Last: last, Fixed: tensorplan.Online}
	}
	plan, err := planner.Plan(buffers)
	if err != nil {
		return nil, fmt.Errorf("%s planner: %w", planner.Name(), err)
	}
	layout := &Layout{ArenaBytes: plan.ArenaSize}
	for i, t := range tensors {
		layout.Tensors = append(layout.Tensors, Placement{Tensor: t, Offset: plan.Offsets[i]})
	}
	return layout, nil
}
