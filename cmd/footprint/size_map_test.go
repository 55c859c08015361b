package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

const firmwareOut = "../../testdata/firmware/out"

func TestSizeMapRegions(t *testing.T) {
	dir := filepath.Join(firmwareOut, "cortex-m4f")
	code, out, errOut := runCLI("size", filepath.Join(dir, "firmware.elf"), "--map", filepath.Join(dir, "firmware.map"),
		"--by", "archive", "--no-files")
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	assert.Contains(t, out, "libm.a")
	assert.Contains(t, out, "libg_nano.a")
	// FLASH 32996 = text 32608 + data 388 of arm-none-eabi-size; RAM 8128
	// and CCMRAM 64 split the ELF's 8192 RAM bytes (.data, .bss, .noinit,
	// heap and stack; .ccmram) by region.
	// HIGH WATER is what arm-none-eabi-ld --print-memory-usage printed
	// relinking the same objects: FLASH 33000 B, RAM 8136 B, CCMRAM 64 B.
	assert.Contains(t, out, "REGION              USED       SIZE    USE  HIGH WATER\n")
	assert.Contains(t, out, "FLASH   32996 (32.2 KiB)    1.0 MiB  3.1 %       33000\n")
	assert.Contains(t, out, "RAM       8128 (7.9 KiB)  128.0 KiB  6.2 %        8136\n")
	assert.Contains(t, out, "CCMRAM         64 (64 B)   64.0 KiB  0.1 %          64\n")
}

func TestSizeMapJSONAndLLD(t *testing.T) {
	dir := filepath.Join(firmwareOut, "cortex-m4f-lld")
	code, out, errOut := runCLI("size", filepath.Join(dir, "firmware.elf"), "--map", filepath.Join(dir, "firmware.map"),
		"--ld-script", "../../testdata/firmware/ld/stm32f4_m4f.ld", "--region", "CCMRAM=0x10000000:32K",
		"--by", "object", "--format", "json", "--no-files")
	require.Equal(t, 0, code, errOut)
	var v report.View
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	require.Len(t, v.Regions, 3)
	assert.Equal(t, report.RegionUsage{Name: "CCMRAM", Origin: 0x10000000, Length: 32 << 10, Used: 64, Percent: 100 * 64.0 / (32 << 10),
		HighWater: 64, Sections: []string{".ccmram"}}, v.Regions[2])
	assert.Equal(t, uint64(33032), v.Regions[0].Used) // text 32624 + data 408
	var conv uint64
	for _, p := range v.Pieces {
		require.NotEmpty(t, p.Object)
		if p.Object == "conv.o" {
			conv += p.Flash
			assert.Equal(t, "tflm/kernel/CONV_2D", p.Component)
		}
	}
	assert.NotZero(t, conv)
}

func TestSizeMapErrors(t *testing.T) {
	elf := filepath.Join(firmwareOut, "cortex-m4f/firmware.elf")
	code, _, errOut := runCLI("size", elf, "--map", elf)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "--map: ")
	assert.Equal(t, 1, strings.Count(errOut, "\n"))
	code, _, errOut = runCLI("size", elf, "--region", "RAM")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "NAME=ORIGIN:LENGTH")

	// The base build's map with the bigmodel ELF: the size mismatch is a
	// warning, the run still succeeds.
	code, _, errOut = runCLI("size", filepath.Join(firmwareOut, "variants/bigmodel/firmware.elf"),
		"--map", filepath.Join(firmwareOut, "cortex-m4f/firmware.map"), "--no-files")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "footprint: warning: map and ELF disagree: section .rodata: map says 4492 bytes, ELF 20588\n")
}

func TestSizeMapLenient(t *testing.T) {
	dir := filepath.Join(firmwareOut, "cortex-m4f")
	data, err := os.ReadFile(filepath.Join(dir, "firmware.map"))
	require.NoError(t, err)
	// Line 1000 of the map becomes a line no parser could read.
	lines := strings.SplitAfter(string(data), "\n")
	lines[999] = "%% not a map line %%\n"
	bad := filepath.Join(t.TempDir(), "bad.map")
	require.NoError(t, os.WriteFile(bad, []byte(strings.Join(lines, "")), 0o644))
	elf := filepath.Join(dir, "firmware.elf")

	code, _, errOut := runCLI("size", elf, "--map", bad, "--no-files")
	assert.Equal(t, 2, code)
	assert.Equal(t, "footprint: --map: "+bad+":1000: unrecognised top-level line\n", errOut)

	code, out, errOut := runCLI("size", elf, "--map", bad, "--no-files", "--lenient", "--by", "archive")
	assert.Equal(t, 0, code)
	assert.Equal(t, "footprint: warning: --lenient: skipped 1 unreadable lines of "+bad+"\n", errOut)
	assert.Contains(t, out, "libm.a")
}

func TestSizeReportsDiscardedSections(t *testing.T) {
	dir := "../../testdata/firmware/out/cortex-m4f/"
	code, out, errOut := runCLI("size", dir+"firmware.elf", "--map", dir+"firmware.map")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "discarded by the linker: 1962 bytes in 36 sections of 18 objects (largest: libgcc.a(_arm_muldf3.o) 596 B, flatbuffer_utils.o 453 B, libg_nano.a(lib_a-reent.o) 276 B)")

	code, out, errOut = runCLI("size", dir+"firmware.elf", "--map", dir+"firmware.map", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var rep report.Report
	require.NoError(t, json.Unmarshal([]byte(out), &rep))
	require.Len(t, rep.Discarded, 18)
	var total uint64
	for _, d := range rep.Discarded {
		total += d.Bytes
	}
	assert.Equal(t, uint64(1962), total)
}
