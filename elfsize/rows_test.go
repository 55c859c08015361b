package elfsize

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

// TestRowsMatchPieces checks AnalyzeRows against Analyze on every test
// ELF, the synthetic ones and the large C++ binaries present: the same
// report but for the pieces, and rows that sum the pieces by raw name.
func TestRowsMatchPieces(t *testing.T) {
	paths, err := filepath.Glob("../testdata/firmware/out/*/*.elf")
	require.NoError(t, err)
	more, err := filepath.Glob("../testdata/firmware/out/variants/*/*.elf")
	require.NoError(t, err)
	paths = append(paths, more...)
	require.NotEmpty(t, paths)
	if !testing.Short() {
		for _, p := range largeCXXELFs {
			if _, err := os.Stat(p); err == nil {
				paths = append(paths, p)
			}
		}
	}
	opts := Options{ModelOps: TFLiteOps}
	for _, path := range paths {
		t.Run(path, func(t *testing.T) {
			want, err := Open(path, opts)
			require.NoError(t, err)
			got, rows, err := OpenRows(path, opts)
			require.NoError(t, err)
			compareRows(t, want, got, rows)
		})
	}
	for _, class := range []elf.Class{elf.ELFCLASS32, elf.ELFCLASS64} {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			data := synthFirmware(class, bo)
			want := analyzeBytes(t, data, opts)
			got, rows, err := AnalyzeRows(bytes.NewReader(data), int64(len(data)), opts)
			require.NoError(t, err)
			compareRows(t, want, got, rows)
			require.Len(t, got.Models, 1, "the model is found and named")
			assert.Equal(t, "g_model", got.Models[0].Symbol)
		}
	}
}

// compareRows checks rows and the report without pieces against the
// report with them.
func compareRows(t *testing.T, want, got *report.Report, rows []report.Row) {
	t.Helper()
	assert.Empty(t, got.Pieces)
	assert.Equal(t, want.Totals, got.Totals)
	assert.Equal(t, want.Sections, got.Sections)
	assert.Equal(t, want.Models, got.Models)
	assert.Equal(t, want.Warnings, got.Warnings)
	sum := func(m map[string]report.Row, name string, flash, ram uint64, pieces int) {
		r := m[name]
		r.Flash += flash
		r.RAM += ram
		r.Pieces += pieces
		m[name] = r
	}
	wantRows, gotRows := map[string]report.Row{}, map[string]report.Row{}
	for _, p := range want.Pieces {
		sum(wantRows, p.Symbol, p.Flash, p.RAM, 1)
	}
	for _, r := range rows {
		sum(gotRows, r.Name, r.Flash, r.RAM, r.Pieces)
	}
	assert.Equal(t, len(wantRows), len(gotRows))
	for name, w := range wantRows {
		if w != gotRows[name] {
			assert.Equal(t, w, gotRows[name], name)
		}
	}
}

func TestRowsBadInput(t *testing.T) {
	good := synthFirmware(elf.ELFCLASS32, binary.LittleEndian)
	for _, n := range []int{0, 20, 60, len(good) / 2, len(good) - 1} {
		_, _, err := AnalyzeRows(bytes.NewReader(good[:n]), int64(n), Options{})
		assert.Error(t, err, "truncated at %d", n)
	}
	_, _, err := OpenRows("testdata/no such file", Options{})
	assert.Error(t, err)
}
