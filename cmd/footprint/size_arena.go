package main

import (
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
}

func addSizeArenaFlags(cmd *cobra.Command, opts *sizeArenaOptions) {
	f := cmd.Flags()
	f.StringVar(&opts.model, "model", "", "check the firmware's tensor arena against the kTensorArenaSize this .tflite model needs in stock TFLM")
	f.StringVar(&opts.symbol, "arena-symbol", "", "name of the tensor arena buffer (default: the RAM symbol whose name contains \"arena\")")
	f.StringVar(&opts.target, "target", tflmarena.CortexM.Name, "target ABI for --model: cortex-m or host64")
}

// sizeArenaCheck runs the cross-check when --model is given; nil otherwise.
func sizeArenaCheck(rep *report.Report, opts sizeArenaOptions) (*tflmarena.ArenaCheck, error) {
	if opts.model == "" {
		return nil, nil
	}
	abi, err := tflmarena.TargetByName(opts.target)
	if err != nil {
		return nil, fmt.Errorf("--target: %w", err)
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
