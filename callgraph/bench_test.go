package callgraph

import (
	"os"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// BenchmarkLoadCMSISFirmware decodes and builds the call graph of the
// largest real firmware (TFLM with CMSIS-NN, 92 KB of Thumb-2 text).
func BenchmarkLoadCMSISFirmware(b *testing.B) {
	data, err := os.ReadFile(sharedtest.Path(b, "firmware", "fw_micro_speech_cmsis", "firmware.elf"))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(92804)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(bytesReaderAt(data), int64(len(data))); err != nil {
			b.Fatal(err)
		}
	}
}

type bytesReaderAt []byte

func (b bytesReaderAt) ReadAt(p []byte, off int64) (int, error) {
	if off >= int64(len(b)) {
		return 0, os.ErrInvalid
	}
	n := copy(p, b[off:])
	return n, nil
}

// BenchmarkLoadNode builds the call graph of a ~100 MB x86-64 host binary
// (node's 70 MB of text) when one is installed.
func BenchmarkLoadNode(b *testing.B) {
	const path = "/usr/bin/node"
	if _, err := os.Stat(path); err != nil {
		b.Skip("no", path)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Open(path); err != nil {
			b.Fatal(err)
		}
	}
}
