package thumb

import (
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/isa"
)

// JumpTable is the inline table of a "tbb [pc, Rm]" or "tbh [pc, Rm, lsl
// #1]": byte or halfword entries right after the instruction, each entry
// half the distance from the table's start to a case.
type JumpTable struct {
	Addr uint64 // address of the first entry: the instruction's address + 4
	Half bool   // TBH (halfword entries) rather than TBB (bytes)
	// Entries is the number of entries, known when the index register was
	// bounded just before the table branch, as compilers emit a switch:
	// "cmp Rm, #N" then "bhi default" (N+1 entries) or "bcs default" (N
	// entries). Zero when unknown.
	Entries int
}

// maxEntries bounds the entry count taken from a CMP immediate; larger
// bounds are not jump tables.
const maxEntries = 1 << 16

// ErrUnknownBound is returned by JumpTable.Targets when the entry count of
// the table is not known.
var ErrUnknownBound = errors.New("jump table entry count unknown")

// JumpTable returns the table of the instruction decoded last, when it was
// a TBB or TBH with the PC as its base register.
func (d *Decoder) JumpTable() (JumpTable, bool) { return d.table, d.table.Addr != 0 }

// Size is the number of bytes the table occupies, padded to the halfword
// alignment of the code after it; zero when the entry count is unknown.
func (t JumpTable) Size() int {
	n := t.Entries
	if t.Half {
		n *= 2
	}
	return (n + 1) &^ 1
}

// Targets reads the entries from data, the bytes at t.Addr, and returns the
// address each entry branches to (in entry order, duplicates kept).
func (t JumpTable) Targets(data []byte) ([]uint64, error) {
	if t.Entries <= 0 {
		return nil, fmt.Errorf("thumb: table at %#x: %w", t.Addr, ErrUnknownBound)
	}
	size := 1
	if t.Half {
		size = 2
	}
	if len(data) < t.Entries*size {
		return nil, fmt.Errorf("thumb: table at %#x: %d entries of %d bytes in %d bytes: %w",
			t.Addr, t.Entries, size, len(data), isa.ErrTruncated)
	}
	targets := make([]uint64, t.Entries)
	for i := range targets {
		v := uint64(data[i])
		if t.Half {
			v = uint64(data[2*i]) | uint64(data[2*i+1])<<8
		}
		targets[i] = t.Addr + 2*v
	}
	return targets, nil
}

// noteCmp records "cmp Rn, #imm", which may bound a jump table index.
func (d *Decoder) noteCmp(reg uint8, imm uint32) {
	d.cmpReg, d.cmpImm, d.cmpAt = reg, imm, d.n
}

// noteBranchCond turns a recorded CMP followed closely by a branch to the
// default case (BHI: index > N, or BCS: index >= N) into a bound on the
// index register.
func (d *Decoder) noteBranchCond(cond uint8) {
	if d.cmpAt == 0 || d.n-d.cmpAt > 2 || d.cmpImm >= maxEntries {
		return
	}
	switch cond {
	case condHI:
		d.boundN = int(d.cmpImm) + 1
	case condCS:
		d.boundN = int(d.cmpImm)
	default:
		return
	}
	d.boundReg, d.boundAt = d.cmpReg, d.n
}

// noteTable records the table of a TBB or TBH with a PC base.
func (d *Decoder) noteTable(enc uint32, inst *isa.Inst) {
	if enc>>16&0xf != regPC {
		return
	}
	d.table = JumpTable{Addr: inst.Addr + 4, Half: bit(enc, 4) == 1}
	if d.boundAt != 0 && d.n-d.boundAt <= 2 && uint32(d.boundReg) == enc&0xf {
		d.table.Entries = d.boundN
	}
}
