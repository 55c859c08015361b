package builddiff

import (
	"os"
	"testing"

	"github.com/footprint-dev/footprint/component"
	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/report"
)

// BenchmarkCompareLarge measures the matching alone (both reports already
// attributed) on two versions of a big system library.
func BenchmarkCompareLarge(b *testing.B) {
	const oldELF, newELF = "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1", "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"
	var reps [2]*report.Report
	for i, p := range []string{oldELF, newELF} {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("%s not present", p)
		}
		rep, err := elfsize.Open(p, elfsize.Options{Files: true, Demangle: true})
		if err != nil {
			b.Fatal(err)
		}
		if err := component.Assign(rep, nil); err != nil {
			b.Fatal(err)
		}
		reps[i] = rep
	}
	for _, k := range []report.Key{report.KeySymbol, report.KeyComponent} {
		b.Run(string(k), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				Compare(reps[0], reps[1], k)
			}
		})
	}
}
