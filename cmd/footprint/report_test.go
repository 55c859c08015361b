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
	"github.com/footprint-dev/footprint/overview"
)

// m4f is the Cortex-M4F test firmware: its ELF and GNU ld map.
var m4f = struct{ elf, mapFile string }{
	filepath.Join("..", "..", "testdata", "firmware", "out", "cortex-m4f", "firmware.elf"),
	filepath.Join("..", "..", "testdata", "firmware", "out", "cortex-m4f", "firmware.map"),
}

// TestReport reports on the test firmware with the model its 1200-byte
// tensor_arena is sized for, in every format.
func TestReport(t *testing.T) {
	hello := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	code, out, errOut := runCLI("report", m4f.elf, "--map", m4f.mapFile, "--model", hello)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	for _, want := range []string{
		"flash     32996 (32.2 KiB)\n",
		"Memory regions\nREGION              USED       SIZE    USE  HIGH WATER\nFLASH   32996 (32.2 KiB)    1.0 MiB  3.1 %       33000\n",
		"Flash and RAM by component\nCOMPONENT                      FLASH   SHARE   RAM\nlibc                            9341  28.3 %   523\n",
		"._user_heap_stack  0x200007c8  6144   75.0 %",
		"Tensor arena: hello_world__hello_world_int8.tflite (cortex-m)\n",
		"lower bound                        32",
		"TFLM kTensorArenaSize            1068",
		"firmware tensor_arena (usable)   1200  fits: tensor_arena holds 1200 usable bytes; the model needs 1068 (132 spare)\n",
	} {
		assert.Contains(t, out, want)
	}

	code, out, errOut = runCLI("report", m4f.elf, "--model", hello, "--format", "json", "--planner", "tflm", "--target", "host64")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "footprint: warning: tensor arena too-small: tensor_arena holds 1200 usable bytes but the model needs 1608")
	var doc overview.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	assert.Equal(t, "footprint.report/v1", doc.Schema)
	assert.Empty(t, doc.Regions, "no map, no regions")
	require.NotNil(t, doc.Arena)
	assert.Equal(t, "tflm", doc.Arena.Plan.Planner)
	assert.Equal(t, "host64", doc.Arena.TFLM.Target)

	code, out, errOut = runCLI("report", m4f.elf, "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "### Flash and RAM by component\n")
	assert.NotContains(t, out, "Tensor arena")

	page := filepath.Join(t.TempDir(), "report.html")
	code, out, errOut = runCLI("report", m4f.elf, "--map", m4f.mapFile, "--model", hello, "--format", "html", "-o", page)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, out, "-o writes the file, not stdout")
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(html), "<!DOCTYPE html>\n"))
	assert.NotContains(t, string(html), "http")
	assert.Less(t, len(html), 200_000)
	assert.Contains(t, string(html), "<h2>Plan by best: 32 bytes for 4 tensors</h2>")
	t.Logf("report.html for the M4F firmware, its map and hello_world: %d bytes", len(html))
}

// TestReportBigModel reports a model that does not fit the firmware's
// arena: a warning, not an error.
func TestReportBigModel(t *testing.T) {
	person := sharedtest.ModelPath(t, "tflm_models__person_detect")
	code, out, errOut := runCLI("report", m4f.elf, "--model", person)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, errOut, "footprint: warning: tensor arena too-small: tensor_arena holds 1200 usable bytes but the model needs 82296")
	assert.Contains(t, out, "lower bound                      55296")
	assert.Contains(t, out, "firmware tensor_arena (usable)    1200  too-small:")
}

func TestReportBadInput(t *testing.T) {
	hello := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{m4f.elf, "--format", "pdf"}, `--format "pdf": want text, json, markdown or html`},
		{[]string{m4f.elf, "--model", hello, "--planner", "fastest"}, `--planner: unknown planner "fastest"`},
		{[]string{m4f.elf, "--model", hello, "--target", "avr"}, `--target: unknown target "avr"`},
		{[]string{m4f.elf, "--arena-symbol", "tensor_arena"}, "--arena-symbol needs --model"},
		{[]string{m4f.elf, "--model", hello, "--arena-symbol", "nope"}, `no RAM symbol named "nope"`},
		{[]string{m4f.elf, "--model", "missing.tflite"}, "--model: open missing.tflite"},
		{[]string{m4f.elf, "--model", m4f.mapFile}, "--model " + m4f.mapFile + ":"},
		{[]string{"missing.elf"}, "missing.elf"},
		{[]string{m4f.elf, "--map", "missing.map"}, "--map:"},
		{[]string{m4f.elf, "-o", filepath.Join(t.TempDir(), "no", "such", "dir.html")}, "-o:"},
		{[]string{}, "accepts 1 arg(s), received 0"},
	} {
		code, out, errOut := runCLI(append([]string{"report"}, tc.args...)...)
		assert.Equal(t, 2, code, tc.args)
		assert.Empty(t, out, tc.args)
		assert.Contains(t, errOut, tc.want, tc.args)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "one line: %q", errOut)
	}
}

// TestReportCMSISNN reports on the real micro_speech firmware built with
// TFLM's CMSIS-NN kernels: CMSIS-NN's code is charged to the operators
// and cmsis-nn/common, and the arena is sized for the CMSIS-NN build.
func TestReportCMSISNN(t *testing.T) {
	dir := sharedtest.Path(t, "firmware", "fw_micro_speech_cmsis")
	model := sharedtest.ModelPath(t, "micro_speech__micro_speech_quantized")
	code, out, errOut := runCLI("report", filepath.Join(dir, "firmware.elf"), "--map", filepath.Join(dir, "firmware.map"),
		"--model", model, "--kernels", "cmsis-nn", "--cpu", "cortex-m55")
	require.Equal(t, 0, code, errOut)
	for _, want := range []string{
		"cmsis-nn/common                 3670",
		"Tensor arena: micro_speech__micro_speech_quantized.tflite (cortex-m, CMSIS-NN kernels on cortex-m55, MVE path)\n",
		"TFLM kTensorArenaSize            7812",
		"the 7812 the model needs with CMSIS-NN kernels on cortex-m55",
	} {
		assert.Contains(t, out, want)
	}
	assert.Contains(t, errOut, "footprint: warning: tensor arena oversized")

	code, _, errOut = runCLI("report", filepath.Join(dir, "firmware.elf"), "--model", model, "--kernels", "cmsis-nn")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "--kernels/--cpu: CMSIS-NN kernels need a CPU")
}
