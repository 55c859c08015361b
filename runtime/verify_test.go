package runtime

import (
	"math"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// planLayout plans in's arena with the named planner.
func planLayout(tb testing.TB, in *Interpreter, planner string) *Layout {
	tb.Helper()
	p, err := tensorplan.ByName(planner)
	require.NoError(tb, err)
	lt, err := tensorplan.ModelLifetimes(in.model)
	require.NoError(tb, err)
	r, err := tensorplan.BuildReport("model", lt, p.Name(), []tensorplan.Planner{p})
	require.NoError(tb, err)
	layout, err := LayoutFromPlan(in, r)
	require.NoError(tb, err)
	return layout
}

// TestVerifySharedModels verifies every planner's plan of every runnable
// shared model: no clobber, outputs equal to private memory.
func TestVerifySharedModels(t *testing.T) {
	for _, m := range sharedModels {
		if m.want == unsupported {
			continue
		}
		model, _ := loadShared(t, m.name)
		in, err := New(model)
		require.NoError(t, err)
		for _, planner := range tensorplan.PlannerNames() {
			t.Run(m.name+"/"+planner, func(t *testing.T) {
				layout := planLayout(t, in, planner)
				res, err := Verify(in, layout, oracleInputs(in))
				require.NoError(t, err)
				assert.Nil(t, res.Clobber)
				assert.Nil(t, res.Overlap)
				assert.True(t, res.OutputsEqual)
				assert.True(t, res.Pass)
				assert.Equal(t, in.NumOps(), res.OpsRun)
			})
		}
	}
}

// TestVerifyBrokenPlan moves a tensor onto another that is still alive
// when it is written: Verify must fail and name the overwritten tensor and
// the operator that overwrote it.
func TestVerifyBrokenPlan(t *testing.T) {
	model, _ := loadShared(t, "tflm_models__person_detect")
	in, err := New(model)
	require.NoError(t, err)
	layout := planLayout(t, in, "tflm")

	// victim: an operator's input that is still alive when the operator
	// writes its output (every operator's input is); overlay the output
	// onto it.
	op := 2
	victim, culprit := in.ops[op].inputs[0], in.ops[op].outputs[0]
	var victimOffset int64
	for _, p := range layout.Tensors {
		if p.Tensor == victim {
			victimOffset = p.Offset
		}
	}
	for i := range layout.Tensors {
		if layout.Tensors[i].Tensor == culprit {
			layout.Tensors[i].Offset = victimOffset
		}
	}
	layout.ArenaBytes = max(layout.ArenaBytes, victimOffset+int64(in.tensors[culprit].bytes))
	res, err := Verify(in, layout, oracleInputs(in))
	require.NoError(t, err)
	assert.False(t, res.Pass)
	require.NotNil(t, res.Clobber)
	assert.Equal(t, victim, res.Clobber.Tensor)
	assert.Equal(t, op, res.Clobber.Op)
	assert.Equal(t, "CONV_2D", res.Clobber.OpName)
	assert.Contains(t, res.Clobber.String(), in.tensors[victim].name)
}

// TestVerifyBadLayouts rejects layouts that cannot be run at all.
func TestVerifyBadLayouts(t *testing.T) {
	model, _ := loadShared(t, "hello_world__hello_world_int8")
	in, err := New(model)
	require.NoError(t, err)
	good := planLayout(t, in, "tflm")

	outside := *good
	outside.Tensors = append([]Placement(nil), good.Tensors...)
	outside.Tensors[0].Offset = good.ArenaBytes
	_, err = Verify(in, &outside, oracleInputs(in))
	assert.ErrorContains(t, err, "outside")
	// An offset whose end overflows int64 is outside too.
	outside.Tensors[0].Offset = math.MaxInt64
	_, err = Verify(in, &outside, oracleInputs(in))
	assert.ErrorContains(t, err, "outside")

	missing := *good
	missing.Tensors = good.Tensors[1:]
	_, err = Verify(in, &missing, oracleInputs(in))
	assert.ErrorContains(t, err, "does not place")

	_, err = Verify(in, good, [][]byte{{1, 2}})
	assert.ErrorContains(t, err, "needs 1 bytes, got 2")
}

// BenchmarkInvoke measures one inference with private memory per runnable
// shared model.
func BenchmarkInvoke(b *testing.B) {
	for _, m := range sharedModels {
		if m.want == unsupported {
			continue
		}
		b.Run(m.name, func(b *testing.B) {
			model, _ := loadShared(b, m.name)
			in, err := New(model)
			require.NoError(b, err)
			mem := in.PrivateMemory()
			require.NoError(b, in.SetInputs(mem, oracleInputs(in)))
			b.ReportAllocs()
			for b.Loop() {
				if err := in.Invoke(mem, nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestVerifyOverlappingInputs places simple_add_model's two inputs on the
// same bytes: loading the second clobbers the first.
func TestVerifyOverlappingInputs(t *testing.T) {
	model, _ := loadShared(t, "memory_footprint__simple_add_model")
	in, err := New(model)
	require.NoError(t, err)
	layout := planLayout(t, in, "tflm")
	inputs := in.Inputs()
	var at int64
	for _, p := range layout.Tensors {
		if p.Tensor == inputs[0] {
			at = p.Offset
		}
	}
	for i := range layout.Tensors {
		if layout.Tensors[i].Tensor == inputs[1] {
			layout.Tensors[i].Offset = at
		}
	}
	// With different inputs the run itself sees the clobber.
	data := oracleInputs(in)
	data[1] = append([]byte(nil), data[1]...)
	data[1][0]++
	res, err := Verify(in, layout, data)
	require.NoError(t, err)
	require.NotNil(t, res.Clobber)
	assert.Equal(t, inputs[0], res.Clobber.Tensor)
	assert.Equal(t, -1, res.Clobber.Op)
	assert.Contains(t, res.Clobber.String(), "loading the model inputs")

	// With identical inputs the runs cannot tell; the layout check can.
	res, err = Verify(in, layout, oracleInputs(in))
	require.NoError(t, err)
	assert.Nil(t, res.Clobber)
	assert.True(t, res.OutputsEqual)
	require.NotNil(t, res.Overlap)
	assert.Equal(t, [2]int{inputs[0], inputs[1]}, [2]int{res.Overlap.A, res.Overlap.B})
	assert.False(t, res.Pass)
}

// BenchmarkVerify measures a whole verification of person_detect's tflm
// plan: the private run, the arena run with poisoning and checks.
func BenchmarkVerify(b *testing.B) {
	model, _ := loadShared(b, "tflm_models__person_detect")
	in, err := New(model)
	require.NoError(b, err)
	layout := planLayout(b, in, "tflm")
	inputs := oracleInputs(in)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Verify(in, layout, inputs); err != nil {
			b.Fatal(err)
		}
	}
}

// TestVerifyHandWrittenLayout verifies a layout written by hand for
// hello_world: the three layers' outputs take turns in two 16-byte slots.
// Moving the second layer's output onto the first's, which the second
// layer is still reading, fails.
func TestVerifyHandWrittenLayout(t *testing.T) {
	model, _ := loadShared(t, "hello_world__hello_world_int8")
	in, err := New(model)
	require.NoError(t, err)
	// Tensor 0 is the input, 7 and 8 the hidden layers, 9 the output.
	layout := &Layout{ArenaBytes: 32, Tensors: []Placement{
		{Tensor: 0, Offset: 16}, {Tensor: 7, Offset: 0}, {Tensor: 8, Offset: 16}, {Tensor: 9, Offset: 0},
	}}
	res, err := Verify(in, layout, [][]byte{{3}})
	require.NoError(t, err)
	assert.True(t, res.Pass)
	assert.Equal(t, 3, res.OpsRun)
	assert.Equal(t, [][]byte{{0xfe}}, res.Outputs) // TFLM's output for this input

	layout.Tensors[2].Offset = 0
	res, err = Verify(in, layout, [][]byte{{3}})
	require.NoError(t, err)
	assert.False(t, res.Pass)
	require.NotNil(t, res.Clobber)
	assert.Equal(t, 7, res.Clobber.Tensor)
	assert.Equal(t, 1, res.Clobber.Op)
}

// TestVerifyCircularBufferHistory: CIRCULAR_BUFFER keeps its history in
// its output from one invocation to the next, which TFLM's planner does
// not know: its plan may put the history on the bytes of a tensor that
// dies before it (here the model input), which the next invocation
// overwrites on a device. Verify keeps the history alive throughout and
// repeats the aborted invocation, loading the inputs again, and names the
// overlap (the same inputs write the same bytes, so the run cannot see it).
func TestVerifyCircularBufferHistory(t *testing.T) {
	options, err := flexbuf.EncodeMap(map[string]any{"cycles_max": 2})
	require.NoError(t, err)
	model, err := tflite.Parse(buildModel(
		[]tmTensor{t8(1, 1, 1, 8), t8(1, 1, 1, 8), t8(1, 2, 1, 8), t8(1, 2, 1, 8)},
		[]tmOp{{code: codeRelu, inputs: []int32{0}, outputs: []int32{1}},
			{custom: "CIRCULAR_BUFFER", customOptions: options, inputs: []int32{1}, outputs: []int32{2}},
			{code: codeRelu, inputs: []int32{2}, outputs: []int32{3}}},
		[]int32{0}, []int32{3}))
	require.NoError(t, err)
	in, err := New(model)
	require.NoError(t, err)
	layout := planLayout(t, in, "tflm")
	offset := map[int]int64{}
	for _, p := range layout.Tensors {
		offset[p.Tensor] = p.Offset
	}
	require.Equal(t, offset[0], offset[2], "TFLM's plan puts the history where the input was")

	res, err := Verify(in, layout, oracleInputs(in))
	require.NoError(t, err)
	assert.False(t, res.Pass)
	assert.Equal(t, 2, res.Invocations)
	require.NotNil(t, res.Overlap, "%+v", res)
	assert.Equal(t, [2]int{0, 2}, [2]int{res.Overlap.A, res.Overlap.B})

	// A plan of its own for the history passes.
	layout.Tensors = slices.DeleteFunc(layout.Tensors, func(p Placement) bool { return p.Tensor == 2 })
	layout.Tensors = append(layout.Tensors, Placement{Tensor: 2, Offset: layout.ArenaBytes})
	layout.ArenaBytes += 16
	res, err = Verify(in, layout, oracleInputs(in))
	require.NoError(t, err)
	assert.True(t, res.Pass, "%+v", res)
	assert.Equal(t, 2, res.Invocations)
}
