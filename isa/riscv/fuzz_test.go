package riscv

import (
	"debug/elf"
	"errors"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
	"golang.org/x/arch/riscv64/riscv64asm"
)

// FuzzDecode decodes arbitrary bytes as a run of code: Decode must not
// panic, must return a length it can skip, and must agree with riscv64asm
// on the validity and mnemonic of every 32-bit instruction whose encoding
// RV32 and RV64 share.
func FuzzDecode(f *testing.F) {
	for _, seed := range [][]byte{
		{0x97, 0x05, 0x00, 0x60, 0x03, 0xa6, 0x85, 0xf7}, // auipc a1; lw a2,-136(a1)
		{0x41, 0x11, 0x06, 0xc6, 0x82, 0x80},             // c.addi sp,-16; c.swsp ra,12(sp); c.jr ra
		{0xef, 0x00, 0x20, 0x09, 0x73, 0x00, 0x20, 0x30}, // jal ra; mret
		{0x00, 0x00, 0xff, 0xff, 0xff, 0xff},             // c.unimp; all ones
		{0x1f, 0x00},                                     // a truncated 48-bit encoding
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code []byte) {
		d := NewDecoder()
		for pc := 0; pc < len(code); {
			inst, err := d.Decode(code[pc:], uint64(0x20000000+pc))
			if err != nil {
				require.True(t, errors.Is(err, errUnknown) || errors.Is(err, isa.ErrTruncated), "%v", err)
			} else {
				require.Contains(t, []int{2, 4}, inst.Len)
				require.NotEmpty(t, inst.Op)
			}
			require.Positive(t, inst.Len)
			require.LessOrEqual(t, inst.Len, len(code)-pc)
			if inst.Len == 4 {
				compareRiscv64asm(t, code[pc:pc+4], inst, err)
			}
			pc += inst.Len
		}
	})
}

// compareRiscv64asm checks a 32-bit decode against riscv64asm where the
// two ISAs agree: an instruction we accept, riscv64asm knows (unless it is
// one riscv64asm lacks, the privileged SYSTEM ones), by the same name.
func compareRiscv64asm(t *testing.T, b []byte, inst isa.Inst, err error) {
	ref, refErr := riscv64asm.Decode(b)
	if err != nil || refErr != nil {
		if err == nil {
			switch inst.Op {
			case "uret", "sret", "mret", "dret", "wfi", "sfence.vma":
			default:
				t.Fatalf("% x: we decode %s, riscv64asm fails: %v", b, inst.Op, refErr)
			}
		}
		return
	}
	switch {
	case inst.Op == "unimp":
		require.Equal(t, riscv64asm.CSRRW, ref.Op)
	default:
		require.Equal(t, opNames[ref.Op], inst.Op, "% x", b)
	}
}

// BenchmarkDecode decodes the .text of the rv32imc firmware linearly (MB/s
// is bytes of code decoded per second).
func BenchmarkDecode(b *testing.B) {
	f, err := elf.Open("../../testdata/firmware/out/rv32imc/firmware.elf")
	require.NoError(b, err)
	defer f.Close()
	code, err := f.Section(".text").Data()
	require.NoError(b, err)
	d := NewDecoder()
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		d.Reset()
		for pc := 0; pc < len(code); {
			inst, _ := d.Decode(code[pc:], uint64(pc))
			pc += inst.Len
		}
	}
}

// TestAgainstRiscv64asm compares the 32-bit decoder with riscv64asm over
// every combination of the fields that select an instruction (major opcode,
// funct3, funct7, and for OP-FP and OP-IMM the rs2 field), with
// fixed rd and rs1: both must accept the same instructions, by the same
// name, except those only RV64 has.
func TestAgainstRiscv64asm(t *testing.T) {
	accepted := 0
	for major := uint32(0); major < 32; major++ {
		if major&7 == 7 {
			continue // 48-bit and longer encodings
		}
		for f3 := uint32(0); f3 < 8; f3++ {
			for f7 := uint32(0); f7 < 128; f7++ {
				rs2s := []uint32{5}
				if major<<2|3 == opOpImm || major<<2|3 == 0x53 { // rs2 selects OP-FP conversions, Zbb unary ops
					rs2s = []uint32{0, 1, 2, 3, 4, 5, 31}
				}
				for _, rs2 := range rs2s {
					x := f7<<25 | rs2<<20 | 11<<15 | f3<<12 | 10<<7 | major<<2 | 3
					b := enc(4, x)
					inst, err := NewDecoder().Decode(b, 0x1000)
					compareRiscv64asm(t, b, inst, err)
					if err == nil {
						accepted++
						continue
					}
					ref, refErr := riscv64asm.Decode(b)
					if refErr != nil {
						continue
					}
					rv64 := rv64Only(ref.Op) || major<<2|3 == opImm32 || major<<2|3 == opOp32 ||
						ref.Op == riscv64asm.LD || ref.Op == riscv64asm.SD || ref.Op == riscv64asm.LWU ||
						major<<2|3 == opOpImm && (f3 == 1 || f3 == 5) && f7&1 != 0
					require.True(t, rv64, "%#08x: riscv64asm decodes %v, we fail: %v", x, ref.Op, err)
				}
			}
		}
	}
	t.Logf("%d encodings accepted", accepted)
}
