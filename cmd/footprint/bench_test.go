package main

import (
	"io"
	"os"
	"testing"
)

// Two versions of a big system library (about 110 and 117 MB, 100k+
// symbols): the speed goal is a diff in no more than twice the time of
// `footprint size` on the larger one.
const (
	largeOldELF = "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1"
	largeNewELF = "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"
)

func requireFiles(b *testing.B, paths ...string) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("%s not present", p)
		}
	}
}

func BenchmarkSizeLarge(b *testing.B) {
	requireFiles(b, largeNewELF)
	b.ReportAllocs()
	for b.Loop() {
		if err := runSize(io.Discard, io.Discard, sizeOptions{file: largeNewELF, by: "component", top: 20, format: "table"}); err != nil {
			b.Fatal(err)
		}
	}
}

func benchmarkDiffLarge(b *testing.B, by string) {
	requireFiles(b, largeOldELF, largeNewELF)
	b.ReportAllocs()
	for b.Loop() {
		if err := runDiff(io.Discard, io.Discard, diffOptions{oldFile: largeOldELF, newFile: largeNewELF, by: by, top: 20, format: "table"}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDiffLargeByComponent(b *testing.B) { benchmarkDiffLarge(b, "component") }

func BenchmarkDiffLargeBySymbol(b *testing.B) { benchmarkDiffLarge(b, "symbol") }
