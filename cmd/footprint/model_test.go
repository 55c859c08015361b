package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestModelCommand(t *testing.T) {
	path := sharedtest.ModelPath(t, "tflm_models__person_detect")
	code, out, errOut := runCLI("model", path)
	require.Equal(t, exitOK, code, errOut)
	assert.Contains(t, out, " 0  DEPTHWISE_CONV_2D  INT8[1,96,96,1]   INT8[1,48,48,8]   165.9k      104")
	assert.Contains(t, out, "total: 31 ops, 7.16M MACs, 218928 weight bytes (213.8 KiB), 89 tensors, 300568-byte model")

	code, out, errOut = runCLI("model", path, "--format", "json")
	require.Equal(t, exitOK, code, errOut)
	var r struct {
		Schema string `json:"schema"`
		Ops    []struct {
			Name string `json:"name"`
		} `json:"ops"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &r))
	assert.Equal(t, "footprint.model/v1", r.Schema)
	assert.Len(t, r.Ops, 31)
}

func TestModelBadInput(t *testing.T) {
	dir := t.TempDir()
	text := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(text, []byte("not a model at all, just text\n"), 0o600))
	for _, args := range [][]string{
		{"model", text},
		{"model", filepath.Join(dir, "missing.tflite")},
		{"model", sharedtest.ModelPath(t, "hello_world__hello_world_int8"), "--format", "xml"},
		{"model"},
	} {
		code, out, errOut := runCLI(args...)
		assert.Equal(t, exitBadInput, code, args)
		assert.Empty(t, out)
		assert.Regexp(t, `^footprint: [^\n]+\n$`, errOut)
	}
	_, _, errOut := runCLI("model", text)
	assert.Contains(t, errOut, "not a .tflite model: missing TFL3 identifier")
}

// TestModelWithoutIdentifier: a model whose TFL3 identifier is blanked is
// read, as TFLM reads it, with a one-line warning by every command that
// reads a model.
func TestModelWithoutIdentifier(t *testing.T) {
	data, err := os.ReadFile(sharedtest.ModelPath(t, "hello_world__hello_world_int8"))
	require.NoError(t, err)
	data = append([]byte(nil), data...)
	copy(data[4:8], "\x00\x00\x00\x00")
	path := filepath.Join(t.TempDir(), "noid.tflite")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	warning := "footprint: warning: " + path + ": no TFL3 file identifier; read as a Model flatbuffer, as TFLM does\n"
	firmware := filepath.Join("..", "..", "testdata", "firmware", "out", "cortex-m4f", "firmware.elf")
	for _, args := range [][]string{{"model", path}, {"verify", path}, {"run", path}, {"arena", path},
		{"arena", path, "--tflm"}, {"arena", path, "--reorder"}, {"arena", path, "--banks", "A=1K,B=64K"},
		{"report", firmware, "--model", path, "--no-stack"}} {
		code, out, errOut := runCLI(args...)
		require.Equal(t, exitOK, code, errOut)
		assert.Equal(t, warning, errOut, args)
		assert.NotEmpty(t, out)
	}
}
