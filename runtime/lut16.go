package runtime

import (
	"fmt"
	"math"
)

// This file holds TFLM's int16 sigmoid and tanh: linear interpolation in a
// 256-entry table of the sigmoid, used by the int16 LOGISTIC and TANH
// kernels and by the gates of the integer LSTM.

// sigmoidTable returns the 256-entry table TFLM's int16 sigmoid and tanh
// interpolate (sigmoid_table_uint16 in TFLite's internal/common.h).
//
// Entry i is the sigmoid at i/24 in Q0.16, f(i) with
// f(x) = 65536/(1+e^(-x/24)), corrected for the kernels' linear
// interpolation between neighbouring entries: on [0, 10.6] the curve is
// concave, so its chords lie below it. Subtracting half the chord's error
// at the midpoint, (f(i)+f(i+1))/2 - f(i+1/2) (a negative number), splits
// the interpolation error evenly above and below the curve. The result is
// rounded to nearest (floor of x+1/2); the last entry is 0xFFFF, the
// largest value that fits. All arithmetic is float64.
func sigmoidTable() *[256]uint16 {
	f := func(x float64) float64 { return 65536 / (1 + math.Exp(-x/24)) }
	var t [256]uint16
	for i := range 255 {
		x := float64(i)
		midpointError := (f(x)+f(x+1))/2 - f(x+0.5)
		t[i] = uint16(math.Floor(f(x) - midpointError/2 + 0.5))
	}
	t[255] = math.MaxUint16
	return &t
}

// int16Sigmoid evaluates TFLM's int16 sigmoid or tanh
// (reference_integer_ops::Logistic and Tanh for int16): the input is
// rescaled by multiplier/2^rightShift to units of 1/(3*4096), then the
// table is interpolated at its absolute value with 9 fraction bits for the
// sigmoid (24 entries per unit) and with 8 for tanh, which reads the
// sigmoid at twice its argument (tanh(x) = 2*sigmoid(2x)-1). The output is
// Q0.15.
type int16Sigmoid struct {
	table      *[256]uint16
	multiplier int32
	rightShift int
}

// newInt16Sigmoid takes TFLM's (input_multiplier, input_left_shift) pair:
// a zero multiplier marks a power-of-two input scale, which the kernels
// turn into multiplier 3<<shift with no shift.
func newInt16Sigmoid(table *[256]uint16, multiplier int32, shift int) int16Sigmoid {
	if multiplier == 0 {
		multiplier, shift = 3<<shift, 0
	}
	return int16Sigmoid{table: table, multiplier: multiplier, rightShift: shift}
}

// scaled is the rescaled input and its absolute value.
func (s *int16Sigmoid) scaled(v int32) (x int32, abs uint32) {
	var round int32
	if s.rightShift > 0 {
		round = 1 << (s.rightShift - 1)
	}
	x = (v*s.multiplier + round) >> s.rightShift
	abs = uint32(x)
	if x < 0 {
		abs = uint32(-x)
	}
	return x, abs
}

// interpolate returns the table's value at abs/2^fracBits with fracBits
// more fraction bits, saturated beyond the table's end to sat.
func (s *int16Sigmoid) interpolate(abs uint32, fracBits int, sat uint32) uint32 {
	i := abs >> fracBits
	if i >= 255 {
		return sat
	}
	lo, hi := uint32(s.table[i]), uint32(s.table[i+1])
	return lo<<fracBits + (abs&(1<<fracBits-1))*(hi-lo)
}

// logistic writes sigmoid(in) to out (they may be the same slice).
func (s *int16Sigmoid) logistic(in, out []int32) {
	for i, v := range in {
		x, abs := s.scaled(v)
		r := s.interpolate(abs, 9, 0x7FFF<<10)
		if x >= 0 {
			r += 1 << 9
		} else {
			r = 1<<25 - r + 1<<9 - 1
		}
		out[i] = int32(int16(r >> 10))
	}
}

// tanh writes tanh(in) to out (they may be the same slice).
func (s *int16Sigmoid) tanh(in, out []int32) {
	for i, v := range in {
		x, abs := s.scaled(v)
		r := int32(s.interpolate(abs, 8, 0xFFFF<<8))
		if x >= 0 {
			r = r - 1<<23 + 1<<7
		} else {
			r = -r + 1<<23 + 1<<7 - 1
		}
		out[i] = int32(int16(r >> 8))
	}
}

// checkedLog2 is TFLite's CheckedLog2: log2(x) rounded to an integer,
// computed in float32, and whether x is within 1e-3 (in log2) of that
// power of two.
func checkedLog2(x float32) (int, bool) {
	log2 := float32(math.Log(float64(x))) * (1 / float32(math.Log(2)))
	rounded := roundF32(log2)
	return int(rounded), math.Abs(float64(log2-rounded)) < 1e-3
}

// int16SigmoidParams is how TFLM's Prepare of the int16 LOGISTIC (tanh
// false) and TANH choose the input multiplier and shift: zero points 0,
// output scale 2^-15; an input scale of exactly 2^-12 (or 2^-11 for tanh)
// needs no multiplier, any other is rescaled to 1/(3*4096) by a multiplier
// of at most 15 bits.
func int16SigmoidParams(input, output *tensorInfo, tanh bool) (multiplier int32, shift int, err error) {
	if !(input.scale > 0) {
		return 0, 0, fmt.Errorf("input scale %g is not positive", input.scale)
	}
	if input.zeroPoint != 0 || output.zeroPoint != 0 {
		return 0, 0, unsupportedf("int16 zero points %d, %d (must be 0)", input.zeroPoint, output.zeroPoint)
	}
	if p, pot := checkedLog2(output.scale); !pot || p != -15 {
		return 0, 0, unsupportedf("int16 output scale %g (must be 2^-15)", output.scale)
	}
	p, pot := checkedLog2(input.scale)
	shift = 12 + p
	if pot && (shift == 0 || (tanh && shift == 1)) {
		return 0, shift, nil
	}
	m := float64(input.scale) * 4096 * 3
	shift = 0
	for m <= 32767.0/2 && shift <= 30 {
		shift++
		m *= 2
	}
	if m > math.MaxInt16 {
		return 0, 0, unsupportedf("int16 input scale %g too large", input.scale)
	}
	if m < 1 {
		// A multiplier of 0 would read as a power-of-two scale.
		return 0, 0, unsupportedf("int16 input scale %g too small", input.scale)
	}
	return int32(m), shift, nil
}

// buildInt16Sigmoid prepares the int16 LOGISTIC (tanh false) or TANH.
func buildInt16Sigmoid(input, output *tensorInfo, tanh bool) (func([][]byte), error) {
	mult, shift, err := int16SigmoidParams(input, output, tanh)
	if err != nil {
		return nil, err
	}
	s := newInt16Sigmoid(sigmoidTable(), mult, shift)
	if tanh {
		return unaryInts(input, output, s.tanh), nil
	}
	return unaryInts(input, output, s.logistic), nil
}
