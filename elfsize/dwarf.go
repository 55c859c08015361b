package elfsize

import (
	"cmp"
	"debug/dwarf"
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// cuRange is an address range covered by one DWARF compile unit.
type cuRange struct {
	low, high uint64
	file      string
}

// attributeFiles sets each piece's File to the name of the DWARF compile
// unit whose address ranges hold the piece's first byte. Only compile unit
// entries and their ranges are decoded, never their children or line
// tables. It returns a one-line warning when the file has no DWARF.
func (img *image) attributeFiles(pieces []report.Piece) (string, error) {
	if img.f.Section(".debug_info") == nil {
		return "no DWARF debug info: source files are unknown", nil
	}
	d, err := img.dwarf()
	if err != nil {
		return fmt.Sprintf("unreadable DWARF debug info (%v): source files are unknown", err), nil
	}
	ranges, err := compileUnitRanges(d)
	if err != nil {
		return fmt.Sprintf("unreadable DWARF debug info (%v): source files are unknown", err), nil
	}
	for i := range pieces {
		p := &pieces[i]
		// The first range starting after the address; the one before it
		// is the candidate.
		k := sort.Search(len(ranges), func(k int) bool { return ranges[k].low > p.Addr })
		if k > 0 && p.Addr < ranges[k-1].high {
			p.File = ranges[k-1].file
		}
	}
	return "", nil
}

// dwarf loads the DWARF data, converting a panic inside debug/dwarf into
// an error: a last-resort guard against malformed debug sections, which
// the package is not hardened against as thoroughly as the ELF headers.
func (img *image) dwarf() (d *dwarf.Data, err error) {
	defer func() {
		if p := recover(); p != nil {
			d, err = nil, fmt.Errorf("malformed DWARF: %v", p)
		}
	}()
	return img.f.DWARF()
}

// compileUnitRanges returns the compile units' address ranges sorted by
// start address, overlapping ranges trimmed so the first unit keeps them.
func compileUnitRanges(d *dwarf.Data) (out []cuRange, err error) {
	defer func() {
		if p := recover(); p != nil {
			out, err = nil, fmt.Errorf("malformed DWARF: %v", p)
		}
	}()
	r := d.Reader()
	for {
		e, err := r.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		if e.Tag != dwarf.TagCompileUnit && e.Tag != dwarf.TagPartialUnit {
			r.SkipChildren()
			continue
		}
		name, _ := e.Val(dwarf.AttrName).(string)
		// Names that climb out of the build directory ("../../libgcc/x.c")
		// read better resolved against it.
		if dir, ok := e.Val(dwarf.AttrCompDir).(string); ok && strings.HasPrefix(name, "../") {
			name = path.Join(dir, name)
		}
		rs, err := d.Ranges(e)
		r.SkipChildren()
		if err != nil {
			continue // one bad unit loses its files, not the others'
		}
		name = path.Clean(name)
		for _, a := range rs {
			if a[1] > a[0] {
				out = append(out, cuRange{low: a[0], high: a[1], file: name})
			}
		}
	}
	slices.SortStableFunc(out, func(a, b cuRange) int { return cmp.Compare(a.low, b.low) })
	// Trim overlaps so a binary search finds the earliest unit.
	kept := out[:0]
	for _, c := range out {
		if n := len(kept); n > 0 && c.low < kept[n-1].high {
			if c.high <= kept[n-1].high {
				continue
			}
			c.low = kept[n-1].high
		}
		kept = append(kept, c)
	}
	return kept, nil
}
