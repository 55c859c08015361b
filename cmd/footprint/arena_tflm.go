package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"text/tabwriter"

	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// runArenaTFLM answers `footprint arena MODEL --tflm`: the kTensorArenaSize
// stock TFLM needs for the model on opts.target with opts.kernels, and
// arena_used_bytes(); for CMSIS-NN also the reference kernels' figures and
// the operators that differ most.
func runArenaTFLM(stdout io.Writer, opts arenaOptions) error {
	if opts.model == "" || opts.csv != "" {
		return errors.New("arena: --tflm needs a MODEL.tflite argument (and no --csv)")
	}
	abi, err := parseTarget(opts.target, opts.kernels, opts.cpu)
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("arena: unknown format %q (want table or json)", opts.format)
	}
	data, err := os.ReadFile(opts.model)
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	model, err := tflite.Parse(data)
	if err != nil {
		return fmt.Errorf("arena: %s: %w", opts.model, err)
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

// parseTarget resolves the --target, --kernels and --cpu flags
// (tflmarena.ParseTarget), naming the flags at fault.
func parseTarget(target, kernels, cpu string) (tflmarena.ABI, error) {
	abi, err := tflmarena.TargetByName(target)
	if err != nil {
		return tflmarena.ABI{}, fmt.Errorf("--target: %w", err)
	}
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
