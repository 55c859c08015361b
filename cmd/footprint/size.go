package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
)

// sizeOptions are the flags of `footprint size`.
type sizeOptions struct {
	file   string
	by     string
	top    int
	format string
	rules  string
	// noFiles skips source-file attribution from DWARF.
	noFiles bool
	// maps brings in a linker map, linker script and memory regions.
	maps mapOptions
	// arena cross-checks the tensor arena against a model (--model).
	arena sizeArenaOptions
	// stack adds the worst-case stack (--stack).
	stack bool
}

func newSizeCmd(stdout io.Writer) *cobra.Command {
	var opts sizeOptions
	cmd := &cobra.Command{
		Use:   "size FILE",
		Short: "Attribute every byte of a firmware ELF to flash and RAM",
		Long: `Attribute every allocated byte of an ELF file to flash and RAM, grouped by
section, symbol, source file or component (TFLM runtime, each op kernel, the
embedded model, libc, libm, libgcc, libstdc++, start-up code, the application).`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.file = args[0]
			return runSize(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.by, "by", string(report.KeyComponent), "group by section|symbol|file|object|archive|region|component (object, archive, region need --map or regions)")
	f.IntVar(&opts.top, "top", 20, "show the N largest rows and fold the rest into one (0: all)")
	f.StringVar(&opts.format, "format", string(report.FormatTable), "output format: table|json|csv|markdown")
	f.StringVar(&opts.rules, "rules", "", "YAML file of component rules tried before the built-in ones")
	f.BoolVar(&opts.noFiles, "no-files", false, "skip source-file attribution from DWARF (faster on huge files)")
	addMapFlags(cmd, &opts.maps)
	addSizeArenaFlags(cmd, &opts.arena)
	f.BoolVar(&opts.stack, "stack", false, "also compute the worst-case stack from the machine code (as footprint stack)")
	return cmd
}

// runSize analyses opts.file and writes the grouped view to stdout and
// one-line warnings to stderr.
func runSize(stdout, stderr io.Writer, opts sizeOptions) error {
	by, ok := report.ParseKey(opts.by)
	if !ok {
		return fmt.Errorf("--by %q: want one of %s", opts.by, keyNames())
	}
	format, err := parseOutputFlags(opts.format, opts.top)
	if err != nil {
		return err
	}
	// The table, CSV and Markdown print rows only (CSV with piece counts,
	// which whole sections would change); the JSON and the arena check
	// read every piece.
	show := footprint.Show{RowsOnly: format != report.FormatJSON && opts.arena.model == "" && by != report.KeyReach &&
		!(format == report.FormatCSV && (by == report.KeySection || by == report.KeyRegion)), By: by}
	lopts, err := libraryOptions(opts.rules, opts.noFiles, show)
	if err != nil {
		return err
	}
	var waitStack func() (*stack.Report, error)
	if opts.stack {
		if waitStack, err = startSizeStack(opts.file, format); err != nil {
			return err
		}
	}
	as, err := loadBuilds(stderr, lopts, buildInput{file: opts.file, maps: opts.maps})
	if err != nil {
		return err
	}
	rep := as[0].Report
	if by == report.KeyReach {
		if err := footprint.ClassifyReach(as[0]); err != nil {
			return err
		}
	}
	arena, err := sizeArenaCheck(rep, opts.arena)
	if err != nil {
		return err
	}
	var st *stack.Report
	if waitStack != nil {
		if st, err = waitStack(); err != nil {
			return err
		}
	}
	view := as[0].View(by, opts.top)
	if st != nil && format == report.FormatJSON {
		j := &jsonTail{w: stdout}
		if err := view.Render(j, format); err != nil {
			return err
		}
		if err := j.closeWith("stack", st); err != nil {
			return err
		}
	} else if err := view.Render(stdout, format); err != nil {
		return err
	}
	if format == report.FormatTable {
		for _, m := range rep.Models {
			fmt.Fprintf(stdout, "model: %s\n", m)
		}
		if err := renderRegions(stdout, rep.Regions); err != nil {
			return err
		}
		if err := renderDiscarded(stdout, rep.Discarded); err != nil {
			return err
		}
	}
	printSizeArena(stdout, stderr, format, arena)
	if st != nil {
		printSizeStack(stdout, stderr, format, st)
	}
	return nil
}

// keyNames lists the keys --by accepts.
func keyNames() string {
	names := make([]string, 0, len(report.Keys)+1)
	for _, k := range append(report.Keys, report.KeyReach) {
		names = append(names, string(k))
	}
	return strings.Join(names, "|")
}
