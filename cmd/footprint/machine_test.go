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
)

func firmwareFile(target, name string) string {
	return filepath.Join("..", "..", "testdata", "firmware", "out", target, name)
}

func TestStackCommand(t *testing.T) {
	elf := firmwareFile("qemu-mps2-an386", "firmware.elf")
	code, out, errOut := runCLI("stack", elf)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "Reset_Handler")
	assert.Contains(t, out, "SysTick_Handler")
	assert.Contains(t, out, "total:        1016 bytes")
	assert.Contains(t, out, "reserved:     4096 bytes (_estack - _sstack): fits")
	assert.Contains(t, out, "worst path from Reset_Handler (832 bytes)")

	code, out, errOut = runCLI("stack", elf, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var r struct {
		Schema string
		Total  struct {
			Bytes      int64
			LowerBound bool `json:"lower_bound"`
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "footprint.stack/v1", r.Schema)
	assert.EqualValues(t, 1016, r.Total.Bytes)

	code, out, errOut = runCLI("stack", elf, "--format", "markdown", "--entry", "RunInference")
	assert.Equal(t, 2, code, "RunInference is inlined into main: %s", out)
	assert.Contains(t, errOut, "no function named")

	code, out, errOut = runCLI("stack", elf, "--format", "markdown", "--entry", "_write")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `| \_write | user |  | 0 |`, "a leaf that only traps to the debugger")
}

func TestStackCallsFile(t *testing.T) {
	calls := filepath.Join(t.TempDir(), "calls.yaml")
	require.NoError(t, os.WriteFile(calls, []byte("recursion:\n  rec: 11\ncalls:\n  main: [fp_target]\ninterrupts:\n  nesting: 0\n"), 0o644))
	elf := sharedtestStackELF(t)
	code, out, errOut := runCLI("stack", elf, "--calls", calls, "--entry", "rec")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `rec\s+user\s+264`, out)
	assert.Contains(t, out, "interrupts:   0 bytes (0 nested")

	require.NoError(t, os.WriteFile(calls, []byte("recursoin: {}\n"), 0o644))
	code, _, errOut = runCLI("stack", elf, "--calls", calls)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "recursoin")
	assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line")
}

func TestStackBadInput(t *testing.T) {
	dir := t.TempDir()
	notELF := filepath.Join(dir, "model.tflite")
	require.NoError(t, os.WriteFile(notELF, []byte("\x1c\x00\x00\x00TFL3 not an ELF"), 0o644))
	for _, args := range [][]string{
		{"stack", notELF},
		{"stack", filepath.Join(dir, "missing.elf")},
		{"stack", firmwareFile("cortex-m4f", "firmware.elf"), "--format", "csv"},
		{"ops", notELF},
		{"why", firmwareFile("cortex-m4f", "firmware.elf"), "Register_SOFTMX"},
	} {
		code, _, errOut := runCLI(args...)
		assert.Equal(t, 2, code, "%v", args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%v: %s", args, errOut)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), errOut)
	}
	_, _, errOut := runCLI("why", firmwareFile("cortex-m4f", "firmware.elf"), "Register_SOFTMX")
	assert.Contains(t, errOut, "tflite::Register_SOFTMAX")
}

func TestOpsCommand(t *testing.T) {
	dir := firmwareFile("variants", "extra-kernel")
	code, out, errOut := runCLI("ops", filepath.Join(dir, "firmware.elf"), "--map", filepath.Join(dir, "firmware.map"))
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `MUL\s+470 470 B\s+470 470 B\s+0\s+4\s+mul\.o`, out)
	assert.Contains(t, out, "[runtime core]")
	assert.Contains(t, out, "[model]")

	code, out, errOut = runCLI("ops", filepath.Join(dir, "firmware.elf"), "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "| SOFTMAX |")
}

func TestWhyCommand(t *testing.T) {
	dir := firmwareFile("variants", "base")
	elf, mapFile := filepath.Join(dir, "firmware.elf"), filepath.Join(dir, "firmware.map")
	code, out, errOut := runCLI("why", elf, "expf", "--map", mapFile)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "-> tflite::Register_SOFTMAX()")
	assert.Contains(t, out, "-> expf  [call at ")
	assert.Contains(t, out, "(libm.a(lib_a-wf_exp.o))")

	code, out, errOut = runCLI("why", elf, "expf", "--all", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var w struct {
		Schema string
		Chains []struct{ Root string }
	}
	require.NoError(t, json.Unmarshal([]byte(out), &w))
	assert.Equal(t, "footprint.why/v1", w.Schema)
	assert.GreaterOrEqual(t, len(w.Chains), 2)
}

func sharedtestStackELF(t *testing.T) string {
	return sharedtest.Path(t, "stack", "fw_stacktest", "firmware.elf")
}

// TestDiffWhy checks that diff --why names the chain that pulls each
// symbol the extra-kernel variant adds.
func TestDiffWhy(t *testing.T) {
	base, extra := firmwareFile("variants", "base"), firmwareFile("variants", "extra-kernel")
	code, out, errOut := runCLI("diff", filepath.Join(base, "firmware.elf"), filepath.Join(extra, "firmware.elf"), "--why")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "why the new symbols are linked:")
	assert.Contains(t, out, "main → tflite::Register_MUL() → [.rodata+0xbc] → tflite::(anonymous namespace)::MulEval(tflite::TfLiteContext*, tflite::TfLiteNode*)")

	code, out, errOut = runCLI("diff", filepath.Join(base, "firmware.elf"), filepath.Join(extra, "firmware.elf"), "--why", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var d struct {
		Why []struct {
			Symbol string
			Chain  []string
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	require.Len(t, d.Why, 3)
	assert.Equal(t, "tflite::Register_MUL()", d.Why[2].Symbol)
	assert.Equal(t, []string{"main", "tflite::Register_MUL()"}, d.Why[2].Chain)
}

func TestSizeByReach(t *testing.T) {
	code, out, errOut := runCLI("size", firmwareFile("cortex-m4f", "firmware.elf"), "--by", "reach")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `reachable from main\s+29739`, out)
	assert.Regexp(t, `unreachable\s+3072`, out, "newlib and libgcc members' unused functions")
	assert.Regexp(t, `TOTAL\s+32996`, out)
}
