package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/overview"
	"github.com/footprint-dev/footprint/stack"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflmarena"
)

// reportOptions are the flags of `footprint report`.
type reportOptions struct {
	file  string
	rules string
	// maps brings in a linker map, linker script and memory regions.
	maps        mapOptions
	model       string // .tflite model whose arena is analysed; "" for none
	arenaSymbol string // firmware's arena buffer; "" finds the RAM symbol named *arena*
	planner     string
	target      string
	kernels     string // kernel set TFLM is built with
	cpu         string // Cortex-M core TFLM is built for
	// resourceVariables is the MicroResourceVariables count for a model
	// with VAR_HANDLE (0: as many as the model names).
	resourceVariables int
	format            string
	output            string // file to write; "" for stdout
	noStack           bool   // skip the worst-case stack analysis
	calls             string // calls file for the stack analysis; "" for none
}

func newReportCmd(stdout io.Writer) *cobra.Command {
	var opts reportOptions
	cmd := &cobra.Command{
		Use:   "report ELF",
		Short: "One report on a build and its model: flash, RAM, regions, the tensor arena and the stack (text, JSON, Markdown, HTML)",
		Long: `Write one report on a firmware build: flash by component with each component's
largest symbols, RAM by section, memory regions (with --map, --ld-script or
--region), and, with --model, the model's tensor arena: the lower bound, each
planner's plan, stock TFLM's kTensorArenaSize on the target, and whether the
firmware's arena buffer holds it.

The report also computes the worst-case stack from the machine code (as
footprint stack does; --no-stack skips it, --calls FILE gives it a calls file)
and adds up the RAM the firmware needs: static data (without the stack
reservation, which the worst case replaces) + what the model's arena needs
beyond the firmware's arena buffer + the worst-case stack, against the memory
region holding the static data. An image whose machine code footprint cannot
read gets a warning instead.

--format html writes one self-contained page with a treemap of flash and
charts of the arena over the model's steps.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runReport(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.rules, "rules", "", "YAML file of component rules tried before the built-in ones")
	addMapFlags(cmd, &opts.maps)
	f.StringVar(&opts.model, "model", "", "the .tflite model the firmware runs: adds its tensor arena (plans, TFLM's need, the firmware's buffer)")
	f.StringVar(&opts.arenaSymbol, "arena-symbol", "", "name of the tensor arena buffer (default: the RAM symbol whose name contains \"arena\")")
	f.StringVar(&opts.planner, "planner", "best", "planner whose plan is drawn: best, tflm or linear")
	f.StringVar(&opts.target, "target", tflmarena.CortexM.Name, "target ABI of the TFLM estimate: cortex-m or host64")
	f.StringVar(&opts.kernels, "kernels", string(tflmarena.ReferenceKernels), "kernels TFLM is built with: reference or cmsis-nn")
	f.StringVar(&opts.cpu, "cpu", "", "Cortex-M core TFLM is built for (CMSIS-NN's code path): cortex-m0plus ... cortex-m85")
	f.IntVar(&opts.resourceVariables, "resource-variables", 0, "for a model with VAR_HANDLE: the variable count the firmware passes MicroResourceVariables::Create (0: as many as the model names)")
	f.StringVar(&opts.format, "format", string(overview.FormatText), "output format: text|json|markdown|html")
	f.StringVarP(&opts.output, "output", "o", "", "write the report to this file instead of stdout")
	f.BoolVar(&opts.noStack, "no-stack", false, "skip the worst-case stack analysis (and the RAM need it completes)")
	f.StringVar(&opts.calls, "calls", "", "YAML file of indirect-call targets, recursion limits and interrupt nesting for the stack analysis")
	return cmd
}

// runReport analyses opts.file (and opts.model) and writes the report to
// stdout or opts.output, and the build's warnings to stderr.
func runReport(stdout, stderr io.Writer, opts reportOptions) error {
	format, ok := overview.ParseFormat(opts.format)
	if !ok {
		return fmt.Errorf("--format %q: want text, json, markdown or html", opts.format)
	}
	if _, err := tensorplan.ByName(opts.planner); err != nil {
		return fmt.Errorf("--planner: %w", err)
	}
	abi, err := parseTarget(opts.target, opts.kernels, opts.cpu, opts.resourceVariables)
	if err != nil {
		return err
	}
	if opts.model == "" && opts.arenaSymbol != "" {
		return errors.New("--arena-symbol needs --model")
	}
	if opts.noStack && opts.calls != "" {
		return errors.New("--calls is for the stack analysis, which --no-stack skips")
	}
	lopts, err := libraryOptions(opts.rules, false, footprint.Show{})
	if err != nil {
		return err
	}
	// The stack analysis decodes the machine code; it runs beside the
	// attribution.
	stackDone := make(chan stackResult, 1)
	if !opts.noStack {
		go func() { stackDone <- reportStack(opts.file, opts.calls) }()
	}
	as, err := loadBuilds(stderr, lopts, buildInput{file: opts.file, maps: opts.maps})
	if err != nil {
		return err
	}
	rep := as[0].Report
	var arena *overview.Arena
	if opts.model != "" {
		model, err := readModelFile(stderr, opts.model)
		if err != nil {
			return fmt.Errorf("--model: %w", err)
		}
		arena, err = overview.AnalyzeArena(filepath.Base(opts.model), model, rep.Pieces,
			overview.ArenaOptions{Planner: opts.planner, Target: abi, Symbol: opts.arenaSymbol})
		if errors.Is(err, tensorplan.ErrInvalidPlan) {
			return failure{msg: fmt.Sprintf("--model %s: %v", opts.model, err)}
		}
		if err != nil {
			return fmt.Errorf("--model: %w", err)
		}
		if c := arena.Firmware; c != nil && c.Status != tflmarena.ArenaFits {
			fmt.Fprintf(stderr, "footprint: warning: tensor arena %s: %s\n", c.Status, c.Message)
		}
	}
	var sr stackResult
	if !opts.noStack {
		if sr = <-stackDone; sr.err != nil {
			return sr.err
		}
		if sr.warning != "" {
			fmt.Fprintf(stderr, "footprint: warning: %s\n", sr.warning)
		}
	}
	doc := overview.New(rep, arena, sr.report)
	if sr.warning != "" {
		doc.Warnings = append(doc.Warnings, sr.warning)
	}
	if opts.output == "" {
		return doc.Render(stdout, format)
	}
	var b bytes.Buffer
	if err := doc.Render(&b, format); err != nil {
		return err
	}
	if err := os.WriteFile(opts.output, b.Bytes(), 0o644); err != nil {
		return fmt.Errorf("-o: %w", err)
	}
	return nil
}

// stackResult is the report's stack analysis: the report, or a warning
// saying why there is none, or an error for bad input.
type stackResult struct {
	report  *stack.Report
	warning string
	err     error
}

// reportStack analyses the worst-case stack of the ELF file at path. A
// calls file that cannot be read is an error; an image whose call graph
// cannot be built (a machine footprint does not decode) is not: the
// report goes on without the stack and the warning says why.
func reportStack(path, calls string) stackResult {
	r, err := footprint.Stack(path, footprint.StackOptions{CallsFile: calls})
	var ie *footprint.InputError
	switch {
	case errors.As(err, &ie):
		return stackResult{err: flagError(err)}
	case err != nil:
		return stackResult{warning: fmt.Sprintf("stack: not analysed: %v", err)}
	}
	return stackResult{report: r}
}
