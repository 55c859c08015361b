package tflmarena

// eventKind is one operation on TFLM's SingleArenaBufferAllocator.
type eventKind int

const (
	// evPersistent: AllocatePersistentBuffer(size, align) from the tail.
	evPersistent eventKind = iota
	// evTemp: AllocateTemp(size, align) above the head.
	evTemp
	// evResetTemp: ResetTempAllocations, the temp section back to the head.
	evResetTemp
	// evResizeHead: ResizeBuffer/ReserveNonPersistentOverlayMemory, the
	// head (at the arena start, 16-aligned) set to size bytes.
	evResizeHead
	// evPlanner: the greedy planner takes all the memory between the temp
	// section and the tail and needs size bytes of it.
	evPlanner
	// evConflicts: byte ranges of earlier persistent and temporary
	// allocations that must not overlap (see conflict).
	evConflicts
)

// conflict is a pair of byte ranges, one in a persistent allocation and
// one in a temporary, that must not overlap: a kernel's Prepare writes the
// persistent bytes and later reads the temporary's (or writes the
// temporary's and later needs the persistent's). TFLM checks neither; a
// persistent allocation may reach into live temporaries anywhere else, so
// whether an arena works depends on where the ranges fall, which is not
// monotonic in the arena size.
type conflict struct {
	// persistent and temp are event indices; the ranges are byte offsets
	// from the start of each allocation, [lo, hi).
	persistent, temp int
	pLo, pHi         int64
	tLo, tHi         int64
}

// event is one arena operation; persistent ones carry their allocation.
type event struct {
	kind      eventKind
	size      int64
	align     int64
	alloc     *Allocation
	conflicts []conflict // evConflicts
}

// arenaRun is the outcome of replaying the events for one arena end
// alignment phase.
type arenaRun struct {
	// need is the smallest arena size of this phase that no check fails
	// for (before rounding it to the phase).
	need int64
	// head and tail are the final non-persistent and persistent bytes.
	head, tail int64
	// used is the bytes each persistent allocation took, padding included.
	used []int64
	// at is, per event, where its allocation starts: a temporary's offset
	// from the arena start, a persistent allocation's distance from the
	// arena end.
	at []int64
	// conflicts are the evConflicts' pairs.
	conflicts []conflict
}

// replay runs the events against an arena whose end address is congruent
// to phase modulo 16 and whose start is 16-byte aligned. Tail offsets are
// counted back from the end, head offsets forward from the start, so the
// alignment of every allocation depends on the phase only; each check TFLM
// makes becomes a lower bound on the arena size.
func replay(events []event, phase int64) arenaRun {
	var tail, head, temp, need int64
	run := arenaRun{used: make([]int64, 0, len(events)), at: make([]int64, len(events))}
	bound := func(n int64) {
		if n > need {
			need = n
		}
	}
	for i, e := range events {
		switch e.kind {
		case evPersistent:
			// AlignPointerDown(tail_ - size, align) with end = phase mod 16.
			pad := mod(phase-tail-e.size, e.align)
			newTail := tail + e.size + pad
			run.used = append(run.used, newTail-tail)
			tail = newTail
			run.at[i] = tail
			bound(head + tail)
		case evTemp:
			start := alignUp(temp, e.align)
			bound(start + e.size + tail)
			temp = start + e.size
			run.at[i] = start
		case evConflicts:
			run.conflicts = append(run.conflicts, e.conflicts...)
		case evResetTemp:
			temp = head
		case evResizeHead:
			bound(e.size + tail)
			head, temp = e.size, e.size
		case evPlanner:
			// GetAvailableMemory: AlignPointerDown(tail_, 16) minus
			// AlignPointerUp(temp_, 16).
			bound(e.size + alignUp(temp, 16) + tail + mod(phase-tail, 16))
		}
	}
	run.need, run.head, run.tail = need, max(head, temp), tail
	return run
}

// clear reports whether no conflict's ranges overlap in an arena of n
// bytes (of the run's phase).
func (r *arenaRun) clear(n int64) bool {
	for _, c := range r.conflicts {
		p := n - r.at[c.persistent]
		t := r.at[c.temp]
		if p+c.pLo < t+c.tHi && t+c.tLo < p+c.pHi {
			return false
		}
	}
	return true
}

// mod is the non-negative remainder of a modulo m.
func mod(a, m int64) int64 {
	r := a % m
	if r < 0 {
		r += m
	}
	return r
}

// minimumArena returns the smallest arena size with which every check
// passes: for each of the 16 phases, the smallest size of that phase that
// meets the phase's bound and whose conflicting ranges do not overlap
// (they move apart as the arena grows by 16, so the search ends).
func minimumArena(events []event) int64 {
	best := int64(-1)
	for phase := range int64(16) {
		run := replay(events, phase)
		n := run.need + mod(phase-run.need, 16)
		for !run.clear(n) {
			n += 16
		}
		if best < 0 || n < best {
			best = n
		}
	}
	return best
}

// ArenaRange is a range of arena sizes, both ends included.
type ArenaRange struct {
	From int64 `json:"from"`
	To   int64 `json:"to"`
}

// failingArenas lists the arena sizes above min (the minimum arena) with
// which some check fails: sizes below their phase's bound (the tail's
// padding differs with the phase) or where a conflict's ranges overlap.
// Beyond the largest bound and the last conflict's reach every size works.
func failingArenas(events []event, min int64) []ArenaRange {
	var runs [16]arenaRun
	limit := min
	for phase := range int64(16) {
		runs[phase] = replay(events, phase)
		limit = max(limit, runs[phase].need)
		for _, c := range runs[phase].conflicts {
			// The persistent range starts at n - at[persistent] and clears
			// the temporary's once that is at least its end.
			r := &runs[phase]
			limit = max(limit, r.at[c.temp]+c.tHi+r.at[c.persistent]-c.pLo)
		}
	}
	var out []ArenaRange
	for n := min + 1; n <= limit; n++ {
		r := &runs[mod(n, 16)]
		if r.need <= n && r.clear(n) {
			continue
		}
		if k := len(out); k > 0 && out[k-1].To == n-1 {
			out[k-1].To = n
		} else {
			out = append(out, ArenaRange{From: n, To: n})
		}
	}
	return out
}
