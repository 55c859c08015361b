package tensorplan

import (
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// Opcode indices of the flatbuffer test models.
const (
	opMock uint32 = iota // CUSTOM:mock
	opCallOnce
	opIf
	opWhile
)

// fbOp is an operator of a flatbuffer test model: its opcode index, tensor
// lists and, for the control-flow operators, the subgraphs it calls in
// option-field order.
type fbOp struct {
	opcode          uint32
	inputs, outputs []int32
	calls           []int32
}

// fbSubgraph is a subgraph of a flatbuffer test model with tensors of 16
// int8 elements each.
type fbSubgraph struct {
	tensors         int
	inputs, outputs []int32
	ops             []fbOp
}

// buildModel serialises a .tflite model with the opcodes above, so that
// control flow goes through the real parser.
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
			if len(op.calls) > 0 {
				b.StartObject(len(op.calls))
				for field, sub := range op.calls {
					b.PrependInt32Slot(field, sub, -1)
				}
				options = b.EndObject()
			}
			in, out := vec(op.inputs), vec(op.outputs)
			b.StartObject(5)
			b.PrependUint32Slot(0, op.opcode, 0)
			b.PrependUOffsetTSlot(1, in, 0)
			b.PrependUOffsetTSlot(2, out, 0)
			if len(op.calls) > 0 {
				b.PrependByteSlot(3, [...]byte{opCallOnce: callOnceOptions, opIf: ifOptions, opWhile: whileOptions}[op.opcode], 0)
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
	for _, code := range []tflite.BuiltinOp{tflite.OpCustom, tflite.OpCallOnce, tflite.OpIf, tflite.OpWhile} {
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
			{opcode: opCallOnce, calls: []int32{1}},
			{opcode: opMock, inputs: []int32{0}, outputs: []int32{1}},
		}},
		{tensors: 1, outputs: []int32{0}, ops: []fbOp{
			{opcode: opMock, outputs: []int32{0}},
		}},
	})
	lt := lifetimesOf(t, data)
	assert.Equal(t, [][4]int{{0, 0, 0, 4}, {0, 1, 4, 4}, {1, 0, 3, 3}}, steps(lt))
	assert.Equal(t, 4, lt.LastStep)
	assert.Contains(t, lt.Ops, OpSteps{Subgraph: 0, Op: 0, First: 1, Last: 3})
	assert.Contains(t, lt.Ops, OpSteps{Subgraph: 1, Op: 0, First: 3, Last: 3})

	// A subgraph that calls itself is refused, not followed forever.
	recursive := buildModel([]fbSubgraph{{tensors: 1, inputs: []int32{0}, outputs: []int32{0}, ops: []fbOp{{opcode: opCallOnce, calls: []int32{0}}}}})
	m, err := tflite.Parse(recursive)
	require.NoError(t, err)
	_, err = ModelLifetimes(m)
	assert.ErrorContains(t, err, "calls itself")
}

// lifetimesOf parses a test model and computes its lifetimes.
func lifetimesOf(t *testing.T, data []byte) *Lifetimes {
	t.Helper()
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	return lt
}

// steps lists every planned tensor as {subgraph, tensor, first, last}.
func steps(lt *Lifetimes) [][4]int {
	var got [][4]int
	for _, tb := range lt.Tensors {
		got = append(got, [4]int{tb.Subgraph, tb.Index, tb.First, tb.Last})
	}
	return got
}

// TestLifetimesIfWhile checks IF and WHILE, which call two subgraphs each
// (then/else, cond/body) inside their own step, in that order, each in a
// new allocation scope, as TFLM's MarkSubgraphLifetimesIfNecessary does.
// main: t0 -> IF/WHILE -> t1 -> mock -> t2; subgraphs 1 and 2: t0 -> mock
// -> t1. The control-flow op opens step 1; subgraph 1 enters at step 2
// (its op at 3), subgraph 2 at step 4 (its op at 5); the op's inputs live
// until step 5, and main's second op runs at step 6.
func TestLifetimesIfWhile(t *testing.T) {
	branch := fbSubgraph{tensors: 2, inputs: []int32{0}, outputs: []int32{1}, ops: []fbOp{
		{opcode: opMock, inputs: []int32{0}, outputs: []int32{1}},
	}}
	for _, opcode := range []uint32{opIf, opWhile} {
		data := buildModel([]fbSubgraph{
			{tensors: 3, inputs: []int32{0}, outputs: []int32{2}, ops: []fbOp{
				{opcode: opcode, inputs: []int32{0}, outputs: []int32{1}, calls: []int32{1, 2}},
				{opcode: opMock, inputs: []int32{1}, outputs: []int32{2}},
			}},
			branch, branch,
		})
		lt := lifetimesOf(t, data)
		assert.Equal(t, [][4]int{
			{0, 0, 0, 5}, {0, 1, 1, 6}, {0, 2, 6, 6},
			{1, 0, 2, 3}, {1, 1, 3, 3},
			{2, 0, 4, 5}, {2, 1, 5, 5},
		}, steps(lt), "opcode %d", opcode)
		assert.Equal(t, 6, lt.LastStep)
		assert.Contains(t, lt.Ops, OpSteps{Subgraph: 0, Op: 0, First: 1, Last: 5})
	}
}
