package builddiff

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/report"
)

// variants holds the Cortex-M4F diff variants built by
// testdata/firmware/build.sh (see EXPECTED.md there).
const variants = "../testdata/firmware/out/variants"

// loadVariant attributes one variant's ELF as `footprint size` does.
func loadVariant(t testing.TB, name string) *report.Report {
	t.Helper()
	rep, err := elfsize.Open(filepath.Join(variants, name, "firmware.elf"), elfsize.Options{Files: true, Demangle: true})
	require.NoError(t, err)
	require.NoError(t, component.Assign(rep, nil))
	return rep
}

// deltas maps a diff's rows to their [flash, RAM] deltas.
func deltas(d *Diff) map[string][2]int64 {
	m := map[string][2]int64{}
	for _, c := range d.Changes {
		m[c.Name] = [2]int64{c.FlashDelta, c.RAMDelta}
	}
	return m
}

// statuses maps a diff's rows to their statuses.
func statuses(d *Diff) map[string]Status {
	m := map[string]Status{}
	for _, c := range d.Changes {
		m[c.Name] = c.Status
	}
	return m
}

// (a) Rebuilding the same sources in another directory changes DWARF and
// map paths only: the diff is empty whatever the grouping.
func TestRebuildDiffsToZero(t *testing.T) {
	base, rebuild := loadVariant(t, "base"), loadVariant(t, "rebuild")
	for _, k := range report.Keys {
		d := Compare(base, rebuild, k)
		assert.Empty(t, d.Changes, "by %s", k)
		assert.Zero(t, d.FlashDelta)
		assert.Zero(t, d.RAMDelta)
		assert.Positive(t, d.Unchanged, "by %s", k)
	}
}

// (b) Registering the MUL kernel: the growth goes to that kernel's
// component, with main()'s call site in app.
func TestExtraKernel(t *testing.T) {
	base, extra := loadVariant(t, "base"), loadVariant(t, "extra-kernel")
	d := Compare(base, extra, report.KeyComponent)
	assert.Equal(t, int64(484), d.FlashDelta) // EXPECTED.md: text delta 484
	assert.Zero(t, d.RAMDelta)
	assert.Equal(t, map[string][2]int64{
		"tflm/kernel/MUL": {452, 0}, // 450 bytes of MUL symbols + 2 of their padding
		"app":             {36, 0},  // main() +20, literal pool +16
		"model":           {-4, 0},  // alignment padding before g_model
	}, deltas(d))
	assert.Equal(t, Added, statuses(d)["tflm/kernel/MUL"])
	assert.Equal(t, d.Changes[0].Name, "tflm/kernel/MUL", "largest change first")

	syms := deltas(Compare(base, extra, report.KeySymbol))
	// EXPECTED.md: the three MUL symbols and their sizes; main 768 -> 788.
	assert.Equal(t, [2]int64{290, 0}, syms["tflite::(anonymous namespace)::MulEval(tflite::TfLiteContext*, tflite::TfLiteNode*)"])
	assert.Equal(t, [2]int64{132, 0}, syms["tflite::(anonymous namespace)::MulPrepare(tflite::TfLiteContext*, tflite::TfLiteNode*)"])
	assert.Equal(t, [2]int64{28, 0}, syms["tflite::Register_MUL()"])
	assert.Equal(t, [2]int64{20, 0}, syms["main"])

	files := deltas(Compare(base, extra, report.KeyFile))
	assert.Equal(t, [2]int64{450, 0}, files["src/kernels/mul.cc"])
}

// (c) -Os against -O2: every kernel shrinks; the totals match binutils'
// text and data columns (EXPECTED.md: text -2040, data +16).
func TestOsAgainstO2(t *testing.T) {
	base, os := loadVariant(t, "base"), loadVariant(t, "os")
	d := Compare(base, os, report.KeyComponent)
	assert.Equal(t, int64(-2040+16), d.FlashDelta)
	assert.Zero(t, d.RAMDelta)
	assert.Equal(t, map[string][2]int64{
		"tflm/kernel/DEPTHWISE_CONV_2D": {-436, 0},
		"tflm/kernel/CONV_2D":           {-426, 0},
		"tflm/runtime":                  {-317, 0},
		"tflm/kernel/FULLY_CONNECTED":   {-298, 0},
		"tflm/kernel/ADD":               {-260, 0},
		"tflm/kernel/QUANTIZE":          {-180, 0},
		"tflm/kernel/RESHAPE":           {-148, 0},
		"libc":                          {96, 0}, // -Os calls memcmp instead of inlining it
		"app":                           {-35, 0},
		"tflm/kernel/SOFTMAX":           {-20, 0},
		"model":                         {4, 0},
		"startup":                       {-4, 0},
	}, deltas(d))
	sections := deltas(Compare(base, os, report.KeySection))
	assert.Equal(t, map[string][2]int64{".text": {-2008, 0}, ".rodata": {-32, 0}, ".fw_info": {16, 0}}, sections)
	syms := Compare(base, os, report.KeySymbol)
	assert.Equal(t, Added, statuses(syms)["memcmp"])
	var sum [2]int64
	for _, c := range syms.Changes {
		sum[0] += c.FlashDelta
		sum[1] += c.RAMDelta
	}
	assert.Equal(t, [2]int64{d.FlashDelta, d.RAMDelta}, sum, "symbol rows add up to the totals")
}

// (d) A bigger model: the model component grows by exactly the flatbuffer
// growth, the arena in app by the arena growth.
func TestBigModel(t *testing.T) {
	base, big := loadVariant(t, "base"), loadVariant(t, "bigmodel")
	d := Compare(base, big, report.KeyComponent)
	assert.Equal(t, map[string][2]int64{"model": {16096, 0}, "app": {0, 6992}}, deltas(d))
	assert.Equal(t, int64(16096), d.FlashDelta)
	assert.Equal(t, int64(6992), d.RAMDelta)
	assert.Equal(t, map[string][2]int64{"g_model": {16096, 0}, "tensor_arena": {0, 6992}},
		deltas(Compare(base, big, report.KeySymbol)))
}

func TestRenderFormats(t *testing.T) {
	d := Compare(loadVariant(t, "base"), loadVariant(t, "extra-kernel"), report.KeyComponent)

	var table bytes.Buffer
	require.NoError(t, d.Render(&table, report.FormatTable, 2))
	assert.Equal(t, `COMPONENT        STATUS  OLD FLASH  NEW FLASH  Δ FLASH  OLD RAM  NEW RAM  Δ RAM
tflm/kernel/MUL  added           0        452     +452        0        0      0
app              grown        1908       1944      +36     7628     7628      0
[others: 1]                   2712       2708       -4        0        0      0
TOTAL                        32996      33480     +484     8192     8192      0
3 changed, 13 unchanged
`, table.String())

	var js bytes.Buffer
	require.NoError(t, d.Render(&js, report.FormatJSON, 0))
	var got struct {
		Schema     string   `json:"schema"`
		FlashDelta int64    `json:"flash_delta"`
		Changes    []Change `json:"changes"`
	}
	require.NoError(t, json.Unmarshal(js.Bytes(), &got))
	assert.Equal(t, Schema, got.Schema)
	assert.Equal(t, int64(484), got.FlashDelta)
	assert.Equal(t, d.Changes, got.Changes)

	var c bytes.Buffer
	require.NoError(t, d.Render(&c, report.FormatCSV, 1))
	rows, err := csv.NewReader(&c).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 4, "CSV keeps every change")
	assert.Equal(t, []string{"tflm/kernel/MUL", "added", "0", "452", "452", "0", "0", "0"}, rows[1])

	var md bytes.Buffer
	require.NoError(t, d.Render(&md, report.FormatMarkdown, 0))
	assert.Contains(t, md.String(), "| flash | 32.2 KiB | 32.7 KiB | +484 B (+1.47%) |")
	assert.Contains(t, md.String(), "| tflm/kernel/MUL | added | 452 | +452 | 0 | 0 |")
}
