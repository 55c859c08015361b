package tensorplan

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strings"
	"text/tabwriter"
)

// ReportVersion is the version of Report's JSON form. It changes only when
// a field is removed or changes meaning; new fields may appear without it.
const ReportVersion = 1

// ErrInvalidPlan is wrapped by BuildReport's error when a planner produced
// a plan that Validate rejects.
var ErrInvalidPlan = errors.New("invalid plan")

// Report is the plan of one model's arena as `footprint arena` prints it;
// its JSON form is stable (see ReportVersion) and is what the runtime reads.
type Report struct {
	Version int    `json:"version"`
	Model   string `json:"model"`
	// Planner names the planner whose offsets Tensors holds.
	Planner    string `json:"planner"`
	ArenaBytes int64  `json:"arena_bytes"`
	LowerBound int64  `json:"lower_bound"`
	// ProvenBound is the largest arena size proven necessary: LowerBound,
	// or more where Best's search ruled smaller arenas out exhaustively.
	ProvenBound int64 `json:"proven_bound"`
	// Optimal says whether the chosen plan is proven smallest: it reaches
	// ProvenBound. Otherwise it is the best found within the node budget.
	Optimal bool `json:"optimal"`
	// LastStep is the step at which the main subgraph ends; steps start at 0.
	LastStep int              `json:"last_step"`
	Planners []PlannerSummary `json:"planners"`
	// Tensors are the planned tensors in TFLM's order.
	Tensors []PlacedTensor `json:"tensors"`
	// Persistent are the variable tensors TFLM keeps in the persistent
	// tail, outside the planned head.
	Persistent []PersistentTensor `json:"persistent"`
	// Joint is set when the plan was written into the model (footprint
	// arena --write-model): the head stock TFLM plans for it, tensors and
	// kernel scratch buffers together, against their joint lower bound.
	Joint *JointSummary `json:"joint,omitempty"`
}

// JointSummary is what an offline plan written into a model does to the
// head stock TFLM plans: tensors at the plan's offsets, the kernels'
// scratch buffers placed by TFLM's greedy planner around them.
type JointSummary struct {
	ScratchBuffers int `json:"scratch_buffers"`
	// Bound is the peak of live tensor and scratch bytes, which no plan
	// can beat.
	Bound int64 `json:"bound"`
	// HeadBefore is the head TFLM plans without the offline plan, Head
	// the one it plans with it.
	HeadBefore int64 `json:"head_before"`
	Head       int64 `json:"head"`
	// Optimal is true when Head reaches Bound; otherwise Head is the best
	// found within SearchNodes search nodes.
	Optimal     bool `json:"optimal"`
	SearchNodes int  `json:"search_nodes"`
	// Written is false when the model was written unchanged, because no
	// offline plan found beat TFLM's own.
	Written bool `json:"written"`
}

// PlannerSummary is one planner's arena and its distance to the lower bound.
type PlannerSummary struct {
	Name       string  `json:"name"`
	ArenaBytes int64   `json:"arena_bytes"`
	GapBytes   int64   `json:"gap_bytes"`
	GapPercent float64 `json:"gap_percent"` // GapBytes / LowerBound * 100
	// Optimal is true when the plan is proven smallest (see Plan.Optimal).
	Optimal bool `json:"optimal"`
	// SearchNodes counts the search nodes the planner spent.
	SearchNodes int `json:"search_nodes"`
}

// PlacedTensor is one planned tensor and its place in the arena.
type PlacedTensor struct {
	Subgraph int    `json:"subgraph"`
	Index    int    `json:"index"` // tensor index within its subgraph
	Name     string `json:"name"`
	// Bytes is the space reserved: the tensor's length rounded up to 16.
	Bytes       int64 `json:"bytes"`
	TensorBytes int64 `json:"tensor_bytes"`
	First       int   `json:"first"` // first step alive, -1 if TFLM never marks it
	Last        int   `json:"last"`  // last step alive, inclusive
	Offset      int64 `json:"offset"`
	// Fixed is true when an OfflineMemoryAllocation plan set the offset.
	Fixed bool `json:"fixed"`
}

// PersistentTensor is a variable tensor held in the persistent tail.
type PersistentTensor struct {
	Subgraph int    `json:"subgraph"`
	Index    int    `json:"index"`
	Name     string `json:"name"`
	Bytes    int64  `json:"bytes"`
}

// BuildReport plans lt with every planner in planners, validates each plan,
// and reports the one named chosen in full.
func BuildReport(model string, lt *Lifetimes, chosen string, planners []Planner) (*Report, error) {
	buffers := lt.Buffers()
	r := &Report{
		Version:    ReportVersion,
		Model:      model,
		Planner:    chosen,
		LowerBound: LowerBound(buffers),
		LastStep:   lt.LastStep,
		Planners:   []PlannerSummary{},
		Tensors:    []PlacedTensor{},
		Persistent: []PersistentTensor{},
	}
	var plan *Plan
	for _, p := range planners {
		pl, err := p.Plan(buffers)
		if err != nil {
			return nil, fmt.Errorf("%s planner: %w", p.Name(), err)
		}
		if err := Validate(buffers, pl); err != nil {
			return nil, fmt.Errorf("%s planner: %w: %w", p.Name(), ErrInvalidPlan, err)
		}
		gap := pl.ArenaSize - r.LowerBound
		r.ProvenBound = max(r.ProvenBound, pl.Bound)
		s := PlannerSummary{Name: p.Name(), ArenaBytes: pl.ArenaSize, GapBytes: gap, Optimal: pl.Optimal, SearchNodes: pl.Nodes}
		if r.LowerBound > 0 {
			s.GapPercent = float64(gap) * 100 / float64(r.LowerBound)
		}
		r.Planners = append(r.Planners, s)
		if p.Name() == chosen {
			plan = &pl
		}
	}
	if plan == nil {
		return nil, fmt.Errorf("planner %q is not among those run", chosen)
	}
	r.ArenaBytes = plan.ArenaSize
	r.ProvenBound = max(r.ProvenBound, r.LowerBound)
	r.Optimal = r.ArenaBytes <= r.ProvenBound
	for i, t := range lt.Tensors {
		r.Tensors = append(r.Tensors, PlacedTensor{
			Subgraph: t.Subgraph, Index: t.Index, Name: t.Name,
			Bytes: t.Size, TensorBytes: t.Bytes,
			First: t.First, Last: t.Last,
			Offset: plan.Offsets[i], Fixed: t.Fixed >= 0,
		})
	}
	for _, p := range lt.Persistent {
		r.Persistent = append(r.Persistent, PersistentTensor(p))
	}
	return r, nil
}

// proof says in words whether a planner's plan is proven optimal, given
// the largest bound any planner proved and the smallest plan any found.
func (s PlannerSummary) proof(bound, smallest int64) string {
	switch {
	case s.ArenaBytes <= bound:
		return "optimal"
	case s.ArenaBytes > smallest:
		return "not optimal"
	case s.SearchNodes > 0:
		return fmt.Sprintf("not proven (best found in %d search nodes)", s.SearchNodes)
	}
	return "not proven"
}

// maxNameWidth is where WriteText truncates tensor names.
const maxNameWidth = 48

// WriteText renders r for people: the lower bound, every planner's arena
// and gap, the chosen plan tensor by tensor, and an ASCII timeline with one
// row per tensor (by offset) and one column per step (or per group of steps
// when there are more than width of them).
func (r *Report) WriteText(w io.Writer, width int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "model        %s\n", r.Model)
	fmt.Fprintf(&b, "tensors      %d planned over steps 0-%d, %d persistent\n", len(r.Tensors), r.LastStep, len(r.Persistent))
	fmt.Fprintf(&b, "lower bound  %d bytes (peak of live tensor bytes)\n", r.LowerBound)
	if r.ProvenBound > r.LowerBound {
		fmt.Fprintf(&b, "proven bound %d bytes (the search ruled out every smaller arena)\n", r.ProvenBound)
	}
	b.WriteString("\n")

	smallest := int64(math.MaxInt64)
	for _, s := range r.Planners {
		smallest = min(smallest, s.ArenaBytes)
	}
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "planner\tarena bytes\tgap bytes\tgap\t proven")
	for _, s := range r.Planners {
		fmt.Fprintf(tw, "%s\t%d\t%d\t%.1f%%\t %s\n", s.Name, s.ArenaBytes, s.GapBytes, s.GapPercent, s.proof(r.ProvenBound, smallest))
	}
	tw.Flush()

	if j := r.Joint; j != nil && j.Written && j.ScratchBuffers > 0 {
		fmt.Fprintf(&b, "\nplan written into the model (by %s, with the kernels' scratch buffers): %d bytes of tensors; head %d with the scratch buffers TFLM places\n", r.Planner, r.ArenaBytes, j.Head)
	} else {
		fmt.Fprintf(&b, "\nplan by %s: %d bytes\n", r.Planner, r.ArenaBytes)
	}
	tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "subgraph\ttensor\tbytes\tfirst\tlast\toffset\t name")
	for _, t := range r.Tensors {
		fixed := ""
		if t.Fixed {
			fixed = " (offline)"
		}
		fmt.Fprintf(tw, "%d\t%d\t%d\t%d\t%d\t%d\t %s%s\n", t.Subgraph, t.Index, t.Bytes, t.First, t.Last, t.Offset, shorten(t.Name), fixed)
	}
	tw.Flush()
	if len(r.Persistent) > 0 {
		fmt.Fprintf(&b, "\npersistent (variable tensors, outside the plan)\n")
		tw = tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
		fmt.Fprintln(tw, "subgraph\ttensor\tbytes\t name")
		for _, p := range r.Persistent {
			fmt.Fprintf(tw, "%d\t%d\t%d\t %s\n", p.Subgraph, p.Index, p.Bytes, shorten(p.Name))
		}
		tw.Flush()
	}
	b.WriteString("\n")
	r.writeTimeline(&b, width)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeTimeline draws one row per tensor, sorted by offset: '#' where the
// tensor is alive, '.' elsewhere; the last row marks with '^' the steps
// whose live bytes reach the lower bound.
func (r *Report) writeTimeline(b *strings.Builder, width int) {
	if len(r.Tensors) == 0 {
		b.WriteString("timeline: nothing planned\n")
		return
	}
	lo, hi := 0, r.LastStep
	for _, t := range r.Tensors {
		lo, hi = min(lo, t.First), max(hi, t.Last)
	}
	steps := hi - lo + 1
	per := max(1, (steps+width-1)/max(width, 1)) // steps per column
	cols := (steps + per - 1) / per
	fmt.Fprintf(b, "timeline (columns: steps %d-%d", lo, hi)
	if per > 1 {
		fmt.Fprintf(b, ", %d steps each", per)
	}
	b.WriteString("; rows: tensors by offset; # alive)\n")
	order := make([]int, len(r.Tensors))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int {
		a, c := &r.Tensors[x], &r.Tensors[y]
		return cmp.Or(cmp.Compare(a.Offset, c.Offset), cmp.Compare(a.First, c.First))
	})
	// peak[c] is the most bytes alive at one step of column c.
	peak := make([]int64, cols)
	buffers := make([]Buffer, len(r.Tensors))
	for i, t := range r.Tensors {
		buffers[i] = Buffer{Size: t.Bytes, First: t.First, Last: t.Last}
	}
	for _, l := range Profile(buffers) {
		for c := (l.From - lo) / per; c <= (l.To-lo)/per && c < cols; c++ {
			peak[c] = max(peak[c], l.Bytes)
		}
	}
	label := func(offset, end string) string { return fmt.Sprintf("%10s %10s  ", offset, end) }
	b.WriteString(label("offset", "end"))
	b.WriteString("\n")
	row := make([]byte, cols)
	for _, i := range order {
		t := &r.Tensors[i]
		for c := range row {
			from, to := lo+c*per, lo+(c+1)*per-1
			row[c] = '.'
			if t.First <= to && from <= t.Last {
				row[c] = '#'
			}
		}
		b.WriteString(label(fmt.Sprint(t.Offset), fmt.Sprint(t.Offset+t.Bytes)))
		b.Write(row)
		fmt.Fprintf(b, "  %s\n", shorten(t.Name))
	}
	for c := range row {
		row[c] = ' '
		if peak[c] >= r.LowerBound {
			row[c] = '^'
		}
	}
	b.WriteString(label("", "peak"))
	b.Write(row)
	b.WriteString("\n")
}

// shorten cuts a tensor name to maxNameWidth characters.
func shorten(name string) string {
	if len(name) <= maxNameWidth {
		return name
	}
	return name[:maxNameWidth-3] + "..."
}
