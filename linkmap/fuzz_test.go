package linkmap

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// seedMaps adds the head of each committed map of the given format.
func seedMaps(f *testing.F, dirs ...string) {
	for _, d := range dirs {
		b, err := os.ReadFile(filepath.Join(fw, d, "firmware.map"))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b[:min(len(b), 16<<10)])
	}
}

// seedFile adds one file.
func seedFile(f *testing.F, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
}

// fuzzParse checks that Parse never panics and that what it accepts adds up.
func fuzzParse(t *testing.T, data []byte) {
	for _, lenient := range []bool{false, true} {
		m, err := Parse(bytes.NewReader(data), "fuzz.map", Options{Lenient: lenient})
		if err != nil {
			continue
		}
		for i := range m.OutputSections {
			var sum uint64
			for _, c := range m.OutputSections[i].Contributions() {
				sum += c.Size
			}
			if sum != m.OutputSections[i].Size {
				t.Fatalf("contributions of %s add to %d, not %d", m.OutputSections[i].Name, sum, m.OutputSections[i].Size)
			}
		}
		Usage(m.Regions, m.OutputSections, nil)
	}
}

func FuzzParseGNU(f *testing.F) {
	seedMaps(f, "cortex-m4f", "rv32imc", "host-x86_64")
	f.Add([]byte(smallGNU))
	seedFile(f, "testdata/small-gnu.map")
	f.Fuzz(fuzzParse)
}

func FuzzParseLLD(f *testing.F) {
	seedMaps(f, "cortex-m4f-lld")
	seedFile(f, "testdata/small-lld.map")
	f.Fuzz(fuzzParse)
}

func FuzzLoadMemory(f *testing.F) {
	seedFile(f, "testdata/small.ld")
	for _, s := range []string{"stm32f4_m4f.ld", "rv32imc.ld"} {
		b, err := os.ReadFile(filepath.Join(fw, "../ld", s))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, _ = LoadMemoryFromLinkerScript(bytes.NewReader(data))
	})
}
