package runtime

// Arithmetic operators: elementwise binary ops with broadcasting, and the
// conversions between quantised integers, floats and other integer types.

import (
	"encoding/binary"
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// buildAddSub prepares ADD or SUB (quantised int8/int16 with TFLM's general
// rescaling, or float32/int32), with broadcasting.
func buildAddSub(subtract bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		op, err := n.binaryOperands()
		if err != nil {
			return nil, err
		}
		a, b, output := op.a, op.b, op.output
		activation := n.activationOption()
		switch {
		case output.kind == tflite.Float32:
			if subtract {
				return op.clampedFloats(activation, func(x, y float32) float32 { return x - y }), nil
			}
			return op.clampedFloats(activation, func(x, y float32) float32 { return x + y }), nil
		case output.kind == tflite.Int32 && !output.quantized:
			if !subtract {
				// TFLM's int32 ADD ignores the fused activation
				// (add.cc passes the whole int32 range), SUB applies it.
				return op.ints(func(x, y int32) int32 { return x + y }), nil
			}
			return op.clampedInts(activation, func(x, y int32) int32 { return x - y }), nil
		case output.kind == tflite.Int8 || output.kind == tflite.Int16:
		default:
			return nil, op.unsupported()
		}
		if subtract && output.kind == tflite.Int16 && sameExtendedShape(a.shape, b.shape) && (a.zeroPoint != 0 || b.zeroPoint != 0) {
			// TFLM's non-broadcasting int16 Sub DCHECKs zero input offsets
			// (its broadcasting one takes any).
			return nil, unsupportedf("int16 input zero points %d and %d without broadcasting (TFLM asserts 0)", a.zeroPoint, b.zeroPoint)
		}
		p := &addSubQuant{
			leftShift:    20,
			input1Offset: -a.zeroPoint, input2Offset: -b.zeroPoint,
			outputOffset: output.zeroPoint, subtract: subtract,
		}
		if output.kind == tflite.Int16 {
			p.leftShift = 15
		}
		var r1, r2, ro float64
		if subtract {
			// TFLM's SUB works these out in float32 before widening.
			twiceMax := 2 * max(a.scale, b.scale)
			r1 = float64(a.scale / twiceMax)
			r2 = float64(b.scale / twiceMax)
			ro = float64(twiceMax / (float32(int32(1)<<p.leftShift) * output.scale))
		} else {
			twiceMax := 2 * float64(max(a.scale, b.scale))
			r1 = float64(a.scale) / twiceMax
			r2 = float64(b.scale) / twiceMax
			ro = twiceMax / (float64(int32(1)<<p.leftShift) * float64(output.scale))
		}
		for _, r := range []float64{r1, r2, ro} {
			// QuantizeMultiplierSmallerThanOneExp CHECKs each is in (0, 1):
			// TFLM aborts on the others, whatever the build.
			if !(r > 0 && r < 1) {
				return nil, unsupportedf("scales %g, %g -> %g give a multiplier %g outside (0, 1)", a.scale, b.scale, output.scale, r)
			}
		}
		p.input1Mult, p.input1Shift = quantizeMultiplier(r1)
		p.input2Mult, p.input2Shift = quantizeMultiplier(r2)
		p.outputMult, p.outputShift = quantizeMultiplier(ro)
		p.actMin, p.actMax = activationRangeQuantized(activation, output.kind, output.scale, output.zeroPoint)
		return op.ints(p.apply), nil
	}
}

// buildMul prepares MUL.
func buildMul(n *node) (func([][]byte), error) {
	op, err := n.binaryOperands()
	if err != nil {
		return nil, err
	}
	a, b, output := op.a, op.b, op.output
	activation := n.activationOption()
	switch {
	case output.kind == tflite.Float32:
		return op.clampedFloats(activation, func(x, y float32) float32 { return x * y }), nil
	case output.kind == tflite.Int32:
		// TFLM multiplies int32 as plain integers, quantised or not.
		return op.clampedInts(activation, func(x, y int32) int32 { return x * y }), nil
	case output.kind == tflite.Int8 || output.kind == tflite.Int16:
	default:
		return nil, op.unsupported()
	}
	if output.kind == tflite.Int16 && (a.zeroPoint != 0 || b.zeroPoint != 0 || output.zeroPoint != 0) {
		return nil, unsupportedf("int16 zero points %d, %d -> %d (TFLM wants 0)", a.zeroPoint, b.zeroPoint, output.zeroPoint)
	}
	p := &mulQuant{input1Offset: -a.zeroPoint, input2Offset: -b.zeroPoint, outputOffset: output.zeroPoint}
	p.outputMult, p.outputShift = quantizeMultiplier(float64(a.scale) * float64(b.scale) / float64(output.scale))
	if err := checkShift(p.outputShift); err != nil {
		return nil, err
	}
	p.actMin, p.actMax = activationRangeQuantized(activation, output.kind, output.scale, output.zeroPoint)
	return op.ints(p.apply), nil
}

// buildMinMax prepares MINIMUM or MAXIMUM of float32, int8, int16, int32
// or int64 (TFLM's kernel's types), elementwise on the raw values.
func buildMinMax(maximum bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		op, err := n.binaryOperands()
		if err != nil {
			return nil, err
		}
		switch op.output.kind {
		case tflite.Float32:
			// TFLM's el1 > el2 ? el1 : el2 (< for MINIMUM), not Go's
			// max and min: a NaN second operand wins, a NaN first one
			// loses, and of two zeros the second is kept.
			return op.floats(func(x, y float32) float32 {
				if (maximum && x > y) || (!maximum && x < y) {
					return x
				}
				return y
			}), nil
		case tflite.Int8, tflite.Int16, tflite.Int32:
			return op.ints(func(x, y int32) int32 {
				if maximum {
					return max(x, y)
				}
				return min(x, y)
			}), nil
		case tflite.Int64:
			return op.int64s(func(x, y int64) int64 {
				if maximum {
					return max(x, y)
				}
				return min(x, y)
			}), nil
		}
		return nil, op.unsupported()
	}
}

// int64s returns the evaluation of f on INT64 elements.
func (op *binaryOp) int64s(f func(x, y int64) int64) func([][]byte) {
	var aBuf, bBuf []int64
	return func(mem [][]byte) {
		aBuf = decodeWide(op.a.kind, mem[op.a.index], aBuf)
		bBuf = decodeWide(op.b.kind, mem[op.b.index], bBuf)
		out := mem[op.output.index]
		for i := range op.ia {
			binary.LittleEndian.PutUint64(out[8*i:], uint64(f(aBuf[op.ia[i]], bBuf[op.ib[i]])))
		}
	}
}

// buildDiv prepares DIV of float32, int32 or quantised int8.
func buildDiv(n *node) (func([][]byte), error) {
	op, err := n.binaryOperands()
	if err != nil {
		return nil, err
	}
	a, b, output := op.a, op.b, op.output
	activation := n.activationOption()
	if output.kind == tflite.Int32 && !output.quantized {
		return op.clampedInts(activation, divInt32), nil
	}
	if output.kind == tflite.Int8 {
		for _, t := range []*tensorInfo{a, b} {
			if t.zeroPoint < math.MinInt8 || t.zeroPoint > math.MaxInt8 {
				// TFLM's DivCheckArithmeticParams asserts it too.
				return nil, fmt.Errorf("int8 input zero point %d out of range", t.zeroPoint)
			}
		}
		p := &divQuant{input1Offset: -a.zeroPoint, input2Offset: -b.zeroPoint, outputOffset: output.zeroPoint, fail: n.runFail}
		// TFLM divides the scales in float32 before widening.
		p.outputMult, p.outputShift = quantizeMultiplier(float64(a.scale / (b.scale * output.scale)))
		if p.outputShift > divMaxOutputShift {
			// The final shift would turn left, which TFLM's rounding
			// divide does not do (its exponent must not be negative).
			return nil, unsupportedf("int8 scales %g / (%g * %g) too large a ratio", a.scale, b.scale, output.scale)
		}
		p.actMin, p.actMax = activationRangeQuantized(activation, output.kind, output.scale, output.zeroPoint)
		return op.ints(p.apply), nil
	}
	if output.kind != tflite.Float32 {
		return nil, unsupportedf("types %v, %v -> %v not supported (float32, int32 and int8 only)", a.kind, b.kind, output.kind)
	}
	return op.clampedFloats(activation, func(x, y float32) float32 { return x / y }), nil
}

// divMaxOutputShift is the largest output shift for which the int8 DIV's
// final rounding shift stays a right shift: offset int8 numerators lie in
// [-255, 255] and so have at least 23 redundant sign bits.
const divMaxOutputShift = 23

// divQuant is the int8 DIV of TFLM's reference DivElementwise: the
// quotient of the offset inputs by a Q0.31 reciprocal of the divisor,
// rescaled to the output.
type divQuant struct {
	input1Offset, input2Offset, outputOffset int32
	outputMult                               int32
	outputShift                              int
	actMin, actMax                           int32
	fail                                     func(error) // the node's runFail
}

func (p *divQuant) apply(x, y int32) int32 {
	num, den := p.input1Offset+x, p.input2Offset+y
	if den == 0 {
		// TFLM DCHECKs a non-zero divisor: a build with checks aborts.
		p.fail(fmt.Errorf("int8 division by zero"))
		return 0
	}
	if den < 0 {
		// The reciprocal must be positive to serve as a multiplier.
		num, den = -num, -den
	}
	inv, recipShift := reciprocal(den, 31)
	headroom := countLeadingSignBits(num)
	quotient := multiplyByQuantizedMultiplierGreaterThanOne(num, inv, headroom)
	totalShift := p.outputShift - recipShift - headroom
	// MultiplyByQuantizedMultiplierSmallerThanOneExp: gemmlowp's
	// RoundingDivideByPOT asserts its exponent is at most 31, and aborts
	// on a small numerator over a large divisor beyond it.
	if -totalShift > 31 {
		p.fail(fmt.Errorf("int8 quotient %d/%d needs a shift of %d bits (TFLM asserts at most 31)", num, den, -totalShift))
		return 0
	}
	out := p.outputOffset + roundingDivideByPOT(saturatingRoundingDoublingHighMul(quotient, p.outputMult), -totalShift)
	return min(max(out, p.actMin), p.actMax)
}

// countLeadingSignBits counts the bits below the sign bit that equal it
// (GCC's __builtin_clrsb, 31 for 0 and -1).
func countLeadingSignBits(x int32) int {
	if x < 0 {
		x = ^x
	}
	return bits.LeadingZeros32(uint32(x)) - 1
}

// divInt32 is C's truncating int32 division as the Cortex-M SDIV
// instruction does it: x/0 is 0 (division by zero does not trap by
// default) and MinInt32/-1 wraps to MinInt32.
func divInt32(x, y int32) int32 {
	if y == 0 {
		return 0
	}
	return x / y
}

// binaryOp is an elementwise operator of two inputs broadcast to its
// output's shape: the three tensors and, for every output element, the
// element of a and of b it reads.
type binaryOp struct {
	a, b, output *tensorInfo
	ia, ib       []int
}

// binaryOperands reads the two inputs and the output of an elementwise
// binary operator and checks that the inputs broadcast to the output and
// share its element type.
func (n *node) binaryOperands() (*binaryOp, error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	// The output must be the broadcast shape itself. TFLM's kernels take
	// the output's shape on trust, and a dimension that neither input has
	// leaves parts of it unwritten in some paths (MUL of int32 [2,1] by []
	// into [2,4] writes one column) and aborts in others (SUB of int8 [] by
	// [1,3,1] into [1,3,2]).
	if err := checkBroadcast(a.shape, b.shape, output.shape); err != nil {
		return nil, err
	}
	op := &binaryOp{a: a, b: b, output: output}
	if a.kind != output.kind || b.kind != output.kind {
		// The kernels decode both inputs as the output's type.
		return nil, op.unsupported()
	}
	op.ia, op.ib = broadcastIndex(a.shape, output.shape), broadcastIndex(b.shape, output.shape)
	return op, nil
}

// preluOperands reads PRELU's input, alpha and output, which broadcast
// like a binary operator's but may differ in type.
func (n *node) preluOperands() (*binaryOp, error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	// TFLM broadcasts to the inputs' shape and accepts an output that
	// lacks its leading ones.
	full := broadcastShape(a.shape, b.shape)
	want := output.shape
	if lead := len(full) - len(output.shape); lead > 0 && !slices.ContainsFunc(full[:lead], func(d int) bool { return d != 1 }) {
		want = slices.Concat(full[:lead], output.shape)
	}
	if err := checkBroadcast(a.shape, b.shape, want); err != nil {
		return nil, err
	}
	op := &binaryOp{a: a, b: b, output: output}
	op.ia, op.ib = broadcastIndex(a.shape, want), broadcastIndex(b.shape, want)
	return op, nil
}

// sameExtendedShape reports whether shapes a and b are equal once the
// shorter is extended with leading ones (ProcessBroadcastShapes' test for
// no broadcasting).
func sameExtendedShape(a, b []int) bool {
	if len(a) < len(b) {
		a, b = b, a
	}
	lead := len(a) - len(b)
	for i, d := range a {
		if (i < lead && d != 1) || (i >= lead && d != b[i-lead]) {
			return false
		}
	}
	return true
}

// checkBroadcast fails unless shapes a and b broadcast to out exactly.
func checkBroadcast(a, b, out []int) error {
	rank := max(len(a), len(b))
	if len(out) != rank {
		return fmt.Errorf("shapes %v and %v do not broadcast to %v", a, b, out)
	}
	for i := range rank {
		want := 1
		for _, s := range [][]int{a, b} {
			j := len(s) - (rank - i)
			if j < 0 || s[j] == 1 {
				continue
			}
			if want != 1 && s[j] != want {
				return fmt.Errorf("shapes %v and %v do not broadcast", a, b)
			}
			want = s[j]
		}
		if out[i] != want {
			return fmt.Errorf("shapes %v and %v broadcast to %v, not to the output's %v", a, b, broadcastShape(a, b), out)
		}
	}
	return nil
}

// broadcastShape returns the shape two broadcast-compatible shapes
// broadcast to.
func broadcastShape(a, b []int) []int {
	if len(a) < len(b) {
		a, b = b, a
	}
	out := slices.Clone(a)
	for i, d := range b {
		if j := len(a) - len(b) + i; d != 1 {
			out[j] = d
		}
	}
	return out
}

// unsupported reports that the kernel lacks the operator's element types.
func (op *binaryOp) unsupported() error {
	return unsupportedf("types %v, %v -> %v not supported", op.a.kind, op.b.kind, op.output.kind)
}

// ints returns the evaluation of f on integer elements.
func (op *binaryOp) ints(f func(x, y int32) int32) func([][]byte) {
	var aBuf, bBuf, outBuf []int32
	return func(mem [][]byte) {
		aBuf, bBuf = op.a.ints(mem, aBuf), op.b.ints(mem, bBuf)
		outBuf = resizeInts(outBuf, op.output.elems)
		binaryInts(aBuf, bBuf, op.ia, op.ib, outBuf, f)
		encodeInts(op.output.kind, mem[op.output.index], outBuf)
	}
}

// floats returns the evaluation of f on float32 elements.
func (op *binaryOp) floats(f func(x, y float32) float32) func([][]byte) {
	var aBuf, bBuf, outBuf []float32
	return func(mem [][]byte) {
		aBuf, bBuf = op.a.floats(mem, aBuf), op.b.floats(mem, bBuf)
		outBuf = resizeFloats(outBuf, op.output.elems)
		binaryFloats(aBuf, bBuf, op.ia, op.ib, outBuf, f)
		encodeFloats(mem[op.output.index], outBuf)
	}
}

// clampedInts returns the evaluation of f on unquantised int32 elements,
// clamped to the fused activation's range.
func (op *binaryOp) clampedInts(activation int, f func(x, y int32) int32) func([][]byte) {
	lo, hi := activationRange[int32](activation, math.MinInt32, math.MaxInt32)
	return op.ints(func(x, y int32) int32 { return min(max(f(x, y), lo), hi) })
}

// clampedFloats returns the evaluation of f on float32 elements, clamped
// to the fused activation's range.
func (op *binaryOp) clampedFloats(activation int, f func(x, y float32) float32) func([][]byte) {
	lo, hi := activationRangeFloat(activation)
	return op.floats(func(x, y float32) float32 { return clampF32(f(x, y), lo, hi) })
}

// unaryInts and unaryFloats wrap an elementwise kernel over one input.
func unaryInts(input, output *tensorInfo, f func(in, out []int32)) func([][]byte) {
	var inBuf, outBuf []int32
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeInts(outBuf, output.elems)
		f(inBuf, outBuf)
		encodeInts(output.kind, mem[output.index], outBuf)
	}
}

func unaryFloats(input, output *tensorInfo, f func(in, out []float32)) func([][]byte) {
	var inBuf, outBuf []float32
	return func(mem [][]byte) {
		inBuf = input.floats(mem, inBuf)
		outBuf = resizeFloats(outBuf, output.elems)
		f(inBuf, outBuf)
		encodeFloats(mem[output.index], outBuf)
	}
}

// sameElems fails unless input and output hold the same number of elements.
func sameElems(input, output *tensorInfo) error {
	if input.elems != output.elems {
		return fmt.Errorf("input shape %v and output shape %v differ in size", input.shape, output.shape)
	}
	return nil
}

// buildQuantize prepares QUANTIZE from float32, or a requantisation
// between integer types.
func buildQuantize(n *node) (func([][]byte), error) {
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	if !output.quantized || len(output.scales) != 1 {
		return nil, fmt.Errorf("output needs per-tensor quantisation")
	}
	lo, hi := typeRange(output.kind)
	if input.kind == tflite.Float32 {
		if output.kind != tflite.Int8 && output.kind != tflite.Int16 {
			return nil, unsupportedf("float32 -> %v not supported", output.kind)
		}
		// TFLM keeps the scale as a double and divides by its float.
		scale := float32(float64(output.scale))
		var inBuf []float32
		var outBuf []int32
		return func(mem [][]byte) {
			inBuf = input.floats(mem, inBuf)
			outBuf = resizeInts(outBuf, output.elems)
			affineQuantize(inBuf, scale, output.zeroPoint, lo, hi, outBuf)
			encodeInts(output.kind, mem[output.index], outBuf)
		}, nil
	}
	if !input.isInt() || !output.isInt() || !input.quantized {
		return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
	}
	mult, shift := quantizeMultiplier(float64(input.scale) / float64(output.scale))
	if err := checkShift(shift); err != nil {
		return nil, err
	}
	return unaryInts(input, output, func(in, out []int32) {
		requantize(in, input.zeroPoint, mult, shift, output.zeroPoint, lo, hi, out)
	}), nil
}

// buildDequantize prepares DEQUANTIZE to float32.
func buildDequantize(n *node) (func([][]byte), error) {
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	if output.kind != tflite.Float32 || !input.isInt() || !input.quantized {
		return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
	}
	scale := float64(input.scale)
	var inBuf []int32
	var outBuf []float32
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeFloats(outBuf, output.elems)
		dequantize(inBuf, scale, input.zeroPoint, outBuf)
		encodeFloats(mem[output.index], outBuf)
	}, nil
}

// buildCast prepares CAST: TFLM's kernel reads INT8, INT16, INT32,
// UINT32, FLOAT32 and BOOL and writes INT8, INT16, INT32, UINT32 and
// FLOAT32, each element through a C++ static_cast (integers truncated to
// the output's width, floats towards zero); other types fail its Eval.
func buildCast(n *node) (func([][]byte), error) {
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	switch input.kind {
	case tflite.Int8, tflite.Int16, tflite.Int32, tflite.Uint32, tflite.Float32, tflite.Bool:
	default:
		return nil, unsupportedf("input type %v not supported", input.kind)
	}
	switch output.kind {
	case tflite.Int8, tflite.Int16, tflite.Int32, tflite.Uint32, tflite.Float32:
	default:
		return nil, unsupportedf("output type %v not supported", output.kind)
	}
	switch {
	case input.kind != tflite.Float32 && output.kind != tflite.Float32:
		return unaryInts(input, output, func(in, out []int32) { copy(out, in) }), nil
	case input.kind != tflite.Float32:
		unsigned := input.kind == tflite.Uint32
		var inBuf []int32
		var outBuf []float32
		return func(mem [][]byte) {
			inBuf = input.ints(mem, inBuf)
			outBuf = resizeFloats(outBuf, output.elems)
			for i, v := range inBuf {
				if unsigned {
					outBuf[i] = float32(uint32(v))
				} else {
					outBuf[i] = float32(v)
				}
			}
			encodeFloats(mem[output.index], outBuf)
		}, nil
	case output.kind != tflite.Float32:
		unsigned := output.kind == tflite.Uint32
		var inBuf []float32
		var outBuf []int32
		return func(mem [][]byte) {
			inBuf = input.floats(mem, inBuf)
			outBuf = resizeInts(outBuf, output.elems)
			for i, v := range inBuf {
				if unsigned {
					outBuf[i] = int32(uint32(int64(v))) // as x86-64's 64-bit conversion
				} else {
					outBuf[i] = int32(v)
				}
			}
			encodeInts(output.kind, mem[output.index], outBuf)
		}, nil
	}
	return unaryFloats(input, output, func(in, out []float32) { copy(out, in) }), nil
}

// buildAddN prepares ADD_N: the sum of two or more inputs of one shape,
// float32 summed in input order, or int8 of one quantisation with TFLite's
// AddN rescaling (which starts its sum from the negated zero point, as
// TFLite's reference kernel does).
func buildAddN(n *node) (func([][]byte), error) {
	if len(n.inputs) < 2 || len(n.outputs) != 1 {
		return nil, fmt.Errorf("takes 2 or more inputs and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	ins, output, err := n.io(len(n.inputs))
	if err != nil {
		return nil, err
	}
	first := ins[0]
	if output.kind != first.kind {
		return nil, fmt.Errorf("output type %v differs from the inputs' %v", output.kind, first.kind)
	}
	for k, t := range ins[1:] {
		if !slices.Equal(t.shape, first.shape) || t.kind != first.kind {
			return nil, fmt.Errorf("input %d %v%v differs from input 0's %v%v", k+1, t.kind, t.shape, first.kind, first.shape)
		}
		if first.kind == tflite.Int8 && (t.zeroPoint != first.zeroPoint || t.scale != first.scale) {
			return nil, fmt.Errorf("int8 input %d is quantised differently from input 0", k+1)
		}
	}
	if output.elems != first.elems {
		return nil, fmt.Errorf("output %v and inputs %v differ in size", output.shape, first.shape)
	}
	switch first.kind {
	case tflite.Float32:
		bufs := make([][]float32, len(ins))
		var outBuf []float32
		return func(mem [][]byte) {
			for k, t := range ins {
				bufs[k] = t.floats(mem, bufs[k])
			}
			outBuf = resizeFloats(outBuf, output.elems)
			for i := range outBuf {
				var x float32
				for _, b := range bufs {
					x += b[i]
				}
				outBuf[i] = x
			}
			encodeFloats(mem[output.index], outBuf)
		}, nil
	case tflite.Int8:
	default:
		return nil, unsupportedf("ADD_N only supports FLOAT32 and INT8, got %v", first.kind)
	}
	r, err := newSumRescale(first, output)
	if err != nil {
		return nil, err
	}
	bufs := make([][]int32, len(ins))
	var outBuf []int32
	return func(mem [][]byte) {
		for k, t := range ins {
			bufs[k] = t.ints(mem, bufs[k])
		}
		outBuf = resizeInts(outBuf, output.elems)
		for i := range outBuf {
			x := r.in(0)
			for _, b := range bufs {
				x += r.in(b[i])
			}
			outBuf[i] = r.out(x)
		}
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// buildSelectV2 prepares SELECT_V2: x where the BOOL condition holds, y
// elsewhere, the three broadcast together (float32, int8 and int16).
func buildSelectV2(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(3)
	if err != nil {
		return nil, err
	}
	cond, x, y := ins[0], ins[1], ins[2]
	if cond.kind != tflite.Bool {
		return nil, fmt.Errorf("condition type %v must be BOOL", cond.kind)
	}
	if x.kind != y.kind || output.kind != x.kind {
		return nil, fmt.Errorf("types %v, %v -> %v must be one type", x.kind, y.kind, output.kind)
	}
	if err := wantKinds("input", x.kind, tflite.Float32, tflite.Int8, tflite.Int16); err != nil {
		return nil, err
	}
	rank := max(len(cond.shape), len(x.shape), len(y.shape))
	if rank > 8 {
		return nil, unsupportedf("rank %d (at most 8)", rank)
	}
	want := make([]int, rank)
	for i := range rank {
		lo, hi := math.MaxInt, 0
		dims := make([]int, 3)
		for k, s := range [][]int{cond.shape, x.shape, y.shape} {
			d := 1
			if j := len(s) - rank + i; j >= 0 {
				d = s[j]
			}
			dims[k] = d
			lo, hi = min(lo, d), max(hi, d)
		}
		if lo == 0 {
			hi = 0
		}
		for _, d := range dims {
			if d != 1 && d != hi {
				return nil, fmt.Errorf("Given shapes are not broadcastable: %v, %v, %v", cond.shape, x.shape, y.shape)
			}
		}
		want[i] = hi
	}
	if cond.elems == 1 && x.elems == 1 && y.elems == 1 && output.elems == 1 {
		// TFLM selects element by element whatever the ranks.
		want = output.shape
	}
	if err := wantShape(output, want); err != nil {
		return nil, err
	}
	ic, ix, iy := broadcastIndex(cond.shape, want), broadcastIndex(x.shape, want), broadcastIndex(y.shape, want)
	size := elemSize(x.kind)
	return func(mem [][]byte) {
		c, xs, ys, out := mem[cond.index], mem[x.index], mem[y.index], mem[output.index]
		for i := range output.elems {
			src, at := ys, iy[i]
			if c[ic[i]] != 0 {
				src, at = xs, ix[i]
			}
			copy(out[i*size:(i+1)*size], src[at*size:])
		}
	}, nil
}

// buildCumsum prepares CUMSUM of float32 (summed in order, in float32) or
// int8 (TFLite's AddN-style rescaling, starting from the negated zero
// point as its reference kernel does) along an axis read at run time,
// exclusive and reversed as the options say.
func buildCumsum(n *node) (func([][]byte), error) {
	o, err := n.op.CumsumOptions()
	n.keep(err)
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	input, axisT := ins[0], ins[1]
	switch {
	case input.kind != tflite.Float32 && input.kind != tflite.Int8:
		return nil, unsupportedf("type %v (float32 and int8 only)", input.kind)
	case axisT.kind != tflite.Int32 || axisT.elems != 1:
		return nil, fmt.Errorf("axis must be one INT32 value, is %v%v", axisT.kind, axisT.shape)
	case len(input.shape) < 1:
		return nil, fmt.Errorf("input is a scalar")
	case output.kind != input.kind || !slices.Equal(output.shape, input.shape):
		return nil, fmt.Errorf("input %v%v and output %v%v differ", input.kind, input.shape, output.kind, output.shape)
	}
	rank := len(input.shape)
	// order returns, for the resolved axis, the flat indices of each run
	// to accumulate, in accumulation order.
	order := func(axis int) (runs [][]int) {
		before, depth, after := product(input.shape[:axis]), input.shape[axis], product(input.shape[axis+1:])
		for a := range after {
			if o.Reverse {
				a = after - 1 - a
			}
			for b := range before {
				if o.Reverse {
					b = before - 1 - b
				}
				run := make([]int, depth)
				for d := range depth {
					dd := d
					if o.Reverse {
						dd = depth - 1 - d
					}
					run[d] = a + b*depth*after + dd*after
				}
				runs = append(runs, run)
			}
		}
		return runs
	}
	resolve := func(a int32) (int, error) {
		ax := int(a)
		if ax < 0 {
			ax += rank
		}
		if ax < 0 || ax >= rank {
			return 0, fmt.Errorf("CUMSUM Invalid axis: %d", a)
		}
		return ax, nil
	}
	if axisT.constant != nil {
		if _, err := resolve(decodeInts(tflite.Int32, axisT.constant, nil)[0]); err != nil {
			return nil, err
		}
	}
	// runsOf reads the axis, which may be computed at run time, and
	// returns its runs; false after failing the run on a bad axis.
	var axisBuf []int32
	runsOf := func(mem [][]byte) ([][]int, bool) {
		axisBuf = axisT.ints(mem, axisBuf)
		axis, err := resolve(axisBuf[0])
		if err != nil {
			n.runFail(err)
			return nil, false
		}
		return order(axis), true
	}
	if input.kind == tflite.Float32 {
		var in, out []float32
		return func(mem [][]byte) {
			runs, ok := runsOf(mem)
			if !ok {
				return
			}
			in, out = input.floats(mem, in), resizeFloats(out, output.elems)
			for _, run := range runs {
				var acc float32
				for _, i := range run {
					if o.Exclusive {
						out[i] = acc
						acc += in[i]
					} else {
						acc += in[i]
						out[i] = acc
					}
				}
			}
			encodeFloats(mem[output.index], out)
		}, nil
	}
	r, err := newSumRescale(input, output)
	if err != nil {
		return nil, err
	}
	var in, out []int32
	return func(mem [][]byte) {
		runs, ok := runsOf(mem)
		if !ok {
			return
		}
		in, out = input.ints(mem, in), resizeInts(out, output.elems)
		for _, run := range runs {
			acc := r.in(0)
			for _, i := range run {
				y := r.in(in[i])
				scaled := acc
				acc += y
				if !o.Exclusive {
					scaled = acc
				}
				out[i] = r.out(scaled)
			}
		}
		encodeInts(output.kind, mem[output.index], out)
	}, nil
}

// sumRescale is TFLite's AddN-style int8 rescaling (ADD_N and CUMSUM):
// values of one scale go, offset by the negated zero point, into a common
// fixed point (shifted left 20 bits and halved), are summed there, and the
// sum is requantised to the output. Like TFLM it refuses an output
// multiplier of 1 or more.
type sumRescale struct {
	inMult, outMult, inOff, outOff, lo, hi int32
	inShift, outShift                      int
}

func newSumRescale(input, output *tensorInfo) (r sumRescale, err error) {
	twiceMax := 2 * float64(input.scale)
	r.inMult, r.inShift = quantizeMultiplier(float64(input.scale) / twiceMax)
	r.outMult, r.outShift = quantizeMultiplier(twiceMax / (float64(1<<20) * float64(output.scale)))
	if r.outShift > 0 || r.outMult == 0 {
		// QuantizeMultiplierSmallerThanOneExp aborts TFLM.
		return r, fmt.Errorf("int8 scales %g and %g give an output multiplier of 1 or more", input.scale, output.scale)
	}
	r.inOff, r.outOff = -input.zeroPoint, output.zeroPoint
	r.lo, r.hi = typeRange(output.kind)
	return r, nil
}

func (r *sumRescale) in(x int32) int32 {
	return multiplyByQuantizedMultiplier((r.inOff+x)*(1<<20), r.inMult, r.inShift)
}

func (r *sumRescale) out(sum int32) int32 {
	return clamp32(multiplyByQuantizedMultiplier(sum, r.outMult, r.outShift)+r.outOff, r.lo, r.hi)
}
