package runtime

import (
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// Differential cases of quantised BATCH_MATMUL (see tflm_ops_test.go):
// int8 and int16 products of tiny to mid-size operands, with adj_x and
// adj_y, broadcast batches, constant operands and per-channel
// quantisation. Besides the outputs they pin down TFLM's minimum arena,
// where the kernel's persistent buffers (transposed operands, output dims)
// reach into its live temporaries: see tflmarena's batchMatMulPrepare.

// bmmShape is one product: the operands' shapes, the output's, and the
// adjoint flags.
type bmmShape struct {
	lhs, rhs, out []int32
	adjX, adjY    bool
}

// bmmShapes are the products every quantised type is run on.
var bmmShapes = []bmmShape{
	{lhs: []int32{1, 1}, rhs: []int32{1, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 2}, rhs: []int32{2, 1}, out: []int32{1, 1}},
	{lhs: []int32{2, 1}, rhs: []int32{1, 2}, out: []int32{2, 2}},
	{lhs: []int32{1, 3}, rhs: []int32{3, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 4}, rhs: []int32{4, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 5}, rhs: []int32{5, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 8}, rhs: []int32{8, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 9}, rhs: []int32{9, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 16}, rhs: []int32{16, 1}, out: []int32{1, 1}},
	{lhs: []int32{1, 17}, rhs: []int32{17, 1}, out: []int32{1, 1}},
	{lhs: []int32{2, 2}, rhs: []int32{2, 2}, out: []int32{2, 2}},
	{lhs: []int32{1, 2}, rhs: []int32{2, 3}, out: []int32{1, 3}},
	{lhs: []int32{3, 2}, rhs: []int32{2, 1}, out: []int32{3, 1}},
	{lhs: []int32{3, 5}, rhs: []int32{5, 2}, out: []int32{3, 2}},
	{lhs: []int32{4, 4}, rhs: []int32{4, 4}, out: []int32{4, 4}},
	{lhs: []int32{5, 7}, rhs: []int32{7, 3}, out: []int32{5, 3}},
	{lhs: []int32{8, 16}, rhs: []int32{16, 8}, out: []int32{8, 8}},
	{lhs: []int32{16, 32}, rhs: []int32{32, 4}, out: []int32{16, 4}},
	{lhs: []int32{3, 40}, rhs: []int32{40, 6}, out: []int32{3, 6}},
	// adj_x: the left operand is stored transposed, [k, m].
	{lhs: []int32{2, 1}, rhs: []int32{2, 1}, out: []int32{1, 1}, adjX: true},
	{lhs: []int32{1, 1}, rhs: []int32{1, 1}, out: []int32{1, 1}, adjX: true},
	{lhs: []int32{3, 2}, rhs: []int32{3, 4}, out: []int32{2, 4}, adjX: true},
	{lhs: []int32{16, 8}, rhs: []int32{16, 8}, out: []int32{8, 8}, adjX: true},
	// adj_y: the right operand is stored transposed, [n, k]; nothing
	// else is transposed.
	{lhs: []int32{1, 2}, rhs: []int32{1, 2}, out: []int32{1, 1}, adjY: true},
	{lhs: []int32{1, 1}, rhs: []int32{1, 1}, out: []int32{1, 1}, adjY: true},
	{lhs: []int32{3, 4}, rhs: []int32{5, 4}, out: []int32{3, 5}, adjY: true},
	{lhs: []int32{8, 16}, rhs: []int32{8, 16}, out: []int32{8, 8}, adjY: true},
	// Both.
	{lhs: []int32{2, 1}, rhs: []int32{1, 2}, out: []int32{1, 1}, adjX: true, adjY: true},
	{lhs: []int32{4, 3}, rhs: []int32{2, 4}, out: []int32{3, 2}, adjX: true, adjY: true},
	// Batches, broadcast either way, and ranks up to 5.
	{lhs: []int32{2, 1, 2}, rhs: []int32{2, 2, 1}, out: []int32{2, 1, 1}},
	{lhs: []int32{1, 1, 2}, rhs: []int32{3, 2, 1}, out: []int32{3, 1, 1}},
	{lhs: []int32{3, 1, 2}, rhs: []int32{2, 1}, out: []int32{3, 1, 1}},
	{lhs: []int32{1, 2}, rhs: []int32{4, 2, 1}, out: []int32{4, 1, 1}},
	{lhs: []int32{2, 1, 3, 4}, rhs: []int32{1, 3, 4, 2}, out: []int32{2, 3, 3, 2}},
	{lhs: []int32{2, 2, 3, 4}, rhs: []int32{2, 1, 4, 2}, out: []int32{2, 2, 3, 2}},
	{lhs: []int32{1, 2, 1, 2, 3}, rhs: []int32{2, 1, 1, 3, 2}, out: []int32{2, 2, 1, 2, 2}},
	{lhs: []int32{2, 3, 2}, rhs: []int32{1, 3, 4}, out: []int32{2, 2, 4}, adjX: true},
	{lhs: []int32{1, 2, 3}, rhs: []int32{2, 4, 3}, out: []int32{2, 2, 4}, adjY: true},
}

// bmmCases runs every shape in int8 (zero points on every operand) and
// int16 (zero points must be 0), plus constant operands and per-channel
// quantisation TFLM reads only the first scale of.
func bmmCases() []tflmCase {
	var cases []tflmCase
	adj := func(x, y bool) *opOptions { return boolOptions(101, 3, 0, x, y) }
	name := func(prefix string, s bmmShape) string {
		n := fmt.Sprintf("%s_%v_%v", prefix, s.lhs, s.rhs)
		if s.adjX {
			n += "_adjx"
		}
		if s.adjY {
			n += "_adjy"
		}
		return sanitizeCaseName(n)
	}
	for _, s := range bmmShapes {
		cases = append(cases, tflmCase{name: name("bmm_int8", s), model: oneOp(126, adj(s.adjX, s.adjY),
			[]tmTensor{q8(s.lhs, 0.05, 3), q8(s.rhs, 0.1, -2), q8(s.out, 0.2, 1)}, []int32{0, 1}, []int32{2})})
		cases = append(cases, tflmCase{name: name("bmm_int16", s), model: oneOp(126, adj(s.adjX, s.adjY),
			[]tmTensor{q16(s.lhs, 0.01, 0), q16(s.rhs, 0.02, 0), q16(s.out, 0.5, 0)}, []int32{0, 1}, []int32{2})})
	}
	// Constant operands: the right one's transposition is cached, the
	// left one is read from the flatbuffer.
	constRHS := constTensor(tflite.Int8, []int32{2, 1}, i8s(5, -7), 0.1)
	constRHS.zero = []int64{-2}
	cases = append(cases, tflmCase{name: "bmm_int8_const_rhs_1x2x1", model: oneOp(126, nil,
		[]tmTensor{q8([]int32{1, 2}, 0.05, 3), constRHS, q8([]int32{1, 1}, 0.2, 1)}, []int32{0, 1}, []int32{2})})
	constLHS := constTensor(tflite.Int16, []int32{3, 4}, i16s(1, -2, 3, -4, 5, -6, 7, -8, 9, -10, 11, -12), 0.01)
	cases = append(cases, tflmCase{name: "bmm_int16_const_lhs_3x4x2", model: oneOp(126, nil,
		[]tmTensor{constLHS, q16([]int32{4, 2}, 0.02, 0), q16([]int32{3, 2}, 0.5, 0)}, []int32{0, 1}, []int32{2})})
	// Per-channel quantisation: TFLM copies every zero point into the
	// temporaries but computes with the first scale and zero point.
	perChannel := func(shape []int32, scales ...float32) tmTensor {
		t := tmTensor{typ: tflite.Int8, shape: shape, scale: scales, zero: make([]int64, len(scales))}
		return t
	}
	cases = append(cases, tflmCase{name: "bmm_int8_per_channel_rhs_1x2x3", model: oneOp(126, nil,
		[]tmTensor{q8([]int32{1, 2}, 0.05, 3), perChannel([]int32{2, 3}, 0.1, 0.2, 0.3), q8([]int32{1, 3}, 0.2, 1)}, []int32{0, 1}, []int32{2})})
	cases = append(cases, tflmCase{name: "bmm_int8_per_channel_out_2x2x4", model: oneOp(126, nil,
		[]tmTensor{q8([]int32{2, 2}, 0.05, 3), q8([]int32{2, 4}, 0.1, -2), perChannel([]int32{2, 4}, 0.2, 0.3, 0.4, 0.5)}, []int32{0, 1}, []int32{2})})
	// TFLM refuses int16 zero points and mismatched inner dimensions.
	cases = append(cases, tflmCase{name: "bmm_int16_zero_point", model: oneOp(126, nil,
		[]tmTensor{q16([]int32{1, 2}, 0.01, 1), q16([]int32{2, 1}, 0.02, 0), q16([]int32{1, 1}, 0.5, 0)}, []int32{0, 1}, []int32{2})})
	cases = append(cases, tflmCase{name: "bmm_int8_inner_mismatch_1x2x3", model: oneOp(126, nil,
		[]tmTensor{q8([]int32{1, 2}, 0.05, 3), q8([]int32{3, 1}, 0.1, -2), q8([]int32{1, 1}, 0.2, 1)}, []int32{0, 1}, []int32{2})})
	return cases
}

// sanitizeCaseName turns a name with Go's slice formatting, "[1 2]", into
// a file name, "1x2".
func sanitizeCaseName(s string) string {
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '[':
		case ']':
		case ' ':
			out = append(out, 'x')
		default:
			out = append(out, c)
		}
	}
	return string(out)
}
