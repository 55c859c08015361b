package runtime

// BATCH_MATMUL after TFLM's batch_matmul.cc and TFLite's reference
// BatchMatMul: out[b][m][n] = sum over k of A[b][m][k] * B[b][k][n], where A
// is the left operand (transposed when adj_x) and B the right one
// (transposed when adj_y), batch dimensions broadcast. float32 sums in
// float32 in order of k; int8 in int32 and int16 in int64, each product of
// zero-point-offset values, rescaled as FULLY_CONNECTED does.

import (
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// matmulGeom is the shape of a batched matrix product.
type matmulGeom struct {
	m, k, n int
	// batches is the number of output matrices; aOff and bOff give, for
	// each, the element offset of its left and right matrix.
	batches    int
	aOff, bOff []int
	adjX, adjY bool
}

// buildBatchMatMul prepares BATCH_MATMUL with TFLM's checks: float32, int8
// or int16 operands of one type and rank 2 to 5, batch dimensions equal or
// 1, inner dimensions equal, int16 zero points 0. TFLM rewrites the
// output's shape to the product's; the model's output must hold as many
// elements (and have at least the product's rank).
func buildBatchMatMul(n *node) (func([][]byte), error) {
	o, err := n.op.BatchMatMulOptions()
	n.keep(err)
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	lhs, rhs := ins[0], ins[1]
	for _, t := range []*tensorInfo{lhs, rhs} {
		if t.kind != tflite.Float32 && t.kind != tflite.Int8 && t.kind != tflite.Int16 {
			return nil, unsupportedf("operand type %v (float32, int8 and int16 only)", t.kind)
		}
	}
	if lhs.kind != rhs.kind || lhs.kind != output.kind {
		return nil, unsupportedf("types %v x %v -> %v (must be one type)", lhs.kind, rhs.kind, output.kind)
	}
	lr, rr := len(lhs.shape), len(rhs.shape)
	if lr < 2 || lr > 5 || rr < 2 || rr > 5 {
		return nil, fmt.Errorf("operand ranks %d and %d (2 to 5)", lr, rr)
	}
	rank := max(lr, rr)
	ext := func(s []int) []int {
		e := make([]int, rank-len(s), rank)
		for i := range e {
			e[i] = 1
		}
		return append(e, s...)
	}
	el, er := ext(lhs.shape), ext(rhs.shape)
	outShape := make([]int, rank)
	for i := range rank - 2 {
		switch {
		case el[i] == er[i], er[i] == 1:
			outShape[i] = el[i]
		case el[i] == 1:
			outShape[i] = er[i]
		default:
			return nil, fmt.Errorf("batch dimensions %v and %v do not broadcast", lhs.shape, rhs.shape)
		}
	}
	g := &matmulGeom{adjX: o.AdjX, adjY: o.AdjY}
	g.m, g.k = el[rank-2], el[rank-1]
	if o.AdjX {
		g.m, g.k = g.k, g.m
	}
	kr, nn := er[rank-2], er[rank-1]
	if o.AdjY {
		kr, nn = nn, kr
	}
	g.n = nn
	if g.k != kr {
		return nil, fmt.Errorf("inner dimensions %d and %d differ (shapes %v, %v, adj_x %v, adj_y %v)", g.k, kr, lhs.shape, rhs.shape, o.AdjX, o.AdjY)
	}
	outShape[rank-2], outShape[rank-1] = g.m, g.n
	if len(output.shape) < rank || output.elems != product(outShape) {
		return nil, fmt.Errorf("output %v cannot hold the product's shape %v", output.shape, outShape)
	}
	// Each batch's matrix offset in either operand: broadcast dimensions
	// repeat their one matrix.
	g.batches = product(outShape[:rank-2])
	g.aOff, g.bOff = make([]int, g.batches), make([]int, g.batches)
	coord := make([]int, rank-2)
	for b := range g.batches {
		a, c := 0, 0
		for i, x := range coord {
			a = a*el[i] + min(x, el[i]-1)
			c = c*er[i] + min(x, er[i]-1)
		}
		g.aOff[b], g.bOff[b] = a*el[rank-2]*el[rank-1], c*er[rank-2]*er[rank-1]
		for i := len(coord) - 1; i >= 0; i-- {
			if coord[i]++; coord[i] < outShape[i] {
				break
			}
			coord[i] = 0
		}
	}
	if lhs.kind == tflite.Float32 {
		var aBuf, bBuf, outBuf []float32
		return func(mem [][]byte) {
			aBuf, bBuf = lhs.floats(mem, aBuf), rhs.floats(mem, bBuf)
			outBuf = resizeFloats(outBuf, output.elems)
			g.floats(aBuf, bBuf, outBuf)
			encodeFloats(mem[output.index], outBuf)
		}, nil
	}
	if !lhs.quantized || !rhs.quantized || !output.quantized {
		return nil, fmt.Errorf("quantised BATCH_MATMUL needs scales on both operands and the output")
	}
	if lhs.kind == tflite.Int16 && (lhs.zeroPoint != 0 || rhs.zeroPoint != 0 || output.zeroPoint != 0) {
		return nil, fmt.Errorf("int16 zero points %d, %d, %d must be 0", lhs.zeroPoint, rhs.zeroPoint, output.zeroPoint)
	}
	// GetQuantizedConvolutionMultipler: the scales' product in float32.
	rq := &requant{outputOffset: output.zeroPoint, wide: lhs.kind == tflite.Int16}
	mult, shift := quantizeMultiplier(float64(lhs.scale*rhs.scale) / float64(output.scale))
	rq.multiplier, rq.shift = []int32{mult}, []int{shift}
	rq.actMin, rq.actMax = typeRange(output.kind)
	if err := rq.checkShifts(); err != nil {
		return nil, err
	}
	var aBuf, bBuf, outBuf []int32
	return func(mem [][]byte) {
		aBuf, bBuf = lhs.ints(mem, aBuf), rhs.ints(mem, bBuf)
		outBuf = resizeInts(outBuf, output.elems)
		g.ints(aBuf, bBuf, -lhs.zeroPoint, -rhs.zeroPoint, rq, outBuf)
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// strides returns how the element (row r, column c) of the left operand A
// and (row r, column c) of the right operand B are found in their data:
// A[r][c] at aRow*r + aCol*c, B[r][c] at bRow*r + bCol*c.
func (g *matmulGeom) strides() (aRow, aCol, bRow, bCol int) {
	aRow, aCol = g.k, 1
	if g.adjX { // stored as k x m
		aRow, aCol = 1, g.m
	}
	bRow, bCol = g.n, 1
	if g.adjY { // stored as n x k
		bRow, bCol = 1, g.k
	}
	return aRow, aCol, bRow, bCol
}

// floats computes the float32 product, summing over k in order.
func (g *matmulGeom) floats(a, b, out []float32) {
	aRow, aCol, bRow, bCol := g.strides()
	for batch := range g.batches {
		ab, bb, ob := g.aOff[batch], g.bOff[batch], batch*g.m*g.n
		for i := range g.m {
			for j := range g.n {
				var total float32
				ai, bj := ab+i*aRow, bb+j*bCol
				for k := range g.k {
					total += float32(b[bj+k*bRow] * a[ai+k*aCol])
				}
				out[ob+i*g.n+j] = total
			}
		}
	}
}

// ints computes the quantised product: offset values multiplied and summed
// (int32 for int8, int64 for int16), then requantised.
func (g *matmulGeom) ints(a, b []int32, aOffset, bOffset int32, rq *requant, out []int32) {
	aRow, aCol, bRow, bCol := g.strides()
	for batch := range g.batches {
		ab, bb, ob := g.aOff[batch], g.bOff[batch], batch*g.m*g.n
		for i := range g.m {
			for j := range g.n {
				var total int64
				ai, bj := ab+i*aRow, bb+j*bCol
				if rq.wide {
					for k := range g.k {
						total += int64(b[bj+k*bRow]+bOffset) * int64(a[ai+k*aCol]+aOffset)
					}
				} else {
					var t32 int32
					for k := range g.k {
						t32 += (b[bj+k*bRow] + bOffset) * (a[ai+k*aCol] + aOffset)
					}
					total = int64(t32)
				}
				out[ob+i*g.n+j] = rq.apply(total, 0)
			}
		}
	}
}
