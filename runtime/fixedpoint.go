package runtime

import (
	"math"
	"math/bits"
)

// This file holds the integer arithmetic TFLM's reference kernels are built
// on (gemmlowp's fixed-point helpers and TFLite's quantised multipliers). The
// exact rounding of every step matters: int8 and int16 outputs must equal
// TFLM's bit for bit, so each function mirrors the documented behaviour of
// its TFLM/gemmlowp namesake, including its saturation corner cases.

// saturatingRoundingDoublingHighMul returns round(a*b / 2^31), saturating
// the single overflow case a == b == MinInt32 (ARM's VQRDMULH).
func saturatingRoundingDoublingHighMul(a, b int32) int32 {
	if a == b && a == math.MinInt32 {
		return math.MaxInt32
	}
	ab := int64(a) * int64(b)
	nudge := int64(1 << 30)
	if ab < 0 {
		nudge = 1 - (1 << 30)
	}
	// Go's integer division truncates toward zero, like C's.
	return int32((ab + nudge) / (1 << 31))
}

// roundingDivideByPOT is an arithmetic right shift by exponent (0..31) that
// rounds to nearest, ties away from zero.
func roundingDivideByPOT(x int32, exponent int) int32 {
	mask := int32((int64(1) << exponent) - 1)
	remainder := x & mask
	threshold := mask >> 1
	if x < 0 {
		threshold++
	}
	result := x >> exponent
	if remainder > threshold {
		result++
	}
	return result
}

// multiplyByQuantizedMultiplier scales x by multiplier*2^shift, where the
// multiplier is a Q0.31 fraction, with TFLM's double rounding.
func multiplyByQuantizedMultiplier(x, multiplier int32, shift int) int32 {
	left, right := 0, 0
	if shift > 0 {
		left = shift
	} else {
		right = -shift
	}
	// x * (1 << left) wraps in two's complement on every TFLM target.
	return roundingDivideByPOT(saturatingRoundingDoublingHighMul(x*int32(1<<left), multiplier), right)
}

// multiplyByQuantizedMultiplier64 is the int64-accumulator overload used by
// the 16x8 kernels: it rounds the multiplier to 16 bits first.
func multiplyByQuantizedMultiplier64(x int64, multiplier int32, shift int) int32 {
	reduced := int64(0x7FFF)
	if multiplier < 0x7FFF0000 {
		reduced = (int64(multiplier) + (1 << 15)) >> 16
	}
	total := 15 - shift
	x = x*reduced + int64(1)<<(total-1)
	return int32(x >> total)
}

// multiplyByQuantizedMultiplierGreaterThanOne is the left-shift-only form.
func multiplyByQuantizedMultiplierGreaterThanOne(x, multiplier int32, leftShift int) int32 {
	return saturatingRoundingDoublingHighMul(x*int32(1<<leftShift), multiplier)
}

// quantizeMultiplier splits a real multiplier into a Q0.31 significand and
// a power-of-two exponent, exactly as TFLite's QuantizeMultiplier does with
// frexp and round-half-away-from-zero in double precision.
func quantizeMultiplier(real float64) (multiplier int32, shift int) {
	if real == 0 {
		return 0, 0
	}
	q, exp := math.Frexp(real)
	fixed := int64(math.Round(q * (1 << 31)))
	if fixed == 1<<31 {
		fixed /= 2
		exp++
	}
	if exp < -31 {
		return 0, 0
	}
	return int32(fixed), exp
}

// roundF32 rounds a float32 half away from zero (C's roundf).
func roundF32(x float32) float32 { return float32(math.Round(float64(x))) }

// Fixed-point values below are raw int32s; the comment on each function
// names the Q format (integer bits) of its arguments and result.

// fixedOne returns the raw representation of 1.0 with intBits integer bits
// (the largest value for Q0.31).
func fixedOne(intBits int) int32 {
	if intBits == 0 {
		return math.MaxInt32
	}
	return 1 << (31 - intBits)
}

// saturatingRoundingMultiplyByPOT multiplies x by 2^exponent, saturating
// left shifts and rounding right shifts.
func saturatingRoundingMultiplyByPOT(x int32, exponent int) int32 {
	switch {
	case exponent == 0:
		return x
	case exponent < 0:
		return roundingDivideByPOT(x, -exponent)
	}
	threshold := int32(1<<(31-exponent)) - 1
	switch {
	case x > threshold:
		return math.MaxInt32
	case x < -threshold:
		return math.MinInt32
	}
	return x << exponent
}

// rescale converts a fixed-point value from srcBits to dstBits integer bits.
func rescale(x int32, srcBits, dstBits int) int32 {
	return saturatingRoundingMultiplyByPOT(x, srcBits-dstBits)
}

// roundingHalfSum returns (a+b)/2 rounded to nearest, ties away from zero.
func roundingHalfSum(a, b int32) int32 {
	sum := int64(a) + int64(b)
	sign := int64(1)
	if sum < 0 {
		sign = -1
	}
	return int32((sum + sign) / 2)
}

// expOnIntervalBetweenNegativeOneQuarterAnd0Excl returns exp(a) for a Q0.31
// value a in [-1/4, 0), as a Q0.31 value.
func expOnIntervalBetweenNegativeOneQuarterAnd0Excl(a int32) int32 {
	const constantTerm = 1895147668 // exp(-1/8)
	const oneThird = 715827883
	x := a + 1<<28 // a + 1/8
	x2 := saturatingRoundingDoublingHighMul(x, x)
	x3 := saturatingRoundingDoublingHighMul(x2, x)
	x4 := saturatingRoundingDoublingHighMul(x2, x2)
	x4Over4 := saturatingRoundingMultiplyByPOT(x4, -2)
	poly := saturatingRoundingMultiplyByPOT(
		saturatingRoundingDoublingHighMul(x4Over4+x3, oneThird)+x2, -1)
	return constantTerm + saturatingRoundingDoublingHighMul(constantTerm, x+poly)
}

// expOnNegativeValues returns exp(a) as Q0.31 for a value a <= 0 with
// intBits integer bits (gemmlowp's exp_on_negative_values).
func expOnNegativeValues(a int32, intBits int) int32 {
	fracBits := 31 - intBits
	oneQuarter := int32(1) << (fracBits - 2)
	mask := oneQuarter - 1
	aModQuarterMinusQuarter := (a & mask) - oneQuarter
	result := expOnIntervalBetweenNegativeOneQuarterAnd0Excl(rescale(aModQuarterMinusQuarter, intBits, 0))
	remainder := aModQuarterMinusQuarter - a
	barrel := []struct {
		exponent   int
		multiplier int32 // exp(-2^exponent) in Q0.31
	}{
		{-2, 1672461947}, {-1, 1302514674}, {0, 790015084}, {1, 290630308},
		{2, 39332535}, {3, 720401}, {4, 242},
	}
	for _, b := range barrel {
		if intBits > b.exponent && remainder&(1<<(fracBits+b.exponent)) != 0 {
			result = saturatingRoundingDoublingHighMul(result, b.multiplier)
		}
	}
	if intBits > 5 {
		clamp := -(int32(1) << (36 - intBits)) // -32.0
		if a < clamp {
			result = 0
		}
	}
	if a == 0 {
		result = math.MaxInt32
	}
	return result
}

// twoOverOnePlusX returns 2/(1+a) as Q2.29 for a Q0.31 value a in [0, 1):
// the reciprocal of (1+a)/2 by three Newton-Raphson steps from 48/17 -
// 32/17 times it, as gemmlowp's one_over_one_plus_x_for_x_in_0_1 and
// one_minus_x_over_one_plus_x_for_x_in_0_1 both compute it.
func twoOverOnePlusX(a int32) int32 {
	halfDenominator := roundingHalfSum(a, math.MaxInt32)
	const c48over17 = 1515870810
	const cNeg32over17 = -1010580540
	x := c48over17 + saturatingRoundingDoublingHighMul(halfDenominator, cNeg32over17)
	oneQ2 := fixedOne(2)
	for range 3 {
		hdx := saturatingRoundingDoublingHighMul(halfDenominator, x)
		x += rescale(saturatingRoundingDoublingHighMul(x, oneQ2-hdx), 4, 2)
	}
	return x
}

// oneOverOnePlusXForXIn01 returns 1/(1+a) as Q0.31 for a Q0.31 value a in
// [0, 1).
func oneOverOnePlusXForXIn01(a int32) int32 {
	// ExactMulByPot<-1> turns Q2 into Q1 without changing the raw value.
	return rescale(twoOverOnePlusX(a), 1, 0)
}

// oneMinusXOverOnePlusXForXIn01 returns (1-a)/(1+a) as Q0.31 for a Q0.31
// value a in [0, 1).
func oneMinusXOverOnePlusXForXIn01(a int32) int32 {
	return rescale(twoOverOnePlusX(a)-fixedOne(2), 2, 0)
}

// reciprocal returns 1/x for x with xIntBits integer bits as a Q0.31 value
// scaled by 2^-numBitsOverUnit (TFLite's GetReciprocal).
func reciprocal(x int32, xIntBits int) (scaled int32, numBitsOverUnit int) {
	headroomPlusOne := bits.LeadingZeros32(uint32(x))
	numBitsOverUnit = xIntBits - headroomPlusOne
	shiftedSumMinusOne := int32((uint32(x) << headroomPlusOne) - (uint32(1) << 31))
	return oneOverOnePlusXForXIn01(shiftedSumMinusOne), numBitsOverUnit
}
