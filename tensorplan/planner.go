// Package tensorplan computes tensor lifetimes of a .tflite model and plans
// their offsets in one arena, the way TFLM's memory planners do.
//
// The package is split the way the problem is:
//
//   - lifetimes: a model becomes a list of Buffers, one per tensor TFLM
//     plans, by TFLM's own rules (ModelLifetimes);
//   - planners: Buffers become a Plan, behind one small interface (Linear,
//     TFLM, Best; ByName picks one from its CLI name); every Plan says
//     whether it is proven optimal (Plan.Optimal, Plan.Bound);
//   - LowerBound says how small any plan can be, Validate checks any plan;
//   - MiniMalloc's CSV benchmark format is read and written by
//     ReadMiniMallocCSV and WriteMiniMallocCSV;
//   - Report is the stable JSON form of a plan that the runtime consumes;
//   - EmbedPlan writes a plan into the model as TFLM's
//     OfflineMemoryAllocation metadata, so stock TFLM uses it; PlanForOffline
//     picks the plan that leaves TFLM the smallest head once it has placed
//     its kernels' scratch buffers around it, and Best.PlanJoint plans
//     tensors and scratch buffers so that TFLM's own placement of the
//     scratch buffers reproduces the plan;
//   - ModelGraph and Graph.Schedule find the operator order with the
//     smallest peak of live bytes, which moves the lower bound itself;
//   - Best.PlanBanks spreads buffers over several memories, fastest first.
package tensorplan

import "fmt"

// Buffer is one allocation to place in the arena: Size bytes, alive from
// step First to step Last inclusive. Fixed >= 0 pins the buffer at that
// offset (offline-planned by OfflineMemoryAllocation metadata); -1 lets the
// planner choose.
type Buffer struct {
	Size  int64
	First int
	Last  int
	Fixed int64
}

// Plan is a planner's answer: one offset per buffer, in input order, and the
// arena size the plan needs (the highest end of any buffer), with what is
// known about its optimality.
type Plan struct {
	Offsets   []int64
	ArenaSize int64
	// Bound is the largest arena size proven necessary for the buffers:
	// LowerBound, or more where Best's search ruled smaller arenas out
	// exhaustively.
	Bound int64
	// Optimal is true when no plan can be smaller: ArenaSize equals
	// Bound. Otherwise the plan is the best found within the search's
	// node budget.
	Optimal bool
	// Nodes counts the search nodes spent (Best only).
	Nodes int
}

// provenPlan completes a plan with its proof status: bound is the largest
// arena size proven necessary.
func provenPlan(offsets []int64, arena, bound int64, nodes int) Plan {
	return Plan{Offsets: offsets, ArenaSize: arena, Bound: bound, Optimal: arena <= bound, Nodes: nodes}
}

// Planner places buffers in one arena, like TFLM's MicroMemoryPlanner:
// give it buffers with sizes and lifetimes, get offsets and the total back.
type Planner interface {
	// Name is the planner's CLI name: "linear", "tflm" or "best".
	Name() string
	Plan(buffers []Buffer) (Plan, error)
}

// Online is the Fixed value of a buffer the planner places itself.
const Online int64 = -1

// overlapsInTime reports whether a and b are alive at a common step.
func overlapsInTime(a, b *Buffer) bool {
	return a.First <= b.Last && b.First <= a.Last
}

// Planners returns every planner with its defaults, cheapest first.
func Planners() []Planner { return []Planner{Linear{}, TFLM{}, Best{}} }

// PlannerNames lists the CLI names of the planners, cheapest first.
func PlannerNames() []string {
	var names []string
	for _, p := range Planners() {
		names = append(names, p.Name())
	}
	return names
}

// ByName returns the planner with the given CLI name, configured with its
// defaults.
func ByName(name string) (Planner, error) {
	for _, p := range Planners() {
		if p.Name() == name {
			return p, nil
		}
	}
	return nil, fmt.Errorf("unknown planner %q (want linear, tflm or best)", name)
}

// checkBuffers rejects buffers no planner can place: negative sizes,
// inverted lifetimes or negative fixed offsets other than Online.
func checkBuffers(buffers []Buffer) error {
	var total int64
	for i := range buffers {
		if total += max(buffers[i].Size, 0); total > maxTotalSize {
			return fmt.Errorf("buffers total more than %d bytes", int64(maxTotalSize))
		}
		b := &buffers[i]
		switch {
		case b.Size < 0:
			return fmt.Errorf("buffer %d: negative size %d", i, b.Size)
		case b.Size > maxBufferSize:
			return fmt.Errorf("buffer %d: size %d exceeds %d bytes", i, b.Size, int64(maxBufferSize))
		case b.First > b.Last:
			return fmt.Errorf("buffer %d: first step %d after last step %d", i, b.First, b.Last)
		case b.Fixed < Online:
			return fmt.Errorf("buffer %d: negative fixed offset %d", i, b.Fixed)
		case b.Fixed > maxBufferSize:
			return fmt.Errorf("buffer %d: fixed offset %d exceeds %d bytes", i, b.Fixed, int64(maxBufferSize))
		}
	}
	return nil
}

// maxBufferSize bounds sizes and fixed offsets (1 TiB), and maxTotalSize
// the sum of all sizes (4 EiB), so that no offset, end or sum of a plan can
// overflow int64.
const (
	maxBufferSize = 1 << 40
	maxTotalSize  = 1 << 62
)
