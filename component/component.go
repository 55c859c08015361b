// Package component assigns every attributed piece of a firmware image to
// one logical component: the TFLM runtime, each TFLM op kernel, the
// embedded model, libc, libm, libgcc, libstdc++, start-up code, or the
// application.
//
// Components come from an ordered list of rules; the first rule whose
// matchers all accept a piece names its component, and a piece no rule
// accepts belongs to "app". User rules (from a YAML file) go before the
// built-in ones, so they can add components or override the defaults.
package component

import (
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/footprint-dev/footprint/internal/parallel"
	"github.com/footprint-dev/footprint/report"
)

// Fallback is the component of bytes no rule claims.
const Fallback = "app"

// Rule names the component of the pieces it matches. Each matcher field
// holds patterns, any of which may match (an empty field matches
// everything); all non-empty fields must match. A pattern is a glob ('*'
// matches any run of characters, '/' and ':' included; '?' one character),
// matched against the whole value, or, with the prefix "re:", an RE2
// regular expression matched anywhere in the value.
//
// Component may refer to named groups of the regular expressions as
// ${name}, or ${name:upper} (upper-cased), ${name:op} (a TFLM kernel
// source-file stem turned into its op name, e.g. "conv" -> "CONV_2D") or
// ${name:cmsis-nn} (a CMSIS-NN function name turned into the component of
// the TFLM operator whose kernel calls it, or "cmsis-nn/common"; the rule
// does not match names that are not CMSIS-NN's).
type Rule struct {
	Component string   `yaml:"component"`
	Symbol    Patterns `yaml:"symbol,omitempty"`
	File      Patterns `yaml:"file,omitempty"`
	Section   Patterns `yaml:"section,omitempty"`
	Object    Patterns `yaml:"object,omitempty"`
	Archive   Patterns `yaml:"archive,omitempty"`
}

// Patterns is a list of patterns; in YAML either one string or a list.
type Patterns []string

// UnmarshalYAML accepts a scalar or a sequence of scalars.
func (p *Patterns) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		*p = Patterns{n.Value}
		return nil
	case yaml.SequenceNode:
		var list []string
		if err := n.Decode(&list); err != nil {
			return err
		}
		*p = list
		return nil
	}
	return fmt.Errorf("line %d: want a pattern or a list of patterns", n.Line)
}

// rulesFile is the layout of a rules file.
type rulesFile struct {
	Rules []Rule `yaml:"rules"`
}

// maxRulesFile bounds the size of a rules file read into memory.
const maxRulesFile = 1 << 20

// Load reads rules from a YAML document of the form
//
//	rules:
//	  - component: drivers
//	    file: "*/Drivers/*"
func Load(r io.Reader) ([]Rule, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxRulesFile+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRulesFile {
		return nil, fmt.Errorf("rules file larger than %d bytes", maxRulesFile)
	}
	var f rulesFile
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil && err != io.EOF {
		return nil, fmt.Errorf("parsing rules: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
	}
	for i, r := range f.Rules {
		if r.Component == "" {
			return nil, fmt.Errorf("rule %d: no component", i+1)
		}
	}
	if _, err := Compile(f.Rules); err != nil {
		return nil, err
	}
	return f.Rules, nil
}

// LoadFile reads rules from the YAML file at path.
func LoadFile(path string) ([]Rule, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules, err := Load(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rules, nil
}

// Set is a compiled, ordered list of rules.
type Set struct {
	rules []compiledRule
}

type compiledRule struct {
	component string
	// fields pairs each non-empty matcher with the piece key it reads.
	fields []field
	// expand reports whether component refers to regexp groups.
	expand bool
}

type field struct {
	key report.Key
	// exact holds the patterns without wildcards, tested with one map
	// lookup; matchers the rest, tested in order.
	exact    map[string]bool
	matchers []matcher
	// exactOther lists the exact patterns that are not bare identifiers,
	// which a raw mangled name is checked against one by one.
	exactOther []string
	// mayContain holds, once bound to Names, a test per exactOther
	// pattern (see bind).
	mayContain []func(string) bool
}

// Compile checks and compiles rules, keeping their order.
func Compile(rules []Rule) (*Set, error) {
	s := &Set{rules: make([]compiledRule, 0, len(rules))}
	for i, r := range rules {
		cr := compiledRule{component: r.Component, expand: strings.Contains(r.Component, "$")}
		for _, kf := range []struct {
			key report.Key
			pat Patterns
		}{
			{report.KeySymbol, r.Symbol}, {report.KeyFile, r.File}, {report.KeySection, r.Section},
			{report.KeyObject, r.Object}, {report.KeyArchive, r.Archive},
		} {
			if len(kf.pat) == 0 {
				continue
			}
			f := field{key: kf.key}
			for _, p := range kf.pat {
				m, err := compilePattern(p)
				if err != nil {
					return nil, fmt.Errorf("rule %d (%s): %s: %w", i+1, r.Component, kf.key, err)
				}
				if m.kind == matchEqual {
					if f.exact == nil {
						f.exact = make(map[string]bool)
					}
					f.exact[m.lit] = true
					if !m.identOnly {
						f.exactOther = append(f.exactOther, m.lit)
					}
					continue
				}
				f.matchers = append(f.matchers, m)
			}
			cr.fields = append(cr.fields, f)
		}
		if err := cr.checkRefs(); err != nil {
			return nil, fmt.Errorf("rule %d (%s): %w", i+1, r.Component, err)
		}
		s.rules = append(s.rules, cr)
	}
	return s, nil
}

// checkRefs checks that every ${name} or ${name:transform} in the
// component names a group of one of the rule's regular expressions and a
// known transform.
func (r *compiledRule) checkRefs() error {
	if !r.expand {
		return nil
	}
	groups := map[string]bool{}
	for _, f := range r.fields {
		for _, m := range f.matchers {
			if m.re != nil {
				for _, name := range m.re.SubexpNames() {
					groups[name] = name != ""
				}
			}
		}
	}
	var bad error
	os.Expand(r.component, func(ref string) string {
		name, transform, _ := strings.Cut(ref, ":")
		switch {
		case !groups[name]:
			bad = fmt.Errorf("component refers to ${%s}, which no regular expression of the rule names", name)
		case transform != "" && transform != "upper" && transform != "op" && transform != "cmsis-nn":
			bad = fmt.Errorf("unknown transform %q in ${%s} (want upper, op or cmsis-nn)", transform, ref)
		}
		return ""
	})
	return bad
}

// Component returns the component of piece p: that of the first rule that
// matches it, or Fallback.
func (s *Set) Component(p *report.Piece) string {
	c, _ := s.match(p, nil)
	return c
}

// match returns the component of p and whether a rule named it. With
// names, p.Symbol is a raw name that names shows; it is shown only when a
// rule cannot be decided on the raw name.
func (s *Set) match(p *report.Piece, names report.Names) (string, bool) {
	v := pieceValues{p: p, names: names}
	for i := range s.rules {
		if c, ok := s.rules[i].apply(&v); ok {
			return c, true
		}
	}
	return Fallback, false
}

// bind prepares the symbol matchers of s for raw names that names shows.
func (s *Set) bind(names report.Names) {
	for ri := range s.rules {
		for fi := range s.rules[ri].fields {
			f := &s.rules[ri].fields[fi]
			if f.key != report.KeySymbol {
				continue
			}
			f.mayContain = f.mayContain[:0]
			for _, lit := range f.exactOther {
				f.mayContain = append(f.mayContain, names.Contains(lit))
			}
			for mi := range f.matchers {
				f.matchers[mi].bind(names)
			}
		}
	}
}

// pieceValues gives a rule the values of a piece's keys, showing a raw
// symbol name once, when first needed.
type pieceValues struct {
	p     *report.Piece
	names report.Names
	shown string
	done  bool
}

// get returns the value of key k, shown.
func (v *pieceValues) get(k report.Key) string {
	if k != report.KeySymbol || v.names == nil {
		return v.p.Get(k)
	}
	if !v.done {
		v.shown, v.done = v.p.Symbol, true
		if v.names.Mangled(v.p.Symbol) {
			v.shown = v.names.Show(v.p.Symbol)
		}
	}
	return v.shown
}

// mayMatch reports whether field f may match the piece: false when it
// certainly cannot, decided on the raw name without showing it.
func (v *pieceValues) mayMatch(f *field) bool {
	if f.key != report.KeySymbol || v.names == nil || v.done || !v.names.Mangled(v.p.Symbol) {
		return true
	}
	raw := v.p.Symbol
	// Demangling may fail, which shows the raw name itself.
	if f.exact[raw] {
		return true
	}
	if len(f.exact) > len(f.exactOther) && v.names.MayBeIdent(raw) {
		return true
	}
	for _, may := range f.mayContain {
		if may(raw) {
			return true
		}
	}
	for i := range f.matchers {
		if f.matchers[i].mayMatchShown(raw, v.names) {
			return true
		}
	}
	return false
}

// apply matches the rule against the piece and returns the expanded
// component.
func (r *compiledRule) apply(pv *pieceValues) (string, bool) {
	var groups map[string]string
	for fi := range r.fields {
		f := &r.fields[fi]
		if !pv.mayMatch(f) {
			return "", false
		}
		v := pv.get(f.key)
		ok := f.exact[v]
		for i := 0; i < len(f.matchers) && !ok; i++ {
			m := &f.matchers[i]
			if m.re != nil && r.expand {
				if !m.mayMatch(v) {
					continue
				}
				sub := m.re.FindStringSubmatch(v)
				if sub == nil {
					continue
				}
				for gi, name := range m.re.SubexpNames() {
					if name != "" {
						if groups == nil {
							groups = make(map[string]string)
						}
						groups[name] = sub[gi]
					}
				}
				ok = true
				continue
			}
			ok = m.match(v)
		}
		if !ok {
			return "", false
		}
	}
	if !r.expand {
		return r.component, true
	}
	c := os.Expand(r.component, func(ref string) string {
		name, transform, _ := strings.Cut(ref, ":")
		v := groups[name]
		switch transform {
		case "upper":
			return strings.ToUpper(v)
		case "op":
			return kernelOp(v)
		case "cmsis-nn":
			return cmsisNNComponent(v)
		}
		return v
	})
	// A group that matched nothing leaves no name: let later rules try.
	return c, c != ""
}

// Assign sets the Component of every piece of rep: user rules first, then a
// rule naming each embedded model's symbol "model", then the built-in
// rules. Alignment padding no rule claims goes with the piece it aligns
// (the next one in its section, else the previous one), so a library's
// padding is not counted as the application's.
func Assign(rep *report.Report, user []Rule) error {
	return AssignNames(rep, user, nil)
}

// AssignNames is Assign for a report whose pieces hold raw symbol names
// that names shows (nil: the names are shown already). Rules match the
// shown names, but a name is shown only for a rule that cannot be decided
// on the raw one: on a large C++ binary most names are never demangled.
// The pieces keep their raw names.
func AssignNames(rep *report.Report, user []Rule, names report.Names) error {
	return AssignAll([]*report.Report{rep}, user, names)
}

// AssignAll is AssignNames for several reports, such as two builds of one
// firmware: the rules run once per distinct piece, one that every rule
// sees alike (symbol, file, section, object and archive) in reports with
// the same embedded models, so builds pay once for what they share.
func AssignAll(reps []*report.Report, user []Rule, names report.Names) error {
	builtin := Builtin()
	// Reports with the same models share one rule set.
	byModels := map[string][]*report.Report{}
	var order []string
	for _, rep := range reps {
		var b strings.Builder
		for _, m := range rep.Models {
			fmt.Fprintf(&b, "%q %q\n", m.Symbol, m.Section)
		}
		k := b.String()
		if _, ok := byModels[k]; !ok {
			order = append(order, k)
		}
		byModels[k] = append(byModels[k], rep)
	}
	for _, k := range order {
		group := byModels[k]
		rules := make([]Rule, 0, len(user)+len(group[0].Models)+len(builtin))
		rules = append(rules, user...)
		for _, m := range group[0].Models {
			rules = append(rules, Rule{Component: "model", Symbol: Patterns{literal(m.Symbol)}, Section: Patterns{literal(m.Section)}})
		}
		rules = append(rules, builtin...)
		set, err := Compile(rules)
		if err != nil {
			return err
		}
		if names != nil {
			set.bind(names)
		}
		set.assign(group, names)
	}
	return nil
}

// sameMatch reports whether rules read pieces p and q alike: they have
// the same symbol, file, section, object and archive.
func sameMatch(p, q *report.Piece) bool {
	return p.Symbol == q.Symbol && p.File == q.File && p.Section == q.Section && p.Object == q.Object && p.Archive == q.Archive
}

// assign sets the Component of every piece of reps: the rules run once
// per distinct piece (see sameMatch), in parallel, and padding no rule
// claims goes with its neighbour.
func (s *Set) assign(reps []*report.Report, names report.Names) {
	n := 0
	for _, rep := range reps {
		n += len(rep.Pieces)
	}
	// The distinct pieces by a hash of their symbol and file, chained
	// through next (plus one) when several share it.
	seed := maphash.MakeSeed()
	byHash := make(map[uint64]int32, n/2)
	var distinct []*report.Piece
	var next []int32
	of := make([]int32, 0, n) // pieces in order, then report
	for _, rep := range reps {
		for i := range rep.Pieces {
			p := &rep.Pieces[i]
			h := maphash.String(seed, p.Symbol) ^ maphash.String(seed, p.File)*31
			j, ok := byHash[h]
			switch {
			case !ok:
				j = int32(len(distinct))
				byHash[h] = j
				distinct, next = append(distinct, p), append(next, 0)
			default:
				for !sameMatch(p, distinct[j]) && next[j] != 0 {
					j = next[j] - 1
				}
				if !sameMatch(p, distinct[j]) {
					next[j] = int32(len(distinct)) + 1
					j = int32(len(distinct))
					distinct, next = append(distinct, p), append(next, 0)
				}
			}
			of = append(of, j)
		}
	}
	// Each distinct piece holds its own component, which the others copy.
	claimed := make([]bool, len(distinct))
	parallel.Chunks(len(distinct), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			distinct[i].Component, claimed[i] = s.match(distinct[i], names)
		}
	})
	padding := make([][]int, len(reps))
	for r, rep := range reps {
		pieces := rep.Pieces
		for i := range pieces {
			j := of[i]
			pieces[i].Component = distinct[j].Component
			if pieces[i].Symbol == report.Padding && !claimed[j] {
				padding[r] = append(padding[r], i)
			}
		}
		of = of[len(pieces):]
	}
	for r, rep := range reps {
		pieces := rep.Pieces
		// Walk backwards so a run of padding pieces all follow the piece
		// after the run.
		for k := len(padding[r]) - 1; k >= 0; k-- {
			i := padding[r][k]
			switch {
			case i+1 < len(pieces) && pieces[i+1].Section == pieces[i].Section:
				pieces[i].Component = pieces[i+1].Component
			case i > 0 && pieces[i-1].Section == pieces[i].Section:
				pieces[i].Component = pieces[i-1].Component
			}
		}
	}
}

// literal returns a glob that matches exactly s.
func literal(s string) string {
	return "re:^" + regexp.QuoteMeta(s) + "$"
}
