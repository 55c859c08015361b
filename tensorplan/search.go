package tensorplan

import (
	"cmp"
	"slices"
)

// This file holds Best's exact search, a depth-first search over canonical
// placements in the manner of MiniMalloc (Moffitt, "MiniMalloc: A
// Lightweight Memory Allocator for Hardware-Accelerated Machine Learning",
// ASPLOS 2023). It answers a decision question: do the buffers fit in a
// given capacity? Best asks it for the lower bound first and then for sizes
// between the bound and the best plan found so far.
//
// Canonical placements: every packing can be pushed down until each buffer
// rests on a buffer alive at a common step with it (or on 0). Sorted by
// offset, such a packing places each buffer at the lowest offset the
// buffers before it allow, its "minimum offset". So the search only ever
// places a buffer at its minimum offset, in non-decreasing offset order
// (equal offsets in preorder), and prunes with:
//
//   - section inference: in every span of steps ("section"), the floor
//     (highest end of a placed buffer there, or the current offset, or the
//     lowest minimum offset of an unplaced buffer there, whichever is
//     highest) plus the bytes still to place there must fit in the capacity;
//   - dominance: a buffer is not placed at or above the top that another
//     unplaced buffer would have at its own minimum offset, since that
//     buffer fits in the gap below;
//   - hatless pruning: when a buffer with no unplaced buffer alive at a
//     common step fails, no sibling is tried, since nothing it did affected
//     the rest;
//   - decomposition: once no unplaced buffer spans some step boundary, the
//     steps on either side are solved as separate problems, so a failure
//     on one side never backtracks through choices made on the other.
//
// Each such problem orders its buffers afresh by a preorder heuristic whose
// keys include the bytes still to place around each buffer, as MiniMalloc
// does: ordering by the sizes of the whole problem instead leaves three of
// its eleven challenging benchmarks unsolved in 20 million nodes, which the
// fresh order solves in under 5 million. The search is tried with several
// heuristics in turn, each with a node limit that grows fourfold every round,
// until one answers or the budget is spent. Everything counts nodes, never
// time, so results are reproducible.

// searchItem is one buffer of the search.
type searchItem struct {
	id        int   // index into the caller's buffers
	size      int64 // bytes
	fixed     int64 // the offset it must take, or Online
	lo, hi    int   // sections [lo, hi) it is alive in
	neighbors []int32
	// greedy marks a buffer TFLM's greedy planner places itself (a kernel
	// scratch buffer around an offline plan): it may only take the offset
	// TFLM's first fit gives it among the buffers TFLM places before it,
	// those of a lower order (see searcher.greedyFits).
	greedy bool
	order  int
	// Preorder keys.
	width int64
	area  float64
}

// searchResult is the outcome of one search.
type searchResult int

const (
	notFound searchResult = iota // the subtree holds no solution
	found
	aborted // the node limit ran out
)

// searcher holds the state of the decision search for one capacity.
type searcher struct {
	items    []searchItem
	sections [][]int32 // items alive in each section
	capacity int64

	heuristic heuristic
	all       []int32 // every item
	rank      []int32 // per item: its position in its part's preorder
	minOffset []int64 // per item
	offset    []int64 // per item; -1 while unplaced
	floor     []int64 // per section
	remain    []int64 // per section: bytes of unplaced items
	cuts      []int   // per section boundary: unplaced items spanning it
	witness   []int32 // per section: the item that last made roomFor true
	nodes     int
	limit     int
	solution  []int64 // per item: the offset of the latest placement
	// Scratch space reused across nodes: the undo log, and the unplaced
	// items and candidates of each depth.
	undo        []change
	unplaced    [][]int32
	candidates  [][]int32
	greedyBelow []int32
}

// maxSearchPairs bounds the memory of the search: the neighbour pairs and
// item-section memberships it stores (each 4 bytes).
const maxSearchPairs = 4 << 20

// searchProblem is the items and sections of buffers, shared by every
// capacity the search is asked about. It reports false when the search
// cannot run: fixed buffers that share bytes, or a problem so large and
// tangled that its tables would exceed maxSearchPairs.
func searchProblem(buffers []Buffer) ([]searchItem, [][]int32, bool) {
	if fixedBuffersShare(buffers) {
		return nil, nil, false
	}
	var items []searchItem
	var points []int
	for i := range buffers {
		b := &buffers[i]
		if b.Size == 0 {
			continue
		}
		items = append(items, searchItem{id: i, size: b.Size, fixed: b.Fixed})
		points = append(points, b.First, b.Last+1)
	}
	slices.Sort(points)
	points = slices.Compact(points)
	memberships := 0
	los, his := make([]int, len(items)), make([]int, len(items))
	for k := range items {
		it := &items[k]
		b := &buffers[it.id]
		it.lo, _ = slices.BinarySearch(points, b.First)
		it.hi, _ = slices.BinarySearch(points, b.Last+1)
		it.width = lifetime(b)
		it.area = area(b)
		memberships += it.hi - it.lo
		los[k], his[k] = it.lo, it.hi
	}
	// Item k's neighbours are the items starting before it ends, less
	// those ending before it starts, less itself.
	slices.Sort(los)
	slices.Sort(his)
	pairs := 0
	for _, it := range items {
		starts, _ := slices.BinarySearch(los, it.hi)
		ends, _ := slices.BinarySearch(his, it.lo+1)
		pairs += starts - ends - 1
	}
	if memberships > maxSearchPairs || pairs > maxSearchPairs {
		return nil, nil, false
	}
	sections := make([][]int32, max(len(points)-1, 0))
	for k := range items {
		it := &items[k]
		for s := it.lo; s < it.hi; s++ {
			sections[s] = append(sections[s], int32(k))
		}
	}
	seen := make([]int, len(items)) // k+1 once j is a neighbour of k
	for k := range items {
		it := &items[k]
		for s := it.lo; s < it.hi; s++ {
			for _, j := range sections[s] {
				if int(j) != k && seen[j] != k+1 {
					seen[j] = k + 1
					it.neighbors = append(it.neighbors, j)
				}
			}
		}
		slices.Sort(it.neighbors)
	}
	return items, sections, true
}

// preorderKey is what a heuristic orders an item by.
type preorderKey struct {
	item         int32
	width, total int64
	area         float64
}

// heuristic orders items for the search: negative if a goes first.
type heuristic func(a, b preorderKey) int

// heuristics are the preorders the search tries in turn, after
// MiniMalloc's "TWA", "TAW" and "WAT": W is lifetime, A area (size times
// lifetime), T the most bytes still to place in any section of the item;
// larger first, ties by input order. On the eleven challenging MiniMalloc
// instances this order, with limits growing fourfold, takes 5.1 million
// nodes to fit all of them in their capacity, against 11.3 million for
// "WAT" first and twofold growth.
func heuristics() []heuristic {
	byWidth := func(a, b preorderKey) int { return cmp.Compare(b.width, a.width) }
	byArea := func(a, b preorderKey) int { return cmp.Compare(b.area, a.area) }
	byTotal := func(a, b preorderKey) int { return cmp.Compare(b.total, a.total) }
	var out []heuristic
	for _, keys := range [][3]func(a, b preorderKey) int{
		{byTotal, byWidth, byArea},
		{byTotal, byArea, byWidth},
		{byWidth, byArea, byTotal},
	} {
		out = append(out, func(a, b preorderKey) int {
			return cmp.Or(keys[0](a, b), keys[1](a, b), keys[2](a, b), cmp.Compare(a.item, b.item))
		})
	}
	return out
}

// limitGrowth is the factor by which the node limit of the search's
// restarts grows each round.
const limitGrowth = 4

// fitsIn searches for a placement of items within capacity, spending at
// most budget nodes. It returns the offsets per item (nil unless found),
// whether the search found a placement, proved there is none (notFound:
// every canonical placement was ruled out) or ran out of budget, and the
// nodes spent.
func fitsIn(items []searchItem, sections [][]int32, capacity int64, budget int) ([]int64, searchResult, int) {
	if len(items) == 0 {
		return []int64{}, found, 0
	}
	s := &searcher{
		items:     items,
		sections:  sections,
		capacity:  capacity,
		rank:      make([]int32, len(items)),
		minOffset: make([]int64, len(items)),
		offset:    make([]int64, len(items)),
		floor:     make([]int64, len(sections)),
		remain:    make([]int64, len(sections)),
		cuts:      make([]int, len(sections)),
		witness:   make([]int32, len(sections)),
		solution:  make([]int64, len(items)),
		all:       make([]int32, len(items)),
	}
	for k := range s.all {
		s.all[k] = int32(k)
	}
	for sec, members := range sections {
		if len(members) > 0 {
			s.witness[sec] = members[0]
		}
	}
	spent := 0
	limit := len(items)
	for spent < budget {
		limit *= limitGrowth
		for _, h := range heuristics() {
			s.reset(h, min(limit, budget-spent))
			result := s.solveApart(s.all, 0, len(s.sections), 0)
			spent += s.nodes
			switch {
			case result == found:
				return s.solution, found, spent
			case result == notFound:
				return nil, notFound, spent
			case spent >= budget:
				return nil, aborted, spent
			}
		}
	}
	return nil, aborted, spent
}

// reset prepares a fresh search with the given preorder and node limit.
func (s *searcher) reset(h heuristic, limit int) {
	s.heuristic, s.limit, s.nodes = h, limit, 0
	clear(s.floor)
	clear(s.remain)
	clear(s.cuts)
	for k := range s.items {
		it := &s.items[k]
		s.offset[k] = -1
		s.minOffset[k] = max(it.fixed, 0)
		for sec := it.lo; sec < it.hi; sec++ {
			s.remain[sec] += it.size
		}
		for sec := it.lo; sec+1 < it.hi; sec++ {
			s.cuts[sec]++
		}
	}
}

// change records a value to restore on backtracking.
type change struct {
	section bool // floor[index] if true, minOffset[index] otherwise
	index   int32
	old     int64
}

// solveApart splits the items of sections [lo, hi) at every section
// boundary no unplaced item spans, and solves each part on its own: with
// the placed items fixed, the parts cannot interact.
func (s *searcher) solveApart(items []int32, lo, hi, depth int) searchResult {
	start := lo
	for b := lo; b < hi; b++ {
		if b+1 < hi && s.cuts[b] > 0 {
			continue
		}
		var part []int32
		for _, k := range items {
			if it := &s.items[k]; s.offset[k] < 0 && it.lo <= b && start < it.hi {
				part = append(part, k)
			}
		}
		if len(part) > 0 {
			saved := s.preorder(part)
			r := s.dfs(part, start, b+1, 0, -1, depth)
			for i, k := range part {
				s.rank[k] = saved[i]
			}
			if r != found {
				return r
			}
		}
		start = b + 1
	}
	return found
}

// preorder sorts part by the current heuristic, with each item's total
// taken over the bytes still to place, and ranks its items accordingly. It
// returns the items' previous ranks, in part's new order.
func (s *searcher) preorder(part []int32) []int32 {
	keys := make([]preorderKey, len(part))
	for i, k := range part {
		it := &s.items[k]
		keys[i] = preorderKey{item: k, width: it.width, area: it.area}
		for sec := it.lo; sec < it.hi; sec++ {
			keys[i].total = max(keys[i].total, s.remain[sec])
		}
	}
	slices.SortFunc(keys, s.heuristic)
	saved := make([]int32, len(part))
	for i, key := range keys {
		part[i] = key.item
		saved[i] = s.rank[key.item]
		s.rank[key.item] = int32(i)
	}
	return saved
}

// dfs extends the current partial placement of items, which live in
// sections [lo, hi) and are listed in preorder. Items placed so far in this
// part lie at or below low, and those at low have a rank below lowRank.
func (s *searcher) dfs(items []int32, lo, hi int, low int64, lowRank int32, depth int) searchResult {
	if depth == len(s.candidates) {
		s.candidates = append(s.candidates, nil)
		s.unplaced = append(s.unplaced, nil)
	}
	// minHeight is the lowest top any unplaced item can have; placing an
	// item at or above it would leave a gap that item fits in. The
	// unplaced items, in preorder, are all the deeper nodes look at.
	minHeight := int64(-1)
	unplaced := s.unplaced[depth][:0]
	for _, k := range items {
		if s.offset[k] < 0 {
			unplaced = append(unplaced, k)
			if h := s.minOffset[k] + s.items[k].size; minHeight < 0 || h < minHeight {
				minHeight = h
			}
		}
	}
	s.unplaced[depth] = unplaced
	if len(unplaced) == 0 {
		return found
	}
	candidates := s.candidates[depth][:0]
	for _, k := range unplaced {
		it := &s.items[k]
		off := s.minOffset[k]
		if off < low || (off == low && s.rank[k] < lowRank) || off >= minHeight ||
			(it.fixed >= 0 && off != it.fixed) || off+it.size > s.capacity ||
			(it.greedy && !s.greedyFits(k, off)) {
			continue
		}
		candidates = append(candidates, k)
	}
	slices.SortStableFunc(candidates, func(a, b int32) int { return cmp.Compare(s.minOffset[a], s.minOffset[b]) })
	s.candidates[depth] = candidates
	for _, k := range candidates {
		if s.nodes >= s.limit {
			return aborted
		}
		s.nodes++
		it := &s.items[k]
		off := s.minOffset[k]
		mark := len(s.undo)
		s.offset[k] = off
		hatless, ok := s.place(k, off)
		result := notFound
		if ok && s.sectionsFit(lo, hi, off) {
			s.solution[k] = off
			split := false
			for sec := it.lo; sec+1 < it.hi; sec++ {
				s.cuts[sec]--
				split = split || s.cuts[sec] == 0
			}
			if split {
				result = s.solveApart(unplaced, lo, hi, depth+1)
			} else {
				result = s.dfs(unplaced, lo, hi, off, s.rank[k], depth+1)
			}
			for sec := it.lo; sec+1 < it.hi; sec++ {
				s.cuts[sec]++
			}
		}
		for i := len(s.undo) - 1; i >= mark; i-- {
			if c := s.undo[i]; c.section {
				s.floor[c.index] = c.old
			} else {
				s.minOffset[c.index] = c.old
			}
		}
		s.undo = s.undo[:mark]
		for sec := it.lo; sec < it.hi; sec++ {
			s.remain[sec] += it.size
		}
		s.offset[k] = -1
		if result != notFound {
			return result
		}
		if hatless {
			break
		}
	}
	return notFound
}

// place updates the state for item k placed at off: its unplaced
// neighbours' minimum offsets, and the floors and remainders of the
// sections. It reports whether k had no unplaced neighbour (hatless) and
// whether every fixed neighbour can still take its offset.
func (s *searcher) place(k int32, off int64) (hatless, ok bool) {
	it := &s.items[k]
	top := off + it.size
	hatless, ok = true, true
	// The sections whose items' minimum offsets rose lie in [from, to).
	// Every such item shares a section with k, so a section of that span
	// holding none lies within k's own span; checking it too is sound, as
	// the check holds for every section at every node.
	from, to := it.hi, it.lo
	for _, n := range it.neighbors {
		if s.offset[n] >= 0 {
			continue
		}
		hatless = false
		if s.minOffset[n] >= top {
			continue
		}
		s.undo = append(s.undo, change{false, n, s.minOffset[n]})
		s.minOffset[n] = top
		if f := s.items[n].fixed; f >= 0 && top > f {
			ok = false
		}
		from, to = min(from, s.items[n].lo), max(to, s.items[n].hi)
	}
	for sec := it.lo; sec < it.hi; sec++ {
		s.undo = append(s.undo, change{true, int32(sec), s.floor[sec]})
		s.floor[sec] = max(s.floor[sec], top)
		s.remain[sec] -= it.size
	}
	// Everything still to place in a section lies at or above the lowest
	// minimum offset of the unplaced items alive there; the section fails
	// if that leaves too little room. One low enough item settles it.
	for sec := from; sec < to && ok; sec++ {
		ok = s.roomFor(sec)
	}
	return hatless, ok
}

// roomFor reports whether some unplaced item of section sec has a minimum
// offset low enough for the section's remainder to fit above it. The item
// that last settled it is tried first, as it usually still does.
func (s *searcher) roomFor(sec int) bool {
	if s.remain[sec] == 0 {
		return true
	}
	room := s.capacity - s.remain[sec]
	if w := s.witness[sec]; s.offset[w] < 0 && s.minOffset[w] <= room {
		return true
	}
	for _, n := range s.sections[sec] {
		if s.offset[n] < 0 && s.minOffset[n] <= room {
			s.witness[sec] = n
			return true
		}
	}
	return false
}

// greedyFits reports whether TFLM's greedy planner would put item k, which
// it places itself, at off: walking the buffers it placed before k (those
// of a lower order) that are alive at a common step with k, in offset
// order, the first gap that holds k must start at off, or, with none, the
// highest end of them must be off. Every neighbour below off is placed by
// now (the search places in offset order) and those above start at or
// past off+size, so the placed ones decide it.
func (s *searcher) greedyFits(k int32, off int64) bool {
	it := &s.items[k]
	below := s.greedyBelow[:0]
	for _, n := range it.neighbors {
		if s.offset[n] >= 0 && s.items[n].order < it.order {
			below = append(below, n)
		}
	}
	slices.SortFunc(below, func(a, b int32) int { return cmp.Compare(s.offset[a], s.offset[b]) })
	s.greedyBelow = below
	var candidate int64
	for _, n := range below {
		if s.offset[n]-candidate >= it.size {
			return candidate == off
		}
		candidate = max(candidate, s.offset[n]+s.items[n].size)
	}
	return candidate == off
}

// sectionsFit is section inference: with everything still to place lying
// at or above low, does every section's remainder fit under the capacity?
func (s *searcher) sectionsFit(lo, hi int, low int64) bool {
	for sec := lo; sec < hi; sec++ {
		if max(s.floor[sec], low)+s.remain[sec] > s.capacity {
			return false
		}
	}
	return true
}

// searchOutcome is what searchPlan learnt: the offsets of the smallest
// plan it found (nil if none beats the incumbent), the largest arena size
// it proved necessary, and the nodes it spent.
type searchOutcome struct {
	offsets []int64
	proven  int64
	nodes   int
}

// searchPlan looks for a plan of buffers smaller than incumbent, spending at
// most budget nodes: up to three quarters on the lower bound, then up to
// half of what is left on each step of a bisection between the bound and
// the best plan found. A capacity the search rules out exhaustively raises
// the proven bound above it. Capacities are multiples of the greatest
// common divisor of the sizes and fixed offsets, as every canonical plan's
// offsets are.
func searchPlan(buffers []Buffer, incumbent, bound int64, budget int) searchOutcome {
	items, sections, ok := searchProblem(buffers)
	if !ok {
		return searchOutcome{proven: bound}
	}
	return searchItems(buffers, items, sections, incumbent, bound, budget)
}

// searchItems is searchPlan on the search's items and sections.
func searchItems(buffers []Buffer, items []searchItem, sections [][]int32, incumbent, bound int64, budget int) searchOutcome {
	out := searchOutcome{proven: bound}
	unit := itemsGCD(items)
	lo, hi := ceilTo(bound, unit), incumbent-1
	out.proven = lo
	for attempt := 0; lo <= hi && budget > 0; attempt++ {
		capacity, share := lo+(hi-lo)/2, budget/2
		if attempt == 0 {
			// The bound is worth most of the budget: reaching it proves
			// the plan optimal.
			capacity, share = lo, budget/4*3
		}
		capacity = max(capacity/unit*unit, lo)
		offsets, result, spent := fitsIn(items, sections, capacity, share)
		budget -= max(spent, 1)
		out.nodes += spent
		if offsets == nil {
			lo = capacity + unit // not necessarily infeasible: the budget may have run out
			if result == notFound {
				out.proven = max(out.proven, lo) // and so is every smaller capacity
			}
			continue
		}
		out.offsets = bufferOffsets(buffers, items, offsets)
		var end int64
		for k, it := range items {
			end = max(end, offsets[k]+it.size)
		}
		hi = end - 1
	}
	return out
}

// itemsGCD is the greatest common divisor of the items' sizes and fixed
// offsets (1 if there are none).
func itemsGCD(items []searchItem) int64 {
	var g int64
	for _, it := range items {
		g = gcd(g, it.size)
		if it.fixed > 0 {
			g = gcd(g, it.fixed)
		}
	}
	return max(g, 1)
}

func gcd(a, b int64) int64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// ceilTo rounds n up to a multiple of unit.
func ceilTo(n, unit int64) int64 { return (n + unit - 1) / unit * unit }

// bufferOffsets turns the offsets of the search's items into offsets of
// buffers: the buffers that are no items (of size 0) take their fixed
// offset, or 0.
func bufferOffsets(buffers []Buffer, items []searchItem, offsets []int64) []int64 {
	out := make([]int64, len(buffers))
	for i := range buffers {
		out[i] = max(buffers[i].Fixed, 0)
	}
	for k, it := range items {
		out[it.id] = offsets[k]
	}
	return out
}
