package budget

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzParse feeds arbitrary documents to the budget parser: it must return
// rules or a located error, never panic, and every rule it accepts must
// carry a limit (or, for the arena rule, a model; the stack rule has its
// inputs too) and a known severity.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("../testdata/budget/*.yaml")
	for _, path := range seeds {
		if data, err := os.ReadFile(path); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte("totals:\n  flash: {max: 1.5MiB, grow: 2KiB}\n  ram: {grow_percent: 5%}\n"))
	f.Add([]byte("regions: {FLASH: {max: 512KiB}, RAM: {max: 96KiB, severity: warning}}\n"))
	f.Add([]byte("components:\n  \"tflm/kernel/*\": {grow: 1KiB, memory: ram}\nsections: {.bss: {max: 32KiB}}\n"))
	f.Add([]byte("totals: &a {flash: {max: 1}}\nsections: *a\n"))
	f.Add([]byte("arena: {model: kws.tflite, kernels: cmsis-nn, cpu: cortex-m4, must_fit: true}\n"))
	f.Add([]byte("stack: {max: 4KiB, grow: 256, grow_percent: 5, severity: warning, calls: stack-calls.yaml}\n"))
	f.Add([]byte("stack:\n  calls: c.yaml\n  calls: d.yaml\n  max: 1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse("fuzz.yaml", data)
		if err != nil {
			if _, ok := err.(*Error); !ok {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		for _, r := range b.Rules {
			if r.Scope == ScopeArena {
				if b.Arena == nil || b.Arena.Model == "" {
					t.Fatalf("arena rule without a model")
				}
			} else if r.Scope == ScopeStack && b.Stack == nil {
				t.Fatalf("stack rule without its inputs")
			} else if !r.HasMax && !r.HasGrow && !r.HasGrowPercent {
				t.Fatalf("rule %q without a limit", r.Name)
			}
			if r.Severity != SeverityError && r.Severity != SeverityWarning {
				t.Fatalf("rule %q with severity %q", r.Name, r.Severity)
			}
		}
		_, _ = Evaluate(b, Sizes{}, &Sizes{})
		_, _ = Evaluate(b, Sizes{Stack: &StackDepth{Bytes: 1, LowerBound: true}}, &Sizes{Stack: &StackDepth{}})
	})
}
