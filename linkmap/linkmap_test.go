package linkmap

import (
	"debug/elf"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const fw = "../testdata/firmware/out"

// targets are the committed firmware builds with a map.
var targets = []struct {
	dir    string
	format Format
	script string
}{
	{"cortex-m4f", FormatGNU, "stm32f4_m4f.ld"},
	{"cortex-m4f-lld", FormatLLD, "stm32f4_m4f.ld"},
	{"cortex-m0plus", FormatGNU, "stm32g0_m0plus.ld"},
	{"rv32imc", FormatGNU, "rv32imc.ld"},
	{"host-x86_64", FormatGNU, ""},
	{"variants/os", FormatGNU, "stm32f4_m4f.ld"},
	{"variants/extra-kernel", FormatGNU, "stm32f4_m4f.ld"},
}

func parseFile(t testing.TB, path string, opts Options) *Map {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	m, err := Parse(f, path, opts)
	require.NoError(t, err)
	return m
}

func elfSections(t *testing.T, path string) (*elf.File, []SectionSize) {
	t.Helper()
	f, err := elf.Open(path)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	var out []SectionSize
	for _, s := range f.Sections {
		out = append(out, SectionSize{Name: s.Name, Size: s.Size})
	}
	return f, out
}

func TestParseM4FGNU(t *testing.T) {
	m := parseFile(t, filepath.Join(fw, "cortex-m4f/firmware.map"), Options{})
	assert.Equal(t, FormatGNU, m.Format)
	assert.Equal(t, []Region{
		{Name: "FLASH", Origin: 0x08000000, Length: 0x100000, Attributes: "xr"},
		{Name: "RAM", Origin: 0x20000000, Length: 0x20000, Attributes: "xrw"},
		{Name: "CCMRAM", Origin: 0x10000000, Length: 0x10000, Attributes: "xrw"},
	}, m.Regions)
	sec := map[string]OutputSection{}
	for _, o := range m.OutputSections {
		sec[o.Name] = o
	}
	d := sec[".data"]
	assert.Equal(t, [3]uint64{0x20000000, 0x08007f80, 0x128}, [3]uint64{d.VMA, d.LMA, d.Size})
	c := sec[".ccmram"]
	assert.Equal(t, [3]uint64{0x10000000, 0x080080a8, 0x40}, [3]uint64{c.VMA, c.LMA, c.Size})
	n := sec[".noinit"]
	require.Len(t, n.Inputs, 1)
	assert.Equal(t, InputSection{Section: ".noinit", Addr: 0x200007c0, Size: 8, Object: "build/cortex-m4f/obj/app/board.o",
		Symbols: []Symbol{{Name: "g_reset_magic", Addr: 0x200007c0}, {Name: "g_boot_count", Addr: 0x200007c4}}}, n.Inputs[0])
	// A wrapped output section header.
	hs := sec["._user_heap_stack"]
	assert.Equal(t, [2]uint64{0x200007c8, 0x1800}, [2]uint64{hs.VMA, hs.Size})
	assert.Equal(t, []InputSection{{Section: "*fill*", Addr: 0x200007c8, Size: 0x800, Fill: true},
		{Section: "*fill*", Addr: 0x20000fc8, Size: 0x1000, Fill: true}}, hs.Inputs)

	// A wrapped input section name (162-character mangled name).
	const long = ".text._ZN6tflite13reference_ops29BroadcastBinaryFunction4DSlowINS0_16ArithmeticParamsIaEENS0_19QuantizedAddFunctorIalEENS_12RuntimeShapeEaEEvRKT_RKT1_PKT2_SC_SF_SC_PSD_"
	var found *InputSection
	for i, in := range sec[".text"].Inputs {
		if in.Section == long {
			found = &sec[".text"].Inputs[i]
		}
	}
	require.NotNil(t, found)
	assert.Equal(t, uint64(0x080051a0), found.Addr)
	assert.Equal(t, uint64(0x28c), found.Size)
	assert.Equal(t, "build/cortex-m4f/obj/kernels/add.o", found.Object)

	// Data statements and fill in .fw_info: LONG, LONG, SHORT, BYTE, BYTE, *fill* ff.
	var kinds []string
	var sum uint64
	for _, in := range sec[".fw_info"].Inputs {
		assert.True(t, in.Fill)
		kinds = append(kinds, in.Section)
		sum += in.Size
	}
	assert.Equal(t, []string{"LONG", "LONG", "SHORT", "BYTE", "BYTE", "*fill*"}, kinds)
	assert.Equal(t, uint64(0x14), sum)

	// An archive member: libm's lrintf.
	in := sec[".text"].Inputs[1]
	assert.Equal(t, "lib_a-sf_lrint.o", in.Member)
	assert.True(t, strings.HasSuffix(in.Archive, "/thumb/v7e-m+fp/hard/libm.a"), in.Archive)
	assert.Equal(t, []Symbol{{Name: "lrintf", Addr: 0x080000d8}}, in.Symbols)

	require.Len(t, m.ArchiveReasons, 87)
	r := m.ArchiveReasons[1]
	assert.Equal(t, "del_ops.o", r.Member)
	assert.Equal(t, "build/cortex-m4f/obj/tflite/micro_op_resolver.o", r.By)
	assert.Equal(t, "operator delete(void*, unsigned int)", r.Symbol)

	require.Len(t, m.Discarded, 319)
	assert.Equal(t, InputSection{Section: ".rodata", Size: 0x24, Object: "/usr/lib/gcc/arm-none-eabi/12.2.1/thumb/v7e-m+fp/hard/crtbegin.o"}, m.Discarded[3])
}

func TestParseM4FLLD(t *testing.T) {
	m := parseFile(t, filepath.Join(fw, "cortex-m4f-lld/firmware.map"), Options{})
	assert.Equal(t, FormatLLD, m.Format)
	assert.Empty(t, m.Regions)
	sec := map[string]OutputSection{}
	for _, o := range m.OutputSections {
		sec[o.Name] = o
	}
	d := sec[".data"]
	assert.Equal(t, [4]uint64{0x20000000, 0x08007fa0, 0x128, 4}, [4]uint64{d.VMA, d.LMA, d.Size, d.Align})
	in := sec[".text"].Inputs[1]
	assert.Equal(t, ".text", in.Section)
	assert.Equal(t, "lib_a-sf_lrint.o", in.Member)
	assert.Equal(t, []Symbol{{Name: "lrintf", Addr: 0x080000d9, Size: 0x9c}}, in.Symbols)
	var kinds []string
	for _, in := range sec[".fw_info"].Inputs {
		kinds = append(kinds, in.Section)
	}
	assert.Equal(t, []string{"LONG", "LONG", "SHORT", "BYTE", "BYTE", "*fill*"}, kinds)
	assert.Equal(t, uint64(0x1c), sec[".fw_info"].Inputs[5].Size)
}

// TestAgainstELF checks every map against its ELF: section sizes agree,
// contributions add up to each section, and region usage equals the one
// computed from the ELF's section and program headers.
func TestAgainstELF(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.dir, func(t *testing.T) {
			m := parseFile(t, filepath.Join(fw, tg.dir, "firmware.map"), Options{})
			assert.Equal(t, tg.format, m.Format)
			f, secs := elfSections(t, filepath.Join(fw, tg.dir, "firmware.elf"))
			assert.Empty(t, CrossCheck(m, secs))
			for _, o := range m.OutputSections {
				var sum uint64
				for _, c := range o.Contributions() {
					sum += c.Size
				}
				assert.Equal(t, o.Size, sum, o.Name)
			}
			if tg.script == "" {
				return
			}
			regions := m.Regions
			sf, err := os.Open(filepath.Join(fw, "../ld", tg.script))
			require.NoError(t, err)
			defer sf.Close()
			fromScript, err := LoadMemoryFromLinkerScript(sf)
			require.NoError(t, err)
			if tg.format == FormatLLD {
				regions = fromScript
			} else {
				// The script's MEMORY and the map's Memory Configuration agree
				// (ld prints "rx" as "xr" and "rwx" as "xrw").
				require.Len(t, fromScript, len(regions))
				for i := range regions {
					assert.Equal(t, [3]any{regions[i].Name, regions[i].Origin, regions[i].Length},
						[3]any{fromScript[i].Name, fromScript[i].Origin, fromScript[i].Length})
				}
			}
			kind := elfKinds(f)
			got := Usage(regions, m.OutputSections, kind)
			want := usageFromELF(f, regions)
			for i := range got {
				assert.Equal(t, want[i], got[i].Used, got[i].Name)
			}
			// Without the ELF, the name heuristic gives the same answer.
			guessed := Usage(regions, m.OutputSections, nil)
			for i := range got {
				assert.Equal(t, got[i].Used, guessed[i].Used, got[i].Name)
			}
		})
	}
}

// elfKinds classifies map sections by the ELF's section headers.
func elfKinds(f *elf.File) func(OutputSection) SectionKind {
	return func(o OutputSection) SectionKind {
		s := f.Section(o.Name)
		switch {
		case s == nil || s.Flags&elf.SHF_ALLOC == 0:
			return KindNonAlloc
		case s.Type == elf.SHT_NOBITS:
			return KindNoLoad
		}
		return KindLoad
	}
}

// usageFromELF computes region usage from the ELF alone: each allocated
// section at its address, and PROGBITS sections also at the physical
// address their PT_LOAD segment gives them.
func usageFromELF(f *elf.File, regions []Region) []uint64 {
	used := make([]uint64, len(regions))
	covered := make([]map[uint64]bool, len(regions))
	for i := range covered {
		covered[i] = map[uint64]bool{}
	}
	mark := func(addr, size uint64) int {
		for i, r := range regions {
			if r.Contains(addr) {
				for a := addr; a < addr+size; a++ {
					if !covered[i][a] {
						covered[i][a] = true
						used[i]++
					}
				}
				return i
			}
		}
		return -1
	}
	for _, s := range f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 {
			continue
		}
		v := mark(s.Addr, s.Size)
		if s.Type == elf.SHT_NOBITS {
			continue
		}
		for _, p := range f.Progs {
			if p.Type == elf.PT_LOAD && s.Offset >= p.Off && s.Offset+s.Size <= p.Off+p.Filesz && p.Paddr != p.Vaddr {
				lma := p.Paddr + s.Offset - p.Off
				for i, r := range regions {
					if r.Contains(lma) && i != v {
						mark(lma, s.Size)
					}
				}
			}
		}
	}
	return used
}

func TestUsageM4FFigures(t *testing.T) {
	m := parseFile(t, filepath.Join(fw, "cortex-m4f/firmware.map"), Options{})
	u := Usage(m.Regions, m.OutputSections, nil)
	// FLASH: .isr_vector..fw_info end 0x08007f80 less the 4-byte gap
	// before .rodata, plus .data 0x128 and .ccmram 0x40 at their load
	// addresses: 0x80e4 = 32996 = text 32608 + data 388 of size.txt.
	assert.Equal(t, uint64(0x80e4), u[0].Used)
	// RAM: .data 0x128 + .bss 0x690 + .noinit 8 + heap/stack 0x1800.
	assert.Equal(t, uint64(0x128+0x690+8+0x1800), u[1].Used)
	assert.Equal(t, uint64(0x40), u[2].Used)
	// arm-none-eabi-ld --print-memory-usage, relinking the same objects
	// with the same script, says FLASH 33000 B, RAM 8136 B, CCMRAM 64 B:
	// it counts up to the end of the last section, gaps included.
	assert.Equal(t, []uint64{33000, 8136, 64}, []uint64{u[0].HighWater, u[1].HighWater, u[2].HighWater})
	assert.Equal(t, []string{".data", ".bss", ".noinit", "._user_heap_stack"}, u[1].Sections)
	assert.InDelta(t, 100*float64(0x80e4)/float64(1<<20), u[0].Percent(), 1e-9)
}
