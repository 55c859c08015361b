package main

import (
	"encoding/json"
	"fmt"
	"image/png"
	"os"
	"os/exec"
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
		{[]string{m4f.elf, "--model", m4f.mapFile}, "--model: " + m4f.mapFile + ":"},
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

// qemu is the firmware whose stack was measured under qemu-system-arm
// (840 bytes deep with SysTick): 1016 bytes worst case from its machine
// code, 4096 reserved.
var qemu = struct{ elf, mapFile string }{
	filepath.Join("..", "..", "testdata", "firmware", "out", "qemu-mps2-an386", "firmware.elf"),
	filepath.Join("..", "..", "testdata", "firmware", "out", "qemu-mps2-an386", "firmware.map"),
}

// TestReportStack: the report adds the worst-case stack and the RAM need
// by default, takes a calls file, and skips both with --no-stack.
func TestReportStack(t *testing.T) {
	code, out, errOut := runCLI("report", qemu.elf, "--map", qemu.mapFile)
	require.Equal(t, 0, code, errOut)
	assert.Empty(t, errOut)
	for _, want := range []string{
		"interrupts     184  the deepest handler, one at a time: SysTick_Handler 80 + 104-byte exception frame\n" +
			"total         1016  thread mode + interrupts\n" +
			"reserved      4096  _estack - _sstack: fits (3080 spare)\n",
		"RAM need in RAM: static data + worst-case stack\n",
		"TOTAL              4504  0.1 % of RAM's 4.0 MiB: fits, 4189800 bytes spare\n",
	} {
		assert.Contains(t, out, want)
	}

	// A calls file saying interrupts do not nest on the thread's stack.
	calls := filepath.Join(t.TempDir(), "calls.yaml")
	require.NoError(t, os.WriteFile(calls, []byte("interrupts: {nesting: 0}\n"), 0o600))
	code, out, errOut = runCLI("report", qemu.elf, "--calls", calls, "--format", "json")
	require.Equal(t, 0, code, errOut)
	var doc overview.Document
	require.NoError(t, json.Unmarshal([]byte(out), &doc))
	require.NotNil(t, doc.Stack)
	assert.Equal(t, int64(832), doc.Stack.Total.Bytes)
	require.NotNil(t, doc.RAM)
	assert.Equal(t, doc.RAM.Static+832, doc.RAM.Total)
	assert.Empty(t, doc.RAM.Region, "no map, no region")

	code, out, errOut = runCLI("report", qemu.elf, "--no-stack", "--format", "json")
	require.Equal(t, 0, code, errOut)
	assert.NotContains(t, out, `"stack"`)
	assert.NotContains(t, out, `"ram_need"`)

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--calls", "missing.yaml"}, "footprint: --calls: open missing.yaml: no such file or directory\n"},
		{[]string{"--calls", calls, "--no-stack"}, "footprint: --calls is for the stack analysis, which --no-stack skips\n"},
	} {
		code, out, errOut = runCLI(append([]string{"report", qemu.elf}, tc.args...)...)
		assert.Equal(t, exitBadInput, code, tc.args)
		assert.Empty(t, out)
		assert.Equal(t, tc.want, errOut)
	}
}

// TestReportStackUnsupported: an image whose machine code footprint does
// not decode (the M4F firmware relabelled EM_MIPS) is reported without the
// stack, with a warning on stderr and in the document.
func TestReportStackUnsupported(t *testing.T) {
	data, err := os.ReadFile(m4f.elf)
	require.NoError(t, err)
	data[18], data[19] = 8, 0 // e_machine = EM_MIPS
	mips := filepath.Join(t.TempDir(), "mips.elf")
	require.NoError(t, os.WriteFile(mips, data, 0o600))

	const warning = "stack: not analysed: %s: no instruction decoder for ELFCLASS32 EM_MIPS (footprint decodes 32-bit ARM Thumb, RV32 and x86-64)"
	code, out, errOut := runCLI("report", mips, "--format", "markdown")
	require.Equal(t, 0, code, errOut)
	assert.Equal(t, "footprint: warning: "+fmt.Sprintf(warning, mips)+"\n", errOut)
	assert.Contains(t, out, "### Flash and RAM by component\n")
	assert.NotContains(t, out, "### Stack")
	assert.Contains(t, out, "> warning: stack: not analysed:")
}

// TestReportHTMLInBrowser renders the report page with the stack in
// headless Chromium, when installed, and looks for the RAM need bar's
// stack segment (hsl(280,45%,62%), about RGB 173,114,202) in the
// screenshot: the browser draws the picture, not only parses the page.
func TestReportHTMLInBrowser(t *testing.T) {
	browser, err := exec.LookPath("chromium")
	if err != nil {
		t.Skip("chromium is not installed")
	}
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	code, _, errOut := runCLI("report", qemu.elf, "--map", qemu.mapFile, "--format", "html", "-o", page)
	require.Equal(t, 0, code, errOut)
	shot := filepath.Join(dir, "report.png")
	cmd := exec.Command(browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
		"--screenshot="+shot, "--window-size=1200,2800", "file://"+page)
	cmd.Env = append(os.Environ(), "HOME="+dir) // a profile of its own
	outBytes, err := cmd.CombinedOutput()
	require.NoError(t, err, string(outBytes))
	f, err := os.Open(shot)
	require.NoError(t, err)
	defer f.Close()
	img, err := png.Decode(f)
	require.NoError(t, err)
	stackPixels := 0
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			if near(r>>8, 173) && near(g>>8, 114) && near(bl>>8, 202) {
				stackPixels++
			}
		}
	}
	// 1016 of 4504 bytes of a 960-pixel bar, 28 pixels high: about 6000
	// pixels (fewer where the label is drawn).
	assert.Greater(t, stackPixels, 3000, "the stack segment of the RAM need bar is drawn")
	t.Logf("%d pixels of the stack segment", stackPixels)
}

// near reports whether a colour channel is within 3 of want.
func near(v uint32, want int) bool { return int(v) >= want-3 && int(v) <= want+3 }
