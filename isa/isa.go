// Package isa holds what footprint's machine-code analysis needs to know about
// one instruction, whatever the instruction set: its length, how it changes
// control flow (branch, call, return and their targets), how it moves the
// stack pointer, and which address it forms or loads (a literal-pool word, an
// ADR/AUIPC/LEA address) so that function pointers can be found.
//
// One subpackage per instruction set decodes into these types: isa/thumb
// (ARMv6-M to ARMv8.1-M Thumb/Thumb-2), isa/riscv (RV32IMC with F/D) and
// isa/x86 (x86-64). The call graph and the stack analysis are built on the
// Decoder interface only, so they do not know which instruction set they read.
package isa

import (
	"errors"
	"fmt"
)

// Flow says how an instruction changes control flow.
type Flow uint8

const (
	// FlowNext: execution continues with the next instruction.
	FlowNext Flow = iota
	// FlowJump: an unconditional direct branch to Target (within the
	// function, or a tail call when Target is another function).
	FlowJump
	// FlowCondJump: a conditional direct branch to Target, or the next
	// instruction.
	FlowCondJump
	// FlowCall: a direct call of Target that returns to the next instruction.
	FlowCall
	// FlowIndirectJump: a branch through a register or memory (a jump
	// table, or a tail call through a function pointer). Never falls through.
	FlowIndirectJump
	// FlowIndirectCall: a call through a register or memory that returns to
	// the next instruction.
	FlowIndirectCall
	// FlowReturn: a return to the caller (bx lr, pop {pc}, ret, jalr x0, ra).
	FlowReturn
	// FlowStop: execution does not continue (udf, an undefined encoding,
	// hlt); treated as the end of a path.
	FlowStop
)

var flowNames = [...]string{"next", "jump", "cond-jump", "call", "indirect-jump", "indirect-call", "return", "stop"}

func (f Flow) String() string {
	if int(f) < len(flowNames) {
		return flowNames[f]
	}
	return fmt.Sprintf("Flow(%d)", uint8(f))
}

// Conditional flows may also fall through to the next instruction.
func (f Flow) FallsThrough() bool {
	return f == FlowNext || f == FlowCondJump || f == FlowCall || f == FlowIndirectCall
}

// RefKind says what Inst.Ref holds.
type RefKind uint8

const (
	// RefNone: the instruction refers to no fixed address.
	RefNone RefKind = iota
	// RefLoad: the instruction loads a word from the fixed address Ref (a
	// Thumb literal-pool LDR, an x86 RIP-relative MOV): the word stored
	// there may be a function's address.
	RefLoad
	// RefAddr: the instruction forms the address Ref in a register (ADR,
	// MOVW/MOVT pair, AUIPC/LUI pair with ADDI, LEA): it may be a function's
	// address, or the address of a table of them.
	RefAddr
)

// Inst is one decoded instruction.
type Inst struct {
	Addr uint64 // address of the first byte
	Len  int    // length in bytes (2 or 4 for Thumb and RV32C; 1-15 for x86-64)
	Flow Flow
	// Target is the destination of FlowJump, FlowCondJump and FlowCall. For
	// Thumb it has bit 0 clear; a BLX to ARM state is still a FlowCall.
	Target uint64
	// Conditional is set when the instruction executes only under a
	// condition that the Flow does not already express: a Thumb instruction
	// inside an IT block (a conditional "pop {pc}" is a return that may
	// fall through). Its SP effect may or may not happen.
	Conditional bool
	// SPDelta is the constant amount the instruction adds to the stack
	// pointer: -8 for "push {r4, lr}", +16 for "add sp, #16", -N for
	// "addi sp, sp, -N". Zero when the SP is unchanged.
	SPDelta int64
	// SPDynamic is set when the instruction sets the SP to a value that is
	// not a constant offset from the old one: "sub sp, sp, r3" (alloca, VLA),
	// "mov sp, r7" (restore from a frame pointer), "and sp, -16".
	SPDynamic bool
	// Ref and RefKind give the address the instruction loads from or forms.
	Ref     uint64
	RefKind RefKind
	// Op is a short mnemonic for messages and tests ("bl", "push", "jal");
	// it is not a full disassembly.
	Op string
}

// Decoder decodes one instruction set.
//
// A decoder may keep state between consecutive instructions of one linear run
// of code: Thumb's IT block makes the next instructions conditional, and a
// MOVW/MOVT or AUIPC/ADDI pair forms one address over two instructions. Reset
// starts a new run (a new function, or code after data).
type Decoder interface {
	// Decode decodes the instruction at the start of code, which is located
	// at addr. It returns an error, and an Inst with a Len to skip (at least
	// the minimum instruction length, when code holds that many bytes), for
	// an encoding it does not know or code that ends mid-instruction.
	Decode(code []byte, addr uint64) (Inst, error)
	Reset()
	// MinLen is the smallest instruction length: the alignment at which
	// instructions start (2 for Thumb and RV32C, 1 for x86).
	MinLen() int
}

// ErrTruncated is returned (wrapped) by decoders when code ends in the middle
// of an instruction.
var ErrTruncated = errors.New("code ends mid-instruction")
