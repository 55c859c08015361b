package thumb

// rows16 is the table of 16-bit encodings (ARMv6-M, ARMv7-M and ARMv8-M),
// in the order of the architecture's decode tables. Earlier rows win, so a
// special case (an alias, a hint) comes before the general row it is carved
// out of.
func rows16() []row {
	return []row{
		// Shift (immediate), add, subtract, move and compare.
		{pattern: "0000 0000 00.. ....", op: "mov", dst: dLo0}, // LSL #0 is MOVS (register)
		{pattern: "0000 0... .... ....", op: "lsl", dst: dLo0},
		{pattern: "0000 1... .... ....", op: "lsr", dst: dLo0},
		{pattern: "0001 0... .... ....", op: "asr", dst: dLo0},
		{pattern: "0001 100. .... ....", op: "add", dst: dLo0},
		{pattern: "0001 101. .... ....", op: "sub", dst: dLo0},
		{pattern: "0001 110. .... ....", op: "add", dst: dLo0},
		{pattern: "0001 111. .... ....", op: "sub", dst: dLo0},
		{pattern: "0010 0... .... ....", op: "mov", dst: dLo8},
		{pattern: "0010 1... .... ....", op: "cmp", sem: sCmpImm16},
		{pattern: "0011 0... .... ....", op: "add", dst: dLo8},
		{pattern: "0011 1... .... ....", op: "sub", dst: dLo8},

		// Data processing (two low registers).
		{pattern: "0100 0000 00.. ....", op: "and", dst: dLo0},
		{pattern: "0100 0000 01.. ....", op: "eor", dst: dLo0},
		{pattern: "0100 0000 10.. ....", op: "lsl", dst: dLo0},
		{pattern: "0100 0000 11.. ....", op: "lsr", dst: dLo0},
		{pattern: "0100 0001 00.. ....", op: "asr", dst: dLo0},
		{pattern: "0100 0001 01.. ....", op: "adc", dst: dLo0},
		{pattern: "0100 0001 10.. ....", op: "sbc", dst: dLo0},
		{pattern: "0100 0001 11.. ....", op: "ror", dst: dLo0},
		{pattern: "0100 0010 00.. ....", op: "tst"},
		{pattern: "0100 0010 01.. ....", op: "neg", dst: dLo0}, // RSBS Rd, Rn, #0
		{pattern: "0100 0010 10.. ....", op: "cmp"},
		{pattern: "0100 0010 11.. ....", op: "cmn"},
		{pattern: "0100 0011 00.. ....", op: "orr", dst: dLo0},
		{pattern: "0100 0011 01.. ....", op: "mul", dst: dLo0},
		{pattern: "0100 0011 10.. ....", op: "bic", dst: dLo0},
		{pattern: "0100 0011 11.. ....", op: "mvn", dst: dLo0},

		// Special data instructions and branch and exchange.
		{pattern: "0100 0100 .... ....", op: "add", sem: sAddHi16},
		{pattern: "0100 0101 .... ....", op: "cmp"},
		{pattern: "0100 0110 1100 0000", op: "nop"}, // MOV r8, r8
		{pattern: "0100 0110 .... ....", op: "mov", sem: sMovHi16},
		// BX ignores its should-be-zero bits 2:0, as objdump does, but
		// for BXNS.
		{pattern: "0100 0111 0... .100", op: "bxns", sem: sBX},
		{pattern: "0100 0111 0... ....", op: "bx", sem: sBX},
		{pattern: "0100 0111 1... .000", op: "blx", sem: sBLX},
		{pattern: "0100 0111 1... .100", op: "blxns", sem: sBLX},

		// Load from literal pool.
		{pattern: "0100 1... .... ....", op: "ldr", sem: sLdrLit16, dst: dLo8},

		// Load/store single data item.
		{pattern: "0101 000. .... ....", op: "str"},
		{pattern: "0101 001. .... ....", op: "strh"},
		{pattern: "0101 010. .... ....", op: "strb"},
		{pattern: "0101 011. .... ....", op: "ldrsb", dst: dLo0},
		{pattern: "0101 100. .... ....", op: "ldr", dst: dLo0},
		{pattern: "0101 101. .... ....", op: "ldrh", dst: dLo0},
		{pattern: "0101 110. .... ....", op: "ldrb", dst: dLo0},
		{pattern: "0101 111. .... ....", op: "ldrsh", dst: dLo0},
		{pattern: "0110 0... .... ....", op: "str"},
		{pattern: "0110 1... .... ....", op: "ldr", dst: dLo0},
		{pattern: "0111 0... .... ....", op: "strb"},
		{pattern: "0111 1... .... ....", op: "ldrb", dst: dLo0},
		{pattern: "1000 0... .... ....", op: "strh"},
		{pattern: "1000 1... .... ....", op: "ldrh", dst: dLo0},
		{pattern: "1001 0... .... ....", op: "str"},
		{pattern: "1001 1... .... ....", op: "ldr", dst: dLo8},

		// PC- and SP-relative addresses.
		{pattern: "1010 0... .... ....", op: "adr", sem: sAdr16, dst: dLo8},
		{pattern: "1010 1... .... ....", op: "add", dst: dLo8},

		// Miscellaneous 16-bit instructions.
		{pattern: "1011 0000 0... ....", op: "add", sem: sAddSP16},
		{pattern: "1011 0000 1... ....", op: "sub", sem: sSubSP16},
		{pattern: "1011 00.1 .... ....", op: "cbz", sem: sCBZ},
		{pattern: "1011 10.1 .... ....", op: "cbnz", sem: sCBZ},
		{pattern: "1011 0010 00.. ....", op: "sxth", dst: dLo0},
		{pattern: "1011 0010 01.. ....", op: "sxtb", dst: dLo0},
		{pattern: "1011 0010 10.. ....", op: "uxth", dst: dLo0},
		{pattern: "1011 0010 11.. ....", op: "uxtb", dst: dLo0},
		{pattern: "1011 010. .... ....", op: "push", sem: sPush16},
		{pattern: "1011 0110 0110 0...", op: "cpsie"},
		{pattern: "1011 0110 0111 0...", op: "cpsid"},
		{pattern: "1011 1010 00.. ....", op: "rev", dst: dLo0},
		{pattern: "1011 1010 01.. ....", op: "rev16", dst: dLo0},
		{pattern: "1011 1010 10.. ....", op: "hlt"},
		{pattern: "1011 1010 11.. ....", op: "revsh", dst: dLo0},
		{pattern: "1011 110. .... ....", op: "pop", sem: sPop16},
		{pattern: "1011 1110 .... ....", op: "bkpt"},
		{pattern: "1011 1111 0000 0000", op: "nop"},
		{pattern: "1011 1111 0001 0000", op: "yield"},
		{pattern: "1011 1111 0010 0000", op: "wfe"},
		{pattern: "1011 1111 0011 0000", op: "wfi"},
		{pattern: "1011 1111 0100 0000", op: "sev"},
		{pattern: "1011 1111 .... 0000", op: "nop"},
		{pattern: "1011 1111 .... ....", op: "it", sem: sIT},

		// Load and store multiple.
		{pattern: "1100 0... .... ....", op: "stmia"},
		{pattern: "1100 1... .... ....", op: "ldmia"},

		// Conditional branch, and supervisor call.
		{pattern: "1101 1110 .... ....", op: "udf", sem: sUDF},
		{pattern: "1101 1111 .... ....", op: "svc"},
		{pattern: "1101 .... .... ....", op: "b", sem: sB16Cond},

		// Unconditional branch.
		{pattern: "1110 0... .... ....", op: "b", sem: sB16},
	}
}
