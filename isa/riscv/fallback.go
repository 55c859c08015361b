package riscv

import (
	"strings"

	"github.com/footprint-dev/footprint/isa"
	"golang.org/x/arch/riscv64/riscv64asm"
)

// unimp is "csrrw zero, cycle, zero", the 32-bit encoding assemblers emit
// for "unimp": a write of a read-only CSR, which traps.
const unimp = 0xc0001073

// opNames holds riscv64asm's mnemonics in lower case, indexed by
// riscv64asm.Op, so that Decode can name an instruction without allocating.
// It is filled once when the package is initialised and only read after.
var opNames = lowerOpNames()

func lowerOpNames() []string {
	names := []string{""}
	for op := riscv64asm.Op(1); ; op++ {
		s := op.String()
		if strings.HasPrefix(s, "Op(") {
			return names
		}
		names = append(names, strings.ToLower(s))
	}
}

// fallback decodes the 32-bit instruction x with riscv64asm: the
// instructions that neither branch nor form addresses (F/D arithmetic,
// atomics, CSR access, FENCE, bit manipulation). It refuses what is only
// valid on RV64 and records a write of an integer register.
func (d *Decoder) fallback(inst *isa.Inst, x uint32) bool {
	var b [4]byte
	b[0], b[1], b[2], b[3] = byte(x), byte(x>>8), byte(x>>16), byte(x>>24)
	in, err := riscv64asm.Decode(b[:])
	if err != nil || in.Len != 4 || rv64Only(in.Op) || int(in.Op) >= len(opNames) {
		return false
	}
	inst.Op = opNames[in.Op]
	if x == unimp {
		inst.Op = "unimp"
		inst.Flow = isa.FlowStop
		return true
	}
	if r, ok := in.Args[0].(riscv64asm.Reg); ok && r <= riscv64asm.X31 {
		d.write(inst, uint32(r-riscv64asm.X0))
	}
	return true
}

// rv64Only reports whether op exists only on RV64 (among the instructions
// that reach riscv64asm: the OP-32 and OP-IMM-32 major opcodes and 64-bit
// shift amounts are refused before).
func rv64Only(op riscv64asm.Op) bool {
	switch op {
	case riscv64asm.FCVT_D_L, riscv64asm.FCVT_D_LU, riscv64asm.FCVT_H_L, riscv64asm.FCVT_H_LU,
		riscv64asm.FCVT_L_D, riscv64asm.FCVT_L_H, riscv64asm.FCVT_L_Q, riscv64asm.FCVT_L_S,
		riscv64asm.FCVT_LU_D, riscv64asm.FCVT_LU_H, riscv64asm.FCVT_LU_Q, riscv64asm.FCVT_LU_S,
		riscv64asm.FCVT_Q_L, riscv64asm.FCVT_Q_LU, riscv64asm.FCVT_S_L, riscv64asm.FCVT_S_LU,
		riscv64asm.FMV_D_X, riscv64asm.FMV_X_D,
		riscv64asm.LR_D, riscv64asm.LR_D_AQ, riscv64asm.LR_D_AQRL, riscv64asm.LR_D_RL,
		riscv64asm.SC_D, riscv64asm.SC_D_AQ, riscv64asm.SC_D_AQRL, riscv64asm.SC_D_RL,
		riscv64asm.AMOADD_D, riscv64asm.AMOADD_D_AQ, riscv64asm.AMOADD_D_AQRL, riscv64asm.AMOADD_D_RL,
		riscv64asm.AMOAND_D, riscv64asm.AMOAND_D_AQ, riscv64asm.AMOAND_D_AQRL, riscv64asm.AMOAND_D_RL,
		riscv64asm.AMOMAXU_D, riscv64asm.AMOMAXU_D_AQ, riscv64asm.AMOMAXU_D_AQRL, riscv64asm.AMOMAXU_D_RL,
		riscv64asm.AMOMAX_D, riscv64asm.AMOMAX_D_AQ, riscv64asm.AMOMAX_D_AQRL, riscv64asm.AMOMAX_D_RL,
		riscv64asm.AMOMINU_D, riscv64asm.AMOMINU_D_AQ, riscv64asm.AMOMINU_D_AQRL, riscv64asm.AMOMINU_D_RL,
		riscv64asm.AMOMIN_D, riscv64asm.AMOMIN_D_AQ, riscv64asm.AMOMIN_D_AQRL, riscv64asm.AMOMIN_D_RL,
		riscv64asm.AMOOR_D, riscv64asm.AMOOR_D_AQ, riscv64asm.AMOOR_D_AQRL, riscv64asm.AMOOR_D_RL,
		riscv64asm.AMOSWAP_D, riscv64asm.AMOSWAP_D_AQ, riscv64asm.AMOSWAP_D_AQRL, riscv64asm.AMOSWAP_D_RL,
		riscv64asm.AMOXOR_D, riscv64asm.AMOXOR_D_AQ, riscv64asm.AMOXOR_D_AQRL, riscv64asm.AMOXOR_D_RL,
		riscv64asm.AMOCAS_Q, riscv64asm.AMOCAS_Q_AQ, riscv64asm.AMOCAS_Q_AQRL, riscv64asm.AMOCAS_Q_RL:
		return true
	}
	return false
}
