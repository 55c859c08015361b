package elfsize

import (
	"cmp"
	"debug/dwarf"
	"debug/elf"
	"encoding/binary"
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
// unit whose code ranges hold the piece's first byte, or which defines the
// variable at that address. Pieces DWARF says nothing about keep the file
// the symbol table gave them, if any. It returns a one-line warning when
// the file has no usable DWARF.
func (img *image) attributeFiles(pieces []report.Piece) (string, error) {
	d, warn := img.loadDWARF()
	if d == nil {
		return warn, nil
	}
	addrSize := 4
	if img.f.Class == elf.ELFCLASS64 {
		addrSize = 8
	}
	units, err := readUnits(d, addrSize, img.f.ByteOrder)
	if err != nil {
		return fmt.Sprintf("unreadable DWARF debug info (%v): source files are unknown", err), nil
	}
	for i := range pieces {
		if f := units.file(pieces[i].Addr); f != "" {
			pieces[i].File = f
		}
	}
	return "", nil
}

// loadDWARF loads the DWARF data, or returns why there is none to use as a
// one-line warning.
func (img *image) loadDWARF() (*dwarf.Data, string) {
	if img.f.Section(".debug_info") == nil {
		return nil, "no DWARF debug info: source files are unknown"
	}
	// Compressed debug sections declare their inflated size; refuse to
	// inflate what the file cannot plausibly hold (zlib's best ratio is
	// about 1000:1).
	for _, s := range img.f.Sections {
		if s.Flags&elf.SHF_COMPRESSED != 0 && strings.HasPrefix(s.Name, ".debug") && s.Size/1024 > uint64(img.size) {
			return nil, fmt.Sprintf("DWARF section %s claims %d bytes inflated: source files are unknown", s.Name, s.Size)
		}
	}
	d, err := img.dwarf()
	if err != nil {
		return nil, fmt.Sprintf("unreadable DWARF debug info (%v): source files are unknown", err)
	}
	return d, ""
}

// dwarfWarning is the warning attributeFiles would give for missing or
// unreadable DWARF, without reading the compile units.
func (img *image) dwarfWarning() string {
	_, warn := img.loadDWARF()
	return warn
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

// unitMap maps addresses to the source files (compile unit names) that
// define them.
type unitMap struct {
	// ranges are the units' code ranges, sorted by start address,
	// overlaps trimmed so the first unit keeps them.
	ranges []cuRange
	// vars are the addresses of global variables, sorted by address; data
	// is not covered by unit ranges.
	vars []cuRange
}

// file returns the source file of the byte at addr, or "".
func (m *unitMap) file(addr uint64) string {
	// The first range starting after the address; the one before it is
	// the candidate.
	k := sort.Search(len(m.ranges), func(k int) bool { return m.ranges[k].low > addr })
	if k > 0 && addr < m.ranges[k-1].high {
		return m.ranges[k-1].file
	}
	k = sort.Search(len(m.vars), func(k int) bool { return m.vars[k].low >= addr })
	if k < len(m.vars) && m.vars[k].low == addr {
		return m.vars[k].file
	}
	return ""
}

// readUnits decodes each compile unit's name, address ranges and the
// addresses of its global variables (at unit or namespace level). Function
// bodies and line tables are skipped, so the cost is a fraction of a full
// DWARF walk.
func readUnits(d *dwarf.Data, addrSize int, bo binary.ByteOrder) (m *unitMap, err error) {
	defer func() {
		if p := recover(); p != nil {
			m, err = nil, fmt.Errorf("malformed DWARF: %v", p)
		}
	}()
	m = &unitMap{}
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
		name = path.Clean(name)
		if rs, err := d.Ranges(e); err == nil { // a bad unit loses its ranges only
			for _, a := range rs {
				if a[1] > a[0] {
					m.ranges = append(m.ranges, cuRange{low: a[0], high: a[1], file: name})
				}
			}
		}
		if e.Children {
			if err := readUnitVars(r, name, addrSize, bo, m); err != nil {
				return nil, err
			}
		}
	}
	slices.SortStableFunc(m.ranges, func(a, b cuRange) int { return cmp.Compare(a.low, b.low) })
	kept := m.ranges[:0]
	for _, c := range m.ranges {
		if n := len(kept); n > 0 && c.low < kept[n-1].high {
			if c.high <= kept[n-1].high {
				continue
			}
			c.low = kept[n-1].high
		}
		kept = append(kept, c)
	}
	m.ranges = kept
	slices.SortStableFunc(m.vars, func(a, b cuRange) int { return cmp.Compare(a.low, b.low) })
	return m, nil
}

// readUnitVars reads the children of a compile unit up to its end,
// recording variables with a static address and descending only into
// namespaces.
func readUnitVars(r *dwarf.Reader, file string, addrSize int, bo binary.ByteOrder, m *unitMap) error {
	depth := 0
	for {
		e, err := r.Next()
		if err != nil {
			return err
		}
		if e == nil {
			return nil
		}
		switch e.Tag {
		case 0: // end of a sibling list
			if depth == 0 {
				return nil
			}
			depth--
			continue
		case dwarf.TagNamespace:
			if e.Children {
				depth++
			}
			continue
		case dwarf.TagVariable:
			// A static address is the expression DW_OP_addr <address>.
			const opAddr = 0x03
			if loc, ok := e.Val(dwarf.AttrLocation).([]byte); ok && len(loc) == 1+addrSize && loc[0] == opAddr {
				a := uint64(bo.Uint32(loc[1:]))
				if addrSize == 8 {
					a = bo.Uint64(loc[1:])
				}
				m.vars = append(m.vars, cuRange{low: a, file: file})
			}
		}
		if e.Children {
			r.SkipChildren()
		}
	}
}
