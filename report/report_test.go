package report

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func samplePieces() []Piece {
	return []Piece{
		{Section: ".text", Symbol: "main", Component: "app", Size: 100, Flash: 100},
		{Section: ".text", Symbol: "memcpy", Component: "libc", Size: 40, Flash: 40},
		{Section: ".data", Symbol: "counter", Component: "app", Size: 4, Flash: 4, RAM: 4},
		{Section: ".bss", Symbol: "buf", File: "main.c", Component: "app", Size: 1000, RAM: 1000},
	}
}

func TestGroupKeepsTotals(t *testing.T) {
	pieces := samplePieces()
	want := SumPieces(pieces)
	for _, k := range Keys {
		var got Totals
		for _, r := range Group(pieces, k) {
			got.Flash += r.Flash
			got.RAM += r.RAM
		}
		assert.Equal(t, want, got, "group by %s", k)
	}
	rows := Group(pieces, KeyComponent)
	require.Len(t, rows, 2)
	assert.Equal(t, Row{Name: "app", Flash: 104, RAM: 1004, Pieces: 3}, rows[0])
	assert.Equal(t, "[no file]", Group(pieces, KeyFile)[1].Name)
}

func TestTopFoldsOthers(t *testing.T) {
	rows := Group(samplePieces(), KeySymbol)
	top := Top(rows, 1)
	require.Len(t, top, 2)
	assert.Equal(t, "buf", top[0].Name)
	assert.Equal(t, Row{Name: "[others: 3]", Flash: 144, RAM: 4, Pieces: 3}, top[1])
	assert.Equal(t, rows, Top(rows, 0))
	assert.Equal(t, rows, Top(rows, 10))
}

func TestRenderFormats(t *testing.T) {
	r := &Report{Schema: Schema, Pieces: samplePieces(), Berkeley: Berkeley{Text: 140, Data: 4, BSS: 1000}}
	r.Totals = SumPieces(r.Pieces)
	v := NewView(r, KeyComponent, 0)
	for _, f := range Formats {
		var b bytes.Buffer
		require.NoError(t, v.Render(&b, f), f)
		assert.Contains(t, b.String(), "libc", f)
	}
	var b bytes.Buffer
	require.NoError(t, v.Render(&b, FormatJSON))
	var back View
	require.NoError(t, json.Unmarshal(b.Bytes(), &back))
	assert.Equal(t, r.Pieces, back.Pieces)
	assert.Equal(t, v.Rows, back.Rows)
	assert.Equal(t, Schema, back.Schema)

	b.Reset()
	require.NoError(t, v.Render(&b, FormatMarkdown))
	assert.Contains(t, b.String(), "| **total** | 144 | 144 B | 1004 | 1004 B |")

	b.Reset()
	require.NoError(t, v.Render(&b, FormatTable))
	assert.Equal(t, `COMPONENT  FLASH          RAM
app          104  104 B  1004  1004 B
libc          40   40 B     0     0 B
TOTAL        144  144 B  1004  1004 B
berkeley: text 140  data 4  bss 1000  dec 1144
`, b.String())
}

func TestShorten(t *testing.T) {
	assert.Equal(t, "abc", shorten("abc", 5))
	assert.Equal(t, "ab...", shorten("abcdefgh", 5))
	assert.Equal(t, "éé...", shorten("éééééé", 5))
}

func TestHuman(t *testing.T) {
	assert.Equal(t, "0 B", Human(0))
	assert.Equal(t, "1023 B", Human(1023))
	assert.Equal(t, "1.0 KiB", Human(1024))
	assert.Equal(t, "1.5 MiB", Human(3<<19))
}

// TestMarkdownEscape checks that names cannot split a table cell or turn
// into emphasis, code or HTML, even with backslashes of their own.
func TestMarkdownEscape(t *testing.T) {
	assert.Equal(t, `a\_b\*c \| d\\\| e &lt;f\`+"`g", MarkdownEscape("a_b*c | d\\| e <f`g"))
	assert.Equal(t, `C:\\src\\\_start.c`, MarkdownEscape(`C:\src\_start.c`))
}
