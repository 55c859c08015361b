package runtime

// Elementwise math: ABS, NEG, SIN, COS, LOG, EXP, SQRT, RSQRT, SQUARE,
// FLOOR, CEIL, ROUND, LOGICAL_NOT and SQUARED_DIFFERENCE, with the types
// and checks of TFLM's elementwise.cc, exp.cc, neg.cc, floor.cc, ceil.cc,
// round.cc and squared_difference.cc.
//
// The float32 functions are the C library's float functions (sinf, expf,
// ...). Go has only float64 ones; the float64 result rounded to float32 is
// the correctly rounded value, which glibc's float functions return for
// the differential cases' inputs; a C library whose float functions are
// not correctly rounded (newlib's on a Cortex-M) can differ in the last
// bit.

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// unaryIO checks TFLM's GenericPrepare: one input, one output of the same
// type and element count.
func (n *node) unaryIO() (input, output *tensorInfo, err error) {
	if len(n.inputs) != 1 || len(n.outputs) != 1 {
		return nil, nil, fmt.Errorf("takes 1 input and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	input, output, err = n.elementwiseIO()
	if err != nil {
		return nil, nil, err
	}
	if input.kind != output.kind {
		return nil, nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
	}
	return input, output, nil
}

// buildFloatMath prepares an operator TFLM runs on float32 only, mapping
// each element with f.
func buildFloatMath(f func(float32) float32) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		input, output, err := n.unaryIO()
		if err != nil {
			return nil, err
		}
		if input.kind != tflite.Float32 {
			return nil, unsupportedf("Input data type %v is not supported (float32 only)", input.kind)
		}
		return unaryFloats(input, output, func(in, out []float32) {
			for i, v := range in {
				out[i] = f(v)
			}
		}), nil
	}
}

// float32 versions of the C library's float functions.
func sinF32(x float32) float32  { return float32(math.Sin(float64(x))) }
func cosF32(x float32) float32  { return float32(math.Cos(float64(x))) }
func logF32(x float32) float32  { return float32(math.Log(float64(x))) }
func expF32(x float32) float32  { return float32(math.Exp(float64(x))) }
func sqrtF32(x float32) float32 { return float32(math.Sqrt(float64(x))) }

// roundHalfEven is TFLite's RoundToNearest: ties go to the even integer.
func roundHalfEven(x float32) float32 {
	f := floorF32(x)
	diff := x - f
	if diff < 0.5 || (diff == 0.5 && int32(f)%2 == 0) {
		return f
	}
	return f + 1
}

// mathKernels maps the float-only elementwise operators to their
// functions.
func mathKernels() map[string]kernelBuilder {
	return map[string]kernelBuilder{
		"SIN":    buildFloatMath(sinF32),
		"COS":    buildFloatMath(cosF32),
		"LOG":    buildFloatMath(logF32),
		"SQRT":   buildFloatMath(sqrtF32),
		"SQUARE": buildFloatMath(func(x float32) float32 { return x * x }),
		"EXP":    buildFloatMath(expF32),
		"CEIL":   buildFloatMath(ceilF32),
		"ROUND":  buildFloatMath(roundHalfEven),
		// NEG and FLOOR have no Prepare in TFLM; their Eval takes float32
		// only.
		"NEG":   buildFloatMath(func(x float32) float32 { return -x }),
		"FLOOR": buildFloatMath(floorF32),
	}
}

// buildLogicalNot prepares LOGICAL_NOT of a BOOL tensor.
func buildLogicalNot(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	if input.kind != tflite.Bool {
		return nil, unsupportedf("Input data type %v is not supported (bool only)", input.kind)
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for i, b := range in {
			if b == 0 {
				out[i] = 1
			} else {
				out[i] = 0
			}
		}
	}, nil
}

// quantPair returns the per-tensor scale and zero point of a quantised
// input and output, failing as TFLM's PrepareAbsRsqrt does when either
// lacks them.
func quantPair(input, output *tensorInfo) error {
	if !input.quantized || !output.quantized {
		return fmt.Errorf("quantised %v needs scales and zero points on input and output", input.kind)
	}
	return nil
}

// buildAbs prepares ABS: float32, quantised int8, and int16 quantised
// (zero points 0) or plain.
func buildAbs(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	switch {
	case input.kind == tflite.Float32:
		return unaryFloats(input, output, func(in, out []float32) {
			for i, v := range in {
				out[i] = float32(math.Abs(float64(v)))
			}
		}), nil
	case input.kind == tflite.Int16 && !input.quantized:
		return unaryInts(input, output, func(in, out []int32) {
			for i, v := range in {
				out[i] = int32(int16(max(v, -v)))
			}
		}), nil
	case input.kind == tflite.Int8 || input.kind == tflite.Int16:
	default:
		return nil, unsupportedf("Input data type %v is not supported", input.kind)
	}
	if err := quantPair(input, output); err != nil {
		return nil, err
	}
	if input.kind == tflite.Int16 && (input.zeroPoint != 0 || output.zeroPoint != 0) {
		return nil, fmt.Errorf("int16 zero points %d and %d must be 0", input.zeroPoint, output.zeroPoint)
	}
	lo, hi := typeRange(input.kind)
	rescale := input.scale != output.scale
	// TFLM divides the scales in float32.
	mult, shift := quantizeMultiplier(float64(input.scale / output.scale))
	if err := checkShift(shift); err != nil {
		return nil, err
	}
	return unaryInts(input, output, func(in, out []int32) {
		for i, v := range in {
			d := v - input.zeroPoint
			d = max(d, -d)
			if rescale {
				d = multiplyByQuantizedMultiplier(d, mult, shift)
			}
			out[i] = clamp32(d+output.zeroPoint, lo, hi)
		}
	}), nil
}

// buildRsqrt prepares RSQRT: float32 as 1/sqrtf(x), int8 and int16
// through TFLite's fixed-point inverse square root. (TFLM's Prepare means
// to refuse int16, but its type check casts the type to a function pointer
// and passes every type; its Eval has an int16 path.) A quantised input
// below the zero point fails the run ("Rsqrt is only defined for positive
// values").
func buildRsqrt(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	switch input.kind {
	case tflite.Float32:
		return unaryFloats(input, output, func(in, out []float32) {
			for i, v := range in {
				out[i] = 1 / sqrtF32(v)
			}
		}), nil
	case tflite.Int8, tflite.Int16:
	default:
		return nil, unsupportedf("Input data type %v is not supported (float32, int8 and int16 only)", input.kind)
	}
	if err := quantPair(input, output); err != nil {
		return nil, err
	}
	if input.kind == tflite.Int16 && (input.zeroPoint != 0 || output.zeroPoint != 0) {
		return nil, fmt.Errorf("int16 zero points %d and %d must be 0", input.zeroPoint, output.zeroPoint)
	}
	// 1 / (sqrtf(input scale) * output scale), the product in float32.
	mult, shift := quantizeMultiplier(1 / float64(float32(sqrtF32(input.scale)*output.scale)))
	lo, hi := typeRange(input.kind)
	const kShift = 20
	var inBuf, outBuf []int32
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeInts(outBuf, output.elems)
		for i, v := range inBuf {
			if v < input.zeroPoint {
				n.runFail(fmt.Errorf("Rsqrt is only defined for positive values: element %d is %d, below the zero point %d", i, v, input.zeroPoint))
				return
			}
			x := v - input.zeroPoint
			if x == 0 {
				outBuf[i] = hi
				continue
			}
			invMult, invShift := invSqrtQuantizedMultiplierExp(x, -1)
			data := multiplyByQuantizedMultiplier(1, invMult, invShift+kShift)
			outBuf[i] = clamp32(multiplyByQuantizedMultiplier(data, mult, shift-kShift)+output.zeroPoint, lo, hi)
		}
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// invSqrtQuantizedMultiplierExp is TFLite's GetInvSqrtQuantizedMultiplierExp:
// 1/sqrt(input) as a Q0.31 multiplier and a shift (times reverseShift),
// by five Newton-Raphson steps in gemmlowp's Q3.28.
func invSqrtQuantizedMultiplierExp(input int32, reverseShift int) (int32, int) {
	if input <= 1 {
		return math.MaxInt32, 0
	}
	shift := 11
	for input >= 1<<29 {
		input /= 4
		shift++
	}
	pairs := (bits.LeadingZeros32(uint32(input))-1)/2 - 1
	shift -= pairs
	input <<= 2 * pairs
	half := roundingDivideByPOT(input>>1, 1)
	const halfThree = 1<<28 + 1<<27
	x := int32(1 << 28) // 1 in Q3.28
	for range 5 {
		// x*x*x is Q9.22; Rescale<3> shifts it left by 6, saturating.
		x3 := saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(saturatingRoundingDoublingHighMul(x, x), x), 6)
		// Both products are Q6.25: their difference rescaled to Q3.28.
		x = saturatingRoundingMultiplyByPOT(saturatingRoundingDoublingHighMul(halfThree, x)-saturatingRoundingDoublingHighMul(half, x3), 3)
	}
	x = saturatingRoundingDoublingHighMul(x, 1518500250) // times sqrt(2)/2 in Q0.31
	if shift < 0 {
		x <<= -shift
		shift = 0
	}
	return x, shift * reverseShift
}

// buildSquaredDifference prepares SQUARED_DIFFERENCE: (a-b)^2 for float32
// and int32, and for int8 and int16 with TFLM's rescaling to a common
// scale, with broadcasting.
func buildSquaredDifference(n *node) (func([][]byte), error) {
	if len(n.inputs) != 2 || len(n.outputs) != 1 {
		return nil, fmt.Errorf("takes 2 inputs and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	op, err := n.binaryOperands()
	if err != nil {
		return nil, err
	}
	a, b, output := op.a, op.b, op.output
	switch output.kind {
	case tflite.Float32:
		if len(output.shape) > 4 && !slices.Equal(a.shape, b.shape) {
			return nil, unsupportedf("broadcast of rank %d (at most 4)", len(output.shape))
		}
		return op.floats(func(x, y float32) float32 { d := x - y; return d * d }), nil
	case tflite.Int32:
		if len(output.shape) > 4 && !slices.Equal(a.shape, b.shape) {
			return nil, unsupportedf("broadcast of rank %d (at most 4)", len(output.shape))
		}
		return op.ints(func(x, y int32) int32 { d := x - y; return d * d }), nil
	case tflite.Int8, tflite.Int16:
	default:
		return nil, unsupportedf("SquaredDifference only supports FLOAT32, INT32, INT16 and INT8, got %v", output.kind)
	}
	if len(output.shape) > 4 && !slices.Equal(a.shape, b.shape) {
		return nil, unsupportedf("broadcast of rank %d (at most 4)", len(output.shape))
	}
	leftShift := 7
	lo, hi := typeRange(output.kind)
	if output.kind == tflite.Int16 {
		leftShift = 0
		if a.zeroPoint != 0 || b.zeroPoint != 0 || output.zeroPoint != 0 {
			return nil, fmt.Errorf("int16 zero points must be 0")
		}
	} else {
		for _, t := range []*tensorInfo{a, b, output} {
			if t.zeroPoint < lo || t.zeroPoint > hi {
				return nil, fmt.Errorf("int8 zero point %d out of range", t.zeroPoint)
			}
		}
	}
	twiceMax := 2 * float64(max(a.scale, b.scale))
	if twiceMax <= 0 || output.scale <= 0 {
		// QuantizeMultiplierSmallerThanOneExp aborts TFLM.
		return nil, fmt.Errorf("scales %g, %g and %g must be positive", a.scale, b.scale, output.scale)
	}
	m1, s1 := quantizeMultiplier(float64(a.scale) / twiceMax)
	m2, s2 := quantizeMultiplier(float64(b.scale) / twiceMax)
	// (1 << 2*left_shift) * output scale is formed in float32.
	mo, so := quantizeMultiplier(twiceMax * twiceMax / float64(float32(int32(1)<<(2*leftShift))*output.scale))
	if err := checkShift(so); err != nil {
		return nil, err
	}
	off1, off2, offOut := -a.zeroPoint, -b.zeroPoint, output.zeroPoint
	return op.ints(func(x, y int32) int32 {
		sx := multiplyByQuantizedMultiplier((off1+x)*(1<<leftShift), m1, s1)
		sy := multiplyByQuantizedMultiplier((off2+y)*(1<<leftShift), m2, s2)
		d := sx - sy
		return clamp32(multiplyByQuantizedMultiplier(d*d, mo, so)+offOut, lo, hi)
	}), nil
}

// buildFloorDivMod prepares FLOOR_DIV (mod false) or FLOOR_MOD of float32
// tensors, broadcasting up to 4-D: floor(a/b) with the quotient in double,
// and fmod adjusted to take the divisor's sign. FLOOR_DIV by a zero element
// fails the run, as in TFLM.
func buildFloorDivMod(mod bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		if len(n.inputs) != 2 || len(n.outputs) != 1 {
			return nil, fmt.Errorf("takes 2 inputs and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
		}
		op, err := n.binaryOperands()
		if err != nil {
			return nil, err
		}
		if op.a.kind != tflite.Float32 {
			return nil, unsupportedf("Type '%v' is not supported (float32 only)", op.a.kind)
		}
		if !slices.Equal(op.a.shape, op.b.shape) && len(op.output.shape) > 4 {
			return nil, unsupportedf("broadcast of rank %d (at most 4)", len(op.output.shape))
		}
		if mod {
			return op.floats(func(x, y float32) float32 {
				m := float32(math.Mod(float64(x), float64(y)))
				if m != 0 && (y < 0) != (m < 0) {
					return m + y
				}
				return m
			}), nil
		}
		eval := op.floats(func(x, y float32) float32 { return float32(math.Floor(float64(x) / float64(y))) })
		var den []float32
		return func(mem [][]byte) {
			den = op.b.floats(mem, den)
			if slices.Contains(den, 0) {
				n.runFail(fmt.Errorf("Division by 0"))
				return
			}
			eval(mem)
		}, nil
	}
}
