package builddiff

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Schema identifies the JSON layout of a diff.
const Schema = "footprint.diff/v1"

// Render writes d to w in format f, showing the top n changes (n <= 0:
// all) and folding the rest into one "[others: K]" row.
func (d *Diff) Render(w io.Writer, f report.Format, n int) error {
	switch f {
	case report.FormatTable:
		return d.renderTable(w, n)
	case report.FormatJSON:
		return d.renderJSON(w, n)
	case report.FormatCSV:
		return d.renderCSV(w)
	case report.FormatMarkdown:
		_, err := io.WriteString(w, d.Markdown(n))
		return err
	}
	return fmt.Errorf("unknown format %q", f)
}

// Top returns the first n changes with the rest folded into one row named
// "[others: K]" (n <= 0 or n >= len: all changes).
func (d *Diff) Top(n int) []Change {
	if n <= 0 || n >= len(d.Changes) {
		return d.Changes
	}
	out := append([]Change(nil), d.Changes[:n]...)
	others := Change{Name: "[others: " + strconv.Itoa(len(d.Changes)-n) + "]"}
	for _, c := range d.Changes[n:] {
		others.Old.Flash += c.Old.Flash
		others.Old.RAM += c.Old.RAM
		others.New.Flash += c.New.Flash
		others.New.RAM += c.New.RAM
		others.FlashDelta += c.FlashDelta
		others.RAMDelta += c.RAMDelta
	}
	return append(out, others)
}

// Signed formats a byte delta with its sign, e.g. "+484", "-2040", "0".
func Signed(v int64) string {
	if v > 0 {
		return "+" + strconv.FormatInt(v, 10)
	}
	return strconv.FormatInt(v, 10)
}

// maxName is the widest name the table shows.
const maxName = 80

func (d *Diff) renderTable(w io.Writer, n int) error {
	cells := [][8]string{{strings.ToUpper(string(d.By)), "STATUS", "OLD FLASH", "NEW FLASH", "Δ FLASH", "OLD RAM", "NEW RAM", "Δ RAM"}}
	add := func(name string, st Status, o, nw report.Totals, df, dr int64) {
		cells = append(cells, [8]string{shorten(name, maxName), string(st),
			strconv.FormatUint(o.Flash, 10), strconv.FormatUint(nw.Flash, 10), Signed(df),
			strconv.FormatUint(o.RAM, 10), strconv.FormatUint(nw.RAM, 10), Signed(dr)})
	}
	for _, c := range d.Top(n) {
		add(c.Name, c.Status, c.Old, c.New, c.FlashDelta, c.RAMDelta)
	}
	add("TOTAL", "", d.Old, d.New, d.FlashDelta, d.RAMDelta)
	var width [8]int
	for _, c := range cells {
		for i, s := range c {
			width[i] = max(width[i], len([]rune(s)))
		}
	}
	var b strings.Builder
	for _, c := range cells {
		for i, s := range c {
			pad := strings.Repeat(" ", width[i]-len([]rune(s)))
			switch {
			case i == 0 || i == 1:
				b.WriteString(s + pad)
			default:
				b.WriteString(pad + s)
			}
			if i < len(c)-1 {
				b.WriteString("  ")
			}
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "%d changed, %d unchanged\n", len(d.Changes), d.Unchanged)
	b.WriteString(d.whyText(false))
	_, err := io.WriteString(w, trimLines(b.String()))
	return err
}

// trimLines removes trailing spaces from every line.
func trimLines(s string) string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimRight(l, " ")
	}
	return strings.Join(lines, "\n")
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-3]) + "..."
}

func (d *Diff) renderJSON(w io.Writer, n int) error {
	out := struct {
		Schema string `json:"schema"`
		*Diff
		Top int `json:"top"`
	}{Schema, &Diff{By: d.By, Old: d.Old, New: d.New, FlashDelta: d.FlashDelta, RAMDelta: d.RAMDelta,
		Changes: d.Top(n), Unchanged: d.Unchanged, Why: d.Why}, max(n, 0)}
	if out.Changes == nil {
		out.Changes = []Change{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// renderCSV writes every change (CSV is for further processing, so it is
// never cut).
func (d *Diff) renderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{string(d.By), "status", "old_flash", "new_flash", "flash_delta", "old_ram", "new_ram", "ram_delta"})
	for _, c := range d.Changes {
		_ = cw.Write([]string{c.Name, string(c.Status),
			strconv.FormatUint(c.Old.Flash, 10), strconv.FormatUint(c.New.Flash, 10), strconv.FormatInt(c.FlashDelta, 10),
			strconv.FormatUint(c.Old.RAM, 10), strconv.FormatUint(c.New.RAM, 10), strconv.FormatInt(c.RAMDelta, 10)})
	}
	cw.Flush()
	return cw.Error()
}

// Markdown returns the totals and the top n changes as GitHub-flavoured
// Markdown tables.
func (d *Diff) Markdown(n int) string {
	return d.MarkdownTotals() + "\n" + d.MarkdownChanges(n) + d.whyText(true)
}

// MarkdownTotals returns the flash and RAM totals before, after and the
// change as a Markdown table.
func (d *Diff) MarkdownTotals() string {
	var b strings.Builder
	b.WriteString("| | before | after | change |\n|:--|--:|--:|--:|\n")
	fmt.Fprintf(&b, "| flash | %s | %s | %s |\n", report.Human(d.Old.Flash), report.Human(d.New.Flash), deltaCell(d.FlashDelta, d.Old.Flash))
	fmt.Fprintf(&b, "| RAM | %s | %s | %s |\n", report.Human(d.Old.RAM), report.Human(d.New.RAM), deltaCell(d.RAMDelta, d.Old.RAM))
	return b.String()
}

// MarkdownChanges returns the top n changes as a Markdown table, or a
// sentence when nothing changed.
func (d *Diff) MarkdownChanges(n int) string {
	if len(d.Changes) == 0 {
		return fmt.Sprintf("No %s changed.\n", d.By)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "| %s | status | flash | Δ flash | RAM | Δ RAM |\n|:--|:--|--:|--:|--:|--:|\n", d.By)
	for _, c := range d.Top(n) {
		fmt.Fprintf(&b, "| %s | %s | %d | %s | %d | %s |\n", report.MarkdownEscape(c.Name), c.Status,
			c.New.Flash, Signed(c.FlashDelta), c.New.RAM, Signed(c.RAMDelta))
	}
	return b.String()
}

// deltaCell formats a change in bytes with its percentage of before.
func deltaCell(delta int64, before uint64) string {
	s := Signed(delta) + " B"
	if before > 0 && delta != 0 {
		s += fmt.Sprintf(" (%+.2f%%)", float64(delta)*100/float64(before))
	}
	return s
}
