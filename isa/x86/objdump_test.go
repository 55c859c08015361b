package x86

import (
	"bufio"
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// objdumpLine is one instruction of testdata/*.txt, reduced by gen.sh from
// objdump -d -z -M intel.
type objdumpLine struct {
	addr      uint64
	len       int
	mnemonic  string
	target    uint64 // direct branch/call target operand (hasTarget)
	hasTarget bool
	ref       uint64 // "# <address>" comment of a RIP-relative operand (hasRef)
	hasRef    bool
	memFirst  bool // the first operand is memory
}

func readObjdump(t *testing.T, path string) (sum string, lines []objdumpLine) {
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
		var l objdumpLine
		l.addr, err = strconv.ParseUint(fields[0], 16, 64)
		require.NoError(t, err)
		l.len, err = strconv.Atoi(fields[1])
		require.NoError(t, err)
		l.mnemonic = fields[2]
		for _, f := range fields[3:] {
			if f == "m" {
				l.memFirst = true
				continue
			}
			v, err := strconv.ParseUint(f[2:], 16, 64)
			require.NoError(t, err, "%s: %q", path, sc.Text())
			switch f[:2] {
			case "t=":
				l.target, l.hasTarget = v, true
			case "r=":
				l.ref, l.hasRef = v, true
			}
		}
		lines = append(lines, l)
	}
	require.NoError(t, sc.Err())
	return sum, lines
}

// objdumpNames maps objdump's mnemonic to ours where they differ.
var objdumpNames = map[string]string{
	"movabs": "mov",
	"int3":   "int",
	"pushf":  "pushfq",
	"popf":   "popfq",
	"retfq":  "lret",
	"xlat":   "xlatb",
}

// sameMnemonic compares our mnemonic with objdump's for the instruction
// bytes b.
func sameMnemonic(ours, objdump string, b []byte) bool {
	if n, ok := objdumpNames[objdump]; ok {
		objdump = n
	}
	switch {
	case ours == objdump:
		return true
	case objdump == "xchg" && ours == "nop":
		return b[len(b)-1] == 0x90 // xchg ax, ax is x86asm's nop
	}
	// String instructions: objdump's movs, stos, ... have the operand size
	// in their operands, x86asm's in the name (movsb, stosq, ...).
	switch objdump {
	case "movs", "cmps", "stos", "lods", "scas", "ins", "outs":
		return len(ours) == len(objdump)+1 && strings.HasPrefix(ours, objdump)
	}
	return false
}

type objdumpStats struct {
	insts, fast, targets, refsBoth, refsOurs, stores int
}

var objdumpCases = []struct{ name, elf, expected string }{
	{"host-x86_64 firmware", hostFirmware, "testdata/host-x86_64.txt"},
	{"forms", "testdata/forms.elf", "testdata/forms.txt"},
	{"prog non-PIE", "testdata/prog-nopie.elf", "testdata/prog-nopie.txt"},
	{"prog PIE", "testdata/prog-pie.elf", "testdata/prog-pie.txt"},
	{"prog -O0", "testdata/prog-O0.elf", "testdata/prog-O0.txt"},
}

// TestObjdump decodes every executable section of each test ELF linearly
// from its start and compares each instruction with objdump's: the same
// boundaries and lengths, the same mnemonic, the same direct targets, and
// the same RIP-relative addresses.
func TestObjdump(t *testing.T) {
	for _, c := range objdumpCases {
		t.Run(c.name, func(t *testing.T) {
			sum, lines := readObjdump(t, c.expected)
			raw, err := os.ReadFile(c.elf)
			require.NoError(t, err)
			got := sha256.Sum256(raw)
			require.Equal(t, sum, hex.EncodeToString(got[:]),
				"%s changed since %s was generated: run sh isa/x86/testdata/gen.sh", c.elf, c.expected)
			f, err := elf.Open(c.elf)
			require.NoError(t, err)
			defer f.Close()
			s := compareObjdump(t, f, lines)
			t.Logf("%s: %d instructions (%d by the fast path), %d direct targets, RIP-relative refs: %d agree, %d stores; %d absolute refs objdump does not comment",
				filepath.Base(c.elf), s.insts, s.fast, s.targets, s.refsBoth, s.stores, s.refsOurs)
		})
	}
}

func compareObjdump(t *testing.T, f *elf.File, lines []objdumpLine) objdumpStats {
	var s objdumpStats
	d := NewDecoder()
	i := 0
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type != elf.SHT_PROGBITS {
			continue
		}
		code, err := sec.Data()
		require.NoError(t, err)
		for pc := sec.Addr; pc < sec.Addr+uint64(len(code)); {
			require.Less(t, i, len(lines), "decoded past objdump's last line at %#x", pc)
			want := lines[i]
			i++
			require.Equal(t, want.addr, pc, "instruction boundary")
			b := code[pc-sec.Addr:]
			inst, err := d.Decode(b, pc)
			require.NoError(t, err, "at %#x (objdump: %s)", pc, want.mnemonic)
			require.Equal(t, want.len, inst.Len, "length at %#x (%s)", pc, want.mnemonic)
			s.insts++
			var dd decoded
			if decodeFast(b, &dd) {
				s.fast++
			}
			assert.True(t, sameMnemonic(inst.Op, want.mnemonic, b[:inst.Len]), "mnemonic at %#x: ours %s, objdump %s", pc, inst.Op, want.mnemonic)
			direct := inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
			if want.hasTarget {
				s.targets++
				assert.True(t, direct, "flow %v at %#x, objdump has target %#x", inst.Flow, pc, want.target)
				assert.Equal(t, want.target, inst.Target, "target at %#x", pc)
			} else {
				assert.False(t, direct, "flow %v at %#x without an objdump target", inst.Flow, pc)
			}
			switch {
			case want.hasRef && inst.RefKind == isa.RefNone:
				// objdump comments every RIP-relative operand, also
				// one that is only written.
				assert.True(t, want.memFirst && isStore(inst.Op), "no reference at %#x (%s), objdump has %#x", pc, inst.Op, want.ref)
				s.stores++
			case want.hasRef:
				s.refsBoth++
				assert.Equal(t, want.ref, inst.Ref, "reference at %#x (%s)", pc, inst.Op)
			case inst.RefKind != isa.RefNone:
				s.refsOurs++ // an absolute address: ds:0x402008, movabs
			}
			pc += uint64(inst.Len)
		}
	}
	require.Equal(t, len(lines), i, "objdump has instructions past the executable sections")
	return s
}
