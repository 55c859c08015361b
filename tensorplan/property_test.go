package tensorplan

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomBuffers returns n buffers with random sizes and lifetimes over
// steps; about one in eight is fixed at a random offset when withFixed.
func randomBuffers(r *rand.Rand, n, steps int, withFixed bool) []Buffer {
	buffers := make([]Buffer, n)
	for i := range buffers {
		first := r.IntN(steps)
		buffers[i] = Buffer{
			Size:  16 * r.Int64N(64),
			First: first,
			Last:  first + r.IntN(steps-first),
			Fixed: Online,
		}
		if withFixed && r.IntN(8) == 0 {
			buffers[i].Fixed = 16 * r.Int64N(64)
		}
	}
	return buffers
}

// bruteForceValid is Validate's definition checked pair by pair.
func bruteForceValid(buffers []Buffer, plan Plan) bool {
	for i, b := range buffers {
		off := plan.Offsets[i]
		if off < 0 || off+b.Size > plan.ArenaSize || (b.Fixed >= 0 && off != b.Fixed) {
			return false
		}
		for j := i + 1; j < len(buffers); j++ {
			c := buffers[j]
			if b.Fixed >= 0 && c.Fixed >= 0 {
				continue
			}
			timeOverlap := b.First <= c.Last && c.First <= b.Last
			memOverlap := b.Size > 0 && c.Size > 0 && off < plan.Offsets[j]+c.Size && plan.Offsets[j] < off+b.Size
			if timeOverlap && memOverlap {
				return false
			}
		}
	}
	return true
}

func TestValidateAgreesWithBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	invalid := 0
	for range 2000 {
		buffers := randomBuffers(r, 1+r.IntN(12), 1+r.IntN(10), r.IntN(2) == 0)
		plan := Plan{Offsets: make([]int64, len(buffers)), ArenaSize: 16 * r.Int64N(200)}
		for i, b := range buffers {
			plan.Offsets[i] = 16 * r.Int64N(64)
			if b.Fixed >= 0 && r.IntN(4) != 0 {
				plan.Offsets[i] = b.Fixed
			}
		}
		want := bruteForceValid(buffers, plan)
		err := Validate(buffers, plan)
		require.Equal(t, want, err == nil, "buffers %v plan %v: Validate says %v", buffers, plan, err)
		if !want {
			invalid++
		}
	}
	assert.Greater(t, invalid, 100, "the random plans should exercise invalid cases")
}

func TestPlannersOnRandomInstances(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 300 {
		buffers := randomBuffers(r, r.IntN(40), 1+r.IntN(20), i%3 == 0)
		bound := LowerBound(buffers)
		plans := map[string]Plan{}
		for _, p := range []Planner{Linear{}, TFLM{}, Best{NodeBudget: 2000}} {
			plan, err := p.Plan(buffers)
			require.NoError(t, err)
			require.NoError(t, Validate(buffers, plan), "%s on %v", p.Name(), buffers)
			require.GreaterOrEqual(t, plan.ArenaSize, bound, p.Name())
			plans[p.Name()] = plan
		}
		assert.LessOrEqual(t, plans["best"].ArenaSize, plans["tflm"].ArenaSize)
		again, err := Best{NodeBudget: 2000}.Plan(buffers)
		require.NoError(t, err)
		assert.Equal(t, plans["best"], again, "best must be deterministic")
	}
}

// perfectPacking cuts a capacity x steps rectangle into n buffers by random
// guillotine cuts, so the buffers fit exactly in capacity bytes and the
// optimum equals the lower bound.
func perfectPacking(r *rand.Rand, capacity int64, steps, n int) []Buffer {
	type rect struct {
		off, size   int64
		first, last int
	}
	rects := []rect{{0, capacity, 0, steps - 1}}
	for len(rects) < n {
		k := r.IntN(len(rects))
		c := rects[k]
		switch {
		case r.IntN(2) == 0 && c.size >= 32:
			cut := 16 * (1 + r.Int64N(c.size/16-1))
			rects[k] = rect{c.off, cut, c.first, c.last}
			rects = append(rects, rect{c.off + cut, c.size - cut, c.first, c.last})
		case c.last > c.first:
			cut := c.first + r.IntN(c.last-c.first)
			rects[k] = rect{c.off, c.size, c.first, cut}
			rects = append(rects, rect{c.off, c.size, cut + 1, c.last})
		}
	}
	buffers := make([]Buffer, len(rects))
	for i, c := range rects {
		buffers[i] = online(c.size, c.first, c.last)
	}
	r.Shuffle(len(buffers), func(i, j int) { buffers[i], buffers[j] = buffers[j], buffers[i] })
	return buffers
}

func TestBestReachesBoundOnPerfectPackings(t *testing.T) {
	r := rand.New(rand.NewPCG(5, 6))
	for i := range 200 {
		capacity := 16 * (8 + r.Int64N(64))
		buffers := perfectPacking(r, capacity, 4+r.IntN(12), 4+r.IntN(12))
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			require.Equal(t, capacity, LowerBound(buffers))
			plan := planAndValidate(t, Best{}, buffers)
			assert.Equal(t, capacity, plan.ArenaSize, "buffers %v", buffers)
		})
	}
}
