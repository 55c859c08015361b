package x86

import (
	"encoding/binary"

	"golang.org/x/arch/x86/x86asm"
)

// flag describes an opcode's encoding and the operands it writes.
type flag uint32

const (
	fModRM   flag = 1 << iota // a ModRM byte follows the opcode
	fImm8                     // an 8-bit immediate
	fImm16                    // a 16-bit immediate
	fImmZ                     // a 16-bit (operand-size prefix) or 32-bit immediate
	fImmV                     // a 16-, 32- or 64-bit immediate (mov r, imm)
	fRel8                     // an 8-bit branch displacement
	fRel32                    // a 32-bit branch displacement
	fMoffs                    // a 64-bit absolute address (mov al, [moffs])
	fEnter                    // a 16-bit and an 8-bit immediate (enter)
	fByte                     // byte operands: registers 4-7 are AH-BH without REX
	fDstReg                   // writes the general register in ModRM.reg
	fDstRM                    // writes the general register in ModRM.rm
	fDstOp                    // writes the general register in the opcode's low 3 bits
	fStore                    // a memory operand is only written (not a reference)
	fMemOnly                  // x86asm decodes the register form differently
	fSreg                     // ModRM.reg names a segment register: 6 and 7 are invalid
	fNo66                     // x86asm decodes it differently with an operand-size prefix
	fNoW                      // x86asm decodes it differently with REX.W
	fSizeOps                  // the mnemonic depends on the operand size: sizeOps[alt]
	fSSE                      // the mnemonic depends on a mandatory prefix: sseOps[alt]
	fInt3                     // int3: INT with the implicit immediate 3
)

// entry is one opcode of the one-byte or 0F map.
type entry struct {
	op    x86asm.Op
	flags flag
	group uint8 // index in groups when the mnemonic depends on ModRM.reg
	alt   uint8 // index in sizeOps or sseOps
}

// group is an opcode extension group: the mnemonic of each ModRM.reg value
// (0 where x86asm decodes something else or nothing), which of them write
// ModRM.rm, and which have an immediate.
type group struct {
	ops    [8]x86asm.Op
	writes uint8 // bit r: ModRM.reg == r writes the register in ModRM.rm
	imm8   uint8 // bit r: ModRM.reg == r has an 8-bit immediate
	immZ   uint8 // bit r: ModRM.reg == r has a 16/32-bit immediate
}

// sseEntry is an opcode whose mnemonic depends on its mandatory prefix
// (none, 66, F3 or F2) and on whether ModRM names memory or a register.
type sseEntry struct {
	ops   [4][2]x86asm.Op // [prefix][memory, register]; 0: not decoded here
	flags [4]flag         // fDstReg, fDstRM and fStore for each prefix
	wq    bool            // REX.W turns MOVD into MOVQ without an F3 prefix
}

// Indexes of the mandatory prefixes in sseEntry.
const (
	pfxNone = iota
	pfx66
	pfxF3
	pfxF2
)

// Group indexes (0 is no group).
const (
	_ = iota
	grp1
	grp2
	grp3b
	grp3v
	grp4
	grp5
	grp1a
	grp11
	grp8
	grpNop
)

// Tables of the fast path. They are built once when the package is
// initialised and only read after.
var (
	groups = [...]group{
		grp1:   {ops: [8]x86asm.Op{x86asm.ADD, x86asm.OR, x86asm.ADC, x86asm.SBB, x86asm.AND, x86asm.SUB, x86asm.XOR, x86asm.CMP}, writes: 0x7f},
		grp2:   {ops: [8]x86asm.Op{x86asm.ROL, x86asm.ROR, x86asm.RCL, x86asm.RCR, x86asm.SHL, x86asm.SHR, 0, x86asm.SAR}, writes: 0xff},
		grp3b:  {ops: [8]x86asm.Op{x86asm.TEST, 0, x86asm.NOT, x86asm.NEG, x86asm.MUL, x86asm.IMUL, x86asm.DIV, x86asm.IDIV}, writes: 0x0c, imm8: 0x01},
		grp3v:  {ops: [8]x86asm.Op{x86asm.TEST, 0, x86asm.NOT, x86asm.NEG, x86asm.MUL, x86asm.IMUL, x86asm.DIV, x86asm.IDIV}, writes: 0x0c, immZ: 0x01},
		grp4:   {ops: [8]x86asm.Op{x86asm.INC, x86asm.DEC}, writes: 0x03},
		grp5:   {ops: [8]x86asm.Op{x86asm.INC, x86asm.DEC, x86asm.CALL, 0, x86asm.JMP, 0, x86asm.PUSH, 0}, writes: 0x03},
		grp1a:  {ops: [8]x86asm.Op{x86asm.POP}, writes: 0x01},
		grp11:  {ops: [8]x86asm.Op{x86asm.MOV}, writes: 0x01},
		grp8:   {ops: [8]x86asm.Op{4: x86asm.BT, 5: x86asm.BTS, 6: x86asm.BTR, 7: x86asm.BTC}, writes: 0xe0, imm8: 0xff},
		grpNop: {ops: [8]x86asm.Op{x86asm.NOP}},
	}
	// sizeOps holds the mnemonics by operand size 16, 32, 64.
	sizeOps = [...][3]x86asm.Op{
		{x86asm.INSW, x86asm.INSD, x86asm.INSD},
		{x86asm.OUTSW, x86asm.OUTSD, x86asm.OUTSD},
		{x86asm.CBW, x86asm.CWDE, x86asm.CDQE},
		{x86asm.CWD, x86asm.CDQ, x86asm.CQO},
		{x86asm.PUSHF, x86asm.PUSHFQ, x86asm.PUSHFQ},
		{x86asm.POPF, x86asm.POPFQ, x86asm.POPFQ},
		{x86asm.MOVSW, x86asm.MOVSD, x86asm.MOVSQ},
		{x86asm.CMPSW, x86asm.CMPSD, x86asm.CMPSQ},
		{x86asm.STOSW, x86asm.STOSD, x86asm.STOSQ},
		{x86asm.LODSW, x86asm.LODSD, x86asm.LODSQ},
		{x86asm.SCASW, x86asm.SCASD, x86asm.SCASQ},
		{x86asm.IRET, x86asm.IRETD, x86asm.IRETQ},
	}
	oneByte         = buildOneByte()
	twoByte, sseOps = buildTwoByte()
)

// buildOneByte builds the one-byte opcode map of 64-bit mode.
func buildOneByte() (t [256]entry) {
	set := func(b byte, op x86asm.Op, f flag) { t[b] = entry{op: op, flags: f} }
	alu := [8]x86asm.Op{x86asm.ADD, x86asm.OR, x86asm.ADC, x86asm.SBB, x86asm.AND, x86asm.SUB, x86asm.XOR, x86asm.CMP}
	for k, op := range alu {
		b := byte(k * 8)
		dstRM, dstReg := fDstRM, fDstReg
		if op == x86asm.CMP {
			dstRM, dstReg = 0, 0
		}
		set(b, op, fModRM|fByte|dstRM)
		set(b+1, op, fModRM|dstRM)
		set(b+2, op, fModRM|fByte|dstReg)
		set(b+3, op, fModRM|dstReg)
		set(b+4, op, fImm8|fByte)
		set(b+5, op, fImmZ)
	}
	for r := byte(0); r < 8; r++ {
		set(0x50+r, x86asm.PUSH, 0)
		set(0x58+r, x86asm.POP, fDstOp)
		set(0x90+r, x86asm.XCHG, fDstOp)
		set(0xb0+r, x86asm.MOV, fImm8|fByte|fDstOp)
		set(0xb8+r, x86asm.MOV, fImmV|fDstOp)
	}
	jcc := [16]x86asm.Op{x86asm.JO, x86asm.JNO, x86asm.JB, x86asm.JAE, x86asm.JE, x86asm.JNE, x86asm.JBE, x86asm.JA,
		x86asm.JS, x86asm.JNS, x86asm.JP, x86asm.JNP, x86asm.JL, x86asm.JGE, x86asm.JLE, x86asm.JG}
	for k, op := range jcc {
		set(0x70+byte(k), op, fRel8)
	}
	set(0x63, x86asm.MOVSXD, fModRM|fDstReg)
	set(0x68, x86asm.PUSH, fImmZ)
	set(0x69, x86asm.IMUL, fModRM|fImmZ|fDstReg)
	set(0x6a, x86asm.PUSH, fImm8)
	set(0x6b, x86asm.IMUL, fModRM|fImm8|fDstReg)
	set(0x6c, x86asm.INSB, 0)
	set(0x6e, x86asm.OUTSB, 0)
	set(0x84, x86asm.TEST, fModRM|fByte)
	set(0x85, x86asm.TEST, fModRM)
	set(0x86, x86asm.XCHG, fModRM|fByte|fDstRM|fDstReg)
	set(0x87, x86asm.XCHG, fModRM|fDstRM|fDstReg)
	set(0x88, x86asm.MOV, fModRM|fByte|fDstRM|fStore)
	set(0x89, x86asm.MOV, fModRM|fDstRM|fStore)
	set(0x8a, x86asm.MOV, fModRM|fByte|fDstReg)
	set(0x8b, x86asm.MOV, fModRM|fDstReg)
	set(0x8c, x86asm.MOV, fModRM|fSreg|fDstRM|fStore)
	set(0x8d, x86asm.LEA, fModRM|fMemOnly|fDstReg)
	set(0x8e, x86asm.MOV, fModRM|fSreg)
	set(0x9b, x86asm.FWAIT, 0)
	set(0x9e, x86asm.SAHF, 0)
	set(0x9f, x86asm.LAHF, 0)
	set(0xa0, x86asm.MOV, fMoffs|fByte)
	set(0xa1, x86asm.MOV, fMoffs)
	set(0xa2, x86asm.MOV, fMoffs|fByte|fStore)
	set(0xa3, x86asm.MOV, fMoffs|fStore)
	set(0xa4, x86asm.MOVSB, 0)
	set(0xa6, x86asm.CMPSB, 0)
	set(0xa8, x86asm.TEST, fImm8|fByte)
	set(0xa9, x86asm.TEST, fImmZ)
	set(0xaa, x86asm.STOSB, 0)
	set(0xac, x86asm.LODSB, 0)
	set(0xae, x86asm.SCASB, 0)
	set(0xc2, x86asm.RET, fImm16)
	set(0xc3, x86asm.RET, 0)
	set(0xc8, x86asm.ENTER, fEnter)
	set(0xc9, x86asm.LEAVE, 0)
	set(0xca, x86asm.LRET, fImm16)
	set(0xcb, x86asm.LRET, 0)
	set(0xcc, x86asm.INT, fInt3)
	set(0xcd, x86asm.INT, fImm8)
	set(0xd7, x86asm.XLATB, 0)
	set(0xe0, x86asm.LOOPNE, fRel8)
	set(0xe1, x86asm.LOOPE, fRel8)
	set(0xe2, x86asm.LOOP, fRel8)
	set(0xe3, x86asm.JRCXZ, fRel8)
	set(0xe4, x86asm.IN, fImm8)
	set(0xe5, x86asm.IN, fImm8)
	set(0xe6, x86asm.OUT, fImm8)
	set(0xe7, x86asm.OUT, fImm8)
	set(0xe8, x86asm.CALL, fRel32)
	set(0xe9, x86asm.JMP, fRel32)
	set(0xeb, x86asm.JMP, fRel8)
	set(0xec, x86asm.IN, 0)
	set(0xed, x86asm.IN, 0)
	set(0xee, x86asm.OUT, 0)
	set(0xef, x86asm.OUT, 0)
	set(0xf1, x86asm.ICEBP, 0)
	set(0xf4, x86asm.HLT, 0)
	set(0xf5, x86asm.CMC, 0)
	set(0xf8, x86asm.CLC, 0)
	set(0xf9, x86asm.STC, 0)
	set(0xfa, x86asm.CLI, 0)
	set(0xfb, x86asm.STI, 0)
	set(0xfc, x86asm.CLD, 0)
	set(0xfd, x86asm.STD, 0)
	for alt, b := range [...]byte{0x6d, 0x6f, 0x98, 0x99, 0x9c, 0x9d, 0xa5, 0xa7, 0xab, 0xad, 0xaf, 0xcf} {
		t[b] = entry{flags: fSizeOps, alt: uint8(alt)} // sizeOps[alt]
	}
	grp := func(b byte, g uint8, f flag) { t[b] = entry{group: g, flags: fModRM | f} }
	grp(0x80, grp1, fImm8|fByte)
	grp(0x81, grp1, fImmZ)
	grp(0x83, grp1, fImm8)
	grp(0x8f, grp1a, 0)
	grp(0xc0, grp2, fImm8|fByte)
	grp(0xc1, grp2, fImm8)
	grp(0xc6, grp11, fImm8|fByte|fStore)
	grp(0xc7, grp11, fImmZ|fStore)
	grp(0xd0, grp2, fByte)
	grp(0xd1, grp2, 0)
	grp(0xd2, grp2, fByte)
	grp(0xd3, grp2, 0)
	grp(0xf6, grp3b, fByte)
	grp(0xf7, grp3v, 0)
	grp(0xfe, grp4, fByte)
	grp(0xff, grp5, 0)
	return t
}

// buildTwoByte builds the 0F opcode map and the sseOps its fSSE entries
// index.
func buildTwoByte() (t [256]entry, sseOps []sseEntry) {
	set := func(b byte, op x86asm.Op, f flag) { t[b] = entry{op: op, flags: f} }
	sse := func(b byte, f flag, e sseEntry) {
		t[b] = entry{flags: fModRM | fSSE | f, alt: uint8(len(sseOps))}
		sseOps = append(sseOps, e)
	}
	// Both forms with the same mnemonic.
	both := func(op x86asm.Op) [2]x86asm.Op { return [2]x86asm.Op{op, op} }
	// ps, pd, ss, sd: the packed/scalar single/double family.
	fp4 := func(b byte, ps, pd, ss, sd x86asm.Op) {
		sse(b, 0, sseEntry{ops: [4][2]x86asm.Op{both(ps), both(pd), both(ss), both(sd)}})
	}
	// MMX and SSE2 integer instructions: the same mnemonic without a prefix
	// (MMX registers) and with 66 (XMM registers).
	mmx := func(b byte, op x86asm.Op) {
		sse(b, 0, sseEntry{ops: [4][2]x86asm.Op{both(op), both(op)}})
	}

	set(0x05, x86asm.SYSCALL, 0)
	set(0x0b, x86asm.UD2, 0)
	set(0x31, x86asm.RDTSC, 0)
	set(0xa2, x86asm.CPUID, 0)
	t[0x1f] = entry{group: grpNop, flags: fModRM | fNoW}
	t[0xba] = entry{group: grp8, flags: fModRM | fImm8}
	cc := [16]x86asm.Op{x86asm.JO, x86asm.JNO, x86asm.JB, x86asm.JAE, x86asm.JE, x86asm.JNE, x86asm.JBE, x86asm.JA,
		x86asm.JS, x86asm.JNS, x86asm.JP, x86asm.JNP, x86asm.JL, x86asm.JGE, x86asm.JLE, x86asm.JG}
	cmov := [16]x86asm.Op{x86asm.CMOVO, x86asm.CMOVNO, x86asm.CMOVB, x86asm.CMOVAE, x86asm.CMOVE, x86asm.CMOVNE, x86asm.CMOVBE, x86asm.CMOVA,
		x86asm.CMOVS, x86asm.CMOVNS, x86asm.CMOVP, x86asm.CMOVNP, x86asm.CMOVL, x86asm.CMOVGE, x86asm.CMOVLE, x86asm.CMOVG}
	setcc := [16]x86asm.Op{x86asm.SETO, x86asm.SETNO, x86asm.SETB, x86asm.SETAE, x86asm.SETE, x86asm.SETNE, x86asm.SETBE, x86asm.SETA,
		x86asm.SETS, x86asm.SETNS, x86asm.SETP, x86asm.SETNP, x86asm.SETL, x86asm.SETGE, x86asm.SETLE, x86asm.SETG}
	for k := range 16 {
		set(0x40+byte(k), cmov[k], fModRM|fDstReg)
		set(0x80+byte(k), cc[k], fRel32)
		set(0x90+byte(k), setcc[k], fModRM|fByte|fDstRM|fStore)
	}
	set(0xa0, x86asm.PUSH, 0)
	set(0xa1, x86asm.POP, 0)
	set(0xa8, x86asm.PUSH, 0)
	set(0xa9, x86asm.POP, 0)
	set(0xa3, x86asm.BT, fModRM)
	set(0xab, x86asm.BTS, fModRM|fDstRM)
	set(0xb3, x86asm.BTR, fModRM|fDstRM)
	set(0xbb, x86asm.BTC, fModRM|fDstRM)
	set(0xa4, x86asm.SHLD, fModRM|fImm8|fDstRM)
	set(0xa5, x86asm.SHLD, fModRM|fDstRM)
	set(0xac, x86asm.SHRD, fModRM|fImm8|fDstRM)
	set(0xad, x86asm.SHRD, fModRM|fDstRM)
	set(0xaf, x86asm.IMUL, fModRM|fDstReg)
	set(0xb0, x86asm.CMPXCHG, fModRM|fByte|fDstRM)
	set(0xb1, x86asm.CMPXCHG, fModRM|fDstRM)
	set(0xb6, x86asm.MOVZX, fModRM|fDstReg)
	set(0xb7, x86asm.MOVZX, fModRM|fDstReg)
	set(0xbe, x86asm.MOVSX, fModRM|fDstReg)
	set(0xbf, x86asm.MOVSX, fModRM|fDstReg)
	set(0xc0, x86asm.XADD, fModRM|fByte|fDstRM|fDstReg)
	set(0xc1, x86asm.XADD, fModRM|fDstRM|fDstReg)
	set(0xb9, x86asm.UD1, fModRM|fNo66|fNoW)
	set(0xff, x86asm.UD0, fModRM|fNo66|fNoW)
	for r := byte(0); r < 8; r++ {
		set(0xc8+r, x86asm.BSWAP, fDstOp)
	}
	gpr := [4]flag{fDstReg, fDstReg, fDstReg, fDstReg}
	sse(0xb8, 0, sseEntry{ops: [4][2]x86asm.Op{pfxF3: both(x86asm.POPCNT)}, flags: gpr})
	sse(0xbc, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.BSF), both(x86asm.BSF), both(x86asm.TZCNT), both(x86asm.BSF)}, flags: gpr})
	sse(0xbd, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.BSR), both(x86asm.BSR), both(x86asm.LZCNT), both(x86asm.BSR)}, flags: gpr})

	store := [4]flag{fStore, fStore, fStore, fStore}
	sse(0x10, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVUPS), both(x86asm.MOVUPD), both(x86asm.MOVSS), both(x86asm.MOVSD_XMM)}})
	sse(0x11, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVUPS), both(x86asm.MOVUPD), both(x86asm.MOVSS), both(x86asm.MOVSD_XMM)}, flags: store})
	sse(0x12, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVLPS, x86asm.MOVHLPS}, both(x86asm.MOVLPD), both(x86asm.MOVSLDUP), both(x86asm.MOVDDUP)}})
	sse(0x13, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVLPS, 0}, both(x86asm.MOVLPD)}, flags: store})
	sse(0x14, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.UNPCKLPS), both(x86asm.UNPCKLPD)}})
	sse(0x15, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.UNPCKHPS), both(x86asm.UNPCKHPD)}})
	sse(0x16, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVHPS, x86asm.MOVLHPS}, both(x86asm.MOVHPD), both(x86asm.MOVSHDUP)}})
	sse(0x17, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVHPS, 0}, both(x86asm.MOVHPD)}, flags: store})
	sse(0x28, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVAPS), both(x86asm.MOVAPD)}})
	sse(0x29, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVAPS), both(x86asm.MOVAPD)}, flags: store})
	fp4(0x2a, x86asm.CVTPI2PS, x86asm.CVTPI2PD, x86asm.CVTSI2SS, x86asm.CVTSI2SD)
	sse(0x2b, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVNTPS, 0}, {x86asm.MOVNTPD, 0}, {x86asm.MOVNTSS, 0}, {x86asm.MOVNTSD, 0}}, flags: store})
	toGPR := [4]flag{pfxF3: fDstReg, pfxF2: fDstReg}
	sse(0x2c, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.CVTTPS2PI), both(x86asm.CVTTPD2PI), both(x86asm.CVTTSS2SI), both(x86asm.CVTTSD2SI)}, flags: toGPR})
	sse(0x2d, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.CVTPS2PI), both(x86asm.CVTPD2PI), both(x86asm.CVTSS2SI), both(x86asm.CVTSD2SI)}, flags: toGPR})
	sse(0x2e, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.UCOMISS), both(x86asm.UCOMISD)}})
	sse(0x2f, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.COMISS), both(x86asm.COMISD)}})
	sse(0x50, 0, sseEntry{ops: [4][2]x86asm.Op{{0, x86asm.MOVMSKPS}, {0, x86asm.MOVMSKPD}}, flags: [4]flag{fDstReg, fDstReg}})
	fp4(0x51, x86asm.SQRTPS, x86asm.SQRTPD, x86asm.SQRTSS, x86asm.SQRTSD)
	fp4(0x52, x86asm.RSQRTPS, x86asm.RSQRTPS, x86asm.RSQRTSS, x86asm.RSQRTPS)
	fp4(0x53, x86asm.RCPPS, x86asm.RCPPS, x86asm.RCPSS, x86asm.RCPPS)
	sse(0x54, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.ANDPS), both(x86asm.ANDPD)}})
	sse(0x55, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.ANDNPS), both(x86asm.ANDNPD)}})
	sse(0x56, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.ORPS), both(x86asm.ORPD)}})
	sse(0x57, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.XORPS), both(x86asm.XORPD)}})
	fp4(0x58, x86asm.ADDPS, x86asm.ADDPD, x86asm.ADDSS, x86asm.ADDSD)
	fp4(0x59, x86asm.MULPS, x86asm.MULPD, x86asm.MULSS, x86asm.MULSD)
	fp4(0x5a, x86asm.CVTPS2PD, x86asm.CVTPD2PS, x86asm.CVTSS2SD, x86asm.CVTSD2SS)
	sse(0x5b, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.CVTDQ2PS), both(x86asm.CVTPS2DQ), both(x86asm.CVTTPS2DQ)}})
	fp4(0x5c, x86asm.SUBPS, x86asm.SUBPD, x86asm.SUBSS, x86asm.SUBSD)
	fp4(0x5d, x86asm.MINPS, x86asm.MINPD, x86asm.MINSS, x86asm.MINSD)
	fp4(0x5e, x86asm.DIVPS, x86asm.DIVPD, x86asm.DIVSS, x86asm.DIVSD)
	fp4(0x5f, x86asm.MAXPS, x86asm.MAXPD, x86asm.MAXSS, x86asm.MAXSD)
	for k, op := range [...]x86asm.Op{x86asm.PUNPCKLBW, x86asm.PUNPCKLWD, x86asm.PUNPCKLDQ, x86asm.PACKSSWB,
		x86asm.PCMPGTB, x86asm.PCMPGTW, x86asm.PCMPGTD, x86asm.PACKUSWB,
		x86asm.PUNPCKHBW, x86asm.PUNPCKHWD, x86asm.PUNPCKHDQ, x86asm.PACKSSDW} {
		mmx(0x60+byte(k), op)
	}
	sse(0x6c, 0, sseEntry{ops: [4][2]x86asm.Op{pfx66: both(x86asm.PUNPCKLQDQ)}})
	sse(0x6d, 0, sseEntry{ops: [4][2]x86asm.Op{pfx66: both(x86asm.PUNPCKHQDQ)}})
	sse(0x6e, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVD), both(x86asm.MOVD)}, wq: true})
	sse(0x6f, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVQ), both(x86asm.MOVDQA), both(x86asm.MOVDQU)}})
	sse(0x70, fImm8, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.PSHUFW), both(x86asm.PSHUFD), both(x86asm.PSHUFHW), both(x86asm.PSHUFLW)}})
	mmx(0x74, x86asm.PCMPEQB)
	mmx(0x75, x86asm.PCMPEQW)
	mmx(0x76, x86asm.PCMPEQD)
	sse(0x7e, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVD), both(x86asm.MOVD), both(x86asm.MOVQ)},
		flags: [4]flag{fDstRM | fStore, fDstRM | fStore}, wq: true})
	sse(0x7f, 0, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.MOVQ), both(x86asm.MOVDQA), both(x86asm.MOVDQU)}, flags: store})
	sse(0xc2, fImm8, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.CMPPS), both(x86asm.CMPPD), both(x86asm.CMPSS), both(x86asm.CMPSD_XMM)}})
	sse(0xc3, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVNTI, 0}, {x86asm.MOVNTI, 0}, {x86asm.MOVNTI, 0}, {x86asm.MOVNTI, 0}}, flags: store})
	sse(0xc4, fImm8, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.PINSRW), both(x86asm.PINSRW)}})
	sse(0xc5, fImm8, sseEntry{ops: [4][2]x86asm.Op{{0, x86asm.PEXTRW}, {0, x86asm.PEXTRW}}, flags: [4]flag{fDstReg, fDstReg}})
	sse(0xc6, fImm8, sseEntry{ops: [4][2]x86asm.Op{both(x86asm.SHUFPS), both(x86asm.SHUFPD)}})
	sse(0xd6, 0, sseEntry{ops: [4][2]x86asm.Op{pfx66: both(x86asm.MOVQ), pfxF3: {0, x86asm.MOVQ2DQ}, pfxF2: {0, x86asm.MOVDQ2Q}}, flags: [4]flag{pfx66: fStore}})
	sse(0xd7, 0, sseEntry{ops: [4][2]x86asm.Op{{0, x86asm.PMOVMSKB}, {0, x86asm.PMOVMSKB}}, flags: [4]flag{fDstReg, fDstReg}})
	sse(0xe6, 0, sseEntry{ops: [4][2]x86asm.Op{pfx66: both(x86asm.CVTTPD2DQ), pfxF3: both(x86asm.CVTDQ2PD), pfxF2: both(x86asm.CVTPD2DQ)}})
	sse(0xe7, 0, sseEntry{ops: [4][2]x86asm.Op{{x86asm.MOVNTQ, 0}, {x86asm.MOVNTDQ, 0}}, flags: store})
	for b, op := range map[byte]x86asm.Op{
		0xd1: x86asm.PSRLW, 0xd2: x86asm.PSRLD, 0xd3: x86asm.PSRLQ, 0xd4: x86asm.PADDQ, 0xd5: x86asm.PMULLW,
		0xd8: x86asm.PSUBUSB, 0xd9: x86asm.PSUBUSW, 0xda: x86asm.PMINUB, 0xdb: x86asm.PAND,
		0xdc: x86asm.PADDUSB, 0xdd: x86asm.PADDUSW, 0xde: x86asm.PMAXUB, 0xdf: x86asm.PANDN,
		0xe0: x86asm.PAVGB, 0xe1: x86asm.PSRAW, 0xe2: x86asm.PSRAD, 0xe3: x86asm.PAVGW, 0xe4: x86asm.PMULHUW, 0xe5: x86asm.PMULHW,
		0xe8: x86asm.PSUBSB, 0xe9: x86asm.PSUBSW, 0xea: x86asm.PMINSW, 0xeb: x86asm.POR,
		0xec: x86asm.PADDSB, 0xed: x86asm.PADDSW, 0xee: x86asm.PMAXSW, 0xef: x86asm.PXOR,
		0xf1: x86asm.PSLLW, 0xf2: x86asm.PSLLD, 0xf3: x86asm.PSLLQ, 0xf4: x86asm.PMULUDQ, 0xf5: x86asm.PMADDWD, 0xf6: x86asm.PSADBW,
		0xf8: x86asm.PSUBB, 0xf9: x86asm.PSUBW, 0xfa: x86asm.PSUBD, 0xfb: x86asm.PSUBQ,
		0xfc: x86asm.PADDB, 0xfd: x86asm.PADDW, 0xfe: x86asm.PADDD,
	} {
		mmx(b, op)
	}
	return t, sseOps
}

// decodeFast decodes the instruction at the start of code into the zero d
// with the tables, and reports whether it could: false leaves it to x86asm
// (an opcode or prefix combination the tables do not cover, or too few
// bytes).
func decodeFast(code []byte, d *decoded) bool {
	n := min(len(code), 15) // x86asm never reads past 15 bytes
	i := 0
	n66, nF2, nF3 := 0, 0, 0
	var lastRep byte
	fsgs := false
prefixes:
	for ; i < n; i++ {
		switch b := code[i]; b {
		case 0x66:
			n66++
		case 0xf2:
			nF2++
			lastRep = b
		case 0xf3:
			nF3++
			lastRep = b
		case 0xf0, 0x26, 0x2e, 0x36, 0x3e:
		case 0x64, 0x65:
			fsgs = true
		default:
			break prefixes
		}
	}
	if i >= n || i >= 14 {
		return false
	}
	var rex byte
	if code[i]&0xf0 == 0x40 {
		rex = code[i]
		if i++; i >= n {
			return false
		}
	}
	b := code[i]
	i++
	e := &oneByte[b]
	if b == 0x0f {
		if i >= n {
			return false
		}
		b = code[i]
		i++
		switch b {
		case 0x1e:
			return endbr(code[:n], i, d)
		case 0x38:
			return adx(code[:n], i, n66, nF2, nF3, rex, fsgs, d)
		}
		e = &twoByte[b]
	}
	f := e.flags
	if f&(fNo66) != 0 && n66 > 0 || f&fNoW != 0 && rex&8 != 0 {
		return false
	}
	d.op, d.opSize = e.op, 32
	switch {
	case rex&8 != 0:
		d.opSize = 64
	case n66 > 0:
		d.opSize = 16
	}

	// ModRM, SIB and displacement.
	var mod, reg, rm byte
	if f&fModRM != 0 {
		if i >= n {
			return false
		}
		modrm := code[i]
		i++
		mod, reg, rm = modrm>>6, modrm>>3&7, modrm&7
		if mod != 3 {
			var ok bool
			if i, ok = d.memory(code[:n], i, mod, rm, rex, fsgs); !ok {
				return false
			}
		}
	}
	if f&fMemOnly != 0 && mod == 3 || f&fSreg != 0 && reg >= 6 {
		return false
	}

	// The mnemonic and what the instruction writes.
	var g *group
	switch {
	case e.group != 0:
		g = &groups[e.group]
		d.op = g.ops[reg]
		if g.writes&(1<<reg) != 0 {
			f |= fDstRM
		}
		if g.imm8&(1<<reg) != 0 {
			f |= fImm8
		}
		if g.immZ&(1<<reg) != 0 {
			f |= fImmZ
		}
	case f&fSizeOps != 0:
		d.op = sizeOps[e.alt][d.opSize/32]
	case f&fSSE != 0:
		if n66+nF2+nF3 > 1 {
			return false
		}
		p := pfxNone
		switch {
		case n66 > 0:
			p = pfx66
		case nF3 > 0:
			p = pfxF3
		case nF2 > 0:
			p = pfxF2
		}
		s := &sseOps[e.alt]
		form := 0
		if mod == 3 {
			form = 1
		}
		d.op = s.ops[p][form]
		f |= s.flags[p]
		if s.wq && rex&8 != 0 && p != pfxF3 && d.op != 0 {
			d.op = x86asm.MOVQ
		}
	case e == &oneByte[0x90]:
		if rex&1 == 0 {
			d.op = x86asm.NOP
		}
		if lastRep == 0xf3 {
			d.op = x86asm.PAUSE
		}
	}
	if d.op == 0 {
		return false
	}
	r := byte(0)
	if rex != 0 {
		r = 0x10 // any REX: byte registers 4-7 are SPL-DIL, not AH-BH
	}
	if f&fDstReg != 0 {
		d.writes(reg|rex<<1&8|r, f)
	}
	if f&fDstRM != 0 && mod == 3 {
		d.writes(rm|rex<<3&8|r, f)
	}
	if f&fDstOp != 0 {
		d.writes(b&7|rex<<3&8|r, f)
	}

	// Immediates and displacements.
	size := 0
	switch {
	case f&fImm8 != 0:
		size = 1
	case f&fImm16 != 0:
		size = 2
	case f&fImmZ != 0:
		size = 4
		if d.opSize == 16 {
			size = 2
		}
	case f&fImmV != 0:
		size = int(d.opSize) / 8
	case f&fEnter != 0:
		size = 3
	case f&fRel8 != 0:
		size = 1
	case f&fRel32 != 0:
		size = 4
	case f&fMoffs != 0:
		size = 8
	}
	if i+size > n {
		return false
	}
	v := signed(code[i:], size)
	switch {
	case f&(fRel8|fRel32) != 0:
		d.rel, d.hasRel = v, true
	case f&fMoffs != 0:
		d.hasMem, d.memAddr, d.fixed = true, uint64(v), !fsgs
	case f&fEnter != 0:
		d.imm, d.imm2, d.hasImm = int64(binary.LittleEndian.Uint16(code[i:])), code[i+2], true
	case size > 0:
		d.imm, d.hasImm = v, true
	case f&fInt3 != 0:
		d.imm, d.hasImm = 3, true
	}
	d.store = f&fStore != 0 && d.hasMem
	d.length = uint8(i + size)
	return true
}

// signed reads a little-endian signed integer of size 0, 1, 2, 4 or 8 bytes.
func signed(b []byte, size int) int64 {
	switch size {
	case 1:
		return int64(int8(b[0]))
	case 2:
		return int64(int16(binary.LittleEndian.Uint16(b)))
	case 4:
		return int64(int32(binary.LittleEndian.Uint32(b)))
	case 8:
		return int64(binary.LittleEndian.Uint64(b))
	}
	return 0
}

// memory decodes the SIB byte and displacement of a memory ModRM operand
// starting at code[i], and returns the index after them.
func (d *decoded) memory(code []byte, i int, mod, rm, rex byte, fsgs bool) (int, bool) {
	d.hasMem = true
	base, index := rm|rex<<3&8, byte(4)
	dispSize := 0
	switch mod {
	case 1:
		dispSize = 1
	case 2:
		dispSize = 4
	}
	rip := false
	switch {
	case rm == 4:
		if i >= len(code) {
			return i, false
		}
		sib := code[i]
		i++
		base, index = sib&7|rex<<3&8, sib>>3&7|rex<<2&8
		if sib&7 == 5 && mod == 0 {
			base, dispSize = 0xff, 4
		}
	case rm == 5 && mod == 0:
		base, dispSize, rip = 0xff, 4, true
	}
	if i+dispSize > len(code) {
		return i, false
	}
	d.disp = signed(code[i:], dispSize)
	i += dispSize
	switch {
	case rip:
		d.fixed, d.ripRel, d.memAddr = !fsgs, true, uint64(d.disp)
	case base == 0xff && index == 4:
		d.fixed, d.memAddr = !fsgs, uint64(d.disp)
	}
	d.rspBase = base == 4 && index == 4
	return i, true
}

// writes records that the instruction writes general register r (bit 4
// set: a REX prefix is present), and whether that is the stack pointer.
func (d *decoded) writes(r byte, f flag) {
	switch {
	case r&15 != 4:
	case f&fByte != 0 && r&0x10 == 0:
		// AH, not SPL
	case f&fByte == 0 && d.opSize == 64:
		d.sp = spFull
	default:
		d.sp = spPartial
	}
}

// endbr decodes F3 0F 1E FA (endbr64) and F3 0F 1E FB (endbr32), which
// x86asm does not know, with no other prefix; i is the index after 0F 1E.
func endbr(code []byte, i int, d *decoded) bool {
	if i != 3 || len(code) < 4 || code[0] != 0xf3 {
		return false
	}
	switch code[3] {
	case 0xfa:
		d.op, d.name, d.length, d.opSize = x86asm.NOP, "endbr64", 4, 32
	case 0xfb:
		d.op, d.name, d.length, d.opSize = x86asm.NOP, "endbr32", 4, 32
	default:
		return false
	}
	return true
}

// adx decodes ADCX (66 0F 38 F6 /r) and ADOX (F3 0F 38 F6 /r), which x86asm
// does not know and OpenSSL's bignum code uses, given the index after 0F 38.
// Their op is ADC, renamed.
func adx(code []byte, i, n66, nF2, nF3 int, rex byte, fsgs bool, d *decoded) bool {
	if i+1 >= len(code) || code[i] != 0xf6 {
		return false
	}
	switch {
	case n66 == 1 && nF2+nF3 == 0:
		d.name = "adcx"
	case nF3 == 1 && n66+nF2 == 0:
		d.name = "adox"
	default:
		return false
	}
	d.op, d.opSize = x86asm.ADC, 32
	if rex&8 != 0 {
		d.opSize = 64
	}
	modrm := code[i+1]
	i += 2
	if modrm>>6 != 3 {
		var ok bool
		if i, ok = d.memory(code, i, modrm>>6, modrm&7, rex, fsgs); !ok {
			return false
		}
	}
	d.writes(modrm>>3&7|rex<<1&8, 0)
	d.length = uint8(i)
	return true
}

// skipLength is the length of an instruction x86asm does not decode but
// whose layout is known, so that a linear walk stays in step: the 0F38 and
// 0F3A maps (ModRM; an 8-bit immediate in 0F3A) and AMD's XOP encoding (8F
// with a map of 8 or more; immediates in maps 8 and 0A).
func skipLength(code []byte) (int, bool) {
	n := min(len(code), 15)
	i := 0
	for i < n && isLegacyPrefix(code[i]) {
		i++
	}
	if i < n && code[i]&0xf0 == 0x40 {
		i++
	}
	var immSize int
	switch {
	case i+2 < n && code[i] == 0x0f && code[i+1] == 0x38:
		i += 3
	case i+2 < n && code[i] == 0x0f && code[i+1] == 0x3a:
		i, immSize = i+3, 1
	case i == 0 && n > 3 && code[0] == 0x8f && code[1]&0x1f >= 8:
		switch code[1] & 0x1f {
		case 8:
			immSize = 1
		case 0xa:
			immSize = 4
		}
		i = 4
	default:
		return 0, false
	}
	if i >= n {
		return 0, false
	}
	modrm := code[i]
	i++
	if modrm>>6 != 3 {
		var d decoded
		var ok bool
		if i, ok = d.memory(code[:n], i, modrm>>6, modrm&7, 0, false); !ok {
			return 0, false
		}
	}
	if i+immSize > n {
		return 0, false
	}
	return i + immSize, true
}

// isLegacyPrefix reports whether b is a legacy prefix: operand or address
// size, LOCK, REP/REPNE, or a segment override.
func isLegacyPrefix(b byte) bool {
	switch b {
	case 0x66, 0x67, 0xf0, 0xf2, 0xf3, 0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65:
		return true
	}
	return false
}
