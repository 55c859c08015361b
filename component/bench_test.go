package component

import (
	"os"
	"testing"

	"github.com/footprint-dev/footprint/elfsize"
)

// BenchmarkAssignNode assigns components to the ~180,000 pieces of a
// large host executable.
func BenchmarkAssignNode(b *testing.B) {
	const path = "/usr/bin/node"
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%s not present", path)
	}
	rep, err := elfsize.Open(path, elfsize.Options{Demangle: true})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := Assign(rep, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAssignNamesNode is BenchmarkAssignNode on raw names, shown
// only where a rule needs them: demangling included, as it is not in
// BenchmarkAssignNode.
func BenchmarkAssignNamesNode(b *testing.B) {
	const path = "/usr/bin/node"
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%s not present", path)
	}
	rep, err := elfsize.Open(path, elfsize.Options{})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := AssignNames(rep, nil, elfsize.Names{}); err != nil {
			b.Fatal(err)
		}
	}
}
