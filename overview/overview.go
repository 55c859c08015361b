package overview

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"

	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// Schema identifies the JSON layout of a Document. It changes only when a
// field is removed or changes meaning; new fields may be added without
// changing it.
const Schema = "footprint.report/v1"

// FoldShare is the share of total flash below which a symbol is folded
// into its component's "[others: K]" entry (and, in the HTML treemap, a
// component into one "[others: K]" tile): it keeps the document and the
// picture small on executables with a million symbols.
const FoldShare = 0.002

// Document is the whole report on one build: what every renderer draws.
type Document struct {
	// Schema is always the Schema constant.
	Schema string `json:"schema"`
	// File, Class, Endian and Machine describe the ELF file, as in
	// footprint.size/v1.
	File    string `json:"file"`
	Class   string `json:"class"`
	Endian  string `json:"endian"`
	Machine string `json:"machine"`
	// Totals are the image's flash and RAM bytes.
	Totals   report.Totals   `json:"totals"`
	Berkeley report.Berkeley `json:"berkeley"`
	// Regions is the usage of each linker memory region; empty without
	// a linker map, linker script or regions.
	Regions []report.RegionUsage `json:"regions"`
	// Components lists every component, largest flash first (then RAM).
	Components []Component `json:"components"`
	// RAMSections lists the sections that cost RAM, in file order.
	RAMSections []report.Section `json:"ram_sections"`
	// Models are the .tflite flatbuffers embedded in the image.
	Models []report.Model `json:"models"`
	// Warnings are the attribution's one-line notes.
	Warnings []string `json:"warnings"`
	// Arena is the model's tensor arena, when a model was given.
	Arena *Arena `json:"arena,omitempty"`
	// Stack is the worst-case stack from the machine code, as `footprint
	// stack --format json` prints it; nil when not analysed.
	Stack *stack.Report `json:"stack,omitempty"`
	// RAM adds up the RAM the firmware needs (static data, the arena
	// beyond its buffer, the worst-case stack) against its region; nil
	// without a stack analysis.
	RAM *RAMNeed `json:"ram_need,omitempty"`
}

// Component is one component's flash and RAM, with the symbols that make
// up its flash.
type Component struct {
	Name  string `json:"name"`
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
	// Symbols are the component's symbols by flash, largest first (then
	// by name); those below FoldShare of the total flash are summed in one
	// last entry named "[others: K]" when there are two or more. Symbols
	// without flash are left out.
	Symbols []Symbol `json:"symbols"`
}

// Symbol is the flash one symbol (or a folded group of them) occupies.
type Symbol struct {
	Name  string `json:"name"`
	Flash uint64 `json:"flash"`
}

// Arena is a model's tensor arena analysis, and the firmware's arena
// buffer judged against it.
type Arena struct {
	// Model is the model's file name.
	Model string `json:"model"`
	// Plan is what `footprint arena MODEL --format json` prints: the lower
	// bound, every planner's arena, and the chosen planner's offset and
	// lifetime for every planned tensor.
	Plan *tensorplan.Report `json:"plan"`
	// TFLM is what `footprint arena MODEL --tflm --format json` prints:
	// the kTensorArenaSize stock TFLM needs on the target, its head (TFLM's
	// greedy plan of tensors and kernel scratch buffers, in head_buffers)
	// and its persistent tail.
	TFLM *tflmarena.Estimate `json:"tflm"`
	// Firmware is the firmware's arena buffer checked against
	// TFLM.MinArenaBytes, as `footprint size --model` does; nil when the
	// report has no firmware or no RAM symbol looks like an arena.
	Firmware *tflmarena.ArenaCheck `json:"firmware,omitempty"`
}

// ArenaOptions say how to analyse a model's arena.
type ArenaOptions struct {
	// Planner names the tensorplan planner whose plan is kept in full
	// (see tensorplan.PlannerNames); "" means "best".
	Planner string
	// Target is the ABI of the TFLM estimate; the zero value means
	// tflmarena.CortexM.
	Target tflmarena.ABI
	// Symbol names the firmware's arena buffer; "" picks the RAM symbol
	// whose name contains "arena" and skips the check when there is none.
	Symbol string
}

// AnalyzeArena plans model m's arena with every tensorplan planner
// (validating each plan), estimates stock TFLM's arena on opts.Target
// and, when pieces (a firmware's attribution) are given, checks the
// firmware's arena buffer. name is the model's file name for display.
func AnalyzeArena(name string, m *tflite.Model, pieces []report.Piece, opts ArenaOptions) (*Arena, error) {
	chosen := cmp.Or(opts.Planner, "best")
	if opts.Target.Name == "" {
		opts.Target = tflmarena.CortexM
	}
	if _, err := tensorplan.ByName(chosen); err != nil {
		return nil, err
	}
	lt, err := tensorplan.ModelLifetimes(m)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	plan, err := tensorplan.BuildReport(name, lt, chosen, tensorplan.Planners())
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	est, err := tflmarena.EstimateArena(m, opts.Target)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	a := &Arena{Model: name, Plan: plan, TFLM: est}
	if pieces == nil {
		return a, nil
	}
	sym, err := tflmarena.FindArenaSymbol(pieces, opts.Symbol)
	switch {
	case err != nil && opts.Symbol != "":
		return nil, fmt.Errorf("tensor arena: %w", err)
	case err == nil:
		check := tflmarena.CheckArena(sym.Name, sym.Address, sym.Size, est)
		a.Firmware = &check
	}
	return a, nil
}

// New composes the document of a firmware's attribution rep (components
// assigned, regions filled in when known) and, if not nil, a model's arena
// and the firmware's worst-case stack (with which it adds up the RAM the
// firmware needs).
func New(rep *report.Report, arena *Arena, st *stack.Report) *Document {
	d := &Document{
		Schema:      Schema,
		File:        rep.File,
		Class:       rep.Class,
		Endian:      rep.Endian,
		Machine:     rep.Machine,
		Totals:      rep.Totals,
		Berkeley:    rep.Berkeley,
		Regions:     nonNil(rep.Regions),
		Models:      nonNil(rep.Models),
		Warnings:    nonNil(rep.Warnings),
		RAMSections: []report.Section{},
		Arena:       arena,
		Stack:       st,
	}
	if st != nil {
		d.RAM = newRAMNeed(rep, arena, st)
	}
	for _, s := range rep.Sections {
		if s.RAM > 0 {
			d.RAMSections = append(d.RAMSections, s)
		}
	}
	d.Components = components(rep.Pieces, rep.Totals.Flash)
	return d
}

// components groups pieces by component, and each component's flash by
// symbol with the small ones folded.
func components(pieces []report.Piece, totalFlash uint64) []Component {
	rows := report.Group(pieces, report.KeyComponent)
	slices.SortStableFunc(rows, func(a, b report.Row) int {
		return cmp.Or(cmp.Compare(b.Flash, a.Flash), cmp.Compare(b.RAM, a.RAM))
	})
	index := make(map[string]int, len(rows))
	out := make([]Component, len(rows))
	for i, r := range rows {
		index[r.Name] = i
		out[i] = Component{Name: r.Name, Flash: r.Flash, RAM: r.RAM, Symbols: []Symbol{}}
	}
	// flash[i] sums component i's flash by symbol.
	flash := make([]map[string]uint64, len(rows))
	for i := range pieces {
		p := &pieces[i]
		if p.Flash == 0 {
			continue
		}
		name := p.Component
		if name == "" {
			name = report.NoValue(report.KeyComponent)
		}
		c := index[name]
		if flash[c] == nil {
			flash[c] = map[string]uint64{}
		}
		flash[c][p.Symbol] += p.Flash
	}
	threshold := foldThreshold(totalFlash)
	for c, bySymbol := range flash {
		syms := make([]Symbol, 0, len(bySymbol))
		for name, bytes := range bySymbol {
			syms = append(syms, Symbol{Name: name, Flash: bytes})
		}
		slices.SortFunc(syms, func(a, b Symbol) int {
			return cmp.Or(cmp.Compare(b.Flash, a.Flash), cmp.Compare(a.Name, b.Name))
		})
		out[c].Symbols = fold(syms, threshold)
	}
	return out
}

// fold keeps the symbols (sorted largest first) of at least threshold bytes
// and sums the rest into one "[others: K]" entry; a single small symbol is
// kept as it is.
func fold(syms []Symbol, threshold uint64) []Symbol {
	keep := len(syms)
	for keep > 0 && syms[keep-1].Flash < threshold {
		keep--
	}
	if len(syms)-keep < 2 {
		return syms
	}
	others := Symbol{Name: othersName(len(syms) - keep)}
	for _, s := range syms[keep:] {
		others.Flash += s.Flash
	}
	return append(syms[:keep:keep], others)
}

// foldThreshold is the flash below which a symbol or component is folded:
// FoldShare of totalFlash.
func foldThreshold(totalFlash uint64) uint64 { return uint64(float64(totalFlash) * FoldShare) }

// othersName names an entry that folds k others.
func othersName(k int) string { return "[others: " + strconv.Itoa(k) + "]" }

// nonNil returns s, or an empty slice for nil, so JSON says [] not null.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
