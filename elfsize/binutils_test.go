package elfsize

import (
	"bufio"
	"cmp"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

// sizeARow is one section line of `size -A`.
type sizeARow struct {
	name       string
	size, addr uint64
}

// parseSizeA reads `size -A` output: the section lines and the total.
func parseSizeA(t *testing.T, text string) ([]sizeARow, uint64) {
	t.Helper()
	var rows []sizeARow
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		f := strings.Fields(sc.Text())
		if len(f) == 2 && f[0] == "Total" {
			total, err := strconv.ParseUint(f[1], 10, 64)
			require.NoError(t, err)
			return rows, total
		}
		if len(f) != 3 || f[0] == "section" {
			continue
		}
		size, err1 := strconv.ParseUint(f[1], 10, 64)
		addr, err2 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		rows = append(rows, sizeARow{f[0], size, addr})
	}
	t.Fatalf("no Total line in size -A output")
	return nil, 0
}

// parseBerkeley reads the default `size` output (one file).
func parseBerkeley(t *testing.T, text string) report.Berkeley {
	t.Helper()
	lines := strings.Split(strings.TrimSpace(text), "\n")
	require.GreaterOrEqual(t, len(lines), 2, "size output: %q", text)
	f := strings.Fields(lines[1])
	require.GreaterOrEqual(t, len(f), 3)
	var v [3]uint64
	for i := range v {
		n, err := strconv.ParseUint(f[i], 10, 64)
		require.NoError(t, err)
		v[i] = n
	}
	return report.Berkeley{Text: v[0], Data: v[1], BSS: v[2]}
}

// compareWithBinutils checks our sections and totals against binutils'
// `size` and `size -A` outputs for the same file.
func compareWithBinutils(t *testing.T, path, berkeley, sysv string) {
	t.Helper()
	rep, err := Open(path, Options{Demangle: true})
	require.NoError(t, err)
	assert.Equal(t, parseBerkeley(t, berkeley), rep.Berkeley, "Berkeley text/data/bss")
	rows, total := parseSizeA(t, sysv)
	var got []sizeARow
	var sum uint64
	for _, s := range rep.Sections {
		got = append(got, sizeARow{s.Name, s.Size, s.Addr})
		sum += s.Size
	}
	assert.Equal(t, rows, got, "size -A sections")
	assert.Equal(t, total, sum, "size -A total")
	checkCoverage(t, rep)
}

// TestCommittedBinutilsOutputs compares against the size.txt and
// size-A.txt committed beside each test firmware.
func TestCommittedBinutilsOutputs(t *testing.T) {
	elfs, _ := filepath.Glob("../testdata/firmware/out/*/*.elf")
	if len(elfs) == 0 {
		t.Skip("no test firmware under testdata/firmware/out")
	}
	for _, path := range elfs {
		dir := filepath.Dir(path)
		berkeley, err1 := os.ReadFile(filepath.Join(dir, "size.txt"))
		sysv, err2 := os.ReadFile(filepath.Join(dir, "size-A.txt"))
		if err1 != nil || err2 != nil {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			compareWithBinutils(t, path, string(berkeley), string(sysv))
			rep, err := Open(path, Options{ModelOps: TFLiteOps})
			require.NoError(t, err)
			if assert.Len(t, rep.Models, 1, "the embedded model is found") {
				m := rep.Models[0]
				assert.Equal(t, "g_model", m.Symbol)
				assert.Empty(t, m.Error)
				assert.Contains(t, m.Ops, "FULLY_CONNECTED")
			}
			if rep.Machine == "EM_X86_64" {
				return // a host program: no flash
			}
			// Microcontroller firmware: every data section's contents are
			// stored in flash (copied to RAM, or ROM-resident tables), so
			// flash is text+data; RAM is bss plus the copied sections.
			assert.Equal(t, rep.Berkeley.Text+rep.Berkeley.Data, rep.Totals.Flash, "flash")
			var copied uint64
			for _, s := range rep.Sections {
				if s.Berkeley == "data" && s.LMA != s.Addr {
					copied += s.Size
				}
			}
			assert.Equal(t, rep.Berkeley.BSS+copied, rep.Totals.RAM, "RAM")
		})
	}
}

// TestSystemELFsAgainstSize runs binutils' size on ELF files of this
// machine (executables, shared libraries, object files) when it is
// installed, to cover layouts the test firmware does not.
func TestSystemELFsAgainstSize(t *testing.T) {
	sizeBin, err := exec.LookPath("size")
	if err != nil {
		t.Skip("binutils size not installed")
	}
	candidates := []string{"/usr/bin/node", "/usr/bin/ls", "/usr/bin/git"}
	for _, pattern := range []string{"/usr/lib/x86_64-linux-gnu/libc.so.*", "/usr/lib/x86_64-linux-gnu/libstdc++.so.*",
		"/usr/lib/x86_64-linux-gnu/crt1.o", "/usr/lib/arm-none-eabi/lib/thumb/v7e-m+fp/hard/crt0.o"} {
		m, _ := filepath.Glob(pattern)
		candidates = append(candidates, m...)
	}
	ran := 0
	for _, path := range candidates {
		if st, err := os.Stat(path); err != nil || !st.Mode().IsRegular() {
			continue
		}
		bin := sizeBin
		if strings.Contains(path, "arm-none-eabi") {
			if bin, err = exec.LookPath("arm-none-eabi-size"); err != nil {
				continue
			}
		}
		berkeley, err1 := exec.Command(bin, path).Output()
		sysv, err2 := exec.Command(bin, "-A", path).Output()
		if err1 != nil || err2 != nil {
			continue
		}
		ran++
		t.Run(filepath.Base(path), func(t *testing.T) {
			compareWithBinutils(t, path, string(berkeley), string(sysv))
		})
	}
	if ran == 0 {
		t.Skip("no system ELF files found")
	}
}

// nmSymbol is one line of `nm -S -n --demangle` output (size 0 when nm
// shows none).
type nmSymbol struct {
	addr, size uint64
	kind       byte
	name       string
}

// parseNM reads `nm -S` output: "addr [size] type name" lines.
func parseNM(t *testing.T, text string) []nmSymbol {
	t.Helper()
	var out []nmSymbol
	for _, line := range strings.Split(text, "\n") {
		f := strings.SplitN(line, " ", 4)
		if len(f) >= 3 && len(f[1]) == 1 { // no size
			f = []string{f[0], "0", f[1], strings.Join(f[2:], " ")}
		}
		if len(f) != 4 || len(f[2]) != 1 {
			continue
		}
		addr, err1 := strconv.ParseUint(f[0], 16, 64)
		size, err2 := strconv.ParseUint(f[1], 16, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, nmSymbol{addr, size, f[2][0], f[3]})
	}
	return out
}

// TestCommittedNM checks the symbol pieces against binutils' nm (with
// demangling): every sized symbol nm lists starts a piece or lies inside an
// earlier symbol's piece (a nested entry point: the first claimant wins),
// and every piece named after a symbol has a symbol of that name at that
// address, with the same size when nm gives one and nothing overlaps.
func TestCommittedNM(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/firmware/out/*")
	ran := 0
	for _, dir := range dirs {
		text, err := os.ReadFile(filepath.Join(dir, "nm-demangled.txt"))
		if err != nil {
			continue
		}
		ran++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			rep, err := Open(filepath.Join(dir, "firmware.elf"), Options{Demangle: true})
			require.NoError(t, err)
			syms := parseNM(t, string(text))
			require.NotEmpty(t, syms)
			pieces := slices.Clone(rep.Pieces)
			slices.SortFunc(pieces, func(a, b report.Piece) int { return cmp.Compare(a.Addr, b.Addr) })
			named := map[string]uint64{} // "name@addr" -> size
			for _, s := range syms {
				named[s.name+"@"+strconv.FormatUint(s.addr, 16)] = s.size
				if s.size == 0 || s.kind == 'A' || s.kind == 'a' {
					continue
				}
				k := sort.Search(len(pieces), func(k int) bool { return pieces[k].Addr > s.addr }) - 1
				if k < 0 {
					continue // a TLS symbol: nm prints its offset in the TLS block
				}
				p := pieces[k]
				inside := s.addr < p.Addr+p.Size && !strings.HasPrefix(p.Symbol, "[")
				assert.True(t, inside, "nm symbol %s at %#x is not claimed by a symbol piece (%s)", s.name, s.addr, p.Symbol)
			}
			tls := map[string]bool{}
			for _, s := range rep.Sections {
				tls[s.Name] = strings.Contains(s.Flags, "T")
			}
			for _, p := range rep.Pieces {
				if strings.HasPrefix(p.Symbol, "[") || tls[p.Section] {
					continue // nm prints TLS offsets, not addresses
				}
				size, ok := named[p.Symbol+"@"+strconv.FormatUint(p.Addr, 16)]
				if assert.True(t, ok, "piece %s at %#x has no nm symbol of that name and address", p.Symbol, p.Addr) && size != 0 {
					assert.LessOrEqual(t, p.Size, size, "piece %s is larger than its symbol", p.Symbol)
				}
			}
		})
	}
	if ran == 0 {
		t.Skip("no nm outputs under testdata/firmware/out")
	}
}
