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
