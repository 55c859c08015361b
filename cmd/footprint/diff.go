package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
)

// diffOptions are the flags of `footprint diff`.
type diffOptions struct {
	oldFile, newFile string
	by               string
	top              int
	format           string
	rules            string
	noFiles          bool
	// oldMap and newMap are the builds' linker maps ("" for none).
	oldMap, newMap string
	// why explains the largest symbols NEW added.
	why bool
}

func newDiffCmd(stdout io.Writer) *cobra.Command {
	var opts diffOptions
	cmd := &cobra.Command{
		Use:   "diff OLD NEW",
		Short: "Show what grew and shrank between two builds of a firmware ELF",
		Long: `Compare two builds of a firmware ELF: flash and RAM totals before, after and
the change, and every group (component, section, file, symbol, ...) that was
added, removed, grown or shrunk, largest change first.

Matching is stable across rebuilds: compiler clones (.constprop.N, .isra.N,
.part.N, .lto_priv.N, .cold) count with their function, static symbols of the
same name are told apart by source file, and paths that differ only by build
directory are paired, so rebuilding unchanged sources diffs to zero.`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.oldFile, opts.newFile = args[0], args[1]
			return runDiff(stdout, cmd.ErrOrStderr(), opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.by, "by", string(report.KeyComponent), "group by "+keyNames())
	f.IntVar(&opts.top, "top", 20, "show the N largest changes and fold the rest into one row (0: all)")
	f.StringVar(&opts.format, "format", string(report.FormatTable), "output format: table|json|csv|markdown")
	f.StringVar(&opts.rules, "rules", "", "YAML file of component rules tried before the built-in ones")
	f.BoolVar(&opts.noFiles, "no-files", false, "skip source-file attribution from DWARF (faster on huge files)")
	f.StringVar(&opts.oldMap, "map-old", "", "linker map of OLD (objects, archives, regions)")
	f.StringVar(&opts.newMap, "map-new", "", "linker map of NEW (objects, archives, regions)")
	f.BoolVar(&opts.why, "why", false, "explain the largest added symbols: the chain of calls and references that pulls each into NEW")
	return cmd
}

// whyCount is how many added symbols diff --why explains.
const whyCount = 5

// runDiff compares opts.oldFile with opts.newFile and writes the diff to
// stdout and one-line warnings to stderr.
func runDiff(stdout, stderr io.Writer, opts diffOptions) error {
	by, ok := report.ParseKey(opts.by)
	if !ok {
		return fmt.Errorf("--by %q: want one of %s", opts.by, keyNames())
	}
	format, err := parseOutputFlags(opts.format, opts.top)
	if err != nil {
		return err
	}
	if (opts.oldMap == "") != (opts.newMap == "") {
		// Objects, archives and regions of one build only would show as
		// everything removed and added.
		return fmt.Errorf("give both --map-old and --map-new, or neither")
	}
	lopts, err := libraryOptions(opts.rules, opts.noFiles, footprint.Show{})
	if err != nil {
		return err
	}
	d, as, err := footprint.Diff(context.Background(),
		buildInput{file: opts.oldFile, maps: mapOptions{mapFile: opts.oldMap}}.build(),
		buildInput{file: opts.newFile, maps: mapOptions{mapFile: opts.newMap}}.build(), by, lopts)
	if err != nil {
		return flagError(err)
	}
	printWarnings(stderr, as)
	if opts.why {
		if err := footprint.ExplainGrowth(d, as[0].Report, as[1].Report, opts.newFile, whyCount); err != nil {
			return err
		}
	}
	return d.Render(stdout, format, opts.top)
}
