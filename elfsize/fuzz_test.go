package elfsize

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"
)

// FuzzAnalyze feeds arbitrary bytes to the ELF reader: it must return a
// report or an error, never panic, and never claim more bytes than the
// sections it lists; AnalyzeRows must read what Analyze reads, to the
// same totals.
func FuzzAnalyze(f *testing.F) {
	for _, class := range []elf.Class{elf.ELFCLASS32, elf.ELFCLASS64} {
		for _, bo := range []binary.ByteOrder{binary.LittleEndian, binary.BigEndian} {
			f.Add(synthFirmware(class, bo))
		}
	}
	// Small real ELFs from the test firmware, when present.
	elfs, _ := filepath.Glob("../testdata/firmware/out/*/*.elf")
	for _, path := range elfs {
		if st, err := os.Stat(path); err == nil && st.Size() < 1<<20 {
			if data, err := os.ReadFile(path); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Analyze(bytes.NewReader(data), int64(len(data)), Options{Files: true, Demangle: true, ModelOps: TFLiteOps})
		if err != nil {
			return
		}
		var alloc uint64
		for _, s := range rep.Sections {
			if s.Alloc {
				alloc += s.Size
			}
		}
		var covered uint64
		for _, p := range rep.Pieces {
			covered += p.Size
		}
		if covered != alloc {
			t.Fatalf("pieces cover %d bytes, allocated sections hold %d", covered, alloc)
		}
		rows, _, err := AnalyzeRows(bytes.NewReader(data), int64(len(data)), Options{ModelOps: TFLiteOps})
		if err != nil {
			t.Fatalf("Analyze reads the file, AnalyzeRows fails: %v", err)
		}
		if rows.Totals != rep.Totals {
			t.Fatalf("rows total %v, pieces %v", rows.Totals, rep.Totals)
		}
	})
}
