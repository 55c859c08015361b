package report

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Format is an output format of a grouped view.
type Format string

// The output formats.
const (
	FormatTable    Format = "table"
	FormatJSON     Format = "json"
	FormatCSV      Format = "csv"
	FormatMarkdown Format = "markdown"
)

// Formats lists every Format.
var Formats = []Format{FormatTable, FormatJSON, FormatCSV, FormatMarkdown}

// ParseFormat returns the Format named s, or false if s names none.
func ParseFormat(s string) (Format, bool) {
	for _, f := range Formats {
		if string(f) == s {
			return f, true
		}
	}
	return "", false
}

// View is a report grouped by one key and cut to the top rows: what the
// size command prints. Its JSON form is the whole Report (all pieces, so a
// consumer can regroup) plus the grouped rows.
type View struct {
	*Report
	// By is the grouping key.
	By Key `json:"by"`
	// Top is the row limit applied (0: none).
	Top int `json:"top"`
	// Rows are the grouped rows, largest first, with an "[others: K]" row
	// last when Top cut some.
	Rows []Row `json:"rows"`
}

// NewView groups r's pieces by k and keeps the top n rows (n <= 0: all).
func NewView(r *Report, k Key, n int) *View {
	return &View{Report: r, By: k, Top: max(n, 0), Rows: Top(Group(r.Pieces, k), n)}
}

// othersName names the row that folds k rows cut by Top.
func othersName(k int) string { return "[others: " + strconv.Itoa(k) + "]" }

// Render writes v to w in format f.
func (v *View) Render(w io.Writer, f Format) error {
	switch f {
	case FormatTable:
		return v.renderTable(w)
	case FormatJSON:
		return v.renderJSON(w)
	case FormatCSV:
		return v.renderCSV(w)
	case FormatMarkdown:
		return v.renderMarkdown(w)
	}
	return fmt.Errorf("unknown format %q", f)
}

func (v *View) renderTable(w io.Writer) error {
	// Cells: name, flash bytes, flash human, RAM bytes, RAM human. The name
	// is left-aligned, numbers right-aligned.
	cells := [][5]string{{strings.ToUpper(string(v.By)), "FLASH", "", "RAM", ""}}
	add := func(name string, flash, ram uint64) {
		cells = append(cells, [5]string{name, strconv.FormatUint(flash, 10), Human(flash), strconv.FormatUint(ram, 10), Human(ram)})
	}
	for _, r := range v.Rows {
		add(shorten(r.Name, maxTableName), r.Flash, r.RAM)
	}
	add("TOTAL", v.Totals.Flash, v.Totals.RAM)
	var width [5]int
	for _, c := range cells {
		for i, s := range c {
			width[i] = max(width[i], len(s))
		}
	}
	var b strings.Builder
	for _, c := range cells {
		line := fmt.Sprintf("%-*s  %*s  %*s  %*s  %*s", width[0], c[0], width[1], c[1], width[2], c[2], width[3], c[3], width[4], c[4])
		b.WriteString(strings.TrimRight(line, " "))
		b.WriteByte('\n')
	}
	fmt.Fprintf(&b, "berkeley: text %d  data %d  bss %d  dec %d\n",
		v.Berkeley.Text, v.Berkeley.Data, v.Berkeley.BSS, v.Berkeley.Dec())
	_, err := io.WriteString(w, b.String())
	return err
}

// renderJSON writes the view as indented JSON, except that the pieces,
// which can number hundreds of thousands, are streamed one compact object
// per line instead of being built and indented in memory.
func (v *View) renderJSON(w io.Writer) error {
	head := *v
	rep := *v.Report
	rep.Pieces = nil
	head.Report = &rep
	b, err := json.MarshalIndent(&head, "", "  ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	bw.Write(bytes.TrimSuffix(b, []byte("\n}")))
	bw.WriteString(",\n  \"pieces\": [")
	var piece bytes.Buffer
	enc := json.NewEncoder(&piece)
	for i := range v.Pieces {
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		piece.Reset()
		if err := enc.Encode(&v.Pieces[i]); err != nil {
			return err
		}
		bw.Write(bytes.TrimSuffix(piece.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]\n}\n")
	return bw.Flush()
}

// maxTableName is the widest name the table shows; C++ signatures can run
// to hundreds of characters. Other formats keep names whole.
const maxTableName = 100

// shorten cuts s to at most n runes, marking the cut with "...".
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n-3]) + "..."
}

func (v *View) renderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{string(v.By), "flash", "ram", "pieces"})
	for _, r := range v.Rows {
		_ = cw.Write([]string{r.Name, strconv.FormatUint(r.Flash, 10), strconv.FormatUint(r.RAM, 10), strconv.Itoa(r.Pieces)})
	}
	cw.Flush()
	return cw.Error()
}

func (v *View) renderMarkdown(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | flash (bytes) | flash | RAM (bytes) | RAM |\n", v.By)
	b.WriteString("|:--|--:|--:|--:|--:|\n")
	row := func(cell string, flash, ram uint64) {
		fmt.Fprintf(&b, "| %s | %d | %s | %d | %s |\n", cell, flash, Human(flash), ram, Human(ram))
	}
	for _, r := range v.Rows {
		row(MarkdownEscape(r.Name), r.Flash, r.RAM)
	}
	row("**total**", v.Totals.Flash, v.Totals.RAM)
	_, err := io.WriteString(w, b.String())
	return err
}

// MarkdownEscape keeps a name from breaking a Markdown table cell or
// turning into emphasis, a code span or HTML. A backslash is escaped too,
// or one before a "|" would escape the escape and split the cell.
func MarkdownEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "|", `\|`, "*", `\*`, "_", `\_`, "`", "\\`", "<", "&lt;").Replace(s)
}

// Human formats a byte count with a binary unit, e.g. "12.3 KiB".
func Human(n uint64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatUint(n, 10) + " B"
	}
	v := float64(n)
	for _, u := range []string{"KiB", "MiB", "GiB", "TiB"} {
		v /= unit
		if v < unit {
			return strconv.FormatFloat(v, 'f', 1, 64) + " " + u
		}
	}
	return strconv.FormatFloat(v/unit, 'f', 1, 64) + " PiB"
}
