package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// runArenaTFLM answers `footprint arena MODEL --tflm`: the kTensorArenaSize
// stock TFLM needs for the model on opts.target with opts.kernels, and
// arena_used_bytes(); for CMSIS-NN also the reference kernels' figures and
// the operators that differ most.
func runArenaTFLM(stdout, stderr io.Writer, opts arenaOptions) error {
	if opts.model == "" || opts.csv != "" {
		return errors.New("arena: --tflm needs a MODEL.tflite argument (and no --csv)")
	}
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("arena: unknown format %q (want table or json)", opts.format)
	}
	abi, model, err := opts.targetModel(stderr)
	if err != nil {
		return err
	}
	if opts.split {
		return runArenaSplit(stdout, model, abi, opts.format)
	}
	est, err := tflmarena.EstimateArena(model, abi)
	if err != nil {
		return fmt.Errorf("arena: %s: %w", opts.model, err)
	}
	if opts.format == "json" {
		return est.WriteJSON(stdout)
	}
	if err := est.WriteText(stdout, false); err != nil {
		return err
	}
	if !abi.Kernels.IsCMSISNN() {
		return nil
	}
	ref, err := tflmarena.EstimateArena(model, tflmarena.CortexM)
	if err != nil {
		return fmt.Errorf("arena: %s: %w", opts.model, err)
	}
	return writeKernelComparison(stdout, ref, est)
}

// runArenaSplit answers `footprint arena MODEL --tflm --split`: the two
// arenas of MicroAllocator's two-arena form, each's minimum size, and how
// they compare with the single arena.
func runArenaSplit(w io.Writer, model *tflite.Model, abi tflmarena.ABI, format string) error {
	split, err := tflmarena.EstimateSplitArena(model, abi)
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	if format == "json" {
		return split.WriteJSON(w)
	}
	one, err := tflmarena.EstimateArena(model, abi)
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	least := ""
	if !split.Exact {
		least = "at least "
	}
	kernels := "reference kernels"
	if abi.Kernels.IsCMSISNN() {
		kernels = abi.Kernels.String()
	}
	s := split.Split
	p("TFLM tensor arenas, two-arena form, target %s (tflite-micro %s, %s, greedy planner)\n", abi.Name, tflmarena.TFLMCommit, kernels)
	p("MicroAllocator::Create(persistent, %s%d, non_persistent, %s%d, MemoryPlannerType::kGreedy); both buffers 16-byte aligned\n", least, s.PersistentArenaBytes, least, s.NonPersistentArenaBytes)
	p("persistent arena (tail):\t%s%d bytes minimum (tail %d, rounded up to 16)\n", least, s.PersistentArenaBytes, split.Tail)
	p("non-persistent arena (head):\t%s%d bytes minimum (head %d; setup's temporary room %d beyond it)\n", least, s.NonPersistentArenaBytes, split.Head, s.NonPersistentArenaBytes-split.Head)
	p("arena_used_bytes():\t%s%d bytes = head %d + tail %d\n", least, split.ArenaUsedBytes, split.Head, split.Tail)
	p("one arena instead:\tkTensorArenaSize %s%d (arena_used_bytes() %d); the two together take %+d\n", least, one.MinArenaBytes, one.ArenaUsedBytes, split.MinArenaBytes-one.MinArenaBytes)
	p("\ntail: %d bytes\tcount\trequested\tused\n", split.Tail)
	for _, c := range split.Categories {
		p("  %s\t%d\t%d\t%d\n", c.Category, c.Count, c.Bytes, c.Used)
	}
	for _, r := range split.Reasons {
		p("\nnot exact: %s\n", r)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// targetModel resolves the target flags and reads the model: the first
// steps of --tflm, --reorder and --banks.
func (opts arenaOptions) targetModel(stderr io.Writer) (tflmarena.ABI, *tflite.Model, error) {
	abi, err := parseTarget(opts.target, opts.kernels, opts.cpu, opts.resourceVariables)
	if err != nil {
		return tflmarena.ABI{}, nil, fmt.Errorf("arena: %w", err)
	}
	model, err := readModelFile(stderr, opts.model)
	if err != nil {
		return tflmarena.ABI{}, nil, fmt.Errorf("arena: %w", err)
	}
	return abi, model, nil
}

// parseTarget resolves the --target, --kernels, --cpu and
// --resource-variables flags (tflmarena.ParseTarget), naming the flags at
// fault.
func parseTarget(target, kernels, cpu string, resourceVariables int) (tflmarena.ABI, error) {
	abi, err := tflmarena.TargetByName(target)
	if err != nil {
		return tflmarena.ABI{}, fmt.Errorf("--target: %w", err)
	}
	if resourceVariables < 0 {
		return tflmarena.ABI{}, fmt.Errorf("--resource-variables %d must not be negative", resourceVariables)
	}
	abi.ResourceVariables = resourceVariables
	k, err := tflmarena.ParseKernels(kernels, cpu)
	if err != nil {
		return tflmarena.ABI{}, fmt.Errorf("--kernels/--cpu: %w", err)
	}
	if abi, err = abi.WithKernels(k); err != nil {
		return tflmarena.ABI{}, fmt.Errorf("--cpu: %w", err)
	}
	return abi, nil
}

// maxComparedOps bounds the operators the CMSIS-NN comparison lists.
const maxComparedOps = 8

// writeKernelComparison prints the reference kernels' figures beside
// est's and the operators whose kernels allocate most differently.
func writeKernelComparison(w io.Writer, ref, est *tflmarena.Estimate) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	p("\ncompared with the reference kernels:\n")
	p("  \treference\t%s\tdifference\n", est.CPU.Name)
	for _, row := range []struct {
		name     string
		ref, got int64
	}{
		{"kTensorArenaSize", ref.MinArenaBytes, est.MinArenaBytes},
		{"arena_used_bytes()", ref.ArenaUsedBytes, est.ArenaUsedBytes},
		{"head", ref.Head, est.Head},
		{"tail", ref.Tail, est.Tail},
	} {
		p("  %s\t%d\t%d\t%+d\n", row.name, row.ref, row.got, row.got-row.ref)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	deltas := tflmarena.CompareKernels(ref, est)
	if len(deltas) == 0 {
		_, err := fmt.Fprintln(w, "no operator's kernel allocates differently")
		return err
	}
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintf(tw, "operators whose kernels differ (tail: OpData and kernel data; scratch: requests, 16-byte rounded):\n")
	fmt.Fprintf(tw, "  op\tkernel\ttail\tscratch\n")
	var listed, all int64
	for i, d := range deltas {
		all += d.Tail
		if i < maxComparedOps {
			listed += d.Tail
			fmt.Fprintf(tw, "  %d\t%s\t%+d\t%+d\n", d.Op, d.OpName, d.Tail, d.Scratch)
		}
	}
	if n := len(deltas) - maxComparedOps; n > 0 {
		fmt.Fprintf(tw, "  ...\t%d more\t%+d\t\n", n, all-listed)
	}
	if rest := est.Tail - ref.Tail - all; rest != 0 {
		fmt.Fprintf(tw, "  -\tscratch handles, alignment\t%+d\t\n", rest)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}
