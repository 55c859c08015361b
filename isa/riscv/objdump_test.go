package riscv

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
// riscv64-unknown-elf-objdump -d -z -M no-aliases.
type objdumpLine struct {
	addr      uint64
	len       int
	mnemonic  string
	target    uint64 // direct branch/jump target operand (hasTarget)
	hasTarget bool
	ref       uint64 // "# <address>" comment (hasRef)
	hasRef    bool
}

func (l objdumpLine) isData() bool { return strings.HasPrefix(l.mnemonic, ".") }

// readObjdump reads an expected file: the ELF's SHA-256, then one line per
// instruction.
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

// mnemonicAliases maps our Op to objdump's no-aliases mnemonic where they
// differ.
var mnemonicAliases = map[string]string{
	"c.nop": "c.addi", // objdump prints the c.nop encoding as "c.addi zero,0"
}

// objdumpCase is one ELF compared against its reduced objdump output.
type objdumpCase struct {
	name, elf, expected string
	// objdumpOnlyRefs is the number of address comments objdump prints that
	// the decoder does not give. objdump keeps an AUIPC/LUI value until its
	// first use, across function boundaries and after other instructions
	// overwrote the register ("addi a0,a0,-1 # ffffff" after "andi a0,...");
	// the decoder forgets it on any write and at each function. Each of
	// these was checked to be such a stale value when the counts were set.
	objdumpOnlyRefs int
}

var objdumpCases = []objdumpCase{
	{"rv32imc firmware", "../../testdata/firmware/out/rv32imc/firmware.elf", "testdata/rv32imc.txt", 57},
	{"fd relaxed", "testdata/fd.elf", "testdata/fd.txt", 0},
	{"fd norelax", "testdata/fd-norelax.elf", "testdata/fd-norelax.txt", 0},
	{"fd medlow", "testdata/fd-medlow.elf", "testdata/fd-medlow.txt", 0},
	{"forms", "testdata/forms.elf", "testdata/forms.txt", 2},
}

// TestObjdump decodes every executable section of each test ELF linearly
// from its start and compares each instruction with objdump's: the same
// boundaries and lengths, the same mnemonic, the same direct targets, and the
// same addresses for AUIPC/LUI/gp pairs.
func TestObjdump(t *testing.T) {
	for _, c := range objdumpCases {
		t.Run(c.name, func(t *testing.T) {
			sum, lines := readObjdump(t, c.expected)
			raw, err := os.ReadFile(c.elf)
			require.NoError(t, err)
			got := sha256.Sum256(raw)
			require.Equal(t, sum, hex.EncodeToString(got[:]),
				"%s changed since %s was generated: run sh isa/riscv/testdata/gen.sh", c.elf, c.expected)
			f, err := elf.Open(c.elf)
			require.NoError(t, err)
			defer f.Close()
			s := compareObjdump(t, f, lines)
			t.Logf("%s: %d instructions (%d compressed), %d data items skipped, %d direct targets, refs: %d agree, %d only ours, %d only objdump",
				filepath.Base(c.elf), s.insts, s.compressed, s.data, s.targets, s.refsBoth, s.refsOurs, s.refsObjdump)
			assert.Equal(t, c.objdumpOnlyRefs, s.refsObjdump, "address comments objdump prints that the decoder does not give")
		})
	}
}

type objdumpStats struct {
	insts, compressed, data, targets int
	refsBoth, refsOurs, refsObjdump  int
}

func compareObjdump(t *testing.T, f *elf.File, lines []objdumpLine) objdumpStats {
	var s objdumpStats
	d := NewDecoder()
	funcs := map[uint64]bool{}
	syms, err := f.Symbols()
	require.NoError(t, err)
	for _, sym := range syms {
		switch {
		case sym.Name == "__global_pointer$":
			d.SetGlobalPointer(sym.Value)
		case elf.ST_TYPE(sym.Info) == elf.STT_FUNC:
			funcs[sym.Value] = true
		}
	}
	i := 0
	for _, sec := range f.Sections {
		if sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Type != elf.SHT_PROGBITS {
			continue
		}
		code, err := sec.Data()
		require.NoError(t, err)
		d.Reset()
		for pc := sec.Addr; pc < sec.Addr+uint64(len(code)); {
			require.Less(t, i, len(lines), "decoded past objdump's last line at %#x", pc)
			want := lines[i]
			i++
			if want.isData() {
				// objdump resynchronises after data; so do we.
				s.data++
				pc = want.addr + uint64(want.len)
				d.Reset()
				continue
			}
			require.Equal(t, want.addr, pc, "instruction boundary")
			if funcs[pc] {
				d.Reset()
			}
			inst, err := d.Decode(code[pc-sec.Addr:], pc)
			require.NoError(t, err, "at %#x (objdump: %s)", pc, want.mnemonic)
			s.insts++
			if inst.Len == 2 {
				s.compressed++
			}
			require.Equal(t, want.len, inst.Len, "length at %#x (%s)", pc, want.mnemonic)
			op := inst.Op
			if a, ok := mnemonicAliases[op]; ok {
				op = a
			}
			assert.Equal(t, want.mnemonic, op, "mnemonic at %#x", pc)
			checkTarget(t, want, inst, &s)
			checkRef(t, want, inst, &s)
			pc += uint64(inst.Len)
		}
	}
	require.Equal(t, len(lines), i, "objdump has instructions past the executable sections")
	return s
}

// checkTarget compares direct targets: objdump's target operand, or for a
// JALR its address comment (an AUIPC/LUI pair or x0 base).
func checkTarget(t *testing.T, want objdumpLine, inst isa.Inst, s *objdumpStats) {
	direct := inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
	if want.hasTarget {
		s.targets++
		assert.True(t, direct, "flow %v at %#x, objdump has target %#x", inst.Flow, want.addr, want.target)
		assert.Equal(t, want.target, inst.Target, "target at %#x", want.addr)
		return
	}
	if want.mnemonic != "jalr" {
		assert.False(t, direct, "flow %v at %#x without an objdump target", inst.Flow, want.addr)
	}
}

// checkRef compares the address an instruction forms or loads (or a JALR's
// target) with objdump's comment. objdump forgets an AUIPC/LUI value at its
// first use and prints nothing for compressed loads and JR/JALR, so the
// decoder may find more; but when both give an address it must be the same.
func checkRef(t *testing.T, want objdumpLine, inst isa.Inst, s *objdumpStats) {
	if isStore(want.mnemonic) {
		assert.Equal(t, isa.RefNone, inst.RefKind, "ref of store at %#x", want.addr)
		return
	}
	var ours uint64
	var has bool
	switch {
	case inst.RefKind != isa.RefNone:
		ours, has = inst.Ref, true
	case want.mnemonic == "jalr" && inst.Flow != isa.FlowIndirectCall && inst.Flow != isa.FlowIndirectJump && inst.Flow != isa.FlowReturn:
		ours, has = inst.Target, true
	}
	switch {
	case has && want.hasRef:
		s.refsBoth++
		assert.Equal(t, want.ref, ours, "address at %#x (%s)", want.addr, want.mnemonic)
	case has:
		s.refsOurs++
	case want.hasRef:
		s.refsObjdump++
		t.Logf("objdump only: %#x %s # %#x", want.addr, want.mnemonic, want.ref)
	}
}

func isStore(mnemonic string) bool {
	switch mnemonic {
	case "sb", "sh", "sw", "fsw", "fsd", "c.sw", "c.swsp", "c.fsw", "c.fswsp", "c.fsd", "c.fsdsp":
		return true
	}
	return false
}
