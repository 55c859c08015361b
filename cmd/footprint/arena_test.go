package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

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

// TestArenaWriteModel embeds the best plan in every shared model and checks
// the written model: the same tensors are planned, now fixed at the plan's
// offsets; stock TFLM's head (tflmarena) is the best arena when the
// kernels request no scratch, and never larger than before otherwise; and
// the runtime runs the model inside TFLM's plan of it.
func TestArenaWriteModel(t *testing.T) {
	paths, err := filepath.Glob(sharedtest.Path(t, "models", "*.tflite"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, path := range paths {
		name := strings.TrimSuffix(filepath.Base(path), ".tflite")
		t.Run(name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "planned.tflite")
			code, stdout, errOut := runCLI("arena", path, "--write-model", out)
			require.Equal(t, 0, code, errOut)
			lines := strings.Split(strings.TrimSpace(stdout), "\n")
			assert.True(t, strings.HasPrefix(lines[len(lines)-1], "wrote "+out+" (+"), lines[len(lines)-1])

			m, lt := parseLifetimes(t, path)
			m2, lt2 := parseLifetimes(t, out)
			best, err := tensorplan.Best{}.Plan(lt.Buffers())
			require.NoError(t, err)
			require.Len(t, lt2.Tensors, len(lt.Tensors))
			for i, tb := range lt2.Tensors {
				require.GreaterOrEqual(t, tb.Fixed, int64(0), "tensor %d is fixed", tb.Index)
				tb.Fixed = lt.Tensors[i].Fixed
				require.Equal(t, lt.Tensors[i], tb, "the same tensor, size and lifetime")
			}
			require.Equal(t, lt.Persistent, lt2.Persistent)

			before, err := tflmarena.EstimateArena(m, tflmarena.CortexM)
			require.NoError(t, err)
			after, err := tflmarena.EstimateArena(m2, tflmarena.CortexM)
			require.NoError(t, err)
			scratch := len(after.HeadBuffers) - len(lt2.Tensors)
			if scratch == 0 {
				for i, tb := range lt2.Tensors {
					require.Equal(t, best.Offsets[i], tb.Fixed, "tensor %d at best's offset", tb.Index)
				}
				assert.Equal(t, best.ArenaSize, after.Head, "TFLM's head is the best plan's arena")
			}
			assert.LessOrEqual(t, after.Head, before.Head, "the plan never makes TFLM's head larger")
			assert.Equal(t, before.Tail, after.Tail, "the tail does not change")
			t.Logf("%-40s scratch %2d  best %6d  head %6d -> %6d  kTensorArenaSize %6d -> %6d",
				name, scratch, best.ArenaSize, before.Head, after.Head, before.MinArenaBytes, after.MinArenaBytes)

			if name == "tflm_models__person_detect_vela" {
				return // CUSTOM:ethos-u: the runtime cannot run it
			}
			code, stdout, errOut = runCLI("verify", out, "--planner", "tflm")
			require.Equal(t, 0, code, errOut)
			assert.Contains(t, stdout, "PASS")
		})
	}
}

func TestArenaWriteModelBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	csv := sharedtest.Path(t, "bench", "minimalloc", "examples", "input.12.csv")
	out := filepath.Join(t.TempDir(), "out.tflite")
	for name, args := range map[string][]string{
		"with --tflm":    {"arena", model, "--tflm", "--write-model", out},
		"with --csv":     {"arena", "--csv", csv, "--write-model", out},
		"bad target":     {"arena", model, "--target", "z80", "--write-model", out},
		"unwritable":     {"arena", model, "--write-model", filepath.Join(t.TempDir(), "absent", "out.tflite")},
		"planner absent": {"arena", model, "--planner", "fastest", "--write-model", out},
	} {
		code, stdout, errOut := runCLI(args...)
		assert.Equal(t, 2, code, name)
		assert.Empty(t, stdout, name)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), name)
	}
	_, err := os.Stat(out)
	assert.True(t, os.IsNotExist(err), "nothing written on errors")
}
