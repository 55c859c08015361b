// Package linkmap reads the map files that linkers write beside the image
// (GNU ld's -Map and LLVM lld's -Map) into a plain model that mirrors the
// file: the memory regions, the output sections with the input sections,
// symbols and fill that make them up, the input sections that
// --gc-sections discarded, and why each archive member was linked.
//
// A map tells what an ELF cannot: which object file and archive member each
// byte came from. footprint uses it to attribute flash and RAM to objects,
// archives and components, and to compute memory-region usage.
//
// Parse streams the file line by line (memory grows with the number of input
// sections, not with the file size) and detects the format itself. Errors
// name the file and line; Options.Lenient skips lines it cannot read and
// counts them instead.
package linkmap

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
)

// Format says which linker wrote a map.
type Format int

const (
	// FormatGNU is GNU ld's map (also written by gold-compatible tools).
	FormatGNU Format = iota + 1
	// FormatLLD is LLVM lld's map (VMA LMA Size Align Out In Symbol columns).
	FormatLLD
)

// String returns "gnu" or "lld".
func (f Format) String() string {
	switch f {
	case FormatGNU:
		return "gnu"
	case FormatLLD:
		return "lld"
	}
	return fmt.Sprintf("Format(%d)", int(f))
}

// Map is a parsed linker map.
type Map struct {
	Format Format
	// Regions is GNU ld's Memory Configuration table without its *default*
	// row. lld maps have none.
	Regions []Region
	// OutputSections in map order, including non-allocated ones (.debug_*,
	// .comment) at address 0.
	OutputSections []OutputSection
	// Discarded lists the input sections that the linker removed
	// (--gc-sections, /DISCARD/, COMDAT duplicates). GNU ld only.
	Discarded []InputSection
	// ArchiveReasons says why each archive member was linked. GNU ld only.
	ArchiveReasons []ArchiveReason
	// SkippedLines counts the lines Options.Lenient skipped.
	SkippedLines int
}

// Region is one memory region (a row of GNU ld's Memory Configuration or an
// entry of a linker script's MEMORY command).
type Region struct {
	Name       string
	Origin     uint64
	Length     uint64
	Attributes string // as written, e.g. "xr", "rw", "!rx"; may be empty
}

// Contains reports whether addr falls inside the region.
func (r Region) Contains(addr uint64) bool {
	return addr >= r.Origin && addr-r.Origin < r.Length
}

// OutputSection is one output section of the image.
type OutputSection struct {
	Name string
	VMA  uint64
	// LMA is the load address; equal to VMA unless the map says otherwise.
	LMA  uint64
	Size uint64
	// Align is the alignment lld prints; 0 for GNU maps, which do not say.
	Align  uint64
	Inputs []InputSection
	// Line is the 1-based line of the section's header in the map.
	Line int
}

// InputSection is one input section placed in (or discarded from) an output
// section, or a piece of linker-generated content: a *fill* gap, a
// BYTE/SHORT/LONG/QUAD/SQUAD data statement or lld alignment padding, which
// have Fill set and no object.
type InputSection struct {
	// Section is the input section name (".text.main", "COMMON"); for fill
	// entries "*fill*" or the data statement keyword ("LONG").
	Section string
	Addr    uint64
	Size    uint64
	// Object is the file as the map names it: a path, or
	// "path/libx.a(member.o)" for archive members, or "<internal>" (lld).
	Object string
	// Archive and Member split Object when it names an archive member.
	Archive string
	Member  string
	Symbols []Symbol
	Fill    bool
}

// Symbol is a symbol the map lists inside an input section.
type Symbol struct {
	Name string
	Addr uint64
	// Size is the symbol size lld prints; GNU maps do not give one (0).
	Size uint64
}

// ArchiveReason is one entry of GNU ld's "Archive member included to
// satisfy reference by file (symbol)" list.
type ArchiveReason struct {
	Archive string // path of the archive
	Member  string // object inside it
	// By is the file whose reference pulled the member in, as the map names it.
	By string
	// Symbol is the referenced symbol (demangled if the link demangled).
	Symbol string
}

// Options control Parse.
type Options struct {
	// Lenient skips lines that cannot be parsed (counting them in
	// Map.SkippedLines) instead of failing.
	Lenient bool
}

// ParseError is a line of a map that could not be read.
type ParseError struct {
	File string
	Line int
	Msg  string
}

func (e *ParseError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Parse reads a GNU ld or lld map from r. name is used in error messages.
func Parse(r io.Reader, name string, opts Options) (*Map, error) {
	lr := newLineReader(r, name)
	var first []byte
	for {
		line, err := lr.next()
		if err != nil {
			if errors.Is(err, io.EOF) {
				return nil, fmt.Errorf("%s: empty file, not a linker map", name)
			}
			return nil, err
		}
		if len(bytes.TrimSpace(line)) > 0 {
			first = line
			break
		}
	}
	p := parser{lr: lr, opts: opts, m: &Map{}, names: map[string]string{}}
	switch {
	case isLLDHeader(first):
		p.m.Format = FormatLLD
		return p.m, p.parseLLD(first)
	case gnuHeading(first) != headNone:
		p.m.Format = FormatGNU
		return p.m, p.parseGNU(first)
	}
	return nil, &ParseError{File: name, Line: lr.n, Msg: "not a GNU ld or lld map (unrecognised first line)"}
}

// parser holds the state shared by both formats.
type parser struct {
	lr    *lineReader
	opts  Options
	m     *Map
	names map[string]string // interned object names
	buf   [][]byte          // reused field slice
}

// bad reports an unreadable line: an error, or a skip in lenient mode.
func (p *parser) bad(msg string) error {
	if p.opts.Lenient {
		p.m.SkippedLines++
		return nil
	}
	return &ParseError{File: p.lr.name, Line: p.lr.n, Msg: msg}
}

// intern returns a shared string for b, so that the thousands of input
// sections of one object share one copy of its path.
func (p *parser) intern(b []byte) string {
	if s, ok := p.names[string(b)]; ok {
		return s
	}
	s := string(b)
	p.names[s] = s
	return s
}

// object fills the Object, Archive and Member of in from a file name as the
// map prints it.
func (p *parser) object(in *InputSection, b []byte) {
	in.Object = p.intern(b)
	if a, m, ok := splitMember(b); ok {
		in.Archive = p.intern(a)
		in.Member = p.intern(m)
	}
}

// splitMember splits "path/libx.a(member.o)" into archive and member.
func splitMember(b []byte) (archive, member []byte, ok bool) {
	if len(b) < 4 || b[len(b)-1] != ')' {
		return nil, nil, false
	}
	open := bytes.LastIndexByte(b, '(')
	if open <= 0 || open == len(b)-2 {
		return nil, nil, false
	}
	return b[:open], b[open+1 : len(b)-1], true
}

// lineReader yields lines without copying them; a line is valid until the
// next call.
type lineReader struct {
	r    *bufio.Reader
	name string
	n    int // current line number, 1-based
}

// maxLine bounds one line of a map (the reader's buffer); longer lines are
// an error.
const maxLine = 256 << 10

func newLineReader(r io.Reader, name string) *lineReader {
	return &lineReader{r: bufio.NewReaderSize(r, maxLine), name: name}
}

// next returns the next line without its line terminator, or io.EOF.
func (lr *lineReader) next() ([]byte, error) {
	line, err := lr.r.ReadSlice('\n')
	if errors.Is(err, bufio.ErrBufferFull) {
		lr.n++
		return nil, &ParseError{File: lr.name, Line: lr.n, Msg: "line too long"}
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("read %s: %w", lr.name, err)
	}
	if len(line) == 0 && err != nil {
		return nil, io.EOF
	}
	lr.n++
	line = bytes.TrimRight(line, "\r\n")
	if bytes.IndexByte(line, 0) >= 0 {
		return nil, &ParseError{File: lr.name, Line: lr.n, Msg: "NUL byte: not a text map"}
	}
	return line, nil
}

// fields splits b on spaces and tabs into dst (reused) without allocating.
func fields(dst [][]byte, b []byte) [][]byte {
	dst = dst[:0]
	i := 0
	for i < len(b) {
		for i < len(b) && (b[i] == ' ' || b[i] == '\t') {
			i++
		}
		start := i
		for i < len(b) && b[i] != ' ' && b[i] != '\t' {
			i++
		}
		if i > start {
			dst = append(dst, b[start:i])
		}
	}
	return dst
}

// parseHex parses a hexadecimal number with an optional 0x prefix.
func parseHex(b []byte) (uint64, bool) {
	if len(b) > 2 && b[0] == '0' && (b[1] == 'x' || b[1] == 'X') {
		b = b[2:]
	}
	if len(b) == 0 || len(b) > 16 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		v = v<<4 | uint64(c)
	}
	return v, true
}

// isHex0x reports whether b is a 0x-prefixed hexadecimal number.
func isHex0x(b []byte) bool {
	if len(b) < 3 || b[0] != '0' || b[1] != 'x' {
		return false
	}
	_, ok := parseHex(b)
	return ok
}

// leadingSpaces counts the spaces at the start of b.
func leadingSpaces(b []byte) int {
	n := 0
	for n < len(b) && b[n] == ' ' {
		n++
	}
	return n
}
