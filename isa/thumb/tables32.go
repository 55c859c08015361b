package thumb

// rows32 is the table of 32-bit encodings: the integer instructions of
// ARMv7-M, ARMv7E-M (DSP), ARMv8-M (security extension, load-acquire and
// store-release) and ARMv8.1-M (low-overhead loops, branch future,
// conditional select, MVE scalar shifts), then the FP, MVE and generic
// coprocessor spaces. Patterns show the first halfword, '|', then the
// second.
func rows32() []row {
	var rs []row
	rs = append(rs, rowsLoadStoreMultiple()...)
	rs = append(rs, rowsDataProcessing()...)
	rs = append(rs, rowsBranchMisc()...)
	rs = append(rs, rowsLoadStoreSingle()...)
	rs = append(rs, rowsRegisterMultiply()...)
	rs = append(rs, rowsFP()...)
	rs = append(rs, rowsMVE()...)
	rs = append(rs, rowsCoprocessor()...)
	return rs
}

func rowsLoadStoreMultiple() []row {
	return []row{
		// Load/store multiple. CLRM (v8.1-M) is LDM with Rn = PC.
		{pattern: "1110 1000 1001 1111 | ..0. .... .... ....", op: "clrm"},
		{pattern: "1110 1000 10.0 .... | .... .... .... ....", op: "stmia", sem: sStm},
		{pattern: "1110 1000 10.1 .... | .... .... .... ....", op: "ldmia", sem: sLdm},
		{pattern: "1110 1001 00.0 .... | .... .... .... ....", op: "stmdb", sem: sStm},
		{pattern: "1110 1001 00.1 .... | .... .... .... ....", op: "ldmdb", sem: sLdm},

		// Load/store exclusive, load-acquire/store-release, test target.
		{pattern: "1110 1000 0100 .... | 1111 .... 0000 0000", op: "tt", dst: dR8},
		{pattern: "1110 1000 0100 .... | 1111 .... 0100 0000", op: "ttt", dst: dR8},
		{pattern: "1110 1000 0100 .... | 1111 .... 1000 0000", op: "tta", dst: dR8},
		{pattern: "1110 1000 0100 .... | 1111 .... 1100 0000", op: "ttat", dst: dR8},
		{pattern: "1110 1000 0100 .... | .... .... .... ....", op: "strex", dst: dR8},
		{pattern: "1110 1000 0101 .... | .... 1111 .... ....", op: "ldrex", dst: dR12},
		{pattern: "1110 1000 1100 .... | .... 1111 0100 ....", op: "strexb", dst: dR0},
		{pattern: "1110 1000 1100 .... | .... 1111 0101 ....", op: "strexh", dst: dR0},
		{pattern: "1110 1000 1100 .... | .... 1111 1000 1111", op: "stlb"},
		{pattern: "1110 1000 1100 .... | .... 1111 1001 1111", op: "stlh"},
		{pattern: "1110 1000 1100 .... | .... 1111 1010 1111", op: "stl"},
		{pattern: "1110 1000 1100 .... | .... 1111 1100 ....", op: "stlexb", dst: dR0},
		{pattern: "1110 1000 1100 .... | .... 1111 1101 ....", op: "stlexh", dst: dR0},
		{pattern: "1110 1000 1100 .... | .... 1111 1110 ....", op: "stlex", dst: dR0},
		{pattern: "1110 1000 1101 .... | 1111 0000 0000 ....", op: "tbb", sem: sTB},
		{pattern: "1110 1000 1101 .... | 1111 0000 0001 ....", op: "tbh", sem: sTB},
		{pattern: "1110 1000 1101 .... | .... 1111 0100 1111", op: "ldrexb", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 0101 1111", op: "ldrexh", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1000 1111", op: "ldab", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1001 1111", op: "ldah", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1010 1111", op: "lda", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1100 1111", op: "ldaexb", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1101 1111", op: "ldaexh", dst: dR12},
		{pattern: "1110 1000 1101 .... | .... 1111 1110 1111", op: "ldaex", dst: dR12},

		// Secure gateway, then load/store dual: P or W set.
		{pattern: "1110 1001 0111 1111 | 1110 1001 0111 1111", op: "sg"},
		{pattern: "1110 1000 .110 .... | .... .... .... ....", op: "strd", sem: sLdrdStrd},
		{pattern: "1110 1000 .111 .... | .... .... .... ....", op: "ldrd", sem: sLdrdStrd, dst: dR12R8},
		{pattern: "1110 1001 .1.0 .... | .... .... .... ....", op: "strd", sem: sLdrdStrd},
		{pattern: "1110 1001 .1.1 .... | .... .... .... ....", op: "ldrd", sem: sLdrdStrd, dst: dR12R8},
	}
}

func rowsDataProcessing() []row {
	return []row{
		// Data processing (shifted register). Rd = 1111 with S set is the
		// compare form; Rn = 1111 turns ORR and ORN into MOV (and the
		// shifts) and MVN.
		{pattern: "1110 1010 0001 .... | 0... 1111 .... ....", op: "tst"},
		{pattern: "1110 1010 000. .... | 0... .... .... ....", op: "and", dst: dR8},
		{pattern: "1110 1010 001. .... | 0... .... .... ....", op: "bic", dst: dR8},

		// MVE scalar shifts (v8.1-M) take the ORR encodings with Rm = SP
		// or PC, which are UNPREDICTABLE for ORR.
		{pattern: "1110 1010 0101 .... | 0... 1111 ..00 1111", op: "uqshl"},
		{pattern: "1110 1010 0101 ...0 | 0... ...1 ..00 1111", op: "lsll"},
		{pattern: "1110 1010 0101 ...1 | 0... ...1 ..00 1111", op: "uqshll"},
		{pattern: "1110 1010 0101 .... | 0... 1111 ..01 1111", op: "urshr"},
		{pattern: "1110 1010 0101 ...0 | 0... ...1 ..01 1111", op: "lsrl"},
		{pattern: "1110 1010 0101 ...1 | 0... ...1 ..01 1111", op: "urshrl"},
		{pattern: "1110 1010 0101 .... | 0... 1111 ..10 1111", op: "srshr"},
		{pattern: "1110 1010 0101 ...0 | 0... ...1 ..10 1111", op: "asrl"},
		{pattern: "1110 1010 0101 ...1 | 0... ...1 ..10 1111", op: "srshrl"},
		{pattern: "1110 1010 0101 .... | 0... 1111 ..11 1111", op: "sqshl"},
		{pattern: "1110 1010 0101 ...1 | 0... ...1 ..11 1111", op: "sqshll"},
		{pattern: "1110 1010 0101 .... | .... 1111 0000 1101", op: "uqrshl"},
		{pattern: "1110 1010 0101 ...0 | .... ...1 0000 1101", op: "lsll"},
		{pattern: "1110 1010 0101 ...1 | .... ...1 0000 1101", op: "uqrshll"},
		{pattern: "1110 1010 0101 .... | .... 1111 0010 1101", op: "sqrshr"},
		{pattern: "1110 1010 0101 ...0 | .... ...1 0010 1101", op: "asrl"},
		{pattern: "1110 1010 0101 ...1 | .... ...1 0010 1101", op: "sqrshrl"},
		{pattern: "1110 1010 0101 ...1 | .... ...1 1000 1101", op: "uqrshll"},
		{pattern: "1110 1010 0101 ...1 | .... ...1 1010 1101", op: "sqrshrl"},
		// Conditional select (v8.1-M).
		{pattern: "1110 1010 0101 .... | 1000 .... .... ....", op: "csel", dst: dR8},
		{pattern: "1110 1010 0101 .... | 1001 .... .... ....", name: nameCsinc, dst: dR8},
		{pattern: "1110 1010 0101 .... | 1010 .... .... ....", name: nameCsinv, dst: dR8},
		{pattern: "1110 1010 0101 .... | 1011 .... .... ....", name: nameCsneg, dst: dR8},

		// MOV (register) with any shift, which objdump keeps as MOV with a
		// shifted operand rather than as LSL, LSR, ASR, ROR or RRX.
		{pattern: "1110 1010 010. 1111 | 0... .... .... ....", op: "mov", dst: dR8},
		{pattern: "1110 1010 010. .... | 0... .... .... ....", op: "orr", dst: dR8},
		{pattern: "1110 1010 011. 1111 | 0... .... .... ....", op: "mvn", dst: dR8},
		{pattern: "1110 1010 011. .... | 0... .... .... ....", op: "orn", dst: dR8},
		{pattern: "1110 1010 1001 .... | 0... 1111 .... ....", op: "teq"},
		{pattern: "1110 1010 100. .... | 0... .... .... ....", op: "eor", dst: dR8},
		{pattern: "1110 1010 1100 .... | 0... .... ..00 ....", op: "pkhbt", dst: dR8},
		{pattern: "1110 1010 1100 .... | 0... .... ..10 ....", op: "pkhtb", dst: dR8},
		{pattern: "1110 1011 0001 .... | 0... 1111 .... ....", op: "cmn"},
		{pattern: "1110 1011 000. .... | 0... .... .... ....", op: "add", dst: dR8},
		{pattern: "1110 1011 010. .... | 0... .... .... ....", op: "adc", dst: dR8},
		{pattern: "1110 1011 011. .... | 0... .... .... ....", op: "sbc", dst: dR8},
		{pattern: "1110 1011 1011 .... | 0... 1111 .... ....", op: "cmp"},
		{pattern: "1110 1011 101. .... | 0... .... .... ....", op: "sub", dst: dR8},
		{pattern: "1110 1011 110. .... | 0... .... .... ....", op: "rsb", dst: dR8},

		// Data processing (modified immediate).
		{pattern: "1111 0.00 0001 .... | 0... 1111 .... ....", op: "tst"},
		{pattern: "1111 0.00 000. .... | 0... .... .... ....", op: "and", dst: dR8},
		{pattern: "1111 0.00 001. .... | 0... .... .... ....", op: "bic", dst: dR8},
		{pattern: "1111 0.00 010. 1111 | 0... .... .... ....", op: "mov", dst: dR8},
		{pattern: "1111 0.00 010. .... | 0... .... .... ....", op: "orr", dst: dR8},
		{pattern: "1111 0.00 011. 1111 | 0... .... .... ....", op: "mvn", dst: dR8},
		{pattern: "1111 0.00 011. .... | 0... .... .... ....", op: "orn", dst: dR8},
		{pattern: "1111 0.00 1001 .... | 0... 1111 .... ....", op: "teq"},
		{pattern: "1111 0.00 100. .... | 0... .... .... ....", op: "eor", dst: dR8},
		{pattern: "1111 0.01 0001 .... | 0... 1111 .... ....", op: "cmn"},
		{pattern: "1111 0.01 000. .... | 0... .... .... ....", op: "add", sem: sAddImm32, dst: dR8},
		{pattern: "1111 0.01 010. .... | 0... .... .... ....", op: "adc", dst: dR8},
		{pattern: "1111 0.01 011. .... | 0... .... .... ....", op: "sbc", dst: dR8},
		{pattern: "1111 0.01 1011 .... | 0... 1111 .... ....", op: "cmp", sem: sCmpImm32},
		{pattern: "1111 0.01 101. .... | 0... .... .... ....", op: "sub", sem: sSubImm32, dst: dR8},
		{pattern: "1111 0.01 110. .... | 0... .... .... ....", op: "rsb", dst: dR8},

		// Data processing (plain binary immediate).
		{pattern: "1111 0.10 0000 1111 | 0... .... .... ....", op: "adr", sem: sAdrAdd32, dst: dR8},
		{pattern: "1111 0.10 0000 .... | 0... .... .... ....", op: "addw", sem: sAddw, dst: dR8},
		{pattern: "1111 0.10 0100 .... | 0... .... .... ....", op: "movw", sem: sMovw, dst: dR8},
		{pattern: "1111 0.10 1010 1111 | 0... .... .... ....", op: "adr", sem: sAdrSub32, dst: dR8},
		{pattern: "1111 0.10 1010 .... | 0... .... .... ....", op: "subw", sem: sSubw, dst: dR8},
		{pattern: "1111 0.10 1100 .... | 0... .... .... ....", op: "movt", sem: sMovt, dst: dR8},
		{pattern: "1111 0011 0010 .... | 0000 .... 000. ....", op: "ssat16", dst: dR8},
		{pattern: "1111 0011 00.0 .... | 0... .... ..0. ....", exclude: "1111 0011 0010 .... | 0000 .... 00.. ....",
			op: "ssat", dst: dR8},
		{pattern: "1111 0011 0100 .... | 0... .... ..0. ....", op: "sbfx", dst: dR8},
		{pattern: "1111 0011 0110 1111 | 0... .... ..0. ....", op: "bfc", dst: dR8},
		{pattern: "1111 0011 0110 .... | 0... .... ..0. ....", op: "bfi", dst: dR8},
		{pattern: "1111 0011 1010 .... | 0000 .... 000. ....", op: "usat16", dst: dR8},
		{pattern: "1111 0011 10.0 .... | 0... .... ..0. ....", exclude: "1111 0011 1010 .... | 0000 .... 00.. ....",
			op: "usat", dst: dR8},
		{pattern: "1111 0011 1100 .... | 0... .... ..0. ....", op: "ubfx", dst: dR8},
	}
}

func rowsBranchMisc() []row {
	return []row{
		// Miscellaneous control (the B T3 encodings with cond = 111x).
		// MSR and MRS; objdump ignores the should-be bits of the first
		// halfword and bits 9:8 of MSR's second.
		{pattern: "1111 0011 100. .... | 1000 .... .... ....", op: "msr", sem: sMSR},
		{pattern: "1111 0011 111. .... | 1000 .... .... ....", op: "mrs", dst: dR8},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 0000", op: "nop"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 0001", op: "yield"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 0010", op: "wfe"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 0011", op: "wfi"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 0100", op: "sev"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 1111", op: "bti"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0000 1101", op: "pacbti"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0001 0000", op: "esb"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0001 0100", op: "csdb"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0001 1101", op: "pac"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 0010 1101", op: "aut"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 1111 ....", op: "dbg"},
		{pattern: "1111 0011 1010 1111 | 1000 0000 .... ....", op: "nop"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0010 1111", op: "clrex"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0100 0000", op: "ssbb"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0100 0100", op: "pssbb"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0100 ....", op: "dsb"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0101 ....", op: "dmb"},
		{pattern: "1111 0011 1011 1111 | 1000 1111 0110 ....", op: "isb"},
		{pattern: "1111 0111 1111 .... | 1010 .... .... ....", op: "udf", sem: sUDF},
		// B T3: the condition 111x encodings are miscellaneous control.
		{pattern: "1111 0... .... .... | 10.0 .... .... ....", exclude: "1111 0.11 1... .... | .... .... .... ....",
			op: "b", sem: sB32Cond},
		{pattern: "1111 0... .... .... | 10.1 .... .... ....", op: "b", sem: sB32},
		{pattern: "1111 0... .... .... | 11.1 .... .... ....", op: "bl", sem: sBL},

		// Low-overhead loops (v8.1-M): branch future with a zero offset.
		{pattern: "1111 0000 0000 1111 | 1110 0000 0000 0001", op: "lctp"},
		{pattern: "1111 0000 0100 .... | 1110 0000 0000 0001", op: "dls", dst: dLR},
		{pattern: "1111 0000 00.. .... | 1110 0000 0000 0001", op: "dlstp", dst: dLR},
		{pattern: "1111 0000 0100 .... | 1100 .... .... ...1", op: "wls", sem: sWLS, dst: dLR},
		{pattern: "1111 0000 0000 1111 | 1100 .... .... ...1", op: "le", sem: sLE},
		{pattern: "1111 0000 0010 1111 | 1100 .... .... ...1", op: "le", sem: sLE}, // F: loop forever
		{pattern: "1111 0000 0001 1111 | 1100 .... .... ...1", op: "letp", sem: sLE},
		{pattern: "1111 0000 00.. .... | 1100 .... .... ...1", op: "wlstp", sem: sWLS, dst: dLR},
		{pattern: "1111 0000 00.. .... | 1110 1000 0000 0001", op: "vctp"},
		// Branch future (v8.1-M): hints, the branch itself is not taken here.
		{pattern: "1111 0... .... .... | 1100 .... .... ...1", op: "bfl"},
		{pattern: "1111 0... .0.. .... | 1110 .... .... ...1", op: "bfcsel"},
		{pattern: "1111 0... .10. .... | 1110 .... .... ...1", op: "bf"},
		{pattern: "1111 0... 0110 .... | 1110 .... .... ...1", op: "bfx"},
		{pattern: "1111 0... 0111 .... | 1110 .... .... ...1", op: "bflx"},
		{pattern: "1111 0... .... .... | 11.0 .... .... ...0", op: "blx", sem: sBLXImm},
	}
}

// ld8 gives the rows of one load or store size in the T4 (8-bit immediate)
// and register forms: the negative offset, unprivileged, indexed with
// writeback and register offset encodings, in that order. The register form
// ignores bits 7:6 (which must be zero), as objdump does.
func ld8(prefix, op, opT string, s8, sReg sem, d dst) []row {
	return []row{
		{pattern: prefix + "| .... 1100 .... ....", op: op, sem: s8, dst: d},
		{pattern: prefix + "| .... 1110 .... ....", op: opT, dst: d},
		{pattern: prefix + "| .... 1..1 .... ....", op: op, sem: s8, dst: d},
		{pattern: prefix + "| .... 0000 .... ....", op: op, sem: sReg, dst: d},
	}
}

// A loadStore is one size of load or store single: bits 8:4 of the first
// halfword in the T4/register form ("s.zzL": sign, size, load), its
// mnemonics, and the preload hint that a load into the PC is instead.
type loadStore struct {
	bits     string // "S zz L": bit 24 (sign), bits 22:21 (size), bit 20 (load)
	op, opT  string
	hint     string
	lit, imm sem // semantics of the literal and 12-bit immediate forms
	reg      sem // semantics of the register form
}

func rowsLoadStoreSingle() []row {
	var rs []row
	for _, ls := range []loadStore{
		{bits: "0 00 0", op: "strb", opT: "strbt"},
		{bits: "0 01 0", op: "strh", opT: "strht"},
		{bits: "0 10 0", op: "str", opT: "strt"},
		{bits: "0 00 1", op: "ldrb", opT: "ldrbt", hint: "pld"},
		{bits: "0 01 1", op: "ldrh", opT: "ldrht", hint: "pldw"},
		{bits: "0 10 1", op: "ldr", opT: "ldrt", lit: sLdrLit32, imm: sLdReg, reg: sLdReg},
		{bits: "1 00 1", op: "ldrsb", opT: "ldrsbt", hint: "pli"},
		{bits: "1 01 1", op: "ldrsh", opT: "ldrsht"},
	} {
		sign, size, load := ls.bits[0:1], ls.bits[2:4], ls.bits[5:6]
		t4 := "1111 100" + sign + " 0" + size + load + " .... "  // T4 and register forms
		i12 := "1111 100" + sign + " 1" + size + load + " .... " // 12-bit immediate
		lit := "1111 100" + sign + " ." + size + load + " 1111 " // Rn = PC
		d := dR12
		if load == "0" {
			d = dNone
		}
		if ls.hint != "" {
			// A byte or halfword load into the PC is a preload hint, in
			// every form.
			for _, p := range []string{lit + "| 1111 .... .... ....", i12 + "| 1111 .... .... ...."} {
				rs = append(rs, row{pattern: p, op: ls.hint})
			}
			for _, r := range ld8(t4, ls.hint, ls.hint, sNone, sNone, dNone) {
				r.pattern = r.pattern[:len(r.pattern)-len("| .... 1100 .... ....")] + "| 1111" + r.pattern[len(r.pattern)-len(" 1100 .... ...."):]
				rs = append(rs, r)
			}
		}
		// With Rn = PC: the unprivileged form keeps its name (objdump),
		// everything else is PC-relative with U and a 12-bit offset (a
		// literal load; for a store, UNDEFINED, but objdump shows it and
		// so does the decoder).
		rs = append(rs,
			row{pattern: "1111 100" + sign + " 0" + size + load + " 1111 | .... 1110 .... ....", op: ls.opT, dst: d},
			row{pattern: lit + "| .... .... .... ....", op: ls.op, sem: ls.lit, dst: d},
			row{pattern: i12 + "| .... .... .... ....", op: ls.op, sem: ls.imm, dst: d},
		)
		rs = append(rs, ld8(t4, ls.op, ls.opT, sLdSt8, ls.reg, d)...)
	}
	return rs
}

func rowsRegisterMultiply() []row {
	return []row{
		// Shifts by a register.
		{pattern: "1111 1010 000. .... | 1111 .... 0000 ....", op: "lsl", dst: dR8},
		{pattern: "1111 1010 001. .... | 1111 .... 0000 ....", op: "lsr", dst: dR8},
		{pattern: "1111 1010 010. .... | 1111 .... 0000 ....", op: "asr", dst: dR8},
		{pattern: "1111 1010 011. .... | 1111 .... 0000 ....", op: "ror", dst: dR8},
		// Extends, with Rn = PC the non-accumulating forms.
		{pattern: "1111 1010 0000 1111 | 1111 .... 10.. ....", op: "sxth", dst: dR8},
		{pattern: "1111 1010 0000 .... | 1111 .... 10.. ....", op: "sxtah", dst: dR8},
		{pattern: "1111 1010 0001 1111 | 1111 .... 10.. ....", op: "uxth", dst: dR8},
		{pattern: "1111 1010 0001 .... | 1111 .... 10.. ....", op: "uxtah", dst: dR8},
		{pattern: "1111 1010 0010 1111 | 1111 .... 10.. ....", op: "sxtb16", dst: dR8},
		{pattern: "1111 1010 0010 .... | 1111 .... 10.. ....", op: "sxtab16", dst: dR8},
		{pattern: "1111 1010 0011 1111 | 1111 .... 10.. ....", op: "uxtb16", dst: dR8},
		{pattern: "1111 1010 0011 .... | 1111 .... 10.. ....", op: "uxtab16", dst: dR8},
		{pattern: "1111 1010 0100 1111 | 1111 .... 10.. ....", op: "sxtb", dst: dR8},
		{pattern: "1111 1010 0100 .... | 1111 .... 10.. ....", op: "sxtab", dst: dR8},
		{pattern: "1111 1010 0101 1111 | 1111 .... 10.. ....", op: "uxtb", dst: dR8},
		{pattern: "1111 1010 0101 .... | 1111 .... 10.. ....", op: "uxtab", dst: dR8},

		// Parallel addition and subtraction.
		{pattern: "1111 1010 1...  .... | 1111 .... 0... ....", name: nameParallel, dst: dR8},

		// Miscellaneous operations.
		{pattern: "1111 1010 1000 .... | 1111 .... 1000 ....", op: "qadd", dst: dR8},
		{pattern: "1111 1010 1000 .... | 1111 .... 1001 ....", op: "qdadd", dst: dR8},
		{pattern: "1111 1010 1000 .... | 1111 .... 1010 ....", op: "qsub", dst: dR8},
		{pattern: "1111 1010 1000 .... | 1111 .... 1011 ....", op: "qdsub", dst: dR8},
		{pattern: "1111 1010 1001 .... | 1111 .... 1000 ....", op: "rev", dst: dR8},
		{pattern: "1111 1010 1001 .... | 1111 .... 1001 ....", op: "rev16", dst: dR8},
		{pattern: "1111 1010 1001 .... | 1111 .... 1010 ....", op: "rbit", dst: dR8},
		{pattern: "1111 1010 1001 .... | 1111 .... 1011 ....", op: "revsh", dst: dR8},
		{pattern: "1111 1010 1010 .... | 1111 .... 1000 ....", op: "sel", dst: dR8},
		{pattern: "1111 1010 1011 .... | 1111 .... 1000 ....", op: "clz", dst: dR8},

		// Multiply, multiply accumulate and absolute difference; Ra = PC
		// gives the non-accumulating forms.
		{pattern: "1111 1011 0000 .... | 1111 .... 0000 ....", op: "mul", dst: dR8},
		{pattern: "1111 1011 0000 .... | .... .... 0000 ....", op: "mla", dst: dR8},
		{pattern: "1111 1011 0000 .... | .... .... 0001 ....", op: "mls", dst: dR8},
		{pattern: "1111 1011 0001 .... | 1111 .... 0000 ....", op: "smulbb", dst: dR8},
		{pattern: "1111 1011 0001 .... | 1111 .... 0001 ....", op: "smulbt", dst: dR8},
		{pattern: "1111 1011 0001 .... | 1111 .... 0010 ....", op: "smultb", dst: dR8},
		{pattern: "1111 1011 0001 .... | 1111 .... 0011 ....", op: "smultt", dst: dR8},
		{pattern: "1111 1011 0001 .... | .... .... 0000 ....", op: "smlabb", dst: dR8},
		{pattern: "1111 1011 0001 .... | .... .... 0001 ....", op: "smlabt", dst: dR8},
		{pattern: "1111 1011 0001 .... | .... .... 0010 ....", op: "smlatb", dst: dR8},
		{pattern: "1111 1011 0001 .... | .... .... 0011 ....", op: "smlatt", dst: dR8},
		{pattern: "1111 1011 0010 .... | 1111 .... 0000 ....", op: "smuad", dst: dR8},
		{pattern: "1111 1011 0010 .... | 1111 .... 0001 ....", op: "smuadx", dst: dR8},
		{pattern: "1111 1011 0010 .... | .... .... 0000 ....", op: "smlad", dst: dR8},
		{pattern: "1111 1011 0010 .... | .... .... 0001 ....", op: "smladx", dst: dR8},
		{pattern: "1111 1011 0011 .... | 1111 .... 0000 ....", op: "smulwb", dst: dR8},
		{pattern: "1111 1011 0011 .... | 1111 .... 0001 ....", op: "smulwt", dst: dR8},
		{pattern: "1111 1011 0011 .... | .... .... 0000 ....", op: "smlawb", dst: dR8},
		{pattern: "1111 1011 0011 .... | .... .... 0001 ....", op: "smlawt", dst: dR8},
		{pattern: "1111 1011 0100 .... | 1111 .... 0000 ....", op: "smusd", dst: dR8},
		{pattern: "1111 1011 0100 .... | 1111 .... 0001 ....", op: "smusdx", dst: dR8},
		{pattern: "1111 1011 0100 .... | .... .... 0000 ....", op: "smlsd", dst: dR8},
		{pattern: "1111 1011 0100 .... | .... .... 0001 ....", op: "smlsdx", dst: dR8},
		// Pointer authentication (v8.1-M PACBTI) in the SMMLA/SMMLS space:
		// SMMLA(R) with Rd = PC, SMMLS with Ra = PC.
		{pattern: "1111 1011 0101 .... | .... 1111 0000 ....", op: "autg"},
		{pattern: "1111 1011 0101 .... | .... 1111 0001 ....", op: "bxaut", sem: sBXAUT},
		{pattern: "1111 1011 0110 .... | 1111 .... 0000 ....", op: "pacg", dst: dR8},
		{pattern: "1111 1011 0101 .... | 1111 .... 0000 ....", op: "smmul", dst: dR8},
		{pattern: "1111 1011 0101 .... | 1111 .... 0001 ....", op: "smmulr", dst: dR8},
		{pattern: "1111 1011 0101 .... | .... .... 0000 ....", op: "smmla", dst: dR8},
		{pattern: "1111 1011 0101 .... | .... .... 0001 ....", op: "smmlar", dst: dR8},
		{pattern: "1111 1011 0110 .... | .... .... 0000 ....", op: "smmls", dst: dR8},
		{pattern: "1111 1011 0110 .... | .... .... 0001 ....", op: "smmlsr", dst: dR8},
		{pattern: "1111 1011 0111 .... | 1111 .... 0000 ....", op: "usad8", dst: dR8},
		{pattern: "1111 1011 0111 .... | .... .... 0000 ....", op: "usada8", dst: dR8},

		// Long multiply, long multiply accumulate and divide.
		{pattern: "1111 1011 1000 .... | .... .... 0000 ....", op: "smull", dst: dR12R8},
		{pattern: "1111 1011 1001 .... | 1111 .... 1111 ....", op: "sdiv", dst: dR8},
		{pattern: "1111 1011 1010 .... | .... .... 0000 ....", op: "umull", dst: dR12R8},
		{pattern: "1111 1011 1011 .... | 1111 .... 1111 ....", op: "udiv", dst: dR8},
		{pattern: "1111 1011 1100 .... | .... .... 0000 ....", op: "smlal", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1000 ....", op: "smlalbb", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1001 ....", op: "smlalbt", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1010 ....", op: "smlaltb", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1011 ....", op: "smlaltt", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1100 ....", op: "smlald", dst: dR12R8},
		{pattern: "1111 1011 1100 .... | .... .... 1101 ....", op: "smlaldx", dst: dR12R8},
		{pattern: "1111 1011 1101 .... | .... .... 1100 ....", op: "smlsld", dst: dR12R8},
		{pattern: "1111 1011 1101 .... | .... .... 1101 ....", op: "smlsldx", dst: dR12R8},
		{pattern: "1111 1011 1110 .... | .... .... 0000 ....", op: "umlal", dst: dR12R8},
		{pattern: "1111 1011 1110 .... | .... .... 0110 ....", op: "umaal", dst: dR12R8},
	}
}
