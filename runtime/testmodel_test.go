package runtime

import (
	flatbuffers "github.com/google/flatbuffers/go"

	"github.com/footprint-dev/footprint/tflite"
)

// This file builds small .tflite files for tests, field by field after the
// published schema, so kernels can be tested on models made by hand.

// tmTensor is one tensor of a hand-made model.
type tmTensor struct {
	typ      tflite.TensorType
	shape    []int32
	data     []byte // constant contents, nil for activations
	scale    []float32
	zero     []int64
	quantDim int32 // the quantised dimension of per-channel scales
	variable bool
}

// tmOp is one operator: its builtin code, tensors and options.
type tmOp struct {
	code            int32
	inputs, outputs []int32
	optionsType     byte
	// options adds the options table's fields; nil means no options.
	options func(b *flatbuffers.Builder)
	nfields int // number of fields options may set
	// strs are strings the options refer to, created before the options
	// table; strOptions, when set, fills the table given their offsets.
	strs       []string
	strOptions func(b *flatbuffers.Builder, strs []flatbuffers.UOffsetT)
	// custom, when set, makes the operator the custom operator of that
	// name (code is then ignored), with customOptions as its FlexBuffers
	// options.
	custom        string
	customOptions []byte
}

// tmGraph is one subgraph of a hand-made model.
type tmGraph struct {
	tensors         []tmTensor
	ops             []tmOp
	inputs, outputs []int32
}

// buildModel serialises a one-subgraph model.
func buildModel(tensors []tmTensor, ops []tmOp, inputs, outputs []int32) []byte {
	return buildGraphs([]tmGraph{{tensors, ops, inputs, outputs}})
}

// buildGraphs serialises a model of several subgraphs, the first the main
// one.
func buildGraphs(graphs []tmGraph) []byte {
	b := flatbuffers.NewBuilder(1024)
	ints := func(v []int32) flatbuffers.UOffsetT {
		b.StartVector(4, len(v), 4)
		for i := len(v) - 1; i >= 0; i-- {
			b.PrependInt32(v[i])
		}
		return b.EndVector(len(v))
	}
	tables := func(v []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, len(v), 4)
		for i := len(v) - 1; i >= 0; i-- {
			b.PrependUOffsetT(v[i])
		}
		return b.EndVector(len(v))
	}

	// Buffers: 0 is the empty sentinel, then one per constant tensor.
	buffers := []flatbuffers.UOffsetT{}
	b.StartObject(1)
	buffers = append(buffers, b.EndObject())
	bufferOf := make([][]uint32, len(graphs))
	for g, graph := range graphs {
		bufferOf[g] = make([]uint32, len(graph.tensors))
		for i, t := range graph.tensors {
			if t.data == nil {
				continue
			}
			data := b.CreateByteVector(t.data)
			b.StartObject(1)
			b.PrependUOffsetTSlot(0, data, 0)
			bufferOf[g][i] = uint32(len(buffers))
			buffers = append(buffers, b.EndObject())
		}
	}

	// One operator code per operator (duplicates are harmless).
	var codes, subgraphs []flatbuffers.UOffsetT
	for g, graph := range graphs {
		var tensorOffs []flatbuffers.UOffsetT
		for i, t := range graph.tensors {
			var quant flatbuffers.UOffsetT
			if t.scale != nil {
				b.StartVector(4, len(t.scale), 4)
				for k := len(t.scale) - 1; k >= 0; k-- {
					b.PrependFloat32(t.scale[k])
				}
				scales := b.EndVector(len(t.scale))
				b.StartVector(8, len(t.zero), 8)
				for k := len(t.zero) - 1; k >= 0; k-- {
					b.PrependInt64(t.zero[k])
				}
				zeros := b.EndVector(len(t.zero))
				b.StartObject(7)
				b.PrependUOffsetTSlot(2, scales, 0)
				b.PrependUOffsetTSlot(3, zeros, 0)
				b.PrependInt32Slot(6, t.quantDim, 0)
				quant = b.EndObject()
			}
			shape := ints(t.shape)
			name := b.CreateString("t" + string(rune('0'+i%10)))
			b.StartObject(6)
			b.PrependUOffsetTSlot(0, shape, 0)
			b.PrependByteSlot(1, byte(t.typ), 0)
			b.PrependUint32Slot(2, bufferOf[g][i], 0)
			b.PrependUOffsetTSlot(3, name, 0)
			if quant != 0 {
				b.PrependUOffsetTSlot(4, quant, 0)
			}
			b.PrependBoolSlot(5, t.variable, false)
			tensorOffs = append(tensorOffs, b.EndObject())
		}
		var opOffs []flatbuffers.UOffsetT
		for _, op := range graph.ops {
			code := op.code
			var customName, customOpts flatbuffers.UOffsetT
			if op.custom != "" {
				code = int32(tflite.OpCustom)
				customName = b.CreateString(op.custom)
				if op.customOptions != nil {
					customOpts = b.CreateByteVector(op.customOptions)
				}
			}
			b.StartObject(4)
			b.PrependByteSlot(0, byte(min(code, 127)), 0)
			if customName != 0 {
				b.PrependUOffsetTSlot(1, customName, 0)
			}
			b.PrependInt32Slot(2, 1, 0)
			b.PrependInt32Slot(3, code, 0)
			codes = append(codes, b.EndObject())

			var opts flatbuffers.UOffsetT
			switch {
			case op.strOptions != nil:
				strs := make([]flatbuffers.UOffsetT, len(op.strs))
				for k, str := range op.strs {
					strs[k] = b.CreateString(str)
				}
				b.StartObject(op.nfields)
				op.strOptions(b, strs)
				opts = b.EndObject()
			case op.options != nil:
				b.StartObject(op.nfields)
				op.options(b)
				opts = b.EndObject()
			}
			in, out := ints(op.inputs), ints(op.outputs)
			if customOpts != 0 {
				b.StartObject(7)
				b.PrependUOffsetTSlot(5, customOpts, 0)
			} else {
				b.StartObject(6)
			}
			b.PrependUint32Slot(0, uint32(len(codes)-1), 0)
			b.PrependUOffsetTSlot(1, in, 0)
			b.PrependUOffsetTSlot(2, out, 0)
			if opts != 0 {
				b.PrependByteSlot(3, op.optionsType, 0)
				b.PrependUOffsetTSlot(4, opts, 0)
			}
			opOffs = append(opOffs, b.EndObject())
		}
		tensorVec, opVec := tables(tensorOffs), tables(opOffs)
		in, out := ints(graph.inputs), ints(graph.outputs)
		b.StartObject(5)
		b.PrependUOffsetTSlot(0, tensorVec, 0)
		b.PrependUOffsetTSlot(1, in, 0)
		b.PrependUOffsetTSlot(2, out, 0)
		b.PrependUOffsetTSlot(3, opVec, 0)
		subgraphs = append(subgraphs, b.EndObject())
	}

	codeVec, subVec, bufVec := tables(codes), tables(subgraphs), tables(buffers)
	b.StartObject(5)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(1, codeVec, 0)
	b.PrependUOffsetTSlot(2, subVec, 0)
	b.PrependUOffsetTSlot(4, bufVec, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte("TFL3"))
	return b.FinishedBytes()
}
