package thumb

import (
	"errors"
	"fmt"
	"math/bits"

	"github.com/footprint-dev/footprint/isa"
)

// ErrUndefined is returned (wrapped, with the address and encoding) for an
// encoding that is unallocated or that this package does not decode.
var ErrUndefined = errors.New("undefined instruction")

// sem says what the decoder computes for a table row beyond its mnemonic.
type sem uint8

const (
	sNone sem = iota

	// Control flow.
	sB16Cond // B<c> T1
	sB16     // B T2
	sCBZ     // CBZ, CBNZ
	sBX      // BX, BXNS: LR is a return
	sBLX     // BLX, BLXNS (register)
	sBXAUT   // BXAUT: authenticated BX to Rn
	sB32Cond // B<c>.W T3
	sB32     // B.W T4
	sBL      // BL
	sBLXImm  // BLX (immediate), to Arm state
	sWLS     // WLS, WLSTP: branch forward over the loop
	sLE      // LE, LETP: branch back to the loop start
	sIT      // IT: makes the next instructions conditional
	sUDF     // UDF: permanently undefined
	sTB      // TBB, TBH

	// Writes of the PC or SP by a register.
	sMovHi16 // MOV (register) T1, with high registers
	sAddHi16 // ADD (register) T2, with high registers

	// Stack pointer, and loads of the PC.
	sPush16   // PUSH T1
	sPop16    // POP T1
	sAddSP16  // ADD SP, SP, #imm
	sSubSP16  // SUB SP, SP, #imm
	sLdm      // LDM/LDMIA/LDMDB T2
	sStm      // STM/STMIA/STMDB T2
	sLdSt8    // load/store, 8-bit immediate with index and writeback (T4)
	sLdReg    // word load, 12-bit immediate or register offset
	sLdrLit32 // LDR (literal) T2
	sLdrdStrd // LDRD, STRD
	sAddImm32 // ADD (immediate) T3
	sSubImm32 // SUB (immediate) T3
	sAddw     // ADDW
	sSubw     // SUBW

	// Literal loads and formed addresses.
	sLdrLit16 // LDR (literal) T1
	sAdr16    // ADR T1
	sAdrAdd32 // ADR T3
	sAdrSub32 // ADR T2
	sMovw     // MOVW
	sMovt     // MOVT

	// Others.
	sCmpImm16 // CMP Rn, #imm8: a possible jump-table bound
	sCmpImm32 // CMP.W Rn, #imm: likewise
	sMSR      // MSR: writes MSP
	sVldm     // VLDM, VSTM, VPUSH, VPOP
	sVldr     // VLDR, VSTR
	sVsys     // VLDR, VSTR of an FP system register
	sMveLdSt  // MVE VLDR, VSTR with a 4-bit Rn
	sMveVld24 // MVE VLD2x, VLD4x, VST2x, VST4x
	sLdc      // LDC, STC
)

// dst is where a row's destination register is encoded. A destination of
// SP makes the stack pointer dynamic (unless the semantics say otherwise),
// and any destination ends a pending MOVW/MOVT pair on that register.
type dst uint8

const (
	dNone  dst = iota
	dLo0       // 16-bit: bits 2:0
	dLo8       // 16-bit: bits 10:8
	dR8        // 32-bit: bits 11:8 of the second halfword
	dR12       // 32-bit: bits 15:12 of the second halfword
	dR12R8     // 32-bit: both
	dR0        // 32-bit: bits 3:0 of the second halfword
	dLR        // LR
)

// Registers and conditions by number.
const (
	regSP = 13
	regLR = 14
	regPC = 15

	condCS = 2
	condHI = 8
	condAL = 14
)

// Decoder decodes Thumb instructions. It is an isa.Decoder. It keeps the
// state of one linear run of code: the IT block in progress, the MOVW
// instructions waiting for their MOVT, and the bound check that may precede
// a TBB or TBH. The zero value is ready to use.
type Decoder struct {
	ix *index // the tables, fetched on first use

	it uint8 // ITSTATE: the condition of the next instruction in bits 7:4

	movwLo   [16]uint16 // low halves set by MOVW, by register
	movwLive uint16     // registers whose movwLo awaits a MOVT

	n        uint32 // instructions decoded since Reset
	cmpReg   uint8  // register of the last CMP Rn, #imm
	cmpImm   uint32 // its immediate
	cmpAt    uint32 // its n, 0 for none
	boundReg uint8  // register bounded by CMP + BHI/BCS
	boundN   int    // entries that bound allows
	boundAt  uint32 // n of the branch, 0 for none
	table    JumpTable
}

var _ isa.Decoder = (*Decoder)(nil)

// NewDecoder returns a Decoder at the start of a run.
func NewDecoder() *Decoder { return &Decoder{} }

// MinLen is 2: Thumb instructions are halfword aligned.
func (d *Decoder) MinLen() int { return 2 }

// Reset starts a new run of code: it ends any IT block, forgets MOVW
// instructions without their MOVT, and forgets bound checks.
func (d *Decoder) Reset() { *d = Decoder{ix: d.ix} }

// Decode decodes the instruction at the start of code, located at addr.
// Code that ends mid-instruction gives an error wrapping isa.ErrTruncated;
// an unallocated encoding gives one wrapping ErrUndefined, with an Inst of
// FlowStop whose Len (2 or 4, from the first halfword) lets the caller skip
// it.
func (d *Decoder) Decode(code []byte, addr uint64) (inst isa.Inst, err error) {
	inst.Addr, inst.Len = addr, 2
	if d.table.Addr != 0 {
		d.table = JumpTable{}
	}
	if len(code) < 2 {
		inst.Len = len(code)
		inst.Flow = isa.FlowStop
		return inst, fmt.Errorf("thumb: %#x: %w", addr, isa.ErrTruncated)
	}
	enc := uint32(code[0]) | uint32(code[1])<<8
	wide := enc>>11 >= 0x1d
	if wide {
		if len(code) < 4 {
			inst.Flow = isa.FlowStop
			return inst, fmt.Errorf("thumb: %#x: 32-bit instruction %04x: %w", addr, enc, isa.ErrTruncated)
		}
		enc = enc<<16 | uint32(code[2]) | uint32(code[3])<<8
		inst.Len = 4
	}
	if d.ix == nil {
		if d.ix, err = tables(); err != nil {
			return inst, fmt.Errorf("thumb: decoding tables: %w", err)
		}
	}
	d.n++
	cond, inIT := d.itCond()
	if inIT {
		d.itAdvance()
	}
	e, op := d.ix.lookup(enc, wide)
	if e == nil {
		inst.Flow = isa.FlowStop
		if wide {
			return inst, fmt.Errorf("thumb: %#x: %08x: %w", addr, enc, ErrUndefined)
		}
		return inst, fmt.Errorf("thumb: %#x: %04x: %w", addr, enc, ErrUndefined)
	}
	inst.Op = op
	inst.Conditional = inIT && cond != condAL
	d.apply(e, enc, &inst, cond, inIT)
	if inst.Conditional && inst.Flow == isa.FlowJump {
		inst.Flow = isa.FlowCondJump
	}
	if inst.Flow != isa.FlowNext {
		d.movwLive = 0
	}
	return inst, nil
}

// itCond returns the condition of the next instruction and whether it is
// in an IT block.
func (d *Decoder) itCond() (cond uint8, in bool) {
	if d.it&0xf == 0 {
		return condAL, false
	}
	return d.it >> 4, true
}

// itAdvance moves ITSTATE on by one instruction, as the architecture does.
func (d *Decoder) itAdvance() {
	if d.it&7 == 0 {
		d.it = 0
		return
	}
	d.it = d.it&0xe0 | d.it<<1&0x1f
}

// apply computes flow, stack and reference facts for e.
func (d *Decoder) apply(e *entry, enc uint32, inst *isa.Inst, cond uint8, inIT bool) {
	pc := inst.Addr + 4
	alignPC := pc &^ 3
	hw1 := enc >> 16 // first halfword of a 32-bit instruction
	rn := hw1 & 0xf
	rt := enc >> 12 & 0xf

	d.writes(e, enc, inst)

	switch e.sem {
	case sNone:

	// Control flow.
	case sB16Cond:
		inst.Flow = isa.FlowCondJump
		inst.Target = pc + uint64(sext(enc&0xff, 8)<<1)
		d.noteBranchCond(uint8(enc >> 8 & 0xf))
	case sB16:
		inst.Flow = isa.FlowJump
		inst.Target = pc + uint64(sext(enc&0x7ff, 11)<<1)
	case sCBZ:
		inst.Flow = isa.FlowCondJump
		inst.Target = pc + uint64(enc>>9&1<<6|enc>>3&0x1f<<1)
	case sBX:
		if enc>>3&0xf == regLR {
			inst.Flow = isa.FlowReturn
		} else {
			inst.Flow = isa.FlowIndirectJump
		}
	case sBLX:
		inst.Flow = isa.FlowIndirectCall
	case sBXAUT:
		if rn == regLR {
			inst.Flow = isa.FlowReturn
		} else {
			inst.Flow = isa.FlowIndirectJump
		}
	case sB32Cond:
		inst.Flow = isa.FlowCondJump
		s, j1, j2 := bit(enc, 26), bit(enc, 13), bit(enc, 11)
		imm := s<<20 | j2<<19 | j1<<18 | hw1&0x3f<<12 | enc&0x7ff<<1
		inst.Target = pc + uint64(sext(imm, 21))
		d.noteBranchCond(uint8(hw1 >> 6 & 0xf))
	case sB32, sBL:
		inst.Flow = isa.FlowJump
		if e.sem == sBL {
			inst.Flow = isa.FlowCall
		}
		inst.Target = pc + uint64(sext(branch24(enc), 25))
	case sBLXImm:
		inst.Flow = isa.FlowCall
		inst.Target = alignPC + uint64(sext(branch24(enc)&^3, 25))
	case sWLS:
		inst.Flow = isa.FlowCondJump
		inst.Target = pc + uint64(lobOffset(enc))
	case sLE:
		inst.Flow = isa.FlowCondJump
		if bit(enc, 21) == 1 { // F: loop forever, no iteration count
			inst.Flow = isa.FlowJump
		}
		inst.Target = pc - uint64(lobOffset(enc))
	case sIT:
		d.it = uint8(enc)
	case sUDF:
		inst.Flow = isa.FlowStop
	case sTB:
		inst.Flow = isa.FlowIndirectJump
		d.noteTable(enc, inst)
	case sMovHi16:
		rd := enc&7 | enc>>4&8
		rm := enc >> 3 & 0xf
		d.kill(rd)
		switch rd {
		case regSP:
			inst.SPDynamic = true
		case regPC:
			if rm == regLR {
				inst.Flow = isa.FlowReturn
			} else {
				inst.Flow = isa.FlowIndirectJump
			}
		}
	case sAddHi16:
		rd := enc&7 | enc>>4&8
		d.kill(rd)
		switch rd {
		case regSP:
			inst.SPDynamic = true
		case regPC:
			inst.Flow = isa.FlowIndirectJump
		}
	case sLdrLit16:
		inst.RefKind = isa.RefLoad
		inst.Ref = alignPC + uint64(enc&0xff<<2)
	case sAdr16:
		inst.RefKind = isa.RefAddr
		inst.Ref = alignPC + uint64(enc&0xff<<2)

	// Stack pointer.
	case sPush16:
		inst.SPDelta = -4 * int64(bits.OnesCount32(enc&0x1ff))
	case sPop16:
		inst.SPDelta = 4 * int64(bits.OnesCount32(enc&0x1ff))
		if enc&0x100 != 0 {
			inst.Flow = isa.FlowReturn
		}
	case sAddSP16:
		inst.SPDelta = int64(enc&0x7f) << 2
	case sSubSP16:
		inst.SPDelta = -int64(enc&0x7f) << 2
	case sLdm, sStm:
		list := enc & 0xffff
		load := e.sem == sLdm
		if rn == regSP && bit(enc, 21) == 1 {
			n := 4 * int64(bits.OnesCount32(list))
			if bit(enc, 24) == 1 { // decrement before
				n = -n
			}
			inst.SPDelta = n
		}
		if load {
			for r := range uint32(15) {
				if list>>r&1 == 1 {
					d.kill(r)
				}
			}
			if list>>regSP&1 == 1 {
				inst.SPDynamic = true
			}
			if list>>regPC&1 == 1 {
				if rn == regSP {
					inst.Flow = isa.FlowReturn
				} else {
					inst.Flow = isa.FlowIndirectJump
				}
			}
		}
	case sLdSt8:
		imm := int64(enc & 0xff)
		if bit(enc, 9) == 0 { // U
			imm = -imm
		}
		writeback := bit(enc, 8) == 1
		if rn == regSP && writeback {
			inst.SPDelta = imm
		}
		if isWordLoad(hw1) && rt == regPC {
			// "ldr.w pc, [sp], #4" is POP {pc}; other loads into the PC
			// jump through memory.
			if rn == regSP && writeback {
				inst.Flow = isa.FlowReturn
			} else {
				inst.Flow = isa.FlowIndirectJump
			}
		}
	case sLdReg:
		if isWordLoad(hw1) && rt == regPC {
			inst.Flow = isa.FlowIndirectJump
		}
	case sLdrLit32:
		off := uint64(enc & 0xfff)
		if bit(enc, 23) == 1 {
			inst.Ref = alignPC + off
		} else {
			inst.Ref = alignPC - off
		}
		inst.RefKind = isa.RefLoad
		if rt == regPC {
			inst.Flow = isa.FlowIndirectJump
		}
	case sLdrdStrd:
		imm := int64(enc&0xff) << 2
		if bit(enc, 23) == 0 {
			imm = -imm
		}
		p, w := bit(enc, 24), bit(enc, 21)
		switch {
		case rn == regPC && p == 1 && w == 0 && bit(enc, 20) == 1:
			inst.RefKind = isa.RefLoad
			inst.Ref = alignPC + uint64(imm)
		case rn == regSP && w == 1:
			inst.SPDelta = imm
		}
	case sAddImm32, sSubImm32:
		imm := int64(int32(expandImm(enc)))
		if e.sem == sSubImm32 {
			imm = -imm
		}
		d.adjustSP(enc, rn, imm, inst)
	case sAddw, sSubw:
		imm := int64(plainImm12(enc))
		if e.sem == sSubw {
			imm = -imm
		}
		d.adjustSP(enc, rn, imm, inst)
	case sAdrAdd32:
		inst.RefKind = isa.RefAddr
		inst.Ref = alignPC + uint64(plainImm12(enc))
	case sAdrSub32:
		inst.RefKind = isa.RefAddr
		inst.Ref = alignPC - uint64(plainImm12(enc))
	case sMovw:
		rd := enc >> 8 & 0xf
		d.movwLo[rd] = uint16(movImm16(enc))
		d.movwLive |= 1 << rd
	case sMovt:
		rd := enc >> 8 & 0xf
		if d.movwPending(rd) {
			inst.RefKind = isa.RefAddr
			inst.Ref = uint64(movImm16(enc))<<16 | uint64(d.movwLo[rd])
		}
		d.kill(rd)
	case sCmpImm16:
		d.noteCmp(uint8(enc>>8&7), enc&0xff)
	case sCmpImm32:
		d.noteCmp(uint8(rn), expandImm(enc))
	case sMSR:
		// Writing MSP changes the stack pointer in use in handler mode
		// and in startup code; PSP is usually the stack of a task being
		// switched away from.
		if enc&0xff == 8 {
			inst.SPDynamic = true
		}
	case sVldm:
		if rn == regSP && bit(enc, 21) == 1 {
			n := int64(enc&0xff) << 2
			if bit(enc, 24) == 1 { // decrement before
				n = -n
			}
			inst.SPDelta = n
		}
	case sVldr:
		if rn == regPC && bit(enc, 20) == 1 {
			off := uint64(enc&0xff) << 2
			if enc>>8&0xf == 9 { // half precision: halfword offsets
				off >>= 1
			}
			inst.RefKind = isa.RefLoad
			if bit(enc, 23) == 1 {
				inst.Ref = alignPC + off
			} else {
				inst.Ref = alignPC - off
			}
		}
	case sVsys:
		d.writebackSP(enc, rn, int64(enc&0x7f)<<2, inst)
	case sLdc:
		d.writebackSP(enc, rn, int64(enc&0xff)<<2, inst)
	case sMveLdSt:
		size := enc >> 7 & 3
		d.writebackSP(enc, rn, int64(enc&0x7f)<<size, inst)
	case sMveVld24:
		if rn == regSP && bit(enc, 21) == 1 {
			inst.SPDelta = 32
			if bit(enc, 0) == 1 {
				inst.SPDelta = 64
			}
		}
	}
}

// writes applies a row's destination register: a write to SP makes the
// stack pointer dynamic, and any write ends a pending MOVW on that register
// (but for MOVT, which reads it first).
func (d *Decoder) writes(e *entry, enc uint32, inst *isa.Inst) {
	var regs uint32 // bit mask of the registers written
	switch e.dst {
	case dNone:
		return
	case dLo0:
		regs = 1 << (enc & 7)
	case dLo8:
		regs = 1 << (enc >> 8 & 7)
	case dR8:
		regs = 1 << (enc >> 8 & 0xf)
	case dR12:
		regs = 1 << (enc >> 12 & 0xf)
	case dR12R8:
		regs = 1<<(enc>>12&0xf) | 1<<(enc>>8&0xf)
	case dR0:
		regs = 1 << (enc & 0xf)
	case dLR:
		regs = 1 << regLR
	}
	if e.sem != sMovt {
		d.movwLive &^= uint16(regs)
	}
	if regs&(1<<regSP) != 0 {
		inst.SPDynamic = true
	}
}

// kill forgets a pending MOVW on register r.
func (d *Decoder) kill(r uint32) { d.movwLive &^= 1 << r }

func (d *Decoder) movwPending(r uint32) bool { return d.movwLive>>r&1 == 1 }

// adjustSP sets the SP effect of ADD/SUB (immediate) with Rd = SP: a
// constant delta when Rn is SP too, otherwise SP is set from another
// register and is dynamic (already set by writes).
func (d *Decoder) adjustSP(enc, rn uint32, imm int64, inst *isa.Inst) {
	if enc>>8&0xf == regSP && rn == regSP {
		inst.SPDynamic = false
		inst.SPDelta = imm
	}
}

// writebackSP sets the SP effect of a coprocessor-style load or store with
// P (bit 24), U (bit 23) and W (bit 21), when its base is SP.
func (d *Decoder) writebackSP(enc, rn uint32, imm int64, inst *isa.Inst) {
	if rn != regSP || bit(enc, 21) == 0 {
		return
	}
	if bit(enc, 23) == 0 {
		imm = -imm
	}
	inst.SPDelta = imm
}

// isWordLoad reports whether the first halfword of a 32-bit load/store
// single is a word load (LDR, not LDRB, LDRH or a store).
func isWordLoad(hw1 uint32) bool { return hw1&0xff70 == 0xf850 }

// sext sign-extends the low n bits of v.
func sext(v uint32, n uint) int64 { return int64(int32(v<<(32-n)) >> (32 - n)) }

// branch24 assembles the offset of B.W T4, BL and BLX: S:I1:I2:imm10:imm11:0
// with I1 = NOT(J1 XOR S) and I2 = NOT(J2 XOR S).
func branch24(enc uint32) uint32 {
	s := bit(enc, 26)
	i1 := ^(bit(enc, 13) ^ s) & 1
	i2 := ^(bit(enc, 11) ^ s) & 1
	return s<<24 | i1<<23 | i2<<22 | enc>>16&0x3ff<<12 | enc&0x7ff<<1
}

// lobOffset is the offset of WLS and LE: immh (bits 10:1) : imml (bit 11) : 0.
func lobOffset(enc uint32) uint32 { return (enc>>1&0x3ff<<1 | bit(enc, 11)) << 1 }

// plainImm12 is the i:imm3:imm8 immediate of ADDW, SUBW and ADR.
func plainImm12(enc uint32) uint32 { return bit(enc, 26)<<11 | enc>>12&7<<8 | enc&0xff }

// movImm16 is the imm4:i:imm3:imm8 immediate of MOVW and MOVT.
func movImm16(enc uint32) uint32 { return enc>>16&0xf<<12 | plainImm12(enc) }

// expandImm is ThumbExpandImm of the i:imm3:imm8 field.
func expandImm(enc uint32) uint32 {
	imm12 := plainImm12(enc)
	imm8 := imm12 & 0xff
	if imm12>>10 == 0 {
		switch imm12 >> 8 & 3 {
		case 0:
			return imm8
		case 1:
			return imm8<<16 | imm8
		case 2:
			return imm8<<24 | imm8<<8
		default:
			return imm8<<24 | imm8<<16 | imm8<<8 | imm8
		}
	}
	return bits.RotateLeft32(0x80|imm12&0x7f, -int(imm12>>7))
}
