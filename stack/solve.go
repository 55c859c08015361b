package stack

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/internal/tflmsym"
)

// solver computes worst cases by depth-first search with memoisation.
//
// An indirect call without facts may reach any address-taken function, so
// its cost is the deepest of them: the "hub" value. Computing it through
// the graph would make every function that calls through a pointer look
// recursive (it is itself address-taken), so it is computed in levels:
// level 0 counts indirect calls as free, level k charges them the hub value
// of level k-1. Once a level's hub value equals the previous one, the
// figures are exact for any nesting of indirect calls that does not
// re-enter a function already active; if it still grows after maxLevels,
// some function may call itself through a pointer and the figures that
// reach an indirect call are lower bounds.
type solver struct {
	p       *callgraph.Program
	targets map[int][]int // facts: a function's indirect-call candidates
	limit   map[int]int   // facts: recursion limits (activations)
	// kernel marks the entry points of TFLM op kernels (the functions a
	// Register_<OP>() function takes the address of), and callsKernels
	// the functions that may call them (the interpreter's).
	kernel, callsKernels []bool
	// passed marks the functions whose indirect-call target their caller
	// passes (passedBy): their figures depend on the path to them.
	passed map[int]bool
	cur    *level
	// The search path, the depth at each entry and each node's position.
	onPath    []int
	pathDepth []int64
	pathPos   []int
	back      map[backEdge]bool
	// hubGrows is set when the hub value had not settled after maxLevels.
	hubGrows bool
}

// maxLevels bounds the nesting of indirect calls the solver follows when
// the hub values keep growing (TFLM's interpreter calls a kernel, which
// calls its context, which calls a virtual allocator method: three).
const maxLevels = 3

// The two hubs: every address-taken function, or all but the entry points
// of TFLM op kernels and the interpreter methods that call them: only the
// interpreter calls kernels, and kernels call back only the context's
// functions (otherwise a kernel would seem to call every other kernel, and
// itself, through its context).
const (
	hubAll = iota
	hubNoKernels
	hubs
)

// level is one pass of the search with indirect calls charged hub.
type level struct {
	hub      [hubs]int64 // what an indirect call without facts costs
	hubArg   [hubs]int   // the candidate that gives the previous level's hub value
	state    []uint8
	worst    []int64
	best     []choice
	cycleLen []int64 // per node: the deepest cycle back to it
	next     *level  // the level whose figures the hub value came from
	// byTaker holds the figures of passed functions per taker.
	byTaker map[takerKey]takerMemo
}

// takerKey is a passed function and the function up the path whose
// address-taking decides its target (-1: none does).
type takerKey struct{ node, taker int }

type takerMemo struct {
	worst int64
	best  choice
}

// choice is the call that gives a node its worst case.
type choice struct {
	call   int // index in the node's Calls
	callee int // -1: the node's own frame is the worst case; hubCallee(h): the candidates of hub h
}

// hubCallee encodes "through hub h" as a callee.
func hubCallee(h int) int { return -2 - h }

// backEdge is a call that closes a cycle.
type backEdge struct{ from, to int }

const (
	unvisited = iota
	onSearchPath
	done
)

func (s *solver) newLevel(hub [hubs]int64, hubArg [hubs]int, prev *level) *level {
	n := len(s.p.Nodes)
	return &level{hub: hub, hubArg: hubArg, next: prev, state: make([]uint8, n), worst: make([]int64, n),
		best: make([]choice, n), cycleLen: make([]int64, n), byTaker: map[takerKey]takerMemo{}}
}

// settle computes the levels until the hub values stop growing.
func (s *solver) settle() {
	s.cur = s.newLevel([hubs]int64{}, [hubs]int{-1, -1}, nil)
	for k := 0; ; k++ {
		hub, arg := [hubs]int64{}, [hubs]int{-1, -1}
		for _, c := range s.p.Indirect {
			w := s.solve(c, 0)
			for h := range hubs {
				if h == hubNoKernels && (s.kernel[c] || s.callsKernels[c]) {
					continue
				}
				if w > hub[h] || arg[h] < 0 {
					hub[h], arg[h] = w, c
				}
			}
		}
		if hub == s.cur.hub && k > 0 {
			return
		}
		if k == maxLevels {
			s.hubGrows = true
			return
		}
		s.cur = s.newLevel(hub, arg, s.cur)
	}
}

func newSolver(p *callgraph.Program, f *Facts) (*solver, error) {
	s := &solver{p: p, targets: map[int][]int{}, limit: map[int]int{}, passed: map[int]bool{},
		pathPos: make([]int, len(p.Nodes)), back: map[backEdge]bool{}}
	s.libraryFacts()
	s.findKernels()
	// __libc_init_array calls the static constructors.
	if i := p.Lookup("__libc_init_array"); i >= 0 {
		s.targets[i] = []int{}
		for _, r := range p.Roots() {
			if r.Kind == callgraph.RootConstructor {
				s.targets[i] = append(s.targets[i], r.Node)
			}
		}
	}
	for caller, callees := range f.Calls {
		ci, err := resolve(p, caller, "calls")
		if err != nil {
			return nil, err
		}
		s.targets[ci] = []int{}
		for _, callee := range callees {
			ti, err := resolve(p, callee, "calls: "+caller)
			if err != nil {
				return nil, err
			}
			s.targets[ci] = append(s.targets[ci], ti)
		}
	}
	for name, n := range f.Recursion {
		i, err := resolve(p, name, "recursion")
		if err != nil {
			return nil, err
		}
		if n < 1 {
			return nil, fmt.Errorf("recursion: %s: the limit must be at least 1 activation, not %d", name, n)
		}
		s.limit[i] = n
	}
	s.settle()
	return s, nil
}

// libraryFacts applies libraryCalls and libraryRecursion to the library
// functions the image has.
func (s *solver) libraryFacts() {
	for caller, callees := range libraryCalls {
		ci := s.p.Lookup(caller)
		if ci < 0 || s.p.Nodes[ci].Kind != callgraph.Func {
			continue
		}
		s.targets[ci] = []int{}
		for _, callee := range callees {
			if ti := s.p.Lookup(callee); ti >= 0 && s.p.Nodes[ti].Kind == callgraph.Func {
				s.targets[ci] = append(s.targets[ci], ti)
			}
		}
	}
	if !s.setsSignalHandlers() {
		for _, name := range signalCallers {
			if i := s.p.Lookup(name); i >= 0 {
				s.targets[i] = []int{}
			}
		}
	}
	for _, name := range passedBy {
		if i := s.p.Lookup(name); i >= 0 {
			s.passed[i] = true
		}
	}
	for name, n := range libraryRecursion {
		if i := s.p.Lookup(name); i >= 0 {
			s.limit[i] = n
		}
	}
}

// findKernels marks the op kernels' entry points: the functions a TFLM
// registration function refers to, directly or through the registration
// object it copies. Only the interpreter calls them.
func (s *solver) findKernels() {
	s.kernel = make([]bool, len(s.p.Nodes))
	s.callsKernels = make([]bool, len(s.p.Nodes))
	mark := func(refs []callgraph.Ref) {
		for _, r := range refs {
			if s.p.Nodes[r.To].Kind == callgraph.Func {
				s.kernel[r.To] = true
			}
		}
	}
	for i := range s.p.Nodes {
		n := &s.p.Nodes[i]
		if n.Kind != callgraph.Func || !strings.HasPrefix(n.Name, "_Z") {
			continue
		}
		plain := callgraph.PlainName(n.Name)
		s.callsKernels[i] = tflmsym.CallsKernels(plain)
		if _, ok := tflmsym.RegisteredOp(plain); !ok {
			continue
		}
		mark(n.Refs)
		for _, r := range n.Refs {
			if s.p.Nodes[r.To].Kind == callgraph.Object {
				mark(s.p.Nodes[r.To].Refs)
			}
		}
	}
}

// hubOf says which hub the indirect calls of function v go to.
func (s *solver) hubOf(v int) int {
	if s.callsKernels[v] {
		return hubAll
	}
	return hubNoKernels
}

// setsSignalHandlers reports whether code outside newlib's signal module
// calls signal() or _signal_r().
func (s *solver) setsSignalHandlers() bool {
	setters := map[int]bool{}
	for _, name := range signalSetters {
		if i := s.p.Lookup(name); i >= 0 {
			setters[i] = true
		}
	}
	for i := range s.p.Nodes {
		if setters[i] {
			continue
		}
		for _, c := range s.p.Nodes[i].Calls {
			if setters[c.Callee] {
				return true
			}
		}
	}
	return false
}

// resolve finds a function by its mangled or demangled name.
func resolve(p *callgraph.Program, name, where string) (int, error) {
	if i := p.Find(name); i >= 0 && p.Nodes[i].Kind == callgraph.Func {
		return i, nil
	}
	msg := fmt.Sprintf("%s: no function named %q", where, name)
	if names := p.Closest(name, 3, func(n *callgraph.Node) bool { return n.Kind == callgraph.Func }); len(names) > 0 {
		msg += " (did you mean " + strings.Join(names, ", ") + "?)"
	}
	return -1, errors.New(msg)
}

// calleesOf returns the nodes a call may reach; hub says that it may reach
// any address-taken function.
func (s *solver) calleesOf(v int, c *callgraph.Call) (callees []int, hub bool) {
	switch {
	case !c.Kind.IsIndirect():
		if c.Callee >= 0 {
			return []int{c.Callee}, false
		}
		return nil, false
	case s.targets[v] != nil:
		return s.targets[v], false // the facts, possibly that there is no target
	}
	return nil, len(s.p.Indirect) > 0
}

// taker returns, for a passed function v reached along path, the nearest
// function up the path that takes the address of one of v's candidates,
// or -1.
func (s *solver) taker(v int, path []int) int {
	for i := len(path) - 1; i >= 0; i-- {
		u := path[i]
		if u == v || s.passed[u] {
			continue
		}
		for _, r := range s.p.Nodes[u].Refs {
			if slices.Contains(s.targets[v], r.To) {
				return u
			}
		}
	}
	return -1
}

// passedTargets narrows a passed function's candidates to those its taker
// refers to.
func (s *solver) passedTargets(v, taker int) []int {
	if taker < 0 {
		return s.targets[v]
	}
	var out []int
	for _, t := range s.targets[v] {
		if slices.ContainsFunc(s.p.Nodes[taker].Refs, func(r callgraph.Ref) bool { return r.To == t }) {
			out = append(out, t)
		}
	}
	return out
}

// solve returns the worst-case depth below node v at the current level.
func (s *solver) solve(v int, depth int64) int64 {
	l := s.cur
	key := takerKey{v, -1}
	if s.passed[v] {
		key.taker = s.taker(v, s.onPath)
		if m, ok := l.byTaker[key]; ok {
			return m.worst
		}
	}
	if l.state[v] == done {
		return l.worst[v]
	}
	l.state[v] = onSearchPath
	s.pathPos[v] = len(s.onPath)
	s.onPath = append(s.onPath, v)
	s.pathDepth = append(s.pathDepth, depth)
	n := &s.p.Nodes[v]
	w := n.Frame
	l.best[v] = choice{call: -1, callee: -1}
	for ci := range n.Calls {
		c := &n.Calls[ci]
		callees, hub := s.calleesOf(v, c)
		if s.passed[v] && c.Kind.IsIndirect() {
			callees = s.passedTargets(v, key.taker)
		}
		if hub {
			h := s.hubOf(v)
			if c.Depth+l.hub[h] > w {
				w = c.Depth + l.hub[h]
				l.best[v] = choice{call: ci, callee: hubCallee(h)}
			}
		}
		for _, u := range callees {
			if l.state[u] == onSearchPath {
				s.back[backEdge{v, u}] = true
				l.cycleLen[u] = max(l.cycleLen[u], depth+c.Depth-s.pathDepth[s.pathPos[u]])
				continue
			}
			if d := c.Depth + s.solve(u, depth+c.Depth); d > w {
				w = d
				l.best[v] = choice{call: ci, callee: u}
			}
		}
	}
	if lim := s.limit[v]; lim > 0 && l.cycleLen[v] > 0 {
		w += int64(lim-1) * l.cycleLen[v]
	}
	s.onPath = s.onPath[:len(s.onPath)-1]
	s.pathDepth = s.pathDepth[:len(s.pathDepth)-1]
	if s.passed[v] {
		l.byTaker[key] = takerMemo{w, l.best[v]}
		l.state[v] = unvisited
		return w
	}
	l.state[v] = done
	l.worst[v] = w
	return w
}

// root analyses one entry point.
func (s *solver) root(v int) Root {
	r := Root{Name: callgraph.DisplayName(s.p.Nodes[v].Name)}
	r.Bytes = s.solve(v, 0)
	r.Path = s.path(v)
	r.Reasons = s.reasons(v)
	r.LowerBound = len(r.Reasons) > 0
	return r
}

// path follows the best choices from v; through an indirect call it goes
// on with the candidate that gave the hub value, at the level it came from.
func (s *solver) path(v int) []Frame {
	var out []Frame
	var depth int64
	via, site := "", uint64(0)
	l := s.cur
	var walked []int
	for steps := 0; v >= 0 && l != nil && steps <= 4*len(s.p.Nodes); steps++ {
		n := &s.p.Nodes[v]
		out = append(out, Frame{Function: callgraph.DisplayName(n.Name), Frame: n.Frame, Depth: depth, Via: via, Site: site, Dynamic: n.DynamicStack})
		b := l.best[v]
		if s.passed[v] {
			b = l.byTaker[takerKey{v, s.taker(v, walked)}].best
		}
		walked = append(walked, v)
		if b.callee == -1 {
			break
		}
		c := &n.Calls[b.call]
		depth += c.Depth
		via, site = c.Kind.String(), c.Site
		v = b.callee
		if v <= hubCallee(0) {
			h := hubCallee(0) - v
			v, l = l.hubArg[h], l.next
		}
	}
	return out
}

// reachable lists the nodes reachable from v through calls, an indirect
// call reaching every address-taken function.
func (s *solver) reachable(v int) []bool {
	seen := make([]bool, len(s.p.Nodes))
	work := []int{v}
	seen[v] = true
	hubDone := false
	visit := func(w int) {
		if !seen[w] {
			seen[w] = true
			work = append(work, w)
		}
	}
	for len(work) > 0 {
		u := work[len(work)-1]
		work = work[:len(work)-1]
		calls := s.p.Nodes[u].Calls
		for ci := range calls {
			callees, hub := s.calleesOf(u, &calls[ci])
			for _, w := range callees {
				visit(w)
			}
			if hub && !hubDone {
				hubDone = true
				for _, w := range s.p.Indirect {
					visit(w)
				}
			}
		}
	}
	return seen
}

// maxReasons caps each kind of reason listed for one root, and
// maxUnresolved the unresolved calls a report lists.
const (
	maxReasons    = 5
	maxUnresolved = 50
)

// item is something a reason names, sorted by key and named only when
// shown: demangling every name of a large program would cost more than
// the analysis.
type item struct {
	key  string
	name func() string
}

// listed formats the first max items as "a, b and N more".
func listed(items []item, max int) string {
	slices.SortFunc(items, func(a, b item) int { return strings.Compare(a.key, b.key) })
	items = slices.CompactFunc(items, func(a, b item) bool { return a.key == b.key })
	var names []string
	for _, it := range items[:min(len(items), max)] {
		names = append(names, it.name())
	}
	out := strings.Join(names, ", ")
	if len(items) > max {
		out += fmt.Sprintf(" and %d more", len(items)-max)
	}
	return out
}

// reasons says why a root's figure is only a lower bound: whatever
// reachable from it makes the search incomplete.
func (s *solver) reasons(v int) []string {
	seen := s.reachable(v)
	var recursion, dynamic, unknown, undecoded []item
	nodeItem := func(i int) item { return item{s.p.Nodes[i].Name, func() string { return s.name(i) }} }
	for e := range s.back {
		if seen[e.from] && s.limit[e.to] == 0 {
			recursion = append(recursion, item{s.p.Nodes[e.from].Name + " " + s.p.Nodes[e.to].Name,
				func() string { return s.name(e.from) + " -> " + s.name(e.to) }})
		}
	}
	if s.hubGrows && slices.ContainsFunc(s.p.Indirect, func(c int) bool { return seen[c] }) {
		recursion = append(recursion, item{"~", func() string {
			return fmt.Sprintf("possibly through function pointers (indirect calls followed %d deep; a calls file can say which targets they have)", maxLevels)
		}})
	}
	for i := range s.p.Nodes {
		if !seen[i] {
			continue
		}
		n := &s.p.Nodes[i]
		if n.DynamicStack {
			dynamic = append(dynamic, nodeItem(i))
		}
		if len(n.Problems) > 0 {
			undecoded = append(undecoded, nodeItem(i))
		}
		for ci := range n.Calls {
			c := &n.Calls[ci]
			switch {
			case c.External != "":
				unknown = append(unknown, item{c.External, func() string { return c.External }})
			case s.unknownTarget(i, c):
				unknown = append(unknown, item{fmt.Sprintf("%016x", c.Site), func() string {
					return fmt.Sprintf("indirect call in %s at %#x", s.name(i), c.Site)
				}})
			}
		}
	}
	var out []string
	for _, r := range []struct {
		what  string
		items []item
	}{
		{"recursion", recursion},
		{"stack adjusted at run time (alloca/VLA)", dynamic},
		{"calls to unknown code", unknown},
		{"code not fully decoded", undecoded},
	} {
		if len(r.items) > 0 {
			out = append(out, r.what+": "+listed(r.items, maxReasons))
		}
	}
	return out
}

// unresolved lists, over all roots, the calls the analysis could not
// follow (at most maxUnresolved, then how many more).
func (s *solver) unresolved(roots []rootSpec) []string {
	seen := make([]bool, len(s.p.Nodes))
	for _, r := range roots {
		for i, ok := range s.reachable(r.node) {
			seen[i] = seen[i] || ok
		}
	}
	var out []string
	more := 0
	for i := range s.p.Nodes {
		if !seen[i] {
			continue
		}
		n := &s.p.Nodes[i]
		for ci := range n.Calls {
			c := &n.Calls[ci]
			if c.External == "" && !s.unknownTarget(i, c) {
				continue
			}
			if len(out) == maxUnresolved {
				more++
				continue
			}
			if c.External != "" {
				out = append(out, fmt.Sprintf("%#x in %s: %s to %s, outside every function", c.Site, s.name(i), c.Kind, c.External))
			} else {
				out = append(out, fmt.Sprintf("%#x in %s: %s with no candidate target", c.Site, s.name(i), c.Kind))
			}
		}
	}
	if more > 0 {
		out = append(out, fmt.Sprintf("and %d more", more))
	}
	return out
}

func (s *solver) name(v int) string { return callgraph.DisplayName(s.p.Nodes[v].Name) }

// unknownTarget reports whether an indirect call has no candidate at all
// (no facts for it and no address-taken function in the image).
func (s *solver) unknownTarget(v int, c *callgraph.Call) bool {
	callees, hub := s.calleesOf(v, c)
	return c.Kind.IsIndirect() && !hub && len(callees) == 0 && s.targets[v] == nil
}
