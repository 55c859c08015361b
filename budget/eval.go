package budget

import (
	"regexp"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Sizes are the quantities budget rules measure in one build.
type Sizes struct {
	// Flash and RAM are the image's totals.
	Flash, RAM uint64
	// Regions maps a linker memory region to the bytes it holds (at run
	// and load addresses, as the linker's memory usage counts them); nil
	// when the build has no region information (no linker map).
	Regions map[string]uint64
	// Components maps a component to its flash and RAM bytes.
	Components map[string]report.Totals
	// Sections maps an allocated section to its size in bytes.
	Sections map[string]uint64
	// Arena is the tensor arena measurement for the budget's arena rule,
	// nil when not measured.
	Arena *ArenaFit
	// Stack is the worst-case stack for the budget's stack rule, nil when
	// not measured.
	Stack *StackDepth
}

// StackDepth is a build's worst-case stack: thread mode plus interrupts.
type StackDepth struct {
	Bytes uint64
	// LowerBound is set when the machine code could not bound the stack
	// (recursion, alloca, calls into unknown code): the real worst case
	// may be deeper. Reason says why, for the result's note.
	LowerBound bool
	Reason     string
}

// note is what a result says about a lower-bound figure, with prefix
// naming whose figure it is; "" for an exact one.
func (d *StackDepth) note(prefix string) string {
	if d == nil || !d.LowerBound {
		return ""
	}
	if d.Reason == "" {
		return prefix + "lower bound"
	}
	return prefix + "lower bound: " + d.Reason
}

// ArenaFit is a firmware's tensor arena buffer against a model's need.
type ArenaFit struct {
	Symbol string
	// Build names the kernels the need is for when they are not TFLM's
	// reference kernels, e.g. "CMSIS-NN kernels on cortex-m4"; it becomes
	// the result's note.
	Build string
	// Usable is the buffer's size less its alignment loss; Need the
	// minimum arena the model needs (a lower bound when not Exact).
	Usable, Need uint64
	Exact        bool
}

// Measure sums a report's pieces into the sizes rules measure.
func Measure(r *report.Report) Sizes {
	s := Sizes{
		Flash:      r.Totals.Flash,
		RAM:        r.Totals.RAM,
		Components: map[string]report.Totals{},
		Sections:   map[string]uint64{},
	}
	for i := range r.Pieces {
		p := &r.Pieces[i]
		c := s.Components[p.Component]
		c.Flash += p.Flash
		c.RAM += p.RAM
		s.Components[p.Component] = c
		s.Sections[p.Section] += p.Size
	}
	for _, r := range r.Regions {
		if s.Regions == nil {
			s.Regions = map[string]uint64{}
		}
		s.Regions[r.Name] += r.Used
	}
	return s
}

// Status is the outcome of one limit.
type Status string

// The statuses.
const (
	StatusPass Status = "pass"
	// StatusWarn is a broken limit of a warning rule.
	StatusWarn Status = "warn"
	// StatusFail is a broken limit of an error rule.
	StatusFail Status = "fail"
	// StatusSkip is a growth limit checked without a baseline.
	StatusSkip Status = "skip"
)

// Kind is the kind of limit a Result checks.
type Kind string

// The kinds of limits.
const (
	KindMax         Kind = "max"
	KindGrow        Kind = "grow"
	KindGrowPercent Kind = "grow_percent"
	// KindFits is the arena rule: the arena buffer (Actual) holds the
	// model's need (Limit).
	KindFits Kind = "must_fit"
)

// Result is the verdict on one limit of one rule.
type Result struct {
	Rule *Rule
	Kind Kind
	// Limit is the limit in bytes (max, grow) or percent (grow_percent).
	Limit float64
	// Actual is the measured size in the checked build; Base the size in
	// the baseline (HasBase false without a baseline).
	Actual  uint64
	Base    uint64
	HasBase bool
	Status  Status
	// Symbol is the arena buffer an arena rule checked.
	Symbol string
	// LowerBound is set when Actual is only a lower bound (a stack rule
	// on a stack the machine code could not bound).
	LowerBound bool
	// Note flags a rule worth a second look, e.g. one whose name matches
	// nothing (a misspelt component is measured as 0 bytes) or a stack
	// that is only a lower bound (and why), or says which kernels an
	// arena rule's need is for.
	Note string
}

// Delta is Actual-Base in bytes (0 without a baseline).
func (r Result) Delta() int64 {
	if !r.HasBase {
		return 0
	}
	return int64(r.Actual) - int64(r.Base)
}

// Subject names what the rule measures, e.g. "totals.flash" or
// `components."tflm/kernel/*" (flash)`.
func (r Result) Subject() string {
	if r.Rule.Scope == ScopeArena {
		return "arena." + quoteKey(r.Symbol)
	}
	s := string(r.Rule.Scope) + "." + quoteKey(r.Rule.Name)
	if r.Rule.Scope == ScopeComponent {
		s += " (" + string(r.Rule.Memory) + ")"
	}
	return s
}

// Evaluate checks head, and its growth over base when base is not nil,
// against every rule of b, and returns one Result per limit in the order of
// the file. It fails only when a rule cannot be measured: a region rule
// for a build without region information, an arena or stack rule whose
// figure was not measured.
func Evaluate(b *Budget, head Sizes, base *Sizes) ([]Result, error) {
	var out []Result
	for i := range b.Rules {
		r := &b.Rules[i]
		if r.Scope == ScopeRegion && head.Regions == nil {
			return nil, &Error{File: b.File, Line: r.Line, Field: "regions." + quoteKey(r.Name),
				Msg: "region rules need linker map data (--map)"}
		}
		if r.Scope == ScopeRegion && base != nil && base.Regions == nil {
			return nil, &Error{File: b.File, Line: r.Line, Field: "regions." + quoteKey(r.Name),
				Msg: "region rules need the baseline's linker map data too (--baseline-map)"}
		}
		if r.Scope == ScopeArena {
			if head.Arena == nil {
				return nil, &Error{File: b.File, Line: r.Line, Field: "arena", Msg: "the arena was not measured"}
			}
			a := head.Arena
			out = append(out, Result{Rule: r, Kind: KindFits, Limit: float64(a.Need), Actual: a.Usable, Symbol: a.Symbol, Note: a.Build,
				Status: verdict(r, a.Usable >= a.Need)})
			continue
		}
		if r.Scope == ScopeStack && head.Stack == nil {
			return nil, &Error{File: b.File, Line: r.Line, Field: "stack", Msg: "the stack was not measured"}
		}
		if r.Scope == ScopeStack && base != nil && base.Stack == nil {
			return nil, &Error{File: b.File, Line: r.Line, Field: "stack", Msg: "the baseline's stack was not measured"}
		}
		actual, found := measure(r, head)
		res := Result{Rule: r, Actual: actual}
		if base != nil {
			var inBase bool
			res.Base, inBase = measure(r, *base)
			res.HasBase, found = true, found || inBase
		}
		if !found {
			res.Note = "matches nothing in the build"
		}
		if r.Scope == ScopeStack {
			res.LowerBound = head.Stack.LowerBound
			res.Note = head.Stack.note("")
			if res.Note == "" && base != nil {
				res.Note = base.Stack.note("baseline is a ")
			}
		}
		if r.HasMax {
			x := res
			x.Kind, x.Limit = KindMax, float64(r.Max)
			x.Status = verdict(r, actual <= r.Max)
			out = append(out, x)
		}
		if r.HasGrow {
			x := res
			x.Kind, x.Limit = KindGrow, float64(r.Grow)
			x.Status = StatusSkip
			if base != nil {
				x.Status = verdict(r, x.Delta() <= int64(r.Grow))
			}
			out = append(out, x)
		}
		if r.HasGrowPercent {
			x := res
			x.Kind, x.Limit = KindGrowPercent, r.GrowPercent
			x.Status = StatusSkip
			if base != nil {
				x.Status = verdict(r, withinPercent(x.Base, x.Actual, r.GrowPercent))
			}
			out = append(out, x)
		}
	}
	return out, nil
}

// withinPercent reports whether growing from base to actual stays within
// pct percent of base. Anything growing from nothing breaks the limit.
func withinPercent(base, actual uint64, pct float64) bool {
	if actual <= base {
		return true
	}
	return float64(actual-base)*100 <= pct*float64(base)
}

func verdict(r *Rule, ok bool) Status {
	switch {
	case ok:
		return StatusPass
	case r.Severity == SeverityWarning:
		return StatusWarn
	}
	return StatusFail
}

// measure returns the quantity rule r limits in build s, and
// found reports whether the region, section or component(s) a rule
// names exist in s; a rule on something absent measures 0, which is
// usually a misspelt name.
func measure(r *Rule, s Sizes) (n uint64, found bool) {
	switch r.Scope {
	case ScopeTotal:
		if r.Memory == RAM {
			return s.RAM, true
		}
		return s.Flash, true
	case ScopeRegion:
		n, found = s.Regions[r.Name]
	case ScopeSection:
		n, found = s.Sections[r.Name]
	case ScopeStack:
		if s.Stack != nil {
			return s.Stack.Bytes, true
		}
	case ScopeComponent:
		match := globMatcher(r.Name)
		for name, t := range s.Components {
			if match(name) {
				found = true
				if r.Memory == RAM {
					n += t.RAM
				} else {
					n += t.Flash
				}
			}
		}
	}
	return n, found
}

// globMatcher compiles a component glob: "*" matches any run of
// characters ("/" included), "?" any one character; a name without either
// matches only itself. A glob rule limits the sum of every component it
// matches.
func globMatcher(glob string) func(string) bool {
	if !strings.ContainsAny(glob, "*?") {
		return func(s string) bool { return s == glob }
	}
	var b strings.Builder
	b.WriteString("^")
	for _, c := range glob {
		switch c {
		case '*':
			b.WriteString(".*")
		case '?':
			b.WriteString(".")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString("$")
	// Every character but the wildcards is quoted: the expression is
	// always valid.
	return regexp.MustCompile(b.String()).MatchString
}

// Failed reports whether any error rule failed.
func Failed(results []Result) bool {
	for _, r := range results {
		if r.Status == StatusFail {
			return true
		}
	}
	return false
}
