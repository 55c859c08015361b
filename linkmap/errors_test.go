package linkmap

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const smallGNU = `Memory Configuration

Name             Origin             Length             Attributes
FLASH            0x08000000         0x00100000         xr
*default*        0x00000000         0xffffffff

Linker script and memory map

.text           0x08000000       0x10
 .text          0x08000000        0xc my dir/main with space.o
                0x08000000                main
 *fill*         0x0800000c        0x4 ff
this line is garbage
`

func TestErrorNamesFileAndLine(t *testing.T) {
	_, err := Parse(strings.NewReader(smallGNU), "fw.map", Options{})
	require.Error(t, err)
	assert.Equal(t, "fw.map:13: unrecognised top-level line", err.Error())
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, 13, pe.Line)
}

func TestLenientSkips(t *testing.T) {
	m, err := Parse(strings.NewReader(smallGNU), "fw.map", Options{Lenient: true})
	require.NoError(t, err)
	assert.Equal(t, 1, m.SkippedLines)
	require.Len(t, m.OutputSections, 1)
	assert.Equal(t, []InputSection{
		{Section: ".text", Addr: 0x08000000, Size: 0xc, Object: "my dir/main with space.o", Symbols: []Symbol{{Name: "main", Addr: 0x08000000}}},
		{Section: "*fill*", Addr: 0x0800000c, Size: 4, Fill: true},
	}, m.OutputSections[0].Inputs)
}

func TestNotAMap(t *testing.T) {
	for _, in := range []string{"", "\n\n", "\x7fELF\x01\x01", "hello world\n"} {
		_, err := Parse(strings.NewReader(in), "x", Options{})
		assert.Error(t, err, "%q", in)
	}
}

func TestLoadMemoryExpressions(t *testing.T) {
	script := `/* STM32H7 */
MEMORY
{
  ITCM (xrw)  : ORIGIN = 0x00000000, LENGTH = 64K   // tightly coupled
  FLASH (rx)  : org = 0x08000000, len = 2M - 128K
  DTCM (rw)   : o = 0x20000000, l = 0x20000
  RAM_D1 (xrw): ORIGIN = ORIGIN(DTCM) + LENGTH(DTCM) * 2, LENGTH = (512 * 1024)
}
SECTIONS { .text : { *(.text) } > FLASH }
`
	got, err := LoadMemoryFromLinkerScript(strings.NewReader(script))
	require.NoError(t, err)
	assert.Equal(t, []Region{
		{Name: "ITCM", Origin: 0, Length: 64 << 10, Attributes: "xrw"},
		{Name: "FLASH", Origin: 0x08000000, Length: 2<<20 - 128<<10, Attributes: "rx"},
		{Name: "DTCM", Origin: 0x20000000, Length: 0x20000, Attributes: "rw"},
		{Name: "RAM_D1", Origin: 0x20040000, Length: 512 << 10, Attributes: "xrw"},
	}, got)

	for _, bad := range []string{"MEMORY { FLASH : ORIGIN = 0x0 }", "MEMORY { A : ORIGIN = ORIGIN(B), LENGTH = 1 }",
		"MEMORY { A : ORIGIN = 1/0, LENGTH = 1 }", "MEMORY { A : ORIGIN = 0x1, LENGTH = 99999999999999999999 }"} {
		_, err := LoadMemoryFromLinkerScript(strings.NewReader(bad))
		assert.Error(t, err, bad)
	}
}

func TestParseRegion(t *testing.T) {
	r, err := ParseRegion("CCMRAM=0x10000000:64K")
	require.NoError(t, err)
	assert.Equal(t, Region{Name: "CCMRAM", Origin: 0x10000000, Length: 64 << 10}, r)
	for _, bad := range []string{"CCMRAM", "=1:2", "A=x:1", "A=1:1Q"} {
		_, err := ParseRegion(bad)
		assert.Error(t, err, bad)
	}
}
