package elfsize

import (
	"cmp"
	"debug/elf"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"strings"

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

// sym is one symbol table entry reduced to what attribution needs.
type sym struct {
	addr, size uint64
	name       uint32 // offset of the name in symbols.table
	file       uint32 // offset of the source file name of a local symbol, 0 if none
	sec        uint32 // section index
	bind       elf.SymBind
	typ        elf.SymType
	// names reports that the symbol names a piece (set by attribute's
	// first walk); only those are demangled.
	names bool
	// demangled is the readable form of a C++ name, "" until demangling
	// or when the name is not mangled.
	demangled string
}

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
// file is stripped, with its raw entries; nil when there is none.
func (img *image) symbolTable() (tab *section, raw []byte, err error) {
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
		return nil, nil, nil
	}
	if int(tab.Link) <= 0 || int(tab.Link) >= len(img.secs) {
		return nil, nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("symbol table %q links to string table %d, which does not exist", tab.Name, tab.Link)}
	}
	if raw, err = img.readSection(tab.Section); err != nil {
		return nil, nil, err
	}
	return tab, raw, nil
}

// entry is one decoded symbol table entry.
type entry struct {
	sym
	shndx elf.SectionIndex
	info  byte
}

// entries yields the entries of a raw symbol table after the null one.
func (img *image) entries(raw []byte) func(func(entry) bool) {
	return func(yield func(entry) bool) {
		entSize := img.symSize()
		bo := img.f.ByteOrder
		n := uint64(len(raw)) / entSize
		for i := uint64(1); i < n; i++ { // entry 0 is the null symbol
			e := raw[i*entSize : (i+1)*entSize]
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
			if !yield(x) {
				return
			}
		}
	}
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
	s.bind, s.typ = elf.ST_BIND(x.info), elf.ST_TYPE(x.info)
	switch s.typ {
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
	return s, s.size > 0 || s.typ == elf.STT_FUNC || s.typ == elf.STT_OBJECT
}

// readSymbols reads the static symbol table, or the dynamic one if the
// file is stripped, with a single pass and one sort.
func (img *image) readSymbols() (*symbols, error) {
	tab, raw, err := img.symbolTable()
	out := &symbols{}
	if err != nil || tab == nil {
		return out, err
	}
	out.dynamic = tab.Type == elf.SHT_DYNSYM
	if out.table, err = img.readString(img.secs[tab.Link].Section); err != nil {
		return nil, err
	}
	hasName := func(off uint32) bool { return out.name(off) != "" }
	out.list = make([]sym, 0, uint64(len(raw))/img.symSize())
	// Local symbols follow the STT_FILE entry of their source file.
	var file uint32
	for x := range img.entries(raw) {
		if elf.ST_TYPE(x.info) == elf.STT_FILE {
			file = x.name
			continue
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
	}
	out.sort(out.list)
	out.sort(out.labels)
	return out, nil
}

// sort orders list by section, address, then preference.
func (s *symbols) sort(list []sym) {
	slices.SortFunc(list, func(a, b sym) int {
		if c := cmp.Compare(a.sec, b.sec); c != 0 {
			return c
		}
		if c := cmp.Compare(a.addr, b.addr); c != 0 {
			return c
		}
		if c := cmp.Compare(b.size, a.size); c != 0 {
			return c
		}
		if c := cmp.Compare(bindRank(a.bind), bindRank(b.bind)); c != 0 {
			return c
		}
		return strings.Compare(s.name(a.name), s.name(b.name))
	})
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

// readSection reads a section's file contents after checking they lie
// inside the file.
func (img *image) readSection(s *elf.Section) ([]byte, error) {
	if s.Type == elf.SHT_NOBITS {
		return nil, nil
	}
	if !fits(s.Offset, s.Size, img.size) {
		return nil, &FormatError{Offset: int64(min(s.Offset, 1<<62)), Msg: fmt.Sprintf("section %q (%d bytes) runs past the end of the file", s.Name, s.Size)}
	}
	buf := make([]byte, s.Size)
	if _, err := img.r.ReadAt(buf, int64(s.Offset)); err != nil {
		return nil, fmt.Errorf("reading section %q: %w", s.Name, err)
	}
	return buf, nil
}

// readString reads a section's contents into a string without the extra
// copy a []byte conversion would make (string tables can be megabytes).
func (img *image) readString(s *elf.Section) (string, error) {
	if s.Type == elf.SHT_NOBITS {
		return "", nil
	}
	if !fits(s.Offset, s.Size, img.size) {
		return "", &FormatError{Offset: int64(min(s.Offset, 1<<62)), Msg: fmt.Sprintf("section %q (%d bytes) runs past the end of the file", s.Name, s.Size)}
	}
	var b strings.Builder
	b.Grow(int(s.Size))
	if _, err := io.Copy(&b, io.NewSectionReader(img.r, int64(s.Offset), int64(s.Size))); err != nil {
		return "", fmt.Errorf("reading section %q: %w", s.Name, err)
	}
	return b.String(), nil
}

// span is one run of a section's bytes the attribution walk yields: a
// symbol's (sym set), or a gap no sized symbol claims (sym nil), or the
// whole of a section without symbols.
type span struct {
	sec        *section
	sym        *sym
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
	if demangle {
		syms.demangle()
	}
	pieces := make([]report.Piece, 0, n)
	var gapSection, unattributed, whole string
	img.walk(syms, func(sp span) {
		s := sp.sec
		p := report.Piece{Section: s.Name, Addr: sp.start, Size: sp.end - sp.start}
		if s.inFlash {
			p.Flash = p.Size
		}
		if s.inRAM {
			p.RAM = p.Size
		}
		if gapSection != s.Name {
			gapSection = s.Name
			unattributed, whole = "["+s.Name+": unattributed]", "["+s.Name+"]"
		}
		switch {
		case sp.sym != nil:
			p.Symbol = sp.sym.demangled
			if p.Symbol == "" {
				p.Symbol = syms.name(sp.sym.name)
			}
			if sp.sym.file != 0 {
				p.File = syms.name(sp.sym.file)
			}
		case sp.whole:
			p.Symbol = whole
		case isPadding(sp.start, sp.end):
			p.Symbol = report.Padding
		default:
			p.Symbol = unattributed
		}
		pieces = append(pieces, p)
	})
	return pieces
}

// walk yields the spans of every allocated section in order, covering
// each section exactly.
func (img *image) walk(syms *symbols, yield func(span)) {
	list, labels := syms.list, syms.labels
	for i := range img.secs {
		s := &img.secs[i]
		// Take the section's symbols in any case, so the walk stays in step.
		var own, ownLabels []sym
		own, list = splitSection(list, i)
		ownLabels, labels = splitSection(labels, i)
		if !s.listed || !s.alloc || s.Size == 0 {
			continue
		}
		// gap yields the bytes [start, end) no sized symbol claims: from
		// each label inside the run to the next, the label's.
		gap := func(start, end uint64) {
			for len(ownLabels) > 0 && ownLabels[0].addr < start {
				ownLabels = ownLabels[1:]
			}
			for start < end {
				if len(ownLabels) == 0 || ownLabels[0].addr >= end {
					yield(span{sec: s, start: start, end: end})
					return
				}
				l := &ownLabels[0]
				if l.addr > start {
					yield(span{sec: s, start: start, end: l.addr})
				}
				for len(ownLabels) > 0 && ownLabels[0].addr == l.addr {
					ownLabels = ownLabels[1:] // aliases
				}
				stop := end
				if len(ownLabels) > 0 && ownLabels[0].addr < end {
					stop = ownLabels[0].addr
				}
				yield(span{sec: s, sym: l, start: l.addr, end: stop})
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
			yield(span{sec: s, sym: y, start: start, end: stop})
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

// demangle turns the C++ names of the symbols that name pieces into
// readable ones, in parallel.
func (s *symbols) demangle() {
	for _, list := range [][]sym{s.list, s.labels} {
		parallel.Chunks(len(list), func(lo, hi int) {
			for i := lo; i < hi; i++ {
				if name := s.name(list[i].name); list[i].names && strings.HasPrefix(name, "_Z") {
					list[i].demangled = demangle.Filter(name)
				}
			}
		})
	}
}

// isPadding reports whether bytes no symbol claims look like alignment
// padding: the run is shorter than the alignment (up to 16) of the address
// it ends at. Other runs are named "[<section>: unattributed]".
func isPadding(start, end uint64) bool {
	align := uint64(1) << min(bits.TrailingZeros64(end), 4)
	return end-start < align
}
