package thumb

import "strings"

// forCP returns one row per coprocessor number, put in place of the "cccc"
// in the pattern.
func forCP(pattern, op string, s sem, cps []string) []row {
	rs := make([]row, 0, len(cps))
	for _, cp := range cps {
		rs = append(rs, row{pattern: strings.ReplaceAll(pattern, "cccc", cp), op: op, sem: s})
	}
	return rs
}

// rowsFP is the floating-point extension: FPv4-SP and FPv5 (ARMv7-M and
// ARMv8-M), the half-precision instructions of ARMv8.1-M, and the
// floating-point parts of the security extension.
func rowsFP() []row {
	// Coprocessor numbers of the FP instructions: 1001 half, 1010 single
	// and 1011 double precision.
	cpHSD := []string{"1001", "1010", "1011"}
	rs := []row{
		// Lazy FP state preservation (v8-M), and clearing of the FP
		// registers on secure exit (v8.1-M).
		{pattern: "1110 1100 0010 .... | 0000 1010 0000 0000", op: "vlstm"},
		{pattern: "1110 1100 0010 .... | 0000 1010 1000 0000", op: "vlstm"},
		{pattern: "1110 1100 0011 .... | 0000 1010 0000 0000", op: "vlldm"},
		{pattern: "1110 1100 0011 .... | 0000 1010 1000 0000", op: "vlldm"},
		{pattern: "1110 1100 1.01 1111 | .... 1011 .... ...0", op: "vscclrm"},
		{pattern: "1110 1100 1.01 1111 | .... 1010 .... ....", op: "vscclrm"},
		// FP system registers to and from memory (v8.1-M), such as the
		// "vstr FPCXTNS, [sp, #-4]!" of a non-secure entry function.
		{pattern: "1110 1101 ...1 .... | ...0 1111 1... ....", op: "vldr", sem: sVsys},
		{pattern: "1110 1101 ...0 .... | ...0 1111 1... ....", op: "vstr", sem: sVsys},
		{pattern: "1110 1100 ..11 .... | ...0 1111 1... ....", op: "vldr", sem: sVsys},
		{pattern: "1110 1100 ..10 .... | ...0 1111 1... ....", op: "vstr", sem: sVsys},

		// Two core registers to and from two singles or one double.
		{pattern: "1110 1100 010. .... | .... 101. 00.1 ....", op: "vmov"},

		// Load and store multiple, with the SP forms first.
		// FLDMX and FSTMX are the double forms with an odd word count.
		{pattern: "1110 1100 1..0 .... | .... 1011 .... ...1", op: "fstmiax", sem: sVldm},
		{pattern: "1110 1100 1..1 .... | .... 1011 .... ...1", op: "fldmiax", sem: sVldm},
		{pattern: "1110 1101 0.10 .... | .... 1011 .... ...1", op: "fstmdbx", sem: sVldm},
		{pattern: "1110 1101 0.11 .... | .... 1011 .... ...1", op: "fldmdbx", sem: sVldm},
		{pattern: "1110 1101 0.10 1101 | .... 101. .... ....", op: "vpush", sem: sVldm},
		{pattern: "1110 1100 1.11 1101 | .... 101. .... ....", op: "vpop", sem: sVldm},
		{pattern: "1110 1100 1..0 .... | .... 101. .... ....", op: "vstmia", sem: sVldm},
		{pattern: "1110 1100 1..1 .... | .... 101. .... ....", op: "vldmia", sem: sVldm},
		{pattern: "1110 1101 0.10 .... | .... 101. .... ....", op: "vstmdb", sem: sVldm},
		{pattern: "1110 1101 0.11 .... | .... 101. .... ....", op: "vldmdb", sem: sVldm},
	}
	rs = append(rs, forCP("1110 1101 ..00 .... | .... cccc .... ....", "vstr", sVldr, cpHSD)...)
	rs = append(rs, forCP("1110 1101 ..01 .... | .... cccc .... ....", "vldr", sVldr, cpHSD)...)

	// Transfers between core registers and FP registers.
	rs = append(rs, forCP("1110 1110 000. .... | .... cccc .001 0000", "vmov", sNone, []string{"1001", "1010"})...)
	rs = append(rs,
		row{pattern: "1110 1110 1110 .... | .... 1010 0001 0000", op: "vmsr"},
		row{pattern: "1110 1110 1111 .... | .... 1010 0001 0000", op: "vmrs"},
		// Scalars (lanes of a D or, with MVE, a Q register); objdump
		// ignores the should-be-zero bits 3:0.
		row{pattern: "1110 1110 .1.1 .... | .... 1011 ...1 ....", op: "vmov"},
		row{pattern: "1110 1110 .0.1 .... | .... 1011 ..11 ....", op: "vmov"},
		row{pattern: "1110 1110 .0.1 .... | .... 1011 .001 ....", op: "vmov"},
		row{pattern: "1110 1110 01.0 .... | .... 1011 ...1 ....", op: "vmov"},
		row{pattern: "1110 1110 00.0 .... | .... 1011 ..11 ....", op: "vmov"},
		row{pattern: "1110 1110 00.0 .... | .... 1011 .001 ....", op: "vmov"},
		row{pattern: "1110 1110 1.10 ...0 | .... 1011 .0.1 0000", op: "vdup"},
	)

	// Data processing.
	for _, r := range []struct{ pattern, op string }{
		{"1110 1110 0.00 .... | .... cccc .0.0 ....", "vmla"},
		{"1110 1110 0.00 .... | .... cccc .1.0 ....", "vmls"},
		{"1110 1110 0.01 .... | .... cccc .0.0 ....", "vnmls"},
		{"1110 1110 0.01 .... | .... cccc .1.0 ....", "vnmla"},
		{"1110 1110 0.10 .... | .... cccc .0.0 ....", "vmul"},
		{"1110 1110 0.10 .... | .... cccc .1.0 ....", "vnmul"},
		{"1110 1110 0.11 .... | .... cccc .0.0 ....", "vadd"},
		{"1110 1110 0.11 .... | .... cccc .1.0 ....", "vsub"},
		{"1110 1110 1.00 .... | .... cccc .0.0 ....", "vdiv"},
		{"1110 1110 1.01 .... | .... cccc .0.0 ....", "vfnms"},
		{"1110 1110 1.01 .... | .... cccc .1.0 ....", "vfnma"},
		{"1110 1110 1.10 .... | .... cccc .0.0 ....", "vfma"},
		{"1110 1110 1.10 .... | .... cccc .1.0 ....", "vfms"},
		{"1110 1110 1.11 .... | .... cccc 0000 ....", "vmov"},
		{"1110 1110 1.11 0000 | .... cccc 01.0 ....", "vmov"},
		{"1110 1110 1.11 0000 | .... cccc 11.0 ....", "vabs"},
		{"1110 1110 1.11 0001 | .... cccc 01.0 ....", "vneg"},
		{"1110 1110 1.11 0001 | .... cccc 11.0 ....", "vsqrt"},
		{"1110 1110 1.11 0100 | .... cccc 01.0 ....", "vcmp"},
		{"1110 1110 1.11 0100 | .... cccc 11.0 ....", "vcmpe"},
		{"1110 1110 1.11 0101 | .... cccc 0100 0000", "vcmp"}, // with #0.0
		{"1110 1110 1.11 0101 | .... cccc 1100 0000", "vcmpe"},
		{"1110 1110 1.11 0110 | .... cccc 01.0 ....", "vrintr"},
		{"1110 1110 1.11 0110 | .... cccc 11.0 ....", "vrintz"},
		{"1110 1110 1.11 0111 | .... cccc 01.0 ....", "vrintx"},
		{"1110 1110 1.11 1000 | .... cccc .1.0 ....", "vcvt"},
		{"1110 1110 1.11 1.1. | .... cccc .1.0 ....", "vcvt"},
		{"1110 1110 1.11 110. | .... cccc 11.0 ....", "vcvt"},
		{"1110 1110 1.11 110. | .... cccc 01.0 ....", "vcvtr"},
		// ARMv8 additions (FPv5), unconditional.
		{"1111 1110 0... .... | .... cccc .0.0 ....", "vsel"},
		{"1111 1110 1.00 .... | .... cccc .0.0 ....", "vmaxnm"},
		{"1111 1110 1.00 .... | .... cccc .1.0 ....", "vminnm"},
		{"1111 1110 1.11 1000 | .... cccc 01.0 ....", "vrinta"},
		{"1111 1110 1.11 1001 | .... cccc 01.0 ....", "vrintn"},
		{"1111 1110 1.11 1010 | .... cccc 01.0 ....", "vrintp"},
		{"1111 1110 1.11 1011 | .... cccc 01.0 ....", "vrintm"},
		{"1111 1110 1.11 1100 | .... cccc .1.0 ....", "vcvta"},
		{"1111 1110 1.11 1101 | .... cccc .1.0 ....", "vcvtn"},
		{"1111 1110 1.11 1110 | .... cccc .1.0 ....", "vcvtp"},
		{"1111 1110 1.11 1111 | .... cccc .1.0 ....", "vcvtm"},
	} {
		rs = append(rs, forCP(r.pattern, r.op, sNone, cpHSD)...)
	}
	rs = append(rs,
		row{pattern: "1110 1110 1.11 001. | .... 101. 01.0 ....", op: "vcvtb"},
		row{pattern: "1110 1110 1.11 001. | .... 101. 11.0 ....", op: "vcvtt"},
		row{pattern: "1110 1110 1.11 0111 | .... 101. 11.0 ....", op: "vcvt"},
		row{pattern: "1111 1110 1.11 0000 | .... 1010 01.0 ....", op: "vmovx"},
		row{pattern: "1111 1110 1.11 0000 | .... 1010 11.0 ....", op: "vins"},
	)
	return rs
}

// rowsMVE is the M-profile Vector Extension (Helium) of ARMv8.1-M. Its
// instructions live in the Advanced SIMD space of A-profile Thumb (111U
// 1111) and in coprocessor space 14 and 15 (111U 110x, 111U 1110).
func rowsMVE() []row {
	return []row{
		// Widening loads and narrowing stores (Rn and Qd are 3 bits); a
		// byte load may also have byte elements.
		{pattern: "111. 1100 .011 0... | ...0 1110 0... ....", op: "vldrb"},
		{pattern: "111. 1101 .0.1 0... | ...0 1110 0... ....", op: "vldrb"},
		{pattern: "111. 1100 .011 0... | ...0 1110 1... ....", op: "vldrb"},
		{pattern: "111. 1101 .0.1 0... | ...0 1110 1... ....", op: "vldrb"},
		{pattern: "1110 1100 .010 0... | ...0 1110 1... ....", op: "vstrb"},
		{pattern: "1110 1101 .0.0 0... | ...0 1110 1... ....", op: "vstrb"},
		{pattern: "111. 1100 .011 0... | ...0 1111 0... ....", op: "vldrb"},
		{pattern: "111. 1101 .0.1 0... | ...0 1111 0... ....", op: "vldrb"},
		{pattern: "1110 1100 .010 0... | ...0 1111 0... ....", op: "vstrb"},
		{pattern: "1110 1101 .0.0 0... | ...0 1111 0... ....", op: "vstrb"},
		{pattern: "111. 1100 .011 1... | ...0 1111 0... ....", op: "vldrh"},
		{pattern: "111. 1101 .0.1 1... | ...0 1111 0... ....", op: "vldrh"},
		{pattern: "1110 1100 .010 1... | ...0 1111 0... ....", op: "vstrh"},
		{pattern: "1110 1101 .0.0 1... | ...0 1111 0... ....", op: "vstrh"},
		// Contiguous loads and stores.
		{pattern: "1110 1100 ..11 .... | ...1 1110 0... ....", op: "vldrb", sem: sMveLdSt},
		{pattern: "1110 1101 ...1 .... | ...1 1110 0... ....", op: "vldrb", sem: sMveLdSt},
		{pattern: "1110 1100 ..10 .... | ...1 1110 0... ....", op: "vstrb", sem: sMveLdSt},
		{pattern: "1110 1101 ...0 .... | ...1 1110 0... ....", op: "vstrb", sem: sMveLdSt},
		{pattern: "1110 1100 ..11 .... | ...1 1110 1... ....", op: "vldrh", sem: sMveLdSt},
		{pattern: "1110 1101 ...1 .... | ...1 1110 1... ....", op: "vldrh", sem: sMveLdSt},
		{pattern: "1110 1100 ..10 .... | ...1 1110 1... ....", op: "vstrh", sem: sMveLdSt},
		{pattern: "1110 1101 ...0 .... | ...1 1110 1... ....", op: "vstrh", sem: sMveLdSt},
		{pattern: "1110 1100 ..11 .... | ...1 1111 0... ....", op: "vldrw", sem: sMveLdSt},
		{pattern: "1110 1101 ...1 .... | ...1 1111 0... ....", op: "vldrw", sem: sMveLdSt},
		{pattern: "1110 1100 ..10 .... | ...1 1111 0... ....", op: "vstrw", sem: sMveLdSt},
		{pattern: "1110 1101 ...0 .... | ...1 1111 0... ....", op: "vstrw", sem: sMveLdSt},
		// Gather loads and scatter stores, register offsets: the memory
		// size (bits 6 and 4) is at most the element size (bits 8:7), and
		// loads of the element size are unsigned.
		{pattern: "1111 1100 1.01 .... | ...0 1110 00.0 ....", op: "vldrb"},
		{pattern: "111. 1100 1.01 .... | ...0 1110 10.0 ....", op: "vldrb"},
		{pattern: "111. 1100 1.01 .... | ...0 1111 00.0 ....", op: "vldrb"},
		{pattern: "1111 1100 1.01 .... | ...0 1110 10.1 ....", op: "vldrh"},
		{pattern: "111. 1100 1.01 .... | ...0 1111 00.1 ....", op: "vldrh"},
		{pattern: "1111 1100 1.01 .... | ...0 1111 01.0 ....", op: "vldrw"},
		{pattern: "1111 1100 1.01 .... | ...0 1111 11.1 ....", op: "vldrd"},
		{pattern: "1110 1100 1.00 .... | ...0 1110 .0.0 ....", op: "vstrb"},
		{pattern: "1110 1100 1.00 .... | ...0 1111 00.0 ....", op: "vstrb"},
		{pattern: "1110 1100 1.00 .... | ...0 1110 10.1 ....", op: "vstrh"},
		{pattern: "1110 1100 1.00 .... | ...0 1111 00.1 ....", op: "vstrh"},
		{pattern: "1110 1100 1.00 .... | ...0 1111 01.0 ....", op: "vstrw"},
		{pattern: "1110 1100 1.00 .... | ...0 1111 11.1 ....", op: "vstrd"},
		// Gather loads and scatter stores, vector plus immediate.
		{pattern: "1111 1101 ...1 ...0 | ...1 1110 .... ....", op: "vldrw"},
		{pattern: "1111 1101 ...1 ...0 | ...1 1111 .... ....", op: "vldrd"},
		{pattern: "1111 1101 ...0 ...0 | ...1 1110 .... ....", op: "vstrw"},
		{pattern: "1111 1101 ...0 ...0 | ...1 1111 .... ....", op: "vstrd"},
		// Deinterleaving loads and interleaving stores (element size
		// 8, 16 or 32 in bits 8:7).
		{pattern: "1111 1100 1..1 .... | ...1 1110 .000 0000", op: "vld20", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0000 0000", op: "vld20", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1110 .010 0000", op: "vld21", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0010 0000", op: "vld21", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1110 .000 0001", op: "vld40", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0000 0001", op: "vld40", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1110 .010 0001", op: "vld41", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0010 0001", op: "vld41", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1110 .100 0001", op: "vld42", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0100 0001", op: "vld42", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1110 .110 0001", op: "vld43", sem: sMveVld24},
		{pattern: "1111 1100 1..1 .... | ...1 1111 0110 0001", op: "vld43", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .000 0000", op: "vst20", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0000 0000", op: "vst20", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .010 0000", op: "vst21", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0010 0000", op: "vst21", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .000 0001", op: "vst40", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0000 0001", op: "vst40", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .010 0001", op: "vst41", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0010 0001", op: "vst41", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .100 0001", op: "vst42", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0100 0001", op: "vst42", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1110 .110 0001", op: "vst43", sem: sMveVld24},
		{pattern: "1111 1100 1..0 .... | ...1 1111 0110 0001", op: "vst43", sem: sMveVld24},
		// Two 32-bit lanes to and from two core registers.
		{pattern: "1110 1100 0.0. .... | ...0 1111 000. ....", op: "vmov"},

		// Three registers of the same length.
		{pattern: "1110 1111 0.00 ...0 | ...0 0001 .1.1 ...0", op: "vand"},
		{pattern: "1110 1111 0.01 ...0 | ...0 0001 .1.1 ...0", op: "vbic"},
		{pattern: "1110 1111 0.10 ...0 | ...0 0001 .1.1 ...0", name: nameVorr},
		{pattern: "1110 1111 0.11 ...0 | ...0 0001 .1.1 ...0", op: "vorn"},
		{pattern: "1111 1111 0..0 ...0 | ...0 0001 .1.1 ...0", op: "veor"}, // objdump ignores bit 21
		{pattern: "1110 1111 0... ...0 | ...0 1000 .1.0 ...0", exclude: size11, op: "vadd"},
		{pattern: "1111 1111 0... ...0 | ...0 1000 .1.0 ...0", exclude: size11, op: "vsub"},
		{pattern: "1110 1111 0... ...0 | ...0 1001 .1.1 ...0", exclude: size11, op: "vmul"},
		{pattern: "111. 1111 0... ...0 | ...0 0110 .1.0 ...0", exclude: size11, op: "vmax"},
		{pattern: "111. 1111 0... ...0 | ...0 0110 .1.1 ...0", exclude: size11, op: "vmin"},
		{pattern: "111. 1111 0... ...0 | ...0 0111 .1.0 ...0", exclude: size11, op: "vabd"},
		{pattern: "111. 1111 0... ...0 | ...0 0000 .1.0 ...0", exclude: size11, op: "vhadd"},
		{pattern: "111. 1111 0... ...0 | ...0 0010 .1.0 ...0", exclude: size11, op: "vhsub"},
		{pattern: "111. 1111 0... ...0 | ...0 0000 .1.1 ...0", exclude: size11, op: "vqadd"},
		{pattern: "111. 1111 0... ...0 | ...0 0010 .1.1 ...0", exclude: size11, op: "vqsub"},
		{pattern: "111. 1111 0... ...0 | ...0 0001 .1.0 ...0", exclude: size11, op: "vrhadd"},
		{pattern: "1110 1111 0... ...0 | ...0 1011 .1.0 ...0", exclude: size11, op: "vqdmulh"},
		{pattern: "1111 1111 0... ...0 | ...0 1011 .1.0 ...0", exclude: size11, op: "vqrdmulh"},
		{pattern: "111. 1111 0... ...0 | ...0 0100 .1.0 ...0", exclude: size11, op: "vshl"},
		{pattern: "111. 1111 0... ...0 | ...0 0101 .1.0 ...0", exclude: size11, op: "vrshl"},
		{pattern: "111. 1111 0... ...0 | ...0 0100 .1.1 ...0", exclude: size11, op: "vqshl"},
		{pattern: "111. 1111 0... ...0 | ...0 0101 .1.1 ...0", exclude: size11, op: "vqrshl"},
		{pattern: "1110 1111 0.0. ...0 | ...0 1101 .1.0 ...0", op: "vadd"},
		{pattern: "1110 1111 0.1. ...0 | ...0 1101 .1.0 ...0", op: "vsub"},
		{pattern: "1111 1111 0.0. ...0 | ...0 1101 .1.1 ...0", op: "vmul"},
		{pattern: "1111 1111 0.1. ...0 | ...0 1101 .1.0 ...0", op: "vabd"},
		{pattern: "1111 1111 0.0. ...0 | ...0 1111 .1.1 ...0", op: "vmaxnm"},
		{pattern: "1111 1111 0.1. ...0 | ...0 1111 .1.1 ...0", op: "vminnm"},
		{pattern: "1110 1111 0.0. ...0 | ...0 1100 .1.1 ...0", op: "vfma"},
		{pattern: "1110 1111 0.1. ...0 | ...0 1100 .1.1 ...0", op: "vfms"},
		{pattern: "1111 1100 1.0. ...0 | ...0 1000 .1.0 ...0", op: "vcadd"},
		{pattern: "1111 1101 1.0. ...0 | ...0 1000 .1.0 ...0", op: "vcadd"},
		{pattern: "1111 110. ..1. ...0 | ...0 1000 .1.0 ...0", op: "vcmla"},

		// One register and a modified immediate, then shifts by an
		// immediate (whose size field excludes the immediate forms).
		{pattern: "111. 1111 1.00 0... | ...0 .... 01.1 ....", name: nameVimm},
		{pattern: "111. 1111 1.00 0... | ...0 .... 1111 ....", name: nameVbicLax},
		{pattern: "1110 1111 1... .... | ...0 0101 01.1 ...0", exclude: imm6Zero, op: "vshl"},
		{pattern: "111. 1111 1... .... | ...0 0111 01.1 ...0", exclude: imm6Zero, op: "vqshl"},
		{pattern: "1111 1111 1... .... | ...0 0110 01.1 ...0", exclude: imm6Zero, op: "vqshlu"},
		{pattern: "111. 1111 1... .... | ...0 0000 01.1 ...0", exclude: imm6Zero, op: "vshr"},
		{pattern: "111. 1111 1... .... | ...0 0010 01.1 ...0", exclude: imm6Zero, op: "vrshr"},
		{pattern: "1111 1111 1... .... | ...0 0100 01.1 ...0", exclude: imm6Zero, op: "vsri"},
		{pattern: "1111 1111 1... .... | ...0 0101 01.1 ...0", exclude: imm6Zero, op: "vsli"},
		// Fixed-point conversions: bit 8 selects f32 (a 6-bit fraction
		// size 1xxxxx) or f16 (11xxxx).
		{pattern: "111. 1111 1.1. .... | ...0 11.1 01.1 ...0", op: "vcvt"},
		{pattern: "111. 1111 1.11 .... | ...0 11.0 01.1 ...0", op: "vcvt"},
		{pattern: "111. 1110 1.1. .... | .... 1111 01.0 ...0", exclude: "111. 1110 1.10 0... | .... .... .... ....", name: nameVshll},
		{pattern: "1110 1110 1.1. .... | ...0 1111 1100 ....", op: "vshlc"},
		{pattern: "1110 1110 1.0. .... | .... 1111 11.0 ...1", exclude: narrowZero, name: bt("vshrnb", "vshrnt")},
		{pattern: "1111 1110 1.0. .... | .... 1111 11.0 ...1", exclude: narrowZero, name: bt("vrshrnb", "vrshrnt")},
		{pattern: "111. 1110 1.0. .... | .... 1111 01.0 ...0", exclude: narrowZero, name: bt("vqshrnb", "vqshrnt")},
		{pattern: "1110 1110 1.0. .... | .... 1111 11.0 ...0", exclude: narrowZero, name: bt("vqshrunb", "vqshrunt")},
		{pattern: "111. 1110 1.0. .... | .... 1111 01.0 ...1", exclude: narrowZero, name: bt("vqrshrnb", "vqrshrnt")},
		{pattern: "1111 1110 1.0. .... | .... 1111 11.0 ...0", exclude: narrowZero, name: bt("vqrshrunb", "vqrshrunt")},

		// One register, miscellaneous.
		{pattern: "1111 1111 1.11 ..00 | ...0 0100 01.0 ...0", op: "vcls"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0100 11.0 ...0", op: "vclz"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0001 01.0 ...0", op: "vrev16"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0000 11.0 ...0", op: "vrev32"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0000 01.0 ...0", op: "vrev64"},
		{pattern: "1111 1111 1.11 0000 | ...0 0101 11.0 ...0", op: "vmvn"},
		{pattern: "1111 1111 1.11 ..01 | ...0 0011 01.0 ...0", op: "vabs"},
		{pattern: "1111 1111 1.11 ..01 | ...0 0111 01.0 ...0", op: "vabs"},
		{pattern: "1111 1111 1.11 ..01 | ...0 0011 11.0 ...0", op: "vneg"},
		{pattern: "1111 1111 1.11 ..01 | ...0 0111 11.0 ...0", op: "vneg"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0111 01.0 ...0", op: "vqabs"},
		{pattern: "1111 1111 1.11 ..00 | ...0 0111 11.0 ...0", op: "vqneg"},
		{pattern: "1111 1111 1.11 ..11 | ...0 011. .1.0 ...0", exclude: fpSize, op: "vcvt"},
		{pattern: "1111 1111 1.11 ..11 | ...0 00.. .1.0 ...0", exclude: fpSize, name: nameVcvtRound},
		{pattern: "1111 1111 1.11 ..10 | ...0 01.. .1.0 ...0", exclude: fpSize, name: nameVrint},

		// Narrowing moves, conversions, multiplies returning high halves
		// and the like, which share one encoding group.
		{pattern: "1110 1110 0.11 1111 | ...0 1110 00.0 ...1", op: "vcvtb"},
		{pattern: "1110 1110 0.11 1111 | ...0 1110 10.0 ...1", op: "vmaxnma"},
		{pattern: "1110 1110 0.11 ..01 | ...0 1110 00.0 ...1", op: "vshllb"},
		{pattern: "1110 1110 0.11 ..01 | ...0 1110 10.0 ...1", op: "vqmovunb"},
		{pattern: "1110 1110 0.11 ..11 | ...0 1110 00.0 ...1", op: "vqmovnb"},
		{pattern: "1110 1110 0.11 ..11 | ...0 1110 10.0 ...1", op: "vmaxa"},
		{pattern: "1110 1110 0... ...1 | ...0 1110 .0.0 ...1", exclude: size11, op: "vmulh"},
		{pattern: "1111 1110 0.11 1111 | ...0 1110 00.0 ...1", op: "vcvtb"},
		{pattern: "1111 1110 0.11 1111 | ...0 1110 10.0 ...1", op: "vmaxnma"},
		{pattern: "1111 1110 0.11 ..01 | ...0 1110 00.0 ...1", op: "vshllb"},
		{pattern: "1111 1110 0.11 ..01 | ...0 1110 10.0 ...1", op: "vmovnb"},
		{pattern: "1111 1110 0.11 ..11 | ...0 1110 00.0 ...1", op: "vqmovnb"},
		{pattern: "1111 1110 0... ...1 | ...0 1110 .0.0 ...1", exclude: size11, op: "vmulh"},
		{pattern: "1110 1110 0.11 1111 | ...1 1110 00.0 ...1", op: "vcvtt"},
		{pattern: "1110 1110 0.11 1111 | ...1 1110 10.0 ...1", op: "vminnma"},
		{pattern: "1110 1110 0.11 ..01 | ...1 1110 00.0 ...1", op: "vshllt"},
		{pattern: "1110 1110 0.11 ..01 | ...1 1110 10.0 ...1", op: "vqmovunt"},
		{pattern: "1110 1110 0.11 ..11 | ...1 1110 00.0 ...1", op: "vqmovnt"},
		{pattern: "1110 1110 0.11 ..11 | ...1 1110 10.0 ...1", op: "vmina"},
		{pattern: "1110 1110 0... ...1 | ...1 1110 .0.0 ...1", exclude: size11, op: "vrmulh"},
		{pattern: "1111 1110 0.11 1111 | ...1 1110 00.0 ...1", op: "vcvtt"},
		{pattern: "1111 1110 0.11 1111 | ...1 1110 10.0 ...1", op: "vminnma"},
		{pattern: "1111 1110 0.11 ..01 | ...1 1110 00.0 ...1", op: "vshllt"},
		{pattern: "1111 1110 0.11 ..01 | ...1 1110 10.0 ...1", op: "vmovnt"},
		{pattern: "1111 1110 0.11 ..11 | ...1 1110 00.0 ...1", op: "vqmovnt"},
		{pattern: "1111 1110 0... ...1 | ...1 1110 .0.0 ...1", exclude: size11, op: "vrmulh"},
		{pattern: "111. 1110 0... ...1 | ...0 1110 .0.0 ...0", op: "vmullb"},
		{pattern: "111. 1110 0... ...1 | ...1 1110 .0.0 ...0", op: "vmullt"},
		{pattern: "111. 1110 0.11 ...0 | .... 1110 .0.0 ....", op: "vcmul"},
		{pattern: "1110 1110 0... ...0 | ...0 1110 .0.0 ...0", op: "vqdmladh"},
		{pattern: "1111 1110 0... ...0 | ...0 1110 .0.0 ...0", op: "vqdmlsdh"},
		{pattern: "1110 1110 0... ...0 | ...1 1110 .0.0 ...0", op: "vqdmladhx"},
		{pattern: "1111 1110 0... ...0 | ...1 1110 .0.0 ...0", op: "vqdmlsdhx"},
		{pattern: "1110 1110 0... ...0 | ...0 1110 .0.0 ...1", op: "vqrdmladh"},
		{pattern: "1111 1110 0... ...0 | ...0 1110 .0.0 ...1", op: "vqrdmlsdh"},
		{pattern: "1110 1110 0... ...0 | ...1 1110 .0.0 ...1", op: "vqrdmladhx"},
		{pattern: "1111 1110 0... ...0 | ...1 1110 .0.0 ...1", op: "vqrdmlsdhx"},
		{pattern: "111. 1110 0.11 ...0 | ...0 1111 .0.0 ...1", op: "vqdmullb"},
		{pattern: "111. 1110 0.11 ...0 | ...1 1111 .0.0 ...1", op: "vqdmullt"},
		{pattern: "1110 1110 0.11 ...0 | ...0 1111 .0.0 ...0", op: "vadc"},
		{pattern: "1110 1110 0.11 ...0 | ...1 1111 .0.0 ...0", op: "vadci"},
		{pattern: "1110 1110 0... ...0 | .... 1111 .0.0 ...0", op: "vhcadd"},
		{pattern: "1111 1110 0.11 ...0 | ...0 1111 .0.0 ...0", op: "vsbc"},
		{pattern: "1111 1110 0.11 ...0 | ...1 1111 .0.0 ...0", op: "vsbci"},
		{pattern: "1111 1110 0... ...0 | .... 1111 .0.0 ...0", op: "vcadd"},

		// Duplicates.
		{pattern: "1110 1110 0... ...1 | ...0 1111 .110 111.", op: "vidup"},
		{pattern: "1110 1110 0... ...1 | ...0 1111 .110 ....", op: "viwdup"},

		// Predicates and comparisons; VPT is VCMP with a mask.
		{pattern: "1111 1110 0011 0001 | 0000 1111 0100 1101", op: "vpnot"},
		{pattern: "1111 1110 0.11 0001 | ...0 1111 0100 1101", op: "vpst"},
		{pattern: "111. 1110 0.11 ...1 | ...0 1111 .0.0 ...0", name: nameVcmp},
		{pattern: "111. 1110 0.11 ...1 | ...1 1111 .0.0 ....", name: nameVcmp},
		{pattern: "1111 1110 0.11 ...1 | ...0 1111 .0.0 ...1", op: "vpsel"},
		{pattern: "1111 1110 0... ...1 | .... 1111 .0.0 ....", name: nameVcmp},
		{pattern: "1111 1110 0... ...1 | .... 1111 .1.0 ....", name: nameVcmp},
		{pattern: "1110 1110 0.11 ...1 | ...0 1111 .100 ....", name: nameVcmp},
		{pattern: "1110 1110 0.11 ...1 | ...1 1111 .1.0 ....", name: nameVcmp},

		{pattern: "1110 1110 0... ...1 | ...1 1111 .110 111.", op: "vddup"},
		{pattern: "1110 1110 0... ...1 | ...1 1111 .110 ....", op: "vdwdup"},

		// Reductions across a vector.
		{pattern: "1110 1110 1111 .... | .... 1110 .0.0 ...0", name: suffixAX("vmlav", "vmladav")},
		{pattern: "1110 1110 1... .... | .... 1110 .0.0 ...0", name: suffixAX("vmlalv", "vmlaldav")},
		{pattern: "1111 1110 1111 .... | ...0 1110 .0.0 ...0", name: suffixAX("vmlav", "vmladav")},
		{pattern: "1111 1110 1... .... | ...0 1110 .0.0 ...0", name: suffixAX("vmlalv", "vmlaldav")},
		{pattern: "1110 1110 1111 .... | .... 1110 .0.0 ...1", name: suffixAX("vmlsdav", "vmlsdav")},
		{pattern: "1110 1110 1... .... | .... 1110 .0.0 ...1", name: suffixAX("vmlsldav", "vmlsldav")},
		{pattern: "1111 1110 1111 ...0 | .... 1110 .0.0 ...1", name: suffixAX("vmlsdav", "vmlsdav")},
		{pattern: "1111 1110 1... ...0 | .... 1110 .0.0 ...1", name: suffixAX("vrmlsldavh", "vrmlsldavh")},
		{pattern: "111. 1110 1110 1100 | .... 1111 00.0 ...0", op: "vmaxnmav"},
		{pattern: "111. 1110 1110 1100 | .... 1111 10.0 ...0", op: "vminnmav"},
		{pattern: "111. 1110 1110 1110 | .... 1111 00.0 ...0", op: "vmaxnmv"},
		{pattern: "111. 1110 1110 1110 | .... 1111 10.0 ...0", op: "vminnmv"},
		{pattern: "111. 1110 1110 ..10 | .... 1111 00.0 ...0", op: "vmaxv"},
		{pattern: "111. 1110 1110 ..10 | .... 1111 10.0 ...0", op: "vminv"},
		{pattern: "1110 1110 1110 ..00 | .... 1111 00.0 ...0", op: "vmaxav"},
		{pattern: "1110 1110 1110 ..00 | .... 1111 10.0 ...0", op: "vminav"},
		{pattern: "111. 1110 1111 ..01 | ...0 1111 00.0 ...0", name: suffixA("vaddv")},
		{pattern: "1110 1110 1111 ...0 | .... 1111 .0.0 ...0", name: suffixAX("vmlav", "vmladav")},
		{pattern: "1111 1110 1111 ...0 | ...0 1111 .0.0 ...0", name: suffixAX("vmlav", "vmladav")},
		{pattern: "111. 1110 1... 1001 | ...0 1111 00.0 ...0", name: suffixA("vaddlv")},
		{pattern: "1110 1110 1... ...0 | .... 1111 .0.0 ...0", name: suffixAX("vrmlalvh", "vrmlaldavh")},
		{pattern: "1111 1110 1... ...0 | ...0 1111 .0.0 ...0", name: suffixAX("vrmlalvh", "vrmlaldavh")},
		{pattern: "111. 1110 10.. ...0 | .... 1111 .0.0 ...1", op: "vabav"},

		// Vector and scalar operations.
		{pattern: "1110 1110 0... ...1 | ...0 1111 .100 ....", exclude: size11, op: "vadd"},
		{pattern: "1110 1110 0... ...1 | ...1 1111 .100 ....", exclude: size11, op: "vsub"},
		{pattern: "111. 1110 0.11 ..01 | ...1 1110 0110 ....", exclude: scalarSize11, op: "vshl"},
		{pattern: "111. 1110 0.11 ..11 | ...1 1110 0110 ....", exclude: scalarSize11, op: "vrshl"},
		{pattern: "111. 1110 0.11 ..01 | ...1 1110 1110 ....", exclude: scalarSize11, op: "vqshl"},
		{pattern: "111. 1110 0.11 ..11 | ...1 1110 1110 ....", exclude: scalarSize11, op: "vqrshl"},
		{pattern: "1110 1110 0... ...1 | ...1 1110 .110 ....", exclude: size11, op: "vmul"},
		{pattern: "1111 1110 0... ...1 | ...1 1110 .110 ....", op: "vbrsr"},
		{pattern: "111. 1110 0.11 ...0 | ...0 1111 .100 ....", op: "vadd"},
		{pattern: "111. 1110 0... ...0 | ...0 1111 .100 ....", op: "vhadd"},
		{pattern: "111. 1110 0.11 ...0 | ...1 1111 .100 ....", op: "vsub"},
		{pattern: "111. 1110 0... ...0 | ...1 1111 .100 ....", op: "vhsub"},
		{pattern: "111. 1110 0.11 ...0 | ...0 1111 .110 ....", op: "vqdmullb"},
		{pattern: "111. 1110 0... ...0 | ...0 1111 .110 ....", op: "vqadd"},
		{pattern: "111. 1110 0.11 ...0 | ...1 1111 .110 ....", op: "vqdmullt"},
		{pattern: "111. 1110 0... ...0 | ...1 1111 .110 ....", op: "vqsub"},
		{pattern: "111. 1110 0.11 ...1 | ...0 1110 .110 ....", op: "vmul"},
		{pattern: "1110 1110 0... ...1 | ...0 1110 .110 ....", op: "vqdmulh"},
		{pattern: "1111 1110 0... ...1 | ...0 1110 .110 ....", op: "vqrdmulh"},
		{pattern: "111. 1110 0.11 ...1 | ...0 1110 .100 ....", op: "vfma"},
		{pattern: "111. 1110 0... ...1 | ...0 1110 .100 ....", op: "vmla"},
		{pattern: "111. 1110 0.11 ...1 | ...1 1110 .100 ....", op: "vfmas"},
		{pattern: "111. 1110 0... ...1 | ...1 1110 .100 ....", op: "vmlas"},
		{pattern: "1110 1110 0... ...0 | ...0 1110 .100 ....", exclude: size11, op: "vqrdmlah"},
		{pattern: "1110 1110 0... ...0 | ...1 1110 .100 ....", exclude: size11, op: "vqrdmlash"},
		{pattern: "1110 1110 0... ...0 | ...0 1110 .110 ....", exclude: size11, op: "vqdmlah"},
		{pattern: "1110 1110 0... ...0 | ...1 1110 .110 ....", exclude: size11, op: "vqdmlash"},
	}
}

// Exclusions shared by MVE rows: a size field of 11 (another instruction),
// and shift immediates whose size bits are all zero.
const (
	size11     = "111. 111. ..11 .... | .... .... .... ...."
	imm6Zero   = "111. 1111 1.00 0... | .... .... .... ...."
	narrowZero = "111. 1110 1.00 0... | .... .... .... ...."
	// The element size of scalar shifts (bits 19:18).
	scalarSize11 = "111. 1110 0.11 11.. | .... .... .... ...."
	// Size 11 of one-register floating-point operations (bits 19:18).
	fpSize = "1111 1111 1.11 11.. | .... .... .... ...."
)

// rowsCoprocessor is what remains of the coprocessor space: the generic
// coprocessor instructions, which ARMv8-M allows for coprocessors 0 to 7
// (8 to 15 are the FP and MVE spaces or reserved). The custom datapath
// extension's instructions are among them.
func rowsCoprocessor() []row {
	return []row{
		{pattern: "111. 1100 0100 .... | .... 0... .... ....", name: pick2(28, "mcrr", "mcrr2")},
		{pattern: "111. 1100 0101 .... | .... 0... .... ....", name: pick2(28, "mrrc", "mrrc2")},
		{pattern: "111. 110. .... .... | .... 0... .... ....", exclude: "111. 1100 0.0. .... | .... .... .... ....",
			name: nameLdcStc, sem: sLdc},
		{pattern: "111. 1110 .... .... | .... 0... ...0 ....", name: pick2(28, "cdp", "cdp2")},
		{pattern: "111. 1110 ...0 .... | .... 0... ...1 ....", name: pick2(28, "mcr", "mcr2")},
		{pattern: "111. 1110 ...1 .... | .... 0... ...1 ....", name: pick2(28, "mrc", "mrc2")},
	}
}
