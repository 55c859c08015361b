package overview

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// checkTreemap asserts Squarify's contract for values in bounds: every
// positive value gets an area proportional to it, every rectangle lies
// inside bounds, no two overlap, and together they cover bounds.
func checkTreemap(t *testing.T, values []float64, bounds Rect) []Rect {
	t.Helper()
	rects := Squarify(values, bounds)
	require.Len(t, rects, len(values))
	var total float64
	for _, v := range values {
		if v > 0 {
			total += v
		}
	}
	tol := 1e-6 * bounds.Area()
	var covered float64
	for i, r := range rects {
		require.False(t, math.IsNaN(r.X+r.Y+r.W+r.H), "rect %d is NaN: %+v", i, r)
		assert.GreaterOrEqual(t, r.W, 0.0, "rect %d", i)
		assert.GreaterOrEqual(t, r.H, 0.0, "rect %d", i)
		assert.GreaterOrEqual(t, r.X, bounds.X-1e-9, "rect %d", i)
		assert.GreaterOrEqual(t, r.Y, bounds.Y-1e-9, "rect %d", i)
		assert.LessOrEqual(t, r.X+r.W, bounds.X+bounds.W+1e-9, "rect %d", i)
		assert.LessOrEqual(t, r.Y+r.H, bounds.Y+bounds.H+1e-9, "rect %d", i)
		want := 0.0
		if values[i] > 0 {
			want = values[i] / total * bounds.Area()
		}
		assert.InDelta(t, want, r.Area(), tol, "area of rect %d (value %g)", i, values[i])
		covered += r.Area()
	}
	if total > 0 {
		assert.InDelta(t, bounds.Area(), covered, tol, "the rectangles cover the bounds")
	}
	for i := range rects {
		for j := i + 1; j < len(rects); j++ {
			assert.LessOrEqual(t, overlap(rects[i], rects[j]), tol, "rects %d and %d overlap: %+v %+v", i, j, rects[i], rects[j])
		}
	}
	return rects
}

// overlap is the area two rectangles share.
func overlap(a, b Rect) float64 {
	w := min(a.X+a.W, b.X+b.W) - max(a.X, b.X)
	h := min(a.Y+a.H, b.Y+b.H) - max(a.Y, b.Y)
	if w <= 0 || h <= 0 {
		return 0
	}
	return w * h
}

func TestSquarifyPaperExample(t *testing.T) {
	// The example of Bruls et al.: values 6 6 4 3 2 2 1 in a 6x4 rectangle.
	// The first row is the two 6s stacked in a 3x4 column on the left.
	values := []float64{6, 6, 4, 3, 2, 2, 1}
	rects := checkTreemap(t, values, Rect{W: 6, H: 4})
	assert.InDelta(t, 3, rects[0].W, 1e-9)
	assert.InDelta(t, 2, rects[0].H, 1e-9)
	assert.InDelta(t, 3, rects[1].W, 1e-9)
	assert.InDelta(t, 2, rects[1].Y, 1e-9)
	// 4 and 3 form the next row along the top of the 3x4 space left.
	assert.InDelta(t, 3, rects[2].X, 1e-9)
	assert.InDelta(t, rects[2].H, rects[3].H, 1e-9)
	for i, r := range rects {
		ratio := max(r.W/r.H, r.H/r.W)
		assert.Less(t, ratio, 3.0, "rect %d is squarish: %+v", i, r)
	}
}

func TestSquarifyEdgeCases(t *testing.T) {
	bounds := Rect{X: 10, Y: 20, W: 300, H: 100}
	assert.Empty(t, Squarify(nil, bounds))
	rects := checkTreemap(t, []float64{5}, bounds)
	assert.Equal(t, bounds, rects[0])
	rects = checkTreemap(t, []float64{0, 3, -1, math.NaN(), 1}, bounds)
	assert.Zero(t, rects[0].Area())
	assert.Zero(t, rects[2].Area())
	assert.Zero(t, rects[3].Area())
	for _, r := range Squarify([]float64{1, 2}, Rect{W: 0, H: 10}) {
		assert.Zero(t, r.Area())
	}
	for _, r := range Squarify([]float64{0, 0}, bounds) {
		assert.Zero(t, r.Area())
	}
}

// TestSquarifyProperties checks the contract on random inputs: skewed
// distributions like a firmware's (a few huge values, a long tail) and
// flat ones, in wide, tall and square bounds.
func TestSquarifyProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 300 {
		n := 1 + rng.IntN(60)
		values := make([]float64, n)
		for i := range values {
			switch trial % 3 {
			case 0:
				values[i] = math.Exp(rng.Float64() * 12) // spans 5 orders of magnitude
			case 1:
				values[i] = 1 + rng.Float64()
			default:
				values[i] = float64(rng.IntN(4)) // zeros and ties
			}
		}
		bounds := Rect{X: rng.Float64() * 50, Y: rng.Float64() * 50, W: 1 + rng.Float64()*1000, H: 1 + rng.Float64()*1000}
		checkTreemap(t, values, bounds)
	}
}

func FuzzSquarify(f *testing.F) {
	f.Add(6.0, 6.0, 4.0, 3.0, 2.0, 6.0, 4.0)
	f.Add(1e9, 1.0, 0.0, 1e-9, 5.0, 1000.0, 1.0)
	f.Fuzz(func(t *testing.T, a, b, c, d, e, w, h float64) {
		for _, v := range []float64{a, b, c, d, e, w, h} {
			if math.IsInf(v, 0) || math.IsNaN(v) || math.Abs(v) > 1e12 || (v != 0 && math.Abs(v) < 1e-12) {
				t.Skip("outside the range a byte count or a pixel size can take")
			}
		}
		if w <= 0 || h <= 0 {
			t.Skip("empty bounds")
		}
		checkTreemap(t, []float64{a, b, c, d, e}, Rect{W: w, H: h})
	})
}
