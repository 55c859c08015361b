package footprint

import (
	"context"
	"os"
	"runtime"
	"testing"

	"github.com/footprint-dev/footprint/report"
)

// Large system files the speed goals are measured on, skipped when absent:
// node (about 100 MB, 100,000 symbols) and two LLVM releases (110 and
// 117 MB).
const (
	nodeELF   = "/usr/bin/node"
	llvmOld   = "/usr/lib/x86_64-linux-gnu/libLLVM-14.so.1"
	llvmNew   = "/usr/lib/x86_64-linux-gnu/libLLVM-15.so.1"
	benchTop  = 20
	benchRows = true
)

func needFiles(b *testing.B, paths ...string) {
	for _, p := range paths {
		if _, err := os.Stat(p); err != nil {
			b.Skipf("%s not present", p)
		}
	}
}

// benchmarkSize analyses path for the rows by k and groups them, as
// `footprint size --by k` does.
func benchmarkSize(b *testing.B, path string, k report.Key) {
	needFiles(b, path)
	b.ReportAllocs()
	for b.Loop() {
		a, err := Analyze(context.Background(), Build{ELF: path}, Options{Show: Show{RowsOnly: benchRows, By: k}})
		if err != nil {
			b.Fatal(err)
		}
		a.View(k, benchTop)
	}
}

func BenchmarkSizeNodeBySymbol(b *testing.B)    { benchmarkSize(b, nodeELF, report.KeySymbol) }
func BenchmarkSizeNodeBySection(b *testing.B)   { benchmarkSize(b, nodeELF, report.KeySection) }
func BenchmarkSizeNodeByComponent(b *testing.B) { benchmarkSize(b, nodeELF, report.KeyComponent) }
func BenchmarkSizeLLVMByComponent(b *testing.B) { benchmarkSize(b, llvmNew, report.KeyComponent) }

// BenchmarkSizeNodeBySymbolOneCPU is BenchmarkSizeNodeBySymbol on one
// CPU: the ratio of the two is the speed-up of the parallel parts.
func BenchmarkSizeNodeBySymbolOneCPU(b *testing.B) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	benchmarkSize(b, nodeELF, report.KeySymbol)
}

// BenchmarkDiffLLVM diffs two LLVM releases by component, as `footprint
// diff` does; the goal is at most 1.5 times BenchmarkSizeLLVMByComponent.
func BenchmarkDiffLLVM(b *testing.B) {
	needFiles(b, llvmOld, llvmNew)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := Diff(context.Background(), Build{ELF: llvmOld}, Build{ELF: llvmNew}, report.KeyComponent, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
