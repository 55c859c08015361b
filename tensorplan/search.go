package tensorplan

import (
	"cmp"
	"slices"
)

// searcher is a depth-first branch-and-bound over canonical placements, in
// the spirit of MiniMalloc (Moffitt, ASPLOS 2023). Online buffers are placed
// in non-decreasing offset order, each as low as the buffers placed before
// it allow; every packing can be pushed down into such a form, so when no
// buffer is fixed the search is complete. At each node either a buffer that
// fits at the current lowest level goes there, or the level is raised to
// the next one some buffer can reach. A node is pruned when, in some span of
// steps, the level plus the bytes still to place there exceeds the target.
// Each solution tightens the target to one byte below it, so the search
// ends at a proven optimum, at the lower bound, or when the node budget
// runs out, whichever comes first.
type searcher struct {
	buffers []Buffer
	items   []searchItem
	// floor is, per span of steps, the highest end of a placed item alive
	// there; remain is the bytes of unplaced items alive there.
	floor, remain []int64
	undo          []undoEntry
	unplaced      int

	fixedEnd  int64 // highest end of a fixed buffer
	target    int64 // a solution must end at or below target
	bound     int64 // stop as soon as a solution reaches this
	nodes     int
	budget    int
	bestEnd   int64
	bestFound bool
	best      []int64 // offsets of the best solution, per item
}

// searchItem is one online, non-empty buffer of the search.
type searchItem struct {
	id        int // index into searcher.buffers
	size      int64
	lo, hi    int     // spans [lo, hi) the item is alive in
	neighbors []int32 // items alive at a common step
	fixed     []int   // fixed buffers alive at a common step, by offset
	base      int64   // highest end of a placed neighbour
	offset    int64
	placed    bool
}

// undoEntry restores one value on backtracking.
type undoEntry struct {
	kind  uint8 // undoFloor or undoBase
	index int32
	old   int64
}

const (
	undoFloor uint8 = iota
	undoBase
)

// searchPlan runs the search on buffers, looking for a plan smaller than
// incumbent and stopping at bound or after budget nodes. It returns the
// offsets of the improved plan and true, or nil and false.
func searchPlan(buffers []Buffer, incumbent, bound int64, budget int) ([]int64, bool) {
	s := newSearcher(buffers, incumbent-1, bound, budget)
	if len(s.items) == 0 {
		return nil, false
	}
	s.dfs(0, -1)
	if !s.bestFound {
		return nil, false
	}
	offsets := make([]int64, len(buffers))
	for i := range buffers {
		if buffers[i].Fixed >= 0 {
			offsets[i] = buffers[i].Fixed
		}
	}
	for k, it := range s.items {
		offsets[it.id] = s.best[k]
	}
	return offsets, true
}

func newSearcher(buffers []Buffer, target, bound int64, budget int) *searcher {
	s := &searcher{buffers: buffers, target: target, bound: bound, budget: budget}
	var fixedEnd int64
	var fixed []int
	var points []int
	for i := range buffers {
		b := &buffers[i]
		switch {
		case b.Size == 0:
		case b.Fixed >= 0:
			fixed = append(fixed, i)
			fixedEnd = max(fixedEnd, b.Fixed+b.Size)
		default:
			s.items = append(s.items, searchItem{id: i, size: b.Size})
			points = append(points, b.First, b.Last+1)
		}
	}
	// Items are tried longest-lived first, then largest: at equal offsets
	// the canonical order is this order.
	slices.SortStableFunc(s.items, func(x, y searchItem) int {
		a, b := &buffers[x.id], &buffers[y.id]
		return cmp.Or(cmp.Compare(lifetime(b), lifetime(a)), cmp.Compare(b.Size, a.Size))
	})
	slices.Sort(points)
	points = slices.Compact(points)
	s.floor = make([]int64, max(len(points)-1, 0))
	s.remain = make([]int64, len(s.floor))
	slices.SortFunc(fixed, func(a, b int) int { return cmp.Compare(buffers[a].Fixed, buffers[b].Fixed) })
	for k := range s.items {
		it := &s.items[k]
		b := &buffers[it.id]
		it.lo, _ = slices.BinarySearch(points, b.First)
		it.hi, _ = slices.BinarySearch(points, b.Last+1)
		for sp := it.lo; sp < it.hi; sp++ {
			s.remain[sp] += it.size
		}
		for _, f := range fixed {
			if overlapsInTime(&buffers[f], b) {
				it.fixed = append(it.fixed, f)
			}
		}
		for j := range s.items {
			if j != k && overlapsInTime(&buffers[s.items[j].id], b) {
				it.neighbors = append(it.neighbors, int32(j))
			}
		}
	}
	s.unplaced = len(s.items)
	s.fixedEnd = fixedEnd
	s.best = make([]int64, len(s.items))
	return s
}

// lowest is where item k goes if placed now with the level at x: above x,
// above its placed neighbours, and clear of fixed buffers.
func (s *searcher) lowest(k int, x int64) int64 {
	it := &s.items[k]
	pos := max(x, it.base)
	for moved := true; moved; {
		moved = false
		for _, f := range it.fixed {
			fb := &s.buffers[f]
			if fb.Fixed < pos+it.size && fb.Fixed+fb.Size > pos {
				pos = fb.Fixed + fb.Size
				moved = true
			}
		}
	}
	return pos
}

// done reports whether the search must stop: bound reached or budget spent.
func (s *searcher) done() bool {
	return (s.bestFound && s.bestEnd <= s.bound) || s.nodes >= s.budget
}

// dfs explores placements with the level at x; last is the item placed
// last at level x (-1 if none), so items at the same level go in order.
func (s *searcher) dfs(x int64, last int) {
	s.nodes++
	if s.unplaced == 0 {
		s.record()
		return
	}
	for sp, f := range s.floor {
		if max(f, x)+s.remain[sp] > s.target {
			return
		}
	}
	level, next := int64(-1), int64(-1)
	for k := range s.items {
		if s.items[k].placed {
			continue
		}
		pos := s.lowest(k, x)
		if pos+s.items[k].size > s.target {
			return // levels only rise, so this item can never fit
		}
		switch {
		case level < 0 || pos < level:
			if level >= 0 {
				next = level
			}
			level = pos
		case pos > level && (next < 0 || pos < next):
			next = pos
		}
	}
	for k := range s.items {
		if s.done() {
			return
		}
		it := &s.items[k]
		if it.placed || (level == x && k <= last) || s.lowest(k, x) != level {
			continue
		}
		mark := len(s.undo)
		s.place(k, level)
		s.dfs(level, k)
		s.unplace(k, mark)
	}
	if next >= 0 && !s.done() {
		s.dfs(next, -1)
	}
}

// place puts item k at offset and updates spans and neighbours.
func (s *searcher) place(k int, offset int64) {
	it := &s.items[k]
	it.placed, it.offset = true, offset
	s.unplaced--
	end := offset + it.size
	for sp := it.lo; sp < it.hi; sp++ {
		s.remain[sp] -= it.size
		if s.floor[sp] < end {
			s.undo = append(s.undo, undoEntry{undoFloor, int32(sp), s.floor[sp]})
			s.floor[sp] = end
		}
	}
	for _, n := range it.neighbors {
		if nb := &s.items[n]; !nb.placed && nb.base < end {
			s.undo = append(s.undo, undoEntry{undoBase, n, nb.base})
			nb.base = end
		}
	}
}

// unplace reverts place(k) using the undo log from mark on.
func (s *searcher) unplace(k int, mark int) {
	for i := len(s.undo) - 1; i >= mark; i-- {
		u := s.undo[i]
		if u.kind == undoFloor {
			s.floor[u.index] = u.old
		} else {
			s.items[u.index].base = u.old
		}
	}
	s.undo = s.undo[:mark]
	it := &s.items[k]
	for sp := it.lo; sp < it.hi; sp++ {
		s.remain[sp] += it.size
	}
	it.placed = false
	s.unplaced++
}

// record keeps the current complete placement if it beats the best one and
// tightens the target below it.
func (s *searcher) record() {
	end := s.fixedEnd
	for k := range s.items {
		end = max(end, s.items[k].offset+s.items[k].size)
	}
	if s.bestFound && end >= s.bestEnd {
		return
	}
	s.bestFound, s.bestEnd = true, end
	for k := range s.items {
		s.best[k] = s.items[k].offset
	}
	s.target = end - 1
}
