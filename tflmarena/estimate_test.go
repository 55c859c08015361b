package tflmarena

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

func sharedModel(t testing.TB, name string) *tflite.Model {
	t.Helper()
	return loadModel(t, filepath.Join(sharedtest.Dir(t), "models", name+".tflite"))
}

// fits reports whether every check passes for an arena of n bytes.
func fits(events []event, n int64) bool {
	run := replay(events, mod(n, 16))
	return run.need <= n && run.clear(n)
}

// checkMinimumIsTight checks that m's minimum arena for abi passes every
// TFLM check and one byte less fails one; what names the case in messages.
func checkMinimumIsTight(t *testing.T, m *tflite.Model, abi ABI, what string) {
	t.Helper()
	b := builder{m: m, abi: abi}
	events, _, err := b.build(false)
	require.NoError(t, err)
	min := minimumArena(events)
	assert.True(t, fits(events, min), "%s: minimum %d fails", what, min)
	assert.False(t, fits(events, min-1), "%s: %d fits", what, min-1)
}

// TestMinimumIsTight checks, for every shared model, that the minimum
// arena passes every TFLM check and one byte less fails one, as the
// oracle's bisection found on the device.
func TestMinimumIsTight(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), "models", "*.tflite"))
	require.NoError(t, err)
	for _, f := range files {
		m := loadModel(t, f)
		for _, abi := range Targets() {
			checkMinimumIsTight(t, m, abi, f+" "+abi.Name)
		}
	}
}

func TestTargetByName(t *testing.T) {
	abi, err := TargetByName("host64")
	require.NoError(t, err)
	assert.Equal(t, int64(8), abi.Pointer.Size)
	_, err = TargetByName("avr")
	require.ErrorContains(t, err, `unknown target "avr"`)
}

func TestWriteTextAndJSON(t *testing.T) {
	est, err := EstimateArena(sharedModel(t, "hello_world__hello_world_int8"), CortexM)
	require.NoError(t, err)

	var text bytes.Buffer
	require.NoError(t, est.WriteText(&text, true))
	assert.Contains(t, text.String(), "minimum kTensorArenaSize:  1068")
	assert.Contains(t, text.String(), "arena_used_bytes():        676")
	assert.Contains(t, text.String(), "FULLY_CONNECTED")
	assert.NotContains(t, text.String(), "not exact")

	var out bytes.Buffer
	require.NoError(t, est.WriteJSON(&out))
	var back Estimate
	require.NoError(t, json.Unmarshal(out.Bytes(), &back))
	assert.Equal(t, *est, back)

	// Allocations sum to the tail; head buffers fit in the head.
	var tail int64
	for _, a := range est.Allocations {
		tail += a.Used
	}
	assert.Equal(t, est.Tail, tail)
	for _, h := range est.HeadBuffers {
		assert.LessOrEqual(t, h.Offset+h.Size, est.Head)
	}
}

func TestNotModelledOpIsABound(t *testing.T) {
	est, err := EstimateArena(sharedModel(t, "tflm_models__person_detect_vela"), CortexM)
	require.NoError(t, err)
	assert.False(t, est.Exact)
	require.Len(t, est.Reasons, 1)
	assert.Contains(t, est.Reasons[0], "CUSTOM:ethos-u")
	var text bytes.Buffer
	require.NoError(t, est.WriteText(&text, false))
	assert.Contains(t, text.String(), "at least")
	assert.Contains(t, text.String(), "not exact:")
}

func TestBadModels(t *testing.T) {
	base := func() *tflite.Model {
		return &tflite.Model{
			OpCodes: []tflite.OpCode{{Builtin: opAdd.Builtin}},
			Buffers: []tflite.Buffer{{}},
			Subgraphs: []tflite.Subgraph{{
				Tensors:   []tflite.Tensor{{Shape: []int32{4}, Type: tflite.Int8}, {Shape: []int32{4}, Type: tflite.Int8}},
				Inputs:    []int32{0},
				Outputs:   []int32{1},
				Operators: []tflite.Operator{{Inputs: []int32{0, 0}, Outputs: []int32{1}}},
			}},
		}
	}
	_, err := EstimateArena(base(), CortexM)
	require.NoError(t, err)

	for name, tc := range map[string]struct {
		edit func(m *tflite.Model)
		want string
	}{
		"no subgraphs":    {func(m *tflite.Model) { m.Subgraphs = nil }, "no subgraphs"},
		"dynamic shape":   {func(m *tflite.Model) { m.Subgraphs[0].Tensors[0].Shape = []int32{-1, 4} }, "dynamic dimension"},
		"huge tensor":     {func(m *tflite.Model) { m.Subgraphs[0].Tensors[0].Shape = []int32{1 << 30, 1 << 30, 1 << 30} }, "more than"},
		"string tensor":   {func(m *tflite.Model) { m.Subgraphs[0].Tensors[0].Type = tflite.String }, "no size"},
		"input index":     {func(m *tflite.Model) { m.Subgraphs[0].Inputs = []int32{7} }, "out of range"},
		"operator index":  {func(m *tflite.Model) { m.Subgraphs[0].Operators[0].Inputs = []int32{0, 9} }, "out of range"},
		"operator output": {func(m *tflite.Model) { m.Subgraphs[0].Operators[0].Outputs = []int32{-1} }, "out of range"},
		"opcode index":    {func(m *tflite.Model) { m.Subgraphs[0].Operators[0].OpcodeIndex = 3 }, "opcode index"},
		"negative fft length": {func(m *tflite.Model) {
			m.OpCodes[0] = tflite.OpCode{Builtin: tflite.OpCustom, Custom: opSignalRfft.Custom}
			opts, err := flexbuf.EncodeMap(map[string]any{"T": int(tflite.Int16), "fft_length": -4})
			require.NoError(t, err)
			m.Subgraphs[0].Operators[0].CustomOptions = opts
		}, "implausible"},
		"offline plan size": {func(m *tflite.Model) { m.Metadata = []tflite.Metadata{{Name: tensorplan.OfflineMetadata, Buffer: 0}} }, tensorplan.OfflineMetadata},
	} {
		t.Run(name, func(t *testing.T) {
			m := base()
			tc.edit(m)
			_, err := EstimateArena(m, CortexM)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestCheckArena(t *testing.T) {
	est := &Estimate{MinArenaBytes: 1068, Exact: true}
	for _, tc := range []struct {
		address uint64
		size    int64
		want    ArenaStatus
	}{
		{0x20000000, 1068, ArenaFits},
		{0x20000000, 1067, ArenaTooSmall},
		{0x20000008, 1068, ArenaTooSmall}, // 8 bytes lost to alignment
		{0x20000000, 1335, ArenaFits},     // exactly 25 % over
		{0x20000000, 1336, ArenaOversized},
		{0x20000000, 1200, ArenaFits},
	} {
		c := CheckArena("tensor_arena", tc.address, tc.size, est)
		assert.Equal(t, tc.want, c.Status, "%#x %d: %s", tc.address, tc.size, c.Message)
		assert.Contains(t, c.Message, "tensor_arena")
	}
	c := CheckArena("arena", 0, 100, &Estimate{MinArenaBytes: 200})
	assert.Equal(t, ArenaTooSmall, c.Status)
	assert.Contains(t, c.Message, "at least 200")
	assert.Contains(t, c.Message, "lower bound")
}

func FuzzEstimate(f *testing.F) {
	for _, name := range []string{"hello_world__hello_world_int8", "integration_seanet__add0", "micro_speech__micro_speech_quantized",
		"integration_seanet__conv0", "mnist_lstm__trained_lstm_int8"} {
		raw, err := os.ReadFile(filepath.Join(sharedtest.Dir(f), "models", name+".tflite"))
		if err == nil {
			f.Add(raw)
		}
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		m, err := tflite.Parse(raw)
		if err != nil {
			return
		}
		targets := Targets()
		for _, cpu := range []string{"cortex-m0plus", "cortex-m4", "cortex-m55"} {
			abi, err := ParseTarget(CortexM.Name, string(CMSISNN), cpu)
			if err != nil {
				t.Fatal(err)
			}
			targets = append(targets, abi)
		}
		for _, abi := range targets {
			est, err := EstimateArena(m, abi)
			if err != nil {
				continue
			}
			if est.MinArenaBytes <= 0 || est.ArenaUsedBytes != est.Head+est.Tail {
				t.Fatalf("inconsistent estimate: %+v", est)
			}
		}
	})
}

func BenchmarkEstimatePersonDetect(b *testing.B) {
	m := sharedModel(b, "tflm_models__person_detect")
	b.ReportAllocs()
	for b.Loop() {
		if _, err := EstimateArena(m, CortexM); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFirmwareArena finds the tensor arena of the test firmware, which
// embeds hello_world_int8 with a 1200-byte tensor_arena, and judges it.
func TestFirmwareArena(t *testing.T) {
	elf := filepath.Join("..", "testdata", "firmware", "out", "cortex-m4f", "firmware.elf")
	if _, err := os.Stat(elf); err != nil {
		t.Skip("test firmware not built")
	}
	rep, err := elfsize.Open(elf, elfsize.Options{Demangle: true})
	require.NoError(t, err)
	sym, err := FindArenaSymbol(rep.Pieces, "")
	require.NoError(t, err)
	assert.Equal(t, "tensor_arena", sym.Name)
	assert.Equal(t, int64(1200), sym.Size)
	named, err := FindArenaSymbol(rep.Pieces, "tensor_arena")
	require.NoError(t, err)
	assert.Equal(t, sym, named)
	_, err = FindArenaSymbol(rep.Pieces, "no_such_arena")
	require.ErrorContains(t, err, `no RAM symbol named "no_such_arena"`)

	c, err := CheckFirmware(rep.Pieces, "", filepath.Join(sharedtest.Dir(t), "models", "hello_world__hello_world_int8.tflite"), CortexM)
	require.NoError(t, err)
	assert.Equal(t, ArenaFits, c.Status, c.Message)
	assert.Equal(t, int64(1068), c.MinArenaBytes)
	assert.Equal(t, "tensor_arena holds 1200 usable bytes; the model needs 1068 (132 spare)", c.Message)

	// person_detect needs far more than the 1200 bytes.
	c, err = CheckFirmware(rep.Pieces, "tensor_arena", filepath.Join(sharedtest.Dir(t), "models", "tflm_models__person_detect.tflite"), CortexM)
	require.NoError(t, err)
	assert.Equal(t, ArenaTooSmall, c.Status, c.Message)
	_, err = CheckFirmware(rep.Pieces, "", "no-such-model.tflite", CortexM)
	require.ErrorContains(t, err, "reading model")
}
