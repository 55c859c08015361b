package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// runArenaTFLM answers `footprint arena MODEL --tflm`: the kTensorArenaSize
// stock TFLM needs for the model on opts.target, and arena_used_bytes().
func runArenaTFLM(stdout io.Writer, opts arenaOptions) error {
	if opts.model == "" || opts.csv != "" {
		return errors.New("arena: --tflm needs a MODEL.tflite argument (and no --csv)")
	}
	abi, err := tflmarena.TargetByName(opts.target)
	if err != nil {
		return fmt.Errorf("arena: --target: %w", err)
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
	return est.WriteText(stdout, false)
}
