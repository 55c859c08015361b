package tensorplan

import (
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// fbOp is an operator of a flatbuffer test model: its opcode index, tensor
// lists and, for CALL_ONCE, the subgraph it calls (-1 for none).
type fbOp struct {
	opcode          uint32
	inputs, outputs []int32
	callOnce        int32
}

// fbSubgraph is a subgraph of a flatbuffer test model with tensors of 16
// int8 elements each.
type fbSubgraph struct {
	tensors         int
	inputs, outputs []int32
	ops             []fbOp
}

// buildModel serialises a .tflite model whose opcode 0 is CUSTOM and opcode
// 1 is CALL_ONCE, so that control flow goes through the real parser.
func buildModel(subgraphs []fbSubgraph) []byte {
	b := flatbuffers.NewBuilder(1024)
	vec := func(xs []int32) flatbuffers.UOffsetT {
		b.StartVector(4, len(xs), 4)
		for i := len(xs) - 1; i >= 0; i-- {
			b.PrependInt32(xs[i])
		}
		return b.EndVector(len(xs))
	}
	tables := func(offs []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, len(offs), 4)
		for i := len(offs) - 1; i >= 0; i-- {
			b.PrependUOffsetT(offs[i])
		}
		return b.EndVector(len(offs))
	}
	var sgs []flatbuffers.UOffsetT
	for _, sg := range subgraphs {
		var tensors, ops []flatbuffers.UOffsetT
		for range sg.tensors {
			shape := vec([]int32{16})
			b.StartObject(6)
			b.PrependUOffsetTSlot(0, shape, 0)
			b.PrependInt8Slot(1, int8(tflite.Int8), 0)
			tensors = append(tensors, b.EndObject())
		}
		for _, op := range sg.ops {
			var options flatbuffers.UOffsetT
			if op.callOnce >= 0 {
				b.StartObject(1)
				b.PrependInt32Slot(0, op.callOnce, -1)
				options = b.EndObject()
			}
			in, out := vec(op.inputs), vec(op.outputs)
			b.StartObject(5)
			b.PrependUint32Slot(0, op.opcode, 0)
			b.PrependUOffsetTSlot(1, in, 0)
			b.PrependUOffsetTSlot(2, out, 0)
			if op.callOnce >= 0 {
				b.PrependByteSlot(3, callOnceOptions, 0)
				b.PrependUOffsetTSlot(4, options, 0)
			}
			ops = append(ops, b.EndObject())
		}
		tv, in, out, ov := tables(tensors), vec(sg.inputs), vec(sg.outputs), tables(ops)
		b.StartObject(5)
		b.PrependUOffsetTSlot(0, tv, 0)
		b.PrependUOffsetTSlot(1, in, 0)
		b.PrependUOffsetTSlot(2, out, 0)
		b.PrependUOffsetTSlot(3, ov, 0)
		sgs = append(sgs, b.EndObject())
	}
	var codes []flatbuffers.UOffsetT
	for _, code := range []tflite.BuiltinOp{tflite.OpCustom, tflite.OpCallOnce} {
		custom := b.CreateString("mock")
		b.StartObject(4)
		b.PrependInt8Slot(0, int8(min(code, 127)), 0)
		if code == tflite.OpCustom {
			b.PrependUOffsetTSlot(1, custom, 0)
		}
		b.PrependInt32Slot(3, int32(code), 0)
		codes = append(codes, b.EndObject())
	}
	b.StartObject(1)
	empty := b.EndObject()
	cv, sv, bv := tables(codes), tables(sgs), tables([]flatbuffers.UOffsetT{empty})
	b.StartObject(7)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(1, cv, 0)
	b.PrependUOffsetTSlot(2, sv, 0)
	b.PrependUOffsetTSlot(4, bv, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte("TFL3"))
	return b.FinishedBytes()
}

// TestLifetimesCallOnce checks that a subgraph called by CALL_ONCE is
// planned inside its caller's step: main's op 0 (CALL_ONCE) runs at step 1,
// the called subgraph opens step 2 and runs its op at step 3, and main's
// op 1 runs at step 4.
func TestLifetimesCallOnce(t *testing.T) {
	data := buildModel([]fbSubgraph{
		{tensors: 2, inputs: []int32{0}, outputs: []int32{1}, ops: []fbOp{
			{opcode: 1, callOnce: 1},
			{opcode: 0, inputs: []int32{0}, outputs: []int32{1}, callOnce: -1},
		}},
		{tensors: 1, outputs: []int32{0}, ops: []fbOp{
			{opcode: 0, outputs: []int32{0}, callOnce: -1},
		}},
	})
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	var got [][4]int
	for _, tb := range lt.Tensors {
		got = append(got, [4]int{tb.Subgraph, tb.Index, tb.First, tb.Last})
	}
	assert.Equal(t, [][4]int{{0, 0, 0, 4}, {0, 1, 4, 4}, {1, 0, 3, 3}}, got)
	assert.Equal(t, 4, lt.LastStep)
	assert.Contains(t, lt.Ops, OpSteps{Subgraph: 0, Op: 0, First: 1, Last: 3})
	assert.Contains(t, lt.Ops, OpSteps{Subgraph: 1, Op: 0, First: 3, Last: 3})

	// A subgraph that calls itself is refused, not followed forever.
	recursive := buildModel([]fbSubgraph{{tensors: 1, inputs: []int32{0}, outputs: []int32{0}, ops: []fbOp{{opcode: 1, callOnce: 0}}}})
	m, err = tflite.Parse(recursive)
	require.NoError(t, err)
	_, err = ModelLifetimes(m)
	assert.ErrorContains(t, err, "calls itself")
}
