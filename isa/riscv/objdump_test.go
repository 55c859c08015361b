package riscv

import (
	"debug/elf"
	"path/filepath"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/internal/objdumptest"
	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// isData reports whether l is data objdump printed inside code (.word,
// .short, ...). The listings are reduced by gen.sh from
// riscv64-unknown-elf-objdump -d -z -M no-aliases.
func isData(l objdumptest.Line) bool { return strings.HasPrefix(l.Mnemonic, ".") }

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
			f, lines := objdumptest.Open(t, c.elf, c.expected, "sh isa/riscv/testdata/gen.sh")
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

func compareObjdump(t *testing.T, f *elf.File, lines []objdumptest.Line) objdumpStats {
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
			if isData(want) {
				// objdump resynchronises after data; so do we.
				s.data++
				pc = want.Addr + uint64(want.Len)
				d.Reset()
				continue
			}
			require.Equal(t, want.Addr, pc, "instruction boundary")
			if funcs[pc] {
				d.Reset()
			}
			inst, err := d.Decode(code[pc-sec.Addr:], pc)
			require.NoError(t, err, "at %#x (objdump: %s)", pc, want.Mnemonic)
			s.insts++
			if inst.Len == 2 {
				s.compressed++
			}
			require.Equal(t, want.Len, inst.Len, "length at %#x (%s)", pc, want.Mnemonic)
			op := inst.Op
			if a, ok := mnemonicAliases[op]; ok {
				op = a
			}
			assert.Equal(t, want.Mnemonic, op, "mnemonic at %#x", pc)
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
func checkTarget(t *testing.T, want objdumptest.Line, inst isa.Inst, s *objdumpStats) {
	direct := inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
	if want.HasTarget {
		s.targets++
		assert.True(t, direct, "flow %v at %#x, objdump has target %#x", inst.Flow, want.Addr, want.Target)
		assert.Equal(t, want.Target, inst.Target, "target at %#x", want.Addr)
		return
	}
	if want.Mnemonic != "jalr" {
		assert.False(t, direct, "flow %v at %#x without an objdump target", inst.Flow, want.Addr)
	}
}

// checkRef compares the address an instruction forms or loads (or a JALR's
// target) with objdump's comment. objdump forgets an AUIPC/LUI value at its
// first use and prints nothing for compressed loads and JR/JALR, so the
// decoder may find more; but when both give an address it must be the same.
func checkRef(t *testing.T, want objdumptest.Line, inst isa.Inst, s *objdumpStats) {
	if isStore(want.Mnemonic) {
		assert.Equal(t, isa.RefNone, inst.RefKind, "ref of store at %#x", want.Addr)
		return
	}
	var ours uint64
	var has bool
	switch {
	case inst.RefKind != isa.RefNone:
		ours, has = inst.Ref, true
	case want.Mnemonic == "jalr" && inst.Flow != isa.FlowIndirectCall && inst.Flow != isa.FlowIndirectJump && inst.Flow != isa.FlowReturn:
		ours, has = inst.Target, true
	}
	switch {
	case has && want.HasRef:
		s.refsBoth++
		assert.Equal(t, want.Ref, ours, "address at %#x (%s)", want.Addr, want.Mnemonic)
	case has:
		s.refsOurs++
	case want.HasRef:
		s.refsObjdump++
		t.Logf("objdump only: %#x %s # %#x", want.Addr, want.Mnemonic, want.Ref)
	}
}

func isStore(mnemonic string) bool {
	switch mnemonic {
	case "sb", "sh", "sw", "fsw", "fsd", "c.sw", "c.swsp", "c.fsw", "c.fswsp", "c.fsd", "c.fsdsp":
		return true
	}
	return false
}
