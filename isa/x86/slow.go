package x86

import (
	"strings"

	"github.com/footprint-dev/footprint/isa"
	"golang.org/x/arch/x86/x86asm"
)

// opNames holds x86asm's mnemonics in lower case, indexed by x86asm.Op, so
// that Decode names an instruction without allocating. x86asm's MOVSD_XMM
// and CMPSD_XMM (the SSE2 instructions that share a name with the string
// instructions MOVSD and CMPSD) are named movsd and cmpsd, as in assembly.
// It is filled once when the package is initialised and only read after.
var opNames = lowerOpNames()

func lowerOpNames() []string {
	names := []string{""}
	for op := x86asm.Op(1); ; op++ {
		s := op.String()
		if strings.HasPrefix(s, "Op(") {
			return names
		}
		names = append(names, strings.TrimSuffix(strings.ToLower(s), "_xmm"))
	}
}

// opName is the lower-case mnemonic of op.
func opName(op x86asm.Op) string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return ""
}

// decodeSlow decodes the instruction at the start of code with x86asm. On
// error d.length is the number of bytes to skip.
func decodeSlow(code []byte, d *decoded) error {
	in, err := x86asm.Decode(code, 64)
	if err == nil && in.Op != 0 {
		fromX86asm(&in, d)
		return nil
	}
	// x86asm returns an instruction without an Op for a lone prefix, and
	// for an instruction cut short: tell them apart by completing the
	// bytes with zeros.
	if len(code) < 15 {
		var buf [15]byte
		copy(buf[:], code)
		if full, err := x86asm.Decode(buf[:], 64); err == nil && full.Op != 0 && full.Len > len(code) {
			d.length = 1
			return isa.ErrTruncated
		}
	}
	d.length = 1
	if n, ok := skipLength(code); ok {
		d.length = uint8(n)
	} else if err != nil {
		d.length = uint8(in.Len)
	}
	return errUnknown
}

// fromX86asm extracts from an instruction x86asm decoded what inst needs.
func fromX86asm(in *x86asm.Inst, d *decoded) {
	*d = decoded{op: in.Op, length: uint8(in.Len), opSize: uint8(in.DataSize)}
	nargs := 0
	for _, a := range in.Args {
		if a != nil {
			nargs++
		}
	}
	for i, a := range in.Args[:nargs] {
		switch a := a.(type) {
		case x86asm.Rel:
			d.rel, d.hasRel = int64(a), true
		case x86asm.Imm:
			if !d.hasImm {
				d.imm, d.hasImm = int64(a), true
			} else {
				d.imm2 = uint8(a)
			}
		case x86asm.Mem:
			d.hasMem = true
			d.disp = a.Disp
			d.store = i == 0 && isStore(opName(in.Op))
			d.rspBase = a.Base == x86asm.RSP && a.Index == 0 && in.AddrSize == 64
			if a.Segment == x86asm.FS || a.Segment == x86asm.GS || a.Index != 0 {
				break
			}
			switch a.Base {
			case x86asm.RIP:
				d.fixed, d.ripRel, d.memAddr = true, true, uint64(a.Disp)
			case 0:
				d.fixed, d.memAddr = true, uint64(a.Disp)
				if in.AddrSize == 32 {
					d.memAddr &= 0xffffffff
				}
			}
		case x86asm.Reg:
			if !writesArg(in.Op, i, nargs) {
				break
			}
			switch a {
			case x86asm.RSP:
				d.sp = spFull
			case x86asm.ESP, x86asm.SP, x86asm.SPB:
				d.sp = spPartial
			}
		}
	}
}

// writesArg reports whether instruction op with nargs operands writes its
// operand i (x86asm lists the destination first).
func writesArg(op x86asm.Op, i, nargs int) bool {
	switch op {
	case x86asm.XCHG, x86asm.XADD:
		return i < 2
	case x86asm.CMP, x86asm.TEST, x86asm.BT, x86asm.PUSH, x86asm.CALL, x86asm.JMP, x86asm.LCALL, x86asm.LJMP,
		x86asm.NOP, x86asm.MUL, x86asm.DIV, x86asm.IDIV, x86asm.OUT, x86asm.UD0, x86asm.UD1,
		x86asm.LLDT, x86asm.LTR, x86asm.VERR, x86asm.VERW, x86asm.LMSW:
		return false
	case x86asm.IMUL:
		return i == 0 && nargs > 1
	}
	return i == 0
}

// isStore reports whether the first operand of the instruction with
// mnemonic name, when it is memory, is only written: a move to memory or a
// SETcc.
func isStore(name string) bool {
	return strings.HasPrefix(name, "mov") || strings.HasPrefix(name, "vmov") || strings.HasPrefix(name, "set")
}
