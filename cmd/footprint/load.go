package main

import (
	"fmt"
	"io"
	"sync"

	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/report"
)

// buildOptions say how to attribute the builds' ELF files.
type buildOptions struct {
	rules   string
	noFiles bool
	// noComponents leaves the pieces' Component empty.
	noComponents bool
}

// buildInput is one build to attribute: its ELF file and its linker map,
// linker script or memory regions.
type buildInput struct {
	file string
	maps mapOptions
}

// loadBuilds attributes each build (in parallel: reading and demangling
// dominate) and assigns components, printing the builds' warnings.
func loadBuilds(stderr io.Writer, opts buildOptions, builds ...buildInput) ([]*report.Report, error) {
	var rules []component.Rule
	if opts.rules != "" {
		var err error
		if rules, err = component.LoadFile(opts.rules); err != nil {
			return nil, fmt.Errorf("--rules: %w", err)
		}
	}
	reps := make([]*report.Report, len(builds))
	errs := make([]error, len(builds))
	var wg sync.WaitGroup
	for i, b := range builds {
		wg.Go(func() { reps[i], errs[i] = loadBuild(b, rules, opts) })
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			return nil, err
		}
		prefix := ""
		if len(builds) > 1 {
			prefix = builds[i].file + ": "
		}
		for _, w := range reps[i].Warnings {
			fmt.Fprintf(stderr, "footprint: warning: %s%s\n", prefix, w)
		}
	}
	return reps, nil
}

// loadBuild attributes one build, as `footprint size` does, and assigns
// its components unless opts.noComponents.
func loadBuild(b buildInput, rules []component.Rule, opts buildOptions) (*report.Report, error) {
	rep, err := elfsize.Open(b.file, elfsize.Options{Files: !opts.noFiles, Demangle: true, ModelOps: elfsize.TFLiteOps})
	if err != nil {
		return nil, err
	}
	if err := applyMap(rep, b.maps); err != nil {
		return nil, err
	}
	if opts.noComponents {
		return rep, nil
	}
	if err := component.Assign(rep, rules); err != nil {
		return nil, err
	}
	return rep, nil
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
