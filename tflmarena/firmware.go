package tflmarena

import (
	"fmt"
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
	Usable        int64       `json:"usable"`
	MinArenaBytes int64       `json:"min_arena_bytes"`
	Exact         bool        `json:"exact"`
	Status        ArenaStatus `json:"status"`
	// Message is a one-line explanation, e.g. for a warning.
	Message string `json:"message"`
}

// CheckArena judges an arena buffer of size bytes at address (symbol name
// for messages) against the estimate's minimum arena size. The minimum
// assumes a 16-byte aligned start; a buffer starting elsewhere loses the
// bytes up to the next 16-byte boundary, as MicroAllocator::Create aligns
// the start up.
func CheckArena(symbol string, address uint64, size int64, est *Estimate) ArenaCheck {
	c := ArenaCheck{Symbol: symbol, Address: address, Size: size, MinArenaBytes: est.MinArenaBytes, Exact: est.Exact}
	c.Usable = size - int64((16-address%16)%16)
	need := est.MinArenaBytes
	switch {
	case c.Usable < need:
		c.Status = ArenaTooSmall
		c.Message = fmt.Sprintf("%s holds %d usable bytes but the model needs %s%d: AllocateTensors() will fail (%d bytes short)",
			symbol, c.Usable, atLeast(est.Exact), need, need-c.Usable)
	case float64(c.Usable) > float64(need)*(1+oversizeFraction):
		c.Status = ArenaOversized
		c.Message = fmt.Sprintf("%s holds %d usable bytes, %d (%.0f %%) more than the %s%d the model needs",
			symbol, c.Usable, c.Usable-need, 100*float64(c.Usable-need)/float64(need), atLeast(est.Exact), need)
	default:
		c.Status = ArenaFits
		c.Message = fmt.Sprintf("%s holds %d usable bytes; the model needs %s%d (%d spare)",
			symbol, c.Usable, atLeast(est.Exact), need, c.Usable-need)
	}
	if !est.Exact {
		c.Message += "; the model has operators whose allocations are not modelled, so the need is a lower bound"
	}
	return c
}

func atLeast(exact bool) string {
	if exact {
		return ""
	}
	return "at least "
}
