// Package riscv decodes RV32 machine code (RV32IMC with the A, F and D
// extensions, Zicsr, Zifencei and the machine-mode privileged instructions)
// into isa.Inst: length, control flow, stack-pointer effect and the addresses
// that AUIPC/LUI pairs form, which is what footprint's call graph and
// worst-case stack analysis need.
//
// Three decoders share the work:
//
//   - The 16-bit compressed instructions are decoded by a small table of our
//     own (compressed.go). golang.org/x/arch/riscv64/riscv64asm is an RV64
//     decoder and reads the RV32-only compressed encodings as their RV64
//     namesakes: C.JAL as C.ADDIW, C.FLW/C.FSW/C.FLWSP/C.FSWSP as
//     C.LD/C.SD/C.LDSP/C.SDSP, so it cannot be used for them.
//   - The 32-bit base instructions that carry everything the analysis looks
//     at (LUI, AUIPC, JAL, JALR, branches, loads, stores, OP-IMM, OP with M,
//     FLW/FSW/FLD/FSD and the privileged SYSTEM instructions, which
//     riscv64asm does not know: MRET, SRET, WFI) are decoded here from their
//     bit fields. This also applies the RV32 rules riscv64asm does not: a
//     shift amount with bit 25 set, LD, SD, LWU and the *W instructions are
//     illegal on RV32. It keeps the common path free of allocations
//     (riscv64asm allocates its operands and searches its table linearly).
//   - Every other 32-bit instruction (F/D arithmetic, atomics, CSR access,
//     FENCE, bit manipulation) goes to riscv64asm, which knows them, with its
//     RV64-only instructions refused. None of these changes control flow or
//     forms an address; the decoder only needs their name, their validity
//     and whether they write an integer register.
//
// The Decoder is stateful within a linear run of code: it remembers the value
// each register got from its last AUIPC or LUI, so that a later ADDI, load or
// JALR through that register yields the address (RefAddr, RefLoad) or the
// direct target (a "call" or "tail" pseudo-instruction) the pair forms. A
// register loses its value when any other instruction writes it. The pair is
// not checked against control flow: a branch target between the two
// instructions may see a different register value, so callers Reset at
// function starts. Given the value of gp (SetGlobalPointer, from the
// __global_pointer$ symbol), gp-relative addresses are references too, as
// objdump shows them.
package riscv

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/isa"
)

// Register numbers with a role in the analysis.
const (
	regZero = 0
	regRA   = 1
	regSP   = 2
	regGP   = 3
)

// errUnknown is returned (wrapped) for an encoding that is not a valid RV32
// instruction of the supported extensions.
var errUnknown = errors.New("unknown RV32 instruction")

// Decoder decodes RV32 instructions; it implements isa.Decoder. The zero
// value is not ready for use: call NewDecoder.
type Decoder struct {
	// hi holds, for each register whose bit is set in known, the value its
	// last AUIPC or LUI wrote.
	hi    [32]uint32
	known uint32
	// gp is the value of the global pointer (x3) when hasGP is set.
	gp    uint32
	hasGP bool
}

// NewDecoder returns a Decoder with no register values known.
func NewDecoder() *Decoder {
	return &Decoder{}
}

var _ isa.Decoder = (*Decoder)(nil)

// MinLen is 2: compressed instructions are 2 bytes long and every
// instruction starts on a 2-byte boundary.
func (d *Decoder) MinLen() int { return 2 }

// Reset forgets the register values that AUIPC and LUI set. The global
// pointer given to SetGlobalPointer is kept: it is constant for a program.
func (d *Decoder) Reset() {
	d.known = 0
}

// SetGlobalPointer tells the decoder the value of gp (x3), which startup code
// loads with __global_pointer$ and never changes; addresses formed or loaded
// relative to gp ("addi a0, gp, -2016", "lw a5, -1992(gp)", the result of
// linker relaxation) then become references too.
func (d *Decoder) SetGlobalPointer(gp uint64) {
	d.gp = uint32(gp)
	d.hasGP = true
}

// Decode decodes the instruction at the start of code, located at addr. An
// invalid or truncated instruction also makes the decoder forget the
// register values AUIPC and LUI set.
func (d *Decoder) Decode(code []byte, addr uint64) (isa.Inst, error) {
	inst, err := d.decode(code, addr)
	if err != nil {
		d.known = 0
	}
	return inst, err
}

func (d *Decoder) decode(code []byte, addr uint64) (isa.Inst, error) {
	inst := isa.Inst{Addr: addr}
	if len(code) < 2 {
		inst.Len = len(code)
		return inst, fmt.Errorf("riscv: %d byte at %#x: %w", len(code), addr, isa.ErrTruncated)
	}
	lo := binary.LittleEndian.Uint16(code)
	if lo&3 != 3 {
		inst.Len = 2
		if !d.decodeCompressed(&inst, lo) {
			return isa.Inst{Addr: addr, Len: 2}, fmt.Errorf("riscv: halfword %#04x at %#x: %w", lo, addr, errUnknown)
		}
		return inst, nil
	}
	if n := encodedLen(lo); n != 4 {
		inst.Len = 2
		if n <= len(code) {
			inst.Len = n
		}
		return inst, fmt.Errorf("riscv: %d-byte encoding %#04x at %#x: %w", n, lo, addr, errUnknown)
	}
	if len(code) < 4 {
		inst.Len = 2
		return inst, fmt.Errorf("riscv: 4-byte instruction at %#x: %w", addr, isa.ErrTruncated)
	}
	inst.Len = 4
	x := binary.LittleEndian.Uint32(code)
	if !d.decode32(&inst, x) {
		return isa.Inst{Addr: addr, Len: 4}, fmt.Errorf("riscv: word %#08x at %#x: %w", x, addr, errUnknown)
	}
	return inst, nil
}

// encodedLen is the length of the instruction whose first halfword is lo
// (lo&3 == 3), by the ISA's length encoding: 4, 6, 8, or 2 for the longer
// encodings, whose length is not decoded.
func encodedLen(lo uint16) int {
	switch {
	case lo&0x1c != 0x1c:
		return 4
	case lo&0x3f == 0x1f:
		return 6
	case lo&0x7f == 0x3f:
		return 8
	}
	return 2
}

// setHi records that register r now holds v (from AUIPC or LUI).
func (d *Decoder) setHi(r uint32, v uint32) {
	if r == regZero {
		return
	}
	d.hi[r] = v
	d.known |= 1 << r
}

// base returns the known value of register r used as a base address: the
// value from its last AUIPC/LUI, the global pointer, or zero for x0.
func (d *Decoder) base(r uint32) (uint32, bool) {
	switch {
	case d.known&(1<<r) != 0:
		return d.hi[r], true
	case r == regGP && d.hasGP:
		return d.gp, true
	case r == regZero:
		return 0, true
	}
	return 0, false
}

// write records that an instruction wrote register r with a value the
// decoder does not track, and marks a write of sp as dynamic.
func (d *Decoder) write(inst *isa.Inst, r uint32) {
	d.known &^= 1 << r
	if r == regSP {
		inst.SPDynamic = true
	}
}

// target is addr plus a signed offset, wrapped to 32 bits.
func target(addr uint64, off int32) uint64 {
	return uint64(uint32(addr) + uint32(off))
}

// Bit-field helpers for 32-bit encodings.
func rd(x uint32) uint32     { return x >> 7 & 31 }
func rs1(x uint32) uint32    { return x >> 15 & 31 }
func funct3(x uint32) uint32 { return x >> 12 & 7 }
func funct7(x uint32) uint32 { return x >> 25 }
func immI(x uint32) int32    { return int32(x) >> 20 }
func immU(x uint32) uint32   { return x &^ 0xfff }

func immB(x uint32) int32 {
	return int32(x)>>31<<12 | int32(x>>7&1)<<11 | int32(x>>25&0x3f)<<5 | int32(x>>8&0xf)<<1
}

func immJ(x uint32) int32 {
	return int32(x)>>31<<20 | int32(x>>12&0xff)<<12 | int32(x>>20&1)<<11 | int32(x>>21&0x3ff)<<1
}

// Mnemonics of the instructions decoded here, indexed by funct3.
var (
	branchOps = [8]string{"beq", "bne", "", "", "blt", "bge", "bltu", "bgeu"}
	loadOps   = [8]string{"lb", "lh", "lw", "", "lbu", "lhu", "", ""}
	storeOps  = [8]string{"sb", "sh", "sw", "", "", "", "", ""}
	opImmOps  = [8]string{"addi", "slli", "slti", "sltiu", "xori", "srli", "ori", "andi"}
	opOps     = [8]string{"add", "sll", "slt", "sltu", "xor", "srl", "or", "and"}
	mulOps    = [8]string{"mul", "mulh", "mulhsu", "mulhu", "div", "divu", "rem", "remu"}
)

// Major opcodes (bits 6:0) of the 32-bit encodings decoded here.
const (
	opLoad    = 0x03
	opLoadFP  = 0x07
	opOpImm   = 0x13
	opAUIPC   = 0x17
	opStore   = 0x23
	opStoreFP = 0x27
	opOp      = 0x33
	opLUI     = 0x37
	opBranch  = 0x63
	opJALR    = 0x67
	opJAL     = 0x6f
	opSystem  = 0x73
	opImm32   = 0x1b // RV64 only
	opOp32    = 0x3b // RV64 only
)

// decode32 decodes the 32-bit instruction x into inst and reports whether it
// is valid.
func (d *Decoder) decode32(inst *isa.Inst, x uint32) bool {
	f3 := funct3(x)
	switch x & 0x7f {
	case opLUI:
		inst.Op = "lui"
		d.write(inst, rd(x))
		d.setHi(rd(x), immU(x))
	case opAUIPC:
		inst.Op = "auipc"
		d.write(inst, rd(x))
		d.setHi(rd(x), uint32(inst.Addr)+immU(x))
	case opJAL:
		inst.Op = "jal"
		inst.Target = target(inst.Addr, immJ(x))
		inst.Flow = isa.FlowCall
		if rd(x) == regZero {
			inst.Flow = isa.FlowJump
		}
		d.write(inst, rd(x))
	case opJALR:
		if f3 != 0 {
			return false
		}
		inst.Op = "jalr"
		d.jalr(inst, rd(x), rs1(x), immI(x))
	case opBranch:
		if branchOps[f3] == "" {
			return false
		}
		inst.Op = branchOps[f3]
		inst.Flow = isa.FlowCondJump
		inst.Target = target(inst.Addr, immB(x))
	case opLoad:
		if loadOps[f3] == "" {
			return false
		}
		inst.Op = loadOps[f3]
		d.load(inst, rs1(x), immI(x))
		d.write(inst, rd(x))
	case opLoadFP:
		switch f3 {
		case 2:
			inst.Op = "flw"
		case 3:
			inst.Op = "fld"
		default:
			return d.fallback(inst, x)
		}
		d.load(inst, rs1(x), immI(x))
	case opStore:
		if storeOps[f3] == "" {
			return false
		}
		inst.Op = storeOps[f3]
	case opStoreFP:
		switch f3 {
		case 2:
			inst.Op = "fsw"
		case 3:
			inst.Op = "fsd"
		default:
			return d.fallback(inst, x)
		}
	case opOpImm:
		return d.opImm(inst, x)
	case opOp:
		switch {
		case funct7(x) == 0:
			inst.Op = opOps[f3]
		case funct7(x) == 0x20 && f3 == 0:
			inst.Op = "sub"
		case funct7(x) == 0x20 && f3 == 5:
			inst.Op = "sra"
		case funct7(x) == 1:
			inst.Op = mulOps[f3]
		default:
			return d.fallback(inst, x)
		}
		d.write(inst, rd(x))
	case opSystem:
		if f3 == 0 {
			return d.privileged(inst, x)
		}
		return d.fallback(inst, x)
	case opImm32, opOp32:
		return false
	default:
		return d.fallback(inst, x)
	}
	return true
}

// opImm decodes the OP-IMM instructions; the shifts' RV32 form needs bit 25
// clear, and the bit-manipulation instructions in this space go to
// riscv64asm.
func (d *Decoder) opImm(inst *isa.Inst, x uint32) bool {
	f3 := funct3(x)
	switch {
	case f3 == 1 || f3 == 5:
		switch {
		case x>>25&1 != 0:
			return false // shamt[5]: RV64 only
		case funct7(x) == 0:
			inst.Op = opImmOps[f3]
		case funct7(x) == 0x20 && f3 == 5:
			inst.Op = "srai"
		default:
			return d.fallback(inst, x)
		}
		d.write(inst, rd(x))
		return true
	case f3 == 0:
		inst.Op = "addi"
		d.addi(inst, rd(x), rs1(x), immI(x))
		return true
	}
	inst.Op = opImmOps[f3]
	d.write(inst, rd(x))
	return true
}

// addi handles "addi rd, rs1, imm" (and the compressed forms that expand to
// it): an SP adjustment when rd and rs1 are sp, an address when rs1 holds an
// AUIPC/LUI value or is gp.
func (d *Decoder) addi(inst *isa.Inst, rdReg, rs1Reg uint32, imm int32) {
	if rdReg == regSP && rs1Reg == regSP && d.known&(1<<regSP) == 0 {
		inst.SPDelta = int64(imm)
		return
	}
	if rs1Reg != regZero {
		if b, ok := d.base(rs1Reg); ok {
			inst.Ref = uint64(b + uint32(imm))
			inst.RefKind = isa.RefAddr
		}
	}
	d.write(inst, rdReg)
}

// load records the address a load from imm(rs1) reads when rs1 is known.
// The caller records the write of the destination afterwards (rd may equal
// rs1).
func (d *Decoder) load(inst *isa.Inst, rs1Reg uint32, imm int32) {
	if b, ok := d.base(rs1Reg); ok {
		inst.Ref = uint64(b + uint32(imm))
		inst.RefKind = isa.RefLoad
	}
}

// jalr handles "jalr rd, imm(rs1)" and the compressed c.jr and c.jalr.
func (d *Decoder) jalr(inst *isa.Inst, rdReg, rs1Reg uint32, imm int32) {
	b, known := d.base(rs1Reg)
	switch {
	case known:
		inst.Target = uint64((b + uint32(imm)) &^ 1)
		inst.Flow = isa.FlowCall
		if rdReg == regZero {
			inst.Flow = isa.FlowJump
		}
	case rdReg != regZero:
		inst.Flow = isa.FlowIndirectCall
	case rs1Reg == regRA && imm == 0:
		inst.Flow = isa.FlowReturn
	default:
		inst.Flow = isa.FlowIndirectJump
	}
	d.write(inst, rdReg)
}

// privileged decodes the SYSTEM instructions with funct3 0, which riscv64asm
// only partly knows (ECALL, EBREAK) or does not know (MRET, WFI, ...).
func (d *Decoder) privileged(inst *isa.Inst, x uint32) bool {
	switch x {
	case 0x00000073:
		inst.Op = "ecall"
	case 0x00100073:
		// Semihosting and debuggers resume after ebreak.
		inst.Op = "ebreak"
	case 0x00200073:
		inst.Op = "uret"
		inst.Flow = isa.FlowReturn
	case 0x10200073:
		inst.Op = "sret"
		inst.Flow = isa.FlowReturn
	case 0x30200073:
		inst.Op = "mret"
		inst.Flow = isa.FlowReturn
	case 0x7b200073:
		inst.Op = "dret"
		inst.Flow = isa.FlowReturn
	case 0x10500073:
		inst.Op = "wfi"
	default:
		if funct7(x) != 0x09 || rd(x) != 0 {
			return false
		}
		inst.Op = "sfence.vma"
	}
	return true
}
