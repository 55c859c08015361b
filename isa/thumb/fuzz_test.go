package thumb

import (
	"debug/elf"
	"errors"
	"os"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
)

// FuzzDecode decodes arbitrary bytes as a run of Thumb code: every result
// has a length to skip (2 or 4, less only at the end of the input), and
// every error is ErrTruncated or ErrUndefined. A jump table the decoder
// reports reads arbitrary bytes without failing other than by error.
func FuzzDecode(f *testing.F) {
	for _, s := range []string{
		"bf08 | bd10 | 4770",                // it eq; popeq {r4, pc}; bx lr
		"2b04 | d806 | e8df f003 | 0203",    // cmp; bhi; tbb; table
		"f245 6278 | f2c1 2234",             // movw; movt
		"fe71 0f4d | ed94 7e00 | f00f c00b", // vpst; vldrbt; le
		"f7ff",                              // half a BL
		"e97f e97f | f000 b800 | ffff ffff",
	} {
		f.Add(code(f, s), uint64(0x8000))
	}
	// The start of real code: our M55 image's text.
	if data := textOf(f, "testdata/elf/m55.elf"); len(data) > 0 {
		f.Add(data[:min(len(data), 512)], uint64(0x8000))
	}
	f.Fuzz(func(t *testing.T, data []byte, addr uint64) {
		if len(data) > 1<<16 {
			data = data[:1<<16]
		}
		addr &^= 1
		var d Decoder
		for pc := 0; pc < len(data); {
			inst, err := d.Decode(data[pc:], addr+uint64(pc))
			switch {
			case err == nil:
				if inst.Len != 2 && inst.Len != 4 || inst.Len > len(data)-pc || inst.Op == "" {
					t.Fatalf("%#x: decoded %+v from % x", inst.Addr, inst, data[pc:min(pc+4, len(data))])
				}
				branch := inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
				if branch && inst.Target&1 != 0 {
					t.Fatalf("%#x: %s has the odd target %#x", inst.Addr, inst.Op, inst.Target)
				}
				if jt, ok := d.JumpTable(); ok {
					if targets, err := jt.Targets(data[pc+inst.Len:]); err == nil && len(targets) != jt.Entries {
						t.Fatalf("%#x: %d targets for %d entries", inst.Addr, len(targets), jt.Entries)
					}
				}
			case errors.Is(err, isa.ErrTruncated):
				if inst.Len > 2 || inst.Len > len(data)-pc {
					t.Fatalf("%#x: truncated with length %d", inst.Addr, inst.Len)
				}
				return
			case errors.Is(err, ErrUndefined):
				if inst.Len != 2 && inst.Len != 4 || inst.Flow != isa.FlowStop {
					t.Fatalf("%#x: undefined with %+v", inst.Addr, inst)
				}
			default:
				t.Fatalf("%#x: unexpected error %v", addr+uint64(pc), err)
			}
			pc += inst.Len
		}
	})
}

// textOf returns the .text section of an ELF, or nil when it is absent.
func textOf(tb testing.TB, path string) []byte {
	f, err := elf.Open(path)
	if err != nil {
		return nil
	}
	defer f.Close()
	sec := f.Section(".text")
	if sec == nil {
		return nil
	}
	data, err := sec.Data()
	if err != nil {
		tb.Fatal(err)
	}
	return data
}

// BenchmarkDecode decodes the code of the largest Arm image we have (the
// TFLM micro_speech build with CMSIS-NN, 60 KB of Thumb-2 with DSP code),
// run by run as an analysis would, and reports MB/s and ns per
// instruction.
func BenchmarkDecode(b *testing.B) {
	path := sharedtest.Path(b, "firmware", "fw_micro_speech_cmsis", "firmware.elf")
	if _, err := os.Stat(path); err != nil {
		b.Skip(err)
	}
	f, err := elf.Open(path)
	require.NoError(b, err)
	defer f.Close()
	runs := codeRuns(b, f)
	size, insts := 0, 0
	var d Decoder
	for _, r := range runs {
		size += int(r.end - r.start)
	}
	_, err = tables() // built on first use, outside the measurement
	require.NoError(b, err)
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		insts = 0
		for _, r := range runs {
			d.Reset()
			code := r.data[:r.end-r.start]
			for pc := 0; pc < len(code); {
				inst, err := d.Decode(code[pc:], r.start+uint64(pc))
				if err != nil && inst.Len == 0 {
					break
				}
				pc += max(inst.Len, 2)
				insts++
			}
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(insts), "ns/inst")
}
