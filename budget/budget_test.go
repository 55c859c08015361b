package budget

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const example = "../testdata/budget/footprint.yaml"

func TestLoadExample(t *testing.T) {
	b, err := Load(example)
	require.NoError(t, err)
	require.Len(t, b.Rules, 8)
	assert.Equal(t, Rule{Scope: ScopeTotal, Name: "flash", Memory: Flash, Max: 48 << 10, HasMax: true,
		Grow: 1 << 10, HasGrow: true, Severity: SeverityError, Line: 6}, b.Rules[0])
	assert.Equal(t, Rule{Scope: ScopeTotal, Name: "ram", Memory: RAM, Max: 12 << 10, HasMax: true,
		GrowPercent: 10, HasGrowPercent: true, Severity: SeverityError, Line: 7}, b.Rules[1])
	assert.Equal(t, Rule{Scope: ScopeComponent, Name: "tflm/kernel/*", Memory: Flash, Grow: 512, HasGrow: true,
		Severity: SeverityError, Line: 9}, b.Rules[2])
	assert.Equal(t, Rule{Scope: ScopeComponent, Name: "app", Memory: RAM, Max: 8 << 10, HasMax: true,
		Severity: SeverityWarning, Line: 11}, b.Rules[4])
	assert.Equal(t, ".bss", b.Rules[5].Name)
	assert.Equal(t, ScopeSection, b.Rules[5].Scope)
	assert.Equal(t, Rule{Scope: ScopeStack, Name: "total", Memory: Flash, Max: 2 << 10, HasMax: true, Grow: 256, HasGrow: true,
		Severity: SeverityError, Line: 15}, b.Rules[7])
	require.NotNil(t, b.Stack)
	assert.Empty(t, b.Stack.Calls)
}

func TestParseSize(t *testing.T) {
	for in, want := range map[string]uint64{
		"0": 0, "4096": 4096, "4096B": 4096, "512 B": 512, "2KiB": 2048, "1.5KiB": 1536,
		"64 KiB": 65536, "1MiB": 1 << 20, "0.25MiB": 1 << 18, "2GiB": 2 << 30,
	} {
		got, err := ParseSize(in)
		require.NoError(t, err, in)
		assert.Equal(t, want, got, in)
	}
	for _, in := range []string{"", "KiB", "-1", "-1KiB", "1.1B", "0.3KiB", "2KB", "2kb", "1e400KiB", "NaNKiB", "12 apples", "+1KiB", "99999999999999999999"} {
		_, err := ParseSize(in)
		assert.Error(t, err, in)
	}
}

// Every mistake names the file, the line and the field.
func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ doc, want string }{
		{"totals:\n  flash: {max: 1KiB}\ntotal:\n  ram: {max: 1KiB}\n",
			"b.yaml:3: total: unknown field (want totals, regions, components, sections, arena or stack)"},
		{"totals:\n  flash: {max: 1KiB, gorw: 1KiB}\n",
			"b.yaml:2: totals.flash.gorw: unknown field (want max, grow, grow_percent, severity)"},
		{"components:\n  \"tflm/kernel/*\":\n    grow: 1 KB\n",
			`b.yaml:3: components."tflm/kernel/*".grow: "1 KB": want a size such as 4096, 64KiB or 1.5MiB`},
		{"totals:\n  rom: {max: 1KiB}\n", "b.yaml:2: totals.rom: unknown total (want flash or ram)"},
		{"sections:\n  .bss: {max: 1KiB, memory: ram}\n", `b.yaml:2: sections.".bss".memory: only component rules choose a memory`},
		{"components:\n  app: {max: 1KiB, memory: rom}\n", `b.yaml:2: components.app.memory: "rom": want flash or ram`},
		{"regions:\n  FLASH: {max: 1KiB, severity: fatal}\n", `b.yaml:2: regions.FLASH.severity: "fatal": want error or warning`},
		{"regions:\n  FLASH: {severity: warning}\n", "b.yaml:2: regions.FLASH: no limit (want max, grow or grow_percent)"},
		{"totals:\n  ram: {grow_percent: lots}\n", `b.yaml:2: totals.ram.grow_percent: "lots": want a percentage such as 5 or 2.5%`},
		{"totals:\n  ram: {max: [1, 2]}\n", "b.yaml:2: totals.ram.max: want a single value"},
		{"totals: 5\n", "b.yaml:1: totals: want a mapping of names to limits"},
		{"totals:\n  ram: 5\n", "b.yaml:2: totals.ram: want a mapping of limits (max, grow, grow_percent, severity)"},
		{"- totals\n", "b.yaml:1: want a mapping of totals, regions, components, sections, arena and stack"},
		{"totals:\n\tram: {max: 1}\n", "b.yaml:2: not valid YAML: found character that cannot start any token"},
		{"totals:\n  ram: {max: 1KiB}\n  ram: {max: 2KiB}\n", "b.yaml:3: totals.ram: given twice"},
		{"totals:\n  ram: {max: 1KiB, max: 2KiB}\n", "b.yaml:2: totals.ram.max: given twice"},
	} {
		_, err := Parse("b.yaml", []byte(tc.doc))
		if assert.Error(t, err, tc.doc) {
			assert.Equal(t, tc.want, err.Error(), tc.doc)
		}
	}
}

func TestParseEmptyAndPercent(t *testing.T) {
	b, err := Parse("e.yaml", nil)
	require.NoError(t, err)
	assert.Empty(t, b.Rules)
	b, err = Parse("p.yaml", []byte("totals:\n  ram: {grow_percent: 2.5%}\nsections:\n"))
	require.NoError(t, err)
	require.Len(t, b.Rules, 1)
	assert.Equal(t, 2.5, b.Rules[0].GrowPercent)
}

func TestLoadErrors(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "missing.yaml"))
	assert.ErrorContains(t, err, "missing.yaml")
	big := filepath.Join(t.TempDir(), "big.yaml")
	require.NoError(t, os.WriteFile(big, make([]byte, maxFile+1), 0o600))
	_, err = Load(big)
	assert.ErrorContains(t, err, "big.yaml: file larger than")
}

func TestParseArena(t *testing.T) {
	b, err := Load("../testdata/budget/arena.yaml")
	require.NoError(t, err)
	require.NotNil(t, b.Arena)
	assert.Equal(t, "tensor_arena", b.Arena.Symbol)
	assert.Equal(t, "cortex-m", b.Arena.Target)
	// Relative to the budget file: /work/main/testdata/budget -> /work/shared.
	assert.Equal(t, "../../shared/models/hello_world__hello_world_int8.tflite", b.Arena.ModelPath())
	require.Len(t, b.Rules, 2)
	assert.Equal(t, ScopeArena, b.Rules[1].Scope)

	for doc, want := range map[string]string{
		"arena: {must_fit: true}\n":                   "b.yaml:1: arena.model: missing: the .tflite model whose arena must fit",
		"arena: {model: m.tflite}\n":                  "b.yaml:1: arena.must_fit: want must_fit: true (the arena rule checks nothing else)",
		"arena: {model: m.tflite, must_fit: maybe}\n": `b.yaml:1: arena.must_fit: "maybe": want true or false`,
		"arena: {model: m.tflite, max: 1KiB}\n":       "b.yaml:1: arena.max: unknown field (want model, symbol, target, kernels, cpu, resource_variables, must_fit, severity)",
		"arena:\n  model: m.tflite\n  severity: no\n": `b.yaml:3: arena.severity: "no": want error or warning`,
		"arena: 1\n": "b.yaml:1: arena: want a mapping (model, symbol, target, kernels, cpu, resource_variables, must_fit, severity)",
		"arena: {model: m.tflite, must_fit: true, kernels: xtensa}\n":        `b.yaml:1: arena.kernels: "xtensa": want reference or cmsis-nn`,
		"arena: {model: m.tflite, must_fit: true, kernels: cmsis-nn}\n":      "b.yaml:1: arena.cpu: missing: CMSIS-NN's arena depends on the core (e.g. cpu: cortex-m4)",
		"arena: {model: m.tflite, must_fit: true, resource_variables: -2}\n": `b.yaml:1: arena.resource_variables: "-2": want a count, 0 or more`,
	} {
		_, err := Parse("b.yaml", []byte(doc))
		assert.EqualError(t, err, want, doc)
	}
}

func TestParseArenaKernels(t *testing.T) {
	b := mustParse(t, "arena: {model: m.tflite, kernels: cmsis-nn, cpu: cortex-m55, must_fit: true}\n")
	assert.Equal(t, "cmsis-nn", b.Arena.Kernels)
	assert.Equal(t, "cortex-m55", b.Arena.CPU)
	b = mustParse(t, "arena: {model: m.tflite, resource_variables: 4, must_fit: true}\n")
	assert.Equal(t, 4, b.Arena.ResourceVariables)
	b = mustParse(t, "arena: {model: m.tflite, must_fit: true}\n")
	assert.Empty(t, b.Arena.Kernels)

	head := sizes(0, 0)
	head.Arena = &ArenaFit{Symbol: "tensor_arena", Usable: 28672, Need: 7812, Exact: true, Build: "CMSIS-NN kernels on cortex-m55"}
	rs, err := Evaluate(b, head, nil)
	require.NoError(t, err)
	require.Len(t, rs, 1)
	assert.Equal(t, StatusPass, rs[0].Status)
	assert.Equal(t, "CMSIS-NN kernels on cortex-m55", rs[0].Note)
}

func TestEvaluateArena(t *testing.T) {
	b := mustParse(t, "arena: {model: m.tflite, must_fit: true, severity: warning}\n")
	head := sizes(0, 0)
	_, err := Evaluate(b, head, nil)
	assert.EqualError(t, err, "b.yaml:1: arena: the arena was not measured")
	head.Arena = &ArenaFit{Symbol: "tensor_arena", Usable: 1200, Need: 6800, Exact: true}
	rs, err := Evaluate(b, head, nil)
	require.NoError(t, err)
	assert.Equal(t, []outcome{{KindFits, StatusWarn}}, verdicts(rs))
	assert.Equal(t, "arena.tensor_arena", rs[0].Subject())
}

func TestParseStack(t *testing.T) {
	b := mustParse(t, "stack: {max: 4KiB, grow: 256, grow_percent: 5, severity: warning, calls: stack-calls.yaml}\n")
	require.Len(t, b.Rules, 1)
	assert.Equal(t, Rule{Scope: ScopeStack, Name: "total", Memory: Flash, Max: 4096, HasMax: true, Grow: 256, HasGrow: true,
		GrowPercent: 5, HasGrowPercent: true, Severity: SeverityWarning, Line: 1}, b.Rules[0])
	require.NotNil(t, b.Stack)
	assert.Equal(t, "stack-calls.yaml", b.Stack.Calls)
	assert.Nil(t, b.Arena)

	// The calls file is relative to the budget file, like the arena's model.
	b, err := Parse(filepath.Join("ci", "budget.yaml"), []byte("stack:\n  max: 2KiB\n  calls: calls.yaml\n"))
	require.NoError(t, err)
	assert.Equal(t, filepath.Join("ci", "calls.yaml"), b.Stack.CallsPath())
	b = mustParse(t, "stack: {max: 1KiB, calls: /etc/calls.yaml}\n")
	assert.Equal(t, "/etc/calls.yaml", b.Stack.CallsPath())
	b = mustParse(t, "stack: {max: 1KiB}\n")
	assert.Empty(t, b.Stack.CallsPath())

	for doc, want := range map[string]string{
		"stack: 4KiB\n":                              "b.yaml:1: stack: want a mapping of limits (max, grow, grow_percent, severity, calls)",
		"stack: {calls: c.yaml}\n":                   "b.yaml:1: stack: no limit (want max, grow or grow_percent)",
		"stack: {max: 4KB}\n":                        `b.yaml:1: stack.max: "4KB": want a size such as 4096, 64KiB or 1.5MiB`,
		"stack:\n  max: 1KiB\n  maxx: 2KiB\n":        "b.yaml:3: stack.maxx: unknown field (want max, grow, grow_percent, severity or calls)",
		"stack: {max: 1KiB, memory: ram}\n":          "b.yaml:1: stack.memory: only component rules choose a memory",
		"stack: {max: 1KiB, calls: [a, b]}\n":        "b.yaml:1: stack.calls: want the path of a calls file",
		"stack:\n  max: 1\n  calls: a\n  calls: b\n": "b.yaml:4: stack.calls: given twice",
		"stack: {max: 1}\nstack: {max: 2}\n":         "b.yaml:2: stack: given twice",
		"stack: {max: 1, severity: info}\n":          `b.yaml:1: stack.severity: "info": want error or warning`,
	} {
		_, err := Parse("b.yaml", []byte(doc))
		assert.EqualError(t, err, want, doc)
	}
}
