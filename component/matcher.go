package component

import (
	"fmt"
	"regexp"
	"regexp/syntax"
	"slices"
	"strings"
	"unicode"

	"github.com/footprint-dev/footprint/report"
)

// matcher tests one string against one pattern. Globs without wildcards,
// or with '*' only at either end, are matched with plain string functions;
// the rest are compiled to regular expressions.
type matcher struct {
	kind matchKind
	lit  string
	re   *regexp.Regexp
	// need, for a regexp, holds strings one of which every match
	// contains; nil if unknown.
	need []string
	// prefixes, for a regexp anchored at the start, holds strings one of
	// which every match begins with; nil if unknown. A prefix test is
	// cheaper than need's scan of the whole name.
	prefixes []string
	// identOnly reports that every string the pattern matches is made of
	// letters, digits, '_' and '$' only.
	identOnly bool
	// mayContain holds, once bound to Names, a test per literal one of
	// which every match contains; nil (no literal known) tests nothing.
	mayContain []func(string) bool
}

// bind prepares the matcher for raw names that names shows.
func (m *matcher) bind(names report.Names) {
	m.mayContain = nil
	lits := []string{m.lit}
	if m.kind == matchRegexp {
		lits = m.need
	}
	for _, lit := range lits {
		m.mayContain = append(m.mayContain, names.Contains(lit))
	}
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
	return m.mayMatch(s) && m.re.MatchString(s)
}

// mayMatch is the regexp prefilter: false when s lacks every required
// literal.
func (m *matcher) mayMatch(s string) bool {
	if m.prefixes != nil {
		for _, p := range m.prefixes {
			if strings.HasPrefix(s, p) {
				return true
			}
		}
		return false
	}
	if m.need == nil {
		return true
	}
	for _, lit := range m.need {
		if strings.Contains(s, lit) {
			return true
		}
	}
	return false
}

// mayMatchShown reports whether the pattern may match the name names
// shows for the mangled name raw: false when it certainly cannot, decided
// without showing it (a successful demangling that must contain a literal
// the raw name and the demangler's words cannot supply, or must be a bare
// identifier and cannot be).
func (m *matcher) mayMatchShown(raw string, names report.Names) bool {
	if m.match(raw) {
		return true // demangling may fail and show raw itself
	}
	if m.identOnly && !names.MayBeIdent(raw) {
		return false
	}
	if m.mayContain == nil {
		return true
	}
	for _, may := range m.mayContain {
		if may(raw) {
			return true
		}
	}
	return false
}

// compilePattern compiles a glob, or a regular expression prefixed "re:".
func compilePattern(p string) (matcher, error) {
	if expr, ok := strings.CutPrefix(p, "re:"); ok {
		re, err := regexp.Compile(expr)
		if err != nil {
			return matcher{}, fmt.Errorf("bad regular expression %q: %w", expr, err)
		}
		return matcher{kind: matchRegexp, re: re, need: requiredLiterals(expr), prefixes: anchoredPrefixes(expr), identOnly: identOnlyRegexp(expr)}, nil
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
		return matcher{kind: matchEqual, lit: p, identOnly: identOnlyString(p)}, nil
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
	return matcher{kind: matchRegexp, re: regexp.MustCompile(b.String()), need: requiredLiterals(b.String())}, nil
}

// identOnlyString reports whether s is made of letters, digits, '_' and
// '$' only.
func identOnlyString(s string) bool {
	for _, r := range s {
		if !identRune(r) {
			return false
		}
	}
	return true
}

func identRune(r rune) bool {
	return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '_' || r == '$'
}

// identOnlyRegexp reports whether expr is anchored at both ends and can
// only match letters, digits, '_' and '$' between them.
func identOnlyRegexp(expr string) bool {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return false
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText || re.Sub[len(re.Sub)-1].Op != syntax.OpEndText {
		return false
	}
	for _, sub := range re.Sub[1 : len(re.Sub)-1] {
		if !identOnlySyntax(sub) {
			return false
		}
	}
	return true
}

// identOnlySyntax reports whether re matches identifier characters only.
func identOnlySyntax(re *syntax.Regexp) bool {
	switch re.Op {
	case syntax.OpLiteral:
		for _, r := range re.Rune {
			if !identRune(r) || re.Flags&syntax.FoldCase != 0 && !identRune(unicode.SimpleFold(r)) {
				return false
			}
		}
		return true
	case syntax.OpCharClass:
		for i := 0; i+1 < len(re.Rune); i += 2 {
			lo, hi := re.Rune[i], re.Rune[i+1]
			if !(lo >= '0' && hi <= '9' || lo >= 'A' && hi <= 'Z' || lo >= 'a' && hi <= 'z' || lo == hi && identRune(lo)) {
				return false
			}
		}
		return true
	case syntax.OpEmptyMatch:
		return true
	case syntax.OpCapture, syntax.OpStar, syntax.OpPlus, syntax.OpQuest, syntax.OpRepeat, syntax.OpConcat, syntax.OpAlternate:
		for _, sub := range re.Sub {
			if !identOnlySyntax(sub) {
				return false
			}
		}
		return true
	}
	return false
}

// maxLiterals bounds the alternatives a prefilter tries.
const maxLiterals = 16

// requiredLiterals returns strings one of which every match of expr
// contains, or nil if no such small set is known. It lets a regexp be
// skipped with a few strings.Contains calls, which matters when hundreds of
// thousands of long C++ names are matched against unanchored patterns.
func requiredLiterals(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	set, _ := literalSet(re.Simplify())
	if len(set) == 0 || slices.Contains(set, "") {
		return nil
	}
	return set
}

// anchoredPrefixes returns strings one of which every match of expr starts
// with, for an expression anchored at the start of the text (^ without
// the m flag), or nil.
func anchoredPrefixes(expr string) []string {
	re, err := syntax.Parse(expr, syntax.Perl)
	if err != nil {
		return nil
	}
	re = re.Simplify()
	if re.Op != syntax.OpConcat || len(re.Sub) < 2 || re.Sub[0].Op != syntax.OpBeginText {
		return nil
	}
	set := prefixSet(re.Sub[1])
	if len(set) == 0 || len(set) > maxLiterals || slices.Contains(set, "") {
		return nil
	}
	return set
}

// prefixSet returns strings one of which every match of re starts with,
// or nil if unknown.
func prefixSet(re *syntax.Regexp) []string {
	if re.Flags&syntax.FoldCase != 0 {
		return nil
	}
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}
	case syntax.OpCapture:
		return prefixSet(re.Sub[0])
	case syntax.OpConcat:
		return prefixSet(re.Sub[0])
	case syntax.OpAlternate:
		var out []string
		for _, sub := range re.Sub {
			set := prefixSet(sub)
			if len(set) == 0 {
				return nil
			}
			out = append(out, set...)
		}
		return out
	}
	return nil
}

// literalSet returns a set of strings one of which any match of re
// contains, and whether the set is exact (re matches exactly those
// strings, so it can be concatenated with its neighbours).
func literalSet(re *syntax.Regexp) ([]string, bool) {
	if re.Flags&syntax.FoldCase != 0 {
		return nil, false
	}
	switch re.Op {
	case syntax.OpLiteral:
		return []string{string(re.Rune)}, true
	case syntax.OpEmptyMatch, syntax.OpBeginText, syntax.OpEndText, syntax.OpBeginLine, syntax.OpEndLine,
		syntax.OpWordBoundary, syntax.OpNoWordBoundary:
		return []string{""}, true
	case syntax.OpCapture:
		return literalSet(re.Sub[0])
	case syntax.OpPlus:
		set, _ := literalSet(re.Sub[0])
		return set, false
	case syntax.OpAlternate:
		var out []string
		exact := true
		for _, sub := range re.Sub {
			set, ex := literalSet(sub)
			if len(set) == 0 {
				return nil, false
			}
			out = append(out, set...)
			exact = exact && ex
		}
		if len(out) > maxLiterals {
			return nil, false
		}
		return out, exact
	case syntax.OpConcat:
		// Join runs of exact parts by cross product; keep the run whose
		// shortest literal is longest.
		var best, run []string
		runExact := false
		consider := func(set []string) {
			if minLen(set) > minLen(best) {
				best = set
			}
		}
		for _, sub := range re.Sub {
			set, ex := literalSet(sub)
			if ex && len(set) > 0 {
				if !runExact {
					run, runExact = []string{""}, true
				}
				if len(run)*len(set) > maxLiterals {
					consider(run)
					run = set
					continue
				}
				var next []string
				for _, a := range run {
					for _, b := range set {
						next = append(next, a+b)
					}
				}
				run = next
				continue
			}
			if runExact {
				consider(run)
				run, runExact = nil, false
			}
			if len(set) > 0 {
				consider(set)
			}
		}
		if runExact {
			if best == nil && len(run) > 0 {
				return run, true // every part was exact
			}
			consider(run)
		}
		return best, false
	}
	return nil, false
}

// minLen is the length of the shortest string in set, -1 for no set.
func minLen(set []string) int {
	if len(set) == 0 {
		return -1
	}
	n := len(set[0])
	for _, s := range set[1:] {
		n = min(n, len(s))
	}
	return n
}
