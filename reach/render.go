package reach

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// JSON schemas of the reports.
const (
	OpsSchema = "footprint.ops/v1"
	WhySchema = "footprint.why/v1"
)

// writeJSON writes v, which carries its schema inline as every footprint
// JSON document does, indented.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Render writes the ops report in format f: table, json or markdown.
func (r *OpsReport) Render(w io.Writer, f report.Format) error {
	switch f {
	case report.FormatJSON:
		return writeJSON(w, struct {
			Schema string `json:"schema"`
			*OpsReport
		}{OpsSchema, r})
	case report.FormatTable, report.FormatMarkdown:
		_, err := io.WriteString(w, r.table(f == report.FormatMarkdown))
		return err
	}
	return fmt.Errorf("the ops report has no %q format (table, json, markdown)", f)
}

// table lays the report out as a table (markdown: a Markdown table).
func (r *OpsReport) table(markdown bool) string {
	header := []string{"OP", "EXCLUSIVE FLASH", "INCLUSIVE FLASH", "RAM", "SYMBOLS", "OBJECTS"}
	if markdown {
		header[len(header)-1] = "OBJECTS / NOTE"
	}
	rows := [][]string{}
	for _, o := range r.Ops {
		objs := strings.Join(o.Objects, ", ")
		if len(o.Objects) > 3 {
			objs = strings.Join(o.Objects[:3], ", ") + fmt.Sprintf(" +%d", len(o.Objects)-3)
		}
		rows = append(rows, []string{o.Op, bytesText(o.Exclusive.Flash), bytesText(o.Inclusive.Flash), fmt.Sprint(o.Exclusive.RAM), fmt.Sprint(o.Symbols), objs})
	}
	line := func(name string, b Bytes, note string) {
		rows = append(rows, []string{name, bytesText(b.Flash), "", fmt.Sprint(b.RAM), "", note})
	}
	line("[shared by ops]", r.Shared, "reachable from two or more ops only")
	line("[runtime core]", r.Core, "interpreter and allocator without any op")
	line("[model]", r.Model, strings.Join(r.Models, ", "))
	line("TFLM total", r.TFLM, "the rows above, each byte once")
	line("[not TFLM]", r.Other, "application, start-up and libraries it reaches")
	if markdown {
		var b strings.Builder
		b.WriteString("| " + strings.Join(header, " | ") + " |\n|:--|--:|--:|--:|--:|:--|\n")
		for _, row := range rows {
			for i := range row {
				row[i] = report.MarkdownEscape(row[i])
			}
			b.WriteString("| " + strings.Join(row, " | ") + " |\n")
		}
		b.WriteString("\nExclusive: what removing the op from the resolver saves. Inclusive: everything the op reaches.\n")
		return b.String()
	}
	return columns(append([][]string{header}, rows...)) +
		"exclusive: what removing the op from the resolver saves; inclusive: everything the op reaches\n"
}

func bytesText(n uint64) string {
	return fmt.Sprintf("%d %s", n, report.Human(n))
}

// columns aligns rows: the first and last columns left, figures between
// them right.
func columns(rows [][]string) string {
	right := make([]bool, len(rows[0]))
	for i := 1; i < len(right)-1; i++ {
		right[i] = true
	}
	return report.Columns(rows, right)
}

// Render writes the answer in format f: table (text), json or markdown.
func (w *Why) Render(out io.Writer, f report.Format) error {
	switch f {
	case report.FormatJSON:
		return writeJSON(out, struct {
			Schema string `json:"schema"`
			*Why
		}{WhySchema, w})
	case report.FormatTable, report.FormatMarkdown:
		_, err := io.WriteString(out, w.text(f == report.FormatMarkdown))
		return err
	}
	return fmt.Errorf("the why report has no %q format (table, json, markdown)", f)
}

func (w *Why) text(markdown bool) string {
	var b strings.Builder
	esc := func(s string) string { return s }
	if markdown {
		esc = report.MarkdownEscape
	}
	fmt.Fprintf(&b, "%s: %s, %d bytes at %#x in %s\n", esc(w.Symbol), w.Kind, w.Size, w.Addr, w.Section)
	if w.Unreachable {
		b.WriteString("unreachable from any root: nothing the program runs refers to it, yet the linker kept it (no --gc-sections, or a KEEP in the linker script)\n")
		return b.String()
	}
	for _, c := range w.Chains {
		b.WriteString("\n")
		if markdown {
			fmt.Fprintf(&b, "1. `%s` (%s)%s\n", c.Root, c.RootKind, objectNote(c.RootObject))
			for _, s := range c.Steps {
				fmt.Fprintf(&b, "1. %s at %#x → `%s`%s\n", s.Kind, s.Site, s.To, objectNote(s.Object))
			}
			continue
		}
		fmt.Fprintf(&b, "  %s  [root: %s]%s\n", c.Root, c.RootKind, objectNote(c.RootObject))
		for _, s := range c.Steps {
			fmt.Fprintf(&b, "  -> %s  [%s at %#x]%s\n", s.To, s.Kind, s.Site, objectNote(s.Object))
		}
	}
	return b.String()
}

func objectNote(o string) string {
	if o == "" {
		return ""
	}
	return "  (" + o + ")"
}
