package footprint

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

// testBuilds returns every test ELF with its map when it has one, and node
// when present (not with -short).
func testBuilds(t *testing.T) []Build {
	t.Helper()
	elfs, err := filepath.Glob("testdata/firmware/out/*/firmware.elf")
	require.NoError(t, err)
	variants, err := filepath.Glob("testdata/firmware/out/variants/*/firmware.elf")
	require.NoError(t, err)
	elfs = append(elfs, variants...)
	require.NotEmpty(t, elfs)
	var builds []Build
	for _, e := range elfs {
		b := Build{ELF: e}
		if m := strings.TrimSuffix(e, ".elf") + ".map"; fileExists(m) {
			b.Map = m
		}
		builds = append(builds, b)
	}
	if fileExists(nodeELF) && !testing.Short() {
		builds = append(builds, Build{ELF: nodeELF})
	}
	return builds
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// render writes the rows by k, cut to top, in format f.
func render(t *testing.T, a *Analysis, k report.Key, top int, f report.Format) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, a.View(k, top).Render(&b, f))
	return b.String()
}

// TestRowsOnlyMatchesFull is the old-against-new output test: for every
// test ELF, every key, the row formats and several cuts, the rows read
// with Show.RowsOnly (raw names shown only where printed, whole sections
// for section and region) print exactly what the full attribution prints,
// with the same totals, models, regions and warnings.
func TestRowsOnlyMatchesFull(t *testing.T) {
	ctx := context.Background()
	for _, b := range testBuilds(t) {
		t.Run(b.ELF, func(t *testing.T) {
			full, err := Analyze(ctx, b, Options{})
			require.NoError(t, err)
			keys := report.Keys
			if b.ELF == nodeELF {
				keys = []report.Key{report.KeySymbol, report.KeySection, report.KeyComponent}
			}
			for _, k := range keys {
				rows, err := Analyze(ctx, b, Options{Show: Show{RowsOnly: true, By: k}})
				require.NoError(t, err)
				assert.Equal(t, full.Totals, rows.Totals, "%s", k)
				assert.Equal(t, full.Models, rows.Models, "%s", k)
				assert.Equal(t, full.Regions, rows.Regions, "%s", k)
				assert.Equal(t, full.Warnings, rows.Warnings, "%s", k)
				assert.Equal(t, full.Sections, rows.Sections, "%s", k)
				formats := []report.Format{report.FormatTable, report.FormatMarkdown, report.FormatCSV}
				if k == report.KeySection || k == report.KeyRegion {
					formats = formats[:2] // CSV counts pieces; the command reads them in full
				}
				for _, top := range []int{0, 1, 5, 20} {
					for _, f := range formats {
						assert.Equal(t, render(t, full, k, top, f), render(t, rows, k, top, f), "--by %s --top %d --format %s", k, top, f)
					}
				}
			}
		})
	}
}

func TestDiffAndCheck(t *testing.T) {
	ctx := context.Background()
	base := Build{ELF: "testdata/firmware/out/variants/base/firmware.elf"}
	head := Build{ELF: "testdata/firmware/out/variants/extra-kernel/firmware.elf"}
	d, as, err := Diff(ctx, base, head, report.KeyComponent, Options{})
	require.NoError(t, err)
	require.Len(t, as, 2)
	assert.Equal(t, int64(484), d.FlashDelta)

	_, err = Analyze(ctx, Build{ELF: base.ELF, Map: "missing.map"}, Options{})
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "map", ie.Input)
}
