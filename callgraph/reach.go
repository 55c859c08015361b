package callgraph

import (
	"slices"
	"strings"
)

// RootKind says why a node is an entry point of the program.
type RootKind string

// The kinds of root, in the order Roots lists them.
const (
	RootReset       RootKind = "reset"       // vector 1 of a Cortex-M vector table
	RootEntry       RootKind = "entry"       // the ELF entry point
	RootMain        RootKind = "main"        // main
	RootHandler     RootKind = "handler"     // any other vector-table entry
	RootConstructor RootKind = "constructor" // an .init_array/.preinit_array/.ctors entry
	RootDestructor  RootKind = "destructor"  // a .fini_array/.dtors entry
)

// Root is an entry point: code the program runs without any call in the
// image leading to it.
type Root struct {
	Node int
	Kind RootKind
	// Vectors are the exception numbers whose vector points to the node.
	Vectors []int
}

// Roots lists the program's entry points, each node once under its first
// kind: the reset handler, the ELF entry, main, the other vector-table
// handlers, then static constructors and destructors.
func (p *Program) Roots() []Root {
	var roots []Root
	seen := map[int]int{}
	add := func(node int, kind RootKind, vector int) {
		if node < 0 {
			return
		}
		i, ok := seen[node]
		if !ok {
			i = len(roots)
			seen[node] = i
			roots = append(roots, Root{Node: node, Kind: kind})
		}
		if vector > 0 {
			roots[i].Vectors = append(roots[i].Vectors, vector)
		}
	}
	if len(p.Vectors) > 1 {
		add(p.Vectors[1], RootReset, 1)
	}
	add(p.Entry, RootEntry, 0)
	add(p.Lookup("main"), RootMain, 0)
	for i := 2; i < len(p.Vectors); i++ {
		add(p.Vectors[i], RootHandler, i)
	}
	for _, kind := range []RootKind{RootConstructor, RootDestructor} {
		for _, r := range p.arrayRefs(kind) {
			add(r.To, kind, 0)
		}
	}
	return roots
}

// arrayRefs returns the function pointers stored in the constructor or
// destructor arrays.
func (p *Program) arrayRefs(kind RootKind) []Ref {
	var out []Ref
	in := func(addr uint64) bool {
		s, ok := p.SectionOf(addr)
		return ok && isRootArray(s.Name) && isDestructorArray(s.Name) == (kind == RootDestructor)
	}
	collect := func(refs []Ref) {
		for _, r := range refs {
			if p.Nodes[r.To].Kind == Func && in(r.From) {
				out = append(out, r)
			}
		}
	}
	collect(p.LooseRefs)
	for i := range p.Nodes {
		if p.Nodes[i].Kind == Object {
			collect(p.Nodes[i].Refs)
		}
	}
	return out
}

// isRootArray reports whether a section is an array of constructors or
// destructors.
func isRootArray(name string) bool {
	for _, n := range []string{".init_array", ".preinit_array", ".ctors", ".fini_array", ".dtors"} {
		if name == n || strings.HasPrefix(name, n+".") {
			return true
		}
	}
	return false
}

func isDestructorArray(name string) bool {
	return strings.HasPrefix(name, ".fini_array") || strings.HasPrefix(name, ".dtors")
}

// EdgeKind says how one node leads to another in reachability questions.
type EdgeKind uint8

const (
	EdgeCall EdgeKind = iota // a direct call
	EdgeTail                 // a tail call
	EdgeRef                  // an address loaded, formed or stored
)

func (k EdgeKind) String() string {
	switch k {
	case EdgeCall:
		return "call"
	case EdgeTail:
		return "tail call"
	}
	return "reference"
}

// Edge is one step of a reachability chain.
type Edge struct {
	From, To int
	Kind     EdgeKind
	Site     uint64 // the calling or referring instruction, or the data word
}

// successors calls fn for every node v calls directly or refers to.
// Indirect calls add nothing: what they reach is reached through the
// references that took the functions' addresses.
func (p *Program) successors(v int, fn func(Edge)) {
	n := &p.Nodes[v]
	for _, c := range n.Calls {
		if c.Callee < 0 || c.Kind.IsIndirect() {
			continue
		}
		k := EdgeCall
		if c.Kind == Tail {
			k = EdgeTail
		}
		fn(Edge{From: v, To: c.Callee, Kind: k, Site: c.Site})
	}
	for _, r := range n.Refs {
		fn(Edge{From: v, To: r.To, Kind: EdgeRef, Site: r.From})
	}
}

// Reachable marks the nodes reachable from roots through calls and
// references. Nodes for which blocked returns true are neither marked nor
// entered (nil blocks nothing); a blocked root is skipped.
func (p *Program) Reachable(roots []int, blocked func(int) bool) []bool {
	seen := make([]bool, len(p.Nodes))
	var work []int
	push := func(v int) {
		if !seen[v] && (blocked == nil || !blocked(v)) {
			seen[v] = true
			work = append(work, v)
		}
	}
	for _, r := range roots {
		push(r)
	}
	for len(work) > 0 {
		v := work[len(work)-1]
		work = work[:len(work)-1]
		p.successors(v, func(e Edge) { push(e.To) })
	}
	return seen
}

// Chain returns a shortest chain of edges from one of roots to target
// (breadth first, so the fewest steps), or nil when none reaches it. A
// root that is the target gives an empty, non-nil chain.
func (p *Program) Chain(roots []int, target int) []Edge {
	parent := make([]int32, len(p.Nodes)) // index+1 into edges; 0 unvisited
	var edges []Edge
	var queue []int
	seen := make([]bool, len(p.Nodes))
	for _, r := range roots {
		if r == target {
			return []Edge{}
		}
		if !seen[r] {
			seen[r] = true
			queue = append(queue, r)
		}
	}
	for len(queue) > 0 {
		v := queue[0]
		queue = queue[1:]
		found := false
		p.successors(v, func(e Edge) {
			if found || seen[e.To] {
				return
			}
			seen[e.To] = true
			edges = append(edges, e)
			parent[e.To] = int32(len(edges))
			if e.To == target {
				found = true
				return
			}
			queue = append(queue, e.To)
		})
		if found {
			var chain []Edge
			for v := target; parent[v] != 0; v = edges[parent[v]-1].From {
				chain = append(chain, edges[parent[v]-1])
			}
			slices.Reverse(chain)
			return chain
		}
	}
	return nil
}
