package riscv

import "github.com/footprint-dev/footprint/isa"

// cForm says how a compressed instruction's fields are laid out and what the
// decoder does with them.
type cForm uint8

const (
	cfUnimp    cForm = iota // the all-zero halfword: defined illegal
	cfAddi4spn              // rd' = sp + nzuimm
	cfLoad                  // rd' = mem[rs1' + uimm] (integer or FP rd')
	cfStore                 // mem[rs1' + uimm] = rs2'
	cfAddi                  // rd += imm (c.nop when rd is x0)
	cfJal                   // ra = pc+2; pc += offset (RV32 only)
	cfLi                    // rd = imm
	cfAddi16sp              // sp += nzimm
	cfLui                   // rd = nzimm << 12
	cfShift                 // c.srli, c.srai, c.slli: shamt[5] must be 0 on RV32
	cfALU                   // rd' op= ... (c.andi, c.sub, c.xor, c.or, c.and)
	cfJ                     // pc += offset
	cfBranch                // c.beqz, c.bnez
	cfLoadSP                // rd = mem[sp + uimm] (integer or FP rd)
	cfStoreSP               // mem[sp + uimm] = rs2
	cfJr                    // pc = rs1
	cfMv                    // rd = rs2
	cfEbreak                // breakpoint; semihosting resumes after it
	cfJalr                  // ra = pc+2; pc = rs1
	cfAdd                   // rd += rs2
)

// cFormat is one row of the compressed-instruction table: the halfwords h
// with h&mask == value are op, laid out as form.
type cFormat struct {
	mask, value uint16
	op          string
	form        cForm
	// fp marks loads into an FP register; double marks the 8-byte loads and
	// stores, whose offsets are scaled by 8 instead of 4.
	fp, double bool
}

// cFormats is the RV32C table with the F and D compressed loads and stores,
// from the RISC-V unprivileged ISA manual, chapter "C" (RVC opcode map).
// Rows are tried in order, so the special cases of an encoding (c.nop,
// c.addi16sp, c.jr, c.ebreak, c.jalr) come before the general row.
// Encodings no row matches are reserved, RV64/RV128-only (c.subw, c.addw) or
// belong to later extensions (Zcb, Zcmp) and are refused.
var cFormats = [...]cFormat{
	// Quadrant 0.
	{mask: 0xffff, value: 0x0000, op: "c.unimp", form: cfUnimp},
	{mask: 0xe003, value: 0x0000, op: "c.addi4spn", form: cfAddi4spn},
	{mask: 0xe003, value: 0x2000, op: "c.fld", form: cfLoad, fp: true, double: true},
	{mask: 0xe003, value: 0x4000, op: "c.lw", form: cfLoad},
	{mask: 0xe003, value: 0x6000, op: "c.flw", form: cfLoad, fp: true},
	{mask: 0xe003, value: 0xa000, op: "c.fsd", form: cfStore},
	{mask: 0xe003, value: 0xc000, op: "c.sw", form: cfStore},
	{mask: 0xe003, value: 0xe000, op: "c.fsw", form: cfStore},
	// Quadrant 1.
	{mask: 0xef83, value: 0x0001, op: "c.nop", form: cfAddi},
	{mask: 0xe003, value: 0x0001, op: "c.addi", form: cfAddi},
	{mask: 0xe003, value: 0x2001, op: "c.jal", form: cfJal},
	{mask: 0xe003, value: 0x4001, op: "c.li", form: cfLi},
	{mask: 0xef83, value: 0x6101, op: "c.addi16sp", form: cfAddi16sp},
	{mask: 0xe003, value: 0x6001, op: "c.lui", form: cfLui},
	{mask: 0xec03, value: 0x8001, op: "c.srli", form: cfShift},
	{mask: 0xec03, value: 0x8401, op: "c.srai", form: cfShift},
	{mask: 0xec03, value: 0x8801, op: "c.andi", form: cfALU},
	{mask: 0xfc63, value: 0x8c01, op: "c.sub", form: cfALU},
	{mask: 0xfc63, value: 0x8c21, op: "c.xor", form: cfALU},
	{mask: 0xfc63, value: 0x8c41, op: "c.or", form: cfALU},
	{mask: 0xfc63, value: 0x8c61, op: "c.and", form: cfALU},
	{mask: 0xe003, value: 0xa001, op: "c.j", form: cfJ},
	{mask: 0xe003, value: 0xc001, op: "c.beqz", form: cfBranch},
	{mask: 0xe003, value: 0xe001, op: "c.bnez", form: cfBranch},
	// Quadrant 2.
	{mask: 0xe003, value: 0x0002, op: "c.slli", form: cfShift},
	{mask: 0xe003, value: 0x2002, op: "c.fldsp", form: cfLoadSP, fp: true, double: true},
	{mask: 0xe003, value: 0x4002, op: "c.lwsp", form: cfLoadSP},
	{mask: 0xe003, value: 0x6002, op: "c.flwsp", form: cfLoadSP, fp: true},
	{mask: 0xf07f, value: 0x8002, op: "c.jr", form: cfJr},
	{mask: 0xf003, value: 0x8002, op: "c.mv", form: cfMv},
	{mask: 0xffff, value: 0x9002, op: "c.ebreak", form: cfEbreak},
	{mask: 0xf07f, value: 0x9002, op: "c.jalr", form: cfJalr},
	{mask: 0xf003, value: 0x9002, op: "c.add", form: cfAdd},
	{mask: 0xe003, value: 0xa002, op: "c.fsdsp", form: cfStoreSP},
	{mask: 0xe003, value: 0xc002, op: "c.swsp", form: cfStoreSP},
	{mask: 0xe003, value: 0xe002, op: "c.fswsp", form: cfStoreSP},
}

// Field extraction for compressed encodings.
func cRd(h uint16) uint32        { return uint32(h>>7) & 31 }  // rd/rs1, bits 11:7
func cRdPrime(h uint16) uint32   { return uint32(h>>2)&7 + 8 } // rd'/rs2', bits 4:2
func cRs1Prime(h uint16) uint32  { return uint32(h>>7)&7 + 8 } // rs1'/rd', bits 9:7
func bit(h uint16, i uint) int32 { return int32(h>>i) & 1 }

// cImm6 is the sign-extended CI-format immediate imm[5] = bit 12,
// imm[4:0] = bits 6:2 (c.addi, c.li, c.andi; shifted by 12 for c.lui).
func cImm6(h uint16) int32 {
	return -bit(h, 12)<<5 | int32(h>>2)&31
}

// cLoadOffset is the CL/CS-format offset of a 4-byte (uimm[5:3] = bits
// 12:10, uimm[2] = bit 6, uimm[6] = bit 5) or 8-byte (uimm[7:6] = bits 6:5)
// access.
func cLoadOffset(h uint16, double bool) int32 {
	off := int32(h>>10&7) << 3
	if double {
		return off | int32(h>>5&3)<<6
	}
	return off | bit(h, 6)<<2 | bit(h, 5)<<6
}

// cJumpOffset is the CJ-format offset[11|4|9:8|10|6|7|3:1|5] in bits 12:2.
func cJumpOffset(h uint16) int32 {
	return -bit(h, 12)<<11 | bit(h, 11)<<4 | int32(h>>9&3)<<8 | bit(h, 8)<<10 |
		bit(h, 7)<<6 | bit(h, 6)<<7 | int32(h>>3&7)<<1 | bit(h, 2)<<5
}

// cBranchOffset is the CB-format offset[8|4:3] in bits 12:10 and
// offset[7:6|2:1|5] in bits 6:2.
func cBranchOffset(h uint16) int32 {
	return -bit(h, 12)<<8 | int32(h>>10&3)<<3 | int32(h>>5&3)<<6 | int32(h>>3&3)<<1 | bit(h, 2)<<5
}

// cAddi16spImm is nzimm[9] = bit 12, nzimm[4|6|8:7|5] = bits 6:2.
func cAddi16spImm(h uint16) int32 {
	return -bit(h, 12)<<9 | bit(h, 6)<<4 | bit(h, 5)<<6 | int32(h>>3&3)<<7 | bit(h, 2)<<5
}

// cAddi4spnImm is nzuimm[5:4|9:6|2|3] in bits 12:5.
func cAddi4spnImm(h uint16) int32 {
	return int32(h>>11&3)<<4 | int32(h>>7&15)<<6 | bit(h, 6)<<2 | bit(h, 5)<<3
}

// decodeCompressed decodes the 16-bit instruction h into inst and reports
// whether it is a valid RV32C instruction.
func (d *Decoder) decodeCompressed(inst *isa.Inst, h uint16) bool {
	for i := range cFormats {
		f := &cFormats[i]
		if h&f.mask == f.value {
			inst.Op = f.op
			return d.compressed(inst, h, f)
		}
	}
	return false
}

// compressed applies the row f that matched h.
func (d *Decoder) compressed(inst *isa.Inst, h uint16, f *cFormat) bool {
	switch f.form {
	case cfUnimp:
		inst.Flow = isa.FlowStop
	case cfAddi4spn:
		if cAddi4spnImm(h) == 0 {
			return false
		}
		d.write(inst, cRdPrime(h))
	case cfLoad:
		d.load(inst, cRs1Prime(h), cLoadOffset(h, f.double))
		if !f.fp {
			d.write(inst, cRdPrime(h))
		}
	case cfStore, cfStoreSP:
	case cfAddi:
		if r := cRd(h); r != regZero {
			d.addi(inst, r, r, cImm6(h))
		}
	case cfJal:
		inst.Flow = isa.FlowCall
		inst.Target = target(inst.Addr, cJumpOffset(h))
		d.write(inst, regRA)
	case cfLi:
		if r := cRd(h); r != regZero {
			d.write(inst, r)
		}
	case cfAddi16sp:
		imm := cAddi16spImm(h)
		if imm == 0 {
			return false
		}
		d.addi(inst, regSP, regSP, imm)
	case cfLui:
		imm := cImm6(h)
		if imm == 0 {
			return false
		}
		if r := cRd(h); r != regZero {
			d.write(inst, r)
			d.setHi(r, uint32(imm)<<12)
		}
	case cfShift:
		if bit(h, 12) != 0 {
			return false // shamt[5]: RV64 only
		}
		if h&3 == 2 {
			d.write(inst, cRd(h)) // c.slli: full rd
		} else {
			d.write(inst, cRs1Prime(h))
		}
	case cfALU:
		d.write(inst, cRs1Prime(h))
	case cfJ:
		inst.Flow = isa.FlowJump
		inst.Target = target(inst.Addr, cJumpOffset(h))
	case cfBranch:
		inst.Flow = isa.FlowCondJump
		inst.Target = target(inst.Addr, cBranchOffset(h))
	case cfLoadSP:
		if !f.fp {
			if cRd(h) == regZero {
				return false
			}
			d.write(inst, cRd(h))
		}
	case cfJr:
		if cRd(h) == regZero {
			return false
		}
		d.jalr(inst, regZero, cRd(h), 0)
	case cfMv, cfAdd:
		if r := cRd(h); r != regZero {
			d.write(inst, r)
		}
	case cfEbreak:
	case cfJalr:
		d.jalr(inst, regRA, cRd(h), 0)
	}
	return true
}
