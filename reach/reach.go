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
	"errors"
	"fmt"
	"strconv"
	"strings"

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
	if i := p.Find(what); i >= 0 {
		return i, nil
	}
	msg := fmt.Sprintf("no symbol %q", what)
	if names := p.Closest(what, 3, nil); len(names) > 0 {
		msg += " (closest: " + strings.Join(names, ", ") + ")"
	}
	return -1, errors.New(msg)
}
