package runtime

// Activation operators: RELU, RELU6, LEAKY_RELU, PRELU, LOGISTIC, TANH,
// SOFTMAX.

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// buildLeakyRelu prepares LEAKY_RELU.
func buildLeakyRelu(n *node) (func([][]byte), error) {
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	alpha := n.leakyReluAlpha()
	if input.kind == tflite.Float32 && output.kind == tflite.Float32 {
		return unaryFloats(input, output, func(in, out []float32) {
			for i, v := range in {
				if v > 0 {
					out[i] = v
				} else {
					out[i] = v * alpha
				}
			}
		}), nil
	}
	if (input.kind != tflite.Int8 && input.kind != tflite.Int16) || output.kind != input.kind {
		return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
	}
	p := &leakyReluQuant{inputOffset: input.zeroPoint, outputOffset: output.zeroPoint}
	// TFLM forms both ratios in float32 before widening them.
	p.alphaMult, p.alphaShift = quantizeMultiplier(float64(input.scale * alpha / output.scale))
	p.identityMult, p.identityShift = quantizeMultiplier(float64(input.scale / output.scale))
	for _, s := range []int{p.alphaShift, p.identityShift} {
		if err := checkShift(s); err != nil {
			return nil, err
		}
	}
	p.lo, p.hi = typeRange(output.kind)
	return unaryInts(input, output, p.apply), nil
}

// buildRelu prepares RELU (six=false) or RELU6.
func buildRelu(six bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		input, output, err := n.elementwiseIO()
		if err != nil {
			return nil, err
		}
		if input.kind == tflite.Float32 && output.kind == tflite.Float32 {
			return unaryFloats(input, output, func(in, out []float32) {
				hi := float32(math.Inf(1))
				if six {
					hi = 6
				}
				for i, v := range in {
					out[i] = clampF32(v, 0, hi) // TFLM's ReluFloat keeps -0
				}
			}), nil
		}
		if (input.kind != tflite.Int8 && input.kind != tflite.Int16) || output.kind != input.kind {
			return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
		}
		if !six && input.kind == tflite.Int16 && (input.zeroPoint != 0 || output.zeroPoint != 0) {
			return nil, unsupportedf("int16 zero points %d -> %d (TFLM wants 0)", input.zeroPoint, output.zeroPoint)
		}
		typeLo, typeHi := typeRange(input.kind)
		if six {
			// RELU6 clamps in the input's quantisation, without rescaling.
			zero := input.zeroPoint
			sixQ := clamp32(int32(math.Round(float64(float32(6)/input.scale)))+input.zeroPoint, typeLo, typeHi)
			return unaryInts(input, output, func(in, out []int32) {
				for i, v := range in {
					out[i] = clamp32(v, zero, sixQ)
				}
			}), nil
		}
		mult, shift := quantizeMultiplier(float64(input.scale / output.scale))
		if err := checkShift(shift); err != nil {
			return nil, err
		}
		lo := max(typeLo, output.zeroPoint)
		return unaryInts(input, output, func(in, out []int32) {
			for i, v := range in {
				o := output.zeroPoint + multiplyByQuantizedMultiplier(v-input.zeroPoint, mult, shift)
				out[i] = clamp32(o, lo, typeHi)
			}
		}), nil
	}
}

// buildSoftmax prepares SOFTMAX over the last dimension.
func buildSoftmax(n *node) (func([][]byte), error) {
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	beta := n.softmaxBeta()
	if len(input.shape) == 0 || input.shape[len(input.shape)-1] == 0 {
		return nil, unsupportedf("input shape %v not supported", input.shape)
	}
	depth := input.shape[len(input.shape)-1]
	if input.kind == tflite.Float32 && output.kind == tflite.Float32 {
		return unaryFloats(input, output, func(in, out []float32) { softmaxFloat(depth, beta, in, out) }), nil
	}
	if input.kind == tflite.Int16 && output.kind == tflite.Int16 {
		if depth > 1<<16 {
			// The row's sum of exps, each up to 2^15, must fit an int32.
			return nil, unsupportedf("int16 rows of %d elements (at most 65536)", depth)
		}
		p, err := newSoftmaxInt16(input, output, beta)
		if err != nil {
			return nil, err
		}
		return unaryInts(input, output, func(in, out []int32) { p.apply(depth, in, out) }), nil
	}
	if input.kind != tflite.Int8 || (output.kind != tflite.Int8 && output.kind != tflite.Int16) {
		return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
	}
	p := &softmaxQuant{outBits: 8}
	p.outLo, p.outHi = typeRange(output.kind)
	// The kernel writes probabilities in units of 2^-outBits from the type's
	// lowest value, so the output's quantisation must be exactly that
	// (TFLM's CalculateSoftmaxParams refuses any other).
	if output.kind == tflite.Int16 {
		p.outBits = 16
		const want = 1.0 / 65536
		if d := output.scale - want; output.zeroPoint != -32768 || d > want*0.001 || -d > want*0.001 {
			return nil, unsupportedf("int16 output scale %g, zero point %d (must be 2^-16, -32768)", output.scale, output.zeroPoint)
		}
	} else if output.zeroPoint != -128 || output.scale != 1.0/256 {
		return nil, unsupportedf("int8 output scale %g, zero point %d (must be 2^-8, -128)", output.scale, output.zeroPoint)
	}
	// TFLite's PreprocessSoftmaxScaling with 5 integer bits.
	real := min(float64(beta)*float64(input.scale)*float64(int64(1)<<(31-softmaxScaledDiffIntBits)), float64(int64(1)<<31-1))
	var shift int
	p.inputMult, shift = quantizeMultiplier(real)
	if shift < 0 {
		// TFLM's QuantizeMultiplierGreaterThanOne refuses it too.
		return nil, unsupportedf("beta %g times input scale %g is too small", beta, input.scale)
	}
	p.inputLeftShift = shift
	// CalculateInputRadius: the largest scaled difference that stays in range.
	radius := math.Floor(float64((int64(1)<<softmaxScaledDiffIntBits)-1) * float64(int64(1)<<(31-softmaxScaledDiffIntBits)) / float64(int64(1)<<shift))
	p.diffMin = -int32(radius)
	return unaryInts(input, output, func(in, out []int32) { p.apply(depth, in, out) }), nil
}

// buildSigmoid prepares LOGISTIC (tanh false) or TANH, for int8, int16 or
// float32.
func buildSigmoid(tanh bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		input, output, err := n.elementwiseIO()
		if err != nil {
			return nil, err
		}
		if input.kind == tflite.Float32 && output.kind == tflite.Float32 {
			f := sigmoidFloat
			if tanh {
				f = tanhFloat
			}
			return unaryFloats(input, output, func(in, out []float32) {
				copy(out, in)
				f(out)
			}), nil
		}
		if input.kind == tflite.Int16 && output.kind == tflite.Int16 {
			return buildInt16Sigmoid(input, output, tanh)
		}
		if input.kind != tflite.Int8 || output.kind != tflite.Int8 {
			return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
		}
		if !tanh && output.zeroPoint != math.MinInt8 {
			// LogisticPrepare's one check on the int8 output (its scale is
			// taken to be 1/256 unchecked).
			return nil, unsupportedf("int8 output zero point %d (TFLM wants -128)", output.zeroPoint)
		}
		p := &sigmoidInt8{tanh: tanh, inputZeroPoint: input.zeroPoint}
		p.inputMult, p.inputLeftShift, p.radius = q4Input(input.scale)
		return unaryInts(input, output, p.apply), nil
	}
}

// q4Input computes how TFLM's int8 LOGISTIC and TANH rescale their input
// to Q4.27: the multiplier, its left shift, and the input radius (in input
// units from the zero point) beyond which the output saturates.
func q4Input(scale float32) (mult int32, leftShift int, radius int32) {
	const intBits = 4
	q, shift := math.Frexp(float64(scale) * float64(int64(1)<<(31-intBits)))
	mult = int32(int64(math.Round(q * (1 << 31))))
	r := math.Floor(float64((int64(1)<<intBits)-1) * float64(int64(1)<<(31-intBits)) / math.Ldexp(1, shift))
	return mult, shift, int32(r)
}

// buildPrelu prepares PRELU: x for x >= 0, alpha*x below, with alpha
// broadcast against the input (TFLM's PreluPrepare and
// BroadcastPrelu4DSlow): float32, int8 with int8 alpha, int16 with int8
// alpha.
func buildPrelu(n *node) (func([][]byte), error) {
	op, err := n.preluOperands()
	if err != nil {
		return nil, err
	}
	input, alpha, output := op.a, op.b, op.output
	switch {
	case input.kind == tflite.Float32 && alpha.kind == tflite.Float32 && output.kind == tflite.Float32:
		if len(output.shape) > 4 {
			return nil, unsupportedf("float32 PRELU of rank %d (at most 4)", len(output.shape))
		}
		return op.floats(func(x, a float32) float32 {
			if x >= 0 {
				return x
			}
			return x * a
		}), nil
	case (input.kind == tflite.Int8 || input.kind == tflite.Int16) && output.kind == input.kind && alpha.kind == tflite.Int8:
	default:
		return nil, unsupportedf("types %v, alpha %v -> %v not supported", input.kind, alpha.kind, output.kind)
	}
	mult1, shift1 := quantizeMultiplier(float64(input.scale) / float64(output.scale))
	mult2, shift2 := quantizeMultiplier(float64(input.scale) * float64(alpha.scale) / float64(output.scale))
	for _, s := range []int{shift1, shift2} {
		if err := checkShift(s); err != nil {
			return nil, err
		}
	}
	lo, hi := typeRange(output.kind)
	inOff, alphaOff, outOff := -input.zeroPoint, -alpha.zeroPoint, output.zeroPoint
	// ints decodes each operand as its own type (int16 input, int8 alpha).
	return op.ints(func(x, a int32) int32 {
		v := inOff + x
		if v >= 0 {
			v = multiplyByQuantizedMultiplier(v, mult1, shift1)
		} else {
			v = multiplyByQuantizedMultiplier(v*(alphaOff+a), mult2, shift2)
		}
		return clamp32(v+outOff, lo, hi)
	}), nil
}

// buildElu prepares ELU: x for x >= 0 and expm1(x) below in float32, and
// for int8 TFLM's 256-entry table of exp(x)-1 built in float32
// (PopulateLookupTable).
func buildElu(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	switch input.kind {
	case tflite.Float32:
		return unaryFloats(input, output, func(in, out []float32) {
			for i, v := range in {
				if v < 0 {
					v = float32(math.Expm1(float64(v)))
				}
				out[i] = v
			}
		}), nil
	case tflite.Int8:
	default:
		return nil, unsupportedf("ELU only supports float32 and int8, got %v", input.kind)
	}
	var table [256]int32
	inverse := 1 / output.scale
	for v := int32(math.MinInt8); v <= math.MaxInt8; v++ {
		x := input.scale * float32(v-input.zeroPoint)
		if x < 0 {
			x = float32(math.Exp(float64(x))) - 1
		}
		q := int32(roundF32(x*inverse) + float32(output.zeroPoint))
		table[uint8(int8(v))] = clamp32(q, math.MinInt8, math.MaxInt8)
	}
	return unaryInts(input, output, func(in, out []int32) {
		for i, v := range in {
			out[i] = table[uint8(int8(v))]
		}
	}), nil
}

// buildLogSoftmax prepares LOG_SOFTMAX over the last dimension: float32
// as x - max - log(sum of exp(x - max)) with the C library's expf and logf
// (see ops_math.go), and int8 with TFLite's fixed-point exp and log
// (LogSoftmaxQuantized), whose output TFLM requires at scale 16/256 and
// zero point 127.
func buildLogSoftmax(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	if !slices.Equal(input.shape, output.shape) {
		return nil, fmt.Errorf("input %v and output %v differ", input.shape, output.shape)
	}
	if len(input.shape) == 0 || input.shape[len(input.shape)-1] == 0 {
		return nil, fmt.Errorf("input shape %v has no last dimension to normalise", input.shape)
	}
	depth := input.shape[len(input.shape)-1]
	switch input.kind {
	case tflite.Float32:
		return unaryFloats(input, output, func(in, out []float32) {
			for start := 0; start+depth <= len(in); start += depth {
				row := in[start : start+depth]
				m := float32(-math.MaxFloat32)
				for _, v := range row {
					if m < v {
						m = v
					}
				}
				var sum float32
				for _, v := range row {
					sum += expF32(v - m)
				}
				logSum := logF32(sum)
				for c, v := range row {
					out[start+c] = v - m - logSum
				}
			}
		}), nil
	case tflite.Int8:
	default:
		return nil, unsupportedf("LOG_SOFTMAX only supports float32 and int8, got %v", input.kind)
	}
	if output.scale != 16.0/256 || output.zeroPoint != 127 {
		return nil, fmt.Errorf("int8 output scale %g, zero point %d (must be 16/256, 127)", output.scale, output.zeroPoint)
	}
	// PreprocessLogSoftmaxScalingExp with beta 1 and 5 integer bits.
	real := min(float64(input.scale)*float64(int64(1)<<(31-softmaxScaledDiffIntBits)), float64(int64(1)<<31-1))
	inMult, inShift := quantizeMultiplier(real)
	if inShift <= 0 {
		return nil, unsupportedf("input scale %g is too small", input.scale)
	}
	revDiv, revShift := quantizeMultiplier(float64(int64(1)<<(31-inShift)) / float64(inMult))
	if revShift > 0 || revDiv == 0 {
		return nil, unsupportedf("input scale %g gives a reverse scaling divisor of 1 or more", input.scale)
	}
	radius := math.Floor(float64((int64(1)<<softmaxScaledDiffIntBits)-1) * float64(int64(1)<<(31-softmaxScaledDiffIntBits)) / float64(int64(1)<<inShift))
	diffMin := -int32(radius)
	return unaryInts(input, output, func(in, out []int32) {
		for start := 0; start+depth <= len(in); start += depth {
			row := in[start : start+depth]
			maxInRow := int32(math.MinInt8)
			for _, v := range row {
				maxInRow = max(maxInRow, v)
			}
			var sumQ12 int32
			for _, v := range row {
				if d := v - maxInRow; d >= diffMin {
					q5 := multiplyByQuantizedMultiplier(d, inMult, inShift)
					sumQ12 += rescale(expOnNegativeValues(q5, softmaxScaledDiffIntBits), 0, softmaxAccumIntBits)
				}
			}
			logSumQ5 := logXForXGE1(sumQ12, softmaxAccumIntBits, softmaxScaledDiffIntBits)
			adjusted := max(diffMin-1, multiplyByQuantizedMultiplier(logSumQ5+math.MinInt32, revDiv, revShift))
			for c, v := range row {
				d := v - maxInRow
				if d <= adjusted {
					out[start+c] = math.MinInt8
					continue
				}
				q5 := multiplyByQuantizedMultiplier(d, inMult, inShift)
				o := roundingDivideByPOT(q5-logSumQ5, 31-softmaxScaledDiffIntBits-4) + math.MaxInt8
				out[start+c] = clamp32(o, math.MinInt8, math.MaxInt8)
			}
		}
	}), nil
}

// logXForXGE1 is TFLite's log_x_for_x_greater_than_or_equal_to_1: the
// natural log of x (inBits integer bits, x >= 1) with outBits integer
// bits, by a rational approximation of log2 on a normalised mantissa.
func logXForXGE1(x int32, inBits, outBits int) int32 {
	accBits := outBits + 1
	const (
		log2         = 1488522236 // ln 2, Q0.31
		sqrtSqrtHalf = 1805811301
		sqrtHalf     = 1518500250
		oneQuarter   = 536870912
		alphaN       = 117049297
		alphaD       = 127690142
		alphaI       = 1057819769
		alphaF       = 638450708
	)
	mul := saturatingRoundingDoublingHighMul
	shiftedQuarter := rescale(oneQuarter, 0, accBits)
	za := x
	zaHeadroomPlus1 := bits.LeadingZeros32(uint32(za))
	raTmp := saturatingRoundingMultiplyByPOT(za, zaHeadroomPlus1-1)
	ra := saturatingRoundingMultiplyByPOT(mul(raTmp, sqrtHalf), 1)
	zaPow2Adj := saturatingAdd32(saturatingRoundingMultiplyByPOT(int32(inBits-zaHeadroomPlus1), 31-accBits), shiftedQuarter)
	zb := mul(za, sqrtHalf)
	zbHeadroom := bits.LeadingZeros32(uint32(zb)) - 1
	rb := saturatingRoundingMultiplyByPOT(za, zbHeadroom)
	zbPow2Adj := saturatingSub32(saturatingRoundingMultiplyByPOT(int32(inBits-zbHeadroom), 31-accBits), shiftedQuarter)
	r := min(ra, rb)
	zPow2Adj := max(zaPow2Adj, zbPow2Adj)
	p := roundingHalfSum(r, sqrtSqrtHalf)
	q := r - sqrtSqrtHalf
	q += q
	commonSq := mul(q, q)
	num := mul(q, r) + mul(mul(q, commonSq), alphaN)
	denomMinusOne := mul(p, alphaI+q+mul(alphaD, commonSq)) + mul(alphaF, q)
	recipDenom := oneOverOnePlusXForXIn01(denomMinusOne)
	numScaled := rescale(num, 0, accBits)
	return rescale(mul(zPow2Adj, log2)+mul(numScaled, recipDenom), accBits, outBits)
}

// saturatingAdd32 and saturatingSub32 are TFLite's saturating int32
// addition and subtraction.
func saturatingAdd32(a, b int32) int32 {
	return int32(min(max(int64(a)+int64(b), math.MinInt32), math.MaxInt32))
}

func saturatingSub32(a, b int32) int32 {
	return int32(min(max(int64(a)-int64(b), math.MinInt32), math.MaxInt32))
}
