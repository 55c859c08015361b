package x86

import (
	"github.com/footprint-dev/footprint/isa"
	"golang.org/x/arch/x86/x86asm"
)

// decodeVEX decodes a VEX (C4, C5) or EVEX (62) encoded instruction. x86asm
// names it and decodes its operands, but its AVX decoder gets two things
// wrong that matter here, so this package works them out itself:
//
//   - It reads a ModRM byte for every instruction, also for VZEROUPPER and
//     VZEROALL (VEX 0F 77), which have none: "c5 f8 77 c3" (vzeroupper;
//     ret) would decode as one 4-byte instruction and hide the return.
//   - It takes ModRM mod=00 r/m=101 for an absolute address, where 64-bit
//     mode makes it RIP-relative: "vmovsd xmm0, [rip+0xe55]" would refer to
//     0xe55.
//
// The length comes from the VEX/EVEX layout (prefix, opcode, ModRM, SIB,
// displacement, and an 8-bit immediate in map 0F3A and for the 0F opcodes
// 70-73 and C2, C4-C6), checked against objdump in the tests.
func decodeVEX(code []byte, d *decoded) error {
	n, rip, disp, err := vexLayout(code)
	if err != nil {
		d.length = 1
		return err
	}
	in, xerr := x86asm.Decode(code[:n], 64)
	if xerr != nil || in.Op == 0 {
		d.length = uint8(n)
		return errUnknown
	}
	fromX86asm(&in, d)
	d.length = uint8(n)
	if rip && d.hasMem {
		d.fixed, d.ripRel, d.memAddr = true, true, uint64(disp)
	}
	return nil
}

// vexLayout returns the length of the VEX or EVEX encoded instruction at the
// start of code (code[0] is C4, C5 or 62), whether its memory operand is
// RIP-relative, and its displacement.
func vexLayout(code []byte) (n int, rip bool, disp int64, err error) {
	var mapSel byte
	switch code[0] {
	case 0xc5:
		n, mapSel = 2, 1
	case 0xc4:
		if len(code) > 1 {
			mapSel = code[1] & 0x1f
		}
		n = 3
	default: // 0x62
		if len(code) > 1 {
			mapSel = code[1] & 7
		}
		n = 4
	}
	if n >= len(code) {
		return 0, false, 0, isa.ErrTruncated
	}
	switch {
	case mapSel >= 1 && mapSel <= 3, code[0] == 0x62 && (mapSel == 5 || mapSel == 6):
	default:
		return 0, false, 0, errUnknown
	}
	op := code[n]
	n++
	if mapSel == 1 && op == 0x77 {
		return n, false, 0, nil // vzeroupper, vzeroall: no ModRM
	}
	if n >= len(code) {
		return 0, false, 0, isa.ErrTruncated
	}
	modrm := code[n]
	n++
	mod, rm := modrm>>6, modrm&7
	dispSize := 0
	switch {
	case mod == 1:
		dispSize = 1
	case mod == 2:
		dispSize = 4
	case mod == 0 && rm == 5:
		dispSize, rip = 4, true
	}
	if mod != 3 && rm == 4 {
		if n >= len(code) {
			return 0, false, 0, isa.ErrTruncated
		}
		if code[n]&7 == 5 && mod == 0 {
			dispSize = 4
		}
		n++
	}
	if n+dispSize > len(code) {
		return 0, false, 0, isa.ErrTruncated
	}
	disp = signed(code[n:], dispSize)
	n += dispSize
	if mapSel == 3 || mapSel == 1 && (op >= 0x70 && op <= 0x73 || op == 0xc2 || op >= 0xc4 && op <= 0xc6) {
		n++
	}
	switch {
	case n > 15:
		return 0, false, 0, errUnknown
	case n > len(code):
		return 0, false, 0, isa.ErrTruncated
	}
	return n, rip, disp, nil
}
