package main

import (
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
)

// stackOptions are the flags of `footprint stack`.
type stackOptions struct {
	footprint.StackOptions
	format string
}

func newStackCmd(stdout io.Writer) *cobra.Command {
	var o stackOptions
	cmd := &cobra.Command{
		Use:   "stack ELF",
		Short: "Worst-case stack depth of every entry point, from the machine code",
		Long: `stack decodes the machine code of ELF (ARM Thumb/Thumb-2, RV32IMC, x86-64),
builds its call graph and prints the worst-case stack depth of every entry
point: the reset handler (or _start), main, every Cortex-M vector-table
handler and each --entry, with the path that reaches it.

The total is the thread-mode worst case plus the deepest interrupt handler
with its exception frame (32 bytes, or 104 on cores with an FPU), compared
with the stack the linker script reserves. Recursion, alloca/VLAs and calls
into code outside the image make a figure a lower bound (">= N", with the
reason); --calls FILE supplies indirect-call targets, recursion limits and
how many interrupts may nest.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			format, err := machineFormat(o.format)
			if err != nil {
				return err
			}
			r, err := footprint.Stack(args[0], o.StackOptions)
			if err != nil {
				return err
			}
			return r.Render(stdout, format)
		},
	}
	cmd.Flags().StringArrayVar(&o.Entries, "entry", nil, "an extra entry point (function name; repeatable)")
	cmd.Flags().StringVar(&o.CallsFile, "calls", "", "YAML file of indirect-call targets, recursion limits and interrupt nesting")
	cmd.Flags().StringVar(&o.format, "format", string(report.FormatTable), "output format: table|json|markdown")
	return cmd
}

// machineFormat parses the --format of stack, ops and why.
func machineFormat(s string) (report.Format, error) {
	f, ok := report.ParseFormat(s)
	if !ok || f == report.FormatCSV {
		return "", fmt.Errorf("--format %q: want table, json or markdown", s)
	}
	return f, nil
}
