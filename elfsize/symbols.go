package elfsize

import (
	"debug/elf"
	"fmt"
	"math/bits"
	"strings"
	"unsafe"

	"github.com/ianlancetaylor/demangle"

	"github.com/footprint-dev/footprint/internal/parallel"
	"github.com/footprint-dev/footprint/report"
)

// symbols is the part of a symbol table that can claim bytes: symbols with
// a size, defined in an allocated section.
type symbols struct {
	// table is the symbol string table as one string, so names are
	// substrings of it and cost no allocation; "" when the file has no
	// symbol table.
	table string
	// list is sorted by section index, then address, then preference
	// (larger first, then global before weak before local, then name), so
	// the first symbol at an address is the one that names it.
	list []sym
	// dynamic reports that the static symbol table is missing and these
	// are the dynamic symbols (exported names only).
	dynamic bool
	// labels are zero-size functions and objects (assembly routines
	// without a .size directive), sorted like list; they name bytes no
	// sized symbol claims, from their address to the next symbol.
	labels []sym
}

// sym is one symbol table entry reduced to what attribution needs, in 32
// bytes: a large C++ binary has hundreds of thousands.
type sym struct {
	addr, size uint64
	name       uint32 // offset of the name in symbols.table
	file       uint32 // offset of the source file name of a local symbol, 0 if none
	sec        uint32 // section index
	info       byte   // st_info: binding and type
	// names reports that the symbol names a piece (set by attribute's
	// first walk); only those are demangled.
	names bool
}

func (s *sym) bind() elf.SymBind { return elf.ST_BIND(s.info) }
func (s *sym) typ() elf.SymType  { return elf.ST_TYPE(s.info) }

// name returns the symbol's name from the string table.
func (s *symbols) name(off uint32) string {
	if int(off) >= len(s.table) {
		return ""
	}
	t := s.table[off:]
	if i := strings.IndexByte(t, 0); i >= 0 {
		return t[:i]
	}
	return t
}

// symbolTable returns the static symbol table, or the dynamic one if the
// file is stripped; nil when there is none.
func (img *image) symbolTable() (*section, error) {
	var tab *section
	for _, want := range []elf.SectionType{elf.SHT_SYMTAB, elf.SHT_DYNSYM} {
		for i := range img.secs {
			if img.secs[i].Type == want {
				tab = &img.secs[i]
				break
			}
		}
		if tab != nil {
			break
		}
	}
	if tab == nil {
		return nil, nil
	}
	if int(tab.Link) <= 0 || int(tab.Link) >= len(img.secs) {
		return nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("symbol table %q links to string table %d, which does not exist", tab.Name, tab.Link)}
	}
	s := tab.Section
	if s.Type != elf.SHT_NOBITS && !fits(s.Offset, s.Size, img.size) {
		return nil, &FormatError{Offset: int64(min(s.Offset, 1<<62)), Msg: fmt.Sprintf("section %q (%d bytes) runs past the end of the file", s.Name, s.Size)}
	}
	return tab, nil
}

// entry is one decoded symbol table entry.
type entry struct {
	sym
	shndx elf.SectionIndex
}

// symChunk is how many symbol table entries are read at a time: the table
// of a large binary is megabytes, which need not be in memory at once.
const symChunk = 4096

// forEntries calls fn on the entries of symbol table tab after the null
// one, in order, until fn returns false. The table is read in chunks.
func (img *image) forEntries(tab *section, fn func(entry) bool) error {
	s := tab.Section
	if s.Type == elf.SHT_NOBITS {
		return nil
	}
	entSize := img.symSize()
	bo := img.f.ByteOrder
	n := s.Size / entSize
	buf := make([]byte, min(n, symChunk)*entSize)
	for first := uint64(0); first < n; first += symChunk {
		b := buf[:min(n-first, symChunk)*entSize]
		if _, err := img.r.ReadAt(b, int64(s.Offset+first*entSize)); err != nil {
			return fmt.Errorf("reading symbol table %q: %w", s.Name, err)
		}
		for i := uint64(0); i < uint64(len(b)); i += entSize {
			if first == 0 && i == 0 {
				continue // entry 0 is the null symbol
			}
			e := b[i : i+entSize]
			var x entry
			if entSize == elf.Sym64Size {
				x.name = bo.Uint32(e[0:])
				x.info = e[4]
				x.shndx = elf.SectionIndex(bo.Uint16(e[6:]))
				x.addr = bo.Uint64(e[8:])
				x.size = bo.Uint64(e[16:])
			} else {
				x.name = bo.Uint32(e[0:])
				x.addr = uint64(bo.Uint32(e[4:]))
				x.size = uint64(bo.Uint32(e[8:]))
				x.info = e[12]
				x.shndx = elf.SectionIndex(bo.Uint16(e[14:]))
			}
			if !fn(x) {
				return nil
			}
		}
	}
	return nil
}

// symSize is the size of a symbol table entry.
func (img *image) symSize() uint64 {
	if img.f.Class == elf.ELFCLASS64 {
		return elf.Sym64Size
	}
	return elf.Sym32Size
}

// claimant decodes what attribution needs of an entry: whether it can
// claim bytes (defined in an allocated section binutils lists, a function,
// object, TLS or named untyped symbol) and its address. hasName reports
// whether an untyped symbol's name is not empty.
func (img *image) claimant(x entry, hasName func(uint32) bool) (sym, bool) {
	s := x.sym
	if x.shndx == elf.SHN_UNDEF || x.shndx >= elf.SHN_LORESERVE || int(x.shndx) >= len(img.secs) {
		return s, false
	}
	sec := &img.secs[x.shndx]
	if !sec.alloc || !sec.listed {
		return s, false
	}
	s.sec = uint32(x.shndx)
	typ := s.typ()
	switch typ {
	case elf.STT_FUNC, elf.STT_GNU_IFUNC:
		if img.f.Machine == elf.EM_ARM {
			s.addr &^= 1 // the Thumb bit is not part of the address
		}
	case elf.STT_OBJECT, elf.STT_COMMON:
	case elf.STT_TLS:
		if img.f.Type != elf.ET_REL {
			s.addr += img.tlsAddr // executables store TLS offsets
		}
	case elf.STT_NOTYPE:
		if !hasName(s.name) {
			return s, false
		}
	default:
		return s, false // sections, files
	}
	if img.f.Type == elf.ET_REL {
		s.addr += sec.Addr // values are section offsets
	}
	return s, s.size > 0 || typ == elf.STT_FUNC || typ == elf.STT_OBJECT
}

// readSymbols reads the static symbol table, or the dynamic one if the
// file is stripped, with a single pass and one sort.
func (img *image) readSymbols() (*symbols, error) {
	tab, err := img.symbolTable()
	out := &symbols{}
	if err != nil || tab == nil {
		return out, err
	}
	out.dynamic = tab.Type == elf.SHT_DYNSYM
	if out.table, err = img.readString(img.secs[tab.Link].Section); err != nil {
		return nil, err
	}
	hasName := func(off uint32) bool { return int(off) < len(out.table) && out.table[off] != 0 }
	out.list = make([]sym, 0, tab.Size/img.symSize())
	// Local symbols follow the STT_FILE entry of their source file.
	var file uint32
	err = img.forEntries(tab, func(x entry) bool {
		if elf.ST_TYPE(x.info) == elf.STT_FILE {
			file = x.name
			return true
		}
		if elf.ST_BIND(x.info) == elf.STB_LOCAL {
			x.file = file
		}
		s, ok := img.claimant(x, hasName)
		switch {
		case !ok:
		case s.size > 0:
			out.list = append(out.list, s)
		default:
			out.labels = append(out.labels, s)
		}
		return true
	})
	if err != nil {
		return nil, err
	}
	out.sort(out.list)
	out.sort(out.labels)
	return out, nil
}

// warnings are the one-line notes on a missing symbol table.
func (s *symbols) warnings() []string {
	switch {
	case len(s.list)+len(s.labels) == 0:
		return []string{"no symbols (stripped): bytes are attributed to sections only"}
	case s.dynamic:
		return []string{"no static symbol table (stripped): only exported dynamic symbols name bytes"}
	}
	return nil
}

// bindRank orders symbol bindings by how well they name an address.
func bindRank(b elf.SymBind) int {
	switch b {
	case elf.STB_GLOBAL:
		return 0
	case elf.STB_WEAK:
		return 1
	}
	return 2
}

// readString reads a section's contents into a string without the copy a
// []byte conversion would make (string tables can be megabytes), in one
// read.
func (img *image) readString(s *elf.Section) (string, error) {
	if s.Type == elf.SHT_NOBITS {
		return "", nil
	}
	if !fits(s.Offset, s.Size, img.size) {
		return "", &FormatError{Offset: int64(min(s.Offset, 1<<62)), Msg: fmt.Sprintf("section %q (%d bytes) runs past the end of the file", s.Name, s.Size)}
	}
	if s.Size == 0 {
		return "", nil
	}
	b := make([]byte, s.Size)
	if _, err := img.r.ReadAt(b, int64(s.Offset)); err != nil {
		return "", fmt.Errorf("reading section %q: %w", s.Name, err)
	}
	// b is never written again: the string shares its bytes.
	return unsafe.String(&b[0], len(b)), nil
}

// span is one run of a section's bytes the attribution walk yields: a
// symbol's (sym set), or a gap no sized symbol claims (sym nil), or the
// whole of a section without symbols.
type span struct {
	sec *section
	sym *sym
	// index is sym's index in symbols.list, or len(symbols.list) plus its
	// index in symbols.labels.
	index      int
	whole      bool
	start, end uint64
}

// attribute cuts every allocated section into pieces: one per symbol (the
// first claimant of a byte wins) and named fallbacks for the rest, with
// C++ names demangled when asked.
func (img *image) attribute(syms *symbols, demangle bool) []report.Piece {
	// Count first so the (possibly huge) slice is allocated once, and
	// demangle before it exists so the demangler's garbage does not pile
	// up on top of the pieces.
	n := 0
	img.walk(syms, func(sp span) {
		n++
		if sp.sym != nil {
			sp.sym.names = true
		}
	})
	var demangled map[uint32]string
	if demangle {
		demangled = syms.demangle()
	}
	pieces := make([]report.Piece, 0, n)
	var names fallbackNames
	img.walk(syms, func(sp span) {
		s := sp.sec
		p := report.Piece{Section: s.Name, Addr: sp.start, Size: sp.end - sp.start}
		p.Flash, p.RAM = s.cost(p.Size)
		switch {
		case sp.sym != nil:
			var ok bool
			if p.Symbol, ok = demangled[sp.sym.name]; !ok {
				p.Symbol = syms.name(sp.sym.name)
			}
			if sp.sym.file != 0 {
				p.File = syms.name(sp.sym.file)
			}
		default:
			p.Symbol = names.of(sp)
		}
		pieces = append(pieces, p)
	})
	return pieces
}

// cost returns the flash and RAM bytes n bytes of the section cost.
func (s *section) cost(n uint64) (flash, ram uint64) {
	if s.inFlash {
		flash = n
	}
	if s.inRAM {
		ram = n
	}
	return flash, ram
}

// fallbackNames names the spans no symbol claims, building each section's
// names once.
type fallbackNames struct {
	sec                 *section
	unattributed, whole string
}

// of returns the name of a span without a symbol: "[<section>]" for a
// whole section, report.Padding for alignment padding, else
// "[<section>: unattributed]".
func (f *fallbackNames) of(sp span) string {
	if f.sec != sp.sec {
		f.sec = sp.sec
		f.unattributed, f.whole = "["+sp.sec.Name+": unattributed]", "["+sp.sec.Name+"]"
	}
	switch {
	case sp.whole:
		return f.whole
	case isPadding(sp.start, sp.end):
		return report.Padding
	}
	return f.unattributed
}

// symbolRows sums the spans attribute would make pieces of by name: one
// row per symbol name offset, and per section for the fallback names.
func (img *image) symbolRows(syms *symbols) []report.Row {
	// Rows of the symbols that name spans, one per name offset: the
	// offsets are radix-sorted with the symbols' indexes.
	rowOf := make([]int32, len(syms.list)+len(syms.labels))
	keys := make([]uint64, 0, len(rowOf)) // name offset << 32 | index
	img.walk(syms, func(sp span) {
		if sp.sym != nil && rowOf[sp.index] == 0 {
			rowOf[sp.index] = -1
			keys = append(keys, uint64(sp.sym.name)<<32|uint64(sp.index))
		}
	})
	radixSort(keys)
	rows := make([]report.Row, 0, len(keys)+2*len(img.secs)+1)
	for i, k := range keys {
		if i == 0 || k>>32 != keys[i-1]>>32 {
			rows = append(rows, report.Row{Name: syms.name(uint32(k >> 32))})
		}
		rowOf[uint32(k)] = int32(len(rows) - 1)
	}
	// The rows of fallback names, plus one: padding, and per section
	// "[section]" and "[section: unattributed]".
	padding := int32(0)
	bySection := make([][2]int32, len(img.secs))
	var names fallbackNames
	add := func(slot *int32, name string) int32 {
		if *slot == 0 {
			rows = append(rows, report.Row{Name: name})
			*slot = int32(len(rows))
		}
		return *slot - 1
	}
	img.walk(syms, func(sp span) {
		var j int32
		if sp.sym != nil {
			j = rowOf[sp.index]
		} else {
			switch name := names.of(sp); name {
			case report.Padding:
				j = add(&padding, name)
			case names.whole:
				j = add(&bySection[sp.sec.index][0], name)
			default:
				j = add(&bySection[sp.sec.index][1], name)
			}
		}
		r := &rows[j]
		flash, ram := sp.sec.cost(sp.end - sp.start)
		r.Flash += flash
		r.RAM += ram
		r.Pieces++
	})
	return rows
}

// radixSort sorts keys.
func radixSort(keys []uint64) {
	if len(keys) < 2 {
		return
	}
	orig, scratch := keys, make([]uint64, len(keys))
	for b := range 8 {
		shift := 8 * b
		if radixPass(keys, scratch, func(k *uint64) byte { return byte(*k >> shift) }) {
			keys, scratch = scratch, keys
		}
	}
	if &keys[0] != &orig[0] {
		copy(orig, keys)
	}
}

// walk yields the spans of every allocated section in order, covering
// each section exactly.
func (img *image) walk(syms *symbols, yield func(span)) {
	list, labels := syms.list, syms.labels
	for i := range img.secs {
		s := &img.secs[i]
		// Take the section's symbols in any case, so the walk stays in step.
		var own, ownLabels []sym
		first := len(syms.list) - len(list)
		label := len(syms.list) + len(syms.labels) - len(labels) // index of ownLabels[0]
		own, list = splitSection(list, i)
		ownLabels, labels = splitSection(labels, i)
		if !s.listed || !s.alloc || s.Size == 0 {
			continue
		}
		// gap yields the bytes [start, end) no sized symbol claims: from
		// each label inside the run to the next, the label's.
		gap := func(start, end uint64) {
			for len(ownLabels) > 0 && ownLabels[0].addr < start {
				ownLabels, label = ownLabels[1:], label+1
			}
			for start < end {
				if len(ownLabels) == 0 || ownLabels[0].addr >= end {
					yield(span{sec: s, start: start, end: end})
					return
				}
				l, index := &ownLabels[0], label
				if l.addr > start {
					yield(span{sec: s, start: start, end: l.addr})
				}
				for len(ownLabels) > 0 && ownLabels[0].addr == l.addr {
					ownLabels, label = ownLabels[1:], label+1 // aliases
				}
				stop := end
				if len(ownLabels) > 0 && ownLabels[0].addr < end {
					stop = ownLabels[0].addr
				}
				yield(span{sec: s, sym: l, index: index, start: l.addr, end: stop})
				start = stop
			}
		}
		end := s.Addr + s.Size
		cursor := s.Addr
		claimed := false
		for k := range own {
			y := &own[k]
			start := max(y.addr, cursor)
			stop := end
			if y.addr < end && y.size < end-y.addr {
				stop = y.addr + y.size
			}
			if stop <= start {
				continue // an alias, or wholly inside an earlier symbol
			}
			if start > cursor {
				gap(cursor, start)
			}
			yield(span{sec: s, sym: y, index: first + k, start: start, end: stop})
			cursor = stop
			claimed = true
		}
		switch {
		case !claimed && len(ownLabels) == 0:
			yield(span{sec: s, whole: true, start: s.Addr, end: end})
		case cursor < end:
			gap(cursor, end)
		}
	}
}

// splitSection splits a list sorted by section into the leading symbols of
// section i and the rest.
func splitSection(list []sym, i int) (own, rest []sym) {
	j := 0
	for j < len(list) && int(list[j].sec) == i {
		j++
	}
	return list[:j], list[j:]
}

// demangle returns the readable forms of the C++ names of the symbols
// that name pieces, by name offset, demangled in parallel once per name.
func (s *symbols) demangle() map[uint32]string {
	var offs []uint32
	seen := make(map[uint32]bool)
	for _, list := range [][]sym{s.list, s.labels} {
		for i := range list {
			y := &list[i]
			if y.names && !seen[y.name] && strings.HasPrefix(s.name(y.name), "_Z") {
				seen[y.name] = true
				offs = append(offs, y.name)
			}
		}
	}
	shown := make([]string, len(offs))
	parallel.Chunks(len(offs), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			shown[i] = demangle.Filter(s.name(offs[i]))
		}
	})
	out := make(map[uint32]string, len(offs))
	for i, off := range offs {
		out[off] = shown[i]
	}
	return out
}

// isPadding reports whether bytes no symbol claims look like alignment
// padding: the run is shorter than the alignment (up to 16) of the address
// it ends at. Other runs are named "[<section>: unattributed]".
func isPadding(start, end uint64) bool {
	align := uint64(1) << min(bits.TrailingZeros64(end), 4)
	return end-start < align
}
