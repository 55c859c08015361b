package builddiff

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/footprint-dev/footprint/report"
)

func TestNormalizeSymbol(t *testing.T) {
	for in, want := range map[string]string{
		"foo.constprop.0":            "foo",
		"foo.isra.3":                 "foo",
		"foo.part.12":                "foo",
		"foo.lto_priv.0":             "foo",
		"foo.cold":                   "foo",
		"foo.isra.0.constprop.2":     "foo",
		"foo.part.0.cold":            "foo",
		"__sinit.part.0":             "__sinit",
		"ns::f(int) [clone .isra.0]": "ns::f(int)",
		"ns::f(int) [clone .constprop.1] [clone .cold]": "ns::f(int)",
		".LC12":           ".LC*",
		".LANCHOR3":       ".LANCHOR*",
		"foo.bar":         "foo.bar",
		"[padding]":       "[padding]",
		".text.startup":   ".text.startup",
		"version.1.2":     "version.1.2",
		"x.constprop":     "x",
		"ns::cold_path()": "ns::cold_path()",
	} {
		assert.Equal(t, want, NormalizeSymbol(in), in)
	}
}

func piece(section, symbol, file string, flash, ram uint64) report.Piece {
	return report.Piece{Section: section, Symbol: symbol, File: file, Component: "app", Size: max(flash, ram), Flash: flash, RAM: ram}
}

func build(pieces ...report.Piece) *report.Report {
	return &report.Report{Pieces: pieces, Totals: report.SumPieces(pieces)}
}

// A renumbered clone is one unchanged function, not a removal plus an
// addition.
func TestRenumberedCloneMatches(t *testing.T) {
	old := build(piece(".text", "f(int) [clone .constprop.0]", "a.cc", 40, 0), piece(".text", "g.part.1", "a.cc", 8, 0))
	new := build(piece(".text", "f(int) [clone .constprop.3]", "a.cc", 40, 0), piece(".text", "g.part.0", "a.cc", 10, 0))
	d := Compare(old, new, report.KeySymbol)
	assert.Equal(t, []Change{{Name: "g", Status: Grown, Old: report.Totals{Flash: 8}, New: report.Totals{Flash: 10}, FlashDelta: 2}}, d.Changes)
	assert.Equal(t, 1, d.Unchanged)
}

// Static functions of the same name in different files stay apart, named
// by their file, and a changed one is reported alone.
func TestStaticsToldApartByFile(t *testing.T) {
	old := build(piece(".text", "init", "/b1/src/a.c", 10, 0), piece(".text", "init", "/b1/src/b.c", 20, 0))
	new := build(piece(".text", "init", "/b2/src/a.c", 10, 0), piece(".text", "init", "/b2/src/b.c", 24, 0))
	d := Compare(old, new, report.KeySymbol)
	assert.Equal(t, []Change{{Name: "init (b.c)", Status: Grown, Old: report.Totals{Flash: 20}, New: report.Totals{Flash: 24}, FlashDelta: 4}}, d.Changes)
}

// Anonymous literals group per section and unit, and a path that moved
// with the build directory pairs with its old self.
func TestFilesPairAcrossBuildDirectories(t *testing.T) {
	old := build(piece(".rodata", "[.rodata: unattributed]", "/ci/run1/gen/model.cc", 12, 0), piece(".text", "main", "src/main.c", 4, 0))
	new := build(piece(".rodata", "[.rodata: unattributed]", "/ci/run2/gen/model.cc", 12, 0), piece(".text", "main", "src/main.c", 4, 0))
	for _, k := range []report.Key{report.KeyFile, report.KeySymbol} {
		d := Compare(old, new, k)
		assert.Empty(t, d.Changes, "by %s", k)
	}
}

func TestPairPathsAmbiguous(t *testing.T) {
	// Two old and two new x.c with nothing but the base name in common:
	// no pairing is safer than a wrong one.
	assert.Empty(t, pairPaths([]string{"p/x.c", "q/x.c"}, []string{"r/x.c", "s/x.c"}))
	assert.Empty(t, pairPaths([]string{"p/x.c", "q/x.c"}, []string{"r/x.c"}))
	assert.Equal(t, map[string]string{"o/a/x.c": "n/a/x.c", "o/b/x.c": "n/b/x.c"},
		pairPaths([]string{"o/a/x.c", "o/b/x.c"}, []string{"n/a/x.c", "n/b/x.c"}))
}

func TestAddedRemovedAndOrder(t *testing.T) {
	old := build(piece(".text", "gone", "a.c", 100, 0), piece(".bss", "buf", "a.c", 0, 64))
	new := build(piece(".text", "fresh", "a.c", 30, 0), piece(".bss", "buf", "a.c", 0, 32))
	d := Compare(old, new, report.KeySymbol)
	assert.Equal(t, []string{"gone", "buf", "fresh"}, []string{d.Changes[0].Name, d.Changes[1].Name, d.Changes[2].Name})
	assert.Equal(t, []Status{Removed, Shrunk, Added}, []Status{d.Changes[0].Status, d.Changes[1].Status, d.Changes[2].Status})
	assert.Equal(t, int64(-70), d.FlashDelta)
	assert.Equal(t, int64(-32), d.RAMDelta)
}
