package stack

import (
	"os"
	"testing"

	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/internal/sharedtest"
)

func benchmarkAnalyze(b *testing.B, path string) {
	p, err := callgraph.Open(path)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Analyze(p, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAnalyzeCMSISFirmware: the worst case of every root of real
// TFLM firmware with CMSIS-NN.
func BenchmarkAnalyzeCMSISFirmware(b *testing.B) {
	benchmarkAnalyze(b, sharedtest.Path(b, "firmware", "fw_micro_speech_cmsis", "firmware.elf"))
}

// BenchmarkAnalyzeNode: the same on node (~100 MB, 70 MB of x86-64 text)
// when it is installed.
func BenchmarkAnalyzeNode(b *testing.B) {
	const path = "/usr/bin/node"
	if _, err := os.Stat(path); err != nil {
		b.Skip("no", path)
	}
	benchmarkAnalyze(b, path)
}
