package component

import (
	"fmt"
	"regexp"
	"strings"
)

// matcher tests one string against one pattern. Globs without wildcards,
// or with '*' only at either end, are matched with plain string functions;
// the rest are compiled to regular expressions.
type matcher struct {
	kind matchKind
	lit  string
	re   *regexp.Regexp
}

type matchKind int

const (
	matchEqual matchKind = iota
	matchPrefix
	matchSuffix
	matchContains
	matchRegexp
)

func (m *matcher) match(s string) bool {
	switch m.kind {
	case matchEqual:
		return s == m.lit
	case matchPrefix:
		return strings.HasPrefix(s, m.lit)
	case matchSuffix:
		return strings.HasSuffix(s, m.lit)
	case matchContains:
		return strings.Contains(s, m.lit)
	}
	return m.re.MatchString(s)
}

// compilePattern compiles a glob, or a regular expression prefixed "re:".
func compilePattern(p string) (matcher, error) {
	if expr, ok := strings.CutPrefix(p, "re:"); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return matcher{}, fmt.Errorf("bad regular expression %q: %w", expr, err)
		}
		return matcher{kind: matchRegexp, re: re}, nil
	}
	if p == "" {
		return matcher{}, fmt.Errorf("empty pattern")
	}
	inner := strings.TrimSuffix(strings.TrimPrefix(p, "*"), "*")
	if !strings.ContainsAny(inner, "*?") {
		lead, trail := strings.HasPrefix(p, "*"), len(p) > 1 && strings.HasSuffix(p, "*")
		switch {
		case p == "*":
			return matcher{kind: matchPrefix}, nil
		case lead && trail:
			return matcher{kind: matchContains, lit: inner}, nil
		case lead:
			return matcher{kind: matchSuffix, lit: inner}, nil
		case trail:
			return matcher{kind: matchPrefix, lit: inner}, nil
		}
		return matcher{kind: matchEqual, lit: p}, nil
	}
	var b strings.Builder
	b.WriteString("^")
	for _, r := range p {
		switch r {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(r)))
		}
	}
	b.WriteString("$")
	return matcher{kind: matchRegexp, re: regexp.MustCompile(b.String())}, nil
}
