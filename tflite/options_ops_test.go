package tflite

import (
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// optionsOperator builds a flatbuffer holding one options table, filled by
// fill, and returns an Operator whose builtin options are that table.
func optionsOperator(t *testing.T, tag uint8, fields int, fill func(b *flatbuffers.Builder)) Operator {
	t.Helper()
	b := flatbuffers.NewBuilder(64)
	b.StartObject(fields)
	fill(b)
	b.Finish(b.EndObject())
	buf := b.FinishedBytes()
	table, err := newTable(buf, int(flatbuffers.GetUint32(buf)))
	require.NoError(t, err)
	return Operator{BuiltinOptionsType: tag, BuiltinOptions: table}
}

func TestOptionsOfMoreOps(t *testing.T) {
	op := optionsOperator(t, OptionsGather, 2, func(b *flatbuffers.Builder) {
		b.PrependInt32Slot(0, -1, 0)
		b.PrependInt32Slot(1, 1, 0)
	})
	gather, err := op.GatherOptions()
	require.NoError(t, err)
	assert.Equal(t, GatherOptions{Axis: -1, BatchDims: 1}, gather)
	_, err = op.PackOptions()
	assert.ErrorContains(t, err, "union type 23, not PackOptions (59)")

	op = optionsOperator(t, OptionsPack, 2, func(b *flatbuffers.Builder) {
		b.PrependInt32Slot(0, 3, 0)
		b.PrependInt32Slot(1, 1, 0)
	})
	pack, err := op.PackOptions()
	require.NoError(t, err)
	assert.Equal(t, PackOptions{ValuesCount: 3, Axis: 1}, pack)

	op = optionsOperator(t, OptionsResizeBilinear, 4, func(b *flatbuffers.Builder) {
		b.PrependBoolSlot(3, true, false)
	})
	resize, err := op.ResizeBilinearOptions()
	require.NoError(t, err)
	assert.Equal(t, ResizeOptions{HalfPixelCenters: true}, resize)

	op = optionsOperator(t, OptionsBatchMatMul, 3, func(b *flatbuffers.Builder) {
		b.PrependBoolSlot(1, true, false)
	})
	bmm, err := op.BatchMatMulOptions()
	require.NoError(t, err)
	assert.Equal(t, BatchMatMulOptions{AdjY: true}, bmm)

	op = optionsOperator(t, OptionsArgMax, 1, func(b *flatbuffers.Builder) { b.PrependInt8Slot(0, int8(Int64), 0) })
	argMax, err := op.ArgMaxOptions()
	require.NoError(t, err)
	assert.Equal(t, Int64, argMax.OutputType)

	op = optionsOperator(t, OptionsIf, 2, func(b *flatbuffers.Builder) {
		b.PrependInt32Slot(0, 1, 0)
		b.PrependInt32Slot(1, 2, 0)
	})
	ifOpts, err := op.IfOptions()
	require.NoError(t, err)
	assert.Equal(t, IfOptions{ThenSubgraph: 1, ElseSubgraph: 2}, ifOpts)

	b := flatbuffers.NewBuilder(64)
	name := b.CreateString("counter")
	b.StartObject(2)
	b.PrependUOffsetTSlot(1, name, 0)
	b.Finish(b.EndObject())
	buf := b.FinishedBytes()
	table, err := newTable(buf, int(flatbuffers.GetUint32(buf)))
	require.NoError(t, err)
	vh, err := Operator{BuiltinOptionsType: OptionsVarHandle, BuiltinOptions: table}.VarHandleOptions()
	require.NoError(t, err)
	assert.Equal(t, VarHandleOptions{SharedName: "counter"}, vh)

	// No options: the schema's defaults.
	var none Operator
	unpack, err := none.UnpackOptions()
	require.NoError(t, err)
	assert.Equal(t, UnpackOptions{}, unpack)
	require.NoError(t, none.TransposeOptions())
	require.NoError(t, none.GatherNdOptions())
}
