package main

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflmarena"
)

// sizeArenaOptions are the flags of `footprint size` that cross-check the
// firmware's tensor arena against a model.
type sizeArenaOptions struct {
	model  string // .tflite model the firmware runs; "" skips the check
	symbol string // arena symbol; "" finds the RAM symbol named *arena*
	target string // target ABI of the firmware
	// kernels and cpu are the kernel set and Cortex-M core TFLM is built
	// with; resourceVariables the firmware's MicroResourceVariables count.
	kernels, cpu      string
	resourceVariables int
}

func addSizeArenaFlags(cmd *cobra.Command, opts *sizeArenaOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.model, "model", "", "check the firmware's tensor arena against the kTensorArenaSize this .tflite model needs in stock TFLM")
	f.StringVar(&opts.symbol, "arena-symbol", "", "name of the tensor arena buffer (default: the RAM symbol whose name contains \"arena\")")
	f.StringVar(&opts.target, "target", tflmarena.CortexM.Name, "target ABI for --model: cortex-m or host64")
	f.StringVar(&opts.kernels, "kernels", string(tflmarena.ReferenceKernels), "kernels TFLM is built with, for --model: reference or cmsis-nn")
	f.StringVar(&opts.cpu, "cpu", "", "Cortex-M core TFLM is built for, for --model (CMSIS-NN's code path): cortex-m0plus ... cortex-m85")
	f.IntVar(&opts.resourceVariables, "resource-variables", 0, "for a --model with VAR_HANDLE: the variable count the firmware passes MicroResourceVariables::Create (0: as many as the model names)")
}

// sizeArenaCheck runs the cross-check when --model is given; nil otherwise.
func sizeArenaCheck(rep *report.Report, opts sizeArenaOptions) (*tflmarena.ArenaCheck, error) {
	if opts.model == "" {
		if opts.cpu != "" || opts.kernels != string(tflmarena.ReferenceKernels) || opts.resourceVariables != 0 {
			return nil, errors.New("--kernels, --cpu and --resource-variables describe the TFLM build of --model: add --model")
		}
		return nil, nil
	}
	abi, err := parseTarget(opts.target, opts.kernels, opts.cpu, opts.resourceVariables)
	if err != nil {
		return nil, err
	}
	check, err := footprint.CheckArena(rep, opts.model, opts.symbol, abi)
	if err != nil {
		return nil, fmt.Errorf("--model: %w", err)
	}
	return check, nil
}

// printSizeArena prints the verdict as an "arena:" line in the table
// format and as a warning on stderr when the arena is too small or more
// than 25 % too large.
func printSizeArena(stdout, stderr io.Writer, format report.Format, check *tflmarena.ArenaCheck) {
	if check == nil {
		return
	}
	if check.Status != tflmarena.ArenaFits {
		fmt.Fprintf(stderr, "footprint: warning: tensor arena %s: %s\n", check.Status, check.Message)
	}
	if format == report.FormatTable {
		fmt.Fprintf(stdout, "arena: %s\n", check.Message)
	}
}
