package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// arenaOptions are the inputs of `footprint arena`.
type arenaOptions struct {
	model   string // path of a .tflite model; empty when csv is set
	csv     string // path of a MiniMalloc CSV instance
	planner string // planner whose plan is printed in full
	format  string // "table" or "json"
	width   int    // timeline columns
	tflm    bool   // predict stock TFLM's whole arena instead (tflmarena)
	target  string // target ABI for --tflm and --write-model's summary
	// kernels and cpu are the kernel set ("reference" or "cmsis-nn") and
	// Cortex-M core TFLM is built for, for --tflm and --write-model.
	kernels, cpu string
	// resourceVariables is the max_num_variables the application gives
	// MicroResourceVariables::Create (0: as many as the model names).
	resourceVariables int
	// writeModel is where to write the model with the chosen plan embedded
	// as OfflineMemoryAllocation metadata; empty: write nothing.
	writeModel string
	// reorder finds the operator order with the smallest peak of live
	// bytes (with writeModel: writes the model so reordered).
	reorder bool
	// split sizes MicroAllocator's two-arena form (with tflm).
	split bool
	// banks plans the head across memories: NAME=SIZE,..., fastest first.
	banks string
	// stateBudget bounds --reorder's exact search (0: the default).
	stateBudget int
	// nodeBudget bounds the best planner's search (0: the default).
	nodeBudget int
}

func newArenaCmd(stdout io.Writer) *cobra.Command {
	var opts arenaOptions
	cmd := &cobra.Command{
		Use:   "arena MODEL.tflite",
		Short: "Plan a model's tensor arena: lower bound, TFLM's plan, our best plan, every offset",
		Long: `Plan the tensor arena of a .tflite model as TFLM would.

Prints the lower bound on the bytes the model's planned tensors need (the peak
of live tensor bytes over the steps of the model), the arena each planner
needs (linear: no reuse; tflm: stock TFLM's greedy planner, offset for
offset; best: footprint's planner) and its gap to the bound, the chosen
planner's offset for every tensor, and a timeline. Every plan is validated
before it is printed. --format json prints the plan in the stable form the
runtime reads. --csv plans a MiniMalloc benchmark instance instead of a model.

--write-model OUT.tflite writes a copy of the model with the chosen plan
embedded as TFLM's OfflineMemoryAllocation metadata, so stock TFLM places the
tensors at exactly these offsets, and says how the arena TFLM needs changes.

--tflm --kernels cmsis-nn --cpu cortex-m4 sizes the arena of TFLM built with
Arm's CMSIS-NN kernels (OPTIMIZED_KERNEL_DIR=cmsis_nn) for that core, whose
scratch buffers and kernel data differ from the reference kernels', and says
by how much.

--tflm --split sizes MicroAllocator's two-arena form instead: the persistent
tail in one buffer, the planned head and setup's temporary allocations in
another (tightly-coupled RAM, say), each's minimum exactly.

--banks FAST=64K,SLOW=1M plans the head, tensors and kernel scratch buffers,
across memories, fastest first: each takes, as long as its plan fits, the
buffers the most operators read or write; the last takes the rest. Stock TFLM
plans one head: a banked head needs an allocator that honours the banks.

--reorder finds the order of the operators with the smallest peak of live
tensor and kernel scratch bytes (exact by a search over sets of executed
operators, a labelled heuristic beyond --state-budget states), prints the peak
before and after, and with --write-model writes the model with its operators
in that order and the joint plan embedded, after checking on the runtime that
it computes the same outputs.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.model = args[0]
			}
			return runArena(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.planner, "planner", "best", "planner whose plan is printed: best, tflm or linear")
	cmd.Flags().StringVar(&opts.format, "format", "table", "output format: table or json")
	cmd.Flags().StringVar(&opts.csv, "csv", "", "plan a MiniMalloc CSV instance (id,lower,upper,size) instead of a model")
	cmd.Flags().IntVar(&opts.width, "width", 64, "timeline width in columns")
	cmd.Flags().BoolVar(&opts.tflm, "tflm", false, "print the kTensorArenaSize stock TFLM needs (head, tail, setup room) and arena_used_bytes()")
	cmd.Flags().StringVar(&opts.target, "target", "cortex-m", "target ABI for --tflm and --write-model: cortex-m or host64")
	cmd.Flags().StringVar(&opts.kernels, "kernels", string(tflmarena.ReferenceKernels), "kernels TFLM is built with, for --tflm and --write-model: reference or cmsis-nn")
	cmd.Flags().StringVar(&opts.cpu, "cpu", "", "Cortex-M core TFLM is built for (picks the cortex-m ABI and CMSIS-NN's code path): cortex-m0plus, cortex-m3, cortex-m4, cortex-m7, cortex-m33, cortex-m55 or cortex-m85")
	cmd.Flags().IntVar(&opts.resourceVariables, "resource-variables", 0, "for a model with VAR_HANDLE: the variable count the firmware passes MicroResourceVariables::Create (0: as many as the model names)")
	cmd.Flags().StringVar(&opts.writeModel, "write-model", "", "write the model with the chosen plan embedded as OfflineMemoryAllocation metadata to this file")
	cmd.Flags().BoolVar(&opts.split, "split", false, "with --tflm: size MicroAllocator's two-arena form, the persistent tail and the planned head in separate buffers")
	cmd.Flags().StringVar(&opts.banks, "banks", "", "plan the head (tensors and scratch buffers) across memories, fastest first, e.g. FAST=64K,SLOW=1M")
	cmd.Flags().BoolVar(&opts.reorder, "reorder", false, "find the operator order with the smallest peak of live bytes (with --write-model: write the model reordered)")
	cmd.Flags().IntVar(&opts.stateBudget, "state-budget", 0, "states --reorder's exact search may keep before it falls back to a beam search (0: 1048576)")
	cmd.Flags().IntVar(&opts.nodeBudget, "node-budget", 0, "search nodes the best planner may spend (0: 8000000, fewer above 512 buffers)")
	return cmd
}

// runArena plans the arena of opts.model (or opts.csv) and prints it.
func runArena(stdout, stderr io.Writer, opts arenaOptions) error {
	if opts.tflm && opts.writeModel != "" {
		return errors.New("arena: --write-model writes a plan; it does not go with --tflm")
	}
	if opts.tflm && opts.reorder {
		return errors.New("arena: --reorder and --tflm are separate questions: --reorder prints stock TFLM's head before and after")
	}
	if opts.stateBudget < 0 || opts.nodeBudget < 0 {
		return errors.New("arena: --state-budget and --node-budget must not be negative")
	}
	if opts.split && !opts.tflm {
		return errors.New("arena: --split sizes stock TFLM's two arenas: add --tflm")
	}
	if opts.banks != "" && (opts.tflm || opts.reorder || opts.writeModel != "") {
		return errors.New("arena: --banks plans the head on its own; it goes with neither --tflm, --reorder nor --write-model")
	}
	if opts.banks != "" {
		return runArenaBanks(stdout, stderr, opts)
	}
	if opts.tflm {
		return runArenaTFLM(stdout, stderr, opts)
	}
	if opts.reorder {
		return runArenaReorder(stdout, stderr, opts)
	}
	if opts.writeModel == "" && (opts.cpu != "" || opts.kernels != string(tflmarena.ReferenceKernels)) {
		return errors.New("arena: --kernels and --cpu size stock TFLM's arena: add --tflm (or --write-model)")
	}
	if (opts.model == "") == (opts.csv == "") {
		return errors.New("arena: give either a MODEL.tflite argument or --csv FILE")
	}
	if opts.writeModel != "" && opts.csv != "" {
		return errors.New("arena: --write-model needs a MODEL.tflite argument, not --csv")
	}
	if !slices.Contains(tensorplan.PlannerNames(), opts.planner) {
		return fmt.Errorf("arena: unknown planner %q (want best, tflm or linear)", opts.planner)
	}
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("arena: unknown format %q (want table or json)", opts.format)
	}
	if opts.width < 1 {
		return fmt.Errorf("arena: --width %d must be at least 1", opts.width)
	}
	var abi tflmarena.ABI
	if opts.writeModel != "" {
		var err error
		if abi, err = parseTarget(opts.target, opts.kernels, opts.cpu, opts.resourceVariables); err != nil {
			return fmt.Errorf("arena: %w", err)
		}
	}
	model, lt, capacity, err := arenaInput(stderr, opts)
	if err != nil {
		return err
	}
	path := opts.model
	if opts.csv != "" {
		path = opts.csv
	}
	planners := []tensorplan.Planner{tensorplan.Linear{}, tensorplan.TFLM{}, tensorplan.Best{NodeBudget: opts.nodeBudget}}
	report, err := tensorplan.BuildReport(filepath.Base(path), lt, opts.planner, planners)
	if errors.Is(err, tensorplan.ErrInvalidPlan) {
		return failure{msg: fmt.Sprintf("arena: %s: %v", path, err)}
	}
	if err != nil {
		return fmt.Errorf("arena: %s: %w", path, err)
	}
	var written string
	if opts.writeModel != "" {
		chosen := planners[slices.IndexFunc(planners, func(p tensorplan.Planner) bool { return p.Name() == opts.planner })]
		if written, err = writePlannedModel(opts.writeModel, model, lt, report, chosen, abi); err != nil {
			return err
		}
	}
	if opts.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(report)
	}
	if capacity > 0 {
		fmt.Fprintf(stdout, "capacity     %d bytes (from the file name); %s plan is %.3fx of it\n",
			capacity, report.Planner, float64(report.ArenaBytes)/float64(capacity))
	}
	if err := report.WriteText(stdout, opts.width); err != nil {
		return err
	}
	if written != "" {
		fmt.Fprintln(stdout)
		fmt.Fprintln(stdout, written)
	}
	return nil
}

// arenaInput reads the buffers to plan: a model and its tensors, or a
// MiniMalloc instance (no model) with the capacity its file name carries (0
// if none).
func arenaInput(stderr io.Writer, opts arenaOptions) (*tflite.Model, *tensorplan.Lifetimes, int64, error) {
	if opts.csv != "" {
		f, err := os.Open(opts.csv)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("arena: %w", err)
		}
		defer f.Close()
		inst, err := tensorplan.ReadMiniMallocCSV(f)
		if err != nil {
			return nil, nil, 0, fmt.Errorf("arena: %s: %w", opts.csv, err)
		}
		capacity, _ := tensorplan.CapacityFromName(opts.csv)
		return nil, inst.Lifetimes(), capacity, nil
	}
	model, err := readModelFile(stderr, opts.model)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("arena: %w", err)
	}
	lt, err := tensorplan.ModelLifetimes(model)
	if err != nil {
		return nil, nil, 0, fmt.Errorf("arena: %s: %w", opts.model, err)
	}
	return model, lt, 0, nil
}
