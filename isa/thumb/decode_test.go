package thumb

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
)

// code turns encodings as objdump shows them ("f7ff bffe", halfword by
// halfword, several instructions separated by "|") into little-endian bytes.
func code(t testing.TB, s string) []byte {
	t.Helper()
	var b []byte
	for _, hw := range strings.Fields(strings.ReplaceAll(s, "|", " ")) {
		h, err := hex.DecodeString(hw)
		require.NoError(t, err, s)
		require.Len(t, h, 2, s)
		b = append(b, h[1], h[0])
	}
	return b
}

// base is where the cases are decoded: objdump's address (of a raw binary
// at 0) plus base, so that no target wraps below zero.
const base = 0x8000

// TestSemantics checks flow, targets, SP effect and references of single
// instructions. Each case quotes "objdump -D -b binary -m armv8.1-m.main -M
// force-thumb" of the encoding at the given address.
func TestSemantics(t *testing.T) {
	for _, c := range []struct {
		addr uint64
		enc  string
		text string
		want isa.Inst // Addr and Len are filled in
	}{
		// Branches.
		{0x00, "d0f0", "beq.n 0xffffffe4", isa.Inst{Op: "b", Flow: isa.FlowCondJump, Target: base - 0x1c}},
		{0x02, "b11b", "cbz r3, 0xc", isa.Inst{Op: "cbz", Flow: isa.FlowCondJump, Target: base + 0xc}},
		{0x04, "f7ff bffe", "b.w 0x4", isa.Inst{Op: "b", Flow: isa.FlowJump, Target: base + 0x4}},
		{0x08, "f47f aefe", "bne.w 0xfffffe08", isa.Inst{Op: "b", Flow: isa.FlowCondJump, Target: base - 0x1f8}},
		{0x0c, "f7ff fffe", "bl 0xc", isa.Inst{Op: "bl", Flow: isa.FlowCall, Target: base + 0xc}},
		{0x10, "f7ff effe", "blx 0x10", isa.Inst{Op: "blx", Flow: isa.FlowCall, Target: base + 0x10}},
		{0x12, "f7ff effe", "blx 0x10 (from 0x12: Align(PC, 4))", isa.Inst{Op: "blx", Flow: isa.FlowCall, Target: base + 0x10}},
		{0x14, "4770", "bx lr", isa.Inst{Op: "bx", Flow: isa.FlowReturn}},
		{0x16, "4718", "bx r3", isa.Inst{Op: "bx", Flow: isa.FlowIndirectJump}},
		{0x18, "4798", "blx r3", isa.Inst{Op: "blx", Flow: isa.FlowIndirectCall}},
		{0x1a, "4774", "bxns lr", isa.Inst{Op: "bxns", Flow: isa.FlowReturn}},
		{0x1c, "479c", "blxns r3", isa.Inst{Op: "blxns", Flow: isa.FlowIndirectCall}},
		{0x28, "f8d3 f004", "ldr.w pc, [r3, #4]", isa.Inst{Op: "ldr", Flow: isa.FlowIndirectJump}},
		{0x2c, "469f", "mov pc, r3", isa.Inst{Op: "mov", Flow: isa.FlowIndirectJump}},
		{0x2e, "46f7", "mov pc, lr", isa.Inst{Op: "mov", Flow: isa.FlowReturn}},
		{0x30, "449f", "add pc, r3", isa.Inst{Op: "add", Flow: isa.FlowIndirectJump}},
		{0x32, "e8df f003", "tbb [pc, r3]", isa.Inst{Op: "tbb", Flow: isa.FlowIndirectJump}},
		{0x36, "de00", "udf #0", isa.Inst{Op: "udf", Flow: isa.FlowStop}},
		{0x38, "f7f0 a000", "udf.w #0", isa.Inst{Op: "udf", Flow: isa.FlowStop}},
		{0x3c, "beab", "bkpt 0x00ab", isa.Inst{Op: "bkpt", Flow: isa.FlowNext}},
		{0x3e, "df01", "svc 1", isa.Inst{Op: "svc", Flow: isa.FlowNext}},
		{0xe4, "fb5e cf1d", "bxaut ip, lr, sp", isa.Inst{Op: "bxaut", Flow: isa.FlowReturn}},

		// Low-overhead loops: WLS skips the loop, LE goes back unless it
		// is the loop-forever form, DLS only starts the loop.
		{0x40, "f040 c005", "wls lr, r0, 0x4c", isa.Inst{Op: "wls", Flow: isa.FlowCondJump, Target: base + 0x4c}},
		{0x44, "f00f c005", "le lr, 0x40", isa.Inst{Op: "le", Flow: isa.FlowCondJump, Target: base + 0x40}},
		{0x48, "f02f c005", "le 0x44", isa.Inst{Op: "le", Flow: isa.FlowJump, Target: base + 0x44}},
		{0x4c, "f01f c005", "letp lr, 0x48", isa.Inst{Op: "letp", Flow: isa.FlowCondJump, Target: base + 0x48}},
		{0x50, "f040 e001", "dls lr, r0", isa.Inst{Op: "dls", Flow: isa.FlowNext}},

		// Returns that pop.
		{0x1e, "bd10", "pop {r4, pc}", isa.Inst{Op: "pop", Flow: isa.FlowReturn, SPDelta: 8}},
		{0x20, "e8bd 81f0", "ldmia.w sp!, {r4, r5, r6, r7, r8, pc}", isa.Inst{Op: "ldmia", Flow: isa.FlowReturn, SPDelta: 24}},
		{0x24, "f85d fb04", "ldr.w pc, [sp], #4", isa.Inst{Op: "ldr", Flow: isa.FlowReturn, SPDelta: 4}},

		// Constant SP adjustments.
		{0x54, "b5ff", "push {r0, r1, r2, r3, r4, r5, r6, r7, lr}", isa.Inst{Op: "push", SPDelta: -36}},
		{0x56, "e92d 4ff0", "stmdb sp!, {r4, r5, r6, r7, r8, r9, sl, fp, lr}", isa.Inst{Op: "stmdb", SPDelta: -36}},
		{0x5a, "f84d ed04", "str.w lr, [sp, #-4]!", isa.Inst{Op: "str", SPDelta: -4}},
		{0x5e, "f84d 0d08", "str.w r0, [sp, #-8]!", isa.Inst{Op: "str", SPDelta: -8}},
		{0x62, "e96d 4502", "strd r4, r5, [sp, #-8]!", isa.Inst{Op: "strd", SPDelta: -8}},
		{0x66, "e8fd 4502", "ldrd r4, r5, [sp], #8", isa.Inst{Op: "ldrd", SPDelta: 8}},
		{0x6a, "b084", "sub sp, #16", isa.Inst{Op: "sub", SPDelta: -16}},
		{0x6c, "f5ad 6d80", "sub.w sp, sp, #1024", isa.Inst{Op: "sub", SPDelta: -1024}},
		{0x70, "f2ad 0d64", "subw sp, sp, #100", isa.Inst{Op: "subw", SPDelta: -100}},
		{0x74, "f50d 6d80", "add.w sp, sp, #1024", isa.Inst{Op: "add", SPDelta: 1024}},
		{0x78, "f20d 0d65", "addw sp, sp, #101", isa.Inst{Op: "addw", SPDelta: 101}},
		{0x7c, "f10d 3dff", "add.w sp, sp, #4294967295 (adds -1)", isa.Inst{Op: "add", SPDelta: -1}},
		{0x80, "ed2d 8b10", "vpush {d8-d15}", isa.Inst{Op: "vpush", SPDelta: -64}},
		{0x84, "ecbd 8b10", "vpop {d8-d15}", isa.Inst{Op: "vpop", SPDelta: 64}},
		{0x88, "ed2d 8a04", "vpush {s16-s19}", isa.Inst{Op: "vpush", SPDelta: -16}},
		{0x8c, "ed6d cf81", "vstr FPCXTNS, [sp, #-4]!", isa.Inst{Op: "vstr", SPDelta: -4}},
		{0x90, "ecfd cf81", "vldr FPCXTNS, [sp], #4", isa.Inst{Op: "vldr", SPDelta: 4}},
		{0x94, "ed2d 1f04", "vstrw.32 q0, [sp, #-16]!", isa.Inst{Op: "vstrw", SPDelta: -16}},
		{0x98, "ecbd 1f04", "vldrw.u32 q0, [sp], #16", isa.Inst{Op: "vldrw", SPDelta: 16}},
		{0xe8, "e8bd 4010", "ldmia.w sp!, {r4, lr}", isa.Inst{Op: "ldmia", SPDelta: 8}},
		{0xec, "bc10", "pop {r4}", isa.Inst{Op: "pop", SPDelta: 4}},
		{0xee, "b401", "push {r0}", isa.Inst{Op: "push", SPDelta: -4}},

		// SP set from a register or memory, and SP only read.
		{0x9c, "46bd", "mov sp, r7", isa.Inst{Op: "mov", SPDynamic: true}},
		{0x9e, "448d", "add sp, r1", isa.Inst{Op: "add", SPDynamic: true}},
		{0xa0, "ebad 0d00", "sub.w sp, sp, r0", isa.Inst{Op: "sub", SPDynamic: true}},
		{0xa4, "f8df d018", "ldr.w sp, [pc, #24] @ 0xc0", isa.Inst{Op: "ldr", SPDynamic: true, RefKind: isa.RefLoad, Ref: base + 0xc0}},
		{0xa8, "f380 8808", "msr MSP, r0", isa.Inst{Op: "msr", SPDynamic: true}},
		{0xac, "f380 8809", "msr PSP, r0", isa.Inst{Op: "msr"}},
		{0xb0, "af02", "add r7, sp, #8", isa.Inst{Op: "add"}},
		{0xb2, "f10d 0708", "add.w r7, sp, #8", isa.Inst{Op: "add"}},
		{0xb6, "f1a7 0d08", "sub.w sp, r7, #8", isa.Inst{Op: "sub", SPDynamic: true}},
		{0xf0, "4685", "mov sp, r0", isa.Inst{Op: "mov", SPDynamic: true}},
		{0xf2, "f2c0 6d00", "movt sp, #1536", isa.Inst{Op: "movt", SPDynamic: true}},

		// Literal loads and formed addresses.
		{0xba, "4801", "ldr r0, [pc, #4] @ (0xc0)", isa.Inst{Op: "ldr", RefKind: isa.RefLoad, Ref: base + 0xc0}},
		{0xbc, "f85f 1004", "ldr.w r1, [pc, #-4] @ 0xbc", isa.Inst{Op: "ldr", RefKind: isa.RefLoad, Ref: base + 0xbc}},
		{0xc0, "e9df 2302", "ldrd r2, r3, [pc, #8] @ 0xcc", isa.Inst{Op: "ldrd", RefKind: isa.RefLoad, Ref: base + 0xcc}},
		{0xc4, "ed9f 0a01", "vldr s0, [pc, #4] @ 0xcc", isa.Inst{Op: "vldr", RefKind: isa.RefLoad, Ref: base + 0xcc}},
		{0xc8, "ed9f 0902", "vldr.16 s0, [pc, #4] @ 0xd0", isa.Inst{Op: "vldr", RefKind: isa.RefLoad, Ref: base + 0xd0}},
		{0xcc, "a002", "add r0, pc, #8 @ (adr r0, 0xd8)", isa.Inst{Op: "adr", RefKind: isa.RefAddr, Ref: base + 0xd8}},
		{0xce, "f20f 016c", "addw r1, pc, #108 (adr.w r1, 0x13e)", isa.Inst{Op: "adr", RefKind: isa.RefAddr, Ref: base + 0xd0 + 108}},
		{0xd2, "f2af 20f3", "subw r0, pc, #755 (adr.w r0, -0x21f)", isa.Inst{Op: "adr", RefKind: isa.RefAddr, Ref: base + 0xd4 - 755}},
	} {
		var d Decoder
		b := code(t, c.enc)
		inst, err := d.Decode(b, base+c.addr)
		require.NoError(t, err, c.text)
		want := c.want
		want.Addr, want.Len = base+c.addr, len(b)
		require.Equal(t, want, inst, c.text)
	}
}

// TestITBlock: instructions in an IT block are conditional, a branch in one
// is a conditional jump, and a return in one may fall through. ITSTATE
// advances per instruction and the block ends after its last one.
func TestITBlock(t *testing.T) {
	// 0: bf08 it eq; 2: bd10 popeq {r4, pc}; 4: 4770 bx lr
	var d Decoder
	seq := decodeAll(t, &d, "bf08 | bd10 | 4770")
	require.False(t, seq[0].Conditional)
	require.Equal(t, isa.Inst{Addr: base + 2, Len: 2, Op: "pop", Flow: isa.FlowReturn, SPDelta: 8, Conditional: true}, seq[1])
	require.Equal(t, isa.Inst{Addr: base + 4, Len: 2, Op: "bx", Flow: isa.FlowReturn}, seq[2])

	// 0: bf08 it eq; 2: f000 b800 beq.w 0x6
	d.Reset()
	seq = decodeAll(t, &d, "bf08 | f000 b800")
	require.Equal(t, isa.Inst{Addr: base + 2, Len: 4, Op: "b", Flow: isa.FlowCondJump, Target: base + 6, Conditional: true}, seq[1])

	// ittte ne: four conditional instructions, then an unconditional one.
	// 0: bf1d ittte ne; 2: 3001 addne r0, #1; 4: 3101 addne r1, #1;
	// 6: 3201 addne r2, #1; 8: 4718 bxeq r3; a: 3301 adds r3, #1
	d.Reset()
	seq = decodeAll(t, &d, "bf1d | 3001 | 3101 | 3201 | 4718 | 3301")
	for i := 1; i <= 4; i++ {
		require.True(t, seq[i].Conditional, "instruction %d", i)
	}
	require.Equal(t, isa.FlowIndirectJump, seq[4].Flow)
	require.False(t, seq[5].Conditional)

	// "it al" makes nothing conditional: 0: bfe8 it al; 2: e7fe b.n 0x2
	d.Reset()
	seq = decodeAll(t, &d, "bfe8 | e7fe")
	require.Equal(t, isa.Inst{Addr: base + 2, Len: 2, Op: "b", Flow: isa.FlowJump, Target: base + 2}, seq[1])

	// Reset ends a block: 0: bf08 it eq, then a new run.
	d.Reset()
	decodeAll(t, &d, "bf08")
	d.Reset()
	inst, err := d.Decode(code(t, "4770"), base)
	require.NoError(t, err)
	require.False(t, inst.Conditional)
}

// decodeAll decodes consecutive instructions from base.
func decodeAll(t *testing.T, d *Decoder, enc string) []isa.Inst {
	t.Helper()
	b := code(t, enc)
	var out []isa.Inst
	for pc := 0; pc < len(b); {
		inst, err := d.Decode(b[pc:], base+uint64(pc))
		require.NoError(t, err)
		out = append(out, inst)
		pc += inst.Len
	}
	return out
}

// TestMovwMovt: the MOVT of a MOVW/MOVT pair on one register forms the
// address, also with other instructions in between; a write to the
// register, a branch, or Reset in between breaks the pair.
func TestMovwMovt(t *testing.T) {
	// f245 6278 movw r2, #22136 (0x5678); f2c1 2234 movt r2, #4660 (0x1234)
	const movw, movt = "f245 6278", "f2c1 2234"
	for _, c := range []struct {
		name, between string
		pairs         bool
	}{
		{"adjacent", "", true},
		{"other registers in between", "3301 | f245 6378", true}, // adds r3, #1; movw r3, #22136
		{"register written", "461a", false},                      // mov r2, r3
		{"32-bit write", "eb03 0204", false},                     // add.w r2, r3, r4
		{"call in between", "f7ff fffe", false},                  // bl
		{"load into it", "6812", false},                          // ldr r2, [r2, #0]
	} {
		var d Decoder
		enc := movw + " | " + c.between + " | " + movt
		if c.between == "" {
			enc = movw + " | " + movt
		}
		seq := decodeAll(t, &d, enc)
		last := seq[len(seq)-1]
		require.Equal(t, "movt", last.Op, c.name)
		if c.pairs {
			require.Equal(t, isa.RefAddr, last.RefKind, c.name)
			require.Equal(t, uint64(0x12345678), last.Ref, c.name)
		} else {
			require.Equal(t, isa.RefNone, last.RefKind, c.name)
		}
	}
	var d Decoder
	decodeAll(t, &d, movw)
	d.Reset()
	seq := decodeAll(t, &d, movt)
	require.Equal(t, isa.RefNone, seq[0].RefKind, "after Reset")
}

// TestJumpTable: a TBB bounded by "cmp r3, #4" and "bhi" has 5 entries,
// which Targets reads from the bytes after the instruction.
func TestJumpTable(t *testing.T) {
	// 0: 2b04 cmp r3, #4; 2: d806 bhi.n 0x12; 4: e8df f003 tbb [pc, r3];
	// 8: table 02 03 04 02 05 (00 padding); then code at 0xc..0x12.
	var d Decoder
	decodeAll(t, &d, "2b04 | d806")
	b := code(t, "e8df f003")
	inst, err := d.Decode(b, base+4)
	require.NoError(t, err)
	require.Equal(t, isa.FlowIndirectJump, inst.Flow)
	jt, ok := d.JumpTable()
	require.True(t, ok)
	require.Equal(t, JumpTable{Addr: base + 8, Entries: 5}, jt)
	require.Equal(t, 6, jt.Size())
	targets, err := jt.Targets([]byte{2, 3, 4, 2, 5, 0})
	require.NoError(t, err)
	require.Equal(t, []uint64{base + 0xc, base + 0xe, base + 0x10, base + 0xc, base + 0x12}, targets)
	_, err = jt.Targets([]byte{2, 3})
	require.ErrorIs(t, err, isa.ErrTruncated)

	// TBH: 0: 2902 cmp r1, #2; 2: d203 bcs.n 0xc; 4: e8df f011 tbh [pc, r1, lsl #1]
	d.Reset()
	decodeAll(t, &d, "2902 | d203 | e8df f011")
	jt, ok = d.JumpTable()
	require.True(t, ok)
	require.Equal(t, JumpTable{Addr: base + 8, Half: true, Entries: 2}, jt)
	targets, err = jt.Targets([]byte{2, 0, 3, 0})
	require.NoError(t, err)
	require.Equal(t, []uint64{base + 0xc, base + 0xe}, targets)

	// Without a bound the entry count is unknown; another instruction
	// clears the table.
	d.Reset()
	decodeAll(t, &d, "e8df f003")
	jt, ok = d.JumpTable()
	require.True(t, ok)
	require.Zero(t, jt.Entries)
	_, err = jt.Targets([]byte{1, 2, 3})
	require.ErrorIs(t, err, ErrUnknownBound)
	decodeAll(t, &d, "bf00")
	_, ok = d.JumpTable()
	require.False(t, ok)

	// A bound on another register does not apply: cmp r2, #4; bhi; tbb [pc, r3]
	d.Reset()
	decodeAll(t, &d, "2a04 | d806 | e8df f003")
	jt, _ = d.JumpTable()
	require.Zero(t, jt.Entries)
}

// TestErrors: truncated and undefined encodings give errors and a length to
// skip, never a panic.
func TestErrors(t *testing.T) {
	var d Decoder
	inst, err := d.Decode(nil, base)
	require.ErrorIs(t, err, isa.ErrTruncated)
	require.Zero(t, inst.Len)

	inst, err = d.Decode([]byte{0x70}, base)
	require.ErrorIs(t, err, isa.ErrTruncated)
	require.Equal(t, 1, inst.Len)

	inst, err = d.Decode(code(t, "f7ff"), base) // first half of a BL
	require.ErrorIs(t, err, isa.ErrTruncated)
	require.Equal(t, 2, inst.Len)

	inst, err = d.Decode(code(t, "4781"), base) // BLX with bits 2:0 set
	require.ErrorIs(t, err, ErrUndefined)
	require.Equal(t, isa.Inst{Addr: base, Len: 2, Flow: isa.FlowStop}, inst)

	inst, err = d.Decode(code(t, "eac0 6b16"), base) // PKH with bit 4 set
	require.ErrorIs(t, err, ErrUndefined)
	require.Equal(t, 4, inst.Len)
	require.True(t, errors.Is(err, ErrUndefined))
	require.Contains(t, err.Error(), "eac06b16")
}

// TestTables checks that the tables build and that no row is hidden by an
// earlier one that matches all of its encodings.
func TestTables(t *testing.T) {
	ix, err := tables()
	require.NoError(t, err)
	for j := range ix.entries {
		ej := &ix.entries[j]
		for i := range j {
			ei := &ix.entries[i]
			if ei.wide != ej.wide || ei.exMask != 0 || ei.name != nil {
				continue
			}
			// ei matches every encoding of ej when ej fixes all of ei's
			// bits to ei's values.
			if ei.mask&^ej.mask == 0 && ej.bits&ei.mask == ei.bits {
				t.Errorf("row %q (%s) is hidden by row %q (%s)", ej.pattern, ej.op, ei.pattern, ei.op)
			}
		}
	}
}

// TestMinLen: Thumb instructions are halfword aligned.
func TestMinLen(t *testing.T) {
	require.Equal(t, 2, NewDecoder().MinLen())
}
