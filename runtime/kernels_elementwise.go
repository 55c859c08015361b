package runtime

import (
	"math"
	"math/bits"
)

// broadcastIndex maps every element of outShape to the element of inShape
// that NumPy-style broadcasting reads for it (dimensions aligned at the
// right; a dimension of 1 repeats).
func broadcastIndex(inShape, outShape []int) []int {
	n := 1
	for _, d := range outShape {
		n *= d
	}
	index := make([]int, n)
	rank := len(outShape)
	strides := make([]int, rank) // input stride per output dimension, 0 if broadcast
	stride := 1
	for i := rank - 1; i >= 0; i-- {
		j := len(inShape) - (rank - i)
		if j < 0 {
			continue
		}
		if inShape[j] != 1 {
			strides[i] = stride
		}
		stride *= inShape[j]
	}
	coord := make([]int, rank)
	for k := range index {
		off := 0
		for i, c := range coord {
			off += c * strides[i]
		}
		index[k] = off
		for i := rank - 1; i >= 0; i-- {
			coord[i]++
			if coord[i] < outShape[i] {
				break
			}
			coord[i] = 0
		}
	}
	return index
}

// addSubQuant holds TFLM's general quantised ADD/SUB parameters: both
// inputs are shifted left, rescaled to a common scale, added (or
// subtracted) and rescaled to the output.
type addSubQuant struct {
	leftShift              int
	input1Offset           int32
	input2Offset           int32
	input1Mult, input2Mult int32
	input1Shift            int
	input2Shift            int
	outputMult             int32
	outputShift            int
	outputOffset           int32
	actMin, actMax         int32
	subtract               bool
}

func (p *addSubQuant) apply(a, b int32) int32 {
	x := multiplyByQuantizedMultiplier((p.input1Offset+a)*int32(1<<p.leftShift), p.input1Mult, p.input1Shift)
	y := multiplyByQuantizedMultiplier((p.input2Offset+b)*int32(1<<p.leftShift), p.input2Mult, p.input2Shift)
	sum := x + y
	if p.subtract {
		sum = x - y
	}
	return clamp32(multiplyByQuantizedMultiplier(sum, p.outputMult, p.outputShift)+p.outputOffset, p.actMin, p.actMax)
}

// mulQuant is TFLM's quantised MUL.
type mulQuant struct {
	input1Offset, input2Offset int32
	outputMult                 int32
	outputShift                int
	outputOffset               int32
	actMin, actMax             int32
}

func (p *mulQuant) apply(a, b int32) int32 {
	v := multiplyByQuantizedMultiplier((p.input1Offset+a)*(p.input2Offset+b), p.outputMult, p.outputShift)
	return clamp32(v+p.outputOffset, p.actMin, p.actMax)
}

// binaryInts applies f to every output element of a broadcast binary op.
func binaryInts(a, b []int32, ia, ib []int, out []int32, f func(x, y int32) int32) {
	for i := range out {
		out[i] = f(a[ia[i]], b[ib[i]])
	}
}

// binaryFloats applies f to every output element of a broadcast binary op.
func binaryFloats(a, b []float32, ia, ib []int, out []float32, f func(x, y float32) float32) {
	for i := range out {
		out[i] = f(a[ia[i]], b[ib[i]])
	}
}

// requantize is TFLM's Requantize: re-express quantised values in another
// scale, zero point and type.
func requantize(in []int32, inZeroPoint int32, mult int32, shift int, outZeroPoint, lo, hi int32, out []int32) {
	for i, v := range in {
		out[i] = clamp32(multiplyByQuantizedMultiplier(v-inZeroPoint, mult, shift)+outZeroPoint, lo, hi)
	}
}

// affineQuantize is TFLM's float-to-integer QUANTIZE: round(x/scale) in
// float32 plus the zero point, clamped to the type.
func affineQuantize(in []float32, scale float32, zeroPoint, lo, hi int32, out []int32) {
	for i, v := range in {
		out[i] = clamp32(int32(roundF32(v/scale))+zeroPoint, lo, hi)
	}
}

// dequantize is TFLM's DEQUANTIZE: scale*(q-zero point) in double,
// narrowed to float32.
func dequantize(in []int32, scale float64, zeroPoint int32, out []float32) {
	for i, v := range in {
		out[i] = float32(scale * float64(v-zeroPoint))
	}
}

// leakyReluQuant is TFLM's quantised LEAKY_RELU: identity and alpha slopes
// each with their own quantised multiplier.
type leakyReluQuant struct {
	inputOffset, outputOffset int32
	identityMult, alphaMult   int32
	identityShift, alphaShift int
	lo, hi                    int32
}

func (p *leakyReluQuant) apply(in, out []int32) {
	alphaMult, negative := p.alphaMult, p.alphaMult < 0
	if negative {
		alphaMult = -alphaMult
	}
	for i, v := range in {
		x := v - p.inputOffset
		o := p.outputOffset
		if x >= 0 {
			o += multiplyByQuantizedMultiplier(x, p.identityMult, p.identityShift)
		} else {
			s := multiplyByQuantizedMultiplier(x, alphaMult, p.alphaShift)
			if negative {
				s = -s
			}
			o += s
		}
		out[i] = clamp32(o, p.lo, p.hi)
	}
}

// softmaxQuant is TFLM's int8-input SOFTMAX (int8 or int16 output):
// exp of the scaled difference to the row maximum in fixed point, summed in
// Q12.19 and normalised by a fixed-point reciprocal.
type softmaxQuant struct {
	inputMult      int32
	inputLeftShift int
	diffMin        int32
	outLo, outHi   int32 // output type range
	outBits        int   // 8 or 16
}

const (
	softmaxScaledDiffIntBits = 5
	softmaxAccumIntBits      = 12
)

func (p *softmaxQuant) apply(depth int, in, out []int32) {
	for start := 0; start+depth <= len(in); start += depth {
		row, orow := in[start:start+depth], out[start:start+depth]
		maxInRow := int32(math.MinInt32)
		for _, v := range row {
			maxInRow = max(maxInRow, v)
		}
		var sum int32
		for _, v := range row {
			if diff := v - maxInRow; diff >= p.diffMin {
				scaled := multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMult, p.inputLeftShift)
				sum += rescale(expOnNegativeValues(scaled, softmaxScaledDiffIntBits), 0, softmaxAccumIntBits)
			}
		}
		shiftedScale, bitsOverUnit := reciprocal(sum, softmaxAccumIntBits)
		// Each exp adds at most 2^19, so a row of 4096 or more can wrap the
		// sum as TFLM's int32 does; a sum that wraps to nearly 0 would make
		// the exponent negative, a shift C leaves undefined: use 0 instead.
		exponent := max(bitsOverUnit+31-p.outBits, 0)
		for c, v := range row {
			diff := v - maxInRow
			if diff < p.diffMin {
				orow[c] = p.outLo
				continue
			}
			scaled := multiplyByQuantizedMultiplierGreaterThanOne(diff, p.inputMult, p.inputLeftShift)
			e := expOnNegativeValues(scaled, softmaxScaledDiffIntBits)
			unsat := roundingDivideByPOT(saturatingRoundingDoublingHighMul(shiftedScale, e), exponent)
			orow[c] = clamp32(unsat+p.outLo, p.outLo, p.outHi)
		}
	}
}

// softmaxFloat is the float32 SOFTMAX.
func softmaxFloat(depth int, beta float32, in, out []float32) {
	for start := 0; start+depth <= len(in); start += depth {
		row, orow := in[start:start+depth], out[start:start+depth]
		m := float32(-math.MaxFloat32)
		for _, v := range row {
			m = maxF32(m, v)
		}
		var sum float32
		for c, v := range row {
			e := float32(math.Exp(float64((v - m) * beta)))
			orow[c] = e
			sum += e
		}
		for c := range orow {
			orow[c] /= sum
		}
	}
}

// lutInt16 is a table of one of TFLM's int16 activation functions
// (TFLite's LUTPopulate<int16_t> and LUTLookup): 512 segments over the
// int16 input range, each read by linear interpolation on the input's low
// seven bits, and a 513th entry that closes the last segment.
type lutInt16 [513]int16

// newLUTInt16 builds the table of f for the given input and output
// quantisation as TFLite's LUTPopulate<int16_t> does, in float32: every
// segment starts at f's value at its left end, moved by half the error the
// interpolation makes at the segment's midpoint.
//
// f must compute in float32 as the C transform does. Each product below is
// converted to float32 explicitly so the compiler cannot fuse it into a
// multiply-add, which would round differently from the C code.
func newLUTInt16(inputScale float32, inputZeroPoint int32, outputScale float32, outputZeroPoint int32, f func(float32) float32) *lutInt16 {
	const steps = 512
	inputMin := float32(inputScale * float32(math.MinInt16-inputZeroPoint))
	inputMax := float32(inputScale * float32(math.MaxInt16-inputZeroPoint))
	outputMin := float32(outputScale * float32(math.MinInt16-outputZeroPoint))
	outputMax := float32(outputScale * float32(math.MaxInt16-outputZeroPoint))
	step := (inputMax - inputMin) / steps
	halfStep := step / 2
	scaling := float32(1<<16) / (outputMax - outputMin)
	toInt16 := func(v float32) int16 { return int16(min(max(v, math.MinInt16), math.MaxInt16)) }
	var t lutInt16
	for i := range steps {
		x := inputMin + float32(float32(i)*step)
		val := f(x)
		midpoint := f(x + halfStep)
		next := f(inputMin + float32(float32(i+1)*step))
		sample := roundF32(float32(val * scaling))
		interpolated := roundF32((float32(next*scaling) + sample) / 2)
		bias := roundF32((interpolated - roundF32(float32(midpoint*scaling))) / 2)
		t[i] = toInt16(sample - bias)
	}
	t[steps] = toInt16(roundF32(float32(f(inputMax) * scaling)))
	return &t
}

// lookup interpolates the table at v (TFLite's int16 LUTLookup): the high
// nine bits pick the segment, the low seven the position in it. The
// slope is narrowed to int16 and the result wraps, as in C.
func (t *lutInt16) lookup(v int32) int32 {
	index := 256 + v>>7
	base := t[index]
	slope := int32(t[index+1] - base)
	delta := (slope*(v&0x7f) + 64) >> 7
	return int32(int16(int32(base) + delta))
}

// softmaxInt16 is TFLM's int16 SOFTMAX (reference SoftmaxInt16): each
// difference to the row maximum is rescaled so that [-10, 0] spans the
// int16 range and read from an exp table; the sum of the exps is
// normalised to [1, 2) and inverted with a 1/(1+x) table; the output is
// Q0.15.
type softmaxInt16 struct {
	inputMult  int32
	inputShift int
	exp, recip *lutInt16
	expBuf     []int32
}

// newSoftmaxInt16 checks TFLM's int16 constraints (zero points 0, output
// scale 2^-15 within 0.1%) and builds the tables as TFLM's Prepare does.
// TFLM calls std::exp on float, which is expf; Go has no float32 exp, so
// the exp table uses exp in float64 rounded to float32, nearly always the
// correctly rounded expf. A C library's expf is not always correctly
// rounded, so it may differ from ours by an ulp, and in rare cases a table
// entry then by one. Both tables equal the ones TFLM's code builds with
// glibc's expf and with the fdlibm-derived expf of newlib's Cortex-M libm,
// although the latter differs from ours on 88 of the 1025 points.
func newSoftmaxInt16(input, output *tensorInfo, beta float32) (*softmaxInt16, error) {
	if input.zeroPoint != 0 || output.zeroPoint != 0 {
		return nil, unsupportedf("int16 zero points %d, %d (must be 0)", input.zeroPoint, output.zeroPoint)
	}
	const want = float32(1.0 / 32768)
	if d := output.scale - want; d > want*0.001 || -d > want*0.001 {
		return nil, unsupportedf("int16 output scale %g (must be 2^-15)", output.scale)
	}
	const rangeInt16 = math.MaxInt16 - math.MinInt16
	p := &softmaxInt16{}
	// Differences in [-65535, 0] input units map to [-10, 0].
	p.inputMult, p.inputShift = quantizeMultiplier(float64(input.scale) * float64(beta) / (10.0 / 65535.0))
	p.exp = newLUTInt16(10.0/float32(rangeInt16), math.MaxInt16, 2.0/float32(rangeInt16), 0,
		func(x float32) float32 { return float32(math.Exp(float64(x))) })
	p.recip = newLUTInt16(1.0/float32(rangeInt16), math.MinInt16, 2.0/float32(rangeInt16), 0,
		func(x float32) float32 { return 1 / (1 + x) })
	return p, nil
}

func (p *softmaxInt16) apply(depth int, in, out []int32) {
	p.expBuf = resizeInts(p.expBuf, depth)
	for start := 0; start+depth <= len(in); start += depth {
		row, orow := in[start:start+depth], out[start:start+depth]
		maxInRow := int32(math.MinInt16)
		for _, v := range row {
			maxInRow = max(maxInRow, v)
		}
		var sum int32 // Q16.15
		for c, v := range row {
			scaled := multiplyByQuantizedMultiplier(v-maxInRow, p.inputMult, p.inputShift)
			e := p.exp.lookup(clamp32(scaled+math.MaxInt16, math.MinInt16, math.MaxInt16))
			p.expBuf[c] = e
			sum += e
		}
		// Normalise the sum to [1, 2) in Q1.15, take away 1 and centre
		// [0, 1) on the int16 range for the 1/(1+x) table.
		headroomPlusOne := bits.LeadingZeros32(uint32(sum))
		shiftedSum := int32((int64(sum)<<(headroomPlusOne-1) + 1<<13) >> 14)
		recip := int64(p.recip.lookup(clamp32(shiftedSum-(1<<15+1<<16), math.MinInt16, math.MaxInt16)))
		rightShift := 31 - headroomPlusOne
		for c, e := range p.expBuf {
			v := int32((int64(e)*recip + int64(1)<<(rightShift-1)) >> rightShift)
			orow[c] = clamp32(v, 0, math.MaxInt16)
		}
	}
}

// sigmoidInt8 is TFLM's int8 LOGISTIC or TANH: gemmlowp's fixed-point
// logistic or tanh on the input rescaled to Q4.27, saturated beyond the
// input radius. LOGISTIC's output is Q0.7 with zero point -128, TANH's
// Q0.7 with zero point 0 (which TFLM assumes).
type sigmoidInt8 struct {
	tanh           bool
	inputZeroPoint int32
	radius         int32
	inputMult      int32
	inputLeftShift int
}

func (p *sigmoidInt8) apply(in, out []int32) {
	for i, v := range in {
		x := v - p.inputZeroPoint
		switch {
		case x <= -p.radius:
			out[i] = math.MinInt8
		case x >= p.radius:
			out[i] = math.MaxInt8
		case p.tanh:
			q0 := fixedTanh(multiplyByQuantizedMultiplier(x, p.inputMult, p.inputLeftShift), 4)
			out[i] = clamp32(roundingDivideByPOT(q0, 24), math.MinInt8, math.MaxInt8)
		default:
			q0 := fixedLogistic(multiplyByQuantizedMultiplier(x, p.inputMult, p.inputLeftShift), 4)
			out[i] = clamp32(roundingDivideByPOT(q0, 23)-128, math.MinInt8, math.MaxInt8)
		}
	}
}

// fixedLogistic is gemmlowp's logistic for a value with intBits integer
// bits; the result is Q0.31.
func fixedLogistic(a int32, intBits int) int32 {
	if a == 0 {
		return 1 << 30
	}
	abs := a
	if a < 0 {
		abs = -a
	}
	pos := oneOverOnePlusXForXIn01(expOnNegativeValues(-abs, intBits))
	if a > 0 {
		return pos
	}
	return math.MaxInt32 - pos
}

// fixedTanh is gemmlowp's tanh for a value with intBits integer bits; the
// result is Q0.31.
func fixedTanh(a int32, intBits int) int32 {
	if a == 0 {
		return 0
	}
	n := a
	if a > 0 {
		n = -a
	}
	// ExactMulByPot<1>: the same raw value read with one more integer bit.
	t := oneMinusXOverOnePlusXForXIn01(expOnNegativeValues(n, intBits+1))
	if a < 0 {
		return -t
	}
	return t
}
