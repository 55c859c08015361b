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
)

// event is one arena operation; persistent ones carry their allocation.
type event struct {
	kind  eventKind
	size  int64
	align int64
	alloc *Allocation
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
}

// replay runs the events against an arena whose end address is congruent
// to phase modulo 16 and whose start is 16-byte aligned. Tail offsets are
// counted back from the end, head offsets forward from the start, so the
// alignment of every allocation depends on the phase only; each check TFLM
// makes becomes a lower bound on the arena size.
func replay(events []event, phase int64) arenaRun {
	var tail, head, temp, need int64
	run := arenaRun{used: make([]int64, 0, len(events))}
	bound := func(n int64) {
		if n > need {
			need = n
		}
	}
	for _, e := range events {
		switch e.kind {
		case evPersistent:
			// AlignPointerDown(tail_ - size, align) with end = phase mod 16.
			pad := mod(phase-tail-e.size, e.align)
			newTail := tail + e.size + pad
			run.used = append(run.used, newTail-tail)
			tail = newTail
			bound(head + tail)
		case evTemp:
			start := alignUp(temp, e.align)
			bound(start + e.size + tail)
			temp = start + e.size
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
// meets the phase's bound.
func minimumArena(events []event) int64 {
	best := int64(-1)
	for phase := range int64(16) {
		need := replay(events, phase).need
		n := need + mod(phase-need, 16)
		if best < 0 || n < best {
			best = n
		}
	}
	return best
}
