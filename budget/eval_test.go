package budget

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

func mustParse(t *testing.T, doc string) *Budget {
	t.Helper()
	b, err := Parse("b.yaml", []byte(doc))
	require.NoError(t, err)
	return b
}

func sizes(flash, ram uint64) Sizes {
	return Sizes{Flash: flash, RAM: ram, Components: map[string]report.Totals{}, Sections: map[string]uint64{}}
}

type outcome struct {
	kind   Kind
	status Status
}

func verdicts(rs []Result) []outcome {
	var v []outcome
	for _, r := range rs {
		v = append(v, outcome{r.Kind, r.Status})
	}
	return v
}

func TestEvaluateLimits(t *testing.T) {
	b := mustParse(t, `
totals:
  flash: {max: 1000, grow: 10}
  ram: {grow_percent: 5, severity: warning}
`)
	base := sizes(900, 100)
	head := sizes(1000, 106) // max exactly reached: pass; RAM +6%: warn
	rs, err := Evaluate(b, head, &base)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusPass}, {KindGrow, StatusFail}, {KindGrowPercent, StatusWarn}}, verdicts(rs))
	assert.Equal(t, int64(100), rs[1].Delta())
	assert.True(t, Failed(rs))

	head = sizes(1001, 105)
	rs, err = Evaluate(b, head, nil) // no baseline: growth limits are skipped
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusFail}, {KindGrow, StatusSkip}, {KindGrowPercent, StatusSkip}}, verdicts(rs))
	assert.Zero(t, rs[1].Delta())
}

func TestEvaluateComponentsSectionsRegions(t *testing.T) {
	b := mustParse(t, `
components:
  "tflm/kernel/*": {grow: 100}
  app: {memory: ram, max: 50}
  model: {grow_percent: 1}
sections:
  .bss: {max: 64}
`)
	base, head := sizes(0, 0), sizes(0, 0)
	base.Components = map[string]report.Totals{"tflm/kernel/ADD": {Flash: 500}, "tflm/runtime": {Flash: 900}, "app": {Flash: 10, RAM: 40}}
	head.Components = map[string]report.Totals{"tflm/kernel/ADD": {Flash: 520}, "tflm/kernel/MUL": {Flash: 90},
		"tflm/runtime": {Flash: 2000}, "app": {Flash: 10, RAM: 50}, "model": {Flash: 8}}
	head.Sections[".bss"] = 65
	rs, err := Evaluate(b, head, &base)
	require.NoError(t, err)
	// Kernels: 610 vs 500 (the glob sums ADD and MUL, not the runtime);
	// app RAM 50 <= 50; model grows from nothing; .bss 65 > 64.
	assert.Equal(t, []uint64{610, 50, 8, 65}, []uint64{rs[0].Actual, rs[1].Actual, rs[2].Actual, rs[3].Actual})
	assert.Equal(t, []outcome{{KindGrow, StatusFail}, {KindMax, StatusPass}, {KindGrowPercent, StatusFail}, {KindMax, StatusFail}}, verdicts(rs))
	assert.Equal(t, `components."tflm/kernel/*" (flash)`, rs[0].Subject())

	_, err = Evaluate(mustParse(t, "regions:\n  RAM: {max: 1KiB}\n"), head, nil)
	assert.EqualError(t, err, "b.yaml:2: regions.RAM: region rules need linker map data (--map)")
	head.Regions = map[string]uint64{"RAM": 2048}
	rs, err = Evaluate(mustParse(t, "regions:\n  RAM: {max: 1KiB}\n"), head, nil)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusFail}}, verdicts(rs))
}

func TestWithinPercent(t *testing.T) {
	assert.True(t, withinPercent(200, 210, 5))
	assert.False(t, withinPercent(200, 211, 5))
	assert.True(t, withinPercent(200, 100, 0))
	assert.True(t, withinPercent(0, 0, 0))
	assert.False(t, withinPercent(0, 1, 1000))
}

func TestMeasure(t *testing.T) {
	r := &report.Report{Totals: report.Totals{Flash: 12, RAM: 8}, Pieces: []report.Piece{
		{Section: ".text", Component: "app", Size: 8, Flash: 8},
		{Section: ".data", Component: "app", Region: "RAM", Size: 4, Flash: 4, RAM: 4},
		{Section: ".bss", Component: "libc", Region: "RAM", Size: 4, RAM: 4},
	}, Regions: []report.RegionUsage{{Name: "FLASH", Used: 12}, {Name: "RAM", Used: 8}}}
	s := Measure(r)
	assert.Equal(t, Sizes{Flash: 12, RAM: 8,
		Regions:    map[string]uint64{"FLASH": 12, "RAM": 8},
		Components: map[string]report.Totals{"app": {Flash: 12, RAM: 4}, "libc": {RAM: 4}},
		Sections:   map[string]uint64{".text": 8, ".data": 4, ".bss": 4}}, s)
}

func TestSummaryRender(t *testing.T) {
	b := mustParse(t, "totals:\n  flash: {max: 1KiB, grow: 10}\n  ram: {max: 100, severity: warning}\n")
	base, head := sizes(1000, 50), sizes(1030, 120)
	rs, err := Evaluate(b, head, &base)
	require.NoError(t, err)
	s := &Summary{File: "head.elf", Baseline: "base.elf", Budget: "b.yaml", Head: report.Totals{Flash: 1030, RAM: 120},
		Base: &report.Totals{Flash: 1000, RAM: 50}, Results: rs, Top: 10}
	assert.Equal(t, "budget exceeded: 2 errors, 1 warning", s.Verdict())

	var table bytes.Buffer
	require.NoError(t, s.Render(&table, report.FormatTable))
	assert.Equal(t, `flash 1030 B (+30)  RAM 120 B (+70)
RULE               LIMIT  ACTUAL  DELTA  SEVERITY  STATUS
totals.flash max    1024    1030    +30  error     fail
totals.flash grow     10    1030    +30  error     fail
totals.ram max       100     120    +70  warning   warn
budget exceeded: 2 errors, 1 warning
`, table.String())

	var js bytes.Buffer
	require.NoError(t, s.Render(&js, report.FormatJSON))
	var got map[string]any
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	assert.Equal(t, Schema, got["schema"])
	assert.Equal(t, false, got["passed"])
	assert.Len(t, got["results"], 3)

	var md bytes.Buffer
	require.NoError(t, s.Render(&md, report.FormatMarkdown))
	assert.Contains(t, md.String(), "### ❌ footprint: budget exceeded: 2 errors, 1 warning")
	assert.Contains(t, md.String(), "| `totals.ram` max | 100 B | 120 B | +70 | ⚠️ warning |")

	var c bytes.Buffer
	require.NoError(t, s.Render(&c, report.FormatCSV))
	assert.Equal(t, "scope,name,kind,limit,actual,base,delta,severity,status\ntotals,flash,max,1024,1030,1000,30,error,fail\n", c.String()[:len("scope,name,kind,limit,actual,base,delta,severity,status\ntotals,flash,max,1024,1030,1000,30,error,fail\n")])

	s.Results = s.Results[:0]
	assert.Equal(t, "within budget: 0 limits checked", s.Verdict())
}

// A rule on a name that exists in neither build (a misspelt component or
// section) is flagged rather than silently passing at 0 bytes.
func TestEvaluateNotesMissingNames(t *testing.T) {
	b := mustParse(t, "components:\n  \"tflm/kernal/*\": {max: 1KiB}\n  app: {max: 1KiB}\nsections:\n  .bsss: {max: 1KiB}\n")
	head := sizes(0, 0)
	head.Components["app"] = report.Totals{Flash: 10}
	rs, err := Evaluate(b, head, nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"matches nothing in the build", "", "matches nothing in the build"}, []string{rs[0].Note, rs[1].Note, rs[2].Note})
	s := &Summary{Results: rs}
	var table bytes.Buffer
	require.NoError(t, s.Render(&table, report.FormatTable))
	assert.Contains(t, table.String(), "error     pass (matches nothing in the build)")
}

// The stack rule limits the worst case, and its growth over the
// baseline's; a lower-bound figure says so, with the first reason.
func TestEvaluateStack(t *testing.T) {
	b := mustParse(t, "stack: {max: 1KiB, grow: 64, grow_percent: 5, severity: warning}\n")
	head := sizes(0, 0)
	_, err := Evaluate(b, head, nil)
	assert.EqualError(t, err, "b.yaml:1: stack: the stack was not measured")
	head.Stack = &StackDepth{Bytes: 1016}
	base := sizes(0, 0)
	_, err = Evaluate(b, head, &base)
	assert.EqualError(t, err, "b.yaml:1: stack: the baseline's stack was not measured")

	rs, err := Evaluate(b, head, nil)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusPass}, {KindGrow, StatusSkip}, {KindGrowPercent, StatusSkip}}, verdicts(rs))
	assert.Equal(t, "stack.total", rs[0].Subject())
	assert.Empty(t, rs[0].Note)

	base.Stack = &StackDepth{Bytes: 920}
	rs, err = Evaluate(b, head, &base)
	require.NoError(t, err)
	// 1016 <= 1024; +96 > 64; +10.4 % > 5 %.
	assert.Equal(t, []outcome{{KindMax, StatusPass}, {KindGrow, StatusWarn}, {KindGrowPercent, StatusWarn}}, verdicts(rs))
	assert.Equal(t, int64(96), rs[1].Delta())
	assert.False(t, Failed(rs), "a warning rule")

	head.Stack = &StackDepth{Bytes: 10136, LowerBound: true, Reason: "recursion: a -> b"}
	rs, err = Evaluate(mustParse(t, "stack: {max: 4KiB}\n"), head, nil)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusFail}}, verdicts(rs))
	assert.True(t, rs[0].LowerBound)
	assert.Equal(t, "lower bound: recursion: a -> b", rs[0].Note)

	// A lower bound under the limit passes, and still says it is one;
	// a baseline's lower bound is noted when the head's figure is exact.
	head.Stack = &StackDepth{Bytes: 900, LowerBound: true}
	rs, err = Evaluate(mustParse(t, "stack: {max: 4KiB}\n"), head, nil)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindMax, StatusPass}}, verdicts(rs))
	assert.Equal(t, "lower bound", rs[0].Note)
	head.Stack = &StackDepth{Bytes: 900}
	base.Stack = &StackDepth{Bytes: 800, LowerBound: true, Reason: "alloca in f"}
	rs, err = Evaluate(mustParse(t, "stack: {grow: 128}\n"), head, &base)
	require.NoError(t, err)
	assert.Equal(t, "baseline is a lower bound: alloca in f", rs[0].Note)
}

func TestSummaryRenderStack(t *testing.T) {
	b := mustParse(t, "stack: {max: 4KiB}\n")
	head := sizes(1000, 100)
	head.Stack = &StackDepth{Bytes: 10136, LowerBound: true, Reason: "recursion: f -> g_h"}
	rs, err := Evaluate(b, head, nil)
	require.NoError(t, err)
	s := &Summary{File: "head.elf", Budget: "b.yaml", Head: report.Totals{Flash: 1000, RAM: 100}, Results: rs}

	var table bytes.Buffer
	require.NoError(t, s.Render(&table, report.FormatTable))
	assert.Equal(t, `flash 1000 B  RAM 100 B
RULE             LIMIT    ACTUAL  DELTA  SEVERITY  STATUS
stack.total max   4096  >= 10136         error     fail (lower bound: recursion: f -> g_h)
budget exceeded: 1 error, 0 warnings
`, table.String())

	var md bytes.Buffer
	require.NoError(t, s.Render(&md, report.FormatMarkdown))
	assert.Contains(t, md.String(), "| `stack.total` max | 4.0 KiB | >= 9.9 KiB |  | ❌ fail (lower bound: recursion: f -> g\\_h) |")

	var js bytes.Buffer
	require.NoError(t, s.Render(&js, report.FormatJSON))
	var got struct {
		Results []map[string]any `json:"results"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	require.Len(t, got.Results, 1)
	assert.Equal(t, map[string]any{"scope": "stack", "name": "total", "kind": "max", "limit": 4096.0, "actual": 10136.0,
		"lower_bound": true, "severity": "error", "status": "fail", "note": "lower bound: recursion: f -> g_h", "line": 1.0}, got.Results[0])
}

// A long lower-bound reason is cut in the table and Markdown, kept whole
// in the JSON.
func TestSummaryRenderLongNote(t *testing.T) {
	reason := "recursion: " + strings.Repeat("tflite::AllocationInfoBuilder::MarkAllocationLifetimes(int) -> ", 5)
	head := sizes(0, 0)
	head.Stack = &StackDepth{Bytes: 2904, LowerBound: true, Reason: reason}
	rs, err := Evaluate(mustParse(t, "stack: {max: 4KiB}\n"), head, nil)
	require.NoError(t, err)
	s := &Summary{Results: rs}
	var table, js bytes.Buffer
	require.NoError(t, s.Render(&table, report.FormatTable))
	line := strings.Split(table.String(), "\n")[2]
	assert.True(t, strings.HasSuffix(line, "...)"), line)
	assert.Less(t, len(line), 200)
	require.NoError(t, s.Render(&js, report.FormatJSON))
	var got struct {
		Results []struct{ Note string } `json:"results"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	assert.Equal(t, "lower bound: "+reason, got.Results[0].Note)
}
