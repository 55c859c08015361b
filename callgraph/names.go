package callgraph

import (
	"slices"
	"strings"

	"github.com/ianlancetaylor/demangle"
)

// DisplayName demangles a C++ symbol name; other names come back as they
// are.
func DisplayName(name string) string { return demangle.Filter(name) }

// PlainName demangles a C++ name without its parameter list.
func PlainName(name string) string { return demangle.Filter(name, demangle.NoParams) }

// Find returns the index of the node named name as the symbol table has
// it, demangled, or demangled without parameters; -1 when none is.
func (p *Program) Find(name string) int {
	if i := p.Lookup(name); i >= 0 {
		return i
	}
	for i := range p.Nodes {
		n := p.Nodes[i].Name
		if DisplayName(n) == name || PlainName(n) == name {
			return i
		}
	}
	return -1
}

// Closest returns up to n distinct names (demangled, without parameters)
// of the nodes keep accepts that come closest to want: those containing
// it first, then by edit distance. It is for "did you mean" messages.
func (p *Program) Closest(want string, n int, keep func(*Node) bool) []string {
	type scored struct {
		name  string
		score int
	}
	var all []scored
	low := strings.ToLower(want)
	for i := range p.Nodes {
		if keep != nil && !keep(&p.Nodes[i]) {
			continue
		}
		name := PlainName(p.Nodes[i].Name)
		d := distance(low, strings.ToLower(name))
		if strings.Contains(strings.ToLower(name), low) {
			d = min(d, len(name)-len(want))
		}
		all = append(all, scored{name, d})
	}
	slices.SortStableFunc(all, func(a, b scored) int { return a.score - b.score })
	var names []string
	for _, s := range all {
		if len(names) == n {
			break
		}
		if !slices.Contains(names, s.name) {
			names = append(names, s.name)
		}
	}
	return names
}

// distance is the Levenshtein edit distance of a and b, by bytes.
func distance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}
