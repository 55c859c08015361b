package stack

import "testing"

// FuzzParseFacts: a calls file gives facts or an error, never a panic.
func FuzzParseFacts(f *testing.F) {
	f.Add([]byte("calls:\n  main: [fp_target]\nrecursion:\n  rec: 11\ninterrupts:\n  nesting: 2\n"))
	f.Add([]byte("interrupts: {nesting: -1}"))
	f.Add([]byte("calls: [1, 2]"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		facts, err := ParseFacts(data)
		if err == nil && facts == nil {
			t.Fatal("nil facts without error")
		}
	})
}
