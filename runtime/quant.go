package runtime

import (
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// requant turns an integer accumulator into an output value the way TFLM's
// quantised kernels finish every dot product: scale by a per-channel (or
// broadcast per-tensor) quantised multiplier, add the output zero point and
// clamp to the fused activation range.
type requant struct {
	multiplier []int32 // one per output channel, or one for the tensor
	shift      []int
	// wide selects the 16x8 path: an int64 accumulator scaled by the
	// multiplier rounded to 16 bits. Otherwise the accumulator wraps to
	// int32, as TFLM's int32 accumulators do.
	wide           bool
	outputOffset   int32
	actMin, actMax int32
}

// apply requantises acc for output channel ch.
func (r *requant) apply(acc int64, ch int) int32 {
	if len(r.multiplier) == 1 {
		ch = 0
	}
	var v int32
	if r.wide {
		v = multiplyByQuantizedMultiplier64(acc, r.multiplier[ch], r.shift[ch])
	} else {
		v = multiplyByQuantizedMultiplier(int32(acc), r.multiplier[ch], r.shift[ch])
	}
	return clamp32(v+r.outputOffset, r.actMin, r.actMax)
}

// checkShifts refuses multipliers TFLM cannot apply: a 16x8 one of 2^7 or
// more (TFLM's int64 MultiplyByQuantizedMultiplier asserts shift < 8, and
// the measured harness, built with assertions, aborts on one), and any
// other beyond checkShift's bound.
func (r *requant) checkShifts() error {
	for _, s := range r.shift {
		if r.wide && s >= 8 {
			return unsupportedf("16x8 requantisation multiplier of at least 2^%d (TFLM asserts it is below 2^7)", s-1)
		}
		if err := checkShift(s); err != nil {
			return err
		}
	}
	return nil
}

// checkShift refuses a multiplier of 2^32 or more for TFLM's int32
// MultiplyByQuantizedMultiplier, which computes 1 << shift in an int:
// undefined from a shift of 32 on (the host's x86 masks the count, a
// Cortex-M's shift gives 0), so TFLM's output would be garbage that
// differs between targets.
func checkShift(shift int) error {
	if shift > 31 {
		return unsupportedf("a multiplier of 2^%d overflows TFLM's shift (1 << %d in an int)", shift-1, shift)
	}
	return nil
}

func clamp32(v, lo, hi int32) int32 { return min(max(v, lo), hi) }

// Fused activation functions, numbered as in the .tflite schema.
const (
	actNone      = 0
	actRelu      = 1
	actReluN1To1 = 2
	actRelu6     = 3
)

// typeRange returns the representable range of an integer tensor type.
func typeRange(t tflite.TensorType) (lo, hi int32) {
	switch t {
	case tflite.Int8:
		return math.MinInt8, math.MaxInt8
	case tflite.Uint8:
		return 0, math.MaxUint8
	case tflite.Int16:
		return math.MinInt16, math.MaxInt16
	}
	return math.MinInt32, math.MaxInt32
}

// quantizeValue is TFLite's Quantize helper for activation bounds:
// zero point plus f/scale rounded in float32.
func quantizeValue(scale float32, zeroPoint int32, f float32) int32 {
	return zeroPoint + int32(roundF32(f/scale))
}

// activationRangeQuantized returns the clamp bounds of a fused activation
// on a quantised output (TFLite's CalculateActivationRangeQuantized).
func activationRangeQuantized(activation int, kind tflite.TensorType, scale float32, zeroPoint int32) (lo, hi int32) {
	lo, hi = typeRange(kind)
	switch activation {
	case actRelu:
		lo = max(lo, quantizeValue(scale, zeroPoint, 0))
	case actRelu6:
		lo = max(lo, quantizeValue(scale, zeroPoint, 0))
		hi = min(hi, quantizeValue(scale, zeroPoint, 6))
	case actReluN1To1:
		lo = max(lo, quantizeValue(scale, zeroPoint, -1))
		hi = min(hi, quantizeValue(scale, zeroPoint, 1))
	}
	return lo, hi
}

// activationRangeFloat returns the clamp bounds of a fused activation on a
// float output.
func activationRangeFloat(activation int) (lo, hi float32) {
	return activationRange[float32](activation, -math.MaxFloat32, math.MaxFloat32)
}

// clampF32 is TFLM's ActivationFunctionWithMinMax on floats,
// std::min(std::max(x, lo), hi): unlike Go's min and max, which order -0
// below +0, it keeps x when x compares equal to a bound, so a -0 stays -0
// under RELU as in TFLM. NaN passes through, as there.
func clampF32(x, lo, hi float32) float32 {
	if x < lo {
		x = lo
	}
	if hi < x {
		x = hi
	}
	return x
}

// maxF32 is C++'s std::max on floats, (a < b) ? b : a: on a tie (-0 and
// +0) it keeps a, and a NaN b is skipped, where Go's max gives +0 or NaN.
func maxF32(a, b float32) float32 {
	if a < b {
		return b
	}
	return a
}

// activationRange returns the clamp bounds of a fused activation on an
// unquantised output whose type spans [lowest, highest] (TFLM's
// CalculateActivationRange).
func activationRange[T int32 | float32](activation int, lowest, highest T) (lo, hi T) {
	switch activation {
	case actRelu:
		return 0, highest
	case actReluN1To1:
		return -1, 1
	case actRelu6:
		return 0, 6
	}
	return lowest, highest
}
