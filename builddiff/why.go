package builddiff

import (
	"fmt"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Pull says why a symbol that a build added is linked: the chain of calls
// and references from an entry point of the new build that pulls it in.
type Pull struct {
	Symbol string `json:"symbol"`
	// Flash is the symbol's flash bytes in the new build.
	Flash uint64 `json:"flash"`
	// Chain names the functions and objects from the entry point to the
	// symbol; empty when nothing reaches it.
	Chain []string `json:"chain,omitempty"`
	// Unreachable is set when no entry point reaches the symbol.
	Unreachable bool `json:"unreachable,omitempty"`
}

// String is the chain as one line: "main → Register_MUL() → MulEval".
func (p Pull) String() string {
	if p.Unreachable {
		return p.Symbol + ": unreachable from any entry point (kept by the linker)"
	}
	return strings.Join(p.Chain, " → ")
}

// AddedSymbols returns the largest symbols new has and old has not, by
// flash, at most n of them (matched as Compare matches symbols, so
// compiler clones and rebuilt paths are not "added").
func AddedSymbols(old, new *report.Report, n int) []Change {
	var out []Change
	for _, c := range Compare(old, new, report.KeySymbol).Changes {
		if c.Status == Added && c.New.Flash > 0 && !strings.HasPrefix(c.Name, "[") {
			out = append(out, c)
		}
		if len(out) == n {
			break
		}
	}
	return out
}

// whyText lists the pulls after a text or Markdown diff.
func (d *Diff) whyText(markdown bool) string {
	if len(d.Why) == 0 {
		return ""
	}
	var b strings.Builder
	if markdown {
		b.WriteString("\n**Why the new symbols are linked**\n\n")
	} else {
		b.WriteString("\nwhy the new symbols are linked:\n")
	}
	for _, p := range d.Why {
		if markdown {
			fmt.Fprintf(&b, "- `%s` (%d B): %s\n", p.Symbol, p.Flash, report.MarkdownEscape(p.String()))
		} else {
			fmt.Fprintf(&b, "  %s (%d B)\n    %s\n", p.Symbol, p.Flash, p.String())
		}
	}
	return b.String()
}
