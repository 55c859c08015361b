package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
)

// TestSizeStack: --stack adds one line after the totals (table, Markdown)
// or a "stack" object (JSON); without it the output is unchanged.
func TestSizeStack(t *testing.T) {
	code, plain, errOut := runCLI("size", qemu.elf)
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, plain, "stack:")

	code, out, errOut := runCLI("size", qemu.elf, "--stack")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.Equal(t, plain+"stack: worst case 1016 bytes (thread 832 + interrupts 184), reserved 4096 (_estack - _sstack)\n", out)

	code, out, errOut = runCLI("size", qemu.elf, "--stack", "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.True(t, strings.HasSuffix(out, "\n\n**stack**: worst case 1016 bytes (thread 832 + interrupts 184), reserved 4096 (\\_estack - \\_sstack)\n"), out)

	// The JSON is the size view with one more field.
	code, plain, errOut = runCLI("size", qemu.elf, "--format", "json")
	require.Equal(t, 0, code, errOut)
	code, out, errOut = runCLI("size", qemu.elf, "--format", "json", "--stack")
	require.Equal(t, 0, code, errOut)
	var withStack struct {
		report.View
		Stack *stack.Report `json:"stack"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &withStack))
	require.NotNil(t, withStack.Stack)
	assert.Equal(t, stack.Depth{Bytes: 1016}, withStack.Stack.Total)
	assert.Equal(t, &stack.Reservation{Bytes: 4096, Source: "_estack - _sstack"}, withStack.Stack.Reserved)
	var view report.View
	require.NoError(t, json.Unmarshal([]byte(plain), &view))
	assert.Equal(t, view, withStack.View, "the rest is size's JSON as it was")
	assert.True(t, strings.HasPrefix(out, strings.TrimSuffix(plain, "\n}\n")+",\n  \"stack\": {\n"))

	code, out, errOut = runCLI("size", qemu.elf, "--stack", "--format", "csv")
	assert.Equal(t, exitBadInput, code)
	assert.Empty(t, out)
	assert.Equal(t, "footprint: --stack: the CSV has no place for the stack (use table, json or markdown)\n", errOut)

	// An image whose machine code footprint does not decode: --stack was
	// asked for, so that is bad input.
	data, err := os.ReadFile(m4f.elf)
	require.NoError(t, err)
	data[18], data[19] = 8, 0 // e_machine = EM_MIPS
	mips := filepath.Join(t.TempDir(), "mips.elf")
	require.NoError(t, os.WriteFile(mips, data, 0o600))
	code, _, errOut = runCLI("size", mips, "--stack")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "footprint: --stack: "+mips+": no instruction decoder for ELFCLASS32 EM_MIPS")
}

// A lower-bound worst case says so with its first reason.
func TestSizeStackLowerBound(t *testing.T) {
	elf := sharedtest.Path(t, "firmware", "fw_micro_speech", "firmware.elf")
	code, out, errOut := runCLI("size", elf, "--stack", "--top", "1")
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `\nstack: worst case >= \d+ bytes \(thread >= \d+ \+ interrupts 104\), reserved unknown; lower bound: recursion: tflite::`, out)
}

// jsonTail adds a field to an object written in pieces of any size.
func TestJSONTail(t *testing.T) {
	obj := `{"a": [` + strings.Repeat(`1, `, flushAt) + "2]\n}\n"
	for _, chunk := range []int{1, 7, 4096, len(obj)} {
		var out bytes.Buffer
		j := &jsonTail{w: &out}
		for i := 0; i < len(obj); i += chunk {
			n, err := j.Write([]byte(obj[i:min(i+chunk, len(obj))]))
			require.NoError(t, err)
			require.Equal(t, min(chunk, len(obj)-i), n)
		}
		require.NoError(t, j.closeWith("b", map[string]int{"c": 1}))
		var got struct {
			A []int
			B map[string]int
		}
		require.NoError(t, json.Unmarshal(out.Bytes(), &got), "chunk %d", chunk)
		assert.Len(t, got.A, flushAt+1)
		assert.Equal(t, map[string]int{"c": 1}, got.B)
		assert.True(t, strings.HasSuffix(out.String(), "2],\n  \"b\": {\n    \"c\": 1\n  }\n}\n"), "chunk %d", chunk)
	}
	j := &jsonTail{w: &bytes.Buffer{}}
	_, err := j.Write([]byte("[1]\n"))
	require.NoError(t, err)
	assert.EqualError(t, j.closeWith("b", 1), "writing JSON: the view is not one object")
}
