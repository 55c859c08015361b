package overview

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
	"github.com/footprint-dev/footprint/tflmarena"
)

const qemuDir = "../testdata/firmware/out/qemu-mps2-an386"

// analyzeStack computes the worst-case stack of an ELF file as
// footprint.Stack does.
func analyzeStack(t *testing.T, elf string) *stack.Report {
	t.Helper()
	p, err := callgraph.Open(elf)
	require.NoError(t, err)
	r, err := stack.Analyze(p, stack.Options{})
	require.NoError(t, err)
	return r
}

// The QEMU firmware (measured under qemu: 840 bytes deep with SysTick)
// needs 3488 bytes of static data in RAM and 1016 of stack; the 6144-byte
// ._user_heap_stack reservation is replaced by the worst case, and the
// 64 bytes in PSRAM are not counted against RAM.
func TestRAMNeedQEMU(t *testing.T) {
	rep := loadFirmware(t, filepath.Join(qemuDir, "firmware.elf"), filepath.Join(qemuDir, "firmware.map"))
	st := analyzeStack(t, filepath.Join(qemuDir, "firmware.elf"))
	require.Equal(t, stack.Depth{Bytes: 1016}, st.Total)
	d := New(rep, nil, st)
	require.NotNil(t, d.RAM)
	assert.Equal(t, &RAMNeed{Region: "RAM", RegionSize: 4 << 20, Static: 3488, StaticSections: []string{".data", ".bss", ".noinit"},
		Elsewhere: 64, ElsewhereRegions: []string{"PSRAM"}, Replaced: []SectionBytes{{"._user_heap_stack", 6144}},
		Stack: stack.Depth{Bytes: 1016}, Total: 4504}, d.RAM)
	assert.True(t, d.RAM.Fits())
	assert.Equal(t, d.Totals.RAM, d.RAM.Static+d.RAM.Elsewhere+6144, "every RAM byte is counted once or named")

	out := render(t, d, FormatText)
	for _, want := range []string{
		"Stack: worst case from the machine code (ARM (Thumb), 7E-M, FPU: exception entry stacks 104 bytes)\n" +
			"STACK        BYTES  NOTE\n" +
			"thread mode    832  Reset_Handler (reset)\n" +
			"interrupts     184  the deepest handler, one at a time: SysTick_Handler 80 + 104-byte exception frame\n" +
			"total         1016  thread mode + interrupts\n" +
			"reserved      4096  _estack - _sstack: fits (3080 spare)\n",
		"RAM need in RAM: static data + worst-case stack\n" +
			"PART              BYTES  NOTE\n" +
			"static data        3488  sections .data, .bss, .noinit\n" +
			"worst-case stack   1016  thread mode 832 + interrupts 184\n" +
			"TOTAL              4504  0.1 % of RAM's 4.0 MiB: fits, 4189800 bytes spare\n" +
			"not counted: ._user_heap_stack (6144 bytes), the linker script's heap and stack reservation: the worst-case stack takes its place; heap use is not measured\n" +
			"not counted: 64 bytes of static data in PSRAM\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "lower bound")

	// Without regions the total is not compared with anything, and all
	// static data counts.
	d = New(loadFirmware(t, filepath.Join(qemuDir, "firmware.elf"), ""), nil, st)
	assert.Equal(t, uint64(3488+64), d.RAM.Static)
	assert.Empty(t, d.RAM.Region)
	assert.False(t, d.RAM.Fits())
	assert.Contains(t, render(t, d, FormatText), "TOTAL              4568  no memory region known (give --map, --ld-script or --region)\n")
}

// The M4F firmware's tensor_arena is static data: hello_world's 1068
// bytes fit its 1200 and add nothing; a bigger need adds what the buffer
// lacks, and without a buffer the whole need is added.
func TestRAMNeedArena(t *testing.T) {
	rep := loadFirmware(t, filepath.Join(m4fDir, "firmware.elf"), filepath.Join(m4fDir, "firmware.map"))
	st := analyzeStack(t, filepath.Join(m4fDir, "firmware.elf"))
	arena, err := helloArena(t, rep, ArenaOptions{Target: tflmarena.CortexM})
	require.NoError(t, err)
	n := New(rep, arena, st).RAM
	require.NotNil(t, n.Arena)
	assert.Equal(t, ArenaNeed{Need: 1068, Exact: true, Symbol: "tensor_arena", Size: 1200, Usable: 1200, Region: "RAM"}, *n.Arena)
	assert.Equal(t, uint64(1984), n.Static, ".data 296 + .bss 1680 + .noinit 8")
	assert.Equal(t, n.Static+uint64(st.Total.Bytes), n.Total)
	out := render(t, New(rep, arena, st), FormatText)
	assert.Contains(t, out, "RAM need in RAM: static data + tensor arena + worst-case stack\n")
	assert.Contains(t, out, "static data        1984  sections .data, .bss, .noinit; includes the arena buffer tensor_arena (1200 bytes)\n")
	assert.Contains(t, out, "tensor arena          0  the model needs 1068 bytes; tensor_arena in static data holds them (1200 usable), so nothing is added\n")

	// The host64 need (1608 bytes) is 408 more than the buffer.
	big, err := helloArena(t, rep, ArenaOptions{Target: tflmarena.Host64})
	require.NoError(t, err)
	n = New(rep, big, st).RAM
	assert.Equal(t, uint64(408), n.Arena.Extra)
	assert.Equal(t, n.Static+408+uint64(st.Total.Bytes), n.Total)
	assert.Contains(t, render(t, New(rep, big, st), FormatText),
		"tensor arena        408  the model needs 1608 bytes, 408 more than the 1200 usable bytes of tensor_arena in static data\n")

	// No buffer: the whole need, where the static data is.
	big.Firmware = nil
	n = New(rep, big, st).RAM
	assert.Equal(t, uint64(1608), n.Arena.Extra)
	assert.Equal(t, n.Static+1608+uint64(st.Total.Bytes), n.Total)
	assert.Contains(t, render(t, New(rep, big, st), FormatText), "the model needs 1608 bytes; no arena buffer in static data, so all of it is added\n")
}

// synthetic is a small report with a RAM region of size bytes: 100 bytes
// of .bss, a 400-byte .stack section, and 8 bytes in another region.
func synthetic(size uint64) *report.Report {
	return &report.Report{File: "s.elf", Totals: report.Totals{Flash: 50, RAM: 508},
		Sections: []report.Section{
			{Name: ".text", Alloc: true, Flash: 50, Berkeley: "text"},
			{Name: ".bss", Alloc: true, RAM: 100, Berkeley: "bss"},
			{Name: ".stack", Alloc: true, RAM: 400, Berkeley: "bss"},
			{Name: ".dtcm", Alloc: true, RAM: 8, Berkeley: "bss"},
		},
		Pieces: []report.Piece{
			{Section: ".text", Symbol: "main", Component: "app", Size: 50, Flash: 50},
			{Section: ".bss", Symbol: "buf", Component: "app", Region: "RAM", Addr: 0x100, Size: 100, RAM: 100},
			{Section: ".stack", Symbol: "[.stack]", Component: "startup", Region: "RAM", Addr: 0x200, Size: 400, RAM: 400},
			{Section: ".dtcm", Symbol: "fast", Component: "app", Region: "DTCM", Addr: 0x10, Size: 8, RAM: 8},
		},
		Regions: []report.RegionUsage{{Name: "DTCM", Length: 64, Used: 8}, {Name: "RAM", Length: size, Used: 500}},
	}
}

// syntheticStack is a lower-bound stack: recursion under main, and a
// handler that calls unknown code, nested two deep.
func syntheticStack() *stack.Report {
	return &stack.Report{Machine: "ARM (Thumb)", CPU: "6-M", ExceptionFrame: 32, Nesting: 2,
		Roots: []stack.Root{
			{Name: "Reset_Handler", Kind: "reset", Depth: stack.Depth{Bytes: 100, LowerBound: true}, Reasons: []string{"recursion: f -> f", "alloca in g"}},
			{Name: "main", Kind: "main", Depth: stack.Depth{Bytes: 96, LowerBound: true}, Reasons: []string{"recursion: f -> f"}},
			{Name: "A_IRQHandler", Kind: "handler", Depth: stack.Depth{Bytes: 8}},
			{Name: "B_IRQHandler", Kind: "handler", Depth: stack.Depth{Bytes: 40, LowerBound: true}, Reasons: []string{"calls to unknown code: 0x1234"}},
			{Name: "C_IRQHandler", Kind: "handler", Depth: stack.Depth{Bytes: 4, LowerBound: true}, Reasons: []string{"not counted"}},
		},
		Thread:     stack.Depth{Bytes: 100, LowerBound: true},
		Interrupts: stack.Depth{Bytes: 112, LowerBound: true},
		Total:      stack.Depth{Bytes: 212, LowerBound: true},
		Reserved:   &stack.Reservation{Bytes: 400, Source: "section .stack"},
		Warnings:   []string{"something odd"},
	}
}

func TestStackTotalReasons(t *testing.T) {
	st := syntheticStack()
	assert.Equal(t, []string{"recursion: f -> f", "alloca in g", "calls to unknown code: 0x1234"}, st.TotalReasons(),
		"the thread root's reasons, then the counted handlers'; not those of a handler left out")
	st.Total.LowerBound = false
	assert.Nil(t, st.TotalReasons())
}

func TestRAMNeedLowerBoundAndOverflow(t *testing.T) {
	st := syntheticStack()
	d := New(synthetic(1<<10), nil, st)
	n := d.RAM
	assert.Equal(t, []SectionBytes{{".stack", 400}}, n.Replaced)
	assert.Equal(t, uint64(100+212), n.Total)
	assert.True(t, n.LowerBound)
	assert.True(t, n.Fits())
	out := render(t, d, FormatText)
	for _, want := range []string{
		"Stack: worst case from the machine code (ARM (Thumb), 6-M, no FPU: exception entry stacks 32 bytes)\n",
		"thread mode  >= 100  Reset_Handler (reset)\n",
		"interrupts   >= 112  the 2 deepest handlers nested: B_IRQHandler >= 40 + 32-byte exception frame; A_IRQHandler 8 + 32-byte exception frame\n",
		"total        >= 212  thread mode + interrupts\n",
		"reserved        400  section .stack: fits the lower bound (188 spare)\n",
		"lower bound: recursion: f -> f\nlower bound: alloca in g\nlower bound: calls to unknown code: 0x1234\nwarning: something odd\n",
		"worst-case stack  >= 212  thread mode >= 100 + interrupts >= 112\n",
		"TOTAL             >= 312  30.5 % of RAM's 1.0 KiB: the lower bound fits, 712 bytes spare\n",
		"not counted: .stack (400 bytes), the linker script's stack reservation: the worst-case stack takes its place\n",
		"not counted: 8 bytes of static data in DTCM\n",
	} {
		assert.Contains(t, out, want)
	}

	// In a 256-byte region the need overflows: said in the table, and the
	// HTML bar marks the region's end.
	d = New(synthetic(256), nil, st)
	assert.False(t, d.RAM.Fits())
	assert.Contains(t, render(t, d, FormatText), "TOTAL             >= 312  exceeds RAM's 256 B by 56 bytes\n")
	page := render(t, d, FormatHTML)
	checkHTML(t, page)
	assert.Contains(t, page, "<title>end of RAM (256 B)</title>")
	assert.Contains(t, page, "total at least 312 bytes: exceeds RAM&#39;s 256 B by 56 bytes")

	st.Reserved.Bytes = 200
	assert.Contains(t, render(t, d, FormatText), "reserved        200  section .stack: TOO SMALL by 12 bytes\n")
	st.Reserved = nil
	assert.Contains(t, render(t, d, FormatText), "reserved             unknown: no stack size symbol or .stack section\n")

	md := render(t, d, FormatMarkdown)
	assert.Contains(t, md, "### RAM need in RAM: static data + worst-case stack\n")
	assert.Contains(t, md, "| **total** | **>= 312** | **exceeds RAM's 256 B by 56 bytes** |\n")
	assert.Contains(t, md, "- lower bound: recursion: f -> f\n")
}

func TestRenderStackJSONAndHTML(t *testing.T) {
	rep := loadFirmware(t, filepath.Join(qemuDir, "firmware.elf"), filepath.Join(qemuDir, "firmware.map"))
	d := New(rep, nil, analyzeStack(t, filepath.Join(qemuDir, "firmware.elf")))
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(render(t, d, FormatJSON)), &raw))
	var st stack.Report
	require.NoError(t, json.Unmarshal(raw["stack"], &st))
	assert.Equal(t, d.Stack.Total, st.Total)
	assert.NotEmpty(t, st.Roots[0].Path, "the worst paths are in the JSON")
	var n RAMNeed
	require.NoError(t, json.Unmarshal(raw["ram_need"], &n))
	assert.Equal(t, *d.RAM, n)
	assert.Contains(t, strings.Join(strings.Fields(string(raw["ram_need"])), ""), `"replaced":[{"name":"._user_heap_stack","bytes":6144}]`)

	page := render(t, d, FormatHTML)
	checkHTML(t, page)
	assert.Contains(t, page, "<h2>Stack: worst case from the machine code (ARM (Thumb), 7E-M, FPU: exception entry stacks 104 bytes)</h2>")
	assert.Contains(t, page, "<title>worst-case stack: 1016 bytes, drawn at the top of RAM</title>")
	assert.Contains(t, page, "<title>static data: 3488 bytes (77.4 %)</title>")
	assert.Contains(t, page, "<title>worst-case stack: 1016 bytes (22.6 %)</title>")
	assert.Contains(t, page, `<p class="note">total 4504 bytes: 0.1 % of RAM&#39;s 4.0 MiB: fits, 4189800 bytes spare</p>`)
	assert.Equal(t, 1, strings.Count(page, "drawn at the top of"), "the stack is drawn in one region's bar")
}

// An arena buffer in another region than the static data's: its shortfall
// is not added to that region's need.
func TestRAMNeedArenaElsewhere(t *testing.T) {
	rep := synthetic(1 << 10)
	arena := &Arena{TFLM: &tflmarena.Estimate{MinArenaBytes: 20, Exact: true},
		Firmware: &tflmarena.ArenaCheck{Symbol: "fast", Address: 0x10, Size: 8, Usable: 8}}
	st := syntheticStack()
	n := newRAMNeed(rep, arena, st)
	assert.Equal(t, ArenaNeed{Need: 20, Exact: true, Symbol: "fast", Size: 8, Usable: 8, Region: "DTCM", Extra: 12}, *n.Arena)
	assert.Equal(t, uint64(100+212), n.Total)
	assert.Equal(t, uint64(8+12), n.Elsewhere)
	assert.Equal(t, []string{"DTCM"}, n.ElsewhereRegions)
	tab := n.ramTable(st)
	assert.Equal(t, []string{"tensor arena", "12", "the model needs 20 bytes; the arena buffer fast is in DTCM, not counted here"}, tab.Rows[1])
	assert.Equal(t, "sections .bss", tab.Rows[0][2], "the buffer is not in this region's static data")
}
