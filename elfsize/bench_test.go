package elfsize

import (
	"os"
	"path/filepath"
	"testing"
)

// largestTestELF returns the biggest ELF under testdata/firmware/out, or "".
func largestTestELF() string {
	elfs, _ := filepath.Glob("../testdata/firmware/out/*/*.elf")
	best, bestSize := "", int64(-1)
	for _, p := range elfs {
		if st, err := os.Stat(p); err == nil && st.Size() > bestSize {
			best, bestSize = p, st.Size()
		}
	}
	return best
}

// largeSystemELF is a big host executable (about 100 MB with a large
// .symtab) used to check attribution stays fast on huge inputs.
const largeSystemELF = "/usr/bin/node"

func benchmarkOpen(b *testing.B, path string, opts Options) {
	if path == "" {
		b.Skip("no test firmware under testdata/firmware/out")
	}
	if _, err := os.Stat(path); err != nil {
		b.Skipf("%s not present", path)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(path, opts); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkFirmwareSymbols(b *testing.B) {
	benchmarkOpen(b, largestTestELF(), Options{Demangle: true})
}

func BenchmarkFirmwareSymbolsFiles(b *testing.B) {
	benchmarkOpen(b, largestTestELF(), Options{Demangle: true, Files: true})
}

func BenchmarkNodeSymbols(b *testing.B) {
	benchmarkOpen(b, largeSystemELF, Options{})
}

func BenchmarkNodeSymbolsDemangled(b *testing.B) {
	benchmarkOpen(b, largeSystemELF, Options{Demangle: true})
}

func BenchmarkNodeSymbolsDemangledFiles(b *testing.B) {
	benchmarkOpen(b, largeSystemELF, Options{Demangle: true, Files: true})
}

// BenchmarkClass computes the class of every distinct name of the large
// C++ binaries present, as size --by symbol does for its rows.
func BenchmarkClass(b *testing.B) {
	var names []string
	for _, p := range largeCXXELFs {
		if _, err := os.Stat(p); err != nil {
			continue
		}
		_, rows, err := OpenRows(p, Options{})
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range rows {
			names = append(names, r.Name)
		}
	}
	if len(names) == 0 {
		b.Skip("no large C++ binary present")
	}
	var n Names
	b.ResetTimer()
	for b.Loop() {
		for _, name := range names {
			n.Class(name)
		}
	}
}
