// Package x86 decodes x86-64 machine code into isa.Inst: length, control
// flow, stack-pointer effect and RIP-relative (or absolute) address
// references, which is what footprint's call graph and worst-case stack
// analysis need.
//
// Instruction lengths and mnemonics are golang.org/x/arch/x86/x86asm's in
// 64-bit mode. x86asm interprets a decoding program and allocates its
// operands, which makes it about 8-14 MB/s; the call graph of a large
// binary (node's 28 MB of .text) needs several times that. So the common
// instructions, the one-byte opcode map and most of the 0F map with their
// legacy and REX prefixes (99.3% of node's instructions), are decoded by
// tables of our own (fast.go), and everything else (the 0F38 and 0F3A maps,
// x87, system instructions, the address-size prefix, unusual prefix
// combinations) falls back to x86asm (slow.go). Both paths produce the same
// intermediate form, from which one function derives the isa.Inst, and the
// tests check that the fast path agrees with x86asm on length, mnemonic and
// every derived fact over the whole encoding space it covers.
//
// Where x86asm is wrong or silent, this package departs from it, each
// checked against objdump:
//
//   - VEX and EVEX instructions (vex.go): x86asm names them and decodes
//     their operands, but reads a ModRM byte after VZEROUPPER/VZEROALL,
//     which have none (swallowing the "ret" that usually follows), and
//     takes a RIP-relative memory operand for an absolute one. Their
//     length and RIP-relative address are worked out here.
//   - ENDBR64/ENDBR32 (F3 0F 1E FA/FB), which begin every function of a
//     binary built with -fcf-protection, and ADCX/ADOX (66/F3 0F 38 F6),
//     which OpenSSL's bignum code uses: x86asm does not know them.
//   - For encodings nobody decodes, errors carry the length to skip when the
//     layout is known (0F38, 0F3A and AMD XOP maps), so that a linear walk
//     stays in step with objdump.
package x86

import (
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/isa"
	"golang.org/x/arch/x86/x86asm"
)

// errUnknown is returned (wrapped) for bytes x86asm does not decode as an
// instruction.
var errUnknown = errors.New("unknown x86-64 instruction")

// Decoder decodes x86-64 instructions; it implements isa.Decoder. It keeps
// no state between instructions.
type Decoder struct{}

// NewDecoder returns a Decoder.
func NewDecoder() *Decoder {
	return &Decoder{}
}

var _ isa.Decoder = (*Decoder)(nil)

// MinLen is 1: x86 instructions start at any byte.
func (*Decoder) MinLen() int { return 1 }

// Reset does nothing: the decoder has no state.
func (*Decoder) Reset() {}

// Decode decodes the instruction at the start of code, located at addr.
func (*Decoder) Decode(code []byte, addr uint64) (inst isa.Inst, err error) {
	var d decoded
	if !decodeFast(code, &d) {
		var err error
		if len(code) > 0 && (code[0] == 0xc4 || code[0] == 0xc5 || code[0] == 0x62) {
			err = decodeVEX(code, &d)
		} else {
			err = decodeSlow(code, &d)
		}
		if err != nil {
			n := min(max(int(d.length), 1), len(code))
			return isa.Inst{Addr: addr, Len: n}, fmt.Errorf("x86: % x at %#x: %w", code[:min(len(code), 15)], addr, err)
		}
	}
	d.fill(&inst, addr)
	return inst, nil
}

// spWrite says how an instruction writes the stack pointer as an explicit
// register operand.
type spWrite uint8

const (
	spNone    spWrite = iota
	spFull            // writes RSP
	spPartial         // writes ESP, SP or SPL
)

// decoded is what the fast and the slow path extract from an instruction:
// the facts inst needs, whatever decoded it.
type decoded struct {
	imm     int64  // first immediate operand (ADD/SUB, ENTER, INT)
	rel     int64  // branch displacement from the next instruction
	disp    int64  // displacement of the memory operand
	memAddr uint64 // fixed address of the memory operand (RIP-relative: from the next instruction at 0)
	name    string // replaces x86asm's name (endbr64)
	op      x86asm.Op
	length  uint8
	opSize  uint8 // operand size in bits: 16, 32 or 64
	imm2    uint8 // second immediate operand (ENTER's nesting level)
	sp      spWrite

	hasImm  bool
	hasRel  bool
	hasMem  bool
	fixed   bool // the memory operand is at a fixed address
	ripRel  bool // memAddr is relative to the next instruction
	rspBase bool // the memory operand is [rsp+disp] with 64-bit addressing
	store   bool // the memory operand is only written (mov [rip+x], rax)
}

// fill sets the zero inst to the isa.Inst of the instruction at addr.
func (d *decoded) fill(inst *isa.Inst, addr uint64) {
	next := addr + uint64(d.length)
	inst.Addr, inst.Len, inst.Op = addr, int(d.length), d.name
	if inst.Op == "" {
		inst.Op = opName(d.op)
	}
	if d.hasRel {
		inst.Target = next + uint64(d.rel)
	}
	// Stack slots are 8 bytes, 2 with an operand-size prefix.
	slot := int64(8)
	if d.opSize == 16 {
		slot = 2
	}
	switch d.op {
	case x86asm.CALL, x86asm.LCALL:
		inst.Flow = isa.FlowIndirectCall
		if d.hasRel {
			inst.Flow = isa.FlowCall
		}
	case x86asm.JMP, x86asm.LJMP:
		inst.Flow = isa.FlowIndirectJump
		if d.hasRel {
			inst.Flow = isa.FlowJump
		}
	case x86asm.JA, x86asm.JAE, x86asm.JB, x86asm.JBE, x86asm.JCXZ, x86asm.JE, x86asm.JECXZ,
		x86asm.JG, x86asm.JGE, x86asm.JL, x86asm.JLE, x86asm.JNE, x86asm.JNO, x86asm.JNP,
		x86asm.JNS, x86asm.JO, x86asm.JP, x86asm.JRCXZ, x86asm.JS,
		x86asm.LOOP, x86asm.LOOPE, x86asm.LOOPNE:
		inst.Flow = isa.FlowCondJump
	case x86asm.RET, x86asm.LRET, x86asm.IRET, x86asm.IRETD, x86asm.IRETQ, x86asm.SYSRET, x86asm.SYSEXIT:
		inst.Flow = isa.FlowReturn
	case x86asm.HLT, x86asm.UD0, x86asm.UD1, x86asm.UD2:
		inst.Flow = isa.FlowStop
	case x86asm.INT:
		if d.imm == 3 {
			inst.Flow = isa.FlowStop // int3: a breakpoint, or padding after a call that does not return
		}
	case x86asm.PUSH, x86asm.PUSHF, x86asm.PUSHFQ:
		inst.SPDelta = -slot
	case x86asm.POP, x86asm.POPF, x86asm.POPFQ:
		inst.SPDelta = slot
	case x86asm.LEAVE:
		// mov rsp, rbp; pop rbp
		inst.SPDynamic = true
		inst.SPDelta = slot
	case x86asm.ENTER:
		// push rbp, copy level-1 frame pointers, push the new frame
		// pointer (when level > 0), then reserve imm bytes.
		level := int64(d.imm2 & 31)
		inst.SPDelta = -slot*(1+level) - d.imm&0xffff
	case x86asm.ADD, x86asm.SUB:
		if d.sp == spFull && d.hasImm && !d.hasMem {
			inst.SPDelta = d.imm
			if d.op == x86asm.SUB {
				inst.SPDelta = -d.imm
			}
			d.refs(inst, next)
			return
		}
	case x86asm.LEA:
		if d.sp == spFull && d.rspBase {
			inst.SPDelta = d.disp
			d.refs(inst, next)
			return
		}
	}
	if d.sp != spNone {
		// pop rsp, mov rsp, rbp, and rsp, -16, sub rsp, rax, add esp, 8, ...
		inst.SPDynamic = true
		inst.SPDelta = 0
	}
	d.refs(inst, next)
}

// refs records the fixed address the instruction's memory operand names:
// LEA forms it, other instructions load from it (a store is no reference).
func (d *decoded) refs(inst *isa.Inst, next uint64) {
	if !d.fixed {
		return
	}
	inst.Ref = d.memAddr
	if d.ripRel {
		inst.Ref += next
	}
	switch {
	case d.op == x86asm.LEA:
		inst.RefKind = isa.RefAddr
	case !d.store:
		inst.RefKind = isa.RefLoad
	default:
		inst.Ref = 0
	}
}
