package tflmarena

import (
	"cmp"
	"slices"
)

// OpDelta is how much one operator's kernel takes in one build beyond
// another build of the same model, e.g. with CMSIS-NN kernels beyond the
// reference kernels.
type OpDelta struct {
	Subgraph int    `json:"subgraph"`
	Op       int    `json:"op"`
	OpName   string `json:"op_name"`
	// Tail is the difference in the kernel's persistent bytes (OpData,
	// Prepare's buffers such as kernel sums), each allocation rounded up to
	// its alignment as it lies in the tail.
	Tail int64 `json:"tail_bytes"`
	// Scratch is the difference in the kernel's scratch requests, each
	// rounded up to 16 bytes as the planner reserves it. What this does to
	// the head depends on where the planner fits the buffers.
	Scratch int64 `json:"scratch_bytes"`
}

// Total is the delta's tail and scratch bytes together.
func (d OpDelta) Total() int64 { return d.Tail + d.Scratch }

// CompareKernels lists, for every operator whose kernel allocates
// differently in other than in base (two estimates of one model), the
// difference, largest absolute total first.
func CompareKernels(base, other *Estimate) []OpDelta {
	type key struct{ sub, op int }
	deltas := map[key]*OpDelta{}
	at := func(sub, op int, name string) *OpDelta {
		k := key{sub, op}
		d := deltas[k]
		if d == nil {
			d = &OpDelta{Subgraph: sub, Op: op}
			deltas[k] = d
		}
		if name != "" {
			d.OpName = name
		}
		return d
	}
	for _, side := range []struct {
		sign int64
		e    *Estimate
	}{{-1, base}, {1, other}} {
		sign, e := side.sign, side.e
		for _, a := range e.Allocations {
			if a.Op >= 0 {
				at(a.Subgraph, a.Op, a.OpName).Tail += sign * alignUp(a.Bytes, a.Align)
			}
		}
		for _, h := range e.HeadBuffers {
			if h.Tensor < 0 {
				at(h.Subgraph, h.Op, h.OpName).Scratch += sign * h.Size
			}
		}
	}
	var out []OpDelta
	for _, d := range deltas {
		if d.Tail != 0 || d.Scratch != 0 {
			out = append(out, *d)
		}
	}
	abs := func(x int64) int64 { return max(x, -x) }
	slices.SortFunc(out, func(a, b OpDelta) int {
		return cmp.Or(cmp.Compare(abs(b.Total()), abs(a.Total())), cmp.Compare(a.Subgraph, b.Subgraph), cmp.Compare(a.Op, b.Op))
	})
	return out
}
