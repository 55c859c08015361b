// Package thumb decodes the Thumb instruction set of Cortex-M processors
// into isa.Inst: the facts that footprint's call graph and stack analysis
// need, not a full disassembly. golang.org/x/arch's armasm decodes only the
// A32 (ARM-state) instructions, which M-profile cores do not execute.
//
// # What is decoded
//
// Every 16- and 32-bit Thumb encoding of ARMv6-M, ARMv7-M, ARMv7E-M (the DSP
// extension), ARMv8-M Baseline and Mainline (the security extension's SG,
// TT, BXNS and BLXNS; load-acquire and store-release) and ARMv8.1-M (low
// overhead loops WLS/DLS/LE and their tail-predicated forms, branch future,
// conditional select, CLRM and VSCCLRM, FP system registers to and from
// memory, pointer authentication, and the M-profile Vector Extension MVE,
// or Helium, with its scalar long shifts), with the FPv4 and FPv5 floating
// point extensions in single, double and half precision, and the generic
// coprocessor instructions for coprocessors 0 to 7. For each instruction
// the decoder gives:
//
//   - Len: 2 or 4, from the first halfword.
//   - Op: the base mnemonic as GNU objdump prints it, without the condition,
//     the flag-setting "s", the width qualifier and the data type ("b" for
//     beq.n, "add" for addseq.w, "vldrb" for vldrb.u8). ADR is "adr" where
//     objdump shows ADD/SUB of the PC.
//   - Flow and Target: branches, calls, returns and indirect jumps, with
//     targets computed from PC+4 (Align(PC, 4) for BLX). BX LR, BXNS LR,
//     BXAUT with LR, MOV PC, LR, and POP/LDM/LDR loading the PC from the
//     stack are returns; a load of the PC from elsewhere, MOV PC/ADD PC and
//     TBB/TBH are indirect jumps. WLS and LE are conditional jumps, LE with
//     the loop-forever flag an unconditional one; the branch-future hints,
//     BKPT and SVC fall through, UDF stops.
//   - Conditional, for instructions in an IT block with a condition other
//     than AL: a branch there is a conditional jump, and a return or an
//     indirect jump there may fall through.
//   - SPDelta: the constant change of SP by PUSH/POP, STMDB/LDMIA with
//     writeback, indexed loads and stores with writeback (including
//     "str r0, [sp, #-8]!", STRD/LDRD, the FP system registers of a
//     non-secure entry function and MVE loads and stores), ADD/SUB of SP
//     and an immediate in every encoding (a modified immediate such as
//     0xffffffff subtracts), and VPUSH/VPOP/VLDM/VSTM.
//   - SPDynamic: SP set to a value that is not a constant offset from the
//     old one: any write of SP as a destination register (MOV, ADD or SUB
//     with a register, a load into SP), and MSR of MSP. MSR of PSP is not
//     counted: in handler mode it is another stack.
//   - Ref and RefKind: the literal of LDR, LDRD and VLDR (word or larger)
//     loads from the PC (RefLoad); the address ADR forms, and a MOVT that
//     completes a MOVW on the same register (RefAddr).
//
// Encodings that are unallocated in M-profile, including the A- and
// R-profile instructions that share the Thumb encoding space (Advanced
// SIMD, HVC, SMC, SRS/RFE, SETEND, SETPAN, the doubleword exclusives,
// CRC32) and coprocessors 8 to 15 outside the FP and MVE spaces, give an
// error wrapping ErrUndefined. Where the architecture calls an encoding
// UNPREDICTABLE (a should-be-zero bit set, SP or PC where they are not
// allowed) the decoder decodes it as objdump does. Operands are not
// decoded, and VPT predication of MVE instructions is not reported (it
// masks vector lanes, not control flow).
//
// # Design
//
// The decoder is driven by tables in the style of the architecture
// manual's encoding diagrams (tables16.go, tables32.go, tablesfp.go): each
// row is a bit pattern such as "1011 110. .... ...." (POP) with its
// mnemonic, a semantic class saying what to compute (a branch offset, an SP
// adjustment, a literal address), and the field holding its destination
// register. Rows are tried in order and the first that matches wins, so an
// alias or a special case comes before the general row it is carved out
// of; a row may also exclude a sub-pattern, or name its mnemonic by a
// function of the fields. The tables are compiled once into an index: a
// direct table of all 16-bit encodings, and buckets of 32-bit rows keyed by
// the first halfword and the coprocessor field, which leave about two rows
// to try per 32-bit instruction. Decoding allocates nothing.
//
// A Decoder carries state from one instruction to the next within a linear
// run of code: the IT block in progress, MOVW instructions waiting for their
// MOVT (a write to the register, any branch or call, or Reset ends the
// wait), and a bound check "cmp Rm, #N" followed by "bhi" or "bcs", which
// gives the entry count of an inline TBB/TBH table (see JumpTable). Reset
// starts a new run.
//
// # Verification
//
// The tests compare the decoder with GNU objdump 2.40 (testdata/gen.sh
// records its output): on every 16-bit encoding and a seeded sample of
// 73,000 32-bit ones decoded as armv8.1-m.main, and on every instruction of
// every Arm ELF in the project and in shared/ (TFLM firmware with and
// without CMSIS-NN, the stack test) plus test images built for Cortex-M55
// (MVE), M33 and M23 (security extension, pure code) and M7 (double
// precision), comparing instruction boundaries, mnemonics, IT conditions,
// branch and call targets, literal addresses and jump tables.
package thumb
