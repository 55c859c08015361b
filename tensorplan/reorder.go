package tensorplan

import (
	"cmp"
	"encoding/binary"
	"errors"
	"fmt"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// This file reorders a model's operators. The order of the operators sets
// the tensors' lifetimes, and so the peak of live bytes, the lower bound of
// every plan: on a branched graph, running one branch to its end before
// starting the next can keep fewer tensors alive at once. Graph holds what
// the peak depends on, Schedule finds the order with the smallest peak.

// Graph is the operator graph of a model's main subgraph as TFLM's lifetime
// rules see it (ModelLifetimes): the bytes of each planned tensor, which
// operators write and read it, and what every order must keep.
type Graph struct {
	ops       []graphOp
	size      []int64   // per tensor: planned bytes (16-byte multiple), 0 if not planned
	consumers [][]int32 // per tensor: the operators reading it, ascending
	producer  []int32   // per tensor: the operator writing it, -1 if none
	output    []bool    // per tensor: a subgraph output (alive to the end)
	initial   []bool    // per tensor: alive from the start (an input, or read but never written)
	preds     [][]int32 // per operator: the operators that must run before it
	// fixedLoad is the bytes alive at steps no order changes: step -1
	// (tensors TFLM never marks, and those read but never written) and
	// step 0 (the subgraph's inputs).
	fixedLoad int64
	// lastOnly is the bytes of outputs no operator writes, alive at the
	// last step only.
	lastOnly int64
	// bound is the static lower bound on the peak of any order.
	bound int64
	words int // uint64 words of an operator set
}

// graphOp is one operator: the planned tensors it reads and writes (each
// once) and the scratch bytes its kernel requests.
type graphOp struct {
	inputs, outputs []int32
	scratch         int64
}

// ModelGraph builds the graph of m's main subgraph. scratch gives the bytes
// of the kernel scratch buffers each operator of subgraph 0 requests (nil
// for none), which live at the operator's step; the peak is then the joint
// bound of tensors and scratch buffers.
//
// The order every schedule keeps: an operator runs after those writing the
// tensors it reads, and operators touching a variable tensor, or writing no
// tensor, keep their relative order (their effects are not visible in the
// tensors). Models whose main subgraph calls others (IF, WHILE, CALL_ONCE)
// or writes one tensor from two operators are refused.
func ModelGraph(m *tflite.Model, scratch map[int]int64) (*Graph, error) {
	if len(m.Subgraphs) == 0 {
		return nil, errors.New("model has no subgraphs")
	}
	lt, err := ModelLifetimes(m)
	if err != nil {
		return nil, err
	}
	sg := &m.Subgraphs[0]
	n := len(sg.Operators)
	g := &Graph{
		ops:       make([]graphOp, n),
		size:      make([]int64, len(sg.Tensors)),
		consumers: make([][]int32, len(sg.Tensors)),
		producer:  make([]int32, len(sg.Tensors)),
		output:    make([]bool, len(sg.Tensors)),
		initial:   make([]bool, len(sg.Tensors)),
		preds:     make([][]int32, n),
		words:     (n + 63) / 64,
	}
	for i := range g.producer {
		g.producer[i] = -1
	}
	var unset int64 // bytes alive at step -1
	for _, t := range lt.Tensors {
		switch {
		case t.Subgraph != 0 || t.First < 0 && t.Last < 0:
			unset += t.Size
		default:
			g.size[t.Index] = t.Size
		}
	}
	variable := make([]bool, len(sg.Tensors))
	for ti, t := range sg.Tensors {
		variable[ti] = t.IsVariable
	}
	var sideEffects []int32 // operators that keep their relative order
	for oi := range sg.Operators {
		op := &sg.Operators[oi]
		called, err := calledSubgraphs(m, op)
		if err != nil {
			return nil, fmt.Errorf("operator %d: %w", oi, err)
		}
		if len(called) > 0 {
			return nil, fmt.Errorf("operator %d (%s) calls other subgraphs: models with control flow are not reordered", oi, m.OpName(*op))
		}
		touchesVariable := false
		for _, in := range op.Inputs {
			if in < 0 {
				continue
			}
			touchesVariable = touchesVariable || variable[in]
			if g.size[in] > 0 && !slices.Contains(g.ops[oi].inputs, in) {
				g.ops[oi].inputs = append(g.ops[oi].inputs, in)
				g.consumers[in] = append(g.consumers[in], int32(oi))
			}
		}
		for _, out := range op.Outputs {
			touchesVariable = touchesVariable || variable[out]
			if p := g.producer[out]; p >= 0 && p != int32(oi) {
				return nil, fmt.Errorf("tensor %d is written by operators %d and %d: not reordered", out, p, oi)
			}
			g.producer[out] = int32(oi)
			if g.size[out] > 0 && !slices.Contains(g.ops[oi].outputs, out) && !slices.Contains(g.ops[oi].inputs, out) {
				g.ops[oi].outputs = append(g.ops[oi].outputs, out)
			}
		}
		if touchesVariable || len(op.Outputs) == 0 {
			if k := len(sideEffects); k > 0 {
				g.preds[oi] = append(g.preds[oi], sideEffects[k-1])
			}
			sideEffects = append(sideEffects, int32(oi))
		}
		g.ops[oi].scratch = alignUp(max(scratch[oi], 0))
	}
	for _, in := range sg.Inputs {
		g.initial[in] = true
	}
	for _, out := range sg.Outputs {
		g.output[out] = true
	}
	for t := range g.size {
		if g.size[t] == 0 {
			continue
		}
		p := g.producer[t]
		switch {
		case g.initial[t] && p >= 0:
			return nil, fmt.Errorf("tensor %d is a subgraph input and written by operator %d: not reordered", t, p)
		case p < 0 && !g.initial[t] && len(g.consumers[t]) > 0:
			g.initial[t] = true // read but never written: alive from step -1
			unset += g.size[t]
		case p < 0 && !g.initial[t] && g.output[t]:
			g.lastOnly += g.size[t]
		}
		for _, c := range g.consumers[t] {
			if p < 0 || c == p {
				continue
			}
			if c < p {
				return nil, fmt.Errorf("operator %d reads tensor %d before operator %d writes it", c, t, p)
			}
			if !slices.Contains(g.preds[c], p) {
				g.preds[c] = append(g.preds[c], p)
			}
		}
	}
	var step0 int64
	for t, initial := range g.initial {
		if initial {
			step0 += g.size[t]
		}
	}
	g.fixedLoad = max(unset, step0)
	g.bound = g.fixedLoad
	for oi := range g.ops {
		o := &g.ops[oi]
		load := o.scratch
		for _, t := range slices.Concat(o.inputs, o.outputs) {
			load += g.size[t]
		}
		g.bound = max(g.bound, load)
	}
	if n > 0 {
		g.bound = max(g.bound, g.lastOnly)
	}
	return g, nil
}

// NumOps is the number of operators.
func (g *Graph) NumOps() int { return len(g.ops) }

// Peak returns the most bytes alive at one step when the operators run in
// order: the lower bound of every plan of the model so reordered (its
// tensors and, if the graph has them, scratch buffers). It fails if order is
// not an order of the operators that keeps the graph's dependencies.
func (g *Graph) Peak(order []int) (int64, error) {
	if len(order) != len(g.ops) {
		return 0, fmt.Errorf("order has %d operators, the subgraph %d", len(order), len(g.ops))
	}
	st := g.start()
	done := st.done
	for _, v := range order {
		if v < 0 || v >= len(g.ops) || has(done, v) {
			return 0, fmt.Errorf("operator %d is not in the subgraph or comes twice", v)
		}
		if !g.ready(done, v) {
			return 0, fmt.Errorf("operator %d runs before an operator it depends on", v)
		}
		load, live := g.step(done, st.live, v, st.count+1 == len(g.ops))
		st.peak, st.live = max(st.peak, load), live
		set(done, v)
		st.count++
	}
	return st.peak, nil
}

// Schedule is an order of the operators and the peak of live bytes it
// gives.
type Schedule struct {
	Order []int
	Peak  int64
	// Bound is the smallest peak proven for any order: Peak when Optimal,
	// else the static bound (the bytes each operator's own tensors and
	// scratch take, and the steps no order changes).
	Bound int64
	// Optimal is true when no order has a smaller peak: the search over
	// sets of executed operators finished, or Peak reached the bound.
	// Otherwise Peak is the best a beam search found (a heuristic).
	Optimal bool
	// States counts the sets of executed operators the search visited.
	States int
}

// DefaultStateBudget is the number of states Schedule's exact search may
// keep, for graphs of up to stateScale operators, before it falls back to
// a beam search of the same size; larger graphs get fewer (see
// defaultStates), as each state costs memory and time in proportion.
const DefaultStateBudget = 1 << 20

// stateScale is the number of operators up to which Schedule's default
// budget is DefaultStateBudget.
const stateScale = 256

// defaultStates is Schedule's default budget for n operators: it shrinks
// with the square of n beyond stateScale, as a state's memory and the work
// to expand it both grow with n, down to 1024.
func defaultStates(n int) int {
	if n <= stateScale {
		return DefaultStateBudget
	}
	return max(int(int64(DefaultStateBudget)*stateScale/int64(n)*stateScale/int64(n)), 1024)
}

// Schedule finds the order of the operators with the smallest peak of live
// bytes, among the orders that keep the graph's dependencies. It searches
// the sets of executed operators level by level (dynamic programming over
// frontiers: the live bytes depend on the set only), keeping for each set
// the smallest peak that reaches it, pruned by the best complete order
// known, and runs right away any operator that neither raises the peak so
// far nor the live bytes (which never hurts). That is exact; once it holds
// more than budget states (0: DefaultStateBudget, fewer for graphs of more
// than 256 operators) it starts again as a beam search that keeps the best
// states of each level, which is a heuristic.
// The original order and a greedy order are tried first; ties keep the
// original order where they can.
func (g *Graph) Schedule(budget int) Schedule {
	if budget <= 0 {
		budget = defaultStates(len(g.ops))
	}
	identity := make([]int, len(g.ops))
	for i := range identity {
		identity[i] = i
	}
	best := Schedule{Order: identity, Bound: g.bound}
	best.Peak, _ = g.Peak(identity) // the model's own order keeps every dependency
	if greedy := g.greedyOrder(); greedy.Peak < best.Peak {
		best.Order, best.Peak = greedy.Order, greedy.Peak
	}
	if best.Peak <= best.Bound {
		best.Optimal = true
		return best
	}
	order, peak, states, exact := g.search(best.Peak, budget, 0)
	best.States = states
	if !exact {
		width := max(budget/max(len(g.ops), 1), 16)
		order, peak, states, _ = g.search(best.Peak, budget, width)
		best.States += states
	}
	if order != nil && peak < best.Peak {
		best.Order, best.Peak = order, peak
	}
	best.Optimal = exact || best.Peak <= best.Bound
	if best.Optimal {
		best.Bound = best.Peak
	}
	return best
}

// state is a set of executed operators during a search.
type state struct {
	done   []uint64
	count  int   // operators in done
	live   int64 // bytes alive after them
	peak   int64 // the most bytes alive at one step so far
	parent int32 // index of the state it came from, -1 for the start
	path   []int32
}

// start is the state before any operator runs.
func (g *Graph) start() state {
	var live int64
	for t, initial := range g.initial {
		if initial && (g.output[t] || len(g.consumers[t]) > 0) {
			live += g.size[t]
		}
	}
	return state{done: make([]uint64, g.words), live: live, peak: g.fixedLoad, parent: -1}
}

// ready reports whether every operator v depends on is in done.
func (g *Graph) ready(done []uint64, v int) bool {
	for _, p := range g.preds[v] {
		if !has(done, int(p)) {
			return false
		}
	}
	return true
}

// step returns the bytes alive while operator v runs after the operators
// in done, whose live bytes are live, and the live bytes after it; last is
// set when v is the last operator.
func (g *Graph) step(done []uint64, live int64, v int, last bool) (load, after int64) {
	o := &g.ops[v]
	load, after = live+o.scratch, live
	for _, t := range o.outputs {
		load += g.size[t]
		if g.output[t] || len(g.consumers[t]) > 0 {
			after += g.size[t]
		}
	}
	if last {
		load += g.lastOnly
	}
	for _, t := range o.inputs {
		if g.output[t] {
			continue
		}
		free := true
		for _, c := range g.consumers[t] {
			if int(c) != v && !has(done, int(c)) {
				free = false
				break
			}
		}
		if free {
			after -= g.size[t]
		}
	}
	return load, after
}

// advance runs operator v on a copy of st.
func (g *Graph) advance(st *state, v int) state {
	load, live := g.step(st.done, st.live, v, st.count+1 == len(g.ops))
	next := state{done: slices.Clone(st.done), count: st.count + 1, live: live, peak: max(st.peak, load)}
	set(next.done, v)
	next.path = []int32{int32(v)}
	return next
}

// settle runs, one after another, the ready operators that raise neither
// the peak nor the live bytes: some best order continues with them.
func (g *Graph) settle(st *state) {
	if g.lastOnly > 0 {
		return // which operator runs last matters then
	}
	for progress := true; progress; {
		progress = false
		for v := range g.ops {
			if has(st.done, v) || !g.ready(st.done, v) {
				continue
			}
			load, live := g.step(st.done, st.live, v, st.count+1 == len(g.ops))
			if load <= st.peak && live <= st.live {
				set(st.done, v)
				st.count++
				st.live = live
				st.path = append(st.path, int32(v))
				progress = true
			}
		}
	}
}

// greedyOrder runs, at each step, the ready operator with the smallest
// step load, then the fewest live bytes after it, then the lowest index.
func (g *Graph) greedyOrder() Schedule {
	st := g.start()
	order := make([]int, 0, len(g.ops))
	for st.count < len(g.ops) {
		chosen, chosenLoad, chosenLive := -1, int64(0), int64(0)
		for v := range g.ops {
			if has(st.done, v) || !g.ready(st.done, v) {
				continue
			}
			load, live := g.step(st.done, st.live, v, st.count+1 == len(g.ops))
			load = max(load, st.peak)
			if chosen < 0 || load < chosenLoad || load == chosenLoad && live < chosenLive {
				chosen, chosenLoad, chosenLive = v, load, live
			}
		}
		st.peak, st.live = chosenLoad, chosenLive
		set(st.done, chosen)
		st.count++
		order = append(order, chosen)
	}
	return Schedule{Order: order, Peak: st.peak}
}

// search runs the level-by-level search for an order with a peak below
// incumbent. With width 0 it is exact and gives up (exact false) once it
// holds more than budget states; with width > 0 it keeps the width best
// states of each level (a beam search). It returns the best order found
// below incumbent (nil if none), its peak, and the states visited.
func (g *Graph) search(incumbent int64, budget, width int) (order []int, peak int64, visited int, exact bool) {
	states := []state{g.start()}
	g.settle(&states[0])
	index := map[string]int32{key(states[0].done): 0}
	levels := make([][]int32, len(g.ops)+1)
	levels[states[0].count] = []int32{0}
	final := int32(-1)
	for depth := range levels {
		level := levels[depth]
		if width > 0 && len(level) > width {
			slices.SortFunc(level, func(a, b int32) int {
				return cmp.Or(cmp.Compare(states[a].peak, states[b].peak), cmp.Compare(states[a].live, states[b].live), cmp.Compare(a, b))
			})
			level = level[:width]
		}
		for _, idx := range level {
			st := &states[idx]
			if st.peak >= incumbent {
				continue
			}
			if st.count == len(g.ops) {
				incumbent, final = st.peak, idx
				continue
			}
			for v := range g.ops {
				st = &states[idx] // states may have grown
				if has(st.done, v) || !g.ready(st.done, v) {
					continue
				}
				next := g.advance(st, v)
				if next.peak >= incumbent {
					continue
				}
				next.parent = idx
				g.settle(&next)
				k := key(next.done)
				if old, ok := index[k]; ok {
					if states[old].peak <= next.peak {
						continue
					}
					states[old] = next // same set, same level: not processed yet
					continue
				}
				if width == 0 && len(states) >= budget {
					return nil, 0, len(states), false
				}
				index[k] = int32(len(states))
				levels[next.count] = append(levels[next.count], int32(len(states)))
				states = append(states, next)
			}
		}
		levels[depth] = nil
	}
	if final < 0 {
		return nil, 0, len(states), true
	}
	for idx := final; idx >= 0; idx = states[idx].parent {
		path := states[idx].path
		for i := len(path) - 1; i >= 0; i-- {
			order = append(order, int(path[i]))
		}
	}
	slices.Reverse(order)
	return order, states[final].peak, len(states), true
}

// key is a map key for an operator set.
func key(done []uint64) string {
	b := make([]byte, 0, 8*len(done))
	for _, w := range done {
		b = binary.LittleEndian.AppendUint64(b, w)
	}
	return string(b)
}

func has(bits []uint64, i int) bool { return bits[i/64]&(1<<(i%64)) != 0 }
func set(bits []uint64, i int)      { bits[i/64] |= 1 << (i % 64) }
