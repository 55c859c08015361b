package elfsize

import (
	"debug/elf"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// image is an opened ELF file with its sections classified.
type image struct {
	r    io.ReaderAt
	size int64
	f    *elf.File
	// secs parallels f.Sections (index 0 is the null section).
	secs []section
	// shstrndx is the index of the section-name string table.
	shstrndx int
	// tlsAddr is the run address of the PT_TLS segment; STT_TLS symbol
	// values in executables are offsets from it.
	tlsAddr uint64
}

// section is footprint's view of one ELF section.
type section struct {
	*elf.Section
	// index is the section's index in the file.
	index int
	// listed: binutils makes a BFD section of it, so `size -A` lists it.
	listed bool
	alloc  bool
	lma    uint64
	// inFlash and inRAM say which memories the section's bytes cost.
	inFlash, inRAM bool
	berkeley       string
}

// openImage validates the ELF headers against the file size and opens the
// file with debug/elf.
func openImage(r io.ReaderAt, size int64) (*image, error) {
	shstrndx, err := checkHeaders(r, size)
	if err != nil {
		return nil, err
	}
	f, err := newELFFile(io.NewSectionReader(r, 0, size))
	if err != nil {
		return nil, err
	}
	if shstrndx == int(elf.SHN_XINDEX) && len(f.Sections) > 0 {
		shstrndx = int(f.Sections[0].Link)
	}
	img := &image{r: r, size: size, f: f, shstrndx: shstrndx}
	if err := img.classify(); err != nil {
		return nil, err
	}
	return img, nil
}

// newELFFile calls elf.NewFile, converting a panic inside it into a
// FormatError. The headers were validated by checkHeaders first, so the
// recover is only a last-resort guard against malformed input that
// debug/elf does not anticipate; it never hides a bug in this package.
func newELFFile(r io.ReaderAt) (f *elf.File, err error) {
	defer func() {
		if p := recover(); p != nil {
			f, err = nil, &FormatError{Offset: -1, Msg: fmt.Sprintf("unreadable headers (%v)", p)}
		}
	}()
	f, err = elf.NewFile(r)
	if err != nil {
		var fe *elf.FormatError
		if errors.As(err, &fe) {
			return nil, &FormatError{Offset: -1, Msg: strings.TrimPrefix(fe.Error(), "elf: ")}
		}
		return nil, &FormatError{Offset: -1, Msg: err.Error()}
	}
	return f, nil
}

// checkHeaders reads the ELF file header and checks the program and section
// header tables lie inside the file, so nothing later trusts a count or an
// offset the file cannot back. It returns e_shstrndx, which debug/elf does
// not export.
func checkHeaders(r io.ReaderAt, size int64) (shstrndx int, err error) {
	var ident [elf.EI_NIDENT]byte
	if size < int64(len(ident)) {
		return 0, &FormatError{Offset: 0, Msg: fmt.Sprintf("file too short for an ELF header (%d bytes)", size)}
	}
	if _, err := r.ReadAt(ident[:], 0); err != nil {
		return 0, fmt.Errorf("reading ELF header: %w", err)
	}
	if string(ident[:4]) != elf.ELFMAG {
		return 0, &FormatError{Offset: 0, Msg: "not an ELF file (bad magic)"}
	}
	var bo binary.ByteOrder
	switch elf.Data(ident[elf.EI_DATA]) {
	case elf.ELFDATA2LSB:
		bo = binary.LittleEndian
	case elf.ELFDATA2MSB:
		bo = binary.BigEndian
	default:
		return 0, &FormatError{Offset: elf.EI_DATA, Msg: fmt.Sprintf("unknown data encoding %d", ident[elf.EI_DATA])}
	}
	var phoff, shoff uint64
	var phentsize, phnum, shentsize, shnum, shstr uint16
	var wantPh, wantSh uint16
	switch elf.Class(ident[elf.EI_CLASS]) {
	case elf.ELFCLASS32:
		var h elf.Header32
		if size < int64(binary.Size(h)) {
			return 0, &FormatError{Offset: 0, Msg: "file too short for an ELF32 header"}
		}
		if err := binary.Read(io.NewSectionReader(r, 0, size), bo, &h); err != nil {
			return 0, fmt.Errorf("reading ELF header: %w", err)
		}
		phoff, shoff = uint64(h.Phoff), uint64(h.Shoff)
		phentsize, phnum, shentsize, shnum, shstr = h.Phentsize, h.Phnum, h.Shentsize, h.Shnum, h.Shstrndx
		wantPh, wantSh = uint16(binary.Size(elf.Prog32{})), uint16(binary.Size(elf.Section32{}))
	case elf.ELFCLASS64:
		var h elf.Header64
		if size < int64(binary.Size(h)) {
			return 0, &FormatError{Offset: 0, Msg: "file too short for an ELF64 header"}
		}
		if err := binary.Read(io.NewSectionReader(r, 0, size), bo, &h); err != nil {
			return 0, fmt.Errorf("reading ELF header: %w", err)
		}
		phoff, shoff = h.Phoff, h.Shoff
		phentsize, phnum, shentsize, shnum, shstr = h.Phentsize, h.Phnum, h.Shentsize, h.Shnum, h.Shstrndx
		wantPh, wantSh = uint16(binary.Size(elf.Prog64{})), uint16(binary.Size(elf.Section64{}))
	default:
		return 0, &FormatError{Offset: elf.EI_CLASS, Msg: fmt.Sprintf("unknown ELF class %d", ident[elf.EI_CLASS])}
	}
	if phnum > 0 {
		if phentsize != wantPh {
			return 0, &FormatError{Offset: -1, Msg: fmt.Sprintf("program header entry size %d, want %d", phentsize, wantPh)}
		}
		if !fits(phoff, uint64(phnum)*uint64(phentsize), size) {
			return 0, &FormatError{Offset: int64(min(phoff, 1<<62)), Msg: fmt.Sprintf("%d program headers run past the end of the file (%d bytes)", phnum, size)}
		}
	}
	if shoff != 0 {
		if shentsize != wantSh {
			return 0, &FormatError{Offset: -1, Msg: fmt.Sprintf("section header entry size %d, want %d", shentsize, wantSh)}
		}
		// With more than 0xff00 sections shnum is 0 and the count is in
		// section 0's size field; debug/elf reads it, but the table must
		// still hold at least that first entry.
		n := max(uint64(shnum), 1)
		if !fits(shoff, n*uint64(shentsize), size) {
			return 0, &FormatError{Offset: int64(min(shoff, 1<<62)), Msg: fmt.Sprintf("section headers run past the end of the file (%d bytes)", size)}
		}
	}
	return int(shstr), nil
}

// fits reports whether [off, off+n) lies inside a file of the given size.
func fits(off, n uint64, size int64) bool {
	return off <= uint64(size) && n <= uint64(size)-off
}

// classify builds the section views: which sections binutils lists, their
// load addresses, Berkeley column and flash/RAM cost.
func (img *image) classify() error {
	f := img.f
	var loads []*elf.Prog
	for _, p := range f.Progs {
		switch p.Type {
		case elf.PT_LOAD:
			loads = append(loads, p)
		case elf.PT_TLS:
			img.tlsAddr = p.Vaddr
		}
	}
	// Each section is matched against the load segments; real files have
	// a handful, so a hostile count is refused rather than walked.
	if len(loads) > maxLoadSegments {
		return &FormatError{Offset: -1, Msg: fmt.Sprintf("%d loadable segments (at most %d supported)", len(loads), maxLoadSegments)}
	}
	symtab := -1
	for i, s := range f.Sections {
		if s.Type == elf.SHT_SYMTAB {
			symtab = i
			break
		}
	}
	roms := romImages(loads)
	img.secs = make([]section, len(f.Sections))
	for i, s := range f.Sections {
		sec := section{Section: s, index: i, lma: s.Addr}
		sec.listed = i > 0 && bfdListed(f, i, symtab, img.shstrndx)
		sec.alloc = s.Flags&elf.SHF_ALLOC != 0
		if sec.alloc && s.Type != elf.SHT_NOBITS && !fits(s.Offset, s.Size, img.size) {
			return &FormatError{Offset: int64(min(s.Offset, 1<<62)), Msg: fmt.Sprintf("section %q (%d bytes) runs past the end of the file", s.Name, s.Size)}
		}
		if sec.listed && sec.alloc {
			write := s.Flags&elf.SHF_WRITE != 0
			nobits := s.Type == elf.SHT_NOBITS
			seg := loadSegment(loads, s)
			if seg != nil {
				sec.lma = seg.Paddr + (s.Addr - seg.Vaddr)
			}
			copied := sec.lma != s.Addr
			// A writable section that runs where it is loaded is in ROM
			// when it sits inside an executable load image, or between
			// flash contents below and above it: GCC marks .init_array and
			// friends writable even when the linker script puts them in
			// flash beside .text, and lld gives them segments of their own
			// there.
			inROM := !copied && !nobits && seg != nil &&
				(seg.Flags&elf.PF_X != 0 || betweenROM(roms, s.Addr, s.Addr+s.Size))
			sec.inRAM = nobits || (write && !inROM)
			// Contents cost flash when they are read-only or in ROM, or
			// when they are copied to RAM from a separate load image
			// (.data). A writable section loaded where it runs in a data
			// segment (a host executable's .data) costs RAM only. Without
			// program headers (an object file) every initialiser is
			// assumed to be stored in flash.
			sec.inFlash = !nobits && (!write || seg == nil || copied || inROM)
			sec.berkeley = berkeleyColumn(s)
		}
		img.secs[i] = sec
	}
	return nil
}

// maxLoadSegments bounds the PT_LOAD entries of a file.
const maxLoadSegments = 1024

// addrRange is a half-open address range [lo, hi).
type addrRange struct{ lo, hi uint64 }

// romImages returns the address ranges certainly stored in flash: the
// read-only or executable load segments, and the load images of segments
// copied to RAM at start-up (load address differs from run address).
func romImages(loads []*elf.Prog) []addrRange {
	var out []addrRange
	for _, p := range loads {
		if p.Flags&elf.PF_W == 0 || p.Flags&elf.PF_X != 0 {
			out = append(out, addrRange{p.Vaddr, p.Vaddr + p.Memsz})
		}
		if p.Paddr != p.Vaddr && p.Filesz > 0 {
			out = append(out, addrRange{p.Paddr, p.Paddr + p.Filesz})
		}
	}
	return out
}

// betweenROM reports whether [lo, hi) has flash contents both below and
// above it.
func betweenROM(roms []addrRange, lo, hi uint64) bool {
	below, above := false, false
	for _, r := range roms {
		below = below || r.hi <= lo
		above = above || r.lo >= hi
	}
	return below && above
}

// loadSegment returns the PT_LOAD segment holding section s's run
// addresses, or nil.
func loadSegment(loads []*elf.Prog, s *elf.Section) *elf.Prog {
	for _, p := range loads {
		if s.Addr < p.Vaddr || s.Addr-p.Vaddr > p.Memsz || s.Size > p.Memsz-(s.Addr-p.Vaddr) {
			continue
		}
		if s.Type != elf.SHT_NOBITS && s.Size > 0 && (s.Offset < p.Off || s.Offset-p.Off >= p.Filesz) {
			continue // same addresses but not this segment's file image
		}
		return p
	}
	return nil
}

// berkeleyColumn returns the column of binutils' Berkeley `size` output an
// allocated section is added to: "text" for executable or read-only
// sections (whatever their type), else "data" for sections with contents,
// else "bss".
func berkeleyColumn(s *elf.Section) string {
	switch {
	case s.Flags&elf.SHF_EXECINSTR != 0 || s.Flags&elf.SHF_WRITE == 0:
		return "text"
	case s.Type != elf.SHT_NOBITS:
		return "data"
	}
	return "bss"
}

// bfdListed reports whether binutils (BFD) turns section i into a section
// of its own, which is what `size -A` lists: not the null section, the
// static symbol table, its string table, the section-name string table,
// symbol-index extensions, nor relocation sections it absorbs as the
// relocations of another section.
func bfdListed(f *elf.File, i, symtab, shstrndx int) bool {
	s := f.Sections[i]
	switch s.Type {
	case elf.SHT_NULL, elf.SHT_SYMTAB, elf.SHT_SYMTAB_SHNDX:
		return false
	case elf.SHT_STRTAB:
		if symtab >= 0 && int(f.Sections[symtab].Link) == i {
			return false
		}
		return i != shstrndx
	case elf.SHT_REL, elf.SHT_RELA:
		// BFD keeps a relocation section as a plain section when it is
		// allocated in an executable or shared object, or does not use the
		// static symbol table, or names no valid non-relocation target.
		if (f.Type == elf.ET_EXEC || f.Type == elf.ET_DYN) && s.Flags&elf.SHF_ALLOC != 0 {
			return true
		}
		if s.Link == 0 || int(s.Link) != symtab || s.Info == 0 || int(s.Info) >= len(f.Sections) {
			return true
		}
		t := f.Sections[s.Info].Type
		return t == elf.SHT_REL || t == elf.SHT_RELA
	}
	return true
}

// reportSections lists the sections `size -A` lists.
func (img *image) reportSections() []report.Section {
	out := make([]report.Section, 0, len(img.secs))
	for i := range img.secs {
		s := &img.secs[i]
		if !s.listed {
			continue
		}
		rs := report.Section{
			Name:     s.Name,
			Type:     strings.TrimPrefix(s.Type.String(), "SHT_"),
			Flags:    flagLetters(s.Flags),
			Addr:     s.Addr,
			LMA:      s.lma,
			Size:     s.Size,
			Alloc:    s.alloc,
			Berkeley: s.berkeley,
		}
		if s.inFlash {
			rs.Flash = s.Size
		}
		if s.inRAM {
			rs.RAM = s.Size
		}
		out = append(out, rs)
	}
	return out
}

// berkeley sums the listed allocated sections into `size`'s columns.
func (img *image) berkeley() report.Berkeley {
	var b report.Berkeley
	for i := range img.secs {
		s := &img.secs[i]
		switch s.berkeley {
		case "text":
			b.Text += s.Size
		case "data":
			b.Data += s.Size
		case "bss":
			b.BSS += s.Size
		}
	}
	return b
}

// flagLetters renders section flags as readelf does, e.g. "WAX".
func flagLetters(fl elf.SectionFlag) string {
	letters := []struct {
		flag elf.SectionFlag
		c    byte
	}{
		{elf.SHF_WRITE, 'W'}, {elf.SHF_ALLOC, 'A'}, {elf.SHF_EXECINSTR, 'X'},
		{elf.SHF_MERGE, 'M'}, {elf.SHF_STRINGS, 'S'}, {elf.SHF_INFO_LINK, 'I'},
		{elf.SHF_LINK_ORDER, 'L'}, {elf.SHF_GROUP, 'G'}, {elf.SHF_TLS, 'T'},
		{elf.SHF_COMPRESSED, 'C'},
	}
	var b []byte
	for _, l := range letters {
		if fl&l.flag != 0 {
			b = append(b, l.c)
		}
	}
	return string(b)
}
