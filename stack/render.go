package stack

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Schema identifies the JSON layout of a stack report.
const Schema = "footprint.stack/v1"

// Render writes r in format f: table, json or markdown.
func (r *Report) Render(w io.Writer, f report.Format) error {
	switch f {
	case report.FormatTable:
		_, err := io.WriteString(w, r.Text())
		return err
	case report.FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Schema string `json:"schema"`
			*Report
		}{Schema, r})
	case report.FormatMarkdown:
		_, err := io.WriteString(w, r.Markdown())
		return err
	}
	return fmt.Errorf("the stack report has no %q format (table, json, markdown)", f)
}

// Text is the plain-text report: the roots, the total against the
// reservation, and the worst path of each thread-mode root and of the
// deepest handler.
func (r *Report) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "machine: %s%s\n", r.Machine, r.cpuNote())
	rows := [][]string{{"ROOT", "KIND", "VECTORS", "WORST"}}
	for _, rt := range r.Roots {
		rows = append(rows, []string{shorten(rt.Name), rt.Kind, vectorList(rt.Vectors), rt.Depth.String()})
	}
	writeColumns(&b, rows)
	b.WriteString("\n")
	for _, line := range r.summaryLines() {
		b.WriteString(line + "\n")
	}
	for _, rt := range r.pathRoots() {
		fmt.Fprintf(&b, "\nworst path from %s (%s bytes):\n", rt.Name, rt.Depth)
		rows := [][]string{{"DEPTH", "FRAME", "FUNCTION", "VIA"}}
		for _, f := range rt.Path {
			rows = append(rows, []string{strconv.FormatInt(f.Depth, 10), frameText(f), shorten(f.Function), viaText(f)})
		}
		writeColumns(&b, rows)
		for _, why := range rt.Reasons {
			fmt.Fprintf(&b, "lower bound: %s\n", why)
		}
	}
	if len(r.Unresolved) > 0 {
		b.WriteString("\nunresolved:\n")
		for _, u := range r.Unresolved {
			fmt.Fprintf(&b, "  %s\n", u)
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", w)
	}
	return b.String()
}

// Markdown is the report as a Markdown section (for pull-request comments).
func (r *Report) Markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "### Stack\n\n%s%s\n\n", r.Machine, r.cpuNote())
	b.WriteString("| root | kind | vectors | worst case (bytes) |\n|:--|:--|:--|--:|\n")
	for _, rt := range r.Roots {
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", report.MarkdownEscape(rt.Name), rt.Kind, vectorList(rt.Vectors), rt.Depth)
	}
	b.WriteString("\n")
	for _, line := range r.summaryLines() {
		b.WriteString("- " + report.MarkdownEscape(line) + "\n")
	}
	for _, rt := range r.pathRoots() {
		fmt.Fprintf(&b, "\n<details><summary>worst path from %s (%s bytes)</summary>\n\n", report.MarkdownEscape(rt.Name), rt.Depth)
		b.WriteString("| depth | frame | function | via |\n|--:|--:|:--|:--|\n")
		for _, f := range rt.Path {
			fmt.Fprintf(&b, "| %d | %s | %s | %s |\n", f.Depth, frameText(f), report.MarkdownEscape(f.Function), viaText(f))
		}
		for _, why := range rt.Reasons {
			fmt.Fprintf(&b, "\nlower bound: %s\n", report.MarkdownEscape(why))
		}
		b.WriteString("\n</details>\n")
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(&b, "\n> warning: %s\n", report.MarkdownEscape(w))
	}
	return b.String()
}

func (r *Report) cpuNote() string {
	var parts []string
	if r.CPU != "" {
		parts = append(parts, r.CPU)
	}
	if r.ExceptionFrame > 0 {
		fpu := "no FPU"
		if r.FPU {
			fpu = "FPU"
		}
		parts = append(parts, fmt.Sprintf("%s: exception entry stacks %d bytes", fpu, r.ExceptionFrame))
	}
	if len(parts) == 0 {
		return ""
	}
	return ", " + strings.Join(parts, ", ")
}

// summaryLines are the thread, interrupt, total and reservation lines.
func (r *Report) summaryLines() []string {
	lines := []string{fmt.Sprintf("thread mode:  %s bytes", r.Thread)}
	if r.ExceptionFrame > 0 {
		lines = append(lines, fmt.Sprintf("interrupts:   %s bytes (%d nested, each with its %d-byte exception frame)", r.Interrupts, r.Nesting, r.ExceptionFrame))
	}
	lines = append(lines, fmt.Sprintf("total:        %s bytes", r.Total))
	if r.Reserved != nil {
		verdict := "fits"
		if r.Total.Bytes > r.Reserved.Bytes {
			verdict = "TOO SMALL"
		} else if r.Total.LowerBound {
			verdict = "fits the lower bound"
		}
		lines = append(lines, fmt.Sprintf("reserved:     %d bytes (%s): %s", r.Reserved.Bytes, r.Reserved.Source, verdict))
	} else {
		lines = append(lines, "reserved:     unknown (no stack size symbol or .stack section)")
	}
	return lines
}

// pathRoots are the roots whose paths the report prints: the thread-mode
// ones, except one whose worst path is the tail of another's (main below
// the reset handler), and the deepest handler.
func (r *Report) pathRoots() []Root {
	var out []Root
	deepest := -1
	for i, rt := range r.Roots {
		if rt.Kind == "handler" {
			if deepest < 0 || rt.Bytes > r.Roots[deepest].Bytes {
				deepest = i
			}
			continue
		}
		if !slices.ContainsFunc(r.Roots, func(o Root) bool { return o.Kind != "handler" && o.Name != rt.Name && passesThrough(o.Path, rt.Path) }) {
			out = append(out, rt)
		}
	}
	if deepest >= 0 {
		out = append(out, r.Roots[deepest])
	}
	return out
}

// maxName is the widest function name the text table shows; JSON and
// Markdown keep the whole name.
const maxName = 100

// shorten cuts a long (C++) name to maxName characters.
func shorten(s string) string {
	if r := []rune(s); len(r) > maxName {
		return string(r[:maxName-1]) + "…"
	}
	return s
}

// passesThrough reports whether path ends with tail's functions.
func passesThrough(path, tail []Frame) bool {
	if len(tail) == 0 || len(tail) >= len(path) {
		return false
	}
	rest := path[len(path)-len(tail):]
	for i := range tail {
		if rest[i].Function != tail[i].Function {
			return false
		}
	}
	return true
}

func frameText(f Frame) string {
	s := strconv.FormatInt(f.Frame, 10)
	if f.Dynamic {
		s += "+dyn"
	}
	return s
}

func viaText(f Frame) string {
	if f.Via == "" {
		return ""
	}
	return fmt.Sprintf("%s at %#x", f.Via, f.Site)
}

// vectorList formats exception numbers compactly: "2-14, 16".
func vectorList(v []int) string {
	var parts []string
	for i := 0; i < len(v); {
		j := i
		for j+1 < len(v) && v[j+1] == v[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", v[i], v[j]))
		} else {
			parts = append(parts, strconv.Itoa(v[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, ", ")
}

// writeColumns writes rows as aligned columns: figures right-aligned,
// text left-aligned.
func writeColumns(b *strings.Builder, rows [][]string) {
	right := make([]bool, len(rows[0]))
	for i := range right {
		right[i] = numericColumn(rows, i)
	}
	b.WriteString(report.Columns(rows, right))
}

// numericColumn reports whether column i holds figures below its header.
func numericColumn(rows [][]string, i int) bool {
	for _, row := range rows[1:] {
		c := strings.TrimSuffix(strings.TrimPrefix(row[i], ">= "), "+dyn")
		if _, err := strconv.ParseInt(c, 10, 64); err != nil {
			return false
		}
	}
	return true
}
