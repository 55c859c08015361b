package tflmarena

import (
	"fmt"
	"os"
	"sort"
	"strings"

	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflite"
)

// ArenaStatus is the verdict on a firmware's tensor arena buffer.
type ArenaStatus string

// Verdicts of CheckArena.
const (
	// ArenaFits: the buffer holds the minimum and wastes at most 25 %.
	ArenaFits ArenaStatus = "fits"
	// ArenaTooSmall: AllocateTensors() will fail.
	ArenaTooSmall ArenaStatus = "too-small"
	// ArenaOversized: the buffer fits but is more than 25 % above the minimum.
	ArenaOversized ArenaStatus = "oversized"
)

// oversizeFraction is how far above the minimum an arena may be before
// CheckArena calls it oversized.
const oversizeFraction = 0.25

// ArenaCheck compares a firmware's arena buffer with what a model needs.
type ArenaCheck struct {
	Symbol  string `json:"symbol"`
	Address uint64 `json:"address"`
	Size    int64  `json:"size"`
	// Usable is Size less the bytes TFLM skips to align the arena start to
	// 16 bytes.
	Usable        int64 `json:"usable"`
	MinArenaBytes int64 `json:"min_arena_bytes"`
	Exact         bool  `json:"exact"`
	// Kernels and CPU are the build the minimum is for (CPU empty unless
	// given).
	Kernels KernelSet   `json:"kernels"`
	CPU     string      `json:"cpu,omitempty"`
	Status  ArenaStatus `json:"status"`
	// Message is a one-line explanation, e.g. for a warning.
	Message string `json:"message"`
}

// CheckArena judges an arena buffer of size bytes at address (symbol name
// for messages) against the estimate's minimum arena size. The minimum
// assumes a 16-byte aligned start; a buffer starting elsewhere loses the
// bytes up to the next 16-byte boundary, as MicroAllocator::Create aligns
// the start up.
func CheckArena(symbol string, address uint64, size int64, est *Estimate) ArenaCheck {
	c := ArenaCheck{Symbol: symbol, Address: address, Size: size, MinArenaBytes: est.MinArenaBytes, Exact: est.Exact,
		Kernels: est.Kernels}
	if est.CPU != nil {
		c.CPU = est.CPU.Name
	}
	c.Usable = size - int64((16-address%16)%16)
	need := est.MinArenaBytes
	// The reference build says nothing more, as before there were others.
	build := ""
	if est.Kernels == CMSISNN && est.CPU != nil {
		build = " with CMSIS-NN kernels on " + est.CPU.Name
	}
	failing := est.failingAt(c.Usable)
	switch {
	case c.Usable < need:
		c.Status = ArenaTooSmall
		c.Message = fmt.Sprintf("%s holds %d usable bytes but the model needs %s%d%s: AllocateTensors() will fail (%d bytes short)",
			symbol, c.Usable, atLeast(est.Exact), need, build, need-c.Usable)
	case failing != nil:
		c.Status = ArenaTooSmall
		c.Message = fmt.Sprintf("%s holds %d usable bytes, above the %s%d the model needs%s, but every arena of %d to %d bytes fails: a kernel's persistent buffers land on bytes of its temporaries it still reads; use %d",
			symbol, c.Usable, atLeast(est.Exact), need, build, failing.From, failing.To, failing.To+1)
	case float64(c.Usable) > float64(need)*(1+oversizeFraction):
		c.Status = ArenaOversized
		c.Message = fmt.Sprintf("%s holds %d usable bytes, %d (%.0f %%) more than the %s%d the model needs%s",
			symbol, c.Usable, c.Usable-need, 100*float64(c.Usable-need)/float64(need), atLeast(est.Exact), need, build)
	default:
		c.Status = ArenaFits
		c.Message = fmt.Sprintf("%s holds %d usable bytes; the model needs %s%d%s (%d spare)",
			symbol, c.Usable, atLeast(est.Exact), need, build, c.Usable-need)
	}
	if !est.Exact {
		c.Message += "; the model has operators whose allocations are not modelled, so the need is a lower bound"
	}
	return c
}

// failingAt returns the failing range of arena sizes holding n, or nil.
func (e *Estimate) failingAt(n int64) *ArenaRange {
	for i, r := range e.FailingArenas {
		if r.From <= n && n <= r.To {
			return &e.FailingArenas[i]
		}
	}
	return nil
}

func atLeast(exact bool) string {
	if exact {
		return ""
	}
	return "at least "
}

// ArenaSymbol is a firmware's tensor arena buffer: a RAM symbol.
type ArenaSymbol struct {
	Name    string
	Address uint64
	Size    int64
}

// FindArenaSymbol picks the tensor arena among an ELF's attributed pieces:
// the RAM symbol called name when name is set, else the RAM symbol whose
// name contains "arena" (case-insensitive), the largest if several do.
// Pieces of one symbol are merged.
func FindArenaSymbol(pieces []report.Piece, name string) (ArenaSymbol, error) {
	bySymbol := map[string]*ArenaSymbol{}
	for _, p := range pieces {
		if p.RAM == 0 || p.Symbol == "" || p.Symbol == report.Padding {
			continue
		}
		match := p.Symbol == name
		if name == "" {
			match = strings.Contains(strings.ToLower(p.Symbol), "arena")
		}
		if !match {
			continue
		}
		s := bySymbol[p.Symbol]
		if s == nil {
			s = &ArenaSymbol{Name: p.Symbol, Address: p.Addr}
			bySymbol[p.Symbol] = s
		}
		s.Address = min(s.Address, p.Addr)
		s.Size += int64(p.RAM)
	}
	if len(bySymbol) == 0 {
		if name != "" {
			return ArenaSymbol{}, fmt.Errorf("no RAM symbol named %q", name)
		}
		return ArenaSymbol{}, fmt.Errorf("no RAM symbol whose name contains \"arena\" (name it with --arena-symbol)")
	}
	found := make([]*ArenaSymbol, 0, len(bySymbol))
	for _, s := range bySymbol {
		found = append(found, s)
	}
	sort.Slice(found, func(i, j int) bool {
		if found[i].Size != found[j].Size {
			return found[i].Size > found[j].Size
		}
		return found[i].Name < found[j].Name
	})
	return *found[0], nil
}

// CheckFirmware is the firmware cross-check of `footprint size --model`:
// it finds the arena buffer among the firmware's attributed pieces (see
// FindArenaSymbol), estimates the model at modelPath on target abi (built
// with abi.Kernels) and judges the buffer (see CheckArena).
func CheckFirmware(pieces []report.Piece, symbol, modelPath string, abi ABI) (ArenaCheck, error) {
	arena, err := FindArenaSymbol(pieces, symbol)
	if err != nil {
		return ArenaCheck{}, fmt.Errorf("tensor arena: %w", err)
	}
	raw, err := os.ReadFile(modelPath)
	if err != nil {
		return ArenaCheck{}, fmt.Errorf("reading model: %w", err)
	}
	m, err := tflite.Parse(raw)
	if err != nil {
		return ArenaCheck{}, fmt.Errorf("%s: %w", modelPath, err)
	}
	est, err := EstimateArena(m, abi)
	if err != nil {
		return ArenaCheck{}, fmt.Errorf("%s: %w", modelPath, err)
	}
	return CheckArena(arena.Name, arena.Address, arena.Size, est), nil
}
