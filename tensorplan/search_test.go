package tensorplan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bruteForceOptimum is the smallest arena for buffers, found without any
// of the search's reasoning: every packing can be pushed down until no
// online buffer can move lower, and then, taken in offset order, each
// online buffer sits at the lowest offset that is above the earlier ones
// it shares a step with and clear of the fixed buffers it shares a step
// with. So trying every order of the online buffers, each placed that
// way, finds the optimum.
func bruteForceOptimum(buffers []Buffer) int64 {
	var order, fixed []int
	var best int64
	for i := range buffers {
		if buffers[i].Fixed >= 0 {
			fixed = append(fixed, i)
			best = max(best, buffers[i].Fixed+buffers[i].Size)
		} else {
			order = append(order, i)
		}
	}
	floor := best // every order's arena holds the fixed buffers
	n := len(order)
	offsets := make([]int64, len(buffers))
	best = -1
	var permute func(k int)
	permute = func(k int) {
		if k == n {
			end := floor
			for x, i := range order {
				b := &buffers[i]
				offsets[i] = 0
				for _, j := range order[:x] {
					if overlapsInTime(b, &buffers[j]) {
						offsets[i] = max(offsets[i], offsets[j]+buffers[j].Size)
					}
				}
				for moved := true; moved; {
					moved = false
					for _, j := range fixed {
						c := &buffers[j]
						if c.Size > 0 && overlapsInTime(b, c) && offsets[i] < c.Fixed+c.Size && c.Fixed < offsets[i]+b.Size {
							offsets[i], moved = c.Fixed+c.Size, true
						}
					}
				}
				end = max(end, offsets[i]+b.Size)
			}
			if best < 0 || end < best {
				best = end
			}
			return
		}
		for i := k; i < n; i++ {
			order[k], order[i] = order[i], order[k]
			permute(k + 1)
			order[k], order[i] = order[i], order[k]
		}
	}
	permute(0)
	return best
}

// searchOffsets runs the decision search for buffers at capacity with a
// budget large enough for tiny problems, and returns its offsets in input
// order (nil if it found none) and whether it ran out of budget.
func searchOffsets(t *testing.T, buffers []Buffer, capacity int64) ([]int64, bool) {
	t.Helper()
	items, sections, ok := searchProblem(buffers)
	require.True(t, ok)
	const budget = 1_000_000
	found, result, _ := fitsIn(items, sections, capacity, budget)
	if found == nil {
		return nil, result == aborted
	}
	return bufferOffsets(buffers, items, found), false
}

func TestSearchMatchesBruteForceOnTinyInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	aboveBound := 0
	for range 2000 {
		buffers := randomBuffers(r, 1+r.IntN(7), 1+r.IntN(6), r.IntN(2) == 0)
		if fixedBuffersShare(buffers) {
			continue // the search declines these
		}
		optimum := bruteForceOptimum(buffers)

		// The search decides both questions exactly: the buffers fit in
		// the optimum and, when the lower bound does not already say so,
		// do not fit in one byte less.
		offsets, exhausted := searchOffsets(t, buffers, optimum)
		require.False(t, exhausted, "buffers %v", buffers)
		require.NotNil(t, offsets, "no plan in the optimum %d for %v", optimum, buffers)
		require.NoError(t, Validate(buffers, Plan{Offsets: offsets, ArenaSize: optimum}), "buffers %v", buffers)
		if optimum > LowerBound(buffers) {
			aboveBound++
			offsets, exhausted = searchOffsets(t, buffers, optimum-1)
			require.False(t, exhausted, "buffers %v", buffers)
			require.Nil(t, offsets, "a plan below the optimum %d for %v: %v", optimum, buffers, offsets)
		}

		plan := planAndValidate(t, Best{}, buffers)
		assert.Equal(t, optimum, plan.ArenaSize, "buffers %v", buffers)
		assert.True(t, plan.Optimal, "the search proves the optimum of %v", buffers)
		assert.Equal(t, optimum, plan.Bound, "buffers %v", buffers)
	}
	assert.Greater(t, aboveBound, 100, "the instances should include some whose optimum is above the lower bound")
}

func TestSearchPlansAreValidAndDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(9, 10))
	for i := range 150 {
		buffers := randomBuffers(r, 10+r.IntN(50), 2+r.IntN(30), i%2 == 0)
		if fixedBuffersShare(buffers) {
			continue // the search declines these; Best keeps TFLM's plan
		}
		incumbent, err := TFLM{}.Plan(buffers)
		require.NoError(t, err)
		budget := 100 + r.IntN(20_000)
		out := searchPlan(buffers, incumbent.ArenaSize, LowerBound(buffers), budget)
		again := searchPlan(buffers, incumbent.ArenaSize, LowerBound(buffers), budget)
		require.Equal(t, out, again, "the search must be deterministic")
		offsets := out.offsets
		if offsets == nil {
			continue
		}
		plan := Plan{Offsets: offsets, ArenaSize: arenaEnd(buffers, offsets)}
		require.NoError(t, Validate(buffers, plan), "buffers %v", buffers)
		assert.Less(t, plan.ArenaSize, incumbent.ArenaSize, "a plan is returned only when it beats the incumbent")
		assert.GreaterOrEqual(t, plan.ArenaSize, LowerBound(buffers))
	}
}

func TestDefaultBudgetShrinksWithProblemSize(t *testing.T) {
	assert.Equal(t, DefaultNodeBudget, defaultBudget(0))
	assert.Equal(t, DefaultNodeBudget, defaultBudget(budgetScale))
	assert.Equal(t, DefaultNodeBudget/8, defaultBudget(8*budgetScale))
	assert.Equal(t, 3906, defaultBudget(1<<20))
}

// TestBestFitsMiniMallocInCapacity plans the challenging MiniMalloc
// instances that the default budget fits quickly (under a tenth of a second
// each here; BenchmarkMiniMalloc covers all eleven) and checks that each
// plan is valid and fits the capacity in the file name.
func TestBestFitsMiniMallocInCapacity(t *testing.T) {
	for _, name := range []string{"A", "C", "G", "I", "K"} {
		file := name + ".1048576.csv"
		inst := loadMiniMalloc(t, "challenging/"+file)[file]
		capacity, ok := CapacityFromName(file)
		require.True(t, ok)
		plan := planAndValidate(t, Best{}, inst.Buffers)
		assert.LessOrEqual(t, plan.ArenaSize, capacity, file)
	}
}
