package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/budget"
	"github.com/footprint-dev/footprint/builddiff"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflmarena"
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
}

func newCheckCmd(stdout io.Writer) *cobra.Command {
	var opts checkOptions
	cmd := &cobra.Command{
		Use:   "check FILE --budget BUDGET [--baseline OLD]",
		Short: "Check a firmware ELF against a flash/RAM budget (exit 1 when an error rule fails)",
		Long: `Check a firmware ELF against the limits of a budget file (YAML): absolute
limits on total flash and RAM, linker regions (with --map, --ld-script or
--region), components and sections; with --baseline, growth limits in bytes
or percent; and whether the tensor arena holds what a .tflite model needs.
Every rule is listed with its limit, the actual size, the change and its
status.

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
	inputs := []buildInput{{file: opts.file, maps: opts.maps}}
	if opts.baseline != "" {
		baseMaps := opts.maps
		baseMaps.mapFile = opts.baselineMap
		inputs = append(inputs, buildInput{file: opts.baseline, maps: baseMaps})
	}
	builds, err := loadBuilds(stderr, buildOptions{rules: opts.rules, noFiles: opts.noFiles}, inputs...)
	if err != nil {
		return err
	}
	head := builds[0]
	sum := &budget.Summary{File: opts.file, Baseline: opts.baseline, Budget: opts.budget, Head: head.Totals, Top: opts.top}
	var baseSizes *budget.Sizes
	if opts.baseline != "" {
		base := builds[1]
		sizes := budget.Measure(base)
		baseSizes = &sizes
		sum.Base = &base.Totals
		sum.Components = builddiff.Compare(base, head, report.KeyComponent)
		sum.Symbols = builddiff.Compare(base, head, report.KeySymbol)
	}
	headSizes := budget.Measure(head)
	if b.Arena != nil {
		if headSizes.Arena, err = measureArena(head, b.Arena); err != nil {
			return fmt.Errorf("%s: arena: %w", opts.budget, err)
		}
	}
	if sum.Results, err = budget.Evaluate(b, headSizes, baseSizes); err != nil {
		return err
	}
	if err := sum.Render(stdout, format); err != nil {
		return err
	}
	if budget.Failed(sum.Results) {
		return failure{msg: fmt.Sprintf("%s: %s", opts.file, sum.Verdict())}
	}
	return nil
}

// measureArena sizes the firmware's tensor arena buffer against the
// minimum arena the budget's model needs on its target.
func measureArena(head *report.Report, a *budget.Arena) (*budget.ArenaFit, error) {
	abi, err := tflmarena.TargetByName(a.Target)
	if err != nil {
		return nil, err
	}
	c, err := tflmarena.CheckFirmware(head.Pieces, a.Symbol, a.ModelPath(), abi)
	if err != nil {
		return nil, err
	}
	return &budget.ArenaFit{Symbol: c.Symbol, Usable: uint64(max(c.Usable, 0)), Need: uint64(max(c.MinArenaBytes, 0)), Exact: c.Exact}, nil
}
