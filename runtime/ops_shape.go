package runtime

// Operators that reshape, pad, slice or join data: RESHAPE, EXPAND_DIMS,
// PAD, PADV2, STRIDED_SLICE, CONCATENATION.

import (
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// buildReshape prepares RESHAPE (and the shape-only ops that share it:
// SQUEEZE and, for its types, EXPAND_DIMS): the output bytes are the input bytes.
func buildReshape(n *node) (func([][]byte), error) {
	input, err := n.need(0)
	if err != nil {
		return nil, err
	}
	output := n.output(0)
	if output == nil {
		return nil, fmt.Errorf("output missing")
	}
	if input.bytes != output.bytes {
		return nil, fmt.Errorf("input %v and output %v differ in size", input.shape, output.shape)
	}
	return func(mem [][]byte) { copy(mem[output.index], mem[input.index]) }, nil
}

// buildExpandDims prepares EXPAND_DIMS as a RESHAPE of the element types
// TFLM's kernel copies: int8, int16 and float32 (its Eval fails on others).
// TFLM's Prepare wants a constant int32 axis of at most one dimension and
// an output shape that is the input's with a 1 inserted at the axis.
func buildExpandDims(n *node) (func([][]byte), error) {
	input, err := n.need(0)
	if err != nil {
		return nil, err
	}
	if k := input.kind; k != tflite.Int8 && k != tflite.Int16 && k != tflite.Float32 {
		return nil, unsupportedf("type %v not supported (int8, int16 and float32 only)", k)
	}
	axisT, err := n.need(1)
	if err != nil {
		return nil, err
	}
	if axisT.kind != tflite.Int32 || len(axisT.shape) > 1 || axisT.elems < 1 {
		return nil, unsupportedf("axis of type %v and shape %v (a constant INT32 of one element)", axisT.kind, axisT.shape)
	}
	v, err := axisT.constInts()
	if err != nil {
		return nil, err
	}
	axis, rank := int(v[0]), len(input.shape)
	if axis < 0 {
		axis += rank + 1
	}
	output := n.output(0)
	if output == nil || axis < 0 || axis > rank ||
		!slices.Equal(output.shape, slices.Insert(slices.Clone(input.shape), axis, 1)) {
		return nil, fmt.Errorf("output shape is not input shape %v with a 1 inserted at axis %d", input.shape, v[0])
	}
	return buildReshape(n)
}

// buildPad prepares PAD and PADV2: the input copied into the output's
// interior, the border filled with PADV2's value when given (read at run
// time, as TFLM does), or else zero: the output zero point for int8, a
// plain 0 for every other type (TFLM pads int16 with 0 whatever its zero
// point).
func buildPad(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, paddings := ins[0], ins[1]
	pads, err := paddings.constInts()
	if err != nil {
		return nil, err
	}
	rank := len(input.shape)
	if len(pads) != 2*rank || len(output.shape) != rank || output.kind != input.kind {
		return nil, fmt.Errorf("paddings %v do not fit input %v and output %v", paddings.shape, input.shape, output.shape)
	}
	switch input.kind {
	case tflite.Float32, tflite.Int8, tflite.Int16, tflite.Int32:
	default:
		return nil, unsupportedf("type %v not supported (float32, int8, int16 and int32 only, as TFLM's Eval)", input.kind)
	}
	if rank > 5 {
		return nil, unsupportedf("input of rank %d (at most 5)", rank)
	}
	for i := range rank {
		if pads[2*i] < 0 || pads[2*i+1] < 0 || input.shape[i]+int(pads[2*i])+int(pads[2*i+1]) != output.shape[i] {
			return nil, fmt.Errorf("paddings %v do not fit input %v and output %v", pads, input.shape, output.shape)
		}
	}
	size := elemSize(input.kind)
	value := make([]byte, size)
	padValue := n.input(2)
	switch {
	case padValue != nil:
		if padValue.bytes != size || padValue.kind != input.kind {
			return nil, fmt.Errorf("pad value must be a scalar of the input type")
		}
		// TFLM's PadPrepare: an int8 pad value must be quantised as the
		// output is.
		if input.kind == tflite.Int8 && (padValue.zeroPoint != output.zeroPoint || padValue.scale != output.scale) {
			return nil, fmt.Errorf("int8 pad value's zero point %d and scale %g differ from the output's %d and %g",
				padValue.zeroPoint, padValue.scale, output.zeroPoint, output.scale)
		}
	case output.kind == tflite.Int8:
		if output.zeroPoint < math.MinInt8 || output.zeroPoint > math.MaxInt8 {
			return nil, fmt.Errorf("int8 output zero point %d out of range", output.zeroPoint)
		}
		encodeInts(output.kind, value, []int32{output.zeroPoint})
	}
	// srcIndex[k] is the input element copied to output element k, or -1.
	srcIndex := make([]int, output.elems)
	coord := make([]int, rank)
	for k := range srcIndex {
		src := 0
		for i, c := range coord {
			c -= int(pads[2*i])
			if c < 0 || c >= input.shape[i] {
				src = -1
				break
			}
			src = src*input.shape[i] + c
		}
		srcIndex[k] = src
		for i := rank - 1; i >= 0; i-- {
			if coord[i]++; coord[i] < output.shape[i] {
				break
			}
			coord[i] = 0
		}
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		if padValue != nil {
			copy(value, mem[padValue.index])
		}
		for k, src := range srcIndex {
			if src < 0 {
				copy(out[k*size:], value)
			} else {
				copy(out[k*size:(k+1)*size], in[src*size:])
			}
		}
	}, nil
}

// gather builds a byte-copying kernel: output element k is input element
// srcIndex[k].
func gather(input, output *tensorInfo, srcIndex []int) func([][]byte) {
	size := elemSize(input.kind)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for k, src := range srcIndex {
			copy(out[k*size:(k+1)*size], in[src*size:])
		}
	}
}

// buildStridedSlice prepares STRIDED_SLICE with constant begin, end and
// strides (TFLM's StridedSliceStartForAxis/EndForAxis rules) over an input
// of rank 4 at most. TFLM reads one begin, end and stride per input
// dimension, and copies only the begin, end and shrink-axis masks into its
// parameters: it ignores the ellipsis and new-axis masks and the offset
// option, and so does this kernel.
func buildStridedSlice(n *node) (func([][]byte), error) {
	ins, output, err := n.io(4)
	if err != nil {
		return nil, err
	}
	input := ins[0]
	var vecs [3][]int32
	for k := range vecs {
		if vecs[k], err = ins[k+1].constInts(); err != nil {
			return nil, err
		}
	}
	b, e, s := vecs[0], vecs[1], vecs[2]
	o := n.stridedSliceOptions()
	rank := len(input.shape)
	if rank > 4 {
		return nil, unsupportedf("input of rank %d (at most 4)", rank)
	}
	if len(b) != rank || len(e) != rank || len(s) != rank {
		return nil, fmt.Errorf("begin/end/strides of %d/%d/%d values for rank %d", len(b), len(e), len(s), rank)
	}
	if output.kind != input.kind {
		return nil, unsupportedf("%v -> %v not supported", input.kind, output.kind)
	}
	beginMask, endMask, shrinkMask := o.beginMask, o.endMask, o.shrinkAxisMask
	starts, stops := make([]int, rank), make([]int, rank)
	count := 1
	for ax := range rank {
		size := input.shape[ax]
		stride := int(s[ax])
		if stride == 0 {
			return nil, fmt.Errorf("stride 0 on axis %d", ax)
		}
		start := int(b[ax])
		if start < 0 {
			start += size
		}
		if stride > 0 {
			start = min(max(start, 0), size)
		} else {
			start = min(max(start, -1), size-1)
		}
		if beginMask&(1<<ax) != 0 {
			start = 0
			if stride < 0 {
				start = size - 1
			}
		}
		var stop int
		if shrinkMask&(1<<ax) != 0 {
			stop = start + 1
			if start >= size {
				stop = start
			}
		} else {
			stop = int(e[ax])
			if stop < 0 {
				stop += size
			}
			if stride > 0 {
				stop = min(max(stop, 0), size)
			} else {
				stop = min(max(stop, -1), size-1)
			}
			if endMask&(1<<ax) != 0 {
				stop = size
				if stride < 0 {
					stop = -1
				}
			}
		}
		starts[ax], stops[ax] = start, stop
		n := 0
		if stride > 0 && stop > start {
			n = (stop - start + stride - 1) / stride
		} else if stride < 0 && stop < start {
			n = (start - stop - stride - 1) / -stride
		}
		count *= n
	}
	if count != output.elems {
		return nil, fmt.Errorf("slice has %d elements, output shape %v", count, output.shape)
	}
	srcIndex := make([]int, 0, count)
	var walk func(ax, base int)
	walk = func(ax, base int) {
		if ax == rank {
			srcIndex = append(srcIndex, base)
			return
		}
		stride := int(s[ax])
		for i := starts[ax]; (stride > 0 && i < stops[ax]) || (stride < 0 && i > stops[ax]); i += stride {
			walk(ax+1, base*input.shape[ax]+i)
		}
	}
	if count > 0 {
		walk(0, 0)
	}
	return gather(input, output, srcIndex), nil
}

// buildConcatenation prepares CONCATENATION, a byte copy: int8 inputs
// share the output's quantisation, and TFLM copies int16 inputs as they
// are whatever their scales.
func buildConcatenation(n *node) (func([][]byte), error) {
	output := n.output(0)
	if output == nil || len(n.inputs) == 0 {
		return nil, fmt.Errorf("needs inputs and an output")
	}
	if len(n.inputs) > 10 {
		return nil, unsupportedf("%d inputs (TFLM takes 10 at most)", len(n.inputs))
	}
	axis, err := n.concatAxis()
	if err != nil {
		return nil, err
	}
	rank := len(output.shape)
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return nil, fmt.Errorf("axis %d out of range for rank %d", axis, rank)
	}
	outer := 1
	for _, d := range output.shape[:axis] {
		outer *= d
	}
	inner := elemSize(output.kind)
	for _, d := range output.shape[axis+1:] {
		inner *= d
	}
	var ins []*tensorInfo
	total := 0
	for k := range n.inputs {
		t, err := n.need(k)
		if err != nil {
			return nil, err
		}
		if t.kind != output.kind || len(t.shape) != rank {
			return nil, fmt.Errorf("input %d shape %v does not fit output %v", k, t.shape, output.shape)
		}
		for i, d := range t.shape {
			if i != axis && d != output.shape[i] {
				return nil, fmt.Errorf("input %d shape %v does not fit output %v", k, t.shape, output.shape)
			}
		}
		// TFLM requires int8 inputs to share the output's quantisation; int16
		// inputs are copied whatever their scale.
		if t.kind == tflite.Int8 && t.quantized && output.quantized && (t.scale != output.scale || t.zeroPoint != output.zeroPoint) {
			return nil, fmt.Errorf("input %d is quantised differently from the output", k)
		}
		total += t.shape[axis]
		ins = append(ins, t)
	}
	if total != output.shape[axis] {
		return nil, fmt.Errorf("inputs sum to %d along axis %d, output has %d", total, axis, output.shape[axis])
	}
	return func(mem [][]byte) {
		out := mem[output.index]
		pos := 0
		for o := range outer {
			for _, t := range ins {
				chunk := t.shape[axis] * inner
				copy(out[pos:pos+chunk], mem[t.index][o*chunk:])
				pos += chunk
			}
		}
	}, nil
}

// buildMirrorPad prepares MIRROR_PAD of float32 or int8: the border
// mirrored from the interior, REFLECT leaving the edge out (mode 0) and
// SYMMETRIC repeating it (mode 1), by TFLite's GetInputDimension. The
// paddings (INT32 or INT64, [rank, 2]) are read at run time; the output
// must be the padded shape, and paddings reaching past what can be
// mirrored fail the run (TFLM reads outside the input).
func buildMirrorPad(n *node) (func([][]byte), error) {
	o, err := n.op.MirrorPadOptions()
	n.keep(err)
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, paddings := ins[0], ins[1]
	rank := len(input.shape)
	if len(paddings.shape) != 2 || paddings.shape[0] != rank || paddings.shape[1] != 2 {
		return nil, fmt.Errorf("paddings %v do not fit input rank %d", paddings.shape, rank)
	}
	if paddings.kind != tflite.Int32 && paddings.kind != tflite.Int64 {
		return nil, unsupportedf("paddings type %v (INT32 or INT64)", paddings.kind)
	}
	if input.kind != tflite.Float32 && input.kind != tflite.Int8 {
		return nil, unsupportedf("type %v (float32 and int8 only)", input.kind)
	}
	if output.kind != input.kind || len(output.shape) != rank {
		return nil, fmt.Errorf("output %v%v does not fit input %v%v", output.kind, output.shape, input.kind, input.shape)
	}
	offset := 1 // REFLECT
	if o.Mode != 0 {
		offset = 0
	}
	// srcIndex maps the output's elements to the input's for one set of
	// paddings.
	srcIndexOf := func(pads []int64) ([]int, error) {
		for i := range rank {
			l, r, d := pads[2*i], pads[2*i+1], int64(input.shape[i])
			if l < 0 || r < 0 || l > d-int64(offset) || r > d-int64(offset) || d+l+r != int64(output.shape[i]) {
				return nil, fmt.Errorf("paddings %v cannot mirror input %v into output %v", pads, input.shape, output.shape)
			}
		}
		index := make([]int, output.elems)
		coord := make([]int, rank)
		for k := range index {
			src := 0
			for i, c := range coord {
				src = src*input.shape[i] + mirrorIndex(c, int(pads[2*i]), input.shape[i], offset)
			}
			index[k] = src
			for i := rank - 1; i >= 0; i-- {
				if coord[i]++; coord[i] < output.shape[i] {
					break
				}
				coord[i] = 0
			}
		}
		return index, nil
	}
	var fixed []int
	if paddings.constant != nil {
		if fixed, err = srcIndexOf(decodeWide(paddings.kind, paddings.constant, nil)); err != nil {
			return nil, err
		}
	}
	size := elemSize(input.kind)
	var padBuf []int64
	return func(mem [][]byte) {
		index := fixed
		if index == nil {
			padBuf = decodeWide(paddings.kind, mem[paddings.index], padBuf)
			var err error
			if index, err = srcIndexOf(padBuf); err != nil {
				n.runFail(err)
				return
			}
		}
		in, out := mem[input.index], mem[output.index]
		for k, src := range index {
			copy(out[k*size:(k+1)*size], in[src*size:])
		}
	}, nil
}

// mirrorIndex is TFLite's GetInputDimension: the input index that padded
// index v mirrors, offset 1 for REFLECT and 0 for SYMMETRIC.
func mirrorIndex(v, left, size, offset int) int {
	if v < left {
		original := left + offset - 1
		return original - min(v, original-offset)
	}
	v -= left
	if v >= size {
		v -= size
		original := size - (1 + offset)
		return original - min(v, original)
	}
	return v
}
