package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/report"
)

// buildInput is one build named on the command line: its ELF file and its
// linker map, linker script or memory regions.
type buildInput struct {
	file string
	maps mapOptions
}

// build is the library's view of the build.
func (b buildInput) build() footprint.Build {
	return footprint.Build{ELF: b.file, Map: b.maps.mapFile, LDScript: b.maps.ldScript, Regions: b.maps.regions, Lenient: b.maps.lenient}
}

// libraryOptions reads the --rules file and returns the library options
// for the --rules and --no-files flags and what the command shows.
func libraryOptions(rules string, noFiles bool, show footprint.Show) (footprint.Options, error) {
	opts := footprint.Options{NoFiles: noFiles, Show: show}
	if rules != "" {
		var err error
		if opts.Rules, err = component.LoadFile(rules); err != nil {
			return opts, fmt.Errorf("--rules: %w", err)
		}
	}
	return opts, nil
}

// flagError names the flag of a build input the library could not read:
// "--map: ...", "--ld-script: ...", "--region: ...".
func flagError(err error) error {
	var ie *footprint.InputError
	if errors.As(err, &ie) {
		return fmt.Errorf("--%s: %w", ie.Input, ie.Err)
	}
	return err
}

// loadBuilds analyses the builds in parallel and prints their warnings.
func loadBuilds(stderr io.Writer, opts footprint.Options, builds ...buildInput) ([]*footprint.Analysis, error) {
	bs := make([]footprint.Build, len(builds))
	for i, b := range builds {
		bs[i] = b.build()
	}
	as, err := footprint.AnalyzeAll(context.Background(), opts, bs...)
	if err != nil {
		return nil, flagError(err)
	}
	printWarnings(stderr, as)
	return as, nil
}

// printWarnings writes the analyses' warnings to stderr, each prefixed
// with its file when there are several builds.
func printWarnings(stderr io.Writer, as []*footprint.Analysis) {
	for _, a := range as {
		prefix := ""
		if len(as) > 1 {
			prefix = a.Build.ELF + ": "
		}
		for _, w := range a.Warnings {
			fmt.Fprintf(stderr, "footprint: warning: %s%s\n", prefix, w)
		}
	}
}

// parseOutputFlags checks the --format and --top flags that size, diff and
// check share.
func parseOutputFlags(format string, top int) (report.Format, error) {
	f, ok := report.ParseFormat(format)
	if !ok {
		return "", fmt.Errorf("--format %q: want table, json, csv or markdown", format)
	}
	if top < 0 {
		return "", fmt.Errorf("--top %d: want 0 or more", top)
	}
	return f, nil
}
