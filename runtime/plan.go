package runtime

import (
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
)

// LayoutFromPlan turns a tensorplan report (what `footprint arena --format
// json` writes) into the layout Verify runs in. It checks first that the
// plan is for in's model: it must place exactly the model's arena tensors,
// each with the model's byte length. Constant and variable tensors that a
// planner lists are skipped: the runtime keeps them outside the arena.
func LayoutFromPlan(in *Interpreter, r *tensorplan.Report) (*Layout, error) {
	other := func(format string, args ...any) error {
		return fmt.Errorf("a plan for another model: "+format, args...)
	}
	tensors := in.Tensors()
	layout := &Layout{ArenaBytes: r.ArenaBytes}
	placed := make(map[int]bool)
	for _, t := range r.Tensors {
		switch {
		case t.Subgraph != 0:
			return nil, other("it places a tensor of subgraph %d", t.Subgraph)
		case t.Index < 0 || t.Index >= len(tensors):
			return nil, other("it places tensor %d, the model has %d tensors", t.Index, len(tensors))
		case t.TensorBytes != int64(tensors[t.Index].Bytes):
			return nil, other("its tensor %d has %d bytes, the model's has %d", t.Index, t.TensorBytes, tensors[t.Index].Bytes)
		}
		if tensors[t.Index].Constant || tensors[t.Index].Variable {
			continue
		}
		placed[t.Index] = true
		layout.Tensors = append(layout.Tensors, Placement{Tensor: t.Index, Offset: t.Offset})
	}
	for _, t := range in.ArenaTensors() {
		if !placed[t] && tensors[t].Bytes > 0 {
			return nil, other("it does not place tensor %d %q", t, tensors[t].Name)
		}
	}
	return layout, nil
}
