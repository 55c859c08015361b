package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// verifyOptions are the flags of `footprint verify`.
type verifyOptions struct {
	model    string
	planFile string // --plan: a tensorplan JSON report
	planner  string // --planner, used when planFile is empty
	inputOptions
}

// inputOptions are the input flags verify and run share: --input FILE,
// --seed N, or by default the oracle pattern.
type inputOptions struct {
	inputFile string
	seed      uint64
	seeded    bool
}

// addFlags registers --input and --seed on cmd.
func (o *inputOptions) addFlags(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.inputFile, "input", "", "raw bytes of all model inputs, concatenated")
	cmd.Flags().Uint64Var(&o.seed, "seed", 0, "use pseudo-random inputs from this seed")
}

// parse notes whether --seed was given and rejects --input with --seed.
func (o *inputOptions) parse(cmd *cobra.Command) error {
	o.seeded = cmd.Flags().Changed("seed")
	if o.inputFile != "" && o.seeded {
		return errors.New("--input and --seed are exclusive")
	}
	return nil
}

func newVerifyCmd(stdout io.Writer) *cobra.Command {
	var o verifyOptions
	cmd := &cobra.Command{
		Use:   "verify MODEL",
		Short: "Prove a memory plan safe by running the model inside the planned arena",
		Long: `verify runs MODEL twice with a reference interpreter: once with private
memory for every tensor, once inside one arena laid out by the plan. Before
each operator every arena byte that holds no live tensor is poisoned; after
it, every live tensor the operator did not write must be unchanged. The
outputs of both runs must be equal byte for byte.

The plan is --plan FILE (the JSON of 'footprint arena --format json') or the
plan of --planner (default tflm), the one 'footprint arena' prints. Inputs are --input FILE (all inputs' raw bytes,
concatenated), random bytes from --seed N, or by default the oracle pattern
(byte i of each input is (i*7+3) mod 256).

Exit status: 0 PASS, 1 FAIL, 2 bad input.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.model = args[0]
			if o.planFile != "" && cmd.Flags().Changed("planner") {
				return errors.New("--plan and --planner are exclusive")
			}
			if err := o.inputOptions.parse(cmd); err != nil {
				return err
			}
			return runVerify(stdout, cmd.ErrOrStderr(), o)
		},
	}
	cmd.Flags().StringVar(&o.planFile, "plan", "", "plan JSON to verify (from 'footprint arena --format json')")
	cmd.Flags().StringVar(&o.planner, "planner", "tflm", "planner whose plan to verify: linear, tflm or best")
	o.inputOptions.addFlags(cmd)
	return cmd
}

// runVerify verifies one plan and prints the verdict. A failed check is a
// failure (exit 1); anything unusable is a plain error (exit 2).
func runVerify(w, stderr io.Writer, o verifyOptions) error {
	model, interp, err := loadInterpreter(stderr, o.model)
	if err != nil {
		return err
	}
	planner, layout, err := loadVerifyPlan(o, model, interp)
	if err != nil {
		return err
	}
	inputs, source, err := verifyInputs(o.inputOptions, interp.InputBytes())
	if err != nil {
		return err
	}
	res, err := runtime.Verify(interp, layout, inputs)
	if err != nil {
		return fmt.Errorf("%s: %w", o.model, err)
	}
	verdict := "PASS"
	if !res.Pass {
		verdict = "FAIL"
	}
	fmt.Fprintf(w, "model     %s\n", filepath.Base(o.model))
	fmt.Fprintf(w, "plan      %s, %d bytes, %d tensors in the arena\n", planner, res.ArenaBytes, len(layout.Tensors))
	fmt.Fprintf(w, "inputs    %s\n", source)
	fmt.Fprintf(w, "ops run   %d of %d (dead bytes poisoned with 0x%02X before each)\n", res.OpsRun, interp.NumOps(), runtime.Poison)
	if res.Invocations > 1 {
		fmt.Fprintf(w, "invoked   %d times on these inputs: a streaming operator (CIRCULAR_BUFFER) ended the first %d early\n", res.Invocations, res.Invocations-1)
	}
	switch {
	case res.Clobber != nil:
		fmt.Fprintf(w, "clobber   %s\n", res.Clobber)
		fmt.Fprintf(w, "%s\n", verdict)
		return failure{msg: fmt.Sprintf("verify %s: FAIL: %s", filepath.Base(o.model), res.Clobber)}
	case res.Overlap != nil:
		fmt.Fprintf(w, "clobber   none seen in this run\n")
		fmt.Fprintf(w, "overlap   %s\n", res.Overlap)
		fmt.Fprintf(w, "%s\n", verdict)
		return failure{msg: fmt.Sprintf("verify %s: FAIL: %s", filepath.Base(o.model), res.Overlap)}
	case !res.OutputsEqual:
		out := interp.Outputs()[res.FirstMismatch]
		fmt.Fprintf(w, "outputs   differ: output %d (tensor %d) differs from the private-memory run\n", res.FirstMismatch, out)
		fmt.Fprintf(w, "%s\n", verdict)
		return failure{msg: fmt.Sprintf("verify %s: FAIL: output %d differs from the private-memory run", filepath.Base(o.model), res.FirstMismatch)}
	}
	total := 0
	for _, b := range res.Outputs {
		total += len(b)
	}
	fmt.Fprintf(w, "clobber   none\n")
	fmt.Fprintf(w, "outputs   equal to the private-memory run (%s, %s)\n", verifyCount(len(res.Outputs), "output"), verifyCount(total, "byte"))
	fmt.Fprintf(w, "%s\n", verdict)
	return nil
}

// loadVerifyPlan returns the plan to verify and its name: --plan read as
// tensorplan's JSON report, or the plan --planner makes from tensorplan's
// lifetimes of the model (the plan 'footprint arena' prints).
func loadVerifyPlan(o verifyOptions, model *tflite.Model, in *runtime.Interpreter) (string, *runtime.Layout, error) {
	var r *tensorplan.Report
	name := filepath.Base(o.planFile)
	if o.planFile == "" {
		p, err := tensorplan.ByName(o.planner)
		if err != nil {
			return "", nil, err
		}
		lt, err := tensorplan.ModelLifetimes(model)
		if err != nil {
			return "", nil, fmt.Errorf("%s: %w", o.model, err)
		}
		if r, err = tensorplan.BuildReport(filepath.Base(o.model), lt, p.Name(), []tensorplan.Planner{p}); err != nil {
			return "", nil, err
		}
		name = "tensorplan"
	} else {
		data, err := os.ReadFile(o.planFile)
		if err != nil {
			return "", nil, err
		}
		r = &tensorplan.Report{}
		if err := json.Unmarshal(data, r); err != nil {
			return "", nil, fmt.Errorf("%s: not a plan: %w", o.planFile, err)
		}
	}
	layout, err := runtime.LayoutFromPlan(in, r)
	if err != nil {
		return "", nil, fmt.Errorf("%s is %w", name, err)
	}
	planner := r.Planner
	if planner == "" {
		planner = "unnamed planner"
	}
	return fmt.Sprintf("%s (%s)", planner, name), layout, nil
}

// verifyInputs builds the model inputs from --input, --seed or the oracle
// pattern, and says which.
func verifyInputs(o inputOptions, sizes []int) ([][]byte, string, error) {
	total := 0
	for _, s := range sizes {
		total += s
	}
	inputs := make([][]byte, len(sizes))
	switch {
	case o.inputFile != "":
		data, err := os.ReadFile(o.inputFile)
		if err != nil {
			return nil, "", err
		}
		if len(data) != total {
			return nil, "", fmt.Errorf("%s holds %d bytes, the model's inputs take %d (%v)", o.inputFile, len(data), total, sizes)
		}
		for k, s := range sizes {
			inputs[k], data = data[:s], data[s:]
		}
		return inputs, fmt.Sprintf("%s (%s)", filepath.Base(o.inputFile), verifyCount(total, "byte")), nil
	case o.seeded:
		rng := rand.New(rand.NewPCG(o.seed, 0))
		for k, s := range sizes {
			inputs[k] = make([]byte, s)
			for i := range inputs[k] {
				inputs[k][i] = byte(rng.Uint32())
			}
		}
		return inputs, fmt.Sprintf("pseudo-random, seed %d (%s)", o.seed, verifyCount(total, "byte")), nil
	}
	for k, s := range sizes {
		inputs[k] = runtime.OraclePattern(s)
	}
	return inputs, fmt.Sprintf("oracle pattern, byte i = (i*7+3) mod 256 (%s)", verifyCount(total, "byte")), nil
}

// verifyCount formats a count of things: "1 output", "2 outputs".
func verifyCount(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}
