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

// TestRunMatchesOracle: run's default inputs are the oracle pattern, so
// its output bytes are the ones real TFLM wrote for the shared int8 models.
func TestRunMatchesOracle(t *testing.T) {
	for _, name := range []string{"hello_world__hello_world_int8", "micro_speech__micro_speech_quantized", "tflm_models__keyword_scrambled_8bit"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(sharedtest.Path(t, "oracle", name+".json"))
			require.NoError(t, err)
			var oracle struct {
				Outputs []struct {
					Index int    `json:"index"`
					Type  string `json:"type"`
					Shape []int  `json:"shape"`
					Hex   string `json:"hex"`
				} `json:"outputs"`
			}
			require.NoError(t, json.Unmarshal(data, &oracle))
			code, out, errOut := runCLI("run", sharedtest.ModelPath(t, name), "--format", "json")
			require.Equal(t, exitOK, code, errOut)
			var got runJSON
			require.NoError(t, json.Unmarshal([]byte(out), &got))
			assert.Equal(t, "footprint.run/v1", got.Schema)
			require.Len(t, got.Outputs, len(oracle.Outputs))
			for k, want := range oracle.Outputs {
				o := got.Outputs[k]
				assert.Equal(t, want.Index, o.Tensor)
				assert.Equal(t, want.Type, o.Type)
				assert.Equal(t, want.Shape, o.Shape)
				assert.Equal(t, want.Hex, o.Hex)
				require.NotNil(t, o.Quantization)
				elems := 1
				for _, d := range o.Shape {
					elems *= d
				}
				assert.Len(t, o.Values, elems)
			}
		})
	}
}

func TestRunHexAndFile(t *testing.T) {
	model := sharedtest.ModelPath(t, "micro_speech__micro_speech_quantized")
	code, out, errOut := runCLI("run", model)
	require.Equal(t, exitOK, code, errOut)
	assert.Equal(t, `model   micro_speech__micro_speech_quantized.tflite
inputs  oracle pattern, byte i = (i*7+3) mod 256 (1960 bytes)
output 0: tensor 9 "labels_softmax" INT8[1,4] scale 0.00390625 zero point -128, 4 bytes
  000000  80 65 89 92
`, out)

	// -o writes the same to a file; --input feeds the given bytes.
	dir := t.TempDir()
	input := filepath.Join(dir, "in.bin")
	pattern := make([]byte, 1960)
	for i := range pattern {
		pattern[i] = byte(i*7 + 3)
	}
	require.NoError(t, os.WriteFile(input, pattern, 0o600))
	file := filepath.Join(dir, "out.txt")
	code, out, errOut = runCLI("run", model, "--input", input, "-o", file)
	require.Equal(t, exitOK, code, errOut)
	assert.Empty(t, out)
	written, err := os.ReadFile(file)
	require.NoError(t, err)
	assert.Contains(t, string(written), "inputs  in.bin (1960 bytes)\n")
	assert.True(t, strings.HasSuffix(string(written), "  000000  80 65 89 92\n"), string(written))

	// Seeded inputs give other outputs, the same ones every time.
	_, a, _ := runCLI("run", model, "--seed", "7")
	_, b, _ := runCLI("run", model, "--seed", "7")
	assert.Equal(t, a, b)
	assert.Contains(t, a, "pseudo-random, seed 7")
}

// TestRunFloatValues: a float model's JSON values are its float outputs
// (within float rounding of TFLM's 0x3cd85048).
func TestRunFloatValues(t *testing.T) {
	code, out, errOut := runCLI("run", sharedtest.ModelPath(t, "hello_world__hello_world_float"), "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var got struct {
		Outputs []struct {
			Hex          string    `json:"hex"`
			Quantization any       `json:"quantization"`
			Values       []float64 `json:"values"`
		} `json:"outputs"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &got))
	require.Len(t, got.Outputs, 1)
	assert.Nil(t, got.Outputs[0].Quantization)
	assert.Len(t, got.Outputs[0].Hex, 8)
	assert.InDelta(t, 0.0264055, got.Outputs[0].Values[0], 1e-6)
}

func TestRunBadInput(t *testing.T) {
	dir := t.TempDir()
	short := filepath.Join(dir, "short.bin")
	require.NoError(t, os.WriteFile(short, []byte{1, 2, 3}, 0o600))
	model := sharedtest.ModelPath(t, "micro_speech__micro_speech_quantized")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"run", model, "--format", "xml"}, `--format "xml": want hex or json`},
		{[]string{"run", model, "--input", short}, "holds 3 bytes, the model's inputs take 1960"},
		{[]string{"run", model, "--input", short, "--seed", "1"}, "--input and --seed are exclusive"},
		{[]string{"run", sharedtest.ModelPath(t, "tflm_models__person_detect_vela")}, "unsupported operators: CUSTOM:ethos-u"},
		{[]string{"run", filepath.Join(dir, "missing.tflite")}, "no such file"},
		{[]string{"run"}, "accepts 1 arg"},
	} {
		code, out, errOut := runCLI(tc.args...)
		assert.Equal(t, exitBadInput, code, tc.args)
		assert.Empty(t, out)
		assert.Regexp(t, `^footprint: [^\n]+\n$`, errOut)
		assert.Contains(t, errOut, tc.want)
	}
}

// TestRunStreamingModel: a CIRCULAR_BUFFER that runs the rest of the graph
// every third invocation is invoked three times on the same inputs, as a
// device feeding it one frame would, and run and verify say so.
func TestRunStreamingModel(t *testing.T) {
	model := filepath.Join("..", "..", "testdata", "tflm_ops", "models", "circular_buffer_cycles_3_aborts.tflite")
	code, stdout, stderr := runCLI("run", model)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "invoked 3 times on these inputs: a streaming operator (CIRCULAR_BUFFER) ended the first 2 early")
	assert.Contains(t, stdout, "000000  03 0a 03 0a 03 0a")

	code, stdout, stderr = runCLI("run", model, "--format", "json")
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, `"invocations": 3`)

	code, stdout, stderr = runCLI("verify", model)
	require.Equal(t, exitOK, code, stderr)
	assert.Contains(t, stdout, "invoked   3 times")
	assert.Contains(t, stdout, "PASS")
}
