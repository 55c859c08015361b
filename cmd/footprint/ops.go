package main

import (
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
)

func newOpsCmd(stdout io.Writer) *cobra.Command {
	var mapFile, format string
	cmd := &cobra.Command{
		Use:   "ops ELF",
		Short: "What each registered TFLM op kernel costs in flash, exclusive and inclusive",
		Long: `ops finds the TFLM operators a firmware registers (its tflite::Register_<OP>()
functions) and, from the call graph of its machine code, charges each byte
the op reaches:

  exclusive  reachable only through that op: what removing it from the
             op resolver would save
  inclusive  everything the op reaches: what it would cost alone

Helpers two or more ops share, the runtime core (interpreter and allocator
without any op) and the model get a line each; together with the ops'
exclusive bytes they are the firmware's TFLM-related bytes, each counted
once. --map names the object files each op's bytes come from.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := machineFormat(format)
			if err != nil {
				return err
			}
			r, err := footprint.Ops(args[0], mapFile)
			if err != nil {
				return err
			}
			return r.Render(stdout, f)
		},
	}
	cmd.Flags().StringVar(&mapFile, "map", "", "linker map of the ELF (names each op's object files)")
	cmd.Flags().StringVar(&format, "format", string(report.FormatTable), "output format: table|json|markdown")
	return cmd
}

func newWhyCmd(stdout io.Writer) *cobra.Command {
	var mapFile, format string
	var all bool
	cmd := &cobra.Command{
		Use:   "why ELF SYMBOL|ADDRESS",
		Short: "Why a symbol is linked: the chain of calls and references from an entry point",
		Long: `why prints the shortest chain of calls and data references that leads from
an entry point (the reset handler, a vector-table handler, main, a static
constructor) to SYMBOL, a function or object named as in the symbol table,
demangled, or by an address inside it. Each step gives the calling or
referring instruction's address; --map adds the object files; --all gives
one chain per entry point that reaches it. A symbol no entry point reaches
is dead weight the linker kept (no --gc-sections, or a KEEP).`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			f, err := machineFormat(format)
			if err != nil {
				return err
			}
			w, err := footprint.Why(args[0], mapFile, args[1], all)
			if err != nil {
				return err
			}
			return w.Render(stdout, f)
		},
	}
	cmd.Flags().StringVar(&mapFile, "map", "", "linker map of the ELF (names each step's object file)")
	cmd.Flags().BoolVar(&all, "all", false, "one chain per entry point that reaches the symbol")
	cmd.Flags().StringVar(&format, "format", string(report.FormatTable), "output format: table|json|markdown")
	return cmd
}
