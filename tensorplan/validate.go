package tensorplan

import (
	"cmp"
	"fmt"
	"slices"
)

// Validate checks that plan is a correct placement of buffers: one offset
// per buffer, no offset negative, fixed buffers at their fixed offsets,
// every buffer inside [0, plan.ArenaSize), and no two buffers alive at a
// common step sharing a byte. Zero-size buffers occupy no bytes. Two fixed
// buffers may share bytes: that is the offline plan's decision, which TFLM
// trusts too. The error names the first offending buffer(s).
func Validate(buffers []Buffer, plan Plan) error {
	if len(plan.Offsets) != len(buffers) {
		return fmt.Errorf("plan has %d offsets for %d buffers", len(plan.Offsets), len(buffers))
	}
	for i := range buffers {
		b, off := &buffers[i], plan.Offsets[i]
		switch {
		case b.Size < 0:
			return fmt.Errorf("buffer %d: negative size %d", i, b.Size)
		case off < 0:
			return fmt.Errorf("buffer %d: negative offset %d", i, off)
		case b.Fixed >= 0 && off != b.Fixed:
			return fmt.Errorf("buffer %d: offset %d, but it is fixed at %d", i, off, b.Fixed)
		case b.Size > plan.ArenaSize || off > plan.ArenaSize-b.Size: // off+Size > ArenaSize without overflow
			return fmt.Errorf("buffer %d: %d bytes at offset %d do not fit the %d-byte arena", i, b.Size, off, plan.ArenaSize)
		}
	}
	// Sweep buffers by offset: only buffers starting below the end of the
	// current one can share bytes with it, so the scan stops early.
	order := make([]int, 0, len(buffers))
	for i := range buffers {
		if buffers[i].Size > 0 {
			order = append(order, i)
		}
	}
	slices.SortFunc(order, func(a, b int) int { return cmp.Compare(plan.Offsets[a], plan.Offsets[b]) })
	for k, i := range order {
		end := plan.Offsets[i] + buffers[i].Size
		for _, j := range order[k+1:] {
			if plan.Offsets[j] >= end {
				break
			}
			bothFixed := buffers[i].Fixed >= 0 && buffers[j].Fixed >= 0
			if !bothFixed && overlapsInTime(&buffers[i], &buffers[j]) {
				a, b := min(i, j), max(i, j)
				return fmt.Errorf("buffers %d (bytes [%d, %d), steps %d-%d) and %d (bytes [%d, %d), steps %d-%d) overlap",
					a, plan.Offsets[a], plan.Offsets[a]+buffers[a].Size, buffers[a].First, buffers[a].Last,
					b, plan.Offsets[b], plan.Offsets[b]+buffers[b].Size, buffers[b].First, buffers[b].Last)
			}
		}
	}
	return nil
}

// arenaEnd is the highest end of any buffer under offsets: the arena size
// the placement needs.
func arenaEnd(buffers []Buffer, offsets []int64) int64 {
	var end int64
	for i := range buffers {
		end = max(end, offsets[i]+buffers[i].Size)
	}
	return end
}
