package tensorplan

import (
	"cmp"
	"fmt"
	"slices"
)

// This file plans what TFLM plans when a model carries an offline plan: the
// tensors, whose offsets the plan fixes, and the kernels' scratch buffers,
// which TFLM's greedy planner then places itself around the fixed tensors,
// largest first, each at the first gap that holds it. A plan of both only
// takes effect if the greedy planner, given the tensors' offsets, puts every
// scratch buffer where the plan has it.

// JointPlan is an offline plan of a model's tensors together with where
// TFLM's greedy planner then puts the kernels' scratch buffers.
type JointPlan struct {
	// Tensors holds one offset per tensor buffer, to write as the offline
	// plan; Scratch the offset TFLM's greedy planner gives each scratch
	// buffer once the tensors are fixed there.
	Tensors, Scratch []int64
	// Head is the arena TFLM plans then: the highest end of any tensor or
	// scratch buffer.
	Head int64
	// Bound is the joint lower bound: the most tensor and scratch bytes
	// alive at one step (or the highest end of a tensor fixed beforehand),
	// which no plan, offline or not, can beat.
	Bound int64
	// Optimal is true when Head equals Bound. Otherwise Head is the best
	// found within the node budget: the search cannot rule plans out,
	// since TFLM's placement of the scratch buffers is not a packing
	// constraint its canonical forms respect.
	Optimal bool
	// Nodes counts the search nodes spent.
	Nodes int
	// Source names the plan the tensor offsets came from: "tflm" (TFLM's
	// own plan of tensors and scratch buffers), "greedy" (one of Best's
	// greedy orders), "best" (Best's plan of tensors and scratch
	// buffers), "search" (the search for plans TFLM's placement of the
	// scratch buffers reproduces) or "tensors" (Best's plan of the
	// tensors alone).
	Source string
}

// PlanJoint plans tensors and the kernels' scratch buffers together for an
// offline plan: it returns tensor offsets for which TFLM's greedy planner,
// placing the scratch buffers around them, gives the smallest head found.
// Tensors may be fixed already (an offline plan the model carries);
// scratch buffers must be online.
//
// It tries TFLM's own plan of all the buffers, Best's greedy orders and
// Best's plan of all the buffers, each judged by the head TFLM's placement
// of the scratch buffers gives, then searches, as Best does, for plans
// whose scratch buffers sit exactly where TFLM's first fit puts them, and
// finally tries Best's plan of the tensors alone. It stops as soon as a head
// reaches the joint bound. The head can exceed the one TFLM plans without
// an offline plan: fixing the tensors changes the order in which TFLM's
// greedy planner meets the scratch buffers.
func (p Best) PlanJoint(tensors, scratch []Buffer) (JointPlan, error) {
	for i, b := range scratch {
		if b.Fixed != Online {
			return JointPlan{}, fmt.Errorf("scratch buffer %d: fixed at %d, but TFLM places scratch buffers itself", i, b.Fixed)
		}
	}
	all := slices.Concat(tensors, scratch)
	if err := checkBuffers(all); err != nil {
		return JointPlan{}, err
	}
	n := len(tensors)
	best := JointPlan{Bound: LowerBound(all), Head: -1}
	try := func(offsets []int64, source string) error {
		jp, err := greedyScratch(tensors, scratch, offsets[:n])
		if err != nil {
			return err
		}
		if best.Head < 0 || jp.Head < best.Head {
			best.Tensors, best.Scratch, best.Head, best.Source = jp.Tensors, jp.Scratch, jp.Head, source
		}
		return nil
	}
	done := func() bool { return best.Head >= 0 && best.Head <= best.Bound }

	tflm, err := TFLM{}.Plan(all)
	if err != nil {
		return JointPlan{}, err
	}
	if err := try(tflm.Offsets, "tflm"); err != nil {
		return JointPlan{}, err
	}
	for _, order := range greedyOrders() {
		for _, how := range []fit{firstFit, bestFit} {
			if done() {
				return best.proven(), nil
			}
			if err := try(placeGreedy(all, onlineOrder(all, order), how), "greedy"); err != nil {
				return JointPlan{}, err
			}
		}
	}
	budget := p.budget(len(all))
	if !done() {
		// Best's plan of everything, judged by where TFLM then puts the
		// scratch buffers: it usually puts them right where the plan has
		// them.
		joint, err := Best{NodeBudget: max(budget/4, 1)}.Plan(all)
		if err != nil {
			return JointPlan{}, err
		}
		best.Nodes += joint.Nodes
		if err := try(joint.Offsets, "best"); err != nil {
			return JointPlan{}, err
		}
	}
	if !done() {
		if items, sections, ok := searchProblem(all); ok {
			markGreedy(all, items, n)
			out := searchItems(all, items, sections, best.Head, best.Bound, max(budget/2, 1))
			best.Nodes += out.nodes
			if out.offsets != nil {
				if err := try(out.offsets, "search"); err != nil {
					return JointPlan{}, err
				}
			}
		}
	}
	if !done() {
		alone, err := Best{NodeBudget: max(budget/4, 1)}.Plan(tensors)
		if err != nil {
			return JointPlan{}, err
		}
		best.Nodes += alone.Nodes
		if err := try(alone.Offsets, "tensors"); err != nil {
			return JointPlan{}, err
		}
	}
	return best.proven(), nil
}

// proven sets Optimal.
func (jp JointPlan) proven() JointPlan {
	jp.Optimal = jp.Head <= jp.Bound
	return jp
}

// markGreedy marks the items of buffers n and beyond, the scratch buffers,
// as placed by TFLM's greedy planner, with their place in its order:
// largest first, equal sizes in reverse input order, after every tensor.
func markGreedy(buffers []Buffer, items []searchItem, n int) {
	order := make([]int, 0, len(buffers)-n)
	for i := n; i < len(buffers); i++ {
		order = append(order, i)
	}
	slices.SortFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(buffers[b].Size, buffers[a].Size), cmp.Compare(b, a))
	})
	rank := make(map[int]int, len(order))
	for r, id := range order {
		rank[id] = r + 1
	}
	for k := range items {
		if it := &items[k]; it.id >= n {
			it.greedy, it.order = true, rank[it.id]
		}
	}
}

// greedyScratch fixes tensors at offsets and lets TFLM's greedy planner
// place the scratch buffers around them, as TFLM does with an offline
// plan; it returns the resulting plan, validated.
func greedyScratch(tensors, scratch []Buffer, offsets []int64) (JointPlan, error) {
	if len(offsets) != len(tensors) {
		return JointPlan{}, fmt.Errorf("%d offsets for %d tensors", len(offsets), len(tensors))
	}
	buffers := make([]Buffer, 0, len(tensors)+len(scratch))
	for i, b := range tensors {
		b.Fixed = offsets[i]
		buffers = append(buffers, b)
	}
	buffers = append(buffers, scratch...)
	plan, err := TFLM{}.Plan(buffers)
	if err != nil {
		return JointPlan{}, fmt.Errorf("tflm planner: %w", err)
	}
	// Validate with the tensors as they were, so that two tensors the
	// offsets put on the same bytes while alive are caught too.
	n := len(tensors)
	copy(buffers, tensors)
	if err := Validate(buffers, plan); err != nil {
		return JointPlan{}, fmt.Errorf("%w: %w", ErrInvalidPlan, err)
	}
	return JointPlan{Tensors: plan.Offsets[:n:n], Scratch: plan.Offsets[n:], Head: plan.ArenaSize}, nil
}
