package linkmap

import (
	"bytes"
	"errors"
	"io"
)

// heading is a top-level part of a GNU ld map.
type heading int

const (
	headNone heading = iota
	headArchive
	headDiscarded
	headMemory
	headScript
	headOther // parts we do not model (common symbols, cross references, ...)
)

// gnuHeading recognises the lines that open each part of a GNU ld map.
func gnuHeading(line []byte) heading {
	switch string(line) {
	case "Archive member included to satisfy reference by file (symbol)",
		"Archive member included because of file (symbol)":
		return headArchive
	case "Discarded input sections":
		return headDiscarded
	case "Memory Configuration":
		return headMemory
	case "Linker script and memory map":
		return headScript
	case "Allocating common symbols", "Common symbol       size              file",
		"Cross Reference Table", "There are no discarded input sections",
		"As-needed library included to satisfy reference by file (symbol)",
		"Merging program properties", "Removed property", "Linker stubs":
		return headOther
	}
	return headNone
}

// gnuState is the parser's position inside the GNU map.
type gnuState struct {
	part       heading
	cur        int    // index of the current output section, -1 before the first
	pendingOut string // output section name whose numbers are on the next line
	pendingIn  string // input section name whose numbers are on the next line
	pendingReg string // region name whose numbers are on the next line
	pendingAr  *ArchiveReason
}

func (p *parser) parseGNU(first []byte) error {
	st := gnuState{cur: -1}
	line := first
	for {
		if err := p.gnuLine(&st, line); err != nil {
			return err
		}
		var err error
		line, err = p.lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
	}
}

func (p *parser) gnuLine(st *gnuState, line []byte) error {
	if len(line) > 0 && line[0] != ' ' {
		if h := gnuHeading(line); h != headNone {
			*st = gnuState{part: h, cur: st.cur}
			return nil
		}
	}
	if len(bytes.TrimSpace(line)) == 0 {
		return nil
	}
	switch st.part {
	case headArchive:
		return p.gnuArchive(st, line)
	case headDiscarded:
		return p.gnuInput(st, line, &p.m.Discarded)
	case headMemory:
		return p.gnuMemory(st, line)
	case headScript:
		return p.gnuScript(st, line)
	}
	return nil
}

// gnuArchive reads "lib.a(member.o)" followed, on the same line or the next,
// by "referring/file.o (symbol)".
func (p *parser) gnuArchive(st *gnuState, line []byte) error {
	if line[0] != ' ' {
		if st.pendingAr != nil {
			return p.bad("archive member without the file that needed it")
		}
		name := line
		var rest []byte
		if i := bytes.Index(line, []byte(") ")); i >= 0 {
			name, rest = line[:i+1], bytes.TrimSpace(line[i+1:])
		}
		a, m, ok := splitMember(name)
		if !ok {
			return p.bad("expected archive(member)")
		}
		st.pendingAr = &ArchiveReason{Archive: p.intern(a), Member: p.intern(m)}
		if len(rest) == 0 {
			return nil
		}
		line = rest
	}
	if st.pendingAr == nil {
		return p.bad("reference without an archive member")
	}
	by, sym, ok := splitTrailingParen(bytes.TrimSpace(line))
	if !ok {
		return p.bad("expected file (symbol)")
	}
	st.pendingAr.By = p.intern(by)
	st.pendingAr.Symbol = string(sym)
	p.m.ArchiveReasons = append(p.m.ArchiveReasons, *st.pendingAr)
	st.pendingAr = nil
	return nil
}

// splitTrailingParen splits "file (sym(args))" at the parenthesised group
// that ends the line.
func splitTrailingParen(b []byte) (head, inner []byte, ok bool) {
	if len(b) == 0 || b[len(b)-1] != ')' {
		return nil, nil, false
	}
	depth := 0
	for i := len(b) - 1; i >= 0; i-- {
		switch b[i] {
		case ')':
			depth++
		case '(':
			depth--
			if depth == 0 {
				if i > 0 && b[i-1] != ' ' {
					return nil, nil, false
				}
				return bytes.TrimSpace(b[:i]), b[i+1 : len(b)-1], true
			}
		}
	}
	return nil, nil, false
}

// gnuMemory reads a row of the Memory Configuration table.
func (p *parser) gnuMemory(st *gnuState, line []byte) error {
	f := fields(p.buf, line)
	p.buf = f
	if len(f) == 4 && string(f[0]) == "Name" && string(f[1]) == "Origin" {
		return nil
	}
	name := st.pendingReg
	if line[0] != ' ' {
		if len(f) == 1 {
			st.pendingReg = string(f[0])
			return nil
		}
		name, f = string(f[0]), f[1:]
	}
	st.pendingReg = ""
	if name == "" || len(f) < 2 || len(f) > 3 {
		return p.bad("expected memory region: name origin length [attributes]")
	}
	origin, ok1 := parseHex(f[0])
	length, ok2 := parseHex(f[1])
	if !ok1 || !ok2 {
		return p.bad("expected hexadecimal origin and length")
	}
	if name == "*default*" {
		return nil
	}
	r := Region{Name: name, Origin: origin, Length: length}
	if len(f) == 3 {
		r.Attributes = string(f[2])
	}
	p.m.Regions = append(p.m.Regions, r)
	return nil
}

// gnuScript reads a line of the "Linker script and memory map" part.
func (p *parser) gnuScript(st *gnuState, line []byte) error {
	f := fields(p.buf, line)
	p.buf = f
	if line[0] != ' ' {
		st.pendingOut, st.pendingIn = "", ""
		switch {
		case len(f) >= 3 && isHex0x(f[1]) && isHex0x(f[2]):
			return p.gnuOutput(st, string(f[0]), f[1:])
		case len(f) == 1 && bytes.IndexByte(f[0], '(') < 0:
			st.pendingOut = string(f[0])
			return nil
		case isScriptCommand(f[0]):
			return nil
		}
		return p.bad("unrecognised top-level line")
	}
	if st.pendingOut != "" {
		name := st.pendingOut
		st.pendingOut = ""
		if len(f) >= 2 && isHex0x(f[0]) && isHex0x(f[1]) {
			return p.gnuOutput(st, name, f)
		}
		// A name alone followed by patterns: an empty section the linker
		// dropped (or /DISCARD/); the line is read normally below.
		st.cur = -1
	}
	if st.cur < 0 {
		// Assignments before the first section, and patterns of dropped
		// sections, are not modelled.
		if st.pendingIn == "" && isIgnorable(line, f) {
			return nil
		}
		return p.bad("line outside any output section")
	}
	return p.gnuInput(st, line, &p.m.OutputSections[st.cur].Inputs)
}

// isScriptCommand reports top-level linker script echo lines (LOAD x,
// START GROUP, OUTPUT(...), ...).
func isScriptCommand(w []byte) bool {
	switch string(w) {
	case "LOAD", "START", "END", "INPUT", "GROUP", "INSERT", "SEARCH_DIR":
		return true
	}
	return bytes.IndexByte(w, '(') > 0
}

// isIgnorable reports lines inside the script part that carry no bytes:
// input section patterns, assignments, FILL, "(size before relaxing)".
func isIgnorable(line []byte, f [][]byte) bool {
	if len(f) == 0 {
		return true
	}
	if bytes.HasSuffix(line, []byte("(size before relaxing)")) || string(f[0]) == "[!provide]" || string(f[0]) == "FILL" {
		return true
	}
	if isHex0x(f[0]) && len(f) >= 2 && !isHex0x(f[1]) {
		return isAssignment(line, f[0])
	}
	if leadingSpaces(line) == 1 && !isHex0x(f[0]) && (len(f) == 1 || !isHex0x(f[1])) {
		return bytes.IndexByte(line, '(') >= 0 || f[0][0] == '*'
	}
	return false
}

// isAssignment tells an assignment echo ("0x... <24 spaces> _sdata = .")
// from a symbol line ("0x... <16 spaces> g_pfnVectors"): by the column in
// 32-bit maps, by the text in 64-bit maps where both columns coincide.
func isAssignment(line, addr []byte) bool {
	end := cap(line) - cap(addr) + len(addr)
	rest := line[end:]
	if leadingSpaces(rest) >= 20 {
		return true
	}
	rest = bytes.TrimSpace(rest)
	return bytes.Contains(rest, []byte("= ")) || bytes.HasPrefix(rest, []byte("PROVIDE")) || bytes.HasPrefix(rest, []byte("ASSERT"))
}

// gnuOutput starts an output section from "ADDR SIZE [load address LMA]".
func (p *parser) gnuOutput(st *gnuState, name string, f [][]byte) error {
	vma, _ := parseHex(f[0])
	size, _ := parseHex(f[1])
	lma := vma
	switch {
	case len(f) == 2:
	case len(f) == 5 && string(f[2]) == "load" && string(f[3]) == "address":
		var ok bool
		if lma, ok = parseHex(f[4]); !ok {
			return p.bad("bad load address")
		}
	default:
		return p.bad("unexpected text after output section size")
	}
	p.m.OutputSections = append(p.m.OutputSections, OutputSection{Name: name, VMA: vma, LMA: lma, Size: size, Line: p.lr.n})
	st.cur = len(p.m.OutputSections) - 1
	return nil
}

// dataKeyword reports the linker script data statements.
func dataKeyword(w []byte) bool {
	switch string(w) {
	case "BYTE", "SHORT", "LONG", "QUAD", "SQUAD":
		return true
	}
	return false
}

// gnuInput reads the lines inside an output section (or the Discarded
// part): input sections, *fill*, data statements and symbols; dst receives
// input sections.
func (p *parser) gnuInput(st *gnuState, line []byte, dst *[]InputSection) error {
	f := fields(p.buf, line)
	p.buf = f
	if st.pendingIn != "" {
		name := st.pendingIn
		st.pendingIn = ""
		if len(f) >= 2 && isHex0x(f[0]) && isHex0x(f[1]) {
			return p.gnuAddInput(dst, name, line, f)
		}
		return p.bad("expected address and size of input section " + name)
	}
	if leadingSpaces(line) == 1 {
		switch {
		case string(f[0]) == "*fill*":
			return p.gnuFill(dst, "*fill*", f[1:])
		case len(f) >= 3 && isHex0x(f[1]) && isHex0x(f[2]):
			return p.gnuAddInput(dst, string(f[0]), line, f[1:])
		case len(f) == 1 && f[0][0] != '*' && bytes.IndexByte(f[0], '(') < 0:
			st.pendingIn = string(f[0])
			return nil
		}
	} else if len(f) >= 3 && isHex0x(f[0]) && isHex0x(f[1]) && dataKeyword(f[2]) {
		return p.gnuFill(dst, string(f[2]), f)
	} else if len(f) >= 2 && isHex0x(f[0]) && !isHex0x(f[1]) && !isAssignment(line, f[0]) &&
		!bytes.HasSuffix(line, []byte("(size before relaxing)")) {
		return p.gnuSymbol(dst, line, f)
	}
	if isIgnorable(line, f) {
		return nil
	}
	return p.bad("unrecognised line")
}

// gnuAddInput appends an input section; f starts at its address and the
// object is the rest of the line after the size (paths may hold spaces).
func (p *parser) gnuAddInput(dst *[]InputSection, name string, line []byte, f [][]byte) error {
	addr, _ := parseHex(f[0])
	size, _ := parseHex(f[1])
	in := InputSection{Section: name, Addr: addr, Size: size}
	end := cap(line) - cap(f[1]) + len(f[1])
	if obj := bytes.TrimSpace(line[end:]); len(obj) > 0 {
		p.object(&in, obj)
	}
	*dst = append(*dst, in)
	return nil
}

// gnuFill appends a *fill* gap or a data statement as a Fill entry; f starts
// at its address.
func (p *parser) gnuFill(dst *[]InputSection, name string, f [][]byte) error {
	if len(f) < 2 {
		return p.bad("expected address and size of " + name)
	}
	addr, ok1 := parseHex(f[0])
	size, ok2 := parseHex(f[1])
	if !ok1 || !ok2 {
		return p.bad("bad address or size of " + name)
	}
	*dst = append(*dst, InputSection{Section: name, Addr: addr, Size: size, Fill: true})
	return nil
}

// gnuSymbol attaches "ADDR name" to the last input section.
func (p *parser) gnuSymbol(dst *[]InputSection, line []byte, f [][]byte) error {
	if len(*dst) == 0 || (*dst)[len(*dst)-1].Fill {
		// A symbol before any input section (a linker-defined label):
		// nothing to attach it to.
		return nil
	}
	addr, _ := parseHex(f[0])
	start := cap(line) - cap(f[1])
	name := bytes.TrimSpace(line[start:])
	in := &(*dst)[len(*dst)-1]
	in.Symbols = append(in.Symbols, Symbol{Name: string(name), Addr: addr})
	return nil
}
