package main

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflmarena"
)

// parseBanks reads --banks: NAME=SIZE pairs separated by commas, the
// fastest memory first; SIZE is bytes, or KiB and MiB with a K or M
// suffix.
func parseBanks(spec string) ([]tensorplan.Bank, error) {
	var banks []tensorplan.Bank
	for part := range strings.SplitSeq(spec, ",") {
		name, size, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || name == "" {
			return nil, fmt.Errorf("--banks: %q is not NAME=SIZE", part)
		}
		unit := int64(1)
		switch {
		case strings.HasSuffix(size, "K"), strings.HasSuffix(size, "k"):
			unit, size = 1<<10, size[:len(size)-1]
		case strings.HasSuffix(size, "M"):
			unit, size = 1<<20, size[:len(size)-1]
		}
		n, err := strconv.ParseInt(size, 10, 64)
		if err != nil || n < 0 || n > (1<<40)/unit {
			return nil, fmt.Errorf("--banks: bank %s: size %q is not a byte count (such as 65536, 64K or 1M)", name, size)
		}
		banks = append(banks, tensorplan.Bank{Name: name, Capacity: n * unit})
	}
	if len(banks) < 2 {
		return nil, errors.New("--banks: give at least two memories, fastest first, such as FAST=64K,SLOW=1M")
	}
	return banks, nil
}

// runArenaBanks answers `footprint arena MODEL --banks FAST=64K,SLOW=1M`:
// the head planned across the memories, the buffers the most operators
// touch in the first.
func runArenaBanks(stdout, stderr io.Writer, opts arenaOptions) error {
	if opts.model == "" || opts.csv != "" {
		return errors.New("arena: --banks needs a MODEL.tflite argument (and no --csv)")
	}
	if opts.format != "table" && opts.format != "json" {
		return fmt.Errorf("arena: unknown format %q (want table or json)", opts.format)
	}
	banks, err := parseBanks(opts.banks)
	if err != nil {
		return fmt.Errorf("arena: %w", err)
	}
	abi, model, err := opts.targetModel(stderr)
	if err != nil {
		return err
	}
	bh, err := tflmarena.PlanBanks(model, abi, banks, tensorplan.Best{NodeBudget: opts.nodeBudget})
	if err != nil {
		return fmt.Errorf("arena: --banks: %s: %w", opts.model, err)
	}
	if opts.format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(bh)
	}
	tw := tabwriter.NewWriter(stdout, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	least := ""
	if !bh.Exact {
		least = "at least "
	}
	p("model        %s\n", filepath.Base(opts.model))
	p("head         %s%d bytes in stock TFLM's one arena; joint bound %d (%d tensors and scratch buffers)\n", least, bh.Head, bh.Bound, len(bh.Buffers))
	p("banks        fastest first; each takes, as long as its plan fits, the buffers the most operators read or write\n\n")
	p("  bank\tcapacity\tused\tbuffers\ttouches\tplan\n")
	for k, bank := range bh.Banks {
		n, touches := 0, 0
		for _, b := range bh.Buffers {
			if b.Bank == k {
				n++
				touches += b.Touches
			}
		}
		proof := "optimal"
		if !bh.Optimal[k] {
			proof = "not proven optimal"
		}
		p("  %s\t%d\t%d\t%d\t%d\t%s\n", bank.Name, bank.Capacity, bh.Used[k], n, touches, proof)
	}
	p("\n  bank\toffset\tbytes\ttouches\tsteps\tbuffer\n")
	rows := slices.Clone(bh.Buffers)
	slices.SortStableFunc(rows, func(a, b tflmarena.BankedBuffer) int {
		return cmp.Or(cmp.Compare(a.Bank, b.Bank), cmp.Compare(a.Offset, b.Offset), cmp.Compare(a.First, b.First))
	})
	for _, b := range rows {
		p("  %s\t%d\t%d\t%d\t%d-%d\t%s\n", bh.Banks[b.Bank].Name, b.Offset, b.Size, b.Touches, b.First, b.Last, shortName(b.Name))
	}
	p("\nstock TFLM plans one head: a banked head needs an allocator that puts each buffer in its bank, at its offset from the bank's start\n")
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// shortName cuts a buffer name to 48 characters.
func shortName(name string) string {
	const width = 48
	if len(name) <= width {
		return name
	}
	return name[:width-3] + "..."
}
