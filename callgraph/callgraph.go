// Package callgraph builds the call graph of an ELF image from its machine
// code alone: which function calls which (directly, by tail call, or through
// a function pointer), how deep each function's own stack frame is, and
// which functions and data objects each piece of code or data refers to.
//
// It decodes every function symbol's bytes with the decoder of the image's
// instruction set (isa/thumb, isa/riscv, isa/x86), so it needs no special
// build: no -fstack-usage, no LLVM IR, no relocations. Function pointers are
// found where they are stored: in literal pools and MOVW/MOVT or AUIPC pairs
// of code, and as pointer-sized words in data sections (vtables, TFLM's
// registration tables, arrays of handlers). A function whose address is
// taken anywhere but the vector table and the constructor arrays (which
// hold entry points) is a possible target of indirect calls (Program.Indirect);
// data and code that no symbol names but that code refers to or branches
// to get nodes of their own ("[.rodata+0x1c]"); what cannot be resolved is
// listed, never dropped.
//
// The graph is the ground both for worst-case stack depth (package stack)
// and for reachability questions (why is this symbol linked, what does an
// op kernel cost).
package callgraph

import (
	"fmt"
	"sort"
)

// NodeKind says whether a node is code or data.
type NodeKind uint8

const (
	// Func is a function: a sized symbol in an executable section.
	Func NodeKind = iota
	// Object is a data object: a sized symbol in a non-executable section.
	Object
)

// CallKind says how a function transfers control to another.
type CallKind uint8

const (
	// Direct is a call instruction with a fixed target (bl, jal, call rel32).
	Direct CallKind = iota
	// Tail is a branch to the start of another function (b.w, j, jmp rel32):
	// the callee returns to the caller's caller.
	Tail
	// Indirect is a call through a register or memory; its possible targets
	// are the program's address-taken functions (Program.Indirect).
	Indirect
	// IndirectTail is a branch through a register or memory that leaves the
	// function (a tail call through a function pointer).
	IndirectTail
)

var callKindNames = [...]string{"call", "tail call", "indirect call", "indirect tail call"}

func (k CallKind) String() string {
	if int(k) < len(callKindNames) {
		return callKindNames[k]
	}
	return fmt.Sprintf("CallKind(%d)", uint8(k))
}

// IsIndirect reports whether the call goes through a function pointer.
func (k CallKind) IsIndirect() bool { return k == Indirect || k == IndirectTail }

// Call is one call site in a function.
type Call struct {
	Site  uint64 // address of the calling instruction
	Kind  CallKind
	Depth int64 // the caller's own stack depth at the call, in bytes
	// Callee is the called node's index in Program.Nodes, or -1 when the
	// call is indirect or its target is no known function (External says
	// which).
	Callee int
	// Target is the direct target address (0 for indirect calls).
	Target uint64
	// External names a direct target outside every function: an import
	// through the PLT ("puts@plt") or an address with no symbol.
	External string
}

// Ref is a reference from a node's code or data to another node: a
// function's address loaded or formed by code, or a pointer stored in data.
type Ref struct {
	From uint64 // address of the referring instruction or data word
	To   int    // index in Program.Nodes
}

// Node is one function or data object.
type Node struct {
	Name    string // symbol name as in the ELF (mangled)
	Kind    NodeKind
	Addr    uint64 // start address (Thumb bit clear)
	Size    uint64
	Section string
	// Frame is the function's own deepest stack use in bytes: pushes and
	// SP adjustments of its prologue and body, not counting callees.
	Frame int64
	// DynamicStack is set when the function moves the SP by an amount
	// known only at run time (alloca, variable-length arrays): Frame is
	// then only its static part.
	DynamicStack bool
	// AddressTaken is set when the function's address is stored or formed
	// anywhere other than the vector table.
	AddressTaken bool
	Calls        []Call
	Refs         []Ref
	// Problems lists what could not be decoded or followed in this
	// function, each naming an address.
	Problems []string
}

// Program is the call graph of one ELF image.
type Program struct {
	Machine string // "ARM (Thumb)", "RISC-V (RV32)", "x86-64"
	Nodes   []Node // functions and data objects, sorted by address
	// Indirect lists the address-taken functions: the possible targets of
	// every indirect call (node indices, ascending).
	Indirect []int
	// Vectors is the Cortex-M vector table (nil elsewhere): entry i is the
	// node index of exception i's handler, or -1.
	Vectors []int
	// VectorTable names the vector table's symbol or section.
	VectorTable string
	// Entry is the node index of the ELF entry point, or -1.
	Entry int
	// FPU is set on ARM images built for a core with a floating-point unit
	// (from .ARM.attributes): exception entry may then stack the extended
	// frame.
	FPU bool
	// CPU is the core named in .ARM.attributes ("Cortex-M4"), if any.
	CPU string
	// Symbols maps the global symbols that have no type and no size to
	// their values: the linker script's (_estack, _Min_Stack_Size,
	// __global_pointer$), whether absolute or section-relative.
	Symbols map[string]uint64
	// Sections lists the allocated sections, for reservation checks.
	Sections []Section
	// LooseRefs are pointers stored in data outside every sized object
	// (.init_array entries, tables without symbols).
	LooseRefs []Ref
	// Warnings are image-wide problems, each naming an address or section.
	Warnings []string
	// contents are the allocated sections' bytes, by address.
	contents []loadedSection
	// funcStart indexes functions by start address.
	funcStart map[uint64]int
}

// Section is an allocated section of the image.
type Section struct {
	Name       string
	Addr, Size uint64
	Exec       bool
	Write      bool
	NoBits     bool // no contents in the file (.bss)
}

// Flash reports whether the section's bytes are stored in the image (code,
// constants, initialised data), as opposed to zero-initialised RAM.
func (s Section) Flash() bool { return !s.NoBits }

// SectionOf returns the allocated section holding addr, if any.
func (p *Program) SectionOf(addr uint64) (Section, bool) {
	for _, s := range p.Sections {
		if addr >= s.Addr && addr-s.Addr < s.Size {
			return s, true
		}
	}
	return Section{}, false
}

// Bytes returns node i's contents as stored in the file (nil for .bss
// objects).
func (p *Program) Bytes(i int) []byte {
	n := &p.Nodes[i]
	for _, s := range p.contents {
		if n.Addr >= s.addr && n.Addr-s.addr < uint64(len(s.data)) {
			return s.data[n.Addr-s.addr : min(n.Addr-s.addr+n.Size, uint64(len(s.data)))]
		}
	}
	return nil
}

// Lookup returns the index of the node named name (the mangled or the
// plain symbol name), or -1.
func (p *Program) Lookup(name string) int {
	for i := range p.Nodes {
		if p.Nodes[i].Name == name {
			return i
		}
	}
	return -1
}

// At returns the index of the node whose bytes contain addr, or -1.
func (p *Program) At(addr uint64) int {
	i := sort.Search(len(p.Nodes), func(i int) bool { return p.Nodes[i].Addr > addr }) - 1
	if i >= 0 && addr < p.Nodes[i].Addr+max(p.Nodes[i].Size, 1) {
		return i
	}
	return -1
}

// FuncAt returns the index of the function starting exactly at addr, or -1.
func (p *Program) FuncAt(addr uint64) int {
	if i, ok := p.funcStart[addr]; ok {
		return i
	}
	return -1
}

// indexFunctions (re)builds the index of function start addresses.
func (p *Program) indexFunctions() {
	p.funcStart = make(map[uint64]int, len(p.Nodes))
	for i := range p.Nodes {
		if p.Nodes[i].Kind == Func {
			if _, dup := p.funcStart[p.Nodes[i].Addr]; !dup {
				p.funcStart[p.Nodes[i].Addr] = i
			}
		}
	}
}
