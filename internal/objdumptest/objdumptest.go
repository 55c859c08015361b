// Package objdumptest reads the reduced objdump listings the ISA decoders'
// tests compare against (isa/*/testdata/*.txt, written by gen.sh) and
// checks that each listing still matches the ELF it was generated from.
package objdumptest

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// Line is one instruction of a reduced listing: address, length, mnemonic,
// then optional fields "t=<hex>" (direct target operand), "r=<hex>"
// ("# <address>" comment) and "m" (the first operand is memory).
type Line struct {
	Addr      uint64
	Len       int
	Mnemonic  string
	Target    uint64 // direct branch/jump/call target operand (HasTarget)
	HasTarget bool
	Ref       uint64 // "# <address>" comment (HasRef)
	HasRef    bool
	MemFirst  bool // the first operand is memory
}

// Read reads an expected file: the ELF's SHA-256, then one line per
// instruction.
func Read(t *testing.T, path string) (sum string, lines []Line) {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	require.True(t, sc.Scan(), "%s: empty", path)
	sum = sc.Text()
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		require.GreaterOrEqual(t, len(fields), 3, "%s: %q", path, sc.Text())
		var l Line
		l.Addr, err = strconv.ParseUint(fields[0], 16, 64)
		require.NoError(t, err)
		l.Len, err = strconv.Atoi(fields[1])
		require.NoError(t, err)
		l.Mnemonic = fields[2]
		for _, f := range fields[3:] {
			if f == "m" {
				l.MemFirst = true
				continue
			}
			v, err := strconv.ParseUint(f[2:], 16, 64)
			require.NoError(t, err, "%s: %q", path, sc.Text())
			switch f[:2] {
			case "t=":
				l.Target, l.HasTarget = v, true
			case "r=":
				l.Ref, l.HasRef = v, true
			}
		}
		lines = append(lines, l)
	}
	require.NoError(t, sc.Err())
	return sum, lines
}

// Open reads the listing expected and opens the ELF it was generated from,
// failing when the ELF's SHA-256 no longer matches the listing's (gen is the
// command that regenerates it). The file is closed when the test ends.
func Open(t *testing.T, elfPath, expected, gen string) (*elf.File, []Line) {
	t.Helper()
	sum, lines := Read(t, expected)
	raw, err := os.ReadFile(elfPath)
	require.NoError(t, err)
	got := sha256.Sum256(raw)
	require.Equal(t, sum, hex.EncodeToString(got[:]),
		"%s changed since %s was generated: run %s", elfPath, expected, gen)
	f, err := elf.Open(elfPath)
	require.NoError(t, err)
	t.Cleanup(func() { f.Close() })
	return f, lines
}
