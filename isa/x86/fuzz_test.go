package x86

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzDecode decodes arbitrary bytes as a run of code: Decode must not
// panic and must return a length it can skip, and wherever the fast path
// decodes an instruction, x86asm must decode the same length, mnemonic and
// facts.
func FuzzDecode(f *testing.F) {
	for _, seed := range [][]byte{
		{0x55, 0x48, 0x89, 0xe5, 0x48, 0x83, 0xec, 0x18, 0xc9, 0xc3},             // push rbp; mov rbp,rsp; sub rsp,0x18; leave; ret
		{0xe8, 0x8d, 0x01, 0x00, 0x00, 0xff, 0x15, 0x8e, 0x0f, 0x00, 0x00},       // call; call [rip+...]
		{0xf3, 0x0f, 0x1e, 0xfa, 0x66, 0x2e, 0x0f, 0x1f, 0x84, 0, 0, 0, 0, 0},    // endbr64; cs nop
		{0xc5, 0xf8, 0x77, 0xc3, 0x62, 0xf1, 0xfe, 0x48, 0x6f, 0x47, 0x01},       // vzeroupper; ret; vmovdqu64
		{0x66, 0x48, 0x0f, 0x38, 0xf6, 0xc1, 0x8f, 0xe8, 0x78, 0xc2, 0xec, 0x0e}, // adcx; XOP
		{0x48, 0xa1, 0x88, 0x77, 0x66, 0x55},                                     // movabs, cut
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code []byte) {
		d := NewDecoder()
		for pc := 0; pc < len(code); {
			inst, err := d.Decode(code[pc:], uint64(0x401000+pc))
			require.Positive(t, inst.Len)
			require.LessOrEqual(t, inst.Len, min(15, len(code)-pc))
			if err == nil {
				require.NotEmpty(t, inst.Op)
			}
			checkFast(t, code[pc:])
			pc += inst.Len
		}
	})
}
