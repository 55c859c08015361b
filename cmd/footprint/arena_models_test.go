package main

import (
	"encoding/binary"

	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/footprint-dev/footprint/tflite"
)

// fbTensor is one tensor of a model the tests build: float32 unless typ is
// set, constant when data is set (int32 words).
type fbTensor struct {
	name  string
	typ   tflite.TensorType
	shape []int32
	data  []int32
}

// fbOp is one operator: its builtin code, options union tag and the
// options table's scalar fields (field index -> value; bools and int32s),
// inputs and outputs.
type fbOp struct {
	code    tflite.BuiltinOp
	tag     byte
	options map[int]int32
	inputs  []int32
	outputs []int32
}

// buildModel writes a one-subgraph .tflite model.
func buildModel(tensors []fbTensor, ops []fbOp, inputs, outputs []int32) []byte {
	b := flatbuffers.NewBuilder(1024)
	int32s := func(xs ...int32) flatbuffers.UOffsetT {
		b.StartVector(4, len(xs), 4)
		for i := len(xs) - 1; i >= 0; i-- {
			b.PrependInt32(xs[i])
		}
		return b.EndVector(len(xs))
	}
	tables := func(offs ...flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, len(offs), 4)
		for i := len(offs) - 1; i >= 0; i-- {
			b.PrependUOffsetT(offs[i])
		}
		return b.EndVector(len(offs))
	}
	// Schema field indices: Tensor shape 0, type 1, buffer 2, name 3;
	// Operator opcode_index 0, inputs 1, outputs 2, builtin_options 3 and
	// 4; OperatorCode deprecated_builtin_code 0, version 2, builtin_code
	// 3; SubGraph tensors 0, inputs 1, outputs 2, operators 3; Buffer data
	// 0; Model version 0, operator_codes 1, subgraphs 2, buffers 4.
	b.StartObject(1)
	buffers := []flatbuffers.UOffsetT{b.EndObject()} // buffer 0: empty
	var tensorOffs []flatbuffers.UOffsetT
	for _, t := range tensors {
		buffer := uint32(0)
		if t.data != nil {
			var data []byte
			for _, w := range t.data {
				data = binary.LittleEndian.AppendUint32(data, uint32(w))
			}
			vec := b.CreateByteVector(data)
			b.StartObject(1)
			b.PrependUOffsetTSlot(0, vec, 0)
			buffer = uint32(len(buffers))
			buffers = append(buffers, b.EndObject())
		}
		typ := t.typ
		if typ == 0 && t.data == nil {
			typ = tflite.Float32
		}
		name, shape := b.CreateString(t.name), int32s(t.shape...)
		b.StartObject(4)
		b.PrependUOffsetTSlot(0, shape, 0)
		b.PrependInt8Slot(1, int8(typ), 0)
		b.PrependUint32Slot(2, buffer, 0)
		b.PrependUOffsetTSlot(3, name, 0)
		tensorOffs = append(tensorOffs, b.EndObject())
	}
	var codes []tflite.BuiltinOp
	var opOffs []flatbuffers.UOffsetT
	for _, o := range ops {
		index := -1
		for i, c := range codes {
			if c == o.code {
				index = i
			}
		}
		if index < 0 {
			index = len(codes)
			codes = append(codes, o.code)
		}
		in, out := int32s(o.inputs...), int32s(o.outputs...)
		var options flatbuffers.UOffsetT
		if o.tag != 0 {
			n := 0
			for f := range o.options {
				n = max(n, f+1)
			}
			b.StartObject(n)
			for f, v := range o.options {
				b.PrependInt32Slot(f, v, 0)
			}
			options = b.EndObject()
		}
		b.StartObject(5)
		b.PrependUint32Slot(0, uint32(index), 0)
		b.PrependUOffsetTSlot(1, in, 0)
		b.PrependUOffsetTSlot(2, out, 0)
		if o.tag != 0 {
			b.PrependByteSlot(3, o.tag, 0)
			b.PrependUOffsetTSlot(4, options, 0)
		}
		opOffs = append(opOffs, b.EndObject())
	}
	tensorVec, opVec := tables(tensorOffs...), tables(opOffs...)
	in, out := int32s(inputs...), int32s(outputs...)
	b.StartObject(4)
	b.PrependUOffsetTSlot(0, tensorVec, 0)
	b.PrependUOffsetTSlot(1, in, 0)
	b.PrependUOffsetTSlot(2, out, 0)
	b.PrependUOffsetTSlot(3, opVec, 0)
	subgraphs := tables(b.EndObject())
	var codeOffs []flatbuffers.UOffsetT
	for _, c := range codes {
		b.StartObject(4)
		b.PrependInt8Slot(0, int8(min(c, 127)), 0)
		b.PrependInt32Slot(2, 1, 1)
		b.PrependInt32Slot(3, int32(c), 0)
		codeOffs = append(codeOffs, b.EndObject())
	}
	opcodes := tables(codeOffs...)
	bufferVec := tables(buffers...)
	b.StartObject(5)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(1, opcodes, 0)
	b.PrependUOffsetTSlot(2, subgraphs, 0)
	b.PrependUOffsetTSlot(4, bufferVec, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte("TFL3"))
	return b.FinishedBytes()
}

// inceptionModel is a float32 inception-like block with a residual
// connection, in the order a converter might emit it: the input (16
// floats) feeds four branches, each widening it with PAD and narrowing it
// again with STRIDED_SLICE to 4 floats; the four narrow tensors are
// concatenated and added to the input. In the model's order all four PADs
// run first, so all four wide tensors (512, 416, 320 and 224 bytes) are
// alive at once; branch by branch only one is.
func inceptionModel() []byte {
	tensors := []fbTensor{{name: "input", shape: []int32{1, 16}}}
	add := func(t fbTensor) int32 { tensors = append(tensors, t); return int32(len(tensors) - 1) }
	var pads, slices []fbOp
	var narrow []int32
	for k, extra := range []int32{112, 88, 64, 40} {
		paddings := add(fbTensor{name: "paddings", typ: tflite.Int32, shape: []int32{2, 2}, data: []int32{0, 0, 0, extra}})
		wide := add(fbTensor{name: "wide", shape: []int32{1, 16 + extra}})
		begin := add(fbTensor{name: "begin", typ: tflite.Int32, shape: []int32{2}, data: []int32{0, int32(k)}})
		end := add(fbTensor{name: "end", typ: tflite.Int32, shape: []int32{2}, data: []int32{1, int32(k) + 4}})
		strides := add(fbTensor{name: "strides", typ: tflite.Int32, shape: []int32{2}, data: []int32{1, 1}})
		n := add(fbTensor{name: "narrow", shape: []int32{1, 4}})
		pads = append(pads, fbOp{code: tflite.OpPad, tag: tflite.OptionsPad, inputs: []int32{0, paddings}, outputs: []int32{wide}})
		slices = append(slices, fbOp{code: tflite.OpStridedSlice, tag: tflite.OptionsStridedSlice, inputs: []int32{wide, begin, end, strides}, outputs: []int32{n}})
		narrow = append(narrow, n)
	}
	concat := add(fbTensor{name: "concat", shape: []int32{1, 16}})
	output := add(fbTensor{name: "output", shape: []int32{1, 16}})
	ops := append(append(pads, slices...),
		fbOp{code: tflite.OpConcatenation, tag: tflite.OptionsConcatenation, options: map[int]int32{0: 1}, inputs: narrow, outputs: []int32{concat}},
		fbOp{code: tflite.OpAdd, tag: tflite.OptionsAdd, inputs: []int32{concat, 0}, outputs: []int32{output}})
	return buildModel(tensors, ops, []int32{0}, []int32{output})
}

// slicePadMeanModel is slicePadModel's chain, a hundred times larger, with
// a MEAN over the padded output, whose float kernel requests two scratch
// buffers (an input iterator and the resolved axes): input (2800 floats)
// -> STRIDED_SLICE [200:2600] -> PAD 200+200 -> PAD 200+200 -> MEAN ->
// output (1 float).
func slicePadMeanModel() []byte {
	tensors := []fbTensor{
		{name: "input", shape: []int32{2800}},
		{name: "sliced", shape: []int32{2400}},
		{name: "padded", shape: []int32{2800}},
		{name: "padded2", shape: []int32{3200}},
		{name: "output", shape: []int32{1}},
		{name: "begin", typ: tflite.Int32, shape: []int32{1}, data: []int32{200}},
		{name: "end", typ: tflite.Int32, shape: []int32{1}, data: []int32{2600}},
		{name: "strides", typ: tflite.Int32, shape: []int32{1}, data: []int32{1}},
		{name: "paddings", typ: tflite.Int32, shape: []int32{1, 2}, data: []int32{200, 200}},
		{name: "axis", typ: tflite.Int32, shape: []int32{1}, data: []int32{0}},
	}
	ops := []fbOp{
		{code: tflite.OpStridedSlice, tag: tflite.OptionsStridedSlice, inputs: []int32{0, 5, 6, 7}, outputs: []int32{1}},
		{code: tflite.OpPad, tag: tflite.OptionsPad, inputs: []int32{1, 8}, outputs: []int32{2}},
		{code: tflite.OpPad, tag: tflite.OptionsPad, inputs: []int32{2, 8}, outputs: []int32{3}},
		{code: tflite.OpMean, tag: tflite.OptionsReducer, inputs: []int32{3, 9}, outputs: []int32{4}},
	}
	return buildModel(tensors, ops, []int32{0}, []int32{4})
}
