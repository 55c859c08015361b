package runtime

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSaturatingRoundingDoublingHighMul(t *testing.T) {
	assert.Equal(t, int32(math.MaxInt32), saturatingRoundingDoublingHighMul(math.MinInt32, math.MinInt32))
	assert.Equal(t, int32(1<<29), saturatingRoundingDoublingHighMul(1<<30, 1<<30))
	assert.Equal(t, int32(-(1 << 29)), saturatingRoundingDoublingHighMul(-(1<<30), 1<<30))
	// 3 * 2^30 / 2^31 = 1.5: the nudge rounds +1.5 up but -1.5 to -1,
	// exactly as ARM's VQRDMULH does.
	assert.Equal(t, int32(2), saturatingRoundingDoublingHighMul(3, 1<<30))
	assert.Equal(t, int32(-1), saturatingRoundingDoublingHighMul(-3, 1<<30))
}

func TestRoundingDivideByPOT(t *testing.T) {
	for _, c := range []struct {
		x    int32
		exp  int
		want int32
	}{
		{5, 1, 3}, {-5, 1, -3}, {4, 1, 2}, {-3, 1, -2}, {-1, 1, -1}, {1, 1, 1}, {7, 0, 7},
		{math.MaxInt32, 31, 1}, {math.MinInt32, 31, -1}, {100, 3, 13}, {-100, 3, -13},
	} {
		assert.Equal(t, c.want, roundingDivideByPOT(c.x, c.exp), "%d >> %d", c.x, c.exp)
	}
}

func TestQuantizeMultiplier(t *testing.T) {
	for _, c := range []struct {
		real  float64
		mult  int32
		shift int
	}{
		{0, 0, 0}, {0.5, 1 << 30, 0}, {1, 1 << 30, 1}, {0.75, 1610612736, 0},
		{math.Ldexp(1, -40), 0, 0}, {3, 1610612736, 2},
		// q*2^31 rounds up to 2^31: the significand halves, the shift grows.
		{math.Nextafter(1, 0), 1 << 30, 1},
	} {
		m, s := quantizeMultiplier(c.real)
		assert.Equal(t, c.mult, m, "multiplier of %g", c.real)
		assert.Equal(t, c.shift, s, "shift of %g", c.real)
	}
}

func TestMultiplyByQuantizedMultiplier(t *testing.T) {
	m, s := quantizeMultiplier(0.25)
	assert.Equal(t, int32(25), multiplyByQuantizedMultiplier(100, m, s))
	assert.Equal(t, int32(-25), multiplyByQuantizedMultiplier(-100, m, s))
	assert.Equal(t, int32(25), multiplyByQuantizedMultiplier64(100, m, s))
	m, s = quantizeMultiplier(3)
	assert.Equal(t, int32(300), multiplyByQuantizedMultiplier(100, m, s))
	assert.Equal(t, int32(300), multiplyByQuantizedMultiplier64(100, m, s))
}

// TestFixedPointFunctions checks gemmlowp's fixed-point approximations
// against float math to within a few units in the last place.
func TestFixedPointFunctions(t *testing.T) {
	q31 := func(v int32) float64 { return float64(v) / (1 << 31) }
	assert.Equal(t, int32(math.MaxInt32), expOnNegativeValues(0, 5))
	for _, x := range []float64{-0.1, -0.25, -1, -2.5, -7, -20} {
		raw := int32(x * (1 << 26)) // Q5.26
		assert.InDelta(t, math.Exp(x), q31(expOnNegativeValues(raw, 5)), 1e-6, "exp(%g)", x)
	}
	for _, x := range []float64{0, 0.1, 0.5, 0.9} {
		assert.InDelta(t, 1/(1+x), q31(oneOverOnePlusXForXIn01(int32(x*(1<<31)))), 1e-6, "1/(1+%g)", x)
		assert.InDelta(t, (1-x)/(1+x), q31(oneMinusXOverOnePlusXForXIn01(int32(x*(1<<31)))), 1e-6, "(1-x)/(1+x) at %g", x)
	}
	assert.Equal(t, int32(1<<30), fixedLogistic(0, 4))
	for _, x := range []float64{-6, -1, 0.5, 3} {
		raw := int32(x * (1 << 27)) // Q4.27
		assert.InDelta(t, 1/(1+math.Exp(-x)), q31(fixedLogistic(raw, 4)), 1e-6, "logistic(%g)", x)
		assert.InDelta(t, math.Tanh(x), q31(fixedTanh(raw, 4)), 1e-6, "tanh(%g)", x)
	}
	r, bits := reciprocal(3<<19, 12) // 3.0 in Q12.19
	assert.InDelta(t, 1.0/3, q31(r)*math.Ldexp(1, -bits), 1e-6)
}
