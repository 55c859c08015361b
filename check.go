package footprint

import (
	"context"
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/budget"
	"github.com/footprint-dev/footprint/builddiff"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflmarena"
)

// Diff attributes two builds and compares them grouped by key k, as
// `footprint diff` does. The analyses are returned too, for their
// warnings.
func Diff(ctx context.Context, old, new Build, k report.Key, opts Options) (*builddiff.Diff, []*Analysis, error) {
	p := planFor(Options{NoFiles: opts.NoFiles, Show: Show{RowsOnly: true, By: k}})
	if k == report.KeySymbol {
		// Symbols are matched by name, told apart by object or file.
		p = planFor(Options{NoFiles: opts.NoFiles})
		p.components = false
	}
	builds, err := analyzeAll(ctx, opts, p, []Build{old, new})
	if err != nil {
		return nil, nil, err
	}
	return builddiff.Compare(builds[0].Report, builds[1].Report, k), builds, nil
}

// Check attributes head (and base, when not nil) and checks head against
// the budget, as `footprint check` does: every rule's verdict, and with a
// base the growth limits and what changed by component and by symbol. A
// budget with a stack rule has the worst-case stack of head (and base)
// computed from the machine code, with the budget's calls file. The
// summary's File, Baseline and Budget are the paths given; top is how
// many changes it lists. The analyses are returned too, for their
// warnings.
func Check(ctx context.Context, b *budget.Budget, head Build, base *Build, top int, opts Options) (*budget.Summary, []*Analysis, error) {
	opts.Show = Show{}
	builds := []Build{head}
	if base != nil {
		builds = append(builds, *base)
	}
	as, err := AnalyzeAll(ctx, opts, builds...)
	if err != nil {
		return nil, nil, err
	}
	h := as[0].Report
	sum := &budget.Summary{File: head.ELF, Budget: b.File, Head: h.Totals, Top: top}
	var baseSizes *budget.Sizes
	if base != nil {
		bs := as[1].Report
		sizes := budget.Measure(bs)
		if b.Stack != nil {
			if sizes.Stack, err = stackDepth(b, base.ELF); err != nil {
				return nil, nil, err
			}
		}
		baseSizes = &sizes
		sum.Baseline = base.ELF
		sum.Base = &bs.Totals
		sum.Components = builddiff.Compare(bs, h, report.KeyComponent)
		sum.Symbols = builddiff.Compare(bs, h, report.KeySymbol)
	}
	headSizes := budget.Measure(h)
	if b.Stack != nil {
		if headSizes.Stack, err = stackDepth(b, head.ELF); err != nil {
			return nil, nil, err
		}
	}
	if b.Arena != nil {
		abi, err := tflmarena.ParseTarget(b.Arena.Target, b.Arena.Kernels, b.Arena.CPU)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: arena: %w", b.File, err)
		}
		abi.ResourceVariables = b.Arena.ResourceVariables
		c, err := CheckArena(h, b.Arena.ModelPath(), b.Arena.Symbol, abi)
		if err != nil {
			return nil, nil, fmt.Errorf("%s: arena: %w", b.File, err)
		}
		headSizes.Arena = &budget.ArenaFit{Symbol: c.Symbol, Usable: uint64(max(c.Usable, 0)), Need: uint64(max(c.MinArenaBytes, 0)), Exact: c.Exact}
		if c.Kernels == tflmarena.CMSISNN {
			headSizes.Arena.Build = "CMSIS-NN kernels on " + c.CPU
		}
	}
	if sum.Results, err = budget.Evaluate(b, headSizes, baseSizes); err != nil {
		return nil, nil, err
	}
	return sum, as, nil
}

// CheckArena checks the firmware's tensor arena buffer (the RAM symbol
// named symbol, or "" for the largest one whose name contains "arena")
// against the arena the .tflite model at modelPath needs in stock TFLM on
// target abi, as `footprint size --model` does. rep must hold shown
// (demangled) names: an Analysis read in full.
func CheckArena(rep *report.Report, modelPath, symbol string, abi tflmarena.ABI) (*tflmarena.ArenaCheck, error) {
	c, err := tflmarena.CheckFirmware(rep.Pieces, symbol, modelPath, abi)
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// stackDepth computes the worst-case stack of the ELF file at elf for
// budget b's stack rule: the total with interrupts, and the first reason
// when it is only a lower bound.
func stackDepth(b *budget.Budget, elf string) (*budget.StackDepth, error) {
	r, err := Stack(elf, StackOptions{CallsFile: b.Stack.CallsPath()})
	var ie *InputError
	if errors.As(err, &ie) {
		// The calls file comes from the budget, not from a flag.
		return nil, fmt.Errorf("%s: stack.calls: %w", b.File, ie.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: stack: %w", b.File, err)
	}
	d := &budget.StackDepth{Bytes: uint64(max(r.Total.Bytes, 0)), LowerBound: r.Total.LowerBound}
	if reasons := r.TotalReasons(); len(reasons) > 0 {
		d.Reason = reasons[0]
	}
	return d, nil
}
