package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// verifyWritePlan writes the tflm plan of model as 'footprint arena
// --format json' does, after edit changes it.
func verifyWritePlan(t *testing.T, model string, edit func(r *tensorplan.Report)) string {
	t.Helper()
	data, err := os.ReadFile(model)
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	lt, err := tensorplan.ModelLifetimes(m)
	require.NoError(t, err)
	r, err := tensorplan.BuildReport(filepath.Base(model), lt, "tflm", []tensorplan.Planner{tensorplan.TFLM{}})
	require.NoError(t, err)
	edit(r)
	out, err := json.Marshal(r)
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "plan.json")
	require.NoError(t, os.WriteFile(path, out, 0o644))
	return path
}

func TestVerifyPasses(t *testing.T) {
	model := sharedtest.ModelPath(t, "tflm_models__person_detect")
	for _, planner := range []string{"linear", "tflm", "best"} {
		code, out, errOut := runCLI("verify", model, "--planner", planner)
		assert.Equal(t, 0, code, errOut)
		assert.Contains(t, out, "PASS")
		assert.Contains(t, out, "ops run   31 of 31")
	}
	code, out, _ := runCLI("verify", model, "--seed", "7")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "seed 7")
}

func TestVerifyPlanFile(t *testing.T) {
	model := sharedtest.ModelPath(t, "tflm_models__person_detect")
	plan := verifyWritePlan(t, model, func(*tensorplan.Report) {})
	code, out, errOut := runCLI("verify", model, "--plan", plan)
	assert.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "PASS")
}

// TestVerifyBrokenPlanFails overlays two tensors that are alive together:
// verify must exit 1 and name the overwritten tensor.
func TestVerifyBrokenPlanFails(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	// Tensor 7 (first layer's output) is read by the second layer, which
	// writes tensor 8: putting 8 on top of 7 clobbers 7.
	var victim string
	plan := verifyWritePlan(t, model, func(r *tensorplan.Report) {
		var at int64
		for _, pt := range r.Tensors {
			if pt.Index == 7 {
				at, victim = pt.Offset, pt.Name
			}
		}
		for i := range r.Tensors {
			if r.Tensors[i].Index == 8 {
				r.Tensors[i].Offset = at
			}
		}
	})
	code, out, errOut := runCLI("verify", model, "--plan", plan)
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "FAIL")
	assert.Contains(t, out, victim)
	assert.Contains(t, errOut, "tensor 7")
	assert.Contains(t, errOut, "operator 1 (FULLY_CONNECTED)")
}

func TestVerifyBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	other := sharedtest.ModelPath(t, "tflm_models__person_detect")
	dir := t.TempDir()
	wrongSize := filepath.Join(dir, "in.bin")
	require.NoError(t, os.WriteFile(wrongSize, []byte{1, 2, 3}, 0o644))
	junk := filepath.Join(dir, "junk.json")
	require.NoError(t, os.WriteFile(junk, []byte("{not json"), 0o644))
	otherPlan := verifyWritePlan(t, other, func(*tensorplan.Report) {})

	for _, c := range []struct {
		args []string
		msg  string
	}{
		{[]string{"--input", wrongSize}, "holds 3 bytes, the model's inputs take 1"},
		{[]string{"--plan", junk}, "not a plan"},
		{[]string{"--plan", filepath.Join(dir, "missing.json")}, "missing.json"},
		{[]string{"--plan", otherPlan}, "plan for another model"},
		{[]string{"--planner", "nope"}, "unknown planner"},
	} {
		code, _, errOut := runCLI(append([]string{"verify", model}, c.args...)...)
		assert.Equal(t, 2, code, c.args)
		assert.Contains(t, errOut, c.msg, c.args)
		assert.Equal(t, 1, bytes.Count([]byte(errOut), []byte("\n")), "one-line error for %v", c.args)
	}
}

func TestVerifyUnsupportedOps(t *testing.T) {
	code, _, errOut := runCLI("verify", sharedtest.ModelPath(t, "tflm_models__person_detect_vela"))
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "unsupported operators: CUSTOM:ethos-u")
}
