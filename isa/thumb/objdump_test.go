package thumb

import (
	"bufio"
	"compress/gzip"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// conds are the condition suffixes objdump adds to conditional branches,
// to VSEL and to instructions in IT blocks.
var conds = []string{"eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc", "hi", "ls", "ge", "lt", "gt", "le", "al", "hs", "lo"}

// sameMnemonic reports whether objdump's mnemonic (as printed: "beq.n",
// "addseq.w", "vadd.f32", "ittet", "vldrbt.u8") is our base mnemonic op.
// objdump adds, after the base: "s" for flag setting; a condition in IT
// blocks and on conditional branches; "t"/"e" in VPT blocks (vpt says
// whether the instruction is in one); the T/E pattern of IT, VPT and VPST;
// and a "."-suffix for the width or the data type.
func sameMnemonic(op, objdump string, vpt bool) bool {
	base, _, _ := strings.Cut(strings.TrimSuffix(objdump, "!"), ".")
	if base == op {
		return true
	}
	rest, ok := strings.CutPrefix(base, op)
	if !ok {
		return aliasMnemonic(op, base)
	}
	switch op {
	case "it", "vpt", "vpst":
		return strings.Trim(rest, "te") == "" && len(rest) <= 3
	}
	if vpt && (rest == "t" || rest == "e") {
		return true
	}
	rest = strings.TrimPrefix(rest, "s")
	if rest == "" {
		return true
	}
	for _, c := range conds {
		if rest == c || rest == c+"s" {
			return true
		}
	}
	return false
}

// aliases are the mnemonics objdump prints for an instruction where the
// decoder gives another name of the same instruction: ADR is shown as
// ADD/SUB of the PC (T1, and T2/T3 as ADDW/SUBW); the SEVL hint of
// A-profile is an unallocated hint, so a NOP, in M-profile.
var aliases = map[string][]string{
	"adr": {"add", "addw", "sub", "subw"},
	"nop": {"sevl"}, // an A-profile hint, a NOP in M-profile
}

func aliasMnemonic(op, base string) bool {
	for _, a := range aliases[op] {
		if base == a {
			return true
		}
	}
	return false
}

func TestSameMnemonic(t *testing.T) {
	for _, c := range []struct {
		op, objdump string
		vpt, want   bool
	}{
		{"b", "beq.n", false, true},
		{"b", "b.w", false, true},
		{"add", "addseq.w", false, true},
		{"add", "addeq", false, true},
		{"mov", "movs", false, true},
		{"it", "ittet", false, true},
		{"vpst", "vpstt", false, true},
		{"vldrb", "vldrbt.u8", true, true},
		{"vldrb", "vldrbt.u8", false, false},
		{"vsel", "vselge.f32", false, true},
		{"adr", "add", false, true},
		{"bl", "blx", false, false},
		{"b", "bl", false, false},
		{"ldr", "ldrb.w", false, false},
		{"vcvt", "vcvtt.f16.f32", false, false},
	} {
		require.Equal(t, c.want, sameMnemonic(c.op, c.objdump, c.vpt), "%s vs %s", c.op, c.objdump)
	}
}

// readLines returns the lines of a text file, gunzipped when it ends in
// .gz, without comment lines.
func readLines(t *testing.T, path string) []string {
	t.Helper()
	var lines []string
	for _, l := range readLinesRaw(t, path) {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	return lines
}

// readLinesRaw returns the non-empty lines of a text file, gunzipped when
// it ends in .gz.
func readLinesRaw(t *testing.T, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	require.NoError(t, err)
	defer f.Close()
	var sc *bufio.Scanner
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		require.NoError(t, err)
		defer zr.Close()
		sc = bufio.NewScanner(zr)
	} else {
		sc = bufio.NewScanner(f)
	}
	var lines []string
	for sc.Scan() {
		if l := sc.Text(); l != "" {
			lines = append(lines, l)
		}
	}
	require.NoError(t, sc.Err())
	return lines
}
