package linkmap

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// sizeA reads `size -A -x` output into section sizes.
func sizeA(t *testing.T, path string) []SectionSize {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var out []SectionSize
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		w := strings.Fields(sc.Text())
		if len(w) == 3 && strings.HasPrefix(w[0], ".") {
			n, err := strconv.ParseUint(w[1], 0, 64)
			require.NoError(t, err)
			out = append(out, SectionSize{Name: w[0], Size: n})
		}
	}
	return out
}

// TestSmallMaps reads the maps gen.sh makes (GNU ld and ld.lld linking the
// same objects) and checks them against each other, against `size -A` and
// against the linker script's MEMORY.
func TestSmallMaps(t *testing.T) {
	gnu := parseFile(t, "testdata/small-gnu.map", Options{})
	lld := parseFile(t, "testdata/small-lld.map", Options{})
	assert.Empty(t, CrossCheck(gnu, sizeA(t, "testdata/small-gnu.size-A.txt")))
	assert.Empty(t, CrossCheck(lld, sizeA(t, "testdata/small-lld.size-A.txt")))

	f, err := os.Open("testdata/small.ld")
	require.NoError(t, err)
	defer f.Close()
	script, err := LoadMemoryFromLinkerScript(f)
	require.NoError(t, err)
	assert.Equal(t, []Region{
		{Name: "FLASH", Origin: 0x08000000, Length: 16 << 10, Attributes: "xr"},
		{Name: "RAM", Origin: 0x20000000, Length: 4 << 10, Attributes: "xrw"},
	}, gnu.Regions)
	assert.Equal(t, []Region{
		{Name: "FLASH", Origin: 0x08000000, Length: 16 << 10, Attributes: "rx"},
		{Name: "RAM", Origin: 0x20000000, Length: 4 << 10, Attributes: "rwx"},
	}, script)

	// The archive reason, on one line in this map.
	assert.Equal(t, []ArchiveReason{{Archive: "libsmall.a", Member: "lib.o", By: "main.o", Symbol: "from_archive"}}, gnu.ArchiveReasons)
	// --gc-sections removed the unused function (wrapped name) and global.
	var discarded []string
	for _, d := range gnu.Discarded {
		if d.Size > 0 && strings.HasPrefix(d.Section, ".text") {
			discarded = append(discarded, d.Section)
		}
	}
	assert.Equal(t, []string{".text.a_very_long_function_section_name_that_wraps_in_the_map", ".text.unused_global"}, discarded)

	for _, m := range []*Map{gnu, lld} {
		text := m.OutputSections[0]
		require.Equal(t, ".text", text.Name)
		assert.Equal(t, uint64(0x50), text.Size)
		var objects []string
		for _, in := range text.Inputs {
			objects = append(objects, in.Object+"|"+in.Section)
		}
		fill := "*fill*"
		assert.Equal(t, []string{"main.o|.text.Reset_Handler", "dir with space/helper.o|.text.helper",
			"libsmall.a(lib.o)|.text.from_archive", "|LONG", "|" + fill}, objects, m.Format)
		assert.Equal(t, "lib.o", text.Inputs[2].Member)
		assert.Equal(t, "libsmall.a", text.Inputs[2].Archive)
		assert.Equal(t, []Contribution{
			{OutputSection: ".text", Object: "main.o", Size: 0x3c},
			{OutputSection: ".text", Object: "dir with space/helper.o", Size: 4},
			{OutputSection: ".text", Object: "libsmall.a(lib.o)", Archive: "libsmall.a", Member: "lib.o", Size: 4},
			{OutputSection: ".text", Fill: true, Section: "LONG", Size: 4},
			{OutputSection: ".text", Fill: true, Section: "*fill*", Size: 8},
		}, text.Contributions())

		// COMMON symbols: one input section in GNU ld, one per symbol in lld.
		var bss OutputSection
		for _, o := range m.OutputSections {
			if o.Name == ".bss" {
				bss = o
			}
		}
		var common uint64
		var names []string
		for _, in := range bss.Inputs {
			assert.Equal(t, "COMMON", in.Section)
			common += in.Size
			for _, s := range in.Symbols {
				names = append(names, s.Name)
			}
		}
		assert.Equal(t, uint64(0x2c), common)
		assert.ElementsMatch(t, []string{"common_buf", "common_counter"}, names)

		// FLASH: .text 0x50 + .data's initialiser 4. RAM: .data 4, .bss 0x2c,
		// .noinit 4. GNU ld gives the NOLOAD .bss and .noinit load
		// addresses in FLASH; they must not count there.
		u := Usage(script, m.OutputSections, nil)
		assert.Equal(t, uint64(0x54), u[0].Used, m.Format)
		assert.Equal(t, uint64(0x34), u[1].Used, m.Format)
		// ld --print-memory-usage on this link: FLASH 84 B, RAM 52 B.
		assert.Equal(t, []uint64{84, 52}, []uint64{u[0].HighWater, u[1].HighWater}, m.Format)
		assert.Equal(t, []string{".text", ".data"}, u[0].Sections)
	}
}

// TestCrossCheckReportsMismatches pairs the base build's map with the
// bigmodel variant's ELF, whose model (in .rodata) is larger.
func TestCrossCheckReportsMismatches(t *testing.T) {
	m := parseFile(t, fw+"/cortex-m4f/firmware.map", Options{})
	_, secs := elfSections(t, fw+"/variants/bigmodel/firmware.elf")
	got := CrossCheck(m, secs)
	require.NotEmpty(t, got)
	assert.Equal(t, Mismatch{Section: ".rodata", MapSize: 0x118c, ELFSize: 0x506c, InMap: true, InELF: true}, got[0])
	assert.Equal(t, "section .rodata: map says 4492 bytes, ELF 20588", got[0].String())
	for _, mm := range got {
		assert.True(t, mm.InMap && mm.InELF, mm.String())
	}
}

func TestDiscardedByObject(t *testing.T) {
	m := parseFile(t, "testdata/small-gnu.map", Options{})
	// .text.a_very_long... (4, inlined into its caller), .text.unused_global
	// (6) and .bss.keep (4) from main.o; .comment and .ARM.attributes are
	// not counted, nor empty sections.
	assert.Equal(t, []DiscardedSize{{Object: "main.o", Sections: 3, Size: 4 + 6 + 4}}, m.DiscardedByObject())
}
