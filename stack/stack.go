// Package stack computes the worst-case stack depth of every entry point of
// a firmware image from its call graph: the reset handler (or _start), main,
// and on Cortex-M every handler in the vector table.
//
// The depth of a function is its own frame, or the depth at one of its call
// sites plus the callee's worst case, whichever is deeper; the path that
// reaches the maximum is kept so a user sees which chain of calls to
// shorten. An indirect call may reach any address-taken function. Whatever
// makes the figure unsafe is named and turns it into a lower bound (">= N"):
// recursion, stack adjusted by a run-time amount (alloca, VLAs), calls into
// code the image does not hold. A calls file supplies what the machine code
// cannot tell: the targets of indirect calls and recursion limits.
//
// On Cortex-M the total the linker script must reserve is the thread-mode
// worst case plus the deepest interrupt: exception entry stacks 32 bytes,
// or 104 with the lazy floating-point frame on cores with an FPU.
package stack

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/footprint-dev/footprint/callgraph"
)

// Cortex-M exception entry frames: eight words, or eight plus the
// floating-point context (S0-S15, FPSCR and a reserved word).
const (
	ExceptionFrame   = 32
	ExceptionFrameFP = 104
)

// Options says which entry points to analyse and what the user knows
// beyond the machine code.
type Options struct {
	// Entries are extra roots, by symbol name.
	Entries []string
	// Facts are the user's call facts (a calls file); nil for none.
	Facts *Facts
}

// Report is the worst-case stack of every root of one image.
type Report struct {
	Machine string `json:"machine"`
	CPU     string `json:"cpu,omitempty"`
	FPU     bool   `json:"fpu"`
	// ExceptionFrame is what Cortex-M exception entry stacks (0 elsewhere).
	ExceptionFrame int64  `json:"exception_frame,omitempty"`
	Roots          []Root `json:"roots"`
	// Thread is the deepest thread-mode root (reset handler, _start or
	// main); Interrupts is the deepest nesting of handlers on top of it.
	Thread     Depth `json:"thread"`
	Interrupts Depth `json:"interrupts"`
	Total      Depth `json:"total"`
	// Nesting is how many handlers are assumed to be active at once (1: one
	// at a time, the default; 0: interrupts are not counted).
	Nesting int `json:"irq_nesting"`
	// Reserved is the stack the image reserves, when it says.
	Reserved *Reservation `json:"reserved,omitempty"`
	// Unresolved lists the indirect calls without any candidate and the
	// calls to code outside the image, where they are reachable from a root.
	Unresolved []string `json:"unresolved,omitempty"`
	Warnings   []string `json:"warnings,omitempty"`
}

// Depth is a stack figure and whether it is only a lower bound.
type Depth struct {
	Bytes      int64 `json:"bytes"`
	LowerBound bool  `json:"lower_bound"`
}

func (d Depth) String() string {
	if d.LowerBound {
		return fmt.Sprintf(">= %d", d.Bytes)
	}
	return fmt.Sprint(d.Bytes)
}

// Root is one entry point's worst case.
type Root struct {
	Name string `json:"name"`
	// Kind is "reset", "entry", "main", "handler" or "user".
	Kind string `json:"kind"`
	// Vectors are the exception numbers whose vector points here.
	Vectors []int `json:"vectors,omitempty"`
	Depth
	// Reasons say why the figure is a lower bound.
	Reasons []string `json:"reasons,omitempty"`
	// Path is the chain of calls that reaches the worst case.
	Path []Frame `json:"path"`
}

// Frame is one function on a worst-case path.
type Frame struct {
	Function string `json:"function"`
	// Frame is the function's own deepest stack use.
	Frame int64 `json:"frame"`
	// Depth is the stack in use below the root when this function is
	// entered.
	Depth int64 `json:"depth"`
	// Via says how the previous function reached this one ("call",
	// "tail call", "indirect call") and Site where.
	Via     string `json:"via,omitempty"`
	Site    uint64 `json:"site,omitempty"`
	Dynamic bool   `json:"dynamic,omitempty"`
}

// Reservation is the stack size the linker script reserves.
type Reservation struct {
	Bytes  int64  `json:"bytes"`
	Source string `json:"source"`
}

// Analyze computes the worst-case stack of every root of p.
func Analyze(p *callgraph.Program, opts Options) (*Report, error) {
	facts := opts.Facts
	if facts == nil {
		facts = &Facts{}
	}
	s, err := newSolver(p, facts)
	if err != nil {
		return nil, err
	}
	r := &Report{Machine: p.Machine, CPU: p.CPU, FPU: p.FPU, Nesting: 1}
	if n := facts.Interrupts.Nesting; n != nil {
		r.Nesting = *n
	}
	roots, err := findRoots(p, opts.Entries)
	if err != nil {
		return nil, err
	}
	for _, rt := range roots {
		root := s.root(rt.node)
		root.Kind, root.Vectors = rt.kind, rt.vectors
		r.Roots = append(r.Roots, root)
	}
	if p.Vectors != nil {
		r.ExceptionFrame = ExceptionFrame
		if p.FPU {
			r.ExceptionFrame = ExceptionFrameFP
		}
	}
	r.summarise()
	r.Reserved = reservation(p)
	if r.Reserved != nil && r.Total.Bytes > r.Reserved.Bytes {
		r.Warnings = append(r.Warnings, fmt.Sprintf("the worst case (%s bytes) exceeds the %d bytes reserved (%s)", r.Total, r.Reserved.Bytes, r.Reserved.Source))
	}
	r.Unresolved = s.unresolved(roots)
	r.Warnings = append(r.Warnings, p.Warnings...)
	return r, nil
}

// summarise works out the thread-mode, interrupt and total figures.
func (r *Report) summarise() {
	if rt, ok := r.ThreadRoot(); ok {
		r.Thread = rt.Depth
	}
	for _, rt := range r.CountedHandlers() {
		r.Interrupts.Bytes += rt.Bytes + r.ExceptionFrame
		r.Interrupts.LowerBound = r.Interrupts.LowerBound || rt.LowerBound
	}
	r.Total = Depth{r.Thread.Bytes + r.Interrupts.Bytes, r.Thread.LowerBound || r.Interrupts.LowerBound}
}

// ThreadRoot is the deepest thread-mode root (a lower bound first among
// equals), whose figure is the thread-mode one.
func (r *Report) ThreadRoot() (Root, bool) {
	best, found := Root{}, false
	for _, rt := range r.Roots {
		switch rt.Kind {
		case "reset", "entry", "main":
			if !found || rt.Bytes > best.Bytes || (rt.Bytes == best.Bytes && rt.LowerBound && !best.LowerBound) {
				best, found = rt, true
			}
		}
	}
	return best, found
}

// CountedHandlers are the handlers the interrupt figure adds up: the
// Nesting deepest.
func (r *Report) CountedHandlers() []Root {
	var hs []Root
	for _, rt := range r.Roots {
		if rt.Kind == "handler" {
			hs = append(hs, rt)
		}
	}
	slices.SortStableFunc(hs, func(a, b Root) int { return cmp.Compare(b.Bytes, a.Bytes) })
	return hs[:min(len(hs), max(r.Nesting, 0))]
}

// TotalReasons says why the total is only a lower bound: the reasons of
// the thread-mode root and of the handlers it counts, each once (nil when
// the total is exact).
func (r *Report) TotalReasons() []string {
	if !r.Total.LowerBound {
		return nil
	}
	var out []string
	add := func(rt Root) {
		for _, why := range rt.Reasons {
			if !slices.Contains(out, why) {
				out = append(out, why)
			}
		}
	}
	if rt, ok := r.ThreadRoot(); ok {
		add(rt)
	}
	for _, rt := range r.CountedHandlers() {
		add(rt)
	}
	return out
}

// rootSpec is a root before analysis.
type rootSpec struct {
	node    int
	kind    string
	vectors []int
}

// findRoots lists the entry points whose stack the report gives: the
// reset handler or ELF entry, main, every distinct vector-table handler,
// and the user's entries. Static constructors are left out: they run on
// the reset handler's stack, through __libc_init_array's indirect calls.
func findRoots(p *callgraph.Program, entries []string) ([]rootSpec, error) {
	var roots []rootSpec
	seen := map[int]bool{}
	for _, r := range p.Roots() {
		if r.Kind == callgraph.RootConstructor || r.Kind == callgraph.RootDestructor {
			continue
		}
		seen[r.Node] = true
		roots = append(roots, rootSpec{node: r.Node, kind: string(r.Kind), vectors: r.Vectors})
	}
	for _, e := range entries {
		i, err := resolve(p, e, "--entry")
		if err != nil {
			return nil, err
		}
		if !seen[i] {
			seen[i] = true
			roots = append(roots, rootSpec{node: i, kind: "user"})
		}
	}
	if len(roots) == 0 {
		return nil, fmt.Errorf("no entry point: the image has no vector table, ELF entry or main (name one with --entry)")
	}
	return roots, nil
}

// reservationSymbols are the linker-script symbols that size the stack,
// in order of preference.
var reservationSymbols = []string{"_Min_Stack_Size", "__stack_size", "_stack_size", "__stack_size__", "STACK_SIZE"}

// reservation finds the stack the image reserves: a top and limit symbol
// pair, a size symbol, or a .stack section.
func reservation(p *callgraph.Program) *Reservation {
	for _, top := range []string{"__StackTop", "_estack", "__stack", "_stack_top", "__stack_top", "_stack_end", "__stack_end__"} {
		for _, bottom := range []string{"__StackLimit", "_sstack", "__stack_start", "__stack_start__", "_stack_start", "__stack_limit"} {
			t, okT := p.Symbols[top]
			b, okB := p.Symbols[bottom]
			if okT && okB && t > b && t-b < 1<<32 {
				return &Reservation{Bytes: int64(t - b), Source: top + " - " + bottom}
			}
		}
	}
	for _, name := range reservationSymbols {
		if v, ok := p.Symbols[name]; ok && v > 0 && v < 1<<32 {
			return &Reservation{Bytes: int64(v), Source: "symbol " + name}
		}
	}
	for _, s := range p.Sections {
		if s.Name == ".stack" || s.Name == ".stack_dummy" {
			return &Reservation{Bytes: int64(s.Size), Source: "section " + s.Name}
		}
	}
	return nil
}
