package x86

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

// The expected listings in testdata/*.txt are reduced by gen.sh from
// objdump -d -z -M intel; objdumptest reads them.

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
			f, lines := objdumptest.Open(t, c.elf, c.expected, "sh isa/x86/testdata/gen.sh")
			s := compareObjdump(t, f, lines)
			t.Logf("%s: %d instructions (%d by the fast path), %d direct targets, RIP-relative refs: %d agree, %d stores; %d absolute refs objdump does not comment",
				filepath.Base(c.elf), s.insts, s.fast, s.targets, s.refsBoth, s.stores, s.refsOurs)
		})
	}
}

func compareObjdump(t *testing.T, f *elf.File, lines []objdumptest.Line) objdumpStats {
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
			require.Equal(t, want.Addr, pc, "instruction boundary")
			b := code[pc-sec.Addr:]
			inst, err := d.Decode(b, pc)
			require.NoError(t, err, "at %#x (objdump: %s)", pc, want.Mnemonic)
			require.Equal(t, want.Len, inst.Len, "length at %#x (%s)", pc, want.Mnemonic)
			s.insts++
			var dd decoded
			if decodeFast(b, &dd) {
				s.fast++
			}
			assert.True(t, sameMnemonic(inst.Op, want.Mnemonic, b[:inst.Len]), "mnemonic at %#x: ours %s, objdump %s", pc, inst.Op, want.Mnemonic)
			direct := inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
			if want.HasTarget {
				s.targets++
				assert.True(t, direct, "flow %v at %#x, objdump has target %#x", inst.Flow, pc, want.Target)
				assert.Equal(t, want.Target, inst.Target, "target at %#x", pc)
			} else {
				assert.False(t, direct, "flow %v at %#x without an objdump target", inst.Flow, pc)
			}
			switch {
			case want.HasRef && inst.RefKind == isa.RefNone:
				// objdump comments every RIP-relative operand, also
				// one that is only written.
				assert.True(t, want.MemFirst && isStore(inst.Op), "no reference at %#x (%s), objdump has %#x", pc, inst.Op, want.Ref)
				s.stores++
			case want.HasRef:
				s.refsBoth++
				assert.Equal(t, want.Ref, inst.Ref, "reference at %#x (%s)", pc, inst.Op)
			case inst.RefKind != isa.RefNone:
				s.refsOurs++ // an absolute address: ds:0x402008, movabs
			}
			pc += uint64(inst.Len)
		}
	}
	require.Equal(t, len(lines), i, "objdump has instructions past the executable sections")
	return s
}
