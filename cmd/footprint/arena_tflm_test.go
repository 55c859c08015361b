package main

import (
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflmarena"
)

func TestArenaTFLMTable(t *testing.T) {
	model := sharedtest.Path(t, "models", "hello_world__hello_world_int8.tflite")
	code, stdout, stderr := runCLI("arena", model, "--tflm")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "target cortex-m")
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  1068 bytes")
	assert.Contains(t, stdout, "arena_used_bytes():        676 bytes = head 32 + tail 644")
	assert.Contains(t, stdout, "kPersistentBufferData")

	code, stdout, stderr = runCLI("arena", model, "--tflm", "--target", "host64")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  1608 bytes")
	assert.Contains(t, stdout, "arena_used_bytes():        1184 bytes")
}

func TestArenaTFLMJSON(t *testing.T) {
	model := sharedtest.Path(t, "models", "tflm_models__person_detect.tflite")
	code, stdout, stderr := runCLI("arena", model, "--tflm", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var est tflmarena.Estimate
	require.NoError(t, json.Unmarshal([]byte(stdout), &est))
	assert.Equal(t, int64(82292), est.ArenaUsedBytes)
	assert.Equal(t, int64(82296), est.MinArenaBytes)
	assert.True(t, est.Exact)
	assert.NotEmpty(t, est.Allocations)
	assert.NotEmpty(t, est.HeadBuffers)
}

// TestArenaTFLMResourceVariables sizes a model with VAR_HANDLE for the
// MicroResourceVariables the firmware creates: real TFLM (the differential
// tests' harness, 16 variables) measured 1904 used bytes on x86-64.
func TestArenaTFLMResourceVariables(t *testing.T) {
	model := filepath.Join("..", "..", "testdata", "tflm_ops", "models", "variable_float32_init.tflite")
	code, stdout, stderr := runCLI("arena", model, "--tflm", "--target", "host64", "--resource-variables", "16")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  2216 bytes")
	assert.Contains(t, stdout, "arena_used_bytes():        1904 bytes = head 48 + tail 1856")
	// By default: room for the one variable the model names.
	code, stdout, stderr = runCLI("arena", model, "--tflm", "--target", "host64")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "arena_used_bytes():        1312 bytes = head 48 + tail 1264")

	code, _, stderr = runCLI("arena", model, "--tflm", "--resource-variables", "-1")
	assert.NotEqual(t, 0, code)
	assert.Contains(t, stderr, "--resource-variables -1 must not be negative")
}

func TestArenaTFLMNotModelled(t *testing.T) {
	model := sharedtest.Path(t, "models", "tflm_models__person_detect_vela.tflite")
	code, stdout, stderr := runCLI("arena", model, "--tflm")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  at least ")
	assert.Contains(t, stdout, "not exact: operator 0 of subgraph 0 (CUSTOM:ethos-u) is not modelled")
}

func TestArenaTFLMBadInput(t *testing.T) {
	model := sharedtest.Path(t, "models", "hello_world__hello_world_int8.tflite")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"arena", model, "--tflm", "--target", "avr"}, `unknown target "avr"`},
		{[]string{"arena", "--tflm", "--csv", "x.csv"}, "--tflm needs a MODEL.tflite"},
		{[]string{"arena", model, "--tflm", "--format", "csv"}, `unknown format "csv"`},
		{[]string{"arena", "missing.tflite", "--tflm"}, "missing.tflite"},
	} {
		code, _, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Contains(t, stderr, tc.want)
	}
}

// TestArenaTFLMCMSISNN sizes keyword_scrambled for TFLM built with
// CMSIS-NN: on cortex-m55 every SVDF and FULLY_CONNECTED keeps kernel
// sums (1840 bytes more than the reference kernels, as measured on real
// TFLM), on cortex-m7 it follows the measured cortex-m4.
func TestArenaTFLMCMSISNN(t *testing.T) {
	model := sharedtest.ModelPath(t, "tflm_models__keyword_scrambled")
	code, stdout, stderr := runCLI("arena", model, "--tflm", "--kernels", "cmsis-nn", "--cpu", "cortex-m55")
	require.Equal(t, 0, code, stderr)
	for _, want := range []string{
		"(tflite-micro 90b983c2b3f1, CMSIS-NN 4ab83cc3cc98 kernels, greedy planner)\n",
		"cpu: cortex-m55, CMSIS-NN's MVE path (checked against real TFLM + CMSIS-NN on cortex-m55)\n",
		"minimum kTensorArenaSize:  17360 bytes",
		"arena_used_bytes():        15012 bytes = head 672 + tail 14340",
		"  1   SVDF    feature activations  256    256     2-2\n",
		"  kTensorArenaSize    15520      17360       +1840\n",
		"  1    SVDF             +256  +0\n",
	} {
		assert.Contains(t, stdout, want)
	}

	code, stdout, stderr = runCLI("arena", model, "--tflm", "--kernels", "cmsis-nn", "--cpu", "cortex-m7")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "cpu: cortex-m7, CMSIS-NN's DSP path (modelled from the sources: the same code path as the measured cortex-m4)\n")
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  15680 bytes")

	code, stdout, stderr = runCLI("arena", model, "--tflm", "--kernels", "cmsis-nn", "--cpu", "cortex-m4", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var est tflmarena.Estimate
	require.NoError(t, json.Unmarshal([]byte(stdout), &est))
	assert.Equal(t, tflmarena.CMSISNN, est.Kernels)
	require.NotNil(t, est.CPU)
	assert.Equal(t, tflmarena.DSP, est.CPU.Extension)
	assert.Equal(t, int64(15680), est.MinArenaBytes)

	// --cpu alone keeps the reference kernels on that core's ABI.
	code, stdout, stderr = runCLI("arena", model, "--tflm", "--cpu", "cortex-m0plus")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "target cortex-m, cortex-m0plus (tflite-micro 90b983c2b3f1, reference kernels, greedy planner)")
	assert.Contains(t, stdout, "minimum kTensorArenaSize:  15520 bytes")
	assert.NotContains(t, stdout, "compared with")

	// --write-model reports TFLM's arena for the CMSIS-NN build.
	out := filepath.Join(t.TempDir(), "planned.tflite")
	code, stdout, stderr = runCLI("arena", model, "--write-model", out, "--kernels", "cmsis-nn", "--cpu", "cortex-m55")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "stock TFLM on cortex-m with CMSIS-NN kernels on cortex-m55, MVE path: head 672 -> 672 bytes, kTensorArenaSize 17360 -> ")
}

func TestArenaTFLMCMSISNNBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"arena", model, "--tflm", "--kernels", "cmsis-nn"}, "--kernels/--cpu: CMSIS-NN kernels need a CPU"},
		{[]string{"arena", model, "--tflm", "--kernels", "xtensa"}, `--kernels/--cpu: unknown kernel set "xtensa"`},
		{[]string{"arena", model, "--tflm", "--kernels", "cmsis-nn", "--cpu", "cortex-a7"}, `unknown CPU "cortex-a7"`},
		{[]string{"arena", model, "--tflm", "--target", "host64", "--cpu", "cortex-m4"}, "--cpu: cortex-m4 is a Cortex-M core: it needs target cortex-m, not host64"},
		{[]string{"arena", model, "--kernels", "cmsis-nn", "--cpu", "cortex-m4"}, "--kernels and --cpu size stock TFLM's arena: add --tflm"},
	} {
		code, _, stderr := runCLI(tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Contains(t, stderr, tc.want, tc.args)
	}
}

func TestArenaTFLMSplit(t *testing.T) {
	model := sharedtest.Path(t, "models", "tflm_models__person_detect.tflite")
	code, stdout, stderr := runCLI("arena", model, "--tflm", "--split")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "MicroAllocator::Create(persistent, 27024, non_persistent, 55296, MemoryPlannerType::kGreedy)")
	assert.Contains(t, stdout, "persistent arena (tail):      27024 bytes minimum (tail 27012, rounded up to 16)")
	assert.Contains(t, stdout, "non-persistent arena (head):  55296 bytes minimum (head 55296; setup's temporary room 0 beyond it)")
	assert.Contains(t, stdout, "arena_used_bytes():           82308 bytes = head 55296 + tail 27012")
	assert.Contains(t, stdout, "one arena instead:            kTensorArenaSize 82296")

	code, stdout, stderr = runCLI("arena", model, "--tflm", "--split", "--format", "json")
	require.Equal(t, 0, code, stderr)
	var est tflmarena.Estimate
	require.NoError(t, json.Unmarshal([]byte(stdout), &est))
	require.NotNil(t, est.Split)
	assert.Equal(t, tflmarena.Split{PersistentArenaBytes: 27024, NonPersistentArenaBytes: 55296}, *est.Split)

	code, _, stderr = runCLI("arena", model, "--split")
	assert.Equal(t, 2, code)
	assert.Contains(t, stderr, "--split sizes stock TFLM's two arenas: add --tflm")
}
