package linkmap

import (
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxScript bounds the linker script LoadMemoryFromLinkerScript reads.
const maxScript = 16 << 20

// LoadMemoryFromLinkerScript reads the MEMORY { ... } command of a GNU ld
// linker script: entries "NAME (attr) : ORIGIN = expr, LENGTH = expr"
// (also org/o and len/l), where expressions may use numbers in hex,
// decimal or octal with K/M/G suffixes, + - * / and parentheses, and
// ORIGIN(R)/LENGTH(R) of regions defined before. C and # comments are
// ignored. A script without MEMORY yields no regions and no error.
func LoadMemoryFromLinkerScript(r io.Reader) ([]Region, error) {
	b, err := io.ReadAll(io.LimitReader(r, maxScript+1))
	if err != nil {
		return nil, fmt.Errorf("read linker script: %w", err)
	}
	if len(b) > maxScript {
		return nil, fmt.Errorf("linker script larger than %d bytes", maxScript)
	}
	toks := tokenize(stripComments(string(b)))
	for i := 0; i+1 < len(toks); i++ {
		if toks[i] == "MEMORY" && toks[i+1] == "{" {
			return parseMemory(toks[i+2:])
		}
	}
	return nil, nil
}

// ParseRegion parses a region given as NAME=ORIGIN:LENGTH, with numbers as
// in a linker script (0x08000000, 1024K, 1M).
func ParseRegion(s string) (Region, error) {
	name, rest, ok := strings.Cut(s, "=")
	origin, length, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || name == "" {
		return Region{}, fmt.Errorf("region %q: want NAME=ORIGIN:LENGTH", s)
	}
	o, err := parseNumber(strings.TrimSpace(origin))
	if err != nil {
		return Region{}, fmt.Errorf("region %q: origin: %w", s, err)
	}
	l, err := parseNumber(strings.TrimSpace(length))
	if err != nil {
		return Region{}, fmt.Errorf("region %q: length: %w", s, err)
	}
	return Region{Name: strings.TrimSpace(name), Origin: o, Length: l}, nil
}

// stripComments blanks /* */ comments and // and # line comments.
func stripComments(s string) string {
	var sb strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case strings.HasPrefix(s[i:], "/*"):
			end := strings.Index(s[i+2:], "*/")
			if end < 0 {
				return sb.String()
			}
			i += end + 3
			sb.WriteByte(' ')
		case strings.HasPrefix(s[i:], "//") || s[i] == '#':
			for i < len(s) && s[i] != '\n' {
				i++
			}
			sb.WriteByte('\n')
		default:
			sb.WriteByte(s[i])
		}
	}
	return sb.String()
}

// tokenize splits a script into words, numbers and single-character
// punctuation.
func tokenize(s string) []string {
	var toks []string
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case strings.IndexByte("{}():,=+-*/;", c) >= 0:
			toks = append(toks, s[i:i+1])
			i++
		default:
			j := i
			for j < len(s) && strings.IndexByte(" \t\n\r{}():,=+-*/;", s[j]) < 0 {
				j++
			}
			toks = append(toks, s[i:j])
			i = j
		}
	}
	return toks
}

// parseMemory reads region entries up to the closing brace.
func parseMemory(t []string) ([]Region, error) {
	var regions []Region
	pos := 0
	next := func() string {
		if pos >= len(t) {
			return ""
		}
		pos++
		return t[pos-1]
	}
	expect := func(want string) error {
		if got := next(); got != want {
			return fmt.Errorf("MEMORY: expected %q, found %q", want, got)
		}
		return nil
	}
	for {
		name := next()
		switch name {
		case "}":
			return regions, nil
		case "":
			return nil, fmt.Errorf("MEMORY: missing closing brace")
		}
		r := Region{Name: name}
		if pos < len(t) && t[pos] == "(" {
			pos++
			for a := next(); a != ")"; a = next() {
				if a == "" {
					return nil, fmt.Errorf("MEMORY: region %s: unterminated attributes", name)
				}
				r.Attributes += a
			}
		}
		if err := expect(":"); err != nil {
			return nil, fmt.Errorf("region %s: %w", name, err)
		}
		for k := 0; k < 2; k++ {
			key := next()
			if err := expect("="); err != nil {
				return nil, fmt.Errorf("region %s: %w", name, err)
			}
			e := exprParser{toks: t, pos: pos, regions: regions}
			v, err := e.sum()
			if err != nil {
				return nil, fmt.Errorf("region %s: %s: %w", name, key, err)
			}
			pos = e.pos
			switch key {
			case "ORIGIN", "org", "o":
				r.Origin = v
			case "LENGTH", "len", "l":
				r.Length = v
			default:
				return nil, fmt.Errorf("region %s: unknown key %q", name, key)
			}
			if k == 0 {
				if err := expect(","); err != nil {
					return nil, fmt.Errorf("region %s: %w", name, err)
				}
			}
		}
		regions = append(regions, r)
	}
}

// exprParser evaluates a linker script expression over tokens.
type exprParser struct {
	toks    []string
	pos     int
	regions []Region
	depth   int
}

func (e *exprParser) peek() string {
	if e.pos < len(e.toks) {
		return e.toks[e.pos]
	}
	return ""
}

func (e *exprParser) sum() (uint64, error) {
	v, err := e.product()
	for err == nil && (e.peek() == "+" || e.peek() == "-") {
		op := e.toks[e.pos]
		e.pos++
		var w uint64
		if w, err = e.product(); op == "+" {
			v += w
		} else {
			v -= w
		}
	}
	return v, err
}

func (e *exprParser) product() (uint64, error) {
	v, err := e.term()
	for err == nil && (e.peek() == "*" || e.peek() == "/") {
		op := e.toks[e.pos]
		e.pos++
		var w uint64
		if w, err = e.term(); err != nil {
			break
		}
		if op == "*" {
			v *= w
		} else if w == 0 {
			return 0, fmt.Errorf("division by zero")
		} else {
			v /= w
		}
	}
	return v, err
}

func (e *exprParser) term() (uint64, error) {
	e.depth++
	defer func() { e.depth-- }()
	if e.depth > 100 {
		return 0, fmt.Errorf("expression nested too deeply")
	}
	tok := e.peek()
	e.pos++
	switch tok {
	case "(":
		v, err := e.sum()
		if err == nil && e.peek() != ")" {
			err = fmt.Errorf("missing )")
		}
		e.pos++
		return v, err
	case "ORIGIN", "LENGTH":
		if e.peek() != "(" || e.pos+2 >= len(e.toks) || e.toks[e.pos+2] != ")" {
			return 0, fmt.Errorf("expected %s(REGION)", tok)
		}
		name := e.toks[e.pos+1]
		e.pos += 3
		for _, r := range e.regions {
			if r.Name == name {
				if tok == "ORIGIN" {
					return r.Origin, nil
				}
				return r.Length, nil
			}
		}
		return 0, fmt.Errorf("%s(%s): region not defined before", tok, name)
	}
	return parseNumber(tok)
}

// parseNumber parses a linker script number: 0x1F, 0777, 42, 64K, 1M.
func parseNumber(s string) (uint64, error) {
	mult := uint64(1)
	switch {
	case strings.HasSuffix(s, "K") || strings.HasSuffix(s, "k"):
		mult, s = 1<<10, s[:len(s)-1]
	case strings.HasSuffix(s, "M") || strings.HasSuffix(s, "m"):
		mult, s = 1<<20, s[:len(s)-1]
	case strings.HasSuffix(s, "G") || strings.HasSuffix(s, "g"):
		mult, s = 1<<30, s[:len(s)-1]
	}
	v, err := strconv.ParseUint(s, 0, 64)
	if err != nil {
		return 0, fmt.Errorf("bad number %q", s)
	}
	if v > (1<<64-1)/mult {
		return 0, fmt.Errorf("number %q overflows", s)
	}
	return v * mult, nil
}
