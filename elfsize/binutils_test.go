package elfsize

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
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
