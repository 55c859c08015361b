package thumb

// Mnemonics that depend on fields of the encoding. Each function returns
// a constant string (no allocation per instruction), or "" when the
// encoding is unallocated after all, which makes the row not match.

// bit returns bit n of enc.
func bit(enc uint32, n uint) uint32 { return enc >> n & 1 }

// pick2 names an encoding by one bit.
func pick2(n uint, zero, one string) func(uint32) string {
	return func(enc uint32) string {
		if bit(enc, n) == 0 {
			return zero
		}
		return one
	}
}

// bt names the bottom/top forms of MVE narrowing instructions (bit 12).
func bt(bottom, top string) func(uint32) string { return pick2(12, bottom, top) }

// suffixA adds "a" (accumulate, bit 5) to an MVE reduction.
func suffixA(base string) func(uint32) string { return pick2(5, base, base+"a") }

// suffixAX adds "a" (accumulate, bit 5) and "x" (exchange, bit 12) to an
// MVE multiply-accumulate reduction. Without exchange, some reductions go
// by a shorter alias (VMLAV for VMLADAV), which objdump prints.
func suffixAX(alias, base string) func(uint32) string {
	names := [4]string{alias, alias + "a", base + "x", base + "ax"}
	return func(enc uint32) string { return names[bit(enc, 5)|bit(enc, 12)<<1] }
}

// The conditional select aliases (v8.1-M): CSINC with both sources the
// zero register is CSET, with equal sources CINC, and likewise for CSINV
// (CSETM, CINV) and CSNEG (CNEG). The alias needs a condition other than
// AL or NV, since it is written inverted.
func csAlias(enc uint32, base, set, inc string) string {
	rn, rm, cond := enc>>16&0xf, enc&0xf, enc>>4&0xf
	if rm == 13 { // UNPREDICTABLE; objdump prints the alias
		rm = rn
	}
	if rn != rm || cond>>1 == 7 {
		return base
	}
	if rn == 15 && set != "" {
		return set
	}
	return inc
}

func nameCsinc(enc uint32) string { return csAlias(enc, "csinc", "cset", "cinc") }
func nameCsinv(enc uint32) string { return csAlias(enc, "csinv", "csetm", "cinv") }
func nameCsneg(enc uint32) string { return csAlias(enc, "csneg", "", "cneg") }

// nameParallel names the ARMv7E-M parallel additions and subtractions: a
// prefix chosen by bits 6:4 of the second halfword and an operation by
// bits 6:4 of the first.
func nameParallel(enc uint32) string {
	op1, op2 := enc>>20&7, enc>>4&7
	var table *[8]string
	switch op2 {
	case 0:
		table = &[8]string{"sadd8", "sadd16", "sasx", "", "ssub8", "ssub16", "ssax", ""}
	case 1:
		table = &[8]string{"qadd8", "qadd16", "qasx", "", "qsub8", "qsub16", "qsax", ""}
	case 2:
		table = &[8]string{"shadd8", "shadd16", "shasx", "", "shsub8", "shsub16", "shsax", ""}
	case 4:
		table = &[8]string{"uadd8", "uadd16", "uasx", "", "usub8", "usub16", "usax", ""}
	case 5:
		table = &[8]string{"uqadd8", "uqadd16", "uqasx", "", "uqsub8", "uqsub16", "uqsax", ""}
	case 6:
		table = &[8]string{"uhadd8", "uhadd16", "uhasx", "", "uhsub8", "uhsub16", "uhsax", ""}
	default:
		return ""
	}
	return table[op1]
}

// nameVorr: VORR with both sources the same register is VMOV.
func nameVorr(enc uint32) string {
	qn := enc>>17&7 | bit(enc, 7)<<3
	qm := enc>>1&7 | bit(enc, 5)<<3
	if qn == qm {
		return "vmov"
	}
	return "vorr"
}

// nameVimm names the one-register-and-immediate MVE instructions by cmode
// (bits 11:8) and op (bit 5).
func nameVimm(enc uint32) string {
	cmode, op := enc>>8&0xf, bit(enc, 5)
	switch {
	case cmode&1 == 1 && cmode < 12:
		if op == 1 {
			return "vbic"
		}
		return "vorr"
	case op == 0:
		return "vmov"
	case cmode == 14:
		return "vmov" // the 64-bit byte mask
	case cmode == 15:
		return ""
	default:
		return "vmvn"
	}
}

// nameVbicLax: objdump accepts VBIC (immediate) with bit 7 set, where the
// other immediate forms must have it clear.
func nameVbicLax(enc uint32) string {
	if cmode := enc >> 8 & 0xf; cmode&1 == 1 && cmode < 12 {
		return "vbic"
	}
	return ""
}

// nameVshll: a widening shift by zero is a widening move.
func nameVshll(enc uint32) string {
	shift := enc >> 16 & 0x7 // byte elements: bits 20:19 = 01
	if bit(enc, 20) == 1 {
		shift = enc >> 16 & 0xf // halfword elements
	}
	top := bit(enc, 12) == 1
	switch {
	case shift == 0 && top:
		return "vmovlt"
	case shift == 0:
		return "vmovlb"
	case top:
		return "vshllt"
	default:
		return "vshllb"
	}
}

// nameVcmp: a comparison with a non-zero mask (bits 22 and 15:13) starts a
// VPT block.
func nameVcmp(enc uint32) string {
	if bit(enc, 22)|enc>>13&7 != 0 {
		return "vpt"
	}
	return "vcmp"
}

// nameVcvtRound names the MVE float-to-integer conversions with an explicit
// rounding mode (bits 9:8).
func nameVcvtRound(enc uint32) string {
	return [4]string{"vcvta", "vcvtn", "vcvtp", "vcvtm"}[enc>>8&3]
}

// nameVrint names the MVE round-to-integral instructions (bits 9:7).
func nameVrint(enc uint32) string {
	return [8]string{"vrintn", "vrintx", "vrinta", "vrintz", "", "vrintm", "", "vrintp"}[enc>>7&7]
}

// nameLdcStc names the generic coprocessor loads and stores: L (bit 20),
// the "2" forms (bit 28) and the long forms (bit 22).
func nameLdcStc(enc uint32) string {
	names := [8]string{"stc", "stcl", "stc2", "stc2l", "ldc", "ldcl", "ldc2", "ldc2l"}
	return names[bit(enc, 22)|bit(enc, 28)<<1|bit(enc, 20)<<2]
}
