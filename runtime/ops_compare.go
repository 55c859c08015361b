package runtime

// Comparisons (EQUAL, NOT_EQUAL, GREATER, GREATER_EQUAL, LESS,
// LESS_EQUAL) and LOGICAL_AND, LOGICAL_OR, after TFLM's comparisons.cc and
// logical.cc: BOOL outputs, broadcasting up to 4-D, int8 inputs compared
// after TFLM's rescaling.

import (
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// decodeWide widens integer elements to int64 (int64 tensors keep every
// bit; decodeInts would cut them to int32).
func decodeWide(kind tflite.TensorType, b []byte, dst []int64) []int64 {
	if kind != tflite.Int64 {
		narrow := decodeInts(kind, b, nil)
		dst = slices.Grow(dst[:0], len(narrow))[:len(narrow)]
		for i, v := range narrow {
			dst[i] = int64(v)
		}
		return dst
	}
	n := len(b) / 8
	dst = slices.Grow(dst[:0], n)[:n]
	for i := range dst {
		dst[i] = int64(binary.LittleEndian.Uint64(b[8*i:]))
	}
	return dst
}

// comparisonOperands reads the inputs and BOOL output of a comparison or
// logical operator and checks their shapes: the output is the broadcast
// shape, and TFLM broadcasts 4-D shapes at most.
func (n *node) comparisonOperands() (*binaryOp, error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	if err := checkBroadcast(a.shape, b.shape, output.shape); err != nil {
		return nil, err
	}
	if !slices.Equal(a.shape, b.shape) && len(output.shape) > 4 {
		return nil, unsupportedf("broadcast of rank %d (at most 4)", len(output.shape))
	}
	if output.kind != tflite.Bool {
		return nil, unsupportedf("output type %v (TFLM writes BOOL)", output.kind)
	}
	if a.kind != b.kind {
		return nil, unsupportedf("input types %v and %v differ", a.kind, b.kind)
	}
	op := &binaryOp{a: a, b: b, output: output}
	op.ia, op.ib = broadcastIndex(a.shape, output.shape), broadcastIndex(b.shape, output.shape)
	return op, nil
}

// boolOutput returns the evaluation writing cmp of each element pair as a
// BOOL, for operands decoded as int64 (integers, scaled or not) or float32.
func (op *binaryOp) boolOutput(ints func(x, y int64) bool, floats func(x, y float32) bool) func([][]byte) {
	var aw, bw []int64
	var af, bf []float32
	return func(mem [][]byte) {
		out := mem[op.output.index]
		if op.a.kind == tflite.Float32 {
			af, bf = op.a.floats(mem, af), op.b.floats(mem, bf)
			for i := range out {
				out[i] = boolByte(floats(af[op.ia[i]], bf[op.ib[i]]))
			}
			return
		}
		aw, bw = decodeWide(op.a.kind, mem[op.a.index], aw), decodeWide(op.b.kind, mem[op.b.index], bw)
		for i := range out {
			out[i] = boolByte(ints(aw[op.ia[i]], bw[op.ib[i]]))
		}
	}
}

func boolByte(v bool) byte {
	if v {
		return 1
	}
	return 0
}

// comparison is one comparison operator: its predicate on integers and on
// floats, and whether TFLM's kernel takes BOOL inputs (EQUAL, NOT_EQUAL).
type comparison struct {
	ints      func(x, y int64) bool
	floats    func(x, y float32) bool
	takesBool bool
}

// buildComparison prepares a comparison of BOOL (EQUAL and NOT_EQUAL
// only), float32, int32, int64 or quantised int8 inputs. TFLM's int8
// comparison rescales both inputs by their scales (QuantizeMultiplier-
// SmallerThanOneExp, which aborts for a scale of 1 or more); its GREATER
// has an int16 path whose parameters its Prepare never sets, refused here.
func buildComparison(c comparison) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		op, err := n.comparisonOperands()
		if err != nil {
			return nil, err
		}
		a, b := op.a, op.b
		switch a.kind {
		case tflite.Float32, tflite.Int32, tflite.Int64:
			return op.boolOutput(c.ints, c.floats), nil
		case tflite.Bool:
			if !c.takesBool {
				return nil, unsupportedf("Type BOOL not supported")
			}
			return op.boolOutput(c.ints, c.floats), nil
		case tflite.Int8:
		default:
			return nil, unsupportedf("Type %v not supported", a.kind)
		}
		for _, t := range []*tensorInfo{a, b} {
			if !(t.scale > 0 && t.scale < 1) {
				return nil, fmt.Errorf("int8 input %d scale %g must be in (0, 1): TFLM aborts", t.index, t.scale)
			}
		}
		m1, s1 := quantizeMultiplier(float64(a.scale))
		m2, s2 := quantizeMultiplier(float64(b.scale))
		off1, off2 := -a.zeroPoint, -b.zeroPoint
		const leftShift = 8
		scaled := func(x int64, off, m int32, s int) int64 {
			return int64(multiplyByQuantizedMultiplier((off+int32(x))*(1<<leftShift), m, s))
		}
		return op.boolOutput(func(x, y int64) bool {
			return c.ints(scaled(x, off1, m1, s1), scaled(y, off2, m2, s2))
		}, nil), nil
	}
}

// comparisonKernels are the six comparison operators.
func comparisonKernels() map[string]kernelBuilder {
	return map[string]kernelBuilder{
		"EQUAL": buildComparison(comparison{takesBool: true,
			ints: func(x, y int64) bool { return x == y }, floats: func(x, y float32) bool { return x == y }}),
		"NOT_EQUAL": buildComparison(comparison{takesBool: true,
			ints: func(x, y int64) bool { return x != y }, floats: func(x, y float32) bool { return x != y }}),
		"GREATER": buildComparison(comparison{
			ints: func(x, y int64) bool { return x > y }, floats: func(x, y float32) bool { return x > y }}),
		"GREATER_EQUAL": buildComparison(comparison{
			ints: func(x, y int64) bool { return x >= y }, floats: func(x, y float32) bool { return x >= y }}),
		"LESS": buildComparison(comparison{
			ints: func(x, y int64) bool { return x < y }, floats: func(x, y float32) bool { return x < y }}),
		"LESS_EQUAL": buildComparison(comparison{
			ints: func(x, y int64) bool { return x <= y }, floats: func(x, y float32) bool { return x <= y }}),
		"LOGICAL_AND": buildLogical(func(x, y bool) bool { return x && y }),
		"LOGICAL_OR":  buildLogical(func(x, y bool) bool { return x || y }),
	}
}

// buildLogical prepares LOGICAL_AND or LOGICAL_OR of BOOL tensors (TFLM
// checks no type and reads any as bool; other types are refused here).
func buildLogical(f func(x, y bool) bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		op, err := n.comparisonOperands()
		if err != nil {
			return nil, err
		}
		if op.a.kind != tflite.Bool {
			return nil, unsupportedf("input type %v (BOOL only)", op.a.kind)
		}
		return op.boolOutput(func(x, y int64) bool { return f(x != 0, y != 0) }, nil), nil
	}
}
