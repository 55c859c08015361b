package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// reorderReport is what `footprint arena MODEL --reorder` reports; its JSON
// form is --format json's output.
type reorderReport struct {
	Model string `json:"model"`
	Ops   int    `json:"ops"`
	// PeakBefore and PeakAfter are the joint bounds (most tensor and
	// scratch bytes alive at one step) of the model's order and the new
	// one.
	PeakBefore int64 `json:"peak_before"`
	PeakAfter  int64 `json:"peak_after"`
	// Optimal is true when no order has a smaller peak; Method says how
	// the order was found: "exact" (search over sets of executed
	// operators finished) or "heuristic" (beam search after the state
	// budget ran out).
	Optimal bool   `json:"optimal"`
	Method  string `json:"method"`
	Bound   int64  `json:"bound"`
	States  int    `json:"states"`
	// Order lists, for each position, the original index of the operator
	// that runs there; Changed is false when that is the model's order.
	Order   []int `json:"order"`
	Changed bool  `json:"changed"`
	// HeadBefore and HeadAfter are stock TFLM's head for the original and
	// the reordered model, each with TFLM's own plan.
	HeadBefore int64 `json:"head_before"`
	HeadAfter  int64 `json:"head_after"`
	// Written describes the model written by --write-model, if any.
	Written *reorderWritten `json:"written,omitempty"`
}

// reorderWritten is the reordered model written to a file.
type reorderWritten struct {
	Path       string `json:"path"`
	BytesAdded int    `json:"bytes_added"`
	// Head and MinArenaBytes are stock TFLM's for the written model, with
	// the joint plan embedded.
	Head          int64 `json:"head"`
	MinArenaBytes int64 `json:"min_arena_bytes"`
	// MinArenaBefore is the original model's kTensorArenaSize.
	MinArenaBefore int64 `json:"min_arena_before"`
	Optimal        bool  `json:"optimal"`
	// OutputsChecked is true when the runtime ran both models on the
	// oracle pattern input; OutputsEqual whether every output byte
	// matched. OutputsNote says why they were not checked.
	OutputsChecked bool   `json:"outputs_checked"`
	OutputsEqual   bool   `json:"outputs_equal"`
	OutputsNote    string `json:"outputs_note,omitempty"`
}

// runArenaReorder answers `footprint arena MODEL --reorder`: the operator
// order with the smallest peak of live tensor and scratch bytes, and with
// --write-model the reordered model with its joint plan embedded, whose
// outputs the runtime compares with the original's.
func runArenaReorder(stdout, stderr io.Writer, opts arenaOptions) error {
	if opts.model == "" || opts.csv != "" {
		return errors.New("arena: --reorder needs a MODEL.tflite argument (and no --csv)")
	}
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("arena: unknown format %q (want table or json)", opts.format)
	}
	abi, model, err := opts.targetModel(stderr)
	if err != nil {
		return err
	}
	r, err := tflmarena.Reorder(model, abi, opts.stateBudget)
	if err != nil {
		return fmt.Errorf("arena: --reorder: %s: %w", opts.model, err)
	}
	s := r.Schedule
	rep := &reorderReport{
		Model: filepath.Base(opts.model), Ops: len(s.Order), PeakBefore: r.PeakBefore, PeakAfter: s.Peak,
		Optimal: s.Optimal, Method: "exact", Bound: s.Bound, States: s.States, Order: s.Order, Changed: r.Changed(),
		HeadBefore: r.Before.Head, HeadAfter: r.After.Head,
	}
	if !s.Optimal {
		rep.Method = "heuristic"
	}
	if opts.writeModel != "" {
		if rep.Written, err = writeReordered(opts.writeModel, model, r, tensorplan.Best{NodeBudget: opts.nodeBudget}, abi); err != nil {
			return err
		}
	}
	if opts.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else if err := rep.writeText(stdout, abi); err != nil {
		return err
	}
	if wr := rep.Written; wr != nil && wr.OutputsChecked && !wr.OutputsEqual {
		return failure{msg: fmt.Sprintf("arena: --reorder: %s computes other outputs than %s", wr.Path, opts.model)}
	}
	return nil
}

// writeReordered writes the reordered model with its joint plan embedded
// (tflmarena.EmbedPlan with the best planner) and compares its outputs with
// the original's on the runtime.
func writeReordered(path string, original *tflite.Model, r *tflmarena.ReorderedModel, best tensorplan.Best, abi tflmarena.ABI) (*reorderWritten, error) {
	lt, err := tensorplan.ModelLifetimes(r.Model)
	if err != nil {
		return nil, fmt.Errorf("arena: --write-model: %w", err)
	}
	pm, err := tflmarena.EmbedPlan(r.Model, lt, best, abi)
	if err != nil {
		return nil, fmt.Errorf("arena: --write-model: %w", err)
	}
	if err := os.WriteFile(path, pm.Data, 0o644); err != nil {
		return nil, fmt.Errorf("arena: --write-model: %w", err)
	}
	w := &reorderWritten{
		Path: path, BytesAdded: len(pm.Data) - len(original.Raw),
		Head: pm.After.Head, MinArenaBytes: pm.After.MinArenaBytes, MinArenaBefore: r.Before.MinArenaBytes,
	}
	if pm.Joint != nil {
		w.Optimal = pm.After.Head <= pm.Joint.Bound
	}
	written, err := tflite.Parse(pm.Data)
	if err != nil {
		return nil, fmt.Errorf("arena: --write-model: the written model does not parse: %w", err)
	}
	w.OutputsEqual, err = sameOutputs(original, written)
	var unsupported *runtime.UnsupportedError
	switch {
	case errors.As(err, &unsupported):
		w.OutputsNote = err.Error()
	case err != nil:
		return nil, fmt.Errorf("arena: --write-model: running the models: %w", err)
	default:
		w.OutputsChecked = true
	}
	return w, nil
}

// sameOutputs runs both models on the oracle pattern input with the
// runtime and reports whether every output byte is equal.
func sameOutputs(a, b *tflite.Model) (bool, error) {
	var outs [2][]runtime.Output
	for i, m := range []*tflite.Model{a, b} {
		in, err := runtime.New(m)
		if err != nil {
			return false, err
		}
		var inputs [][]byte
		for _, n := range in.InputBytes() {
			inputs = append(inputs, runtime.OraclePattern(n))
		}
		if outs[i], err = in.Run(inputs); err != nil {
			return false, err
		}
	}
	if len(outs[0]) != len(outs[1]) {
		return false, nil
	}
	for i := range outs[0] {
		if !bytes.Equal(outs[0][i].Data, outs[1][i].Data) {
			return false, nil
		}
	}
	return true, nil
}

// writeText renders the report for people.
func (rep *reorderReport) writeText(w io.Writer, abi tflmarena.ABI) error {
	var b strings.Builder
	on := abi.Name
	if abi.Kernels.IsCMSISNN() {
		on += " with " + abi.Kernels.String()
	} else {
		on += ", reference kernels"
	}
	fmt.Fprintf(&b, "model        %s\n", rep.Model)
	fmt.Fprintf(&b, "operators    %d; peak = most tensor and scratch bytes alive at one step (%s)\n", rep.Ops, on)
	fmt.Fprintf(&b, "peak before  %d bytes (the model's order)\n", rep.PeakBefore)
	switch {
	case rep.Optimal:
		fmt.Fprintf(&b, "peak after   %d bytes (optimal: no order does better; %d search states)\n", rep.PeakAfter, rep.States)
	default:
		fmt.Fprintf(&b, "peak after   %d bytes (heuristic: beam search after %d states; no order needs less than %d)\n", rep.PeakAfter, rep.States, rep.Bound)
	}
	if !rep.Changed {
		b.WriteString("order        unchanged (no order has a smaller peak)\n")
	} else {
		fmt.Fprintf(&b, "order        %s\n", orderRanges(rep.Order))
	}
	fmt.Fprintf(&b, "stock TFLM   head %d -> %d bytes with its own plan\n", rep.HeadBefore, rep.HeadAfter)
	if wr := rep.Written; wr != nil {
		plan := "not at the bound"
		if wr.Optimal {
			plan = "at the bound"
		}
		what := "operators reordered"
		if !rep.Changed {
			what = "operators in their order"
		}
		fmt.Fprintf(&b, "\nwrote %s (+%d bytes): %s, joint plan embedded as %s metadata; stock TFLM on %s: head %d -> %d bytes (%s), kTensorArenaSize %d -> %d\n",
			wr.Path, wr.BytesAdded, what, tensorplan.OfflineMetadata, abi.Name, rep.HeadBefore, wr.Head, plan, wr.MinArenaBefore, wr.MinArenaBytes)
		switch {
		case !wr.OutputsChecked:
			fmt.Fprintf(&b, "outputs      not checked: %s\n", wr.OutputsNote)
		case wr.OutputsEqual:
			b.WriteString("outputs      identical to the original model's (runtime, oracle pattern input)\n")
		default:
			b.WriteString("outputs      DIFFER from the original model's (runtime, oracle pattern input)\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// orderRanges prints an order compactly, runs of consecutive operators as
// ranges: "0-3 8 4-7 9".
func orderRanges(order []int) string {
	var parts []string
	for i := 0; i < len(order); {
		j := i
		for j+1 < len(order) && order[j+1] == order[j]+1 {
			j++
		}
		if j > i {
			parts = append(parts, fmt.Sprintf("%d-%d", order[i], order[j]))
		} else {
			parts = append(parts, fmt.Sprint(order[i]))
		}
		i = j + 1
	}
	return strings.Join(parts, " ")
}
