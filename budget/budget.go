// Package budget reads footprint budget files and checks builds against
// them: absolute limits on flash, RAM, linker regions, components,
// sections and the worst-case stack, growth limits against a baseline
// build, each with a severity.
//
// A budget is YAML, the format CI users already write for their workflows:
//
//	# footprint.yaml
//	totals:
//	  flash: {max: 200KiB, grow: 2KiB}
//	  ram:   {max: 64KiB, grow_percent: 5}
//	regions:
//	  FLASH: {max: 512KiB}
//	  RAM:   {max: 96KiB, severity: warning}
//	components:
//	  "tflm/kernel/*": {grow: 1KiB}
//	  model: {max: 64KiB}
//	  app: {memory: ram, max: 16KiB}
//	sections:
//	  .bss: {max: 32KiB}
//	arena:
//	  model: models/kws.tflite   # relative to the budget file
//	  kernels: cmsis-nn          # optional: TFLM built with CMSIS-NN ...
//	  cpu: cortex-m4             # ... for this core
//	  must_fit: true
//	stack:                       # worst case: thread mode + interrupts
//	  max: 4KiB
//	  grow: 256
//	  calls: stack-calls.yaml    # optional calls file, relative to the budget file
//
// Parsing goes through yaml.Node so that every error names the file, the
// line and the field, and unknown fields are rejected rather than silently
// ignored (a misspelt "gorw" must not disable a limit). Evaluation works on
// Sizes, a few totals per build, so the rules can be tested without ELF
// files.
package budget

import (
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Scope is the kind of quantity a rule limits.
type Scope string

// The scopes, one per top-level section of a budget file.
const (
	// ScopeTotal limits the image's total flash or RAM bytes.
	ScopeTotal Scope = "totals"
	// ScopeRegion limits the bytes placed in a linker memory region
	// (needs a linker map).
	ScopeRegion Scope = "regions"
	// ScopeComponent limits the flash (or RAM) bytes of the components
	// whose names match a glob.
	ScopeComponent Scope = "components"
	// ScopeSection limits the allocated bytes of a section.
	ScopeSection Scope = "sections"
	// ScopeArena asks that the firmware's tensor arena buffer hold what
	// a TensorFlow Lite model needs.
	ScopeArena Scope = "arena"
	// ScopeStack limits the worst-case stack depth computed from the
	// machine code: the thread-mode worst case plus the interrupts that
	// may stack on top of it (stack.Report.Total).
	ScopeStack Scope = "stack"
)

// scopes lists the scopes in file-section order, the order rules are
// reported in.
var scopes = []Scope{ScopeTotal, ScopeRegion, ScopeComponent, ScopeSection, ScopeArena, ScopeStack}

// Memory selects which bytes a component rule counts.
type Memory string

// The memories.
const (
	Flash Memory = "flash"
	RAM   Memory = "ram"
)

// Severity says what a broken rule does to the check: an error fails it
// (exit 1), a warning is reported only.
type Severity string

// The severities.
const (
	SeverityError   Severity = "error"
	SeverityWarning Severity = "warning"
)

// Rule is one entry of a budget file: the limits on one quantity.
type Rule struct {
	Scope Scope
	// Name is the region, total ("flash" or "ram"), component glob or
	// section name the rule is keyed by; "total" for the stack rule.
	Name string
	// Memory is what a component rule counts (flash unless the rule says
	// "memory: ram"); totals count the memory they name; regions and
	// sections count their bytes, whatever memory they are in.
	Memory Memory
	// Max is the largest allowed size in bytes (HasMax false: no limit).
	Max    uint64
	HasMax bool
	// Grow is the largest allowed growth over the baseline in bytes.
	Grow    uint64
	HasGrow bool
	// GrowPercent is the largest allowed growth over the baseline in
	// percent of the baseline size.
	GrowPercent    float64
	HasGrowPercent bool
	Severity       Severity
	// Line is the line of the rule's key in the budget file.
	Line int
}

// Budget is a parsed budget file.
type Budget struct {
	// File is the path the budget was read from, for messages.
	File  string
	Rules []Rule
	// Arena is the arena rule's model, nil without an arena rule (whose
	// verdict is then in Rules with Scope ScopeArena).
	Arena *Arena
	// Stack is what the stack rule needs besides its limits, nil without
	// a stack rule (whose limits are in Rules with Scope ScopeStack).
	Stack *Stack
}

// Stack is the input of the stack rule beyond its limits.
type Stack struct {
	// Calls is the calls file (indirect-call targets, recursion limits,
	// interrupt nesting; see stack.ParseFacts) as written in the budget,
	// "" for none; relative paths are relative to the budget file (see
	// CallsPath).
	Calls string
	// dir is the budget file's directory.
	dir string
}

// CallsPath is the calls file resolved against the budget file's
// directory, "" when the rule names none.
func (s *Stack) CallsPath() string {
	if s.Calls == "" || filepath.IsAbs(s.Calls) {
		return s.Calls
	}
	return filepath.Join(s.dir, s.Calls)
}

// Arena names what the arena rule checks: the firmware's arena buffer
// against the minimum arena the model needs on the target.
type Arena struct {
	// Model is the .tflite file, as written in the budget (relative paths
	// are relative to the budget file: see ModelPath).
	Model string
	// Symbol is the arena buffer's symbol; "" picks the RAM symbol whose
	// name contains "arena".
	Symbol string
	// Target is the TFLM target ABI, e.g. "cortex-m" (the default).
	Target string
	// Kernels is the kernel set TFLM is built with: "reference" (the
	// default, also for "") or "cmsis-nn"; CPU the Cortex-M core, which
	// CMSIS-NN needs (its buffers depend on the core's extension). Their
	// names are checked where they are resolved (tflmarena.ParseTarget).
	Kernels string
	CPU     string
	// ResourceVariables is the count the firmware passes
	// MicroResourceVariables::Create for a model with VAR_HANDLE (0: as
	// many as the model names).
	ResourceVariables int
	// dir is the budget file's directory.
	dir string
}

// ModelPath is the model's path resolved against the budget file's
// directory.
func (a *Arena) ModelPath() string {
	if filepath.IsAbs(a.Model) {
		return a.Model
	}
	return filepath.Join(a.dir, a.Model)
}

// Error is a problem in a budget file, located by line and field.
type Error struct {
	File string
	Line int
	// Field is the dotted path of the offending field, e.g.
	// `components."tflm/kernel/*".grow`.
	Field string
	Msg   string
}

func (e *Error) Error() string {
	loc := e.File
	if e.Line > 0 {
		loc += ":" + strconv.Itoa(e.Line)
	}
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", loc, e.Field, e.Msg)
	}
	return fmt.Sprintf("%s: %s", loc, e.Msg)
}

// maxFile bounds the size of a budget file; real ones are a few hundred
// bytes.
const maxFile = 1 << 20

// Load reads and parses the budget file at path.
func Load(path string) (*Budget, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("budget: %w", err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err != nil {
		return nil, fmt.Errorf("budget: %s: %w", path, err)
	}
	return Parse(path, data)
}

// Parse parses a budget file's contents; name is used in error messages.
func Parse(name string, data []byte) (*Budget, error) {
	if len(data) > maxFile {
		return nil, &Error{File: name, Msg: fmt.Sprintf("file larger than %d bytes", maxFile)}
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, &Error{File: name, Line: yamlErrorLine(err), Msg: "not valid YAML: " + yamlErrorText(err)}
	}
	b := &Budget{File: name}
	if doc.Kind == 0 || len(doc.Content) == 0 {
		return b, nil // an empty file is an empty budget
	}
	p := parser{file: name}
	root := doc.Content[0]
	if root.Kind != yaml.MappingNode {
		return nil, p.errorf(root, "", "want a mapping of totals, regions, components, sections, arena and stack")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(root.Content); i += 2 {
		key, val := root.Content[i], root.Content[i+1]
		scope := Scope(key.Value)
		if !slices.Contains(scopes, scope) {
			return nil, p.errorf(key, key.Value, "unknown field (want totals, regions, components, sections, arena or stack)")
		}
		if seen[key.Value] {
			return nil, p.errorf(key, key.Value, "given twice")
		}
		seen[key.Value] = true
		if scope == ScopeArena {
			r, arena, err := p.arena(key, val)
			if err != nil {
				return nil, err
			}
			arena.dir = filepath.Dir(name)
			b.Rules, b.Arena = append(b.Rules, r), arena
			continue
		}
		if scope == ScopeStack {
			r, st, err := p.stack(key, val)
			if err != nil {
				return nil, err
			}
			st.dir = filepath.Dir(name)
			b.Rules, b.Stack = append(b.Rules, r), st
			continue
		}
		rules, err := p.scope(scope, val)
		if err != nil {
			return nil, err
		}
		b.Rules = append(b.Rules, rules...)
	}
	return b, nil
}

// parser carries the file name into located errors.
type parser struct{ file string }

func (p parser) errorf(n *yaml.Node, field, format string, args ...any) error {
	return &Error{File: p.file, Line: n.Line, Field: field, Msg: fmt.Sprintf(format, args...)}
}

// scope parses the mapping of one top-level section into rules.
func (p parser) scope(scope Scope, n *yaml.Node) ([]Rule, error) {
	field := string(scope)
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.MappingNode {
		return nil, p.errorf(n, field, "want a mapping of names to limits")
	}
	var rules []Rule
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		key, val := n.Content[i], n.Content[i+1]
		name := key.Value
		ruleField := field + "." + quoteKey(name)
		if key.Kind != yaml.ScalarNode || name == "" {
			return nil, p.errorf(key, ruleField, "want a non-empty name")
		}
		if seen[name] {
			return nil, p.errorf(key, ruleField, "given twice")
		}
		seen[name] = true
		if scope == ScopeTotal && name != string(Flash) && name != string(RAM) {
			return nil, p.errorf(key, ruleField, "unknown total (want flash or ram)")
		}
		r, err := p.rule(scope, name, ruleField, key, val)
		if err != nil {
			return nil, err
		}
		rules = append(rules, r)
	}
	return rules, nil
}

// quoteKey writes a name as it would be written in YAML: bare when it is
// a plain word, quoted when it holds dots, slashes or glob characters that
// would make the dotted field path ambiguous.
func quoteKey(s string) string {
	for _, c := range s {
		if !(c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return strconv.Quote(s)
		}
	}
	return s
}

// arena parses the arena rule:
//
//	arena: {model: kws.tflite, symbol: tensor_arena, target: cortex-m, kernels: cmsis-nn, cpu: cortex-m4, resource_variables: 4, must_fit: true}
func (p parser) arena(key, n *yaml.Node) (Rule, *Arena, error) {
	r := Rule{Scope: ScopeArena, Name: "arena", Severity: SeverityError, Line: key.Line}
	a := &Arena{Target: "cortex-m"}
	if n.Kind != yaml.MappingNode {
		return r, nil, p.errorf(n, "arena", "want a mapping (model, symbol, target, kernels, cpu, resource_variables, must_fit, severity)")
	}
	mustFit := false
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := "arena." + k.Value
		if seen[k.Value] {
			return r, nil, p.errorf(k, f, "given twice")
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			return r, nil, p.errorf(v, f, "want a single value")
		}
		switch k.Value {
		case "model":
			a.Model = v.Value
		case "symbol":
			a.Symbol = v.Value
		case "target":
			a.Target = v.Value
		case "kernels":
			if v.Value != "reference" && v.Value != "cmsis-nn" {
				return r, nil, p.errorf(v, f, "%q: want reference or cmsis-nn", v.Value)
			}
			a.Kernels = v.Value
		case "cpu":
			a.CPU = v.Value
		case "resource_variables":
			n, err := strconv.Atoi(v.Value)
			if err != nil || n < 0 {
				return r, nil, p.errorf(v, f, "%q: want a count, 0 or more", v.Value)
			}
			a.ResourceVariables = n
		case "must_fit":
			b, err := strconv.ParseBool(v.Value)
			if err != nil {
				return r, nil, p.errorf(v, f, "%q: want true or false", v.Value)
			}
			mustFit = b
		case "severity":
			r.Severity = Severity(v.Value)
			if r.Severity != SeverityError && r.Severity != SeverityWarning {
				return r, nil, p.errorf(v, f, "%q: want error or warning", v.Value)
			}
		default:
			return r, nil, p.errorf(k, f, "unknown field (want model, symbol, target, kernels, cpu, resource_variables, must_fit, severity)")
		}
	}
	if a.Model == "" {
		return r, nil, p.errorf(key, "arena.model", "missing: the .tflite model whose arena must fit")
	}
	if !mustFit {
		return r, nil, p.errorf(key, "arena.must_fit", "want must_fit: true (the arena rule checks nothing else)")
	}
	if a.Kernels == "cmsis-nn" && a.CPU == "" {
		return r, nil, p.errorf(key, "arena.cpu", "missing: CMSIS-NN's arena depends on the core (e.g. cpu: cortex-m4)")
	}
	return r, a, nil
}

// stack parses the stack rule, the limits of a rule plus an optional
// calls file:
//
//	stack: {max: 4KiB, grow: 256, grow_percent: 5, severity: warning, calls: stack-calls.yaml}
func (p parser) stack(key, n *yaml.Node) (Rule, *Stack, error) {
	const field = "stack"
	if n.Kind != yaml.MappingNode {
		return Rule{}, nil, p.errorf(n, field, "want a mapping of limits (max, grow, grow_percent, severity, calls)")
	}
	s := &Stack{}
	limits := *n
	limits.Content = nil
	seenCalls := false
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if k.Value != "calls" {
			limits.Content = append(limits.Content, k, v)
			continue
		}
		if seenCalls {
			return Rule{}, nil, p.errorf(k, field+".calls", "given twice")
		}
		seenCalls = true
		if v.Kind != yaml.ScalarNode || v.Value == "" {
			return Rule{}, nil, p.errorf(v, field+".calls", "want the path of a calls file")
		}
		s.Calls = v.Value
	}
	r, err := p.rule(ScopeStack, "total", field, key, &limits)
	if err != nil {
		return r, nil, err
	}
	return r, s, nil
}

// rule parses one rule's mapping of limits.
func (p parser) rule(scope Scope, name, field string, key, n *yaml.Node) (Rule, error) {
	r := Rule{Scope: scope, Name: name, Severity: SeverityError, Line: key.Line, Memory: Flash}
	if scope == ScopeTotal {
		r.Memory = Memory(name)
	}
	if n.Kind != yaml.MappingNode {
		return r, p.errorf(n, field, "want a mapping of limits (max, grow, grow_percent, severity)")
	}
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		f := field + "." + k.Value
		if seen[k.Value] {
			return r, p.errorf(k, f, "given twice")
		}
		seen[k.Value] = true
		if v.Kind != yaml.ScalarNode {
			return r, p.errorf(v, f, "want a single value")
		}
		var err error
		switch k.Value {
		case "max":
			r.Max, err = ParseSize(v.Value)
			r.HasMax = true
		case "grow":
			r.Grow, err = ParseSize(v.Value)
			r.HasGrow = true
		case "grow_percent":
			r.GrowPercent, err = parsePercent(v.Value)
			r.HasGrowPercent = true
		case "severity":
			r.Severity = Severity(v.Value)
			if r.Severity != SeverityError && r.Severity != SeverityWarning {
				err = fmt.Errorf("%q: want error or warning", v.Value)
			}
		case "memory":
			if scope != ScopeComponent {
				return r, p.errorf(k, f, "only component rules choose a memory")
			}
			r.Memory = Memory(v.Value)
			if r.Memory != Flash && r.Memory != RAM {
				err = fmt.Errorf("%q: want flash or ram", v.Value)
			}
		default:
			return r, p.errorf(k, f, "unknown field (want max, grow, grow_percent, severity%s)", fieldHint(scope))
		}
		if err != nil {
			return r, p.errorf(v, f, "%v", err)
		}
	}
	if !r.HasMax && !r.HasGrow && !r.HasGrowPercent {
		return r, p.errorf(key, field, "no limit (want max, grow or grow_percent)")
	}
	return r, nil
}

// fieldHint names the field a scope takes beyond the limits, for the
// unknown-field message.
func fieldHint(s Scope) string {
	switch s {
	case ScopeComponent:
		return " or memory"
	case ScopeStack:
		return " or calls"
	}
	return ""
}

// units are the size suffixes a budget accepts. Decimal kB/MB are left out
// on purpose: in firmware "KB" means 1024 as often as 1000.
var units = []struct {
	suffix string
	scale  float64
}{
	{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"B", 1},
}

// ParseSize parses a byte count: a whole number of bytes ("2048",
// "2048B") or a number of KiB, MiB or GiB ("2KiB", "1.5 MiB") that comes to
// a whole number of bytes.
func ParseSize(s string) (uint64, error) {
	t := strings.TrimSpace(s)
	scale := 1.0
	for _, u := range units {
		if strings.HasSuffix(t, u.suffix) {
			t, scale = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.scale
			break
		}
	}
	if scale == 1 {
		n, err := strconv.ParseUint(t, 10, 64)
		if err != nil {
			return 0, fmt.Errorf("%q: want a size such as 4096, 64KiB or 1.5MiB", s)
		}
		return n, nil
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) || t == "" || t[0] == '+' {
		return 0, fmt.Errorf("%q: want a size such as 4096, 64KiB or 1.5MiB", s)
	}
	bytes := v * scale
	if bytes >= 1<<63 {
		return 0, fmt.Errorf("%q: too large", s)
	}
	if bytes != math.Trunc(bytes) {
		return 0, fmt.Errorf("%q: not a whole number of bytes", s)
	}
	return uint64(bytes), nil
}

// parsePercent parses "5", "5%" or "2.5 %".
func parsePercent(s string) (float64, error) {
	t := strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(s), "%"))
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v < 0 || math.IsInf(v, 0) || math.IsNaN(v) {
		return 0, fmt.Errorf("%q: want a percentage such as 5 or 2.5%%", s)
	}
	return v, nil
}

// yamlErrorLine digs the line number out of a yaml syntax error ("yaml:
// line 3: ..."), 0 if it has none.
func yamlErrorLine(err error) int {
	msg := err.Error()
	if i := strings.Index(msg, "line "); i >= 0 {
		rest := msg[i+len("line "):]
		j := strings.IndexFunc(rest, func(r rune) bool { return r < '0' || r > '9' })
		if j > 0 {
			n, _ := strconv.Atoi(rest[:j])
			return n
		}
	}
	return 0
}

// yamlErrorText is a yaml error without its "yaml: line N:" prefix, on one
// line.
func yamlErrorText(err error) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if strings.HasPrefix(msg, "line ") {
		if i := strings.Index(msg, ": "); i >= 0 {
			msg = msg[i+2:]
		}
	}
	return strings.Join(strings.Fields(msg), " ")
}
