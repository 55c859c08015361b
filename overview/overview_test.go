package overview

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/linkmap"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

const m4fDir = "../testdata/firmware/out/cortex-m4f"

// loadFirmware attributes an ELF as `footprint size` does: symbols, files,
// components, and with a GNU ld map, objects and region usage.
func loadFirmware(tb testing.TB, elf, mapFile string) *report.Report {
	tb.Helper()
	rep, err := elfsize.Open(elf, elfsize.Options{Files: true, Demangle: true, ModelOps: elfsize.TFLiteOps})
	require.NoError(tb, err)
	if mapFile != "" {
		f, err := os.Open(mapFile)
		require.NoError(tb, err)
		defer f.Close()
		m, err := linkmap.Parse(f, mapFile, linkmap.Options{})
		require.NoError(tb, err)
		linkmap.Annotate(rep, m)
		linkmap.AssignRegions(rep, m.Regions)
		for _, u := range linkmap.Usage(m.Regions, m.OutputSections, linkmap.KindsFromReport(rep)) {
			rep.Regions = append(rep.Regions, report.RegionUsage{Name: u.Name, Origin: u.Origin, Length: u.Length,
				Used: u.Used, Percent: u.Percent(), HighWater: u.HighWater, Sections: u.Sections})
		}
	}
	require.NoError(tb, component.Assign(rep, nil))
	return rep
}

// helloArena analyses hello_world (the model the test firmware's 1200-byte
// tensor_arena is sized for) against rep.
func helloArena(t *testing.T, rep *report.Report, opts ArenaOptions) (*Arena, error) {
	t.Helper()
	path := sharedtest.ModelPath(t, "hello_world__hello_world_int8")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	return AnalyzeArena(filepath.Base(path), m, rep.Pieces, opts)
}

// m4fDocument is the report on the M4F test firmware with its map and
// hello_world's arena.
func m4fDocument(t *testing.T) *Document {
	t.Helper()
	rep := loadFirmware(t, filepath.Join(m4fDir, "firmware.elf"), filepath.Join(m4fDir, "firmware.map"))
	arena, err := helloArena(t, rep, ArenaOptions{Target: tflmarena.CortexM})
	require.NoError(t, err)
	return New(rep, arena, nil)
}

func TestNewAddsUp(t *testing.T) {
	rep := loadFirmware(t, filepath.Join(m4fDir, "firmware.elf"), filepath.Join(m4fDir, "firmware.map"))
	d := New(rep, nil, nil)
	assert.Equal(t, Schema, d.Schema)
	assert.Equal(t, report.Totals{Flash: 32996, RAM: 8192}, d.Totals)
	assert.Nil(t, d.Arena)
	require.Len(t, d.Regions, 3)
	assert.Equal(t, "FLASH", d.Regions[0].Name)

	var sum report.Totals
	for i, c := range d.Components {
		sum.Flash += c.Flash
		sum.RAM += c.RAM
		var symbols uint64
		for _, s := range c.Symbols {
			symbols += s.Flash
		}
		assert.Equal(t, c.Flash, symbols, "symbols of %s add up to its flash", c.Name)
		if i > 0 {
			assert.GreaterOrEqual(t, d.Components[i-1].Flash, c.Flash, "largest flash first")
		}
	}
	assert.Equal(t, d.Totals, sum, "components add up to the totals")
	assert.Equal(t, "libc", d.Components[0].Name)

	// libc's long tail is folded: nothing kept is below 0.2 % of flash
	// (66 bytes), and one entry sums the rest.
	libc := d.Components[0].Symbols
	last := libc[len(libc)-1]
	assert.True(t, strings.HasPrefix(last.Name, "[others: "), last.Name)
	for _, s := range libc[:len(libc)-1] {
		assert.GreaterOrEqual(t, s.Flash, uint64(65), s.Name)
	}

	var ram uint64
	for _, s := range d.RAMSections {
		ram += s.RAM
	}
	assert.Equal(t, d.Totals.RAM, ram, "RAM sections add up to the RAM total")
	assert.Equal(t, ".data", d.RAMSections[0].Name)
}

func TestFold(t *testing.T) {
	syms := []Symbol{{"a", 100}, {"b", 50}, {"c", 9}, {"d", 8}, {"e", 1}}
	assert.Equal(t, []Symbol{{"a", 100}, {"b", 50}, {"[others: 3]", 18}}, fold(syms, 10))
	// One small symbol is not worth an "[others: 1]".
	assert.Equal(t, syms[:3], fold(syms[:3], 10))
	assert.Equal(t, []Symbol{{"[others: 2]", 150}}, fold(syms[:2], 1000))
	assert.Empty(t, fold(nil, 10))
}

func TestAnalyzeArena(t *testing.T) {
	rep := loadFirmware(t, filepath.Join(m4fDir, "firmware.elf"), "")
	a, err := helloArena(t, rep, ArenaOptions{})
	require.NoError(t, err)
	assert.Equal(t, "best", a.Plan.Planner)
	assert.Equal(t, "cortex-m", a.TFLM.Target)
	assert.Equal(t, int64(32), a.Plan.LowerBound)
	assert.Equal(t, int64(32), a.Plan.ArenaBytes)
	assert.Len(t, a.Plan.Planners, 3)
	assert.Equal(t, int64(1068), a.TFLM.MinArenaBytes)
	assert.Equal(t, int64(676), a.TFLM.ArenaUsedBytes)
	require.NotNil(t, a.Firmware)
	assert.Equal(t, "tensor_arena", a.Firmware.Symbol)
	assert.Equal(t, int64(1200), a.Firmware.Usable)
	assert.Equal(t, tflmarena.ArenaFits, a.Firmware.Status)

	a, err = helloArena(t, rep, ArenaOptions{Planner: "linear", Target: tflmarena.Host64})
	require.NoError(t, err)
	assert.Equal(t, int64(64), a.Plan.ArenaBytes)
	assert.Equal(t, int64(1608), a.TFLM.MinArenaBytes)
	assert.Equal(t, tflmarena.ArenaTooSmall, a.Firmware.Status)

	_, err = helloArena(t, rep, ArenaOptions{Symbol: "nope", Target: tflmarena.CortexM})
	assert.ErrorContains(t, err, `no RAM symbol named "nope"`)
	_, err = helloArena(t, rep, ArenaOptions{Planner: "fastest", Target: tflmarena.CortexM})
	assert.ErrorContains(t, err, `unknown planner "fastest"`)

	// No firmware, or a firmware without an arena buffer: no check.
	var noArena []report.Piece
	for _, p := range rep.Pieces {
		if p.Symbol != "tensor_arena" {
			noArena = append(noArena, p)
		}
	}
	for _, pieces := range [][]report.Piece{nil, noArena} {
		a, err = helloArena(t, &report.Report{Pieces: pieces}, ArenaOptions{Target: tflmarena.CortexM})
		require.NoError(t, err)
		assert.Nil(t, a.Firmware)
	}
	out := render(t, New(&report.Report{Pieces: noArena}, a, nil), FormatText)
	assert.Contains(t, out, "no tensor arena buffer: no RAM symbol's name contains \"arena\"\n")
	assert.NotContains(t, out, "firmware ")
}

func TestArenaChart(t *testing.T) {
	spans := []span{
		{Name: "a", Label: "#0 a", Offset: 0, Size: 32, First: 1, Last: 2},
		{Name: "b", Label: "#1 b", Offset: 32, Size: 16, First: 2, Last: 5},
		{Name: "unused", Offset: 0, Size: 16, First: -1, Last: -1},
	}
	c := newArenaChart("t", spans, 48, "lower bound")
	require.Len(t, c.Buffers, 2)
	assert.Equal(t, "1 buffers that are never alive are not drawn", c.Note)
	plot := Rect{X: c.PlotX, Y: c.PlotY, W: c.PlotW, H: c.PlotH}
	a, b := c.Buffers[0].Rect, c.Buffers[1].Rect
	assert.InDelta(t, plot.X, a.X, 1e-9, "steps 1-5: a starts at the left edge")
	assert.InDelta(t, plot.W*2/5, a.W, 1e-9, "a lives 2 of 5 steps")
	assert.InDelta(t, plot.Y+plot.H, a.Y+a.H, 1e-9, "offset 0 at the bottom")
	assert.InDelta(t, plot.Y, b.Y, 1e-9, "b ends at the top, 48 bytes")
	assert.InDelta(t, plot.X+plot.W, b.X+b.W, 1e-9)
	assert.InDelta(t, c.PlotY, c.BoundY, 1e-9)
	assert.Equal(t, "lower bound 48", c.BoundLabel)
	assert.Contains(t, c.Buffers[1].Title, "b\n16 bytes (0 used) at offset 32-48, steps 2-5")

	c = newArenaChart("t", spans[2:], 0, "lower bound")
	assert.Empty(t, c.Buffers)
	assert.Equal(t, "nothing to draw: no buffer is alive at any step", c.Note)
}

func render(t *testing.T, d *Document, f Format) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, d.Render(&b, f))
	return b.String()
}

func TestRenderText(t *testing.T) {
	out := render(t, m4fDocument(t), FormatText)
	for _, want := range []string{
		"file      ../testdata/firmware/out/cortex-m4f/firmware.elf (ELF32, little-endian, EM_ARM)\n",
		"flash     32996 (32.2 KiB)\n",
		"model     g_model in .rodata, 2704 bytes, ops: FULLY_CONNECTED\n",
		"FLASH   32996 (32.2 KiB)    1.0 MiB  3.1 %       33000\n",
		"libc                            9341  28.3 %   523\n",
		"TOTAL                          32996          8192\n",
		"._user_heap_stack  0x200007c8  6144   75.0 %  no contents (bss, noinit, heap, stack)\n",
		"TFLM kTensorArenaSize            1068  smallest arena AllocateTensors() accepts\n",
		"firmware tensor_arena (usable)   1200  fits: tensor_arena holds 1200 usable bytes; the model needs 1068 (132 spare)\n",
	} {
		assert.Contains(t, out, want)
	}
}

func TestRenderMarkdown(t *testing.T) {
	out := render(t, m4fDocument(t), FormatMarkdown)
	assert.True(t, strings.HasPrefix(out, "## footprint report: `../testdata/firmware/out/cortex-m4f/firmware.elf`\n"), out)
	assert.Contains(t, out, "### Flash and RAM by component\n\n| component | flash | share | RAM |\n|:--|--:|--:|--:|\n| libc | 9341 |")
	assert.Contains(t, out, `| tflm/kernel/CONV\_2D |`)
	assert.Contains(t, out, "| **total** | **32996** |  | **8192** |")
	assert.Contains(t, out, "### Tensor arena: hello\\_world\\_\\_hello\\_world\\_int8.tflite (cortex-m)")
}

func TestParseFormat(t *testing.T) {
	for _, f := range []Format{FormatText, FormatJSON, FormatMarkdown, FormatHTML} {
		got, ok := ParseFormat(string(f))
		assert.True(t, ok, f)
		assert.Equal(t, f, got)
	}
	for _, s := range []string{"", "table", "csv", "HTML"} {
		_, ok := ParseFormat(s)
		assert.False(t, ok, s)
	}
}

func TestRenderJSON(t *testing.T) {
	d := m4fDocument(t)
	out := render(t, d, FormatJSON)
	var back Document
	require.NoError(t, json.Unmarshal([]byte(out), &back))
	assert.Equal(t, d.Totals, back.Totals)
	assert.Equal(t, d.Components, back.Components)
	require.NotNil(t, back.Arena)
	assert.Equal(t, d.Arena.Plan.Tensors, back.Arena.Plan.Tensors)
	assert.Equal(t, d.Arena.TFLM.MinArenaBytes, back.Arena.TFLM.MinArenaBytes)

	var raw map[string]any
	require.NoError(t, json.Unmarshal([]byte(out), &raw))
	assert.Equal(t, "footprint.report/v1", raw["schema"])
	for _, key := range []string{"file", "totals", "berkeley", "regions", "components", "ram_sections", "models", "warnings", "arena"} {
		assert.Contains(t, raw, key)
	}
	// Without a model or regions the lists are [] and the arena absent.
	out = render(t, New(&report.Report{File: "x.elf"}, nil, nil), FormatJSON)
	assert.Contains(t, out, `"regions": []`)
	assert.Contains(t, out, `"components": []`)
	assert.NotContains(t, out, `"arena"`)
}

// checkHTML asserts that page is well-formed (parsed as XML, strictly) and
// self-contained: no scripts, no links, nothing loaded from a URL.
func checkHTML(t *testing.T, page string) {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(page))
	dec.Strict = true
	elements := 0
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		require.NoError(t, err, "the page is well-formed")
		if se, ok := tok.(xml.StartElement); ok {
			elements++
			assert.NotContains(t, []string{"script", "link", "img", "iframe", "object", "embed", "use", "image", "foreignObject"}, se.Name.Local)
			for _, a := range se.Attr {
				assert.NotContains(t, []string{"src", "href", "srcset", "xlink:href"}, strings.ToLower(a.Name.Local), "attribute of <%s>", se.Name.Local)
				assert.False(t, strings.HasPrefix(strings.ToLower(a.Name.Local), "on"), "event handler %s", a.Name.Local)
			}
		}
	}
	assert.Greater(t, elements, 10)
	for _, bad := range []string{"url(", "@import", "@font-face", "<script"} {
		assert.NotContains(t, page, bad)
	}
}

func TestRenderHTML(t *testing.T) {
	d := m4fDocument(t)
	page := render(t, d, FormatHTML)
	checkHTML(t, page)
	assert.NotContains(t, page, "http", "no URLs at all")
	assert.True(t, strings.HasPrefix(page, "<!DOCTYPE html>\n"))
	assert.Less(t, len(page), 200_000, "the page stays small")
	t.Logf("HTML for the M4F firmware and hello_world: %d bytes", len(page))

	assert.Contains(t, page, "<h2>Flash and RAM by component</h2>")
	assert.Contains(t, page, "<title>libc\n9341 (9.1 KiB) of flash (28.3 %)</title>")
	assert.Contains(t, page, "<h2>Plan by best: 32 bytes for 4 tensors</h2>")
	assert.Contains(t, page, "<title>StatefulPartitionedCall:0\n16 bytes (1 used) at offset 0-16, step 3</title>")
	assert.Contains(t, page, "<h2>TFLM&#39;s greedy head: 32 bytes for 4 buffers (tensors and kernel scratch)</h2>")
	assert.Contains(t, page, ">firmware tensor_arena (usable)</text>")
	assert.Equal(t, 3, strings.Count(page, "<title>FLASH: ")+strings.Count(page, "<title>RAM: ")+strings.Count(page, "<title>CCMRAM: "), "a bar per region")
}

// TestRenderHTMLEscapes feeds hostile names through every part of the page.
func TestRenderHTMLEscapes(t *testing.T) {
	evil := `</title><script>alert("x")</script><a href="http://e.vil/">&`
	rep := &report.Report{File: evil, Totals: report.Totals{Flash: 100, RAM: 10},
		Sections: []report.Section{{Name: evil, Alloc: true, RAM: 10, Berkeley: "bss"}},
		Pieces: []report.Piece{
			{Section: ".text", Symbol: evil, Component: evil, Size: 60, Flash: 60},
			{Section: ".text", Symbol: "main", Component: "app", Size: 40, Flash: 40},
			{Section: evil, Symbol: evil, Component: "app", Size: 10, RAM: 10},
		},
		Regions:  []report.RegionUsage{{Name: evil, Length: 100, Used: 100, Percent: 100}},
		Warnings: []string{evil},
	}
	page := render(t, New(rep, nil, nil), FormatHTML)
	checkHTML(t, page)
	assert.NotContains(t, page, `<a href`)
	assert.Contains(t, page, "&lt;/title&gt;&lt;script&gt;")
}

// TestTreemapNests checks the flash picture of the M4F firmware: the
// components tile the picture, each symbol lies inside its component, and
// the tiles' areas follow the bytes.
func TestTreemapNests(t *testing.T) {
	d := m4fDocument(t)
	v := d.treemap()
	bounds := Rect{W: v.W, H: v.H}
	var area float64
	for _, g := range v.Groups {
		area += g.Area()
		assert.LessOrEqual(t, g.X+g.W, bounds.W+1e-6)
		assert.LessOrEqual(t, g.Y+g.H, bounds.H+1e-6)
		for _, c := range g.Children {
			assert.GreaterOrEqual(t, c.X, g.X-1e-6, c.Title)
			assert.GreaterOrEqual(t, c.Y, g.Y-1e-6, c.Title)
			assert.LessOrEqual(t, c.X+c.W, g.X+g.W+1e-6, c.Title)
			assert.LessOrEqual(t, c.Y+c.H, g.Y+g.H+1e-6, c.Title)
		}
	}
	assert.InDelta(t, bounds.Area(), area, 1e-6*bounds.Area())
	// libc is 28.3 % of flash and the largest tile.
	assert.InDelta(t, 0.283, v.Groups[0].Area()/bounds.Area(), 0.001)
	assert.Contains(t, v.Groups[0].Title, "libc")
}

func TestNiceTicks(t *testing.T) {
	assert.Equal(t, []float64{0, 1, 2, 3}, niceTicks(0, 3, 12))
	assert.Equal(t, []float64{0, 20000, 40000}, niceTicks(0, 55296, 5))
	assert.Equal(t, []float64{5}, niceTicks(5, 5, 5))
}

// BenchmarkRenderHTML renders the page for a big executable (node, when
// installed) and for the M4F firmware; attribution is done once, outside
// the timing.
func BenchmarkRenderHTML(b *testing.B) {
	for _, tc := range []struct{ name, elf, mapFile string }{
		{"m4f", filepath.Join(m4fDir, "firmware.elf"), filepath.Join(m4fDir, "firmware.map")},
		{"node", "/usr/bin/node", ""},
	} {
		b.Run(tc.name, func(b *testing.B) {
			if _, err := os.Stat(tc.elf); err != nil {
				b.Skipf("%s not present", tc.elf)
			}
			rep := loadFirmware(b, tc.elf, tc.mapFile)
			var size int
			b.ReportAllocs()
			for b.Loop() {
				var buf bytes.Buffer
				if err := New(rep, nil, nil).Render(&buf, FormatHTML); err != nil {
					b.Fatal(err)
				}
				size = buf.Len()
			}
			b.ReportMetric(float64(size), "html-bytes")
			b.ReportMetric(float64(len(rep.Pieces)), "pieces")
		})
	}
}
