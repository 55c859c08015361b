package tflmarena

import (
	"github.com/footprint-dev/footprint/tflite"
)

// Split is TFLM's two-arena form, MicroAllocator::Create(persistent_arena,
// persistent_size, non_persistent_arena, non_persistent_size): the
// persistent allocations (the tail) go to one buffer, the planned head and
// the temporary allocations of setup to another, so each can live in a
// different memory (the head in tightly-coupled RAM, say).
type Split struct {
	// PersistentArenaBytes is the smallest persistent arena with which
	// AllocateTensors() succeeds: the tail, allocated downwards from the
	// arena's end aligned down to 16, rounded up to 16 (for a 16-byte
	// aligned start).
	PersistentArenaBytes int64 `json:"persistent_arena_bytes"`
	// NonPersistentArenaBytes is the smallest non-persistent arena: the
	// head and the room setup needs beyond it (scratch request records,
	// temporary tensors, the planner's 40 bytes per buffer and the
	// AllocationInfo array), for a 16-byte aligned start.
	NonPersistentArenaBytes int64 `json:"non_persistent_arena_bytes"`
}

// EstimateSplitArena models TFLM's arenas for model m on abi in
// MicroAllocator's two-arena form: the same allocations as EstimateArena in
// the same order, but the tail in a persistent arena (which also holds the
// persistent and non-persistent allocator objects instead of the
// single-arena one) and the head with setup's temporary allocations in a
// non-persistent arena, neither bounded by the other. Head, Tail and
// ArenaUsedBytes are what arena_used_bytes() adds up; MinArenaBytes is the
// sum of the two minimums in Split.
func EstimateSplitArena(m *tflite.Model, abi ABI) (*Estimate, error) {
	b := builder{m: m, abi: abi, split: true}
	events, head, err := b.build(false)
	if err != nil {
		return nil, err
	}
	est := b.estimate(events, head)
	est.Split = splitMinimums(events)
	est.MinArenaBytes = est.Split.PersistentArenaBytes + est.Split.NonPersistentArenaBytes
	return est, nil
}

// splitMinimums replays the events against two arenas, each with a 16-byte
// aligned start, and returns the smallest size of each with which no check
// fails. The persistent allocator aligns its end down to 16 before
// allocating from it, so its tail padding is that of a 16-byte aligned end;
// the non-persistent one allocates upwards from its start and hands the
// planner what lies between its temporary allocations, aligned up, and its
// end, aligned down.
func splitMinimums(events []event) *Split {
	var tail, head, temp, need int64
	for _, e := range events {
		switch e.kind {
		case evPersistent:
			tail += e.size + mod(-tail-e.size, e.align)
		case evTemp:
			start := alignUp(temp, e.align)
			temp = start + e.size
			need = max(need, temp)
		case evResetTemp:
			temp = head
		case evResizeHead:
			head, temp = e.size, e.size
			need = max(need, e.size)
		case evPlanner:
			need = max(need, alignUp(alignUp(temp, 16)+e.size, 16))
		}
	}
	return &Split{PersistentArenaBytes: alignUp(tail, 16), NonPersistentArenaBytes: need}
}
