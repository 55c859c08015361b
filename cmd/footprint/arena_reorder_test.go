package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// runOutputs runs a model file on the oracle pattern with the runtime.
func runOutputs(t *testing.T, path string) []runtime.Output {
	t.Helper()
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	in, err := runtime.New(m)
	require.NoError(t, err)
	var inputs [][]byte
	for _, n := range in.InputBytes() {
		inputs = append(inputs, runtime.OraclePattern(n))
	}
	out, err := in.Run(inputs)
	require.NoError(t, err)
	return out
}

// TestArenaReorderInception reorders the inception-like block built by
// inceptionModel: branch by branch the peak drops from 1552 to 592 bytes;
// the written model runs in TFLM's plan, computes the same outputs, and
// keeps TFLM's lifetime rules (input from step 0, output to the end).
func TestArenaReorderInception(t *testing.T) {
	dir := t.TempDir()
	model, out := filepath.Join(dir, "inception.tflite"), filepath.Join(dir, "inception_reordered.tflite")
	require.NoError(t, os.WriteFile(model, inceptionModel(), 0o644))
	code, stdout, errOut := runCLI("arena", model, "--reorder", "--write-model", out)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "peak before  1552 bytes (the model's order)")
	assert.Contains(t, stdout, "peak after   592 bytes (optimal: no order does better;")
	assert.Contains(t, stdout, "order        0 4 1 5 2 6 3 7-9")
	assert.Contains(t, stdout, "stock TFLM   head 1552 -> 592 bytes with its own plan")
	assert.Contains(t, stdout, "operators reordered, joint plan embedded as OfflineMemoryAllocation metadata; stock TFLM on cortex-m: head 1552 -> 592 bytes (at the bound), kTensorArenaSize 3260 -> 2860")
	assert.Contains(t, stdout, "outputs      identical to the original model's")

	assert.Equal(t, runOutputs(t, model), runOutputs(t, out))
	code, stdout, errOut = runCLI("arena", out, "--tflm")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  2860 bytes")
	assert.Contains(t, stdout, "head 592 + tail")
	for _, args := range [][]string{{"verify", model}, {"verify", out, "--planner", "tflm"}, {"verify", out, "--planner", "best"}} {
		code, stdout, errOut = runCLI(args...)
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, stdout, "PASS")
	}
	m, lt := parseLifetimes(t, out)
	for _, tb := range lt.Tensors {
		if slices.Contains(m.Subgraphs[0].Inputs, int32(tb.Index)) {
			assert.Equal(t, 0, tb.First, "the input lives from step 0")
		}
		if slices.Contains(m.Subgraphs[0].Outputs, int32(tb.Index)) {
			assert.Equal(t, lt.LastStep, tb.Last, "the output lives to the end")
		}
	}

	code, stdout, errOut = runCLI("arena", model, "--reorder", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep reorderReport
	require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
	assert.Equal(t, []int{0, 4, 1, 5, 2, 6, 3, 7, 8, 9}, rep.Order)
	assert.Equal(t, int64(1552), rep.PeakBefore)
	assert.Equal(t, int64(592), rep.PeakAfter)
	assert.True(t, rep.Optimal)
	assert.Equal(t, "exact", rep.Method)
	assert.True(t, rep.Changed)
	assert.Nil(t, rep.Written)
}

// TestArenaReorderSharedModels reorders every shared model for the
// reference kernels and CMSIS-NN on a Cortex-M55: the peak never rises, the
// written model runs inside the plan it carries and computes the same
// outputs as the original, and its head is what arena --tflm computes.
func TestArenaReorderSharedModels(t *testing.T) {
	paths, err := filepath.Glob(sharedtest.Path(t, "models", "*.tflite"))
	require.NoError(t, err)
	for _, kernels := range [][]string{nil, {"--kernels", "cmsis-nn", "--cpu", "cortex-m55"}} {
		for _, path := range paths {
			name := strings.TrimSuffix(filepath.Base(path), ".tflite")
			t.Run(strings.Join(append(kernels, name), "/"), func(t *testing.T) {
				out := filepath.Join(t.TempDir(), "reordered.tflite")
				code, stdout, errOut := runCLI(slices.Concat([]string{"arena", path, "--reorder", "--write-model", out, "--format", "json"}, kernels)...)
				if name == "tflm_models__person_detect_vela" {
					assert.Equal(t, 2, code)
					assert.Contains(t, errOut, "carries an OfflineMemoryAllocation plan")
					return
				}
				require.Equal(t, 0, code, errOut)
				var rep reorderReport
				require.NoError(t, json.Unmarshal([]byte(stdout), &rep))
				assert.LessOrEqual(t, rep.PeakAfter, rep.PeakBefore)
				assert.True(t, rep.Optimal)
				require.NotNil(t, rep.Written)
				assert.True(t, rep.Written.OutputsChecked, rep.Written.OutputsNote)
				assert.True(t, rep.Written.OutputsEqual)
				t.Logf("%-40s ops %3d peak %6d -> %6d head %6d -> %6d (written %6d)", name, rep.Ops, rep.PeakBefore, rep.PeakAfter, rep.HeadBefore, rep.HeadAfter, rep.Written.Head)

				code, stdout, errOut = runCLI(slices.Concat([]string{"arena", out, "--tflm", "--format", "json"}, kernels)...)
				require.Equal(t, 0, code, errOut)
				var est tflmarena.Estimate
				require.NoError(t, json.Unmarshal([]byte(stdout), &est))
				assert.Equal(t, rep.Written.Head, est.Head)
				assert.Equal(t, rep.Written.MinArenaBytes, est.MinArenaBytes)

				planFile := filepath.Join(t.TempDir(), "plan.json")
				code, stdout, errOut = runCLI("arena", out, "--planner", "tflm", "--format", "json")
				require.Equal(t, 0, code, errOut)
				require.NoError(t, os.WriteFile(planFile, []byte(stdout), 0o644))
				code, stdout, errOut = runCLI("verify", out, "--plan", planFile)
				require.Equal(t, 0, code, errOut)
				assert.Contains(t, stdout, "PASS")
			})
		}
	}
}

func TestArenaReorderBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	csv := sharedtest.Path(t, "bench", "minimalloc", "examples", "input.12.csv")
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"--reorder needs a MODEL.tflite", []string{"arena", "--csv", csv, "--reorder"}},
		{"separate questions", []string{"arena", model, "--reorder", "--tflm"}},
		{`unknown format "xml"`, []string{"arena", model, "--reorder", "--format", "xml"}},
		{"must not be negative", []string{"arena", model, "--reorder", "--state-budget", "-1"}},
	} {
		code, stdout, errOut := runCLI(tc.args...)
		assert.Equal(t, 2, code, tc.want)
		assert.Empty(t, stdout, tc.want)
		assert.Contains(t, errOut, tc.want)
	}
}
