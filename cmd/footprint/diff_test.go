package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// variant returns the path of a Cortex-M4F diff variant's ELF.
func variant(name string) string {
	return filepath.Join("../../testdata/firmware/out/variants", name, "firmware.elf")
}

const exampleBudget = "../../testdata/budget/footprint.yaml"

func TestDiffCommand(t *testing.T) {
	code, out, errOut := runCLI("diff", variant("base"), variant("extra-kernel"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "tflm/kernel/MUL  added           0        452     +452")
	assert.Contains(t, out, "TOTAL                        32996      33480     +484     8192     8192      0")

	code, out, errOut = runCLI("diff", variant("base"), variant("rebuild"), "--by", "symbol", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var d struct {
		Changes    []any `json:"changes"`
		FlashDelta int64 `json:"flash_delta"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &d))
	assert.Empty(t, d.Changes)

	code, out, _ = runCLI("diff", variant("base"), variant("bigmodel"), "--format", "csv")
	require.Equal(t, 0, code)
	assert.Equal(t, "component,status,old_flash,new_flash,flash_delta,old_ram,new_ram,ram_delta\n"+
		"model,grown,2712,18808,16096,0,0,0\napp,grown,1908,1908,0,7628,14620,6992\n", out)
}

func TestDiffBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"diff", variant("base")},
		{"diff", variant("base"), variant("os"), "--by", "colour"},
		{"diff", variant("base"), variant("os"), "--format", "xml"},
		{"diff", variant("base"), variant("os"), "--top", "-1"},
		{"diff", variant("base"), variant("os"), "--map-new", variantMap("os")},
		{"diff", variant("base"), exampleBudget},
		{"diff", variant("base"), filepath.Join(t.TempDir(), "missing.elf")},
	} {
		code, _, errOut := runCLI(args...)
		assert.Equal(t, exitBadInput, code, args)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), errOut)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), errOut)
	}
}

// variantMap returns the path of a diff variant's linker map.
func variantMap(name string) string {
	return filepath.Join("../../testdata/firmware/out/variants", name, "firmware.map")
}

func TestDiffWithMaps(t *testing.T) {
	// The rebuild's object paths differ by build directory only.
	code, out, errOut := runCLI("diff", variant("base"), variant("rebuild"), "--map-old", variantMap("base"), "--map-new", variantMap("rebuild"), "--by", "object")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "0 changed, 113 unchanged")

	code, out, errOut = runCLI("diff", variant("base"), variant("extra-kernel"), "--map-old", variantMap("base"), "--map-new", variantMap("extra-kernel"), "--by", "object", "--format", "csv")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "object,status,old_flash,new_flash,flash_delta,old_ram,new_ram,ram_delta\n"+
		"mul.o,added,0,472,472,0,0,0\nmain.o,grown,1420,1440,20,1456,1456,0\n"+
		"[.rodata: *fill*],shrunk,17,13,-4,0,0,0\n[.text: *fill*],shrunk,12,8,-4,0,0,0\n", out)

	code, out, errOut = runCLI("diff", variant("base"), variant("bigmodel"), "--map-old", variantMap("base"), "--map-new", variantMap("bigmodel"), "--by", "region")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "FLASH   grown       32636      48732   +16096        0        0      0")
	assert.Contains(t, out, "RAM     grown         296        296        0     8128    15120  +6992")
}
