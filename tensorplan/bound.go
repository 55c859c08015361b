package tensorplan

import (
	"cmp"
	"math"
	"slices"
)

// LowerBound is the smallest arena any plan of buffers can use: the largest
// number of bytes alive at one step (the peak of Profile), or the highest
// end of a fixed buffer if that is larger. A plan reaching it is optimal.
// When an offline plan lets fixed buffers share bytes, only the online
// buffers count towards the peak.
func LowerBound(buffers []Buffer) int64 {
	var bound int64
	fixedShare := fixedBuffersShare(buffers)
	counted := buffers
	if fixedShare {
		counted = make([]Buffer, 0, len(buffers))
	}
	for i := range buffers {
		b := &buffers[i]
		if b.Fixed >= 0 {
			bound = max(bound, b.Fixed+b.Size)
		} else if fixedShare {
			counted = append(counted, *b)
		}
	}
	for _, p := range Profile(counted) {
		bound = max(bound, p.Bytes)
	}
	return bound
}

// fixedBuffersShare reports whether two fixed buffers alive at a common
// step share a byte.
func fixedBuffersShare(buffers []Buffer) bool {
	var fixed []Buffer
	var offsets []int64
	for _, b := range buffers {
		if b.Fixed >= 0 {
			offsets = append(offsets, b.Fixed)
			b.Fixed = Online // let Validate treat them as ordinary buffers
			fixed = append(fixed, b)
		}
	}
	return Validate(fixed, Plan{Offsets: offsets, ArenaSize: math.MaxInt64}) != nil
}

// Load is the number of bytes alive from step From to step To inclusive.
type Load struct {
	From, To int
	Bytes    int64
}

// Profile returns the live bytes over time as maximal runs of steps with a
// constant load, in step order, covering the first to the last step of any
// buffer. It takes O(n log n) for n buffers.
func Profile(buffers []Buffer) []Load {
	type event struct {
		step  int
		delta int64
	}
	events := make([]event, 0, 2*len(buffers))
	for i := range buffers {
		b := &buffers[i]
		events = append(events, event{b.First, b.Size}, event{b.Last + 1, -b.Size})
	}
	slices.SortFunc(events, func(a, b event) int { return cmp.Compare(a.step, b.step) })
	var loads []Load
	var live int64
	for i := 0; i < len(events); {
		step := events[i].step
		for ; i < len(events) && events[i].step == step; i++ {
			live += events[i].delta
		}
		if i == len(events) {
			break
		}
		next := events[i].step
		if n := len(loads); n > 0 && loads[n-1].Bytes == live && loads[n-1].To == step-1 {
			loads[n-1].To = next - 1
			continue
		}
		loads = append(loads, Load{From: step, To: next - 1, Bytes: live})
	}
	return loads
}
