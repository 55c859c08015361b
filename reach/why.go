package reach

import (
	"github.com/footprint-dev/footprint/callgraph"
)

// Why is the answer to "why is this symbol linked?".
type Why struct {
	Symbol  string `json:"symbol"`
	Kind    string `json:"kind"` // "function" or "object"
	Addr    uint64 `json:"addr"`
	Size    uint64 `json:"size"`
	Section string `json:"section,omitempty"`
	// Chains are the shortest chains from entry points: one from the
	// nearest root, or with all set one per root that reaches the symbol.
	Chains []Chain `json:"chains,omitempty"`
	// Unreachable is set when no root reaches the symbol: the linker kept
	// it, although nothing the program runs refers to it.
	Unreachable bool `json:"unreachable"`
}

// Chain is a chain of calls and references from a root to the symbol.
type Chain struct {
	Root       string `json:"root"`
	RootKind   string `json:"root_kind"`
	RootObject string `json:"root_object,omitempty"`
	Steps      []Step `json:"steps"`
}

// Step is one edge of a chain.
type Step struct {
	From string `json:"from"`
	To   string `json:"to"`
	// Kind is "call", "tail call" or "reference".
	Kind string `json:"kind"`
	// Site is the address of the calling or referring instruction, or of
	// the data word holding the pointer.
	Site uint64 `json:"site"`
	// Object is the object file of the step's target (with a linker map).
	Object string `json:"object,omitempty"`
}

// Explain finds why node target of p is linked: the shortest chain from
// any root, or with all one chain per root that reaches it. With objs
// (from a linker map; may be nil) each step names its object file.
func Explain(p *callgraph.Program, target int, all bool, objs *Objects) *Why {
	n := &p.Nodes[target]
	w := &Why{Symbol: callgraph.DisplayName(n.Name), Kind: "function", Addr: n.Addr, Size: n.Size, Section: n.Section}
	if n.Kind == callgraph.Object {
		w.Kind = "object"
	}
	roots := p.Roots()
	chain := func(r callgraph.Root) bool {
		edges := p.Chain([]int{r.Node}, target)
		if edges == nil {
			return false
		}
		c := Chain{Root: callgraph.DisplayName(p.Nodes[r.Node].Name), RootKind: string(r.Kind), RootObject: objs.At(p.Nodes[r.Node].Addr)}
		for _, e := range edges {
			c.Steps = append(c.Steps, Step{From: callgraph.DisplayName(p.Nodes[e.From].Name), To: callgraph.DisplayName(p.Nodes[e.To].Name),
				Kind: e.Kind.String(), Site: e.Site, Object: objs.At(p.Nodes[e.To].Addr)})
		}
		w.Chains = append(w.Chains, c)
		return true
	}
	if all {
		for _, r := range roots {
			chain(r)
		}
	} else {
		// The nearest root: one search from all roots at once, then the
		// chain from the root it started at.
		var starts []int
		for _, r := range roots {
			starts = append(starts, r.Node)
		}
		if edges := p.Chain(starts, target); edges != nil {
			first := target
			if len(edges) > 0 {
				first = edges[0].From
			}
			for _, r := range roots {
				if r.Node == first {
					chain(r)
					break
				}
			}
		}
	}
	w.Unreachable = len(w.Chains) == 0
	return w
}
