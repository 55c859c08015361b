package linkmap

import (
	"bytes"
	"errors"
	"io"
)

// isLLDHeader recognises lld's column header "VMA LMA Size Align Out In Symbol".
func isLLDHeader(line []byte) bool {
	var buf [8][]byte
	f := fields(buf[:0], line)
	return len(f) == 7 && string(f[0]) == "VMA" && string(f[1]) == "LMA" && string(f[4]) == "Out"
}

// parseLLD reads an lld map. Each line is "VMA LMA Size Align" then text
// whose indentation (relative to the Out column) says what it is: an output
// section or top-level assignment at 0, an input section, data statement or
// assignment at 8, a symbol at 16.
func (p *parser) parseLLD(header []byte) error {
	outCol := bytes.Index(header, []byte("Out"))
	inCol := bytes.Index(header, []byte("In "))
	symCol := bytes.Index(header, []byte("Symbol"))
	cur := -1
	for {
		line, err := p.lr.next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if len(bytes.TrimSpace(line)) == 0 {
			continue
		}
		if string(line) == "Cross Reference Table" {
			return nil // --cref: symbol/file pairs, not modelled
		}
		if len(line) <= outCol {
			if err := p.bad("line shorter than the Out column"); err != nil {
				return err
			}
			continue
		}
		f := fields(p.buf, line[:outCol])
		p.buf = f
		if len(f) != 4 {
			if err := p.bad("expected VMA LMA Size Align columns"); err != nil {
				return err
			}
			continue
		}
		vma, ok1 := parseHex(f[0])
		lma, ok2 := parseHex(f[1])
		size, ok3 := parseHex(f[2])
		align, ok4 := parseDec(f[3])
		if !ok1 || !ok2 || !ok3 || !ok4 {
			if err := p.bad("bad number in VMA LMA Size Align columns"); err != nil {
				return err
			}
			continue
		}
		text := line[outCol:]
		indent := leadingSpaces(text)
		text = text[indent:]
		switch col := outCol + indent; {
		case col == outCol:
			if isLLDAssignment(text) {
				continue // top-level symbol assignment
			}
			p.m.OutputSections = append(p.m.OutputSections, OutputSection{
				Name: string(text), VMA: vma, LMA: lma, Size: size, Align: align, Line: p.lr.n})
			cur = len(p.m.OutputSections) - 1
		case cur < 0:
			err = p.bad("line before the first output section")
		case col == inCol:
			err = p.lldInput(&p.m.OutputSections[cur], text, vma, size)
		case col == symCol:
			p.lldSymbol(&p.m.OutputSections[cur], text, vma, size)
		default:
			err = p.bad("text in no column")
		}
		if err != nil {
			return err
		}
	}
}

// lldInput reads "file:(section)", a data statement or an assignment in the
// In column.
func (p *parser) lldInput(out *OutputSection, text []byte, addr, size uint64) error {
	if i := bytes.LastIndex(text, []byte(":(")); i >= 0 && text[len(text)-1] == ')' {
		in := InputSection{Section: string(text[i+2 : len(text)-1]), Addr: addr, Size: size}
		p.object(&in, text[:i])
		out.Inputs = append(out.Inputs, in)
		return nil
	}
	if kw := lldDataKeyword(text); kw != "" {
		out.Inputs = append(out.Inputs, InputSection{Section: kw, Addr: addr, Size: size, Fill: true})
		return nil
	}
	if isLLDAssignment(text) {
		if size > 0 { // ". = ALIGN(32)" and the like advance the location counter
			out.Inputs = append(out.Inputs, InputSection{Section: "*fill*", Addr: addr, Size: size, Fill: true})
		}
		return nil
	}
	if size == 0 && bytes.IndexByte(text, '(') >= 0 {
		return nil // other script commands echoed with no bytes (FILL, ASSERT)
	}
	return p.bad("expected file:(section)")
}

// lldDataKeyword returns BYTE/SHORT/LONG/QUAD/SQUAD for "LONG ( 0x1 )".
func lldDataKeyword(text []byte) string {
	i := bytes.IndexByte(text, ' ')
	if i < 0 {
		return ""
	}
	if w := text[:i]; dataKeyword(w) {
		return string(w)
	}
	return ""
}

// isLLDAssignment reports "name = expr" and "PROVIDE(...)" echo lines.
func isLLDAssignment(text []byte) bool {
	return bytes.Contains(text, []byte(" = ")) || bytes.Contains(text, []byte(" += ")) ||
		bytes.HasPrefix(text, []byte("PROVIDE")) || bytes.HasPrefix(text, []byte("ASSERT"))
}

// lldSymbol attaches a symbol to the last input section, skipping ARM,
// AArch64 and RISC-V mapping symbols ($t, $d, $x.foo).
func (p *parser) lldSymbol(out *OutputSection, name []byte, addr, size uint64) {
	if len(name) >= 2 && name[0] == '$' && (len(name) == 2 || name[2] == '.') {
		return
	}
	if len(out.Inputs) == 0 || out.Inputs[len(out.Inputs)-1].Fill {
		return
	}
	in := &out.Inputs[len(out.Inputs)-1]
	in.Symbols = append(in.Symbols, Symbol{Name: string(name), Addr: addr, Size: size})
}

// parseDec parses a small unsigned decimal number.
func parseDec(b []byte) (uint64, bool) {
	if len(b) == 0 || len(b) > 19 {
		return 0, false
	}
	var v uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + uint64(c-'0')
	}
	return v, true
}
