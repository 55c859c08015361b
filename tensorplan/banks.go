package tensorplan

import (
	"cmp"
	"errors"
	"fmt"
	"slices"
)

// Bank is one memory a banked plan may put buffers in, such as a
// microcontroller's tightly-coupled RAM beside its main SRAM.
type Bank struct {
	Name     string
	Capacity int64
}

// BankPlan is a plan of buffers across banks: every buffer lives in one
// bank, at an offset from that bank's start.
type BankPlan struct {
	// Bank and Offsets hold, per buffer, its bank's index and its offset
	// in that bank.
	Bank    []int
	Offsets []int64
	// Used is the bytes each bank's plan needs (its highest buffer end),
	// and Optimal whether that plan is proven smallest for its buffers.
	Used    []int64
	Optimal []bool
}

// PlanBanks places buffers into banks, filling them in order: each bank but
// the last takes buffers one at a time in order of touches (the number of
// operators that read or write each buffer, most first; then smaller
// first, then input order), keeping a buffer when p's plan of the bank's
// buffers still fits its capacity and skipping it otherwise; the last bank
// takes every buffer left. So the first bank, the fastest, holds the
// buffers the most operators touch. It fails when the last bank's plan
// does not fit, or when a buffer is fixed (offline plans address one
// arena).
func (p Best) PlanBanks(buffers []Buffer, touches []int, banks []Bank) (BankPlan, error) {
	if len(banks) == 0 {
		return BankPlan{}, errors.New("no banks")
	}
	if len(touches) != len(buffers) {
		return BankPlan{}, fmt.Errorf("%d touch counts for %d buffers", len(touches), len(buffers))
	}
	if err := checkBuffers(buffers); err != nil {
		return BankPlan{}, err
	}
	for i, b := range buffers {
		if b.Fixed >= 0 {
			return BankPlan{}, fmt.Errorf("buffer %d is fixed at offset %d: banked plans place every buffer themselves", i, b.Fixed)
		}
	}
	for _, b := range banks {
		if b.Capacity < 0 {
			return BankPlan{}, fmt.Errorf("bank %s: negative capacity %d", b.Name, b.Capacity)
		}
	}
	order := make([]int, len(buffers))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(touches[b], touches[a]), cmp.Compare(buffers[a].Size, buffers[b].Size))
	})
	bp := BankPlan{Bank: make([]int, len(buffers)), Offsets: make([]int64, len(buffers)),
		Used: make([]int64, len(banks)), Optimal: make([]bool, len(banks))}
	left := order
	for k, bank := range banks {
		var members []int // indices into buffers, in input order
		var plan Plan
		if k == len(banks)-1 {
			members = slices.Sorted(slices.Values(left))
			var err error
			if plan, err = p.Plan(subset(buffers, members)); err != nil {
				return BankPlan{}, err
			}
			if plan.ArenaSize > bank.Capacity {
				return BankPlan{}, fmt.Errorf("bank %s: the %d buffers left need %d bytes, more than its %d", bank.Name, len(members), plan.ArenaSize, bank.Capacity)
			}
			left = nil
		} else {
			var rest []int
			for _, id := range left {
				trial := append(slices.Clone(members), id)
				slices.Sort(trial)
				fits, tp, err := p.fits(subset(buffers, trial), bank.Capacity)
				if err != nil {
					return BankPlan{}, err
				}
				if fits {
					members, plan = trial, tp
				} else {
					rest = append(rest, id)
				}
			}
			left = rest
			if len(members) > 0 {
				// The fits were judged with cheap plans: plan the bank's
				// buffers in full now, never worse than the plan that fit.
				final, err := p.Plan(subset(buffers, members))
				if err != nil {
					return BankPlan{}, err
				}
				if final.ArenaSize <= plan.ArenaSize {
					plan = final
				}
			}
		}
		for j, id := range members {
			bp.Bank[id], bp.Offsets[id] = k, plan.Offsets[j]
		}
		bp.Used[k], bp.Optimal[k] = plan.ArenaSize, plan.Optimal || len(members) == 0
	}
	return bp, nil
}

// fits reports whether buffers fit in capacity: by the lower bound first,
// then TFLM's greedy plan, then a plan by p with a small budget, and
// returns the plan that fits.
func (p Best) fits(buffers []Buffer, capacity int64) (bool, Plan, error) {
	if LowerBound(buffers) > capacity {
		return false, Plan{}, nil
	}
	plan, err := TFLM{}.Plan(buffers)
	if err != nil || plan.ArenaSize <= capacity {
		return err == nil, plan, err
	}
	small := p
	small.NodeBudget = max(p.budget(len(buffers))/64, 1)
	plan, err = small.Plan(buffers)
	return err == nil && plan.ArenaSize <= capacity, plan, err
}

// subset returns the buffers at ids.
func subset(buffers []Buffer, ids []int) []Buffer {
	out := make([]Buffer, len(ids))
	for i, id := range ids {
		out[i] = buffers[id]
	}
	return out
}
