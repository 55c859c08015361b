package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

func TestArenaTable(t *testing.T) {
	model := sharedtest.Path(t, "models", "micro_speech__audio_preprocessor_int8.tflite")
	code, out, errOut := runCLI("arena", model)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "lower bound  2096 bytes")
	assert.Regexp(t, `tflm\s+3040\s+944\s+45\.0%`, out)
	assert.Regexp(t, `best\s+2096\s+0\s+0\.0%`, out)
	assert.Contains(t, out, "plan by best: 2096 bytes")
	assert.Contains(t, out, "timeline (columns: steps 0-22")
}

func TestArenaJSON(t *testing.T) {
	model := sharedtest.Path(t, "models", "tflm_models__person_detect.tflite")
	code, out, errOut := runCLI("arena", "--format", "json", "--planner", "tflm", model)
	require.Equal(t, 0, code, errOut)
	var r tensorplan.Report
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, tensorplan.ReportVersion, r.Version)
	assert.Equal(t, "tflm", r.Planner)
	assert.Equal(t, int64(55296), r.ArenaBytes)
	require.Len(t, r.Planners, 3)
	buffers := make([]tensorplan.Buffer, len(r.Tensors))
	offsets := make([]int64, len(r.Tensors))
	for i, pt := range r.Tensors {
		buffers[i] = tensorplan.Buffer{Size: pt.Bytes, First: pt.First, Last: pt.Last, Fixed: tensorplan.Online}
		offsets[i] = pt.Offset
	}
	assert.NoError(t, tensorplan.Validate(buffers, tensorplan.Plan{Offsets: offsets, ArenaSize: r.ArenaBytes}))
}

func TestArenaMiniMallocCSV(t *testing.T) {
	csv := sharedtest.Path(t, "bench", "minimalloc", "examples", "input.12.csv")
	code, out, errOut := runCLI("arena", "--csv", csv)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "capacity     12 bytes (from the file name); best plan is 1.000x of it")
}

func TestArenaBadInput(t *testing.T) {
	junk := filepath.Join(t.TempDir(), "junk.tflite")
	require.NoError(t, os.WriteFile(junk, []byte("not a model at all"), 0o644))
	for name, args := range map[string][]string{
		"unknown planner": {"arena", "--planner", "fastest", junk},
		"unknown format":  {"arena", "--format", "xml", junk},
		"no input":        {"arena"},
		"missing file":    {"arena", filepath.Join(t.TempDir(), "absent.tflite")},
		"not a model":     {"arena", junk},
		"both inputs":     {"arena", "--csv", junk, junk},
	} {
		code, out, errOut := runCLI(args...)
		assert.Equal(t, 2, code, name)
		assert.Empty(t, out, name)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), name)
	}
}

// parseLifetimes reads a model file and computes its lifetimes.
func parseLifetimes(t *testing.T, path string) (*tflite.Model, *tensorplan.Lifetimes) {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	lt, err := tensorplan.ModelLifetimes(m)
	require.NoError(t, err)
	return m, lt
}

// TestArenaWriteModel embeds the best plan in every shared model, for the
// reference kernels and CMSIS-NN on a Cortex-M4 and a Cortex-M55, and
// checks the written model end to end: the same tensors are planned, now
// fixed at the printed plan's offsets; the "before -> after" figures are
// what arena --tflm computes on the original and the written model; the
// head reaches the joint bound of tensors and scratch buffers, or the
// output says why not; the JSON carries the joint plan; and verify --plan
// runs the written model inside the plan it carries.
func TestArenaWriteModel(t *testing.T) {
	paths, err := filepath.Glob(sharedtest.Path(t, "models", "*.tflite"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, kernels := range [][]string{nil, {"--kernels", "cmsis-nn", "--cpu", "cortex-m4"}, {"--kernels", "cmsis-nn", "--cpu", "cortex-m55"}} {
		for _, path := range paths {
			name := strings.TrimSuffix(filepath.Base(path), ".tflite")
			t.Run(strings.Join(append(kernels, name), "/"), func(t *testing.T) {
				checkWriteModel(t, path, kernels)
			})
		}
	}
}

// writeLine matches the line --write-model prints about stock TFLM.
var writeLine = regexp.MustCompile(`stock TFLM on [^:]+: head (?:at least )?(\d+) -> (?:at least )?(\d+) bytes, kTensorArenaSize (?:at least )?(\d+) -> (?:at least )?(\d+)`)

func checkWriteModel(t *testing.T, path string, kernels []string) {
	name := strings.TrimSuffix(filepath.Base(path), ".tflite")
	dir := t.TempDir()
	out, planFile := filepath.Join(dir, "planned.tflite"), filepath.Join(dir, "plan.json")
	code, stdout, errOut := runCLI(slices.Concat([]string{"arena", path, "--write-model", out}, kernels)...)
	require.Equal(t, 0, code, errOut)
	m := writeLine.FindStringSubmatch(stdout)
	require.NotNil(t, m, stdout)
	tflm := func(model string) tflmarena.Estimate {
		code, stdout, errOut := runCLI(slices.Concat([]string{"arena", model, "--tflm", "--format", "json"}, kernels)...)
		require.Equal(t, 0, code, errOut)
		var est tflmarena.Estimate
		require.NoError(t, json.Unmarshal([]byte(stdout), &est))
		return est
	}
	before, after := tflm(path), tflm(out)
	assert.Equal(t, []string{fmt.Sprint(before.Head), fmt.Sprint(after.Head), fmt.Sprint(before.MinArenaBytes), fmt.Sprint(after.MinArenaBytes)},
		m[1:], "the printed figures are arena --tflm's on both files")
	assert.LessOrEqual(t, after.Head, before.Head, "the plan never makes TFLM's head larger")
	assert.Equal(t, before.Tail, after.Tail, "the tail does not change")

	code, stdout, errOut = runCLI(slices.Concat([]string{"arena", path, "--write-model", out, "--format", "json"}, kernels)...)
	require.Equal(t, 0, code, errOut)
	require.NoError(t, os.WriteFile(planFile, []byte(stdout), 0o644))
	var r tensorplan.Report
	require.NoError(t, json.Unmarshal([]byte(stdout), &r))
	require.NotNil(t, r.Joint)
	j := r.Joint
	assert.True(t, j.Written)
	assert.Equal(t, before.Head, j.HeadBefore)
	assert.Equal(t, after.Head, j.Head)
	assert.GreaterOrEqual(t, j.Head, j.Bound)
	assert.Equal(t, j.Head == j.Bound, j.Optimal)
	if j.Bound < before.Head && !j.Optimal {
		_, text, _ := runCLI(slices.Concat([]string{"arena", path, "--write-model", out}, kernels)...)
		assert.Contains(t, text, "not reached", "the output says why the head misses the joint bound")
	}

	_, lt := parseLifetimes(t, path)
	_, lt2 := parseLifetimes(t, out)
	require.Len(t, lt2.Tensors, len(lt.Tensors))
	require.Len(t, r.Tensors, len(lt.Tensors))
	for i, tb := range lt2.Tensors {
		require.Equal(t, r.Tensors[i].Offset, tb.Fixed, "tensor %d sits at the printed offset", tb.Index)
		tb.Fixed = lt.Tensors[i].Fixed
		require.Equal(t, lt.Tensors[i], tb, "the same tensor, size and lifetime")
	}
	require.Equal(t, lt.Persistent, lt2.Persistent)
	t.Logf("%-40s joint bound %6d  head %6d -> %6d  kTensorArenaSize %6d -> %6d", name, j.Bound, before.Head, after.Head, before.MinArenaBytes, after.MinArenaBytes)

	if name == "tflm_models__person_detect_vela" {
		return // CUSTOM:ethos-u: the runtime cannot run it
	}
	for _, model := range []string{out, path} {
		code, stdout, errOut = runCLI("verify", model, "--plan", planFile)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, stdout, "PASS")
	}
}

// slicePadModel builds a float32 model on which TFLM's greedy planner
// misses the lower bound by 40 %: input (28 floats) -> STRIDED_SLICE [2:26]
// -> PAD 2+2 -> PAD 2+2 -> output (32 floats). Its buffers are 112, 96,
// 112 and 128 bytes in a chain: the bound is 112+128 = 240 bytes, TFLM's
// greedy plan 336.
func slicePadModel() []byte {
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
	tensor := func(name string, typ tflite.TensorType, buffer uint32, shape ...int32) flatbuffers.UOffsetT {
		n, sh := b.CreateString(name), int32s(shape...)
		b.StartObject(4)
		b.PrependUOffsetTSlot(0, sh, 0)
		b.PrependInt8Slot(1, int8(typ), 0)
		b.PrependUint32Slot(2, buffer, 0)
		b.PrependUOffsetTSlot(3, n, 0)
		return b.EndObject()
	}
	op := func(opcode uint32, optionsTag byte, inputs []int32, output int32) flatbuffers.UOffsetT {
		in, out := int32s(inputs...), int32s(output)
		b.StartObject(0)
		options := b.EndObject()
		b.StartObject(5)
		b.PrependUint32Slot(0, opcode, 0)
		b.PrependUOffsetTSlot(1, in, 0)
		b.PrependUOffsetTSlot(2, out, 0)
		b.PrependByteSlot(3, optionsTag, 0)
		b.PrependUOffsetTSlot(4, options, 0)
		return b.EndObject()
	}
	buffer := func(words ...uint32) flatbuffers.UOffsetT {
		var data []byte
		for _, w := range words {
			data = binary.LittleEndian.AppendUint32(data, w)
		}
		vec := b.CreateByteVector(data)
		b.StartObject(1)
		if len(words) > 0 {
			b.PrependUOffsetTSlot(0, vec, 0)
		}
		return b.EndObject()
	}
	tensors := tables(
		tensor("input", tflite.Float32, 0, 28),
		tensor("sliced", tflite.Float32, 0, 24),
		tensor("padded", tflite.Float32, 0, 28),
		tensor("output", tflite.Float32, 0, 32),
		tensor("begin", tflite.Int32, 1, 1),
		tensor("end", tflite.Int32, 2, 1),
		tensor("strides", tflite.Int32, 3, 1),
		tensor("paddings", tflite.Int32, 4, 1, 2),
	)
	ops := tables(
		op(0, tflite.OptionsStridedSlice, []int32{0, 4, 5, 6}, 1),
		op(1, tflite.OptionsPad, []int32{1, 7}, 2),
		op(1, tflite.OptionsPad, []int32{2, 7}, 3),
	)
	inputs, outputs := int32s(0), int32s(3)
	b.StartObject(4)
	b.PrependUOffsetTSlot(0, tensors, 0)
	b.PrependUOffsetTSlot(1, inputs, 0)
	b.PrependUOffsetTSlot(2, outputs, 0)
	b.PrependUOffsetTSlot(3, ops, 0)
	subgraphs := tables(b.EndObject())
	var codes []flatbuffers.UOffsetT
	for _, code := range []tflite.BuiltinOp{tflite.OpStridedSlice, tflite.OpPad} {
		b.StartObject(4)
		b.PrependInt8Slot(0, int8(code), 0)
		b.PrependInt32Slot(2, 1, 1)
		b.PrependInt32Slot(3, int32(code), 0)
		codes = append(codes, b.EndObject())
	}
	opcodes := tables(codes...)
	buffers := tables(buffer(), buffer(2), buffer(26), buffer(1), buffer(2, 2))
	b.StartObject(5)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(1, opcodes, 0)
	b.PrependUOffsetTSlot(2, subgraphs, 0)
	b.PrependUOffsetTSlot(4, buffers, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte("TFL3"))
	return b.FinishedBytes()
}

// TestArenaWriteModelSavesArena checks the whole path on a model where the
// plan pays off: stock TFLM's head drops from its greedy plan to the best
// plan, which tflmarena reads back from the written model, and the model
// runs correctly inside it.
func TestArenaWriteModelSavesArena(t *testing.T) {
	dir := t.TempDir()
	model, out := filepath.Join(dir, "slice_pad.tflite"), filepath.Join(dir, "slice_pad_planned.tflite")
	require.NoError(t, os.WriteFile(model, slicePadModel(), 0o644))
	code, stdout, errOut := runCLI("arena", model)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `tflm\s+336\s+96\s+40\.0%`, stdout)
	assert.Regexp(t, `best\s+240\s+0\s+0\.0%`, stdout)

	code, stdout, errOut = runCLI("arena", model, "--write-model", out)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "the best plan above as OfflineMemoryAllocation metadata; stock TFLM on cortex-m: head 336 -> 240 bytes")

	code, stdout, errOut = runCLI("arena", out, "--tflm")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "head 240 + tail")
	for _, planner := range []string{"tflm", "best", "linear"} {
		code, stdout, errOut = runCLI("verify", out, "--planner", planner)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, stdout, "PASS")
		assert.Contains(t, stdout, "240 bytes", "every planner keeps the fixed offsets")
	}
}

func TestArenaWriteModelBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	csv := sharedtest.Path(t, "bench", "minimalloc", "examples", "input.12.csv")
	out := filepath.Join(t.TempDir(), "out.tflite")
	for _, tc := range []struct {
		name, want string
		args       []string
	}{
		{"with --tflm", "does not go with --tflm", []string{"arena", model, "--tflm", "--write-model", out}},
		{"with --csv", "--write-model needs a MODEL.tflite argument", []string{"arena", "--csv", csv, "--write-model", out}},
		{"bad target", "--target", []string{"arena", model, "--target", "z80", "--write-model", out}},
		{"unwritable", "no such file or directory", []string{"arena", model, "--write-model", filepath.Join(t.TempDir(), "absent", "out.tflite")}},
		{"planner absent", `unknown planner "fastest"`, []string{"arena", model, "--planner", "fastest", "--write-model", out}},
	} {
		code, stdout, errOut := runCLI(tc.args...)
		assert.Equal(t, 2, code, tc.name)
		assert.Empty(t, stdout, tc.name)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), tc.name)
		assert.Contains(t, errOut, tc.want, tc.name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), tc.name)
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing written on errors")
}

// TestArenaWriteModelSavesWithScratch writes the joint plan of
// slicePadMeanModel, whose MEAN requests two scratch buffers: TFLM's
// greedy planner needs 33600 bytes of head where tensors and scratch
// buffers fit in 24000, and the written model gets exactly that, with
// kTensorArenaSize 34364 -> 24764 on a Cortex-M (measured on real TFLM for
// x86-64: arena_used_bytes() 34816 -> 25216, as --target host64 predicts).
func TestArenaWriteModelSavesWithScratch(t *testing.T) {
	dir := t.TempDir()
	model, out, planFile := filepath.Join(dir, "slice_pad_mean.tflite"), filepath.Join(dir, "planned.tflite"), filepath.Join(dir, "plan.json")
	require.NoError(t, os.WriteFile(model, slicePadMeanModel(), 0o644))
	code, stdout, errOut := runCLI("arena", model, "--write-model", out)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `tflm\s+33600\s+9600\s+40\.0%`, stdout)
	assert.Contains(t, stdout, "best's plan of the tensors and the kernels' 2 scratch buffer(s) (TFLM places those itself) as OfflineMemoryAllocation metadata; stock TFLM on cortex-m: head 33600 -> 24000 bytes, kTensorArenaSize 34364 -> 24764")
	assert.Contains(t, stdout, "joint bound  24000 bytes (peak of live tensor and scratch bytes, 2 scratch buffer(s)): the written plan reaches it (optimal), 9600 bytes below stock TFLM's own plan")

	code, stdout, errOut = runCLI("arena", out, "--tflm")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  24764 bytes")
	assert.Contains(t, stdout, "head 24000 + tail")
	code, stdout, errOut = runCLI("arena", out, "--tflm", "--target", "host64")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "arena_used_bytes():        25216 bytes")

	code, stdout, errOut = runCLI("arena", model, "--write-model", out, "--format", "json")
	require.Equal(t, 0, code, errOut)
	require.NoError(t, os.WriteFile(planFile, []byte(stdout), 0o644))
	for _, m := range []string{out, model} {
		code, stdout, errOut = runCLI("verify", m, "--plan", planFile)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, stdout, "PASS")
	}
}
