// Package tensorplan computes tensor lifetimes of a .tflite model and plans
// their offsets in one arena, the way TFLM's memory planners do.
package tensorplan

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
// arena size the plan needs (the highest end of any buffer).
type Plan struct {
	Offsets   []int64
	ArenaSize int64
}

// Planner places buffers in one arena, like TFLM's MicroMemoryPlanner:
// give it buffers with sizes and lifetimes, get offsets and the total back.
type Planner interface {
	// Name is the planner's CLI name: "linear", "tflm" or "best".
	Name() string
	Plan(buffers []Buffer) (Plan, error)
}
