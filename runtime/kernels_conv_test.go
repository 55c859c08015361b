package runtime

import (
	"math"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// identityRequant passes int64 accumulators through unchanged (multiplier
// 1.0, no offset, no clamping within int32).
func identityRequant(t *testing.T) *requant {
	m, shift := quantizeMultiplier(1)
	r := &requant{multiplier: []int32{m}, shift: []int{shift}, wide: true, actMin: math.MinInt32, actMax: math.MaxInt32}
	require.Equal(t, int32(-12345), r.apply(-12345, 0))
	return r
}

// smallInts returns n random integers in [-8, 8] as int32 and float32;
// float sums of such values are exact, so both kernel flavours must agree.
func smallInts(rng *rand.Rand, n int) ([]int32, []float32) {
	ints, floats := make([]int32, n), make([]float32, n)
	for i := range ints {
		ints[i] = int32(rng.IntN(17) - 8)
		floats[i] = float32(ints[i])
	}
	return ints, floats
}

// fitOutput sizes g's output for the padding and computes the padding.
func fitOutput(t *testing.T, g *windowGeom, same bool) {
	t.Helper()
	g.outH = convOutSize(same, g.inH, g.filterH, g.strideH, g.dilationH)
	g.outW = convOutSize(same, g.inW, g.filterW, g.strideW, g.dilationW)
	require.NoError(t, g.checkConv(g.outC, same))
}

func floatsOf(v []int32) []float32 {
	f := make([]float32, len(v))
	for i, x := range v {
		f[i] = float32(x)
	}
	return f
}

// TestWindowKernelsFloatMatchesQuant runs every windowed kernel's float and
// quantised flavour on the same integer data over geometries with padding,
// strides, dilation, groups and a depth multiplier. The quantised flavours
// are checked bit-exact against TFLM by TestOracle; this carries that
// check over to the float ones, which no shared model exercises.
func TestWindowKernelsFloatMatchesQuant(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	rq := identityRequant(t)
	wide := float32(math.MaxFloat32)
	for _, same := range []bool{false, true} {
		g := windowGeom{batches: 2, inH: 7, inW: 6, inC: 4, outC: 6, filterH: 3, filterW: 2, filterInC: 2,
			strideH: 2, strideW: 1, dilationH: 2, dilationW: 1, depthMultiplier: 1}
		fitOutput(t, &g, same)
		inI, inF := smallInts(rng, g.batches*g.inH*g.inW*g.inC)
		out := g.batches * g.outH * g.outW * g.outC
		bias := []int64{1, -2, 3, -4, 5, -6}
		biasF := []float32{1, -2, 3, -4, 5, -6}

		filterI, filterF := smallInts(rng, g.outC*g.filterH*g.filterW*g.filterInC)
		gotI, gotF := make([]int32, out), make([]float32, out)
		convQuant(&g, inI, filterI, bias, rq, gotI)
		convFloat(&g, inF, filterF, biasF, -wide, wide, gotF)
		require.Equal(t, floatsOf(gotI), gotF, "CONV_2D same=%v", same)

		dw := g
		dw.outC, dw.filterInC, dw.depthMultiplier = 8, 1, 2
		fitOutput(t, &dw, same)
		out = dw.batches * dw.outH * dw.outW * dw.outC
		filterI, filterF = smallInts(rng, dw.filterH*dw.filterW*dw.outC)
		gotI, gotF = make([]int32, out), make([]float32, out)
		depthwiseQuant(&dw, inI, filterI, nil, rq, gotI)
		depthwiseFloat(&dw, inF, filterF, nil, -wide, wide, gotF)
		require.Equal(t, floatsOf(gotI), gotF, "DEPTHWISE_CONV_2D same=%v", same)

		pool := g
		pool.outC, pool.dilationH = g.inC, 1
		fitOutput(t, &pool, same)
		out = pool.batches * pool.outH * pool.outW * pool.outC
		gotI, gotF = make([]int32, out), make([]float32, out)
		maxPoolQuant(&pool, inI, math.MinInt32, math.MinInt32, math.MaxInt32, gotI)
		maxPoolFloat(&pool, inF, -wide, wide, gotF)
		require.Equal(t, floatsOf(gotI), gotF, "MAX_POOL_2D same=%v", same)
	}

	// TRANSPOSE_CONV: a 3x3 input scattered by a 3x3 filter at stride 2
	// into a 6x6 output with SAME padding.
	g := windowGeom{batches: 1, inH: 3, inW: 3, inC: 2, outH: 6, outW: 6, outC: 3, filterH: 3, filterW: 3,
		strideH: 2, strideW: 2, padH: 0, padW: 0, dilationH: 1, dilationW: 1}
	inI, inF := smallInts(rng, g.inH*g.inW*g.inC)
	filterI, filterF := smallInts(rng, g.outC*g.filterH*g.filterW*g.inC)
	gotI, gotF := make([]int32, g.outH*g.outW*g.outC), make([]float32, g.outH*g.outW*g.outC)
	transposeConvQuant(&g, inI, filterI, []int64{1, 2, 3}, rq, gotI)
	transposeConvFloat(&g, inF, filterF, []float32{1, 2, 3}, -wide, wide, gotF)
	require.Equal(t, floatsOf(gotI), gotF, "TRANSPOSE_CONV")
}

// TestConvTapsByHand checks one output of a dilated, padded CONV_2D
// against a hand computation.
func TestConvTapsByHand(t *testing.T) {
	// 1x3x3x1 input 1..9, 2x2 filter of ones with dilation 2, VALID: the
	// single output reads the corners 1+3+7+9.
	g := windowGeom{batches: 1, inH: 3, inW: 3, inC: 1, outC: 1, filterH: 2, filterW: 2, filterInC: 1,
		strideH: 1, strideW: 1, dilationH: 2, dilationW: 2, depthMultiplier: 1}
	fitOutput(t, &g, false)
	require.Equal(t, []int{1, 1}, []int{g.outH, g.outW})
	out := make([]float32, 1)
	convFloat(&g, []float32{1, 2, 3, 4, 5, 6, 7, 8, 9}, []float32{1, 1, 1, 1}, nil, -10, 100, out)
	require.Equal(t, []float32{20}, out)
}

// TestFilterSpan checks the clipped filter range against testing every
// filter position.
func TestFilterSpan(t *testing.T) {
	for origin := -10; origin <= 10; origin++ {
		for size := 0; size <= 6; size++ {
			for filter := 0; filter <= 6; filter++ {
				for dilation := 1; dilation <= 4; dilation++ {
					var want []int
					for f := range filter {
						if p := origin + dilation*f; p >= 0 && p < size {
							want = append(want, f)
						}
					}
					lo, hi := filterSpan(origin, size, filter, dilation)
					var got []int
					for f := lo; f < hi; f++ {
						got = append(got, f)
					}
					assert.Equal(t, want, got, "origin %d size %d filter %d dilation %d", origin, size, filter, dilation)
				}
			}
		}
	}
}
