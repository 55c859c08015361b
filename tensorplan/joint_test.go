package tensorplan

import (
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// jointInstance is six tensors around three scratch buffers of one
// operator (step 1) on which neither TFLM's plan nor Best's plan of all
// nine buffers, once their tensor offsets are written as an offline plan,
// makes TFLM's greedy planner put the scratch buffers where the plan has
// them: Best packs all nine in the bound, 3536 bytes, but TFLM then places
// the scratch buffers elsewhere and needs 3984.
func jointInstance() (tensors, scratch []Buffer) {
	tensors = []Buffer{{672, 2, 2, -1}, {912, 2, 2, -1}, {352, 2, 2, -1}, {304, 1, 2, -1}, {704, 0, 2, -1}, {592, 0, 2, -1}}
	scratch = []Buffer{{576, 1, 1, -1}, {464, 1, 1, -1}, {448, 1, 1, -1}}
	return tensors, scratch
}

func TestPlanJointReachesBoundTFLMHonours(t *testing.T) {
	tensors, scratch := jointInstance()
	all := slices.Concat(tensors, scratch)
	bound := LowerBound(all)
	require.Equal(t, int64(3536), bound)

	tflm := planAndValidate(t, TFLM{}, all)
	assert.Equal(t, int64(3632), tflm.ArenaSize, "TFLM's greedy plan misses the bound")
	packed := planAndValidate(t, Best{}, all)
	require.Equal(t, bound, packed.ArenaSize, "the nine buffers pack in the bound")
	written, err := greedyScratch(tensors, scratch, packed.Offsets[:len(tensors)])
	require.NoError(t, err)
	assert.Equal(t, int64(3984), written.Head, "but TFLM does not put the scratch buffers where that plan has them")

	jp, err := Best{}.PlanJoint(tensors, scratch)
	require.NoError(t, err)
	assert.Equal(t, bound, jp.Head)
	assert.Equal(t, bound, jp.Bound)
	assert.True(t, jp.Optimal)
	again, err := greedyScratch(tensors, scratch, jp.Tensors)
	require.NoError(t, err)
	assert.Equal(t, jp.Scratch, again.Scratch, "TFLM puts the scratch buffers where the joint plan says")
	assert.Equal(t, jp.Head, again.Head)
}

// TestGreedySearchReproducesTFLM runs the search with the scratch buffers
// marked as TFLM's: every plan it finds is the one TFLM's greedy planner
// makes of the scratch buffers around its tensor offsets.
func TestGreedySearchReproducesTFLM(t *testing.T) {
	check := func(tensors, scratch []Buffer, capacity int64) bool {
		all := slices.Concat(tensors, scratch)
		items, sections, ok := searchProblem(all)
		require.True(t, ok)
		markGreedy(all, items, len(tensors))
		offsets, _, _ := fitsIn(items, sections, capacity, 200_000)
		if offsets == nil {
			return false
		}
		planned := bufferOffsets(all, items, offsets)
		require.NoError(t, Validate(all, Plan{Offsets: planned, ArenaSize: capacity}))
		jp, err := greedyScratch(tensors, scratch, planned[:len(tensors)])
		require.NoError(t, err)
		require.Equal(t, planned[len(tensors):], jp.Scratch, "tensors %v scratch %v", tensors, scratch)
		return true
	}
	tensors, scratch := jointInstance()
	assert.True(t, check(tensors, scratch, 3536))

	r := rand.New(rand.NewPCG(21, 22))
	foundAny := 0
	for range 500 {
		tensors, scratch := randomJoint(r)
		if check(tensors, scratch, LowerBound(slices.Concat(tensors, scratch))) {
			foundAny++
		}
	}
	assert.Greater(t, foundAny, 400)
}

// randomJoint draws a few tensors and one-step scratch buffers.
func randomJoint(r *rand.Rand) (tensors, scratch []Buffer) {
	steps := 3 + r.IntN(8)
	tensors = randomBuffers(r, 3+r.IntN(10), steps, false)
	for range 1 + r.IntN(4) {
		s := r.IntN(steps)
		scratch = append(scratch, Buffer{Size: 16 * (1 + r.Int64N(60)), First: s, Last: s, Fixed: Online})
	}
	return tensors, scratch
}

func TestPlanJointRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(23, 24))
	optimal := 0
	const n = 500
	for range n {
		tensors, scratch := randomJoint(r)
		all := slices.Concat(tensors, scratch)
		jp, err := Best{}.PlanJoint(tensors, scratch)
		require.NoError(t, err)
		require.Len(t, jp.Tensors, len(tensors))
		require.Len(t, jp.Scratch, len(scratch))
		require.NoError(t, Validate(all, Plan{Offsets: slices.Concat(jp.Tensors, jp.Scratch), ArenaSize: jp.Head}))
		again, err := greedyScratch(tensors, scratch, jp.Tensors)
		require.NoError(t, err)
		require.Equal(t, jp.Scratch, again.Scratch)
		require.Equal(t, jp.Head, again.Head)
		require.Equal(t, LowerBound(all), jp.Bound)
		require.GreaterOrEqual(t, jp.Head, jp.Bound)
		require.Equal(t, jp.Head == jp.Bound, jp.Optimal)
		// Never worse than writing TFLM's own offsets or Best's plan of
		// the tensors alone.
		tflm := planAndValidate(t, TFLM{}, all)
		viaTFLM, err := greedyScratch(tensors, scratch, tflm.Offsets[:len(tensors)])
		require.NoError(t, err)
		require.LessOrEqual(t, jp.Head, viaTFLM.Head)
		if jp.Optimal {
			optimal++
		}
	}
	assert.Greater(t, optimal, n*95/100, "almost every plan reaches the joint bound")
}

func TestPlanJointRejectsFixedScratch(t *testing.T) {
	_, err := Best{}.PlanJoint([]Buffer{{16, 0, 0, Online}}, []Buffer{{16, 0, 0, 32}})
	assert.ErrorContains(t, err, "TFLM places scratch buffers itself")
	_, err = Best{}.PlanJoint([]Buffer{{-16, 0, 0, Online}}, nil)
	assert.ErrorContains(t, err, "negative size")
}
