package linkmap

import (
	"cmp"
	"slices"
	"strings"
)

// SectionKind says how an output section occupies memory.
type SectionKind int

const (
	// KindLoad sections have contents: they occupy their VMA region and,
	// when LMA differs from VMA, their LMA region too (.data in RAM and
	// its initial values in flash).
	KindLoad SectionKind = iota
	// KindNoLoad sections (NOBITS: .bss, NOLOAD .noinit, heap and stack
	// reservations) occupy their VMA region only.
	KindNoLoad
	// KindNonAlloc sections (.debug_*, .comment) occupy no target memory.
	KindNonAlloc
)

// GuessKind classifies an output section from the map alone, by name and
// content: the map does not record NOBITS or SHF_ALLOC. Callers that have
// the ELF should classify from its section headers instead.
func GuessKind(o OutputSection) SectionKind {
	for _, p := range []string{".debug", ".comment", ".ARM.attributes", ".riscv.attributes", ".gnu.attributes",
		".stab", ".symtab", ".strtab", ".shstrtab", ".gnu_debug", ".GCC.command.line"} {
		if strings.HasPrefix(o.Name, p) {
			return KindNonAlloc
		}
	}
	for _, p := range []string{".bss", ".sbss", ".tbss", ".noinit", "._user_heap_stack", ".heap", ".stack"} {
		if o.Name == p || strings.HasPrefix(o.Name, p+".") || strings.HasPrefix(o.Name, p+"_") {
			return KindNoLoad
		}
	}
	if len(o.Inputs) == 0 {
		return KindLoad
	}
	for _, in := range o.Inputs {
		if !(in.Fill && in.Section == "*fill*") && in.Section != "COMMON" && !strings.HasPrefix(in.Section, ".bss") {
			return KindLoad
		}
	}
	return KindNoLoad
}

// RegionUse is how much of one memory region the image occupies.
type RegionUse struct {
	Region
	// Used is the number of bytes of the region covered by at least one
	// section (overlapping sections count once; gaps between sections do
	// not count).
	Used uint64
	// HighWater is the end of the highest section in the region less its
	// origin: what GNU ld's --print-memory-usage reports, which also counts
	// alignment gaps between sections.
	HighWater uint64
	// Sections names the output sections that occupy the region, in map
	// order; a loaded section with LMA != VMA appears in both regions.
	Sections []string
}

// Percent is Used as a percentage of the region's length.
func (u RegionUse) Percent() float64 {
	if u.Length == 0 {
		return 0
	}
	return 100 * float64(u.Used) / float64(u.Length)
}

// Usage computes how much of each region the output sections occupy:
// every allocated section counts at its VMA; a KindLoad section whose LMA
// lies in another region also counts there. kind classifies sections; nil
// means GuessKind.
func Usage(regions []Region, sections []OutputSection, kind func(OutputSection) SectionKind) []RegionUse {
	if kind == nil {
		kind = GuessKind
	}
	type span struct{ lo, hi uint64 }
	spans := make([][]span, len(regions))
	uses := make([]RegionUse, len(regions))
	for i, r := range regions {
		uses[i].Region = r
	}
	find := func(addr uint64) int {
		for i, r := range regions {
			if r.Contains(addr) {
				return i
			}
		}
		return -1
	}
	add := func(ri int, addr uint64, o OutputSection) {
		end := min(addr+o.Size, regions[ri].Origin+regions[ri].Length)
		if end < addr { // wrapped around
			end = regions[ri].Origin + regions[ri].Length
		}
		spans[ri] = append(spans[ri], span{addr, end})
		uses[ri].Sections = append(uses[ri].Sections, o.Name)
	}
	for _, o := range sections {
		k := kind(o)
		if o.Size == 0 || k == KindNonAlloc {
			continue
		}
		v := find(o.VMA)
		if v >= 0 {
			add(v, o.VMA, o)
		}
		if k == KindLoad && o.LMA != o.VMA {
			if l := find(o.LMA); l >= 0 && l != v {
				add(l, o.LMA, o)
			}
		}
	}
	for i, ss := range spans {
		slices.SortFunc(ss, func(a, b span) int { return cmp.Compare(a.lo, b.lo) })
		var used, hi uint64
		for _, s := range ss {
			lo := max(s.lo, hi)
			if s.hi > lo {
				used += s.hi - lo
				hi = s.hi
			}
		}
		uses[i].Used = used
		if hi > 0 {
			uses[i].HighWater = hi - regions[i].Origin
		}
	}
	return uses
}
