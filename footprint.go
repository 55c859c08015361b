// Package footprint is the library behind the footprint command: it turns
// a firmware build (an ELF file, and optionally its linker map, linker
// script or memory regions) into one attributed report of where its flash
// and RAM go, and compares, checks and sizes builds the way the size,
// diff, check and report commands do, so a Go program needs none of the
// command's code.
//
// Analyze is the centre: ELF + map + regions + component rules -> one
// report.Report with warnings. Options.Show says what the caller will read
// (for example only the rows of one grouping), so that work nobody reads
// is skipped: demangling names that are not printed, matching components
// nobody groups by, walking symbols for a view by section. Diff, Check,
// CheckArena and Overview build on it.
//
// The lower layers stay usable on their own: elfsize reads ELF files,
// linkmap parses maps, component assigns components, builddiff compares,
// budget checks, tflmarena and tensorplan size the tensor arena.
package footprint

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sync"

	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/linkmap"
	"github.com/footprint-dev/footprint/report"
)

// Build is one firmware build to attribute.
type Build struct {
	// ELF is the path of the ELF file (required).
	ELF string
	// Map is the path of its GNU ld or lld linker map ("" for none): it
	// attributes bytes to objects, archives and memory regions.
	Map string
	// LDScript is a linker script whose MEMORY { } gives the memory
	// regions, replacing the map's ("" for none).
	LDScript string
	// Regions add or replace memory regions, each "NAME=ORIGIN:LENGTH"
	// (e.g. "RAM=0x20000000:128K"), as footprint's --region flag.
	Regions []string
	// Lenient skips map lines that cannot be parsed, with a warning,
	// instead of failing.
	Lenient bool
}

// InputError is an error reading one input of a build other than its ELF
// file: Input names it as the command's flag does ("map", "ld-script",
// "region").
type InputError struct {
	Input string
	Err   error
}

func (e *InputError) Error() string { return e.Input + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *InputError) Unwrap() error { return e.Err }

// Show says which part of an analysis the caller reads, so Analyze can
// skip the rest. The zero value reads everything.
type Show struct {
	// RowsOnly: the caller reads the rows grouped by By (Analysis.View),
	// the totals, sections, models, regions, discarded sections and
	// warnings, but not the pieces themselves (rows by symbol of a build
	// without a map or regions are summed without cutting any).
	RowsOnly bool
	// By is the grouping key of the rows (with RowsOnly).
	By report.Key
}

// Options say how to attribute builds.
type Options struct {
	// Rules are component rules tried before the built-in ones.
	Rules []component.Rule
	// NoFiles skips source-file attribution from DWARF.
	NoFiles bool
	// Show says what the caller reads; the zero value is everything.
	Show Show
}

// Analysis is one attributed build: the report, whose pieces may hold
// their symbols' raw (mangled) names when the caller asked for rows only,
// or be left out altogether when those are rows by symbol of a build
// without a map or regions.
type Analysis struct {
	*report.Report
	// Build is the build analysed.
	Build Build
	// names shows the pieces' (or rows') raw symbol names; nil when
	// shown already.
	names report.Names
	// rows, when not nil, are the rows by symbol, by raw name, of an
	// analysis that cut no pieces (see elfsize.AnalyzeRows).
	rows []report.Row
}

// View groups the analysis by key k and keeps the top n rows (n <= 0:
// all), as `footprint size --by k --top n` prints them.
func (a *Analysis) View(k report.Key, n int) *report.View {
	if a.rows != nil && k == report.KeySymbol {
		return report.NewViewRows(a.Report, k, slices.Clone(a.rows), n, a.names)
	}
	if a.names != nil {
		return report.NewViewNames(a.Report, k, n, a.names)
	}
	return report.NewView(a.Report, k, n)
}

// Analyze attributes one build: every allocated byte of the ELF file to
// flash and RAM, by section, symbol, source file (DWARF), object, archive
// and memory region (with a map or regions) and component (component
// rules, then the built-in ones). Missing information (no symbols, no
// DWARF, a map that disagrees with the ELF) is reported in Warnings.
func Analyze(ctx context.Context, b Build, opts Options) (*Analysis, error) {
	return analyze(ctx, b, opts, planFor(opts))
}

// plan is the work an analysis does.
type plan struct {
	sectionsOnly, files, rawNames, annotate, components bool
	// symbolRows: rows by symbol instead of pieces, when the build has
	// no map or regions (which split pieces, as piece counts show).
	symbolRows bool
}

// planFor returns the work opts ask for: everything, or with Show.RowsOnly
// what the rows by Show.By need.
func planFor(opts Options) plan {
	if !opts.Show.RowsOnly {
		return plan{files: !opts.NoFiles, annotate: true, components: true}
	}
	by := opts.Show.By
	p := plan{sectionsOnly: by == report.KeySection || by == report.KeyRegion}
	p.rawNames = !p.sectionsOnly
	// Files are read for the warning when DWARF is missing, as in full.
	p.files = !opts.NoFiles && (p.sectionsOnly || by == report.KeyFile || by == report.KeyComponent)
	// The map splits pieces at object boundaries, which piece counts show.
	p.annotate = !p.sectionsOnly
	p.components = by == report.KeyComponent
	p.symbolRows = by == report.KeySymbol
	return p
}

func analyze(ctx context.Context, b Build, opts Options, p plan) (*Analysis, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if p.symbolRows && b.Map == "" && b.LDScript == "" && len(b.Regions) == 0 {
		rep, rows, err := elfsize.OpenRows(b.ELF, elfsize.Options{ModelOps: elfsize.TFLiteOps})
		if err != nil {
			return nil, err
		}
		return &Analysis{Report: rep, Build: b, names: elfsize.Names{}, rows: rows}, nil
	}
	rep, err := elfsize.Open(b.ELF, elfsize.Options{Files: p.files, Demangle: !p.rawNames, SectionsOnly: p.sectionsOnly, ModelOps: elfsize.TFLiteOps})
	if err != nil {
		return nil, err
	}
	a := &Analysis{Report: rep, Build: b}
	if p.rawNames {
		a.names = elfsize.Names{}
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if err := applyMap(rep, b, p.annotate); err != nil {
		return nil, err
	}
	if p.sectionsOnly && !wholeSectionRegions(rep) {
		// A section that straddles regions is split by its symbols.
		p.sectionsOnly, p.rawNames = false, true
		return analyze(ctx, b, opts, p)
	}
	if p.components {
		if err := component.AssignNames(rep, opts.Rules, a.names); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// AnalyzeAll analyses builds in parallel (reading and demangling
// dominate), in the order given.
func AnalyzeAll(ctx context.Context, opts Options, builds ...Build) ([]*Analysis, error) {
	return analyzeAll(ctx, opts, planFor(opts), builds)
}

func analyzeAll(ctx context.Context, opts Options, p plan, builds []Build) ([]*Analysis, error) {
	// Builds of one firmware share most of their pieces: their components
	// are assigned together, once per distinct piece.
	together := p.components && len(builds) > 1
	each := p
	each.components = p.components && !together
	out := make([]*Analysis, len(builds))
	errs := make([]error, len(builds))
	var wg sync.WaitGroup
	for i, b := range builds {
		wg.Go(func() { out[i], errs[i] = analyze(ctx, b, opts, each) })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	if together {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		reps := make([]*report.Report, len(out))
		for i, a := range out {
			reps[i] = a.Report
		}
		// Every build's names are raw, or every build's shown.
		if err := component.AssignAll(reps, opts.Rules, out[0].names); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LoadRules reads a YAML file of component rules (see component.Load).
func LoadRules(path string) ([]component.Rule, error) {
	return component.LoadFile(path)
}

// wholeSectionRegions reports whether every piece (a whole section) lies
// in one region or none, so region rows need no finer pieces.
func wholeSectionRegions(rep *report.Report) bool {
	for _, s := range rep.Sections {
		if !s.Alloc || s.Size == 0 {
			continue
		}
		// A section's run addresses lie in one region when its first and
		// last byte do and no other region starts between them.
		for _, u := range rep.Regions {
			inside := s.Addr >= u.Origin && s.Addr-u.Origin < u.Length
			startsIn := u.Origin > s.Addr && u.Origin-s.Addr < s.Size
			if inside && s.Size > u.Length-(s.Addr-u.Origin) || startsIn {
				return false
			}
		}
	}
	return true
}

// applyMap reads the map, linker script and regions the build names, fills
// in the Object and Archive of rep's pieces (when annotate) and their
// Region, and rep.Regions, and adds a warning for every section whose size
// the map and the ELF disagree on.
func applyMap(rep *report.Report, b Build, annotate bool) error {
	var m *linkmap.Map
	if b.Map != "" {
		f, err := os.Open(b.Map)
		if err != nil {
			return &InputError{"map", err}
		}
		defer f.Close()
		if m, err = linkmap.Parse(f, b.Map, linkmap.Options{Lenient: b.Lenient}); err != nil {
			return &InputError{"map", err}
		}
		if m.SkippedLines > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("--lenient: skipped %d unreadable lines of %s", m.SkippedLines, b.Map))
		}
		for _, mm := range linkmap.CrossCheck(m, linkmap.ReportSections(rep)) {
			rep.Warnings = append(rep.Warnings, "map and ELF disagree: "+mm.String())
		}
		if annotate {
			linkmap.Annotate(rep, m)
		}
		for _, d := range m.DiscardedByObject() {
			rep.Discarded = append(rep.Discarded, report.Discarded{Object: d.Object, Sections: d.Sections, Bytes: d.Size})
		}
	}
	regions, err := memoryRegions(m, b)
	if err != nil {
		return err
	}
	if len(regions) == 0 {
		return nil
	}
	linkmap.AssignRegions(rep, regions)
	sections := elfOutputSections(rep)
	if m != nil {
		sections = m.OutputSections
	}
	for _, u := range linkmap.Usage(regions, sections, linkmap.KindsFromReport(rep)) {
		rep.Regions = append(rep.Regions, report.RegionUsage{Name: u.Name, Origin: u.Origin, Length: u.Length,
			Used: u.Used, Percent: u.Percent(), HighWater: u.HighWater, Sections: append([]string{}, u.Sections...)})
	}
	return nil
}

// memoryRegions returns the map's Memory Configuration, replaced by the
// linker script's MEMORY when one is given, with b.Regions replacing
// same-named regions or added after them.
func memoryRegions(m *linkmap.Map, b Build) ([]linkmap.Region, error) {
	var regions []linkmap.Region
	if m != nil {
		regions = m.Regions
	}
	if b.LDScript != "" {
		f, err := os.Open(b.LDScript)
		if err != nil {
			return nil, &InputError{"ld-script", err}
		}
		defer f.Close()
		if regions, err = linkmap.LoadMemoryFromLinkerScript(f); err != nil {
			return nil, &InputError{"ld-script", fmt.Errorf("%s: %w", b.LDScript, err)}
		}
	}
	for _, s := range b.Regions {
		r, err := linkmap.ParseRegion(s)
		if err != nil {
			return nil, &InputError{"region", err}
		}
		replaced := false
		for i := range regions {
			if regions[i].Name == r.Name {
				regions[i], replaced = r, true
			}
		}
		if !replaced {
			regions = append(regions, r)
		}
	}
	return regions, nil
}

// elfOutputSections gives the ELF's allocated sections the shape of map
// output sections, for region usage without a map.
func elfOutputSections(rep *report.Report) []linkmap.OutputSection {
	var out []linkmap.OutputSection
	for _, s := range rep.Sections {
		if s.Alloc {
			out = append(out, linkmap.OutputSection{Name: s.Name, VMA: s.Addr, LMA: s.LMA, Size: s.Size})
		}
	}
	return out
}
