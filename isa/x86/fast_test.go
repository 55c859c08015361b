package x86

import (
	"fmt"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
)

// checkFast decodes b with the fast path and, when it accepts, requires
// x86asm (the slow path) to decode the same length, mnemonic and facts.
// It reports whether the fast path accepted.
func checkFast(t *testing.T, b []byte) bool {
	t.Helper()
	var fast, slow decoded
	if !decodeFast(b, &fast) {
		return false
	}
	err := decodeSlow(b, &slow)
	if fast.name != "" { // endbr64/endbr32, which x86asm does not know
		return true
	}
	if err != nil {
		require.NoError(t, err, "% x: fast path decodes %s/%d", b[:min(len(b), int(fast.length)+1)], opName(fast.op), fast.length)
	}
	if fast.length != slow.length || fast.op != slow.op {
		require.Failf(t, "fast path differs from x86asm", "% x: fast %s/%d, x86asm %s/%d",
			b[:max(fast.length, slow.length)], opName(fast.op), fast.length, opName(slow.op), slow.length)
	}
	var fi, si isa.Inst
	fast.fill(&fi, 0x401000)
	slow.fill(&si, 0x401000)
	if fi != si {
		require.Failf(t, "fast path facts differ from x86asm's", "% x (%s):\nfast   %+v\nx86asm %+v", b[:fast.length], opName(fast.op), fi, si)
	}
	return true
}

// tail fills the bytes after an opcode: distinct values, so that
// displacements, immediates and targets are not zero.
var tail = []byte{0x11, 0x92, 0x33, 0x84, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}

func encoding(prefixes []byte, rex byte, opcode []byte, modrm ...byte) []byte {
	b := append([]byte{}, prefixes...)
	if rex != 0 {
		b = append(b, rex)
	}
	b = append(b, opcode...)
	b = append(b, modrm...)
	return append(b, tail...)[:15]
}

func opcodes() [][]byte {
	var ops [][]byte
	for b := range 256 {
		ops = append(ops, []byte{byte(b)})
	}
	for b := range 256 {
		ops = append(ops, []byte{0x0f, byte(b)})
	}
	return ops
}

// TestFastModRM checks every opcode of both maps with every ModRM byte and
// the SIB bytes that select each addressing form, with and without REX.
func TestFastModRM(t *testing.T) {
	accepted := 0
	for _, op := range opcodes() {
		for _, rex := range []byte{0, 0x41, 0x48, 0x4c, 0x4f} {
			for m := range 256 {
				for _, sib := range []byte{0x24, 0x25, 0x64, 0xe5} {
					if checkFast(t, encoding(nil, rex, op, byte(m), sib)) {
						accepted++
					}
					if byte(m)>>6 == 3 || byte(m)&7 != 4 {
						break // the SIB byte only matters for rm == 4
					}
				}
			}
		}
	}
	t.Logf("%d encodings decoded by the fast path, all as x86asm does", accepted)
}

// TestFastPrefixes checks every opcode under legacy-prefix combinations.
func TestFastPrefixes(t *testing.T) {
	prefixSets := [][]byte{
		nil, {0x66}, {0xf2}, {0xf3}, {0xf0}, {0x2e}, {0x3e}, {0x26}, {0x36}, {0x64}, {0x65}, {0x67},
		{0x66, 0x66}, {0x66, 0xf2}, {0xf2, 0x66}, {0x66, 0xf3}, {0xf3, 0x66}, {0xf2, 0xf3}, {0xf3, 0xf2},
		{0xf3, 0xf3}, {0xf0, 0x66}, {0x66, 0xf0}, {0x66, 0x2e}, {0x64, 0x66}, {0x66, 0x66, 0x2e}, {0xf0, 0xf2}, {0xf3, 0xf0},
		{0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66, 0x66},
	}
	modrms := []byte{0x05, 0x44, 0x84, 0x0c, 0xc4, 0xe0, 0x14, 0xd4, 0x24}
	for r := range 8 {
		modrms = append(modrms, byte(r<<3), 0xc0|byte(r<<3)|1)
	}
	accepted := 0
	for _, op := range opcodes() {
		for _, p := range prefixSets {
			for _, rex := range []byte{0, 0x40, 0x41, 0x44, 0x48} {
				for _, m := range modrms {
					if checkFast(t, encoding(p, rex, op, m, 0x24)) {
						accepted++
					}
				}
			}
		}
	}
	t.Logf("%d encodings decoded by the fast path, all as x86asm does", accepted)
}

func ExampleDecoder_Decode() {
	d := NewDecoder()
	// 48 83 ec 18: sub rsp, 0x18
	inst, _ := d.Decode([]byte{0x48, 0x83, 0xec, 0x18}, 0x1000)
	fmt.Println(inst.Op, inst.Len, inst.SPDelta)
	// Output: sub 4 -24
}
