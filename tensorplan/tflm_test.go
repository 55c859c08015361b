package tensorplan

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// online builds an online buffer, as TFLM's AddBuffer(size, first, last).
func online(size int64, first, last int) Buffer {
	return Buffer{Size: size, First: first, Last: last, Fixed: Online}
}

// The cases below are tflite-micro's greedy_memory_planner_test.cc, with
// the offsets and totals it asserts.

func TestTFLMGreedyBasics(t *testing.T) {
	buffers := []Buffer{online(10, 0, 1), online(20, 2, 3)}
	plan := planAndValidate(t, TFLM{}, buffers)
	assert.Equal(t, []int64{0, 0}, plan.Offsets)
	assert.Equal(t, int64(20), plan.ArenaSize)
}

func TestTFLMGreedyMedium(t *testing.T) {
	buffers := []Buffer{online(10, 0, 1), online(20, 1, 2), online(30, 2, 3), online(40, 3, 4), online(50, 0, 1)}
	plan := planAndValidate(t, TFLM{}, buffers)
	assert.Equal(t, []int64{50, 70, 40, 0, 0}, plan.Offsets)
	assert.Equal(t, int64(90), plan.ArenaSize)
}

func TestTFLMPersonDetectionModel(t *testing.T) {
	// Buffer sizes and lifetimes of the 250 KB MobileNet person detector.
	buffers := []Buffer{
		online(9216, 0, 29), online(3, 28, 29), online(256, 27, 28), online(2304, 26, 27),
		online(2304, 25, 26), online(2304, 24, 25), online(1152, 23, 24), online(4608, 22, 23),
		online(4608, 21, 22), online(4608, 20, 21), online(4608, 19, 20), online(4608, 18, 19),
		online(4608, 17, 18), online(4608, 16, 17), online(4608, 15, 16), online(4608, 14, 15),
		online(4608, 13, 14), online(4608, 12, 13), online(2304, 11, 12), online(9216, 10, 11),
		online(9216, 9, 10), online(9216, 8, 9), online(4608, 7, 8), online(18432, 6, 7),
		online(18432, 5, 6), online(18432, 4, 5), online(9216, 3, 4), online(36864, 2, 3),
		online(18432, 1, 2), online(18432, 0, 1),
	}
	plan := planAndValidate(t, TFLM{}, buffers)
	// TFLM asserts only that the plan beats the 241,027-byte sum.
	assert.Less(t, plan.ArenaSize, int64(241027))
	best := planAndValidate(t, Best{}, buffers)
	assert.Equal(t, LowerBound(buffers), best.ArenaSize)
}

func TestTFLMOverlapCase(t *testing.T) {
	buffers := []Buffer{online(100, 0, 1), online(50, 2, 3), online(20, 1, 2)}
	plan := planAndValidate(t, TFLM{}, buffers)
	assert.Equal(t, int64(120), plan.ArenaSize)
}

// TestTFLMEqualSizesReverseOrder checks TFLM's tie-breaking: its sort array
// is filled from the tail, so equal sizes are placed last-added first. The
// case is micro_allocator_test.cc's TestAllocationForModelsWithBranches:
// four 48-byte tensors t0..t3 with lifetimes 0-2, 1-3, 2-3 and 3-3, which
// TFLM places at 0, 96, 48 and 0.
func TestTFLMEqualSizesReverseOrder(t *testing.T) {
	buffers := []Buffer{online(48, 0, 2), online(48, 1, 3), online(48, 2, 3), online(48, 3, 3)}
	plan := planAndValidate(t, TFLM{}, buffers)
	assert.Equal(t, []int64{0, 96, 48, 0}, plan.Offsets)
}

// TestTFLMOfflineOnline is micro_allocator_test.cc's OfflinePlannerOfflineOnline:
// t0, t1 and t3 fixed at 0, 48 and 0; t2 and t4 planned online at 96 and 48.
func TestTFLMOfflineOnline(t *testing.T) {
	fixed := func(off int64, first, last int) Buffer { return Buffer{Size: 48, First: first, Last: last, Fixed: off} }
	buffers := []Buffer{fixed(0, 0, 1), fixed(48, 0, 1), online(48, 1, 2), fixed(0, 2, 2), online(48, 2, 2)}
	plan := planAndValidate(t, TFLM{}, buffers)
	assert.Equal(t, []int64{0, 48, 96, 0, 48}, plan.Offsets)
}

// planAndValidate plans buffers with p and checks the plan with Validate.
func planAndValidate(t *testing.T, p Planner, buffers []Buffer) Plan {
	t.Helper()
	plan, err := p.Plan(buffers)
	require.NoError(t, err)
	require.NoError(t, Validate(buffers, plan))
	return plan
}
