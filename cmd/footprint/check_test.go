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

func TestCheckCommand(t *testing.T) {
	// Within budget: exit 0, every rule listed.
	code, out, errOut := runCLI("check", variant("extra-kernel"), "--budget", exampleBudget, "--baseline", variant("base"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `components."tflm/kernel/*" (flash) grow    512    6192        +452  error     pass`)
	assert.Contains(t, out, "stack.total grow                           256     920           0  error     pass\n")
	assert.Contains(t, out, "within budget: 11 limits checked")

	// The bigger model breaks four error rules and one warning: exit 1.
	code, out, errOut = runCLI("check", variant("bigmodel"), "--budget", exampleBudget, "--baseline", variant("base"), "--format", "markdown")
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "footprint: "+variant("bigmodel")+": budget exceeded: 4 errors, 1 warning\n", errOut)
	assert.Contains(t, out, "### ❌ footprint: budget exceeded: 4 errors, 1 warning")
	assert.Contains(t, out, "| `components.model (flash)` max | 16.0 KiB | 18.4 KiB | +16096 | ❌ fail |")
	assert.Contains(t, out, "| model | grown | 18808 | +16096 | 0 | 0 |")
	assert.Contains(t, out, "<details><summary>Changes by symbol (2)</summary>")

	// Without a baseline growth rules are skipped.
	code, out, _ = runCLI("check", variant("base"), "--budget", exampleBudget, "--format", "json")
	require.Equal(t, 0, code)
	assert.Equal(t, 4, strings.Count(out, `"status": "skip"`))
}

func TestCheckBadInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("totals:\n  flash: {max: 1KiB}\n  ram: {mx: 1KiB}\n"), 0o600))
	code, _, errOut := runCLI("check", variant("base"), "--budget", bad)
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "footprint: "+bad+":3: totals.ram.mx: unknown field (want max, grow, grow_percent, severity)\n", errOut)

	regions := filepath.Join(dir, "regions.yaml")
	require.NoError(t, os.WriteFile(regions, []byte("regions:\n  FLASH: {max: 1MiB}\n"), 0o600))
	code, _, errOut = runCLI("check", variant("base"), "--budget", regions)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "regions.yaml:2: regions.FLASH: region rules need linker map data (--map)")

	code, _, errOut = runCLI("check", variant("base"))
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "footprint: --budget is required\n", errOut)
}

// The arena rule estimates the budget's model and checks the firmware's
// arena buffer: hello_world needs 1068 bytes of the 1200 the base firmware
// reserves; micro_speech needs more than that.
func TestCheckArena(t *testing.T) {
	dir := t.TempDir()
	budgetFor := func(model string) string {
		path := filepath.Join(dir, model+".yaml")
		abs, err := filepath.Abs(sharedtest.ModelPath(t, model))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, []byte("arena: {model: "+abs+", symbol: tensor_arena, must_fit: true}\n"), 0o600))
		return path
	}
	code, out, errOut := runCLI("check", variant("base"), "--budget", budgetFor("hello_world__hello_world_int8"))
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "arena.tensor_arena must_fit   1068    1200         error     pass")

	code, out, _ = runCLI("check", variant("base"), "--budget", budgetFor("micro_speech__micro_speech_quantized"))
	assert.Equal(t, exitFailed, code)
	assert.Contains(t, out, "arena.tensor_arena must_fit   6800    1200         error     fail")

	missing := filepath.Join(dir, "missing.yaml")
	require.NoError(t, os.WriteFile(missing, []byte("arena: {model: missing.tflite, must_fit: true}\n"), 0o600))
	code, _, errOut = runCLI("check", variant("base"), "--budget", missing)
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "arena: reading model")

	// The example budget names the model relative to itself, which holds
	// where shared/ sits beside the checkout (as in CI).
	example := "../../testdata/budget/arena.yaml"
	if fileExists(filepath.Join(filepath.Dir(example), "../../../shared/models/hello_world__hello_world_int8.tflite")) {
		code, _, errOut = runCLI("check", variant("base"), "--budget", example)
		require.Equal(t, 0, code, errOut)
	}
}

func TestCheckRegions(t *testing.T) {
	code, out, errOut := runCLI("check", variant("bigmodel"), "--map", variantMap("bigmodel"),
		"--baseline", variant("base"), "--baseline-map", variantMap("base"), "--budget", "../../testdata/budget/regions.yaml")
	assert.Equal(t, exitFailed, code, errOut)
	assert.Contains(t, out, "regions.FLASH max          524288   49092            +16096  error     pass")
	assert.Contains(t, out, "regions.RAM max             98304   15120             +6992  warning   pass")
	assert.Contains(t, out, "totals.flash grow_percent      2%   49092  +16096 (+48.78%)  error     fail")

	// Both builds need maps, or symbols would match by object in one and
	// by file in the other.
	code, _, errOut = runCLI("check", variant("bigmodel"), "--map", variantMap("bigmodel"),
		"--baseline", variant("base"), "--budget", "../../testdata/budget/regions.yaml")
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "footprint: with --baseline, give both --map and --baseline-map, or neither\n", errOut)

	// Regions can come from a linker script for both builds instead.
	code, out, errOut = runCLI("check", variant("bigmodel"), "--ld-script", "../../testdata/firmware/ld/stm32f4_m4f.ld",
		"--baseline", variant("base"), "--budget", "../../testdata/budget/regions.yaml")
	assert.Equal(t, exitFailed, code, errOut)
	assert.Contains(t, out, "regions.FLASH max")
}

// TestCheckArenaCMSISNN checks the real CMSIS-NN micro_speech firmware's
// 28 KiB arena for the CMSIS-NN build named in the budget, or on the
// command line, which replaces the budget's.
func TestCheckArenaCMSISNN(t *testing.T) {
	elf := sharedtest.Path(t, "firmware", "fw_micro_speech_cmsis", "firmware.elf")
	abs, err := filepath.Abs(sharedtest.ModelPath(t, "micro_speech__micro_speech_quantized"))
	require.NoError(t, err)
	path := filepath.Join(t.TempDir(), "b.yaml")
	require.NoError(t, os.WriteFile(path, []byte("arena: {model: "+abs+", kernels: cmsis-nn, cpu: cortex-m4, must_fit: true}\n"), 0o600))

	code, out, errOut := runCLI("check", elf, "--budget", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "arena.tensor_arena must_fit   6836   28672         error     pass (CMSIS-NN kernels on cortex-m4)")

	code, out, errOut = runCLI("check", elf, "--budget", path, "--cpu", "cortex-m85")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "7812   28672         error     pass (CMSIS-NN kernels on cortex-m85)")

	code, out, errOut = runCLI("check", elf, "--budget", path, "--kernels", "reference")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "arena.tensor_arena must_fit   6800   28672         error     pass\n")

	code, _, errOut = runCLI("check", elf, "--budget", path, "--cpu", "cortex-a9")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, `arena: unknown CPU "cortex-a9"`)

	code, _, errOut = runCLI("check", elf, "--budget", exampleBudget, "--cpu", "cortex-m4")
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "--kernels and --cpu apply to the arena rule")
}

// TestCheckStack caps the QEMU firmware's worst-case stack (1016 bytes:
// 832 in thread mode + SysTick's 80 and its 104-byte exception frame)
// below and above it, with the M4F firmware (920) as the baseline, and
// with a calls file next to the budget.
func TestCheckStack(t *testing.T) {
	dir := t.TempDir()
	write := func(name, doc string) string {
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, []byte(doc), 0o600))
		return path
	}
	code, out, errOut := runCLI("check", qemu.elf, "--budget", write("low.yaml", "stack: {max: 1000}\n"))
	assert.Equal(t, exitFailed, code)
	assert.Equal(t, "footprint: "+qemu.elf+": budget exceeded: 1 error, 0 warnings\n", errOut)
	assert.Contains(t, out, "stack.total max   1000    1016         error     fail\n")

	code, out, errOut = runCLI("check", qemu.elf, "--budget", write("high.yaml", "stack: {max: 1KiB, grow: 128, grow_percent: 5, severity: warning}\n"),
		"--baseline", m4f.elf, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var sum struct {
		Passed  bool
		Results []struct {
			Scope, Name, Kind, Status string
			Actual, Base              uint64
			Delta                     int64
		}
	}
	require.NoError(t, json.Unmarshal([]byte(out), &sum))
	assert.True(t, sum.Passed)
	require.Len(t, sum.Results, 3)
	assert.Equal(t, "stack", sum.Results[0].Scope)
	assert.Equal(t, "total", sum.Results[0].Name)
	assert.Equal(t, []string{"pass", "pass", "warn"}, []string{sum.Results[0].Status, sum.Results[1].Status, sum.Results[2].Status},
		"1016 <= 1024; +96 <= 128; +10.4 % > 5 %")
	assert.Equal(t, uint64(920), sum.Results[1].Base)
	assert.Equal(t, int64(96), sum.Results[1].Delta)

	// The calls file is relative to the budget: without nesting on the
	// thread's stack, 832 bytes.
	write("calls.yaml", "interrupts: {nesting: 0}\n")
	code, out, errOut = runCLI("check", qemu.elf, "--budget", write("calls-budget.yaml", "stack: {max: 1000, calls: calls.yaml}\n"), "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "| `stack.total` max | 1000 B | 832 B |  | ✅ pass |\n")

	missing := write("missing.yaml", "stack: {max: 1000, calls: nope.yaml}\n")
	code, _, errOut = runCLI("check", qemu.elf, "--budget", missing)
	assert.Equal(t, exitBadInput, code)
	assert.Equal(t, "footprint: "+missing+": stack.calls: open "+filepath.Join(dir, "nope.yaml")+": no such file or directory\n", errOut)

	// An image footprint cannot decode cannot be checked: bad input.
	data, err := os.ReadFile(m4f.elf)
	require.NoError(t, err)
	data[18], data[19] = 8, 0 // e_machine = EM_MIPS
	mips := write("mips.elf", string(data))
	code, _, errOut = runCLI("check", mips, "--budget", filepath.Join(dir, "high.yaml"))
	assert.Equal(t, exitBadInput, code)
	assert.Contains(t, errOut, "high.yaml: stack: "+mips+": no instruction decoder for ELFCLASS32 EM_MIPS")
}

// TestCheckStackLowerBound: TFLM's micro_speech firmware recurses, so its
// worst case is a lower bound, shown as ">= N" with the first reason.
func TestCheckStackLowerBound(t *testing.T) {
	elf := sharedtest.Path(t, "firmware", "fw_micro_speech", "firmware.elf")
	path := filepath.Join(t.TempDir(), "b.yaml")
	require.NoError(t, os.WriteFile(path, []byte("stack: {max: 64KiB}\n"), 0o600))
	code, out, errOut := runCLI("check", elf, "--budget", path)
	require.Equal(t, 0, code, errOut)
	assert.Regexp(t, `stack.total max  65536  >= \d+         error     pass \(lower bound: recursion: tflite::`, out)
	code, out, errOut = runCLI("check", elf, "--budget", path, "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, `"lower_bound": true`)
}
