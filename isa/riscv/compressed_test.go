package riscv

import (
	"bufio"
	"compress/gzip"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// abiRegs numbers objdump's ABI register names (integer and FP).
var abiRegs = func() map[string]uint32 {
	m := map[string]uint32{}
	for i, n := range strings.Fields("zero ra sp gp tp t0 t1 t2 s0 s1 a0 a1 a2 a3 a4 a5 a6 a7 s2 s3 s4 s5 s6 s7 s8 s9 s10 s11 t3 t4 t5 t6") {
		m[n] = uint32(i)
	}
	for i, n := range strings.Fields("ft0 ft1 ft2 ft3 ft4 ft5 ft6 ft7 fs0 fs1 fa0 fa1 fa2 fa3 fa4 fa5 fa6 fa7 fs2 fs3 fs4 fs5 fs6 fs7 fs8 fs9 fs10 fs11 ft8 ft9 ft10 ft11") {
		m[n] = uint32(i)
	}
	return m
}()

// primed is the value the exhaustive test gives register r (all but x0 and
// sp) before each instruction, as if an AUIPC had set it: distinct per
// register, so that a reference also shows which base register the decoder
// read.
func primed(r uint32) uint32 { return 0x10000000 + r<<16 }

// TestCompressedExhaustive decodes every 16-bit encoding and compares it
// with objdump's reading (testdata/rvc.txt.gz): validity, mnemonic, branch
// targets, SP adjustments, the base register and offset of loads (as the
// address formed from a primed base), the immediate of c.addi and c.lui,
// and which integer register the instruction writes.
func TestCompressedExhaustive(t *testing.T) {
	f, err := os.Open("testdata/rvc.txt.gz")
	require.NoError(t, err)
	defer f.Close()
	zr, err := gzip.NewReader(f)
	require.NoError(t, err)
	sc := bufio.NewScanner(zr)
	n, valid, spec := 0, 0, 0
	for h := 0; h < 1<<16; h++ {
		if h&3 == 3 {
			continue
		}
		require.True(t, sc.Scan(), "rvc.txt.gz ends before %#04x", h)
		fields := strings.SplitN(sc.Text(), " ", 3)
		require.Len(t, fields, 3)
		require.Equal(t, strconv.FormatUint(uint64(h)|1<<16, 16)[1:], fields[0])
		operands, _, _ := strings.Cut(fields[2], " # ") // objdump's own pair tracking
		mnem, ops := fields[1], strings.Split(operands, ",")
		addr := uint64(2 * n)
		n++

		d := NewDecoder()
		for r := uint32(1); r < 32; r++ {
			if r != regSP {
				d.setHi(r, primed(r))
			}
		}
		inst, err := d.Decode([]byte{byte(h), byte(h >> 8)}, addr)
		if mnem == ".2byte" {
			assert.Error(t, err, "%#04x: objdump has no instruction, we decode %s", h, inst.Op)
			continue
		}
		if err != nil {
			// Reserved by the ISA manual, decoded anyway by objdump.
			reserved := mnem == "c.addi16sp" && ops[1] == "0" ||
				(mnem == "c.slli" || mnem == "c.srli" || mnem == "c.srai") && h&0x1000 != 0
			assert.True(t, reserved, "%#04x: objdump has %s %s, we fail: %v", h, mnem, fields[2], err)
			spec++
			continue
		}
		valid++
		op := strings.TrimSuffix(inst.Op, "64")
		if op == "c.nop" {
			op = "c.addi"
		}
		require.Equal(t, strings.TrimSuffix(mnem, "64"), op, "%#04x %s", h, fields[2])
		checkCompressed(t, d, uint16(h), mnem, ops, inst)
	}
	require.False(t, sc.Scan(), "rvc.txt.gz has more lines")
	t.Logf("%d encodings: %d valid, %d reserved that objdump decodes", n, valid, spec)
}

// checkCompressed compares the operands objdump printed for h with what the
// decoder made of it.
func checkCompressed(t *testing.T, d *Decoder, h uint16, mnem string, ops []string, inst isa.Inst) {
	reg := func(i int) uint32 {
		r, ok := abiRegs[ops[i]]
		require.True(t, ok, "%#04x: register %q", h, ops[i])
		return r
	}
	// offset(base) operand i.
	mem := func(i int) (uint32, int64) {
		off, base, ok := strings.Cut(strings.TrimSuffix(ops[i], ")"), "(")
		require.True(t, ok, "%#04x: %q", h, ops[i])
		v, err := strconv.ParseInt(off, 0, 32)
		require.NoError(t, err)
		r, ok := abiRegs[base]
		require.True(t, ok)
		return r, v
	}
	// An immediate: decimal, or hex with 0x.
	num := func(i int) int64 {
		v, err := strconv.ParseInt(ops[i], 0, 64)
		require.NoError(t, err, "%#04x: %q", h, ops[i])
		return v
	}
	// A branch target: hex without 0x, then <symbol>.
	target := func(i int) uint64 {
		v, err := strconv.ParseUint(strings.Fields(ops[i])[0], 16, 64)
		require.NoError(t, err, "%#04x: %q", h, ops[i])
		return v
	}
	written := uint32(0) // integer register the instruction writes, if any
	switch mnem {
	case "c.j", "c.jal":
		assert.Equal(t, target(0), inst.Target, "%#04x target", h)
		if mnem == "c.jal" {
			written = regRA
		}
	case "c.beqz", "c.bnez":
		assert.Equal(t, target(1), inst.Target, "%#04x target", h)
	case "c.addi16sp":
		assert.Equal(t, num(1), inst.SPDelta, "%#04x", h)
	case "c.addi":
		rd := reg(0)
		switch rd {
		case regZero:
		case regSP:
			assert.Equal(t, num(1), inst.SPDelta, "%#04x", h)
			assert.Equal(t, isa.RefNone, inst.RefKind)
		default:
			assert.Equal(t, uint64(primed(rd)+uint32(num(1))), inst.Ref, "%#04x", h)
			assert.Equal(t, isa.RefAddr, inst.RefKind)
			written = rd
		}
	case "c.lui":
		rd := reg(0)
		if rd != regZero {
			assert.Equal(t, uint32(num(1))<<12, d.hi[rd], "%#04x", h)
			assert.NotZero(t, d.known&(1<<rd), "%#04x", h)
		}
	case "c.lw", "c.flw", "c.fld":
		base, off := mem(1)
		assert.Equal(t, uint64(primed(base)+uint32(off)), inst.Ref, "%#04x", h)
		assert.Equal(t, isa.RefLoad, inst.RefKind, "%#04x", h)
		if mnem == "c.lw" {
			written = reg(0)
		}
	case "c.lwsp":
		written = reg(0)
		base, _ := mem(1)
		assert.Equal(t, uint32(regSP), base)
	case "c.li", "c.mv", "c.add", "c.addi4spn", "c.slli", "c.srli", "c.srai", "c.andi",
		"c.sub", "c.xor", "c.or", "c.and", "c.slli64", "c.srli64", "c.srai64":
		written = reg(0)
	case "c.jalr", "c.jr":
		if mnem == "c.jalr" {
			written = regRA
		}
		if reg(0) == regSP {
			assert.Contains(t, []isa.Flow{isa.FlowIndirectCall, isa.FlowIndirectJump}, inst.Flow, "%#04x", h)
		} else {
			assert.Equal(t, uint64(primed(reg(0))&^1), inst.Target, "%#04x", h)
		}
	}
	if mnem != "c.lui" {
		want := uint32(0xfffffffa) // all but x0 and sp
		if written != regZero {
			want &^= 1 << written
		}
		assert.Equal(t, want, d.known, "%#04x %s: registers the decoder thinks it wrote", h, mnem)
	}
	assert.Equal(t, written == regSP && mnem != "c.addi", inst.SPDynamic, "%#04x SPDynamic", h)
}
