package footprint

import (
	"fmt"
	"os"

	"github.com/footprint-dev/footprint/builddiff"
	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/linkmap"
	"github.com/footprint-dev/footprint/reach"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
)

// StackOptions are the inputs of Stack besides the ELF file.
type StackOptions struct {
	// Entries are extra entry points, by function name.
	Entries []string
	// CallsFile is a YAML file of indirect-call targets, recursion limits
	// and interrupt nesting ("" for none); see stack.Facts.
	CallsFile string
}

// Stack decodes the machine code of the ELF file at path and computes the
// worst-case stack of every entry point, the total with interrupts, and
// the stack the image reserves.
func Stack(path string, o StackOptions) (*stack.Report, error) {
	opts := stack.Options{Entries: o.Entries}
	if o.CallsFile != "" {
		data, err := os.ReadFile(o.CallsFile)
		if err != nil {
			return nil, &InputError{"calls", err}
		}
		if opts.Facts, err = stack.ParseFacts(data); err != nil {
			return nil, &InputError{"calls", fmt.Errorf("%s: %w", o.CallsFile, err)}
		}
	}
	p, err := callgraph.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return stack.Analyze(p, opts)
}

// Ops attributes the TFLM-related flash of the ELF file at elfPath to the
// operators it registers, the helpers they share, the runtime core and the
// model; with a linker map (mapPath != "") each op names its objects.
func Ops(elfPath, mapPath string) (*reach.OpsReport, error) {
	p, objs, err := loadMachine(elfPath, mapPath)
	if err != nil {
		return nil, err
	}
	return reach.Ops(p, objs), nil
}

// Why explains why a symbol (a name, demangled name or address) of the ELF
// file at elfPath is linked: the shortest chain of calls and references
// from an entry point, or with all one chain per entry point.
func Why(elfPath, mapPath, symbol string, all bool) (*reach.Why, error) {
	p, objs, err := loadMachine(elfPath, mapPath)
	if err != nil {
		return nil, err
	}
	i, err := reach.Lookup(p, symbol)
	if err != nil {
		return nil, err
	}
	return reach.Explain(p, i, all, objs), nil
}

// loadMachine reads an ELF file's call graph and, when named, its map.
func loadMachine(elfPath, mapPath string) (*callgraph.Program, *reach.Objects, error) {
	p, err := callgraph.Open(elfPath)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", elfPath, err)
	}
	if mapPath == "" {
		return p, nil, nil
	}
	f, err := os.Open(mapPath)
	if err != nil {
		return nil, nil, &InputError{"map", err}
	}
	defer f.Close()
	m, err := linkmap.Parse(f, mapPath, linkmap.Options{})
	if err != nil {
		return nil, nil, &InputError{"map", err}
	}
	return p, reach.NewObjects(m), nil
}

// ExplainGrowth fills d.Why with the chains that pull the n largest symbols
// the new build added into its image (newELF is the new build's ELF file;
// old and new its and the old build's reports, as Diff returns them).
func ExplainGrowth(d *builddiff.Diff, old, new *report.Report, newELF string, n int) error {
	added := builddiff.AddedSymbols(old, new, n)
	if len(added) == 0 {
		return nil
	}
	p, err := callgraph.Open(newELF)
	if err != nil {
		return fmt.Errorf("--why: %s: %w", newELF, err)
	}
	addr := map[string]uint64{}
	for _, pc := range new.Pieces {
		if _, ok := addr[pc.Symbol]; !ok {
			addr[pc.Symbol] = pc.Addr
		}
	}
	for _, c := range added {
		pull := builddiff.Pull{Symbol: callgraph.DisplayName(c.Name), Flash: c.New.Flash}
		i := p.At(addr[c.Name])
		if i < 0 {
			continue // no function or object of the call graph holds it
		}
		w := reach.Explain(p, i, false, nil)
		if pull.Unreachable = w.Unreachable; !w.Unreachable {
			ch := w.Chains[0]
			pull.Chain = append(pull.Chain, ch.Root)
			for _, s := range ch.Steps {
				pull.Chain = append(pull.Chain, s.To)
			}
		}
		d.Why = append(d.Why, pull)
	}
	return nil
}

// ClassifyReach sets the Reach of every piece of a: whether the bytes are
// reachable from main (and the reset handler), only from interrupt
// handlers, only from static constructors, or from nothing, from the call
// graph of the build's machine code.
func ClassifyReach(a *Analysis) error {
	p, err := callgraph.Open(a.Build.ELF)
	if err != nil {
		return fmt.Errorf("--by reach: %s: %w", a.Build.ELF, err)
	}
	c := reach.NewClassifier(p)
	for i := range a.Pieces {
		a.Pieces[i].Reach = string(c.Of(a.Pieces[i].Addr))
	}
	return nil
}
