package tensorplan

import (
	"cmp"
	"slices"
)

// fit chooses where a greedy planner puts a buffer among the gaps left by
// the placed buffers alive at a common step with it.
type fit int

const (
	firstFit fit = iota // the lowest gap that is large enough
	bestFit             // the smallest gap that is large enough, lowest first
)

// greedyOrder is one ordering of the online buffers for placeGreedy: it
// returns a negative number if a goes before b.
type greedyOrder func(a, b *Buffer) int

// lifetime is the number of steps b is alive.
func lifetime(b *Buffer) int64 { return int64(b.Last) - int64(b.First) + 1 }

// area is b's size times its lifetime, in floating point since the product
// of a 40-bit size and a 32-bit lifetime overflows int64.
func area(b *Buffer) float64 { return float64(b.Size) * float64(lifetime(b)) }

// greedyOrders are the orderings Best tries, each with both fits. Ties are
// broken by input order, so every ordering is deterministic.
func greedyOrders() []greedyOrder {
	return []greedyOrder{
		func(a, b *Buffer) int { // largest first
			return cmp.Or(cmp.Compare(b.Size, a.Size), cmp.Compare(lifetime(b), lifetime(a)))
		},
		func(a, b *Buffer) int { // longest-lived first
			return cmp.Or(cmp.Compare(lifetime(b), lifetime(a)), cmp.Compare(b.Size, a.Size))
		},
		func(a, b *Buffer) int { // largest size x lifetime first
			return cmp.Or(cmp.Compare(area(b), area(a)), cmp.Compare(b.Size, a.Size))
		},
		func(a, b *Buffer) int { // in order of first use
			return cmp.Or(cmp.Compare(a.First, b.First), cmp.Compare(b.Size, a.Size))
		},
	}
}

// placeGreedy places the fixed buffers at their offsets, then the others
// one by one in the given order, each into a gap chosen by how. It returns
// the offsets in input order.
func placeGreedy(buffers []Buffer, order []int, how fit) []int64 {
	offsets := make([]int64, len(buffers))
	placed := make([]int, 0, len(buffers)) // sorted by offset
	insert := func(id int) {
		at, _ := slices.BinarySearchFunc(placed, offsets[id]+1, func(p int, target int64) int {
			return cmp.Compare(offsets[p], target)
		})
		placed = slices.Insert(placed, at, id)
	}
	for i := range buffers {
		if buffers[i].Fixed >= 0 {
			offsets[i] = buffers[i].Fixed
			insert(i)
		}
	}
	for _, id := range order {
		b := &buffers[id]
		offsets[id] = findGap(buffers, offsets, placed, b, how)
		insert(id)
	}
	return offsets
}

// findGap returns the offset for b among the placed buffers (sorted by
// offset) alive at a common step with it: a gap chosen by how, or the top.
func findGap(buffers []Buffer, offsets []int64, placed []int, b *Buffer, how fit) int64 {
	var candidate int64
	chosen, chosenGap := int64(-1), int64(-1)
	for _, p := range placed {
		other := &buffers[p]
		if other.Size == 0 || !overlapsInTime(other, b) {
			continue
		}
		if gap := offsets[p] - candidate; gap >= b.Size {
			if how == firstFit {
				return candidate
			}
			if chosen < 0 || gap < chosenGap {
				chosen, chosenGap = candidate, gap
			}
		}
		candidate = max(candidate, offsets[p]+other.Size)
	}
	if chosen >= 0 {
		return chosen
	}
	return candidate
}

// onlineOrder returns the indices of the online buffers sorted by less,
// ties in input order.
func onlineOrder(buffers []Buffer, less func(a, b *Buffer) int) []int {
	var order []int
	for i := range buffers {
		if buffers[i].Fixed < 0 {
			order = append(order, i)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return less(&buffers[a], &buffers[b]) })
	return order
}
