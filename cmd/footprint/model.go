package main

import (
	"fmt"
	"io"
	"os"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/modelinfo"
	"github.com/footprint-dev/footprint/tflite"
)

// modelOptions are the flags of `footprint model`.
type modelOptions struct {
	file   string
	format string
}

func newModelCmd(stdout io.Writer) *cobra.Command {
	var opts modelOptions
	cmd := &cobra.Command{
		Use:   "model MODEL",
		Short: "List a .tflite model's operators with their tensors, MACs and weight bytes",
		Long: `List every operator of a .tflite model with its input and output shapes and
types, its multiply-accumulate count and the constant bytes it reads, then the
totals. Flags float operators in a quantised model and operators TFLM's op
resolver has no kernel for.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runModel(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.format, "format", "table", "output format: table|json")
	return cmd
}

// runModel decodes opts.file and writes its summary to stdout.
func runModel(stdout, stderr io.Writer, opts modelOptions) error {
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("--format %q: want table or json", opts.format)
	}
	m, err := readModelFile(stderr, opts.file)
	if err != nil {
		return err
	}
	r := modelinfo.Analyze(m)
	r.File = opts.file
	if opts.format == "json" {
		return r.WriteJSON(stdout)
	}
	return r.WriteTable(stdout)
}

// readModelFile reads and decodes the .tflite file, printing each of the
// decoder's warnings (a missing file identifier) to stderr as one line.
func readModelFile(stderr io.Writer, file string) (*tflite.Model, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	m, err := tflite.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", file, err)
	}
	for _, w := range m.Warnings {
		fmt.Fprintf(stderr, "footprint: warning: %s: %s\n", file, w)
	}
	return m, nil
}
