package budget

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/footprint-dev/footprint/builddiff"
	"github.com/footprint-dev/footprint/report"
)

// Schema identifies the JSON layout of a check summary.
const Schema = "footprint.check/v1"

// Summary is everything a check reports: the checked build's totals, every
// rule's verdict and, with a baseline, what changed.
type Summary struct {
	// File is the checked build, Baseline the baseline build ("" without).
	File     string
	Baseline string
	Budget   string
	Head     report.Totals
	// Base is the baseline's totals (nil without a baseline).
	Base    *report.Totals
	Results []Result
	// Components and Symbols are the diffs against the baseline by
	// component and by symbol (nil without a baseline).
	Components *builddiff.Diff
	Symbols    *builddiff.Diff
	// Top is how many changes the summary lists.
	Top int
}

// Counts returns the number of failed error rules and of broken warning
// rules.
func (s *Summary) Counts() (errors, warnings int) {
	for _, r := range s.Results {
		switch r.Status {
		case StatusFail:
			errors++
		case StatusWarn:
			warnings++
		}
	}
	return errors, warnings
}

// Verdict is a one-line outcome, e.g. "budget exceeded: 1 error, 0
// warnings" or "within budget: 7 rules pass".
func (s *Summary) Verdict() string {
	errs, warns := s.Counts()
	if errs > 0 {
		return fmt.Sprintf("budget exceeded: %s, %s", plural(errs, "error"), plural(warns, "warning"))
	}
	if warns > 0 {
		return fmt.Sprintf("within budget with %s", plural(warns, "warning"))
	}
	return fmt.Sprintf("within budget: %s checked", plural(len(s.Results), "limit"))
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return strconv.Itoa(n) + " " + word + "s"
}

// Render writes the summary in format f.
func (s *Summary) Render(w io.Writer, f report.Format) error {
	switch f {
	case report.FormatTable:
		return s.renderTable(w)
	case report.FormatJSON:
		return s.renderJSON(w)
	case report.FormatCSV:
		return s.renderCSV(w)
	case report.FormatMarkdown:
		_, err := io.WriteString(w, s.Markdown())
		return err
	}
	return fmt.Errorf("unknown format %q", f)
}

// limitText formats a result's limit: bytes, or a percentage.
func limitText(r Result, human bool) string {
	if r.Kind == KindGrowPercent {
		return strconv.FormatFloat(r.Limit, 'f', -1, 64) + "%"
	}
	n := uint64(r.Limit)
	if human {
		return report.Human(n)
	}
	return strconv.FormatUint(n, 10)
}

// actualText formats a result's measured size, ">= N" when it is only a
// lower bound.
func actualText(r Result, human bool) string {
	s := strconv.FormatUint(r.Actual, 10)
	if human {
		s = report.Human(r.Actual)
	}
	if r.LowerBound {
		return ">= " + s
	}
	return s
}

// deltaText formats a result's change over the baseline, "" without one.
func deltaText(r Result) string {
	if !r.HasBase {
		return ""
	}
	s := builddiff.Signed(r.Delta())
	if r.Kind == KindGrowPercent {
		if r.Base > 0 {
			s += fmt.Sprintf(" (%+.2f%%)", float64(r.Delta())*100/float64(r.Base))
		} else if r.Actual > 0 {
			s += " (new)"
		}
	}
	return s
}

func (s *Summary) renderTable(w io.Writer) error {
	var b strings.Builder
	b.WriteString(s.headline() + "\n")
	cells := [][6]string{{"RULE", "LIMIT", "ACTUAL", "DELTA", "SEVERITY", "STATUS"}}
	for _, r := range s.Results {
		cells = append(cells, [6]string{r.Subject() + " " + string(r.Kind), limitText(r, false),
			actualText(r, false), deltaText(r), string(r.Rule.Severity), statusText(r)})
	}
	var width [6]int
	for _, c := range cells {
		for i, v := range c {
			width[i] = max(width[i], len(v))
		}
	}
	for _, c := range cells {
		line := fmt.Sprintf("%-*s  %*s  %*s  %*s  %-*s  %s", width[0], c[0], width[1], c[1], width[2], c[2], width[3], c[3], width[4], c[4], c[5])
		b.WriteString(strings.TrimRight(line, " ") + "\n")
	}
	b.WriteString(s.Verdict() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// statusText is a result's status with its note, if any.
func statusText(r Result) string {
	if r.Note != "" {
		return string(r.Status) + " (" + shortNote(r.Note) + ")"
	}
	return string(r.Status)
}

// maxNote is the longest note the table and Markdown show: a stack's
// lower-bound reason can name C++ signatures hundreds of characters long.
// The JSON keeps notes whole.
const maxNote = 120

// shortNote cuts a note to maxNote runes, marking the cut with "...".
func shortNote(s string) string {
	if utf8.RuneCountInString(s) <= maxNote {
		return s
	}
	return string([]rune(s)[:maxNote-3]) + "..."
}

// headline is the totals line: "flash 33480 B (+484)  RAM 8192 B (0)".
func (s *Summary) headline() string {
	part := func(name string, now uint64, base func(report.Totals) uint64) string {
		t := fmt.Sprintf("%s %d B", name, now)
		if s.Base != nil {
			t += " (" + builddiff.Signed(int64(now)-int64(base(*s.Base))) + ")"
		}
		return t
	}
	return part("flash", s.Head.Flash, func(t report.Totals) uint64 { return t.Flash }) + "  " +
		part("RAM", s.Head.RAM, func(t report.Totals) uint64 { return t.RAM })
}

// jsonResult is the JSON form of a Result.
type jsonResult struct {
	Scope  Scope   `json:"scope"`
	Name   string  `json:"name"`
	Memory Memory  `json:"memory,omitempty"`
	Kind   Kind    `json:"kind"`
	Limit  float64 `json:"limit"`
	Actual uint64  `json:"actual"`
	// LowerBound marks an actual size that is only a lower bound.
	LowerBound bool     `json:"lower_bound,omitempty"`
	Base       *uint64  `json:"base,omitempty"`
	Delta      *int64   `json:"delta,omitempty"`
	Severity   Severity `json:"severity"`
	Status     Status   `json:"status"`
	Note       string   `json:"note,omitempty"`
	Line       int      `json:"line"`
}

func (s *Summary) renderJSON(w io.Writer) error {
	out := struct {
		Schema   string             `json:"schema"`
		File     string             `json:"file"`
		Baseline string             `json:"baseline,omitempty"`
		Budget   string             `json:"budget"`
		Totals   report.Totals      `json:"totals"`
		Base     *report.Totals     `json:"baseline_totals,omitempty"`
		Passed   bool               `json:"passed"`
		Verdict  string             `json:"verdict"`
		Results  []jsonResult       `json:"results"`
		Changes  []builddiff.Change `json:"changes,omitempty"`
	}{Schema: Schema, File: s.File, Baseline: s.Baseline, Budget: s.Budget, Totals: s.Head, Base: s.Base,
		Passed: !Failed(s.Results), Verdict: s.Verdict(), Results: []jsonResult{}}
	for _, r := range s.Results {
		j := jsonResult{Scope: r.Rule.Scope, Name: r.Rule.Name, Kind: r.Kind, Limit: r.Limit, Actual: r.Actual, LowerBound: r.LowerBound,
			Severity: r.Rule.Severity, Status: r.Status, Note: r.Note, Line: r.Rule.Line}
		if r.Rule.Scope == ScopeComponent || r.Rule.Scope == ScopeTotal {
			j.Memory = r.Rule.Memory
		}
		if r.HasBase {
			base, delta := r.Base, r.Delta()
			j.Base, j.Delta = &base, &delta
		}
		out.Results = append(out.Results, j)
	}
	if s.Components != nil {
		out.Changes = s.Components.Changes
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

func (s *Summary) renderCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"scope", "name", "kind", "limit", "actual", "base", "delta", "severity", "status"})
	for _, r := range s.Results {
		base, delta := "", ""
		if r.HasBase {
			base, delta = strconv.FormatUint(r.Base, 10), strconv.FormatInt(r.Delta(), 10)
		}
		_ = cw.Write([]string{string(r.Rule.Scope), r.Rule.Name, string(r.Kind), strconv.FormatFloat(r.Limit, 'f', -1, 64),
			strconv.FormatUint(r.Actual, 10), base, delta, string(r.Rule.Severity), string(r.Status)})
	}
	cw.Flush()
	return cw.Error()
}

// CommentMarker opens every Markdown summary, so a CI job can find the
// comment it posted before and update it instead of adding another.
const CommentMarker = "<!-- footprint check -->"

// statusMark is the Markdown badge of a status.
func statusMark(s Status) string {
	switch s {
	case StatusPass:
		return "✅ pass"
	case StatusWarn:
		return "⚠️ warning"
	case StatusFail:
		return "❌ fail"
	}
	return "➖ skipped (no baseline)"
}

// Markdown returns the summary as a PR comment: a headline with the
// verdict and totals, every rule's result, the top changes by component,
// and the top changes by symbol collapsed under <details>.
func (s *Summary) Markdown() string {
	var b strings.Builder
	errs, _ := s.Counts()
	mark := "✅"
	if errs > 0 {
		mark = "❌"
	}
	b.WriteString(CommentMarker + "\n")
	fmt.Fprintf(&b, "### %s footprint: %s\n\n", mark, s.Verdict())
	if s.Components != nil {
		b.WriteString(s.Components.MarkdownTotals() + "\n")
	} else {
		fmt.Fprintf(&b, "| | size |\n|:--|--:|\n| flash | %s |\n| RAM | %s |\n\n", report.Human(s.Head.Flash), report.Human(s.Head.RAM))
	}
	if len(s.Results) > 0 {
		b.WriteString("| rule | limit | actual | change | status |\n|:--|--:|--:|--:|:--|\n")
		for _, r := range s.Results {
			name := "`" + r.Subject() + "` " + string(r.Kind)
			status := statusMark(r.Status)
			if r.Note != "" {
				status += " (" + report.MarkdownEscape(shortNote(r.Note)) + ")"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s |\n", name, limitText(r, true), actualText(r, true), deltaText(r), status)
		}
		b.WriteString("\n")
	}
	if s.Components != nil {
		b.WriteString("**Top changes by component**\n\n")
		b.WriteString(s.Components.MarkdownChanges(s.Top))
	}
	if s.Symbols != nil && len(s.Symbols.Changes) > 0 {
		fmt.Fprintf(&b, "\n<details><summary>Changes by symbol (%d)</summary>\n\n", len(s.Symbols.Changes))
		b.WriteString(s.Symbols.MarkdownChanges(max(s.Top, 50)))
		b.WriteString("\n</details>\n")
	}
	return b.String()
}
