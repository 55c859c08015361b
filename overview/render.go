package overview

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Format is an output format of a Document.
type Format string

// The output formats.
const (
	FormatText     Format = "text"
	FormatJSON     Format = "json"
	FormatMarkdown Format = "markdown"
	FormatHTML     Format = "html"
)

// ParseFormat returns the Format named s, or false if s names none.
func ParseFormat(s string) (Format, bool) {
	switch f := Format(s); f {
	case FormatText, FormatJSON, FormatMarkdown, FormatHTML:
		return f, true
	}
	return "", false
}

// Render writes d to w in format f.
func (d *Document) Render(w io.Writer, f Format) error {
	switch f {
	case FormatText:
		return writeString(w, d.text())
	case FormatMarkdown:
		return writeString(w, d.markdown())
	case FormatJSON:
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(d); err != nil {
			return fmt.Errorf("writing JSON: %w", err)
		}
		return nil
	case FormatHTML:
		return d.writeHTML(w)
	}
	return fmt.Errorf("unknown format %q", f)
}

// writeString writes s, a rendered report, to w.
func writeString(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return fmt.Errorf("writing report: %w", err)
	}
	return nil
}

// text is the plain-text report: the summary (with the embedded models),
// the tables, and a note when a model was given but the firmware has no
// arena buffer to check.
func (d *Document) text() string {
	var b strings.Builder
	for _, l := range d.summary() {
		fmt.Fprintf(&b, "%-9s %s\n", l.Label, l.Value)
	}
	for _, t := range d.tables() {
		b.WriteString("\n")
		t.writeText(&b)
	}
	if a := d.Arena; a != nil && a.Firmware == nil {
		b.WriteString("\nno tensor arena buffer: no RAM symbol's name contains \"arena\"\n")
	}
	return b.String()
}

// markdown is the report as GitHub-flavoured Markdown.
func (d *Document) markdown() string {
	var b strings.Builder
	fmt.Fprintf(&b, "## footprint report: `%s`\n\n", strings.ReplaceAll(d.File, "`", "'"))
	for _, l := range d.summary() {
		fmt.Fprintf(&b, "- **%s**: %s\n", l.Label, report.MarkdownEscape(l.Value))
	}
	b.WriteString("\n")
	for _, t := range d.tables() {
		t.writeMarkdown(&b)
	}
	for _, w := range d.Warnings {
		fmt.Fprintf(&b, "> warning: %s\n", report.MarkdownEscape(w))
	}
	return b.String()
}

// summaryLine is one labelled line of the report's head.
type summaryLine struct{ Label, Value string }

// summary is the head of the report: the file, the totals, the models.
func (d *Document) summary() []summaryLine {
	out := []summaryLine{
		{"file", fmt.Sprintf("%s (%s, %s-endian, %s)", d.File, d.Class, d.Endian, d.Machine)},
		{"flash", bytesHuman(d.Totals.Flash)},
		{"RAM", bytesHuman(d.Totals.RAM)},
		{"berkeley", fmt.Sprintf("text %d  data %d  bss %d  dec %d", d.Berkeley.Text, d.Berkeley.Data, d.Berkeley.BSS, d.Berkeley.Dec())},
	}
	for _, m := range d.Models {
		out = append(out, summaryLine{"model", m.String()})
	}
	return out
}
