package tensorplan

import (
	"cmp"
	"slices"
)

// TFLM replicates TFLM's GreedyMemoryPlanner (tflite-micro,
// tensorflow/lite/micro/memory_planner/greedy_memory_planner.cc) offset for
// offset, so its plan is the one stock TFLM uses on a device:
//
//   - fixed buffers come first, in input order, at their fixed offsets;
//   - the others follow by size, largest first; TFLM fills its sort array
//     from the tail and then bubble-sorts it (a stable sort), so buffers of
//     equal size go in reverse input order;
//   - the first buffer of that order goes at offset 0 (or its fixed offset);
//   - each later buffer goes into the first gap, walking the placed buffers
//     in offset order, between buffers alive at a common step with it that
//     is large enough, else just above the highest of them.
//
// Extra buffers such as kernel scratch buffers are planned like tensors:
// append them after the tensors, as TFLM's allocator does.
type TFLM struct{}

// Name returns "tflm".
func (TFLM) Name() string { return "tflm" }

// Plan places buffers the way TFLM's greedy planner does.
func (TFLM) Plan(buffers []Buffer) (Plan, error) {
	if err := checkBuffers(buffers); err != nil {
		return Plan{}, err
	}
	offsets := make([]int64, len(buffers))
	// placed holds buffer indices sorted by offset; a buffer placed at the
	// offset of an earlier one goes after it, as in TFLM's linked list.
	placed := make([]int, 0, len(buffers))
	for _, id := range tflmOrder(buffers) {
		b := &buffers[id]
		offset := b.Fixed
		if offset < 0 {
			offset = tflmFirstGap(buffers, offsets, placed, b)
		}
		offsets[id] = offset
		at, _ := slices.BinarySearchFunc(placed, offset+1, func(p int, target int64) int {
			return cmp.Compare(offsets[p], target)
		})
		placed = slices.Insert(placed, at, id)
	}
	return provenPlan(offsets, arenaEnd(buffers, offsets), LowerBound(buffers), 0), nil
}

// tflmOrder is the order in which TFLM's greedy planner places buffers:
// fixed ones in input order, then the others by size descending, equal sizes
// in reverse input order.
func tflmOrder(buffers []Buffer) []int {
	order := make([]int, 0, len(buffers))
	var online []int
	for i := range buffers {
		if buffers[i].Fixed >= 0 {
			order = append(order, i)
		} else {
			online = append(online, i)
		}
	}
	slices.SortFunc(online, func(a, b int) int {
		if c := cmp.Compare(buffers[b].Size, buffers[a].Size); c != 0 {
			return c
		}
		return cmp.Compare(b, a)
	})
	return append(order, online...)
}

// tflmFirstGap walks the placed buffers (sorted by offset) that are alive
// at a common step with b and returns the start of the first gap between
// them that fits b, or the end of the highest of them. With nothing placed
// yet it returns 0, as TFLM does for its first buffer.
func tflmFirstGap(buffers []Buffer, offsets []int64, placed []int, b *Buffer) int64 {
	var candidate int64
	for _, p := range placed {
		other := &buffers[p]
		if !overlapsInTime(other, b) {
			continue
		}
		if offsets[p]-candidate >= b.Size {
			return candidate
		}
		candidate = max(candidate, offsets[p]+other.Size)
	}
	return candidate
}
