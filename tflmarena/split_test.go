package tflmarena

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// TestEstimateSplitArena checks the two-arena form on every shared model
// and both targets against the single arena it splits: the same head and
// head buffers, the same tail allocations but for the allocator objects,
// a persistent arena that is the tail rounded up to 16 and a
// non-persistent one that holds at least the head.
func TestEstimateSplitArena(t *testing.T) {
	paths, err := filepath.Glob(sharedtest.Path(t, "models", "*.tflite"))
	require.NoError(t, err)
	for _, p := range paths {
		for _, abi := range []ABI{CortexM, Host64} {
			t.Run(abi.Name+"/"+strings.TrimSuffix(filepath.Base(p), ".tflite"), func(t *testing.T) {
				m := loadModel(t, p)
				one, err := EstimateArena(m, abi)
				require.NoError(t, err)
				two, err := EstimateSplitArena(m, abi)
				require.NoError(t, err)
				require.NotNil(t, two.Split)
				assert.Nil(t, one.Split)
				assert.Equal(t, one.Head, two.Head)
				assert.Equal(t, one.HeadBuffers, two.HeadBuffers)
				assert.Equal(t, one.Exact, two.Exact)

				var oneRest, twoRest []Allocation
				for _, a := range one.Allocations {
					if a.What != "SingleArenaBufferAllocator" {
						a.Used = 0
						oneRest = append(oneRest, a)
					}
				}
				var objects []string
				for _, a := range two.Allocations {
					if strings.HasSuffix(a.What, "ArenaBufferAllocator") {
						objects = append(objects, a.What)
						continue
					}
					a.Used = 0
					twoRest = append(twoRest, a)
				}
				assert.Equal(t, []string{"PersistentArenaBufferAllocator", "NonPersistentArenaBufferAllocator"}, objects)
				assert.Equal(t, oneRest, twoRest, "the same allocations in the same order")

				s := two.Split
				assert.Equal(t, alignUp(two.Tail, 16), s.PersistentArenaBytes)
				assert.GreaterOrEqual(t, s.NonPersistentArenaBytes, two.Head)
				assert.Equal(t, s.PersistentArenaBytes+s.NonPersistentArenaBytes, two.MinArenaBytes)
				assert.Equal(t, two.Head+two.Tail, two.ArenaUsedBytes)
			})
		}
	}
}

// TestSplitMinimums works one replay by hand: a persistent allocation
// whose alignment pads the tail, temporary allocations, the head and the
// planner's room.
func TestSplitMinimums(t *testing.T) {
	events := []event{
		{kind: evPersistent, size: 36, align: 4},
		{kind: evPersistent, size: 10, align: 16}, // end-46 aligned down: tail 48
		{kind: evResizeHead, size: 48},
		{kind: evTemp, size: 100, align: 16}, // 48..148
		{kind: evTemp, size: 8, align: 4},    // 148..156
		{kind: evPlanner, size: 120},         // 160 + 120 = 280 -> 288
		{kind: evResetTemp},
		{kind: evResizeHead, size: 0},
		{kind: evResizeHead, size: 256},
	}
	s := splitMinimums(events)
	assert.Equal(t, &Split{PersistentArenaBytes: 48, NonPersistentArenaBytes: 288}, s)
}
