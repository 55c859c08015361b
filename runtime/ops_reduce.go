package runtime

// Reductions over axes: MEAN, SUM, REDUCE_MAX, REDUCE_MIN and REDUCE_ALL,
// after TFLM's reduce.cc and reduce_common.cc and TFLite's reference
// reduce.h: the input walked in order, each element folded into its
// output element; axes may repeat or count from the end; the axis tensor
// may be computed at run time.

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// reduceKind is one of the reductions.
type reduceKind int

const (
	reduceMean reduceKind = iota
	reduceSum
	reduceMax
	reduceMin
	reduceAll
)

// reduceMap is how the input's elements fold into the output's: outIndex
// for every input element, and how many input elements each output takes.
type reduceMap struct {
	outIndex []int
	count    int // input elements per output element
	outElems int
}

// newReduceMap resolves axes (TFLite's ResolveAxis: negative axes count
// from the end, repeats are dropped) over shape. A rank-0 input reduces
// to itself whatever the axes.
func newReduceMap(shape []int, axes []int32) (*reduceMap, error) {
	rank := len(shape)
	reduced := make([]bool, rank)
	if rank > 0 {
		for _, a := range axes {
			ax := int(a)
			if ax < 0 {
				ax += rank
			}
			if ax < 0 || ax >= rank {
				return nil, fmt.Errorf("axis %d out of range for rank %d", a, rank)
			}
			reduced[ax] = true
		}
	}
	m := &reduceMap{count: 1, outElems: 1}
	strides := make([]int, rank) // output stride of each kept axis
	for i := rank - 1; i >= 0; i-- {
		if reduced[i] {
			m.count *= shape[i]
			continue
		}
		strides[i] = m.outElems
		m.outElems *= shape[i]
	}
	total := product(shape)
	m.outIndex = make([]int, total)
	coord := make([]int, rank)
	off := 0
	for k := range m.outIndex {
		m.outIndex[k] = off
		for i := rank - 1; i >= 0; i-- {
			coord[i]++
			off += strides[i]
			if coord[i] < shape[i] {
				break
			}
			off -= strides[i] * shape[i]
			coord[i] = 0
		}
	}
	return m, nil
}

// buildReduce prepares a reduction with TFLM's types and checks: MEAN and
// SUM of float32, int8 and int16; REDUCE_MAX and REDUCE_MIN of float32 and
// int8 (input and output quantised alike); REDUCE_ALL of BOOL.
func buildReduce(kind reduceKind) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		o, err := n.op.ReducerOptions()
		n.keep(err)
		_ = o.KeepDims // the output's shape says it; the data are the same
		ins, output, err := n.exactIO(2)
		if err != nil {
			return nil, err
		}
		input, axisT := ins[0], ins[1]
		if axisT.kind != tflite.Int32 {
			return nil, unsupportedf("axis type %v (INT32 only)", axisT.kind)
		}
		if output.kind != input.kind {
			return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
		}
		switch {
		case kind == reduceAll && input.kind != tflite.Bool:
			return nil, unsupportedf("Only Bool is accepted as input type")
		case kind == reduceAll:
		case input.kind == tflite.Float32, input.kind == tflite.Int8:
		case input.kind == tflite.Int16 && (kind == reduceMean || kind == reduceSum):
		default:
			return nil, unsupportedf("type %v not supported", input.kind)
		}
		if (kind == reduceMax || kind == reduceMin) && input.kind == tflite.Int8 &&
			(input.scale != output.scale || input.zeroPoint != output.zeroPoint) {
			return nil, fmt.Errorf("int8 input and output quantisation differ (%g, %d vs %g, %d)", input.scale, input.zeroPoint, output.scale, output.zeroPoint)
		}
		if kind == reduceMean && input.kind == tflite.Float32 && input.elems == 0 {
			// TFLM's float Mean reads the first element of the empty input.
			return nil, fmt.Errorf("MEAN of the empty input %v", input.shape)
		}
		if (kind == reduceMean || kind == reduceSum) && input.kind != tflite.Float32 && input.kind != tflite.Int32 {
			_, shift := quantizeMultiplier(float64(input.scale) / float64(output.scale))
			if err := checkShift(shift); err != nil {
				return nil, err
			}
		}
		fold := reduceFold(kind, input, output)
		var axes []int32
		var m *reduceMap
		if axisT.constant != nil {
			axes = decodeInts(tflite.Int32, axisT.constant, nil)
			if m, err = newReduceMap(input.shape, axes); err != nil {
				return nil, err
			}
			if m.outElems != output.elems {
				return nil, fmt.Errorf("input %v reduced over %v gives %d elements, output %v holds %d", input.shape, axes, m.outElems, output.shape, output.elems)
			}
		}
		var axisBuf []int32
		return func(mem [][]byte) {
			if axisT.constant == nil {
				axisBuf = axisT.ints(mem, axisBuf)
				if m == nil || !slices.Equal(axisBuf, axes) {
					nm, err := newReduceMap(input.shape, axisBuf)
					if err == nil && nm.outElems != output.elems {
						err = fmt.Errorf("input %v reduced over %v gives %d elements, output %v holds %d", input.shape, axisBuf, nm.outElems, output.shape, output.elems)
					}
					if err != nil {
						n.runFail(err)
						return
					}
					m, axes = nm, append(axes[:0], axisBuf...)
				}
			}
			fold(mem, m)
		}, nil
	}
}

// reduceFold returns the evaluation of a reduction for the input's type
// (one buildReduce accepts).
func reduceFold(kind reduceKind, input, output *tensorInfo) func(mem [][]byte, m *reduceMap) {
	switch {
	case kind == reduceAll:
		return func(mem [][]byte, m *reduceMap) {
			in, out := mem[input.index], mem[output.index]
			for i := range out {
				out[i] = 1
			}
			for k, v := range in {
				if v == 0 {
					out[m.outIndex[k]] = 0
				}
			}
		}
	case input.kind == tflite.Float32:
		var inBuf, outBuf []float32
		return func(mem [][]byte, m *reduceMap) {
			inBuf = input.floats(mem, inBuf)
			outBuf = resizeFloats(outBuf, output.elems)
			switch kind {
			case reduceMean, reduceSum:
				clear(outBuf)
				for k, v := range inBuf {
					outBuf[m.outIndex[k]] += v
				}
				if kind == reduceMean && m.count > 0 {
					for i := range outBuf {
						outBuf[i] /= float32(m.count)
					}
				}
			case reduceMax, reduceMin:
				init := float32(-math.MaxFloat32)
				if kind == reduceMin {
					init = math.MaxFloat32
				}
				for i := range outBuf {
					outBuf[i] = init
				}
				for k, v := range inBuf {
					o := m.outIndex[k]
					if (kind == reduceMax && v > outBuf[o]) || (kind == reduceMin && v < outBuf[o]) {
						outBuf[o] = v
					}
				}
			}
			encodeFloats(mem[output.index], outBuf)
		}
	case kind == reduceMax || kind == reduceMin:
		lo, hi := typeRange(input.kind)
		var inBuf, outBuf []int32
		return func(mem [][]byte, m *reduceMap) {
			inBuf = input.ints(mem, inBuf)
			outBuf = resizeInts(outBuf, output.elems)
			for i := range outBuf {
				if kind == reduceMax {
					outBuf[i] = lo
				} else {
					outBuf[i] = hi
				}
			}
			for k, v := range inBuf {
				o := m.outIndex[k]
				if kind == reduceMax {
					outBuf[o] = max(outBuf[o], v)
				} else {
					outBuf[o] = min(outBuf[o], v)
				}
			}
			encodeInts(output.kind, mem[output.index], outBuf)
		}
	}
	// Quantised MEAN and SUM (TFLite's QuantizedMeanOrSum): an int32 sum
	// that wraps, less the zero points, rescaled; MEAN folds the division
	// by the element count into the multiplier.
	mult, shift := quantizeMultiplier(float64(input.scale) / float64(output.scale))
	lo, hi := typeRange(output.kind)
	var inBuf, outBuf []int32
	return func(mem [][]byte, m *reduceMap) {
		inBuf = input.ints(mem, inBuf)
		outBuf = resizeInts(outBuf, output.elems)
		clear(outBuf)
		if input.elems == 0 || m.count == 0 {
			encodeInts(output.kind, mem[output.index], outBuf)
			return
		}
		for k, v := range inBuf {
			outBuf[m.outIndex[k]] += v
		}
		om, os := mult, shift
		if kind == reduceMean {
			s := min(63-bits.LeadingZeros64(uint64(m.count)), 32, 31+shift)
			om = int32((int64(mult) << s) / int64(m.count))
			os = shift - s
		}
		for i, sum := range outBuf {
			v := multiplyByQuantizedMultiplier(int32(int64(sum)-int64(input.zeroPoint)*int64(m.count)), om, os) + output.zeroPoint
			outBuf[i] = clamp32(v, lo, hi)
		}
		encodeInts(output.kind, mem[output.index], outBuf)
	}
}
