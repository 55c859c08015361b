package tensorplan

// DefaultNodeBudget is the search budget Best uses when its NodeBudget is 0,
// for problems of up to budgetScale buffers; larger problems get
// proportionally fewer nodes (see defaultBudget). A node is one tentative
// placement, 0.1 to 0.5 microseconds of work on problems with hundreds of
// buffers, so the search stays within a few seconds even when it cannot
// reach the lower bound, and it is enough to reach the bound on every
// MiniMalloc challenging benchmark whose bound is its capacity.
const DefaultNodeBudget = 8_000_000

// budgetScale is the number of buffers up to which Best's default budget is
// DefaultNodeBudget.
const budgetScale = 512

// defaultBudget is Best's budget for n buffers. A node's work grows about
// linearly with the number of buffers (it scans those of its part), so the
// budget shrinks as n grows to keep the search's time within seconds.
func defaultBudget(n int) int {
	return int(int64(DefaultNodeBudget) * budgetScale / int64(max(n, budgetScale)))
}

// Best is footprint's own planner. It starts from TFLM's plan, so it is
// never worse than stock TFLM, then tries greedy orderings (by size,
// lifetime, area and first use, each with first-fit and best-fit gaps) and
// finally a branch-and-bound search (see searcher) bounded by NodeBudget.
// It stops as soon as a plan reaches LowerBound, which is then optimal. It
// is deterministic: the same buffers always give the same plan.
type Best struct {
	// NodeBudget bounds the search in nodes, tentative placements (0 means
	// DefaultNodeBudget, less for more than 512 buffers); counting nodes
	// rather than time keeps the result reproducible.
	NodeBudget int
}

// Name returns "best".
func (Best) Name() string { return "best" }

// Plan returns the smallest plan found, with its proof status: optimal
// when it reaches LowerBound or the search ruled out every smaller arena,
// otherwise the best found within the node budget.
func (p Best) Plan(buffers []Buffer) (Plan, error) {
	best, err := TFLM{}.Plan(buffers)
	if err != nil {
		return Plan{}, err
	}
	bound := best.Bound
	for _, order := range greedyOrders() {
		for _, how := range []fit{firstFit, bestFit} {
			if best.ArenaSize <= bound {
				return best, nil
			}
			offsets := placeGreedy(buffers, onlineOrder(buffers, order), how)
			if end := arenaEnd(buffers, offsets); end < best.ArenaSize {
				best = provenPlan(offsets, end, bound, 0)
			}
		}
	}
	if best.ArenaSize <= bound {
		return best, nil
	}
	out := searchPlan(buffers, best.ArenaSize, bound, p.budget(len(buffers)))
	if out.offsets != nil {
		best.Offsets, best.ArenaSize = out.offsets, arenaEnd(buffers, out.offsets)
	}
	return provenPlan(best.Offsets, best.ArenaSize, out.proven, out.nodes), nil
}

// budget is the node budget for n buffers.
func (p Best) budget(n int) int {
	if p.NodeBudget > 0 {
		return p.NodeBudget
	}
	return defaultBudget(n)
}
