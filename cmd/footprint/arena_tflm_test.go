package main

import (
	"encoding/json"
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
