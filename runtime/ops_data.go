package runtime

// Operators that move data: TRANSPOSE, SHAPE, PACK, UNPACK, SPLIT,
// SPLIT_V, GATHER, GATHER_ND, RESIZE_NEAREST_NEIGHBOR and RESIZE_BILINEAR.
// TFLM's kernels take most output shapes on trust; here every output must
// have the shape the kernel computes, so that no copy runs outside a
// tensor.

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// wantKinds fails unless kind is one of kinds, naming what TFLM's kernel
// accepts.
func wantKinds(what string, kind tflite.TensorType, kinds ...tflite.TensorType) error {
	if slices.Contains(kinds, kind) {
		return nil
	}
	names := make([]string, len(kinds))
	for i, k := range kinds {
		names[i] = k.String()
	}
	return unsupportedf("%s type %v not supported (TFLM's kernel takes %v)", what, kind, names)
}

// constInt32s decodes a constant INT32 tensor.
func constInt32s(t *tensorInfo) ([]int32, error) {
	if t.kind != tflite.Int32 {
		return nil, unsupportedf("tensor %d %q is %v, not INT32", t.index, t.name, t.kind)
	}
	return t.constInts()
}

// wantShape fails unless the output has the shape the kernel computes.
func wantShape(output *tensorInfo, shape []int) error {
	if !slices.Equal(output.shape, shape) {
		return fmt.Errorf("output %d %q has shape %v, the operator gives %v", output.index, output.name, output.shape, shape)
	}
	return nil
}

// product multiplies dimensions.
func product(dims []int) int {
	n := 1
	for _, d := range dims {
		n *= d
	}
	return n
}

// buildTranspose prepares TRANSPOSE with a constant permutation (TFLM's
// TransposePrepare): float32, int8 and int16 tensors of rank 1 to 5.
func buildTranspose(n *node) (func([][]byte), error) {
	n.checkOptions()
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	input, permT := ins[0], ins[1]
	rank := len(input.shape)
	if rank > 5 {
		return nil, unsupportedf("Transpose op only supports 1D-5D input arrays")
	}
	if rank == 0 {
		return nil, fmt.Errorf("input %d %q is a scalar", input.index, input.name)
	}
	if input.kind != output.kind {
		return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
	}
	if permT.constant == nil {
		return nil, unsupportedf("Non-constant >perm< tensor is not supported")
	}
	perm, err := constInt32s(permT)
	if err != nil {
		return nil, err
	}
	if len(permT.shape) != 1 || len(perm) != rank {
		return nil, fmt.Errorf("permutation %v does not fit input shape %v", perm, input.shape)
	}
	seen := make([]bool, rank)
	shape := make([]int, rank)
	axes := make([]int, rank)
	for i, p := range perm {
		if p < 0 || int(p) >= rank {
			return nil, fmt.Errorf("Transpose op permutations array is out of bounds: %v", perm)
		}
		if seen[p] {
			return nil, fmt.Errorf("%v is not a permutation: axis %d appears twice", perm, p)
		}
		seen[p] = true
		axes[i] = int(p)
		shape[i] = input.shape[p]
	}
	if err := wantKinds("input", input.kind, tflite.Float32, tflite.Int8, tflite.Int16); err != nil {
		return nil, err
	}
	if err := wantShape(output, shape); err != nil {
		return nil, err
	}
	size := elemSize(input.kind)
	return func(mem [][]byte) {
		transposeBytes(mem[output.index], mem[input.index], size, input.shape, axes)
	}, nil
}

// transposeBytes writes to out the elements of in (of size bytes each, in
// shape inShape) with the axes permuted: output axis i is input axis
// perm[i]. It walks the output in order, moving the input offset by each
// axis's stride, so it costs one step per element.
func transposeBytes(out, in []byte, size int, inShape, perm []int) {
	rank := len(inShape)
	if product(inShape) == 0 {
		return
	}
	inStride := make([]int, rank)
	stride := size
	for i := rank - 1; i >= 0; i-- {
		inStride[i] = stride
		stride *= inShape[i]
	}
	// Along output axis i the input offset moves by step[i] bytes.
	step := make([]int, rank)
	dims := make([]int, rank)
	for i, p := range perm {
		step[i], dims[i] = inStride[p], inShape[p]
	}
	coord := make([]int, rank)
	last := rank - 1
	innerDim, innerStep := dims[last], step[last]
	src, dst := 0, 0
	for {
		s := src
		if size == 1 {
			for range innerDim {
				out[dst] = in[s]
				dst++
				s += innerStep
			}
		} else {
			for range innerDim {
				copy(out[dst:dst+size], in[s:s+size])
				dst += size
				s += innerStep
			}
		}
		// Carry into the outer axes.
		i := last - 1
		for ; i >= 0; i-- {
			coord[i]++
			src += step[i]
			if coord[i] < dims[i] {
				break
			}
			src -= step[i] * dims[i]
			coord[i] = 0
		}
		if i < 0 {
			return
		}
	}
}

// buildShape prepares SHAPE: the input's dimensions as an INT32 vector
// (TFLM's kernel writes no other type).
func buildShape(n *node) (func([][]byte), error) {
	o, err := n.op.ShapeOptions()
	n.keep(err)
	_ = o // the output tensor's type decides, as in TFLM
	if len(n.inputs) != 1 || len(n.outputs) != 1 {
		return nil, fmt.Errorf("takes 1 input and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if output.kind != tflite.Int32 {
		return nil, unsupportedf("Output type %v not supported", output.kind)
	}
	if output.elems != len(input.shape) {
		return nil, fmt.Errorf("output %v cannot hold the %d dimensions of the input", output.shape, len(input.shape))
	}
	dims := make([]int32, len(input.shape))
	for i, d := range input.shape {
		dims[i] = int32(d)
	}
	return func(mem [][]byte) { encodeInts(tflite.Int32, mem[output.index], dims) }, nil
}

// buildPack prepares PACK: its values_count inputs, all of one shape,
// stacked along a new axis. TFLM has no Prepare and reads values_count
// inputs whatever the operator has.
func buildPack(n *node) (func([][]byte), error) {
	o := n.packOptions()
	output := n.output(0)
	if output == nil {
		return nil, fmt.Errorf("output missing")
	}
	if int(o.ValuesCount) != len(n.inputs) || o.ValuesCount < 1 {
		return nil, fmt.Errorf("values_count is %d, the operator has %d inputs", o.ValuesCount, len(n.inputs))
	}
	rank := len(output.shape)
	axis := int(o.Axis)
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return nil, fmt.Errorf("axis %d out of range for output rank %d", o.Axis, rank)
	}
	if err := wantKinds("output", output.kind, tflite.Float32, tflite.Int8, tflite.Int16, tflite.Int32, tflite.Int64); err != nil {
		return nil, err
	}
	ins := make([]*tensorInfo, len(n.inputs))
	for k := range ins {
		t, err := n.need(k)
		if err != nil {
			return nil, err
		}
		if t.kind != output.kind {
			return nil, fmt.Errorf("input %d type %v differs from the output's %v", k, t.kind, output.kind)
		}
		if k > 0 && !slices.Equal(t.shape, ins[0].shape) {
			return nil, fmt.Errorf("input %d shape %v differs from input 0's %v", k, t.shape, ins[0].shape)
		}
		ins[k] = t
	}
	want := slices.Insert(slices.Clone(ins[0].shape), min(axis, len(ins[0].shape)), len(ins))
	if err := wantShape(output, want); err != nil {
		return nil, err
	}
	size := elemSize(output.kind)
	outer := product(output.shape[:axis])
	chunk := product(output.shape[axis+1:]) * size
	return func(mem [][]byte) {
		out := mem[output.index]
		for i, t := range ins {
			in := mem[t.index]
			for k := range outer {
				copy(out[(k*len(ins)+i)*chunk:][:chunk], in[k*chunk:])
			}
		}
	}, nil
}

// buildUnpack prepares UNPACK: the input split along an axis into num
// outputs of one less dimension.
func buildUnpack(n *node) (func([][]byte), error) {
	o := n.unpackOptions()
	input, err := n.need(0)
	if err != nil {
		return nil, err
	}
	if int(o.Num) != len(n.outputs) || o.Num < 1 {
		return nil, fmt.Errorf("num is %d, the operator has %d outputs", o.Num, len(n.outputs))
	}
	rank := len(input.shape)
	axis := int(o.Axis)
	if axis < 0 {
		axis += rank
	}
	if axis < 0 || axis >= rank {
		return nil, fmt.Errorf("axis %d out of range for input rank %d", o.Axis, rank)
	}
	if input.shape[axis] != int(o.Num) {
		return nil, fmt.Errorf("input dimension %d is %d, not num %d", axis, input.shape[axis], o.Num)
	}
	if err := wantKinds("input", input.kind, tflite.Float32, tflite.Int32, tflite.Int16, tflite.Int8); err != nil {
		return nil, err
	}
	want := slices.Delete(slices.Clone(input.shape), axis, axis+1)
	outs := make([]*tensorInfo, len(n.outputs))
	for k := range outs {
		outs[k] = n.output(k)
		if outs[k].kind != input.kind {
			return nil, fmt.Errorf("output %d type %v differs from the input's %v", k, outs[k].kind, input.kind)
		}
		if err := wantShape(outs[k], want); err != nil {
			return nil, err
		}
	}
	size := elemSize(input.kind)
	outer := product(input.shape[:axis])
	chunk := product(input.shape[axis+1:]) * size
	return func(mem [][]byte) {
		in := mem[input.index]
		for i, t := range outs {
			out := mem[t.index]
			for k := range outer {
				copy(out[k*chunk:][:chunk], in[(k*len(outs)+i)*chunk:])
			}
		}
	}, nil
}

// buildSplit prepares SPLIT (inputs: axis, tensor; equal parts, one per
// output) and SPLIT_V (inputs: tensor, size_splits, axis; each output's
// size along the axis is its own). TFLM needs the axis constant and copies
// by the outputs' shapes; the parts must cover the input exactly.
func buildSplit(v bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		n.checkOptions()
		dataPos, axisPos := 1, 0
		if v {
			if len(n.inputs) != 3 {
				return nil, fmt.Errorf("takes 3 inputs, has %d", len(n.inputs))
			}
			dataPos, axisPos = 0, 2
		}
		input, err := n.need(dataPos)
		if err != nil {
			return nil, err
		}
		axisT, err := n.need(axisPos)
		if err != nil {
			return nil, err
		}
		if axisT.constant == nil {
			return nil, unsupportedf("Non-constant >axis< tensor is not supported")
		}
		axes, err := constInt32s(axisT)
		if err != nil {
			return nil, err
		}
		if len(axes) == 0 {
			return nil, fmt.Errorf("axis tensor is empty")
		}
		rank := len(input.shape)
		axis := int(axes[0])
		if axis < 0 {
			axis += rank
		}
		if axis < 0 || axis >= rank {
			return nil, fmt.Errorf("axis %d out of range for input rank %d", axes[0], rank)
		}
		if err := wantKinds("input", input.kind, tflite.Float32, tflite.Int8, tflite.Int16, tflite.Int32); err != nil {
			return nil, err
		}
		if len(n.outputs) == 0 {
			return nil, fmt.Errorf("no outputs")
		}
		outs := make([]*tensorInfo, len(n.outputs))
		total := 0
		for k := range outs {
			t := n.output(k)
			if t.kind != input.kind || len(t.shape) != rank {
				return nil, fmt.Errorf("output %d %v%v does not fit input %v%v", k, t.kind, t.shape, input.kind, input.shape)
			}
			for i, d := range t.shape {
				if i != axis && d != input.shape[i] {
					return nil, fmt.Errorf("output %d shape %v does not fit input %v", k, t.shape, input.shape)
				}
			}
			if !v && t.shape[axis] != n.output(0).shape[axis] {
				return nil, fmt.Errorf("output %d shape %v differs from output 0's %v", k, t.shape, n.output(0).shape)
			}
			total += t.shape[axis]
			outs[k] = t
		}
		if total != input.shape[axis] {
			if !v {
				return nil, fmt.Errorf("%d outputs of %d do not divide dimension %d of size %d", len(outs), outs[0].shape[axis], axis, input.shape[axis])
			}
			return nil, fmt.Errorf("outputs sum to %d along axis %d, the input has %d", total, axis, input.shape[axis])
		}
		inner := product(input.shape[axis+1:]) * elemSize(input.kind)
		outer := product(input.shape[:axis])
		return func(mem [][]byte) {
			in := mem[input.index]
			pos := 0
			for k := range outer {
				for _, t := range outs {
					chunk := t.shape[axis] * inner
					copy(mem[t.index][k*chunk:][:chunk], in[pos:])
					pos += chunk
				}
			}
		}, nil
	}
}

// buildGather prepares GATHER (TFLM's GatherPrepare): float32 or int8
// params, int32 positions along one axis, with leading batch dimensions
// shared by params and positions. A position outside the axis is refused
// (TFLM reads outside the params): when prepared for constant positions,
// while running for others.
func buildGather(n *node) (func([][]byte), error) {
	o := n.gatherOptions()
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	input, coords := ins[0], ins[1]
	if coords.kind != tflite.Int32 {
		return nil, unsupportedf("Positions of type '%v' are not supported by gather", coords.kind)
	}
	if input.kind != tflite.Float32 && input.kind != tflite.Int8 {
		return nil, unsupportedf("Type '%v' is not supported by gather", input.kind)
	}
	inRank, cRank := len(input.shape), len(coords.shape)
	axis := int(o.Axis)
	if axis < 0 {
		axis += inRank
	}
	if axis < 0 || axis >= inRank {
		return nil, fmt.Errorf("axis %d out of range for params rank %d", o.Axis, inRank)
	}
	batchDims := int(o.BatchDims)
	if batchDims < 0 {
		batchDims += cRank
	}
	if batchDims > axis || batchDims < 0 || batchDims >= inRank || batchDims > cRank {
		return nil, fmt.Errorf("batch_dims %d does not fit axis %d, params rank %d and positions rank %d", o.BatchDims, axis, inRank, cRank)
	}
	for i := range batchDims {
		if input.shape[i] != coords.shape[i] {
			return nil, fmt.Errorf("batch dimension %d: params %v and positions %v differ", i, input.shape, coords.shape)
		}
	}
	shape := slices.Concat(input.shape[:axis], coords.shape[batchDims:], input.shape[axis+1:])
	if err := wantShape(output, shape); err != nil {
		return nil, err
	}
	if output.kind != input.kind {
		return nil, fmt.Errorf("output type %v differs from the params' %v", output.kind, input.kind)
	}
	axisSize := input.shape[axis]
	batch := product(input.shape[:batchDims])
	outer := product(input.shape[batchDims:axis])
	inner := product(input.shape[axis+1:]) * elemSize(input.kind)
	coordSize := product(coords.shape[batchDims:])
	check := func(positions []int32) error {
		for _, p := range positions {
			if p < 0 || int(p) >= axisSize {
				return fmt.Errorf("position %d outside the params' axis %d of size %d", p, axis, axisSize)
			}
		}
		return nil
	}
	if coords.constant != nil {
		if err := check(decodeInts(tflite.Int32, coords.constant, nil)); err != nil {
			return nil, err
		}
	}
	var buf []int32
	return func(mem [][]byte) {
		buf = coords.ints(mem, buf)
		if err := check(buf); err != nil {
			n.runFail(err)
			return
		}
		in, out := mem[input.index], mem[output.index]
		for b := range batch {
			for k := range outer {
				for c := range coordSize {
					dst := ((b*outer+k)*coordSize + c) * inner
					src := ((b*outer+k)*axisSize + int(buf[b*coordSize+c])) * inner
					copy(out[dst:dst+inner], in[src:])
				}
			}
		}
	}, nil
}

// buildGatherND prepares GATHER_ND (TFLM's GatherNdPrepare): slices of
// float32 or int8 params picked by the int32 index vectors in the
// innermost dimension of indices. As TFLM does, an index vector is
// refused only when the flat position it makes runs outside the params,
// and that fails the run.
func buildGatherND(n *node) (func([][]byte), error) {
	n.checkOptions()
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	params, indices := ins[0], ins[1]
	if params.kind != tflite.Float32 && params.kind != tflite.Int8 {
		return nil, unsupportedf("Params of type '%v' are not supported by gather_nd", params.kind)
	}
	if indices.kind != tflite.Int32 {
		return nil, unsupportedf("Indices of type '%v' are not supported by gather_nd", indices.kind)
	}
	pRank, iRank := len(params.shape), len(indices.shape)
	if pRank < 1 {
		return nil, fmt.Errorf("Params must be at least a vector")
	}
	if iRank < 1 {
		return nil, fmt.Errorf("Indices must be at least a vector")
	}
	nd := indices.shape[iRank-1]
	if nd > pRank {
		return nil, fmt.Errorf("Index innermost dimension length must be <= params rank")
	}
	if nd > 5 {
		return nil, unsupportedf("Index innermost dimension length must not exceed 5")
	}
	for i := range nd {
		if params.shape[i] == 0 {
			// TFLM divides by it.
			return nil, fmt.Errorf("params dimension %d is 0", i)
		}
	}
	shape := slices.Concat(indices.shape[:iRank-1], params.shape[nd:])
	if err := wantShape(output, shape); err != nil {
		return nil, err
	}
	if output.kind != params.kind {
		return nil, fmt.Errorf("output type %v differs from the params' %v", output.kind, params.kind)
	}
	nSlices := product(indices.shape[:iRank-1])
	sliceElems := product(params.shape[nd:])
	flat := params.elems
	dimsToCount := make([]int, nd)
	remain := flat
	for i := range nd {
		dimsToCount[i] = remain / params.shape[i]
		remain = dimsToCount[i]
	}
	size := elemSize(params.kind)
	var buf []int32
	return func(mem [][]byte) {
		buf = indices.ints(mem, buf)
		in, out := mem[params.index], mem[output.index]
		for i := range nSlices {
			from := 0
			for j := range nd {
				from += int(buf[i*nd+j]) * dimsToCount[j]
			}
			if from < 0 || from+sliceElems > flat {
				n.runFail(fmt.Errorf("gather_nd index out of bounds: index vector %d gives element %d of %d", i, from, flat))
				return
			}
			copy(out[i*sliceElems*size:][:sliceElems*size], in[from*size:])
		}
	}, nil
}

// resizeSize reads the constant output size of a RESIZE_* operator and
// checks the shapes TFLM's Prepare checks: a 4-D input and a 1-D INT32
// size.
func resizeSize(n *node) (input, output *tensorInfo, height, width int, err error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, nil, 0, 0, err
	}
	input, size := ins[0], ins[1]
	if len(input.shape) != 4 {
		return nil, nil, 0, 0, fmt.Errorf("input shape %v is not 4-D", input.shape)
	}
	if len(size.shape) != 1 || size.kind != tflite.Int32 {
		return nil, nil, 0, 0, fmt.Errorf("size must be a 1-D INT32 tensor, is %v%v", size.kind, size.shape)
	}
	if size.constant == nil {
		return nil, nil, 0, 0, unsupportedf("Non-constant >size< tensor is not supported")
	}
	hw := decodeInts(tflite.Int32, size.constant, nil)
	if len(hw) != 2 {
		return nil, nil, 0, 0, fmt.Errorf("size %v does not hold a height and a width", hw)
	}
	if output.kind != input.kind {
		return nil, nil, 0, 0, fmt.Errorf("output type %v differs from the input's %v", output.kind, input.kind)
	}
	height, width = int(hw[0]), int(hw[1])
	if err := wantShape(output, []int{input.shape[0], height, width, input.shape[3]}); err != nil {
		return nil, nil, 0, 0, err
	}
	return input, output, height, width, nil
}

// buildResizeNearestNeighbor prepares RESIZE_NEAREST_NEIGHBOR for
// float32, int8 and int16: each output pixel copies the input pixel
// TFLite's GetNearestNeighbor picks (float32 arithmetic as in C).
func buildResizeNearestNeighbor(n *node) (func([][]byte), error) {
	o := n.resizeOptions()
	input, output, height, width, err := resizeSize(n)
	if err != nil {
		return nil, err
	}
	if err := wantKinds("output", output.kind, tflite.Float32, tflite.Int8, tflite.Int16); err != nil {
		return nil, err
	}
	rows := make([]int, height)
	for y := range rows {
		rows[y] = nearestNeighbor(y, input.shape[1], height, o.AlignCorners, o.HalfPixelCenters)
	}
	cols := make([]int, width)
	for x := range cols {
		cols[x] = nearestNeighbor(x, input.shape[2], width, o.AlignCorners, o.HalfPixelCenters)
	}
	pixel := input.shape[3] * elemSize(input.kind)
	inRow := input.shape[2] * pixel
	inImage := input.shape[1] * inRow
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		dst := 0
		for b := range input.shape[0] {
			for _, y := range rows {
				for _, x := range cols {
					src := b*inImage + y*inRow + x*pixel
					copy(out[dst:dst+pixel], in[src:])
					dst += pixel
				}
			}
		}
	}, nil
}

// nearestNeighbor is TFLite's GetNearestNeighbor: the input index of
// output index v along an axis resized from inSize to outSize.
func nearestNeighbor(v, inSize, outSize int, alignCorners, halfPixelCenters bool) int {
	var scale float32
	if alignCorners && outSize > 1 {
		scale = float32(inSize-1) / float32(outSize-1)
	} else {
		scale = float32(inSize) / float32(outSize)
	}
	var offset float32
	if halfPixelCenters {
		offset = 0.5
	}
	x := float32(float32(v)+offset) * scale
	var out int32
	if alignCorners {
		out = int32(roundF32(x))
	} else {
		out = int32(floorF32(x))
	}
	out = min(out, int32(inSize-1))
	if halfPixelCenters {
		out = max(out, 0)
	}
	return int(out)
}

// floorF32 is C's floorf.
func floorF32(x float32) float32 { return float32(math.Floor(float64(x))) }

// ceilF32 is C's ceilf.
func ceilF32(x float32) float32 { return float32(math.Ceil(float64(x))) }

// buildResizeBilinear prepares RESIZE_BILINEAR: float32 interpolated in
// float32 as TFLite's reference ResizeBilinear does, int8 in TFLite's
// 10-bit fixed point (ResizeBilinearInteger).
func buildResizeBilinear(n *node) (func([][]byte), error) {
	o := n.resizeOptions()
	input, output, height, width, err := resizeSize(n)
	if err != nil {
		return nil, err
	}
	if o.HalfPixelCenters && o.AlignCorners {
		return nil, fmt.Errorf("If half_pixel_centers is True, align_corners must be False")
	}
	if output.kind != tflite.Float32 && output.kind != tflite.Int8 {
		return nil, unsupportedf("Output type is %v, requires float or int8", output.kind)
	}
	if height <= 0 || width <= 0 {
		// The integer kernel divides by them.
		return nil, fmt.Errorf("size %dx%d is not positive", height, width)
	}
	batches, inH, inW, depth := input.shape[0], input.shape[1], input.shape[2], input.shape[3]
	if output.kind == tflite.Float32 {
		hScale, wScale := float32(inH)/float32(height), float32(inW)/float32(width)
		if o.AlignCorners && height > 1 {
			hScale = float32(inH-1) / float32(height-1)
		}
		if o.AlignCorners && width > 1 {
			wScale = float32(inW-1) / float32(width-1)
		}
		return unaryFloats(input, output, func(in, out []float32) {
			i := 0
			for b := range batches {
				for y := range height {
					fy, y0, y1 := interpolationValues(y, hScale, o.HalfPixelCenters, inH)
					dy := fy - float32(y0)
					for x := range width {
						fx, x0, x1 := interpolationValues(x, wScale, o.HalfPixelCenters, inW)
						dx := fx - float32(x0)
						at := func(yy, xx, c int) float32 { return in[((b*inH+yy)*inW+xx)*depth+c] }
						for c := range depth {
							// Each product rounded to float32, summed left to right.
							v := float32(float32(at(y0, x0, c)*(1-dy))*(1-dx)) +
								float32(float32(at(y1, x0, c)*dy)*(1-dx))
							v = v + float32(float32(at(y0, x1, c)*(1-dy))*dx)
							v = v + float32(float32(at(y1, x1, c)*dy)*dx)
							// TFLM adds a rounding offset of 0 for floats,
							// which turns a sum of -0 into +0.
							out[i] = v + 0
							i++
						}
					}
				}
			}
		}), nil
	}
	hScale := ((1<<10)*int32(inH) + int32(height)/2) / int32(height)
	wScale := ((1<<10)*int32(inW) + int32(width)/2) / int32(width)
	if o.AlignCorners && height > 1 {
		hScale = ((1<<10)*int32(inH-1) + int32(height-1)/2) / int32(height-1)
	}
	if o.AlignCorners && width > 1 {
		wScale = ((1<<10)*int32(inW-1) + int32(width-1)/2) / int32(width-1)
	}
	return unaryInts(input, output, func(in, out []int32) {
		i := 0
		for b := range batches {
			for y := range height {
				fy, y0, y1 := interpolationValuesInteger(int32(y), hScale, o.HalfPixelCenters, int32(inH))
				for x := range width {
					fx, x0, x1 := interpolationValuesInteger(int32(x), wScale, o.HalfPixelCenters, int32(inW))
					at := func(yy, xx int32, c int) int64 { return int64(in[((b*inH+int(yy))*inW+int(xx))*depth+c]) }
					wy1, wx1 := int64(fy-(1<<10)*y0), int64(fx-(1<<10)*x0)
					wy0, wx0 := (1<<10)-wy1, (1<<10)-wx1
					for c := range depth {
						sum := at(y0, x0, c)*wy0*wx0 + at(y1, x0, c)*wy1*wx0 + at(y0, x1, c)*wy0*wx1 + at(y1, x1, c)*wy1*wx1
						round := int64(1 << 19)
						if sum <= 0 {
							round = -round
						}
						out[i] = int32(int8((sum + round) / (1 << 20)))
						i++
					}
				}
			}
		}
	}), nil
}

// interpolationValues is TFLite's ComputeInterpolationValues: the scaled
// source coordinate of output index v and the two input indices around it.
func interpolationValues(v int, scale float32, halfPixelCenters bool, size int) (scaled float32, lower, upper int) {
	if halfPixelCenters {
		scaled = float32((float32(v)+0.5)*scale) - 0.5
	} else {
		scaled = float32(v) * scale
	}
	lower = max(int(int32(floorF32(scaled))), 0)
	upper = min(int(int32(ceilF32(scaled))), size-1)
	return scaled, lower, upper
}

// interpolationValuesInteger is TFLite's ComputeInterpolationValuesInteger
// in units of 2^-10.
func interpolationValuesInteger(v, scale10 int32, halfPixelCenters bool, size int32) (scaled, lower, upper int32) {
	if halfPixelCenters {
		scaled = v*scale10 + scale10/2 - (1 << 9)
	} else {
		scaled = v * scale10
	}
	lower = max(scaled/(1<<10), 0)
	upper = min((scaled+(1<<10)-1)/(1<<10), size-1)
	return scaled, lower, upper
}

// buildSlice prepares SLICE: begin and size vectors (INT32 or INT64, read
// at run time as TFLM does; a size of -1 takes the rest of the dimension)
// cut a box out of a float32, int32, int8, int16 or BOOL tensor of rank 5
// or less. A box outside the input, or one the output does not hold, fails
// the run (TFLM reads outside the input).
func buildSlice(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(3)
	if err != nil {
		return nil, err
	}
	input, begin, size := ins[0], ins[1], ins[2]
	rank := len(input.shape)
	switch {
	case input.kind != output.kind:
		return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
	case begin.kind != size.kind || (begin.kind != tflite.Int32 && begin.kind != tflite.Int64):
		return nil, unsupportedf("begin and size types %v and %v (INT32 or INT64, alike)", begin.kind, size.kind)
	case len(begin.shape) != 1 || len(size.shape) != 1 || begin.elems != size.elems || begin.elems != rank:
		return nil, fmt.Errorf("begin %v and size %v do not fit input rank %d", begin.shape, size.shape, rank)
	case rank > 5:
		return nil, unsupportedf("input of rank %d (at most 5)", rank)
	}
	if err := wantKinds("input", input.kind, tflite.Float32, tflite.Int32, tflite.Int8, tflite.Int16, tflite.Bool); err != nil {
		return nil, err
	}
	elem := elemSize(input.kind)
	starts, stops := make([]int, rank), make([]int, rank)
	var bBuf, sBuf []int64
	// box resolves the begin and size values and checks them.
	box := func(b, s []int64) error {
		count := 1
		for i := range rank {
			start, stop := b[i], b[i]+s[i]
			if s[i] == -1 {
				stop = int64(input.shape[i])
			}
			if start < 0 || stop > int64(input.shape[i]) || stop < start {
				return fmt.Errorf("slice begin %v size %v does not fit input %v", b, s, input.shape)
			}
			starts[i], stops[i] = int(start), int(stop)
			count *= int(stop - start)
		}
		if count != output.elems {
			return fmt.Errorf("slice begin %v size %v has %d elements, output %v holds %d", b, s, count, output.shape, output.elems)
		}
		return nil
	}
	if begin.constant != nil && size.constant != nil {
		if err := box(decodeWide(begin.kind, begin.constant, nil), decodeWide(size.kind, size.constant, nil)); err != nil {
			return nil, err
		}
	}
	return func(mem [][]byte) {
		bBuf, sBuf = decodeWide(begin.kind, mem[begin.index], bBuf), decodeWide(size.kind, mem[size.index], sBuf)
		if err := box(bBuf, sBuf); err != nil {
			n.runFail(err)
			return
		}
		if output.elems == 0 {
			return
		}
		in, out := mem[input.index], mem[output.index]
		inStride := make([]int, rank)
		stride := elem
		for i := rank - 1; i >= 0; i-- {
			inStride[i] = stride
			stride *= input.shape[i]
		}
		coord := slices.Clone(starts)
		dst := 0
		for {
			src := 0
			for i, c := range coord {
				src += c * inStride[i]
			}
			copy(out[dst:dst+elem], in[src:])
			dst += elem
			i := rank - 1
			for ; i >= 0; i-- {
				if coord[i]++; coord[i] < stops[i] {
					break
				}
				coord[i] = starts[i]
			}
			if i < 0 {
				return
			}
		}
	}, nil
}

// buildZerosLike prepares ZEROS_LIKE of int64, int32, int8 or float32.
func buildZerosLike(n *node) (func([][]byte), error) {
	if len(n.inputs) != 1 || len(n.outputs) != 1 {
		return nil, fmt.Errorf("takes 1 input and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	input, output, err := n.elementwiseIO()
	if err != nil {
		return nil, err
	}
	if err := wantKinds("input", input.kind, tflite.Int64, tflite.Int32, tflite.Int8, tflite.Float32); err != nil {
		return nil, err
	}
	if output.kind != input.kind {
		return nil, fmt.Errorf("output type %v differs from the input's %v", output.kind, input.kind)
	}
	return func(mem [][]byte) { clear(mem[output.index]) }, nil
}

// buildFill prepares FILL: the output, whose shape a constant 1-D dims
// tensor repeats, filled with a scalar float32, int32 or int8 value.
func buildFill(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	dimsT, value := ins[0], ins[1]
	if len(value.shape) != 0 || value.kind != output.kind {
		return nil, fmt.Errorf("value %v%v must be a scalar of the output's type %v", value.kind, value.shape, output.kind)
	}
	if dimsT.constant == nil {
		return nil, unsupportedf("Non-constant >dims< tensor is not supported")
	}
	if len(dimsT.shape) != 1 || dimsT.elems != len(output.shape) {
		return nil, fmt.Errorf("dims %v do not match output shape %v", dimsT.shape, output.shape)
	}
	if dimsT.kind != tflite.Int8 && dimsT.kind != tflite.Int16 && dimsT.kind != tflite.Int32 && dimsT.kind != tflite.Int64 {
		return nil, unsupportedf("cannot compare int array to tensor of type %v", dimsT.kind)
	}
	for i, d := range decodeWide(dimsT.kind, dimsT.constant, nil) {
		if d != int64(output.shape[i]) {
			return nil, fmt.Errorf("dims %d does not match output shape %v", d, output.shape)
		}
	}
	if err := wantKinds("value", value.kind, tflite.Float32, tflite.Int32, tflite.Int8); err != nil {
		return nil, err
	}
	size := elemSize(value.kind)
	return func(mem [][]byte) {
		v, out := mem[value.index], mem[output.index]
		for i := 0; i+size <= len(out); i += size {
			copy(out[i:i+size], v)
		}
	}, nil
}

// buildSpaceDepth prepares SPACE_TO_DEPTH (toDepth) or DEPTH_TO_SPACE of a
// 4-D float32 or int8 tensor: blocks of block_size x block_size pixels
// move into (or out of) the channels, channel index
// d + ((h mod block)*block + w mod block)*depth as TFLite's reference
// kernels lay them out. TFLM rewrites the output's dims; the model's must
// be the 4-D result.
func buildSpaceDepth(toDepth bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		var o tflite.BlockSizeOptions
		var err error
		if toDepth {
			o, err = n.op.SpaceToDepthOptions()
		} else {
			o, err = n.op.DepthToSpaceOptions()
		}
		n.keep(err)
		input, output, err := n.unaryIO()
		if err != nil {
			return nil, err
		}
		if len(input.shape) != 4 {
			return nil, fmt.Errorf("input shape %v is not 4-D", input.shape)
		}
		if input.kind != tflite.Float32 && input.kind != tflite.Int8 {
			return nil, unsupportedf("type %v (float32 and int8 only)", input.kind)
		}
		bs := int(o.BlockSize)
		if bs <= 0 {
			return nil, fmt.Errorf("block_size %d must be positive", o.BlockSize)
		}
		b, h, w, d := input.shape[0], input.shape[1], input.shape[2], input.shape[3]
		var want []int
		if toDepth {
			if h%bs != 0 || w%bs != 0 {
				return nil, fmt.Errorf("input %v is not divisible into %dx%d blocks", input.shape, bs, bs)
			}
			want = []int{b, h / bs, w / bs, d * bs * bs}
		} else {
			if d%(bs*bs) != 0 {
				return nil, fmt.Errorf("input depth %d is not divisible by %d", d, bs*bs)
			}
			want = []int{b, h * bs, w * bs, d / (bs * bs)}
		}
		if err := wantShape(output, want); err != nil {
			return nil, err
		}
		// srcIndex maps every output element to its input element; the
		// space side (the input of SPACE_TO_DEPTH, the output of
		// DEPTH_TO_SPACE) has spatial extent sh x sw and depth sd.
		space := input.shape
		if !toDepth {
			space = want
		}
		sh, sw, sd := space[1], space[2], space[3]
		dd := sd * bs * bs
		srcIndex := make([]int, output.elems)
		for bi := range b {
			for y := range sh {
				for x := range sw {
					for c := range sd {
						spaceAt := ((bi*sh+y)*sw+x)*sd + c
						dc := c + ((y%bs)*bs+x%bs)*sd
						depthAt := ((bi*(sh/bs)+y/bs)*(sw/bs)+x/bs)*dd + dc
						if toDepth {
							srcIndex[depthAt] = spaceAt
						} else {
							srcIndex[spaceAt] = depthAt
						}
					}
				}
			}
		}
		return gather(input, output, srcIndex), nil
	}
}

// buildReverseV2 prepares REVERSE_V2: the input reversed along the axes of
// an INT32 tensor read at run time, which TFLM requires to be contiguous
// once sorted (and at most 8); int32, float32, uint8, int8, int16, int64
// and BOOL tensors of rank 6 or less.
func buildReverseV2(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	input, axisT := ins[0], ins[1]
	rank := len(input.shape)
	switch {
	case len(axisT.shape) != 1:
		return nil, fmt.Errorf("axis tensor %v is not 1-D", axisT.shape)
	case rank > 6:
		return nil, unsupportedf("input of rank %d (at most 6)", rank)
	case axisT.elems > rank || axisT.elems > 8:
		return nil, fmt.Errorf("%d axes for an input of rank %d", axisT.elems, rank)
	case axisT.kind != tflite.Int32:
		return nil, unsupportedf("Axis Type '%v' is not supported by reverse", axisT.kind)
	case input.kind != output.kind || !slices.Equal(input.shape, output.shape):
		return nil, fmt.Errorf("input %v%v and output %v%v differ", input.kind, input.shape, output.kind, output.shape)
	}
	if err := wantKinds("input", input.kind, tflite.Int32, tflite.Float32, tflite.Uint8, tflite.Int8, tflite.Int16, tflite.Int64, tflite.Bool); err != nil {
		return nil, err
	}
	size := elemSize(input.kind)
	// axesOf resolves and checks the axes: each in range, contiguous once
	// sorted.
	axesOf := func(v []int32) ([]bool, error) {
		sorted := make([]int, len(v))
		for i, a := range v {
			ax := int(a)
			if ax < 0 {
				ax += rank
			}
			if ax < 0 || ax >= rank {
				return nil, fmt.Errorf("axis %d out of range for rank %d", a, rank)
			}
			sorted[i] = ax
		}
		slices.Sort(sorted)
		reversed := make([]bool, rank)
		for i, ax := range sorted {
			if i > 0 && sorted[i-1]+1 != ax {
				return nil, unsupportedf("Non-contiguous `axes` not supported: %v", v)
			}
			reversed[ax] = true
		}
		return reversed, nil
	}
	if axisT.constant != nil {
		if _, err := axesOf(decodeInts(tflite.Int32, axisT.constant, nil)); err != nil {
			return nil, err
		}
	}
	var axisBuf []int32
	coord := make([]int, rank)
	return func(mem [][]byte) {
		axisBuf = axisT.ints(mem, axisBuf)
		reversed, err := axesOf(axisBuf)
		if err != nil {
			n.runFail(err)
			return
		}
		in, out := mem[input.index], mem[output.index]
		clear(coord)
		for k := range output.elems {
			src := 0
			for i, c := range coord {
				if reversed[i] {
					c = input.shape[i] - 1 - c
				}
				src = src*input.shape[i] + c
			}
			copy(out[k*size:(k+1)*size], in[src*size:])
			for i := rank - 1; i >= 0; i-- {
				if coord[i]++; coord[i] < input.shape[i] {
					break
				}
				coord[i] = 0
			}
		}
	}, nil
}

// buildBroadcastTo prepares BROADCAST_TO: the input repeated along its
// dimensions of 1 to the shape a constant INT32 or INT64 tensor gives,
// which the output must have (rank 5 at most).
func buildBroadcastTo(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	input, shapeT := ins[0], ins[1]
	switch {
	case len(input.shape) > 5:
		return nil, unsupportedf("BroadcastTo only supports 1-5D tensor")
	case shapeT.kind != tflite.Int32 && shapeT.kind != tflite.Int64:
		return nil, unsupportedf("shape type %v (INT32 or INT64)", shapeT.kind)
	case input.kind != output.kind:
		return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
	case shapeT.constant == nil:
		return nil, unsupportedf("Non-constant >shape< tensor is not supported")
	case len(shapeT.shape) != 1:
		return nil, fmt.Errorf("shape tensor %v is not 1-D", shapeT.shape)
	case elemSize(input.kind) == 0:
		return nil, unsupportedf("type %v", input.kind)
	}
	want := decodeWide(shapeT.kind, shapeT.constant, nil)
	if len(want) != len(output.shape) {
		return nil, fmt.Errorf("Output must match with the expected shape dimension: %v, %v", want, output.shape)
	}
	if len(input.shape) > len(output.shape) {
		return nil, fmt.Errorf("Output shape must be broadcastable from input shape: %v to %v", input.shape, want)
	}
	if len(output.shape) > 5 {
		return nil, unsupportedf("BroadcastTo only supports 1-5D tensor")
	}
	extend := len(output.shape) - len(input.shape)
	for i, d := range input.shape {
		if d != 1 && int64(d) != want[extend+i] {
			return nil, fmt.Errorf("Output shape must be broadcastable from input shape: %v to %v", input.shape, want)
		}
	}
	for i, d := range output.shape {
		if int64(d) != want[i] {
			return nil, fmt.Errorf("output shape %v is not %v", output.shape, want)
		}
	}
	return gather(input, output, broadcastIndex(input.shape, output.shape)), nil
}

// spaceBatchGeom reads SPACE_TO_BATCH_ND's or BATCH_TO_SPACE_ND's block
// shape and paddings (or crops) as TFLM does, the first values of two
// INT32 tensors, for a 4-D or (height only) 3-D tensor.
func spaceBatchGeom(rank int, block, pads []int32) (bh, bw, top, bottom, left, right int, err error) {
	if len(block) < 1 || len(pads) < 2 || (rank == 4 && (len(block) < 2 || len(pads) < 4)) {
		return 0, 0, 0, 0, 0, 0, fmt.Errorf("block shape %v and paddings %v do not fit rank %d", block, pads, rank)
	}
	bh, bw, top, bottom = int(block[0]), 1, int(pads[0]), int(pads[1])
	if rank == 4 {
		bw, left, right = int(block[1]), int(pads[2]), int(pads[3])
	}
	if bh <= 0 || bw <= 0 || top < 0 || bottom < 0 || left < 0 || right < 0 {
		return 0, 0, 0, 0, 0, 0, fmt.Errorf("block shape %v and paddings %v must not be negative", block, pads)
	}
	return bh, bw, top, bottom, left, right, nil
}

// extend4 views a 3-D [batch, height, depth] shape as 4-D with width 1, as
// TFLite's ExtendShapeSpaceToBatch does.
func extend4(s []int) []int {
	if len(s) == 4 {
		return s
	}
	return []int{s[0], s[1], 1, s[2]}
}

// buildSpaceBatch prepares SPACE_TO_BATCH_ND (toBatch) or
// BATCH_TO_SPACE_ND of float32 or int8 tensors of rank 3 or 4, with the
// block shape and paddings (crops) read at run time. The output must be
// the shape the block and paddings give; SPACE_TO_BATCH_ND pads with zero
// bytes: TFLM pads with an output offset its Prepare never sets, which a
// fresh arena holds as zeros.
func buildSpaceBatch(toBatch bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		ins, output, err := n.exactIO(3)
		if err != nil {
			return nil, err
		}
		input, blockT, padT := ins[0], ins[1], ins[2]
		rank := len(input.shape)
		switch {
		case rank < 3 || rank > 4 || len(output.shape) != rank:
			return nil, fmt.Errorf("input %v and output %v must be 3-D or 4-D alike", input.shape, output.shape)
		case input.kind != output.kind:
			return nil, fmt.Errorf("input type %v and output type %v differ", input.kind, output.kind)
		case input.kind != tflite.Float32 && input.kind != tflite.Int8:
			return nil, unsupportedf("Type %v not supported (float32 and int8 only)", input.kind)
		case blockT.kind != tflite.Int32 || padT.kind != tflite.Int32:
			return nil, unsupportedf("block shape and paddings types %v, %v (INT32)", blockT.kind, padT.kind)
		}
		in4, out4 := extend4(input.shape), extend4(output.shape)
		depth := in4[3] * elemSize(input.kind)
		// srcIndexOf maps every output pixel to its input pixel, -1 for
		// padding, or fails for a block and paddings the shapes do not fit.
		srcIndexOf := func(block, pads []int32) ([]int, error) {
			bh, bw, top, bottom, left, right, err := spaceBatchGeom(rank, block, pads)
			if err != nil {
				return nil, err
			}
			var want []int
			if toBatch {
				h, w := in4[1]+top+bottom, in4[2]+left+right
				if h%bh != 0 || w%bw != 0 {
					return nil, fmt.Errorf("padded size %dx%d is not a multiple of the block %dx%d", h, w, bh, bw)
				}
				want = []int{in4[0] * bh * bw, h / bh, w / bw, in4[3]}
			} else {
				if in4[0]%(bh*bw) != 0 || in4[1]*bh < top+bottom || in4[2]*bw < left+right {
					return nil, fmt.Errorf("input %v does not fit the block %dx%d and crops %v", input.shape, bh, bw, pads)
				}
				want = []int{in4[0] / (bh * bw), in4[1]*bh - top - bottom, in4[2]*bw - left - right, in4[3]}
			}
			if !slices.Equal(want, out4) {
				return nil, fmt.Errorf("block %v and paddings %v give shape %v, not the output's %v", block, pads, want, output.shape)
			}
			index := make([]int, out4[0]*out4[1]*out4[2])
			for i := range index {
				index[i] = -1
			}
			if toBatch {
				for ob := range out4[0] {
					ib, sw, sh := ob%in4[0], (ob/in4[0])%bw, (ob/in4[0])/bw
					for oh := range out4[1] {
						for ow := range out4[2] {
							h, w := oh*bh+sh-top, ow*bw+sw-left
							if h >= 0 && h < in4[1] && w >= 0 && w < in4[2] {
								index[(ob*out4[1]+oh)*out4[2]+ow] = (ib*in4[1]+h)*in4[2] + w
							}
						}
					}
				}
				return index, nil
			}
			for ib := range in4[0] {
				ob, so := ib%out4[0], ib/out4[0]
				for ih := range in4[1] {
					oh := ih*bh + so/bw - top
					if oh < 0 || oh >= out4[1] {
						continue
					}
					for iw := range in4[2] {
						ow := iw*bw + so%bw - left
						if ow < 0 || ow >= out4[2] {
							continue
						}
						index[(ob*out4[1]+oh)*out4[2]+ow] = (ib*in4[1]+ih)*in4[2] + iw
					}
				}
			}
			return index, nil
		}
		var fixed []int
		if blockT.constant != nil && padT.constant != nil {
			fixed, err = srcIndexOf(decodeInts(tflite.Int32, blockT.constant, nil), decodeInts(tflite.Int32, padT.constant, nil))
			if err != nil {
				return nil, err
			}
		}
		var bBuf, pBuf []int32
		return func(mem [][]byte) {
			index := fixed
			if index == nil {
				bBuf, pBuf = blockT.ints(mem, bBuf), padT.ints(mem, pBuf)
				var err error
				if index, err = srcIndexOf(bBuf, pBuf); err != nil {
					n.runFail(err)
					return
				}
			}
			in, out := mem[input.index], mem[output.index]
			for k, src := range index {
				if src < 0 {
					clear(out[k*depth : (k+1)*depth])
				} else {
					copy(out[k*depth:(k+1)*depth], in[src*depth:])
				}
			}
		}, nil
	}
}

// buildEmbeddingLookup prepares EMBEDDING_LOOKUP: the rows of a float32 or
// int8 table that an INT32 vector names, copied, or for an int8 table and
// float32 output dequantised ((q - 0) * scale in float32). TFLM rewrites
// the output's leading dims to [lookups, table dims...]; the model's
// output must hold that many elements. A row outside the table fails the
// run, as in TFLM.
func buildEmbeddingLookup(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	lookup, value := ins[0], ins[1]
	switch {
	case len(lookup.shape) != 1 || lookup.kind != tflite.Int32:
		return nil, fmt.Errorf("lookup %v%v must be a 1-D INT32 tensor", lookup.kind, lookup.shape)
	case len(value.shape) < 2:
		return nil, fmt.Errorf("value %v must have 2 or more dimensions", value.shape)
	case value.kind != tflite.Float32 && value.kind != tflite.Int8:
		return nil, unsupportedf("value type %v (float32 and int8 only)", value.kind)
	case value.kind == tflite.Float32 && output.kind != tflite.Float32,
		value.kind == tflite.Int8 && output.kind != tflite.Float32 && output.kind != tflite.Int8:
		return nil, unsupportedf("value type %v -> output type %v", value.kind, output.kind)
	case len(output.shape) < len(value.shape):
		return nil, fmt.Errorf("output %v has fewer dimensions than value %v", output.shape, value.shape)
	}
	hybrid := value.kind == tflite.Int8 && output.kind == tflite.Float32
	if hybrid && value.zeroPoint != 0 {
		return nil, fmt.Errorf("int8 value zero point %d must be 0", value.zeroPoint)
	}
	rows := value.shape[0]
	if rows == 0 {
		return nil, fmt.Errorf("value %v has no rows", value.shape)
	}
	columns := value.elems / rows
	want := slices.Concat([]int{lookup.elems}, value.shape[1:], output.shape[len(value.shape):])
	if product(want) != output.elems {
		return nil, fmt.Errorf("output %v cannot hold %d rows of %v", output.shape, lookup.elems, value.shape[1:])
	}
	rowBytes := columns * elemSize(value.kind)
	scale := value.scale
	var idx []int32
	return func(mem [][]byte) {
		idx = lookup.ints(mem, idx)
		table, out := mem[value.index], mem[output.index]
		for i, r := range idx {
			if r < 0 || int(r) >= rows {
				n.runFail(fmt.Errorf("EMBEDDING_LOOKUP: index out of bounds. Got %d, and bounds are [0, %d]", r, rows-1))
				return
			}
			row := table[int(r)*rowBytes : (int(r)+1)*rowBytes]
			if !hybrid {
				copy(out[i*rowBytes:], row)
				continue
			}
			for c, b := range row {
				v := float32(int8(b)) * scale
				binary.LittleEndian.PutUint32(out[(i*columns+c)*4:], math.Float32bits(v))
			}
		}
	}, nil
}

// buildDynamicUpdateSlice prepares DYNAMIC_UPDATE_SLICE: the operand with
// a box replaced by the update, the box's start read at run time (INT32 or
// INT64) and clamped into the operand as TFLM clamps it; float32, int8,
// int16 and int32. An update as large as the operand replaces it whole.
func buildDynamicUpdateSlice(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(3)
	if err != nil {
		return nil, err
	}
	operand, update, start := ins[0], ins[1], ins[2]
	rank := len(operand.shape)
	switch {
	case operand.kind != update.kind:
		return nil, fmt.Errorf("operand type %v and update type %v differ", operand.kind, update.kind)
	case start.kind != tflite.Int32 && start.kind != tflite.Int64:
		return nil, fmt.Errorf("start indices type %v must be INT32 or INT64", start.kind)
	case len(start.shape) != 1 || start.elems != rank || len(update.shape) != rank:
		return nil, fmt.Errorf("start indices %v and update %v do not fit operand %v", start.shape, update.shape, operand.shape)
	case rank > 6:
		return nil, unsupportedf("operand of rank %d (at most 6)", rank)
	case output.kind != operand.kind || !slices.Equal(output.shape, operand.shape):
		return nil, fmt.Errorf("output %v%v differs from operand %v%v", output.kind, output.shape, operand.kind, operand.shape)
	}
	for i, d := range update.shape {
		if d > operand.shape[i] {
			return nil, fmt.Errorf("update %v larger than operand %v", update.shape, operand.shape)
		}
	}
	if err := wantKinds("operand", operand.kind, tflite.Float32, tflite.Int8, tflite.Int16, tflite.Int32); err != nil {
		return nil, err
	}
	size := elemSize(operand.kind)
	outStride := make([]int, rank)
	stride := size
	for i := rank - 1; i >= 0; i-- {
		outStride[i] = stride
		stride *= operand.shape[i]
	}
	var idx []int64
	coord := make([]int, rank)
	return func(mem [][]byte) {
		out, up := mem[output.index], mem[update.index]
		if operand.elems == update.elems {
			copy(out, up)
			return
		}
		copy(out, mem[operand.index])
		if update.elems == 0 {
			return
		}
		idx = decodeWide(start.kind, mem[start.index], idx)
		base := 0
		for i := range rank {
			s := min(max(idx[i], 0), int64(operand.shape[i]-update.shape[i]))
			base += int(s) * outStride[i]
		}
		row := update.shape[rank-1] * size
		clear(coord)
		for k := 0; k < update.elems; k += update.shape[rank-1] {
			dst := base
			for i, c := range coord[:rank-1] {
				dst += c * outStride[i]
			}
			copy(out[dst:dst+row], up[k*size:])
			for i := rank - 2; i >= 0; i-- {
				if coord[i]++; coord[i] < update.shape[i] {
					break
				}
				coord[i] = 0
			}
		}
	}, nil
}

// buildBroadcastArgs prepares BROADCAST_ARGS: the broadcast of two shape
// vectors (INT32 or INT64), right-aligned, as TFLite's reference kernel
// computes it; dimensions that do not broadcast fail the run (TFLM
// aborts).
func buildBroadcastArgs(n *node) (func([][]byte), error) {
	ins, output, err := n.exactIO(2)
	if err != nil {
		return nil, err
	}
	a, b := ins[0], ins[1]
	switch {
	case a.kind != tflite.Int32 && a.kind != tflite.Int64:
		return nil, fmt.Errorf("shape type %v must be INT32 or INT64", a.kind)
	case b.kind != a.kind || output.kind != a.kind:
		return nil, fmt.Errorf("types %v, %v -> %v must be one type", a.kind, b.kind, output.kind)
	case len(a.shape) != 1 || len(b.shape) != 1 || len(output.shape) != 1:
		return nil, fmt.Errorf("shapes %v, %v -> %v must be vectors", a.shape, b.shape, output.shape)
	}
	var av, bv []int64
	return func(mem [][]byte) {
		av, bv = decodeWide(a.kind, mem[a.index], av), decodeWide(b.kind, mem[b.index], bv)
		at := func(v []int64, back int) int64 {
			if i := len(v) - 1 - back; i >= 0 {
				return int64(int32(v[i])) // TFLite reads each as an int
			}
			return 1
		}
		res := make([]int64, output.elems)
		for i := range res {
			x, y := at(av, i), at(bv, i)
			switch {
			case x == 1:
				res[len(res)-1-i] = y
			case y == 1, x == y:
				res[len(res)-1-i] = x
			default:
				n.runFail(fmt.Errorf("shapes %v and %v do not broadcast: %d against %d", av, bv, x, y))
				return
			}
		}
		out := mem[output.index]
		for i, v := range res {
			if a.kind == tflite.Int64 {
				binary.LittleEndian.PutUint64(out[8*i:], uint64(v))
			} else {
				binary.LittleEndian.PutUint32(out[4*i:], uint32(v))
			}
		}
	}, nil
}
