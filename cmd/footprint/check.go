package main

import (
	"cmp"
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/budget"
	"github.com/footprint-dev/footprint/report"
)

// checkOptions are the flags of `footprint check`.
type checkOptions struct {
	file     string
	budget   string
	baseline string
	format   string
	top      int
	rules    string
	noFiles  bool
	// maps are the checked build's linker map, script and regions;
	// baselineMap is the baseline's map (same script and regions).
	maps        mapOptions
	baselineMap string
	// kernels and cpu, when set, replace the budget's arena rule's.
	kernels, cpu string
}

func newCheckCmd(stdout io.Writer) *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check FILE --budget BUDGET [--baseline OLD]",
		Short: "Check a firmware ELF against a flash/RAM/stack budget (exit 1 when an error rule fails)",
		Long: `Check a firmware ELF against the limits of a budget file (YAML): absolute
limits on total flash and RAM, linker regions (with --map, --ld-script or
--region), components and sections; the worst-case stack computed from the
machine code (thread mode + interrupts; the budget's stack rule may name a
calls file); with --baseline, growth limits in bytes or percent; and whether
the tensor arena holds what a .tflite model needs. Every rule is listed with
its limit, the actual size, the change and its status.

Exit status: 0 within budget (warnings allowed), 1 when a rule of severity
error fails, 2 for bad input. --format markdown writes a summary ready to
post as a pull-request comment.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runCheck(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.budget, "budget", "", "budget file (YAML; required)")
	f.StringVar(&opts.baseline, "baseline", "", "baseline ELF for growth limits and the list of changes")
	f.StringVar(&opts.format, "format", string(report.FormatTable), "output format: table|json|csv|markdown")
	f.IntVar(&opts.top, "top", 10, "changes by component to list with --baseline")
	f.StringVar(&opts.rules, "rules", "", "YAML file of component rules tried before the built-in ones")
	f.BoolVar(&opts.noFiles, "no-files", false, "skip source-file attribution from DWARF (faster on huge files)")
	addMapFlags(cmd, &opts.maps)
	f.StringVar(&opts.baselineMap, "baseline-map", "", "linker map of the baseline (--ld-script and --region apply to it too)")
	f.StringVar(&opts.kernels, "kernels", "", "kernels TFLM is built with for the arena rule (reference or cmsis-nn), replacing the budget's")
	f.StringVar(&opts.cpu, "cpu", "", "Cortex-M core TFLM is built for, for the arena rule, replacing the budget's")
	return cmd
}

// runCheck evaluates opts.file against the budget, writes the summary to
// stdout and returns a failure when an error rule fails.
func runCheck(stdout, stderr io.Writer, opts checkOptions) error {
	if opts.budget == "" {
		return fmt.Errorf("--budget is required")
	}
	format, err := parseOutputFlags(opts.format, opts.top)
	if err != nil {
		return err
	}
	if opts.baseline != "" && (opts.maps.mapFile == "") != (opts.baselineMap == "") {
		// Symbols would be matched by object in one build and by source
		// file in the other.
		return fmt.Errorf("with --baseline, give both --map and --baseline-map, or neither")
	}
	if opts.baseline == "" && opts.baselineMap != "" {
		return fmt.Errorf("--baseline-map needs --baseline")
	}
	b, err := budget.Load(opts.budget)
	if err != nil {
		return err
	}
	if opts.kernels != "" || opts.cpu != "" {
		if b.Arena == nil {
			return fmt.Errorf("--kernels and --cpu apply to the arena rule, which %s does not have", opts.budget)
		}
		b.Arena.Kernels = cmp.Or(opts.kernels, b.Arena.Kernels)
		b.Arena.CPU = cmp.Or(opts.cpu, b.Arena.CPU)
	}
	lopts, err := libraryOptions(opts.rules, opts.noFiles, footprint.Show{})
	if err != nil {
		return err
	}
	var base *footprint.Build
	if opts.baseline != "" {
		baseMaps := opts.maps
		baseMaps.mapFile = opts.baselineMap
		bb := buildInput{file: opts.baseline, maps: baseMaps}.build()
		base = &bb
	}
	sum, as, err := footprint.Check(context.Background(), b, buildInput{file: opts.file, maps: opts.maps}.build(), base, opts.top, lopts)
	if err != nil {
		return flagError(err)
	}
	printWarnings(stderr, as)
	if err := sum.Render(stdout, format); err != nil {
		return err
	}
	if budget.Failed(sum.Results) {
		return failure{msg: fmt.Sprintf("%s: %s", opts.file, sum.Verdict())}
	}
	return nil
}
