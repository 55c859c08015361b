// Package reach answers why each byte of a firmware image is linked and
// what it would cost to drop, from the call graph of its machine code
// (package callgraph): the chains that lead from an entry point to a
// symbol, which entry points reach each byte at all, and what every TFLM
// operator kernel costs on its own and together with what it shares.
//
// Reachability follows direct and tail calls and data references: an
// address loaded from a literal pool or formed by code, or a pointer stored
// in a table (vtables, TFLM's registrations, handler arrays). An indirect
// call adds nothing by itself, since whatever it can reach was reached
// where its address was taken.
package reach

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/ianlancetaylor/demangle"

	"github.com/footprint-dev/footprint/callgraph"
)

// Class groups bytes by which kinds of entry point reach them.
type Class string

// The reach classes, from most to least alive.
const (
	FromMain         Class = "reachable from main"
	InterruptsOnly   Class = "only from interrupt handlers"
	ConstructorsOnly Class = "only from static constructors"
	Unreachable      Class = "unreachable"
	NoSymbol         Class = "[no symbol]"
)

// Classes lists the classes in report order.
var Classes = []Class{FromMain, InterruptsOnly, ConstructorsOnly, Unreachable, NoSymbol}

// Classifier maps addresses to reach classes.
type Classifier struct {
	p     *callgraph.Program
	class []Class // per node
}

// NewClassifier works out the class of every node of p: reachable from the
// thread-mode entry points (reset handler, ELF entry, main) and the static
// destructors, else from interrupt handlers, else from static constructors,
// else unreachable (kept by the linker although nothing refers to it: a
// sign of missing --gc-sections or a KEEP).
func NewClassifier(p *callgraph.Program) *Classifier {
	var thread, handlers, ctors []int
	for _, r := range p.Roots() {
		switch r.Kind {
		case callgraph.RootHandler:
			handlers = append(handlers, r.Node)
		case callgraph.RootConstructor:
			ctors = append(ctors, r.Node)
		default:
			thread = append(thread, r.Node)
		}
	}
	fromThread := p.Reachable(thread, nil)
	fromHandlers := p.Reachable(handlers, nil)
	fromCtors := p.Reachable(ctors, nil)
	c := &Classifier{p: p, class: make([]Class, len(p.Nodes))}
	for i := range p.Nodes {
		switch {
		case fromThread[i]:
			c.class[i] = FromMain
		case fromHandlers[i]:
			c.class[i] = InterruptsOnly
		case fromCtors[i]:
			c.class[i] = ConstructorsOnly
		default:
			c.class[i] = Unreachable
		}
	}
	return c
}

// Of returns the class of the bytes at addr: that of the function or
// object holding them, or NoSymbol.
func (c *Classifier) Of(addr uint64) Class {
	if i := c.p.At(addr); i >= 0 {
		return c.class[i]
	}
	return NoSymbol
}

// DisplayName demangles a C++ symbol name; other names come back as they are.
func DisplayName(name string) string { return demangle.Filter(name) }

// Lookup finds a node by symbol name (mangled, demangled, or demangled
// without parameters) or by address ("0x8001234" or decimal). The error
// of an unknown name suggests the closest names.
func Lookup(p *callgraph.Program, what string) (int, error) {
	if v, err := strconv.ParseUint(what, 0, 64); err == nil && strings.ContainsAny(what[:1], "0123456789") {
		if i := p.At(v); i >= 0 {
			return i, nil
		}
		return -1, fmt.Errorf("no function or object holds address %#x", v)
	}
	if i := p.Lookup(what); i >= 0 {
		return i, nil
	}
	for i := range p.Nodes {
		name := p.Nodes[i].Name
		if DisplayName(name) == what || plainName(name) == what {
			return i, nil
		}
	}
	return -1, fmt.Errorf("no symbol %q%s", what, suggest(p, what))
}

// suggest returns " (closest: a, b, c)" naming the symbols closest to want.
func suggest(p *callgraph.Program, want string) string {
	type scored struct {
		name  string
		score int
	}
	var best []scored
	low := strings.ToLower(want)
	for i := range p.Nodes {
		name := plainName(p.Nodes[i].Name)
		d := distance(low, strings.ToLower(name))
		if strings.Contains(strings.ToLower(name), low) {
			d = min(d, len(name)-len(want))
		}
		best = append(best, scored{name, d})
	}
	slices.SortStableFunc(best, func(a, b scored) int { return a.score - b.score })
	var names []string
	for _, s := range best {
		if len(names) == 3 {
			break
		}
		if !slices.Contains(names, s.name) {
			names = append(names, s.name)
		}
	}
	if len(names) == 0 {
		return ""
	}
	return " (closest: " + strings.Join(names, ", ") + ")"
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

// plainName demangles a C++ name without its parameter list.
func plainName(name string) string { return demangle.Filter(name, demangle.NoParams) }
