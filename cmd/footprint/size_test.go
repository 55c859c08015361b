package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

// someELF returns an ELF file to analyse: the M4F test firmware when it is
// there, else this test binary itself.
func someELF(t *testing.T) string {
	t.Helper()
	if p := "../../testdata/firmware/out/cortex-m4f/firmware.elf"; fileExists(p) {
		return p
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	return exe
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

func runCLI(args ...string) (code int, stdout, stderr string) {
	var out, errOut bytes.Buffer
	code = run(args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func TestSizeFormats(t *testing.T) {
	elf := someELF(t)
	for _, by := range []string{"section", "symbol", "file", "component"} {
		code, out, errOut := runCLI("size", elf, "--by", by, "--top", "5")
		require.Equal(t, 0, code, errOut)
		assert.Contains(t, out, strings.ToUpper(by))
		assert.Contains(t, out, "TOTAL")
		assert.Contains(t, out, "berkeley: text")
	}
	code, out, _ := runCLI("size", elf, "--format", "csv", "--by", "section")
	require.Equal(t, 0, code)
	assert.True(t, strings.HasPrefix(out, "section,flash,ram,pieces\n"))
	code, out, _ = runCLI("size", elf, "--format", "markdown")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "| component | flash (bytes) |")
}

func TestSizeJSONAddsUp(t *testing.T) {
	code, out, errOut := runCLI("size", someELF(t), "--format", "json", "--by", "section", "--top", "3")
	require.Equal(t, 0, code, errOut)
	var v report.View
	require.NoError(t, json.Unmarshal([]byte(out), &v))
	assert.Equal(t, report.Schema, v.Schema)
	assert.Len(t, v.Rows, 4, "3 rows and the others row")
	var rows report.Totals
	for _, r := range v.Rows {
		rows.Flash += r.Flash
		rows.RAM += r.RAM
	}
	assert.Equal(t, v.Totals, rows, "rows add up to the totals")
	components := report.Group(v.Pieces, report.KeyComponent)
	rows = report.Totals{}
	for _, r := range components {
		rows.Flash += r.Flash
		rows.RAM += r.RAM
	}
	assert.Equal(t, v.Totals, rows, "components add up to the totals")
	assert.Equal(t, v.Totals, report.SumPieces(v.Pieces))
	for _, p := range v.Pieces {
		require.NotEmpty(t, p.Component)
	}
}

func TestSizeRulesFile(t *testing.T) {
	rules := filepath.Join(t.TempDir(), "rules.yaml")
	require.NoError(t, os.WriteFile(rules, []byte("rules:\n  - component: everything\n    section: '*'\n"), 0o644))
	code, out, errOut := runCLI("size", someELF(t), "--rules", rules)
	require.Equal(t, 0, code, errOut)
	lines := strings.Split(out, "\n")
	assert.True(t, strings.HasPrefix(lines[1], "everything "), out)
	assert.True(t, strings.HasPrefix(lines[2], "TOTAL "), out)
}

func TestSizeBadInput(t *testing.T) {
	dir := t.TempDir()
	notELF := filepath.Join(dir, "notes.txt")
	require.NoError(t, os.WriteFile(notELF, []byte("hello, not an ELF file\n"), 0o644))
	truncated := filepath.Join(dir, "truncated.elf")
	data, err := os.ReadFile(someELF(t))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(truncated, data[:200], 0o644))
	badRules := filepath.Join(dir, "rules.yaml")
	require.NoError(t, os.WriteFile(badRules, []byte("rules: [\n"), 0o644))
	elf := someELF(t)
	for name, args := range map[string][]string{
		"missing file":   {"size", filepath.Join(dir, "nope.elf")},
		"not an ELF":     {"size", notELF},
		"truncated":      {"size", truncated},
		"a directory":    {"size", dir},
		"bad --by":       {"size", elf, "--by", "colour"},
		"bad --format":   {"size", elf, "--format", "xml"},
		"negative --top": {"size", elf, "--top", "-1"},
		"bad rules file": {"size", elf, "--rules", badRules},
		"no file":        {"size"},
		"two files":      {"size", elf, elf},
		"unknown flag":   {"size", elf, "--bogus"},
		"missing rules":  {"size", elf, "--rules", filepath.Join(dir, "none.yaml")},
	} {
		code, out, errOut := runCLI(args...)
		assert.Equal(t, 2, code, name)
		assert.Empty(t, out, name)
		assert.Equal(t, 1, strings.Count(errOut, "\n"), "%s: one line: %q", name, errOut)
		assert.True(t, strings.HasPrefix(errOut, "footprint: "), name)
	}
}
