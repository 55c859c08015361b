package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSizeArenaCheck cross-checks the test firmware's 1200-byte
// tensor_arena against the model it embeds and against a bigger one.
func TestSizeArenaCheck(t *testing.T) {
	elf := filepath.Join("..", "..", "testdata", "firmware", "out", "cortex-m4f", "firmware.elf")
	hello := sharedtest.Path(t, "models", "hello_world__hello_world_int8.tflite")
	person := sharedtest.Path(t, "models", "tflm_models__person_detect.tflite")
	sizeRun := func(args ...string) (int, string, string) {
		var stdout, stderr bytes.Buffer
		code := run(append([]string{"size", elf}, args...), &stdout, &stderr)
		return code, stdout.String(), stderr.String()
	}

	code, stdout, stderr := sizeRun("--model", hello)
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "arena: tensor_arena holds 1200 usable bytes; the model needs 1068 (132 spare)\n")
	assert.NotContains(t, stderr, "tensor arena")

	code, stdout, stderr = sizeRun("--model", person, "--arena-symbol", "tensor_arena")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "arena: tensor_arena holds 1200 usable bytes but the model needs 82296")
	assert.Contains(t, stderr, "footprint: warning: tensor arena too-small:")

	// CMSIS-NN: 1156 bytes on a Cortex-M4, 1300 on a Cortex-M55 (the
	// measured oracle figures).
	code, stdout, stderr = sizeRun("--model", hello, "--kernels", "cmsis-nn", "--cpu", "cortex-m4")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stdout, "the model needs 1156 with CMSIS-NN kernels on cortex-m4 (44 spare)")
	code, stdout, _ = sizeRun("--model", hello, "--kernels", "cmsis-nn", "--cpu", "cortex-m55")
	require.Equal(t, 0, code)
	assert.Contains(t, stdout, "but the model needs 1300 with CMSIS-NN kernels on cortex-m55")

	// host64 needs 1608 bytes: too small as well.
	code, _, stderr = sizeRun("--model", hello, "--target", "host64", "--format", "json")
	require.Equal(t, 0, code, stderr)
	assert.Contains(t, stderr, "needs 1608")

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--model", hello, "--arena-symbol", "nope"}, `no RAM symbol named "nope"`},
		{[]string{"--model", hello, "--target", "avr"}, `unknown target "avr"`},
		{[]string{"--kernels", "cmsis-nn", "--cpu", "cortex-m4"}, "describe the TFLM build of --model: add --model"},
		{[]string{"--model", "missing.tflite"}, "reading model"},
	} {
		code, _, stderr := sizeRun(tc.args...)
		assert.Equal(t, 2, code, tc.args)
		assert.Contains(t, stderr, tc.want)
	}
}
