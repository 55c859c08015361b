package overview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// table is one table of the document, in a form every renderer draws:
// text and Markdown as columns, HTML as a <table>.
type table struct {
	Title  string
	Header []string
	// Right marks the columns aligned right (numbers).
	Right []bool
	Rows  [][]string
	// Total is a last row set apart (bold in Markdown and HTML); nil for none.
	Total []string
	// Notes are lines written under the table.
	Notes []string
}

// tables returns the document's tables in reading order: regions (when
// known), flash by component, RAM by section, the arena (with a model),
// the stack and the RAM need (with a stack analysis).
func (d *Document) tables() []table {
	var out []table
	if len(d.Regions) > 0 {
		t := table{Title: "Memory regions", Header: []string{"region", "used", "size", "use", "high water"},
			Right: []bool{false, true, true, true, true}}
		for _, r := range d.Regions {
			t.Rows = append(t.Rows, []string{r.Name, bytesHuman(r.Used), report.Human(r.Length),
				strconv.FormatFloat(r.Percent, 'f', 1, 64) + " %", strconv.FormatUint(r.HighWater, 10)})
		}
		out = append(out, t)
	}
	t := table{Title: "Flash and RAM by component", Header: []string{"component", "flash", "share", "RAM"},
		Right: []bool{false, true, true, true}}
	for _, c := range d.Components {
		t.Rows = append(t.Rows, []string{c.Name, strconv.FormatUint(c.Flash, 10), percent(c.Flash, d.Totals.Flash),
			strconv.FormatUint(c.RAM, 10)})
	}
	t.Total = []string{"total", strconv.FormatUint(d.Totals.Flash, 10), "", strconv.FormatUint(d.Totals.RAM, 10)}
	out = append(out, t)

	t = table{Title: "RAM by section", Header: []string{"section", "address", "RAM", "share", "kind"},
		Right: []bool{false, true, true, true, false}}
	var ram uint64
	for _, s := range d.RAMSections {
		ram += s.RAM
		t.Rows = append(t.Rows, []string{s.Name, fmt.Sprintf("0x%08x", s.Addr), strconv.FormatUint(s.RAM, 10),
			percent(s.RAM, d.Totals.RAM), sectionKind(s)})
	}
	t.Total = []string{"total", "", strconv.FormatUint(ram, 10), percent(ram, d.Totals.RAM), ""}
	out = append(out, t)

	if d.Arena != nil {
		t = table{Title: "Tensor arena: " + d.Arena.Model + " (" + d.Arena.TFLM.TargetText() + ")",
			Header: []string{"arena", "bytes", "note"}, Right: []bool{false, true, false}}
		for _, m := range d.Arena.measures() {
			t.Rows = append(t.Rows, []string{m.Label, strconv.FormatInt(m.Bytes, 10), m.Note})
		}
		out = append(out, t)
	}
	if d.Stack != nil {
		out = append(out, stackTable(d.Stack))
	}
	if d.RAM != nil {
		out = append(out, d.RAM.ramTable(d.Stack))
	}
	return out
}

// sectionKind says what a RAM section holds: initialised data copied from
// flash, or zeroed/uninitialised space.
func sectionKind(s report.Section) string {
	if s.Berkeley == "bss" {
		return "no contents (bss, noinit, heap, stack)"
	}
	if s.Flash > 0 {
		return "initialised from flash"
	}
	return "initialised"
}

// measure is one arena size worth comparing: the lower bound, a plan, what
// TFLM needs, what the firmware reserves.
type measure struct {
	Label string
	Bytes int64
	Note  string
	// Kind groups measures for the HTML bar colours: "bound", "plan",
	// "tflm" or "firmware/" and the verdict on the buffer.
	Kind string
}

// measures lists the arena sizes of a: the lower bound, each planner's
// arena, what stock TFLM needs, and the firmware's buffer when known.
func (a *Arena) measures() []measure {
	p := a.Plan
	out := []measure{{Label: "lower bound", Bytes: p.LowerBound, Kind: "bound",
		Note: fmt.Sprintf("most tensor bytes alive at one step (%d tensors, steps 0-%d)", len(p.Tensors), p.LastStep)}}
	for _, s := range p.Planners {
		note := fmt.Sprintf("%+.1f %% over the bound", s.GapPercent)
		if s.Name == p.Planner {
			note += " (chosen)"
		}
		out = append(out, measure{Label: s.Name + " plan", Bytes: s.ArenaBytes, Note: note, Kind: "plan"})
	}
	e := a.TFLM
	bound := ""
	if !e.Exact {
		bound = "at least; "
	}
	out = append(out,
		measure{Label: "TFLM head", Bytes: e.Head, Kind: "tflm",
			Note: fmt.Sprintf("%sgreedy plan of %d buffers (tensors and kernel scratch)", bound, len(e.HeadBuffers))},
		measure{Label: "TFLM arena_used_bytes()", Bytes: e.ArenaUsedBytes, Kind: "tflm",
			Note: fmt.Sprintf("%shead %d + persistent tail %d", bound, e.Head, e.Tail)},
		measure{Label: "TFLM kTensorArenaSize", Bytes: e.MinArenaBytes, Kind: "tflm",
			Note: bound + "smallest arena AllocateTensors() accepts"})
	if f := a.Firmware; f != nil {
		out = append(out, measure{Label: "firmware " + f.Symbol + " (usable)", Bytes: f.Usable, Kind: "firmware/" + string(f.Status),
			Note: string(f.Status) + ": " + f.Message})
	}
	return out
}

// bytesHuman formats n as "32996 (32.2 KiB)".
func bytesHuman(n uint64) string {
	if n < 1024 {
		return strconv.FormatUint(n, 10) + " B"
	}
	return strconv.FormatUint(n, 10) + " (" + report.Human(n) + ")"
}

// percent formats part/whole as "12.3 %", "" when whole is 0.
func percent(part, whole uint64) string {
	if whole == 0 {
		return ""
	}
	return strconv.FormatFloat(100*float64(part)/float64(whole), 'f', 1, 64) + " %"
}

// writeText writes t as aligned columns under an upper-case header.
func (t *table) writeText(b *strings.Builder) {
	fmt.Fprintf(b, "%s\n", t.Title)
	rows := append([][]string{upper(t.Header)}, t.Rows...)
	if t.Total != nil {
		total := slices.Clone(t.Total)
		total[0] = strings.ToUpper(total[0])
		rows = append(rows, total)
	}
	width := make([]int, len(t.Header))
	for _, r := range rows {
		for i, c := range r {
			width[i] = max(width[i], len(c))
		}
	}
	for _, r := range rows {
		var line strings.Builder
		for i, c := range r {
			if i > 0 {
				line.WriteString("  ")
			}
			if t.Right[i] {
				fmt.Fprintf(&line, "%*s", width[i], c)
			} else {
				fmt.Fprintf(&line, "%-*s", width[i], c)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	for _, n := range t.Notes {
		b.WriteString(n + "\n")
	}
}

// upper returns cells in upper case.
func upper(cells []string) []string {
	out := make([]string, len(cells))
	for i, c := range cells {
		out[i] = strings.ToUpper(c)
	}
	return out
}

// writeMarkdown writes t as a Markdown table under a heading.
func (t *table) writeMarkdown(b *strings.Builder) {
	fmt.Fprintf(b, "### %s\n\n", report.MarkdownEscape(t.Title))
	row := func(cells []string, bold bool) {
		b.WriteString("|")
		for _, c := range cells {
			c = report.MarkdownEscape(c)
			if bold && c != "" {
				c = "**" + c + "**"
			}
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	row(t.Header, false)
	b.WriteString("|")
	for _, r := range t.Right {
		if r {
			b.WriteString("--:|")
		} else {
			b.WriteString(":--|")
		}
	}
	b.WriteString("\n")
	for _, r := range t.Rows {
		row(r, false)
	}
	if t.Total != nil {
		row(t.Total, true)
	}
	b.WriteString("\n")
	for _, n := range t.Notes {
		fmt.Fprintf(b, "- %s\n", report.MarkdownEscape(n))
	}
	if len(t.Notes) > 0 {
		b.WriteString("\n")
	}
}
