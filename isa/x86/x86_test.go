package x86

import (
	"encoding/hex"
	"errors"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cases are hand-picked encodings with objdump -M intel's text for them
// (from testdata/forms.elf, at the address given).
var cases = []struct {
	addr uint64
	hex  string // instruction bytes, then bytes that follow it
	want isa.Inst
}{
	// Stack pointer.
	{0x401004, "55", isa.Inst{Op: "push", SPDelta: -8}},                  // push rbp
	{0x401008, "4157", isa.Inst{Op: "push", SPDelta: -8}},                // push r15
	{0x40100a, "6a12", isa.Inst{Op: "push", SPDelta: -8}},                // push 0x12
	{0x40100c, "6845230100", isa.Inst{Op: "push", SPDelta: -8}},          // push 0x12345
	{0x401011, "9c", isa.Inst{Op: "pushfq", SPDelta: -8}},                // pushf
	{0x401012, "9d", isa.Inst{Op: "popfq", SPDelta: 8}},                  // popf
	{0x401013, "6650", isa.Inst{Op: "push", SPDelta: -2}},                // push ax
	{0x401015, "6658", isa.Inst{Op: "pop", SPDelta: 2}},                  // pop ax
	{0x401017, "4883ec18", isa.Inst{Op: "sub", SPDelta: -0x18}},          // sub rsp,0x18
	{0x40101b, "4881ec00100000", isa.Inst{Op: "sub", SPDelta: -0x1000}},  // sub rsp,0x1000
	{0x401022, "4883c418", isa.Inst{Op: "add", SPDelta: 0x18}},           // add rsp,0x18
	{0x401026, "4883c4f8", isa.Inst{Op: "add", SPDelta: -8}},             // add rsp,0xfffffffffffffff8
	{0x40102a, "488d6424e0", isa.Inst{Op: "lea", SPDelta: -0x20}},        // lea rsp,[rsp-0x20]
	{0x40102f, "488d642420", isa.Inst{Op: "lea", SPDelta: 0x20}},         // lea rsp,[rsp+0x20]
	{0x401034, "488d65f0", isa.Inst{Op: "lea", SPDynamic: true}},         // lea rsp,[rbp-0x10]
	{0x401038, "4883e4e0", isa.Inst{Op: "and", SPDynamic: true}},         // and rsp,0xffffffffffffffe0
	{0x40103c, "4889ec", isa.Inst{Op: "mov", SPDynamic: true}},           // mov rsp,rbp
	{0x401005, "4889e5", isa.Inst{Op: "mov"}},                            // mov rbp,rsp
	{0x40103f, "4829c4", isa.Inst{Op: "sub", SPDynamic: true}},           // sub rsp,rax
	{0x401042, "83c408", isa.Inst{Op: "add", SPDynamic: true}},           // add esp,0x8
	{0x401045, "4080ec01", isa.Inst{Op: "sub", SPDynamic: true}},         // sub spl,0x1
	{0x401049, "4894", isa.Inst{Op: "xchg", SPDynamic: true}},            // xchg rsp,rax
	{0x40104b, "5c", isa.Inst{Op: "pop", SPDynamic: true}},               // pop rsp
	{0x40104c, "8f442408", isa.Inst{Op: "pop", SPDelta: 8}},              // pop QWORD PTR [rsp+0x8]
	{0x401056, "c9", isa.Inst{Op: "leave", SPDelta: 8, SPDynamic: true}}, // leave
	{0x401057, "c8200000", isa.Inst{Op: "enter", SPDelta: -8 - 0x20}},    // enter 0x20,0x0
	{0x40105b, "c8100003", isa.Inst{Op: "enter", SPDelta: -8*4 - 0x10}},  // enter 0x10,0x3
	{0x4010e2, "80fc01", isa.Inst{Op: "cmp"}},                            // cmp ah,0x1 (no REX: ah, not spl)
	{0x401000, "4883fc10", isa.Inst{Op: "cmp"}},                          // cmp rsp,0x10
	{0x401000, "48830c2400", isa.Inst{Op: "or"}},                         // or QWORD PTR [rsp],0x0 (stack probe)
	{0x401000, "c4e2f9f7e3", isa.Inst{Op: "shlx", SPDynamic: true}},      // shlx rsp,rbx,rax
	{0x401000, "f3480f1ee4", isa.Inst{Op: "", SPDynamic: false}},         // rdsspq rsp: x86asm does not know it

	// Control flow.
	{0x401062, "e88d010000", isa.Inst{Op: "call", Flow: isa.FlowCall, Target: 0x4011f4}},                              // call 4011f4 <far_function>
	{0x401067, "ffd0", isa.Inst{Op: "call", Flow: isa.FlowIndirectCall}},                                              // call rax
	{0x401069, "ff5008", isa.Inst{Op: "call", Flow: isa.FlowIndirectCall}},                                            // call QWORD PTR [rax+0x8]
	{0x40106c, "ff158e0f0000", isa.Inst{Op: "call", Flow: isa.FlowIndirectCall, Ref: 0x402000, RefKind: isa.RefLoad}}, // call QWORD PTR [rip+0xf8e] # 402000 <data>
	{0x401072, "ff25880f0000", isa.Inst{Op: "jmp", Flow: isa.FlowIndirectJump, Ref: 0x402000, RefKind: isa.RefLoad}},  // jmp QWORD PTR [rip+0xf88] # 402000 <data>
	{0x401078, "ffe0", isa.Inst{Op: "jmp", Flow: isa.FlowIndirectJump}},                                               // jmp rax
	{0x40107a, "3effe0", isa.Inst{Op: "jmp", Flow: isa.FlowIndirectJump}},                                             // notrack jmp rax
	{0x40107d, "f2ffe0", isa.Inst{Op: "jmp", Flow: isa.FlowIndirectJump}},                                             // bnd jmp rax
	{0x401080, "f2e86e010000", isa.Inst{Op: "call", Flow: isa.FlowCall, Target: 0x4011f4}},                            // bnd call 4011f4 <far_function>
	{0x401086, "ff24c508204000", isa.Inst{Op: "jmp", Flow: isa.FlowIndirectJump}},                                     // jmp QWORD PTR [rax*8+0x402008]
	{0x40108d, "eb05", isa.Inst{Op: "jmp", Flow: isa.FlowJump, Target: 0x401094}},                                     // jmp 401094
	{0x40108f, "e960010000", isa.Inst{Op: "jmp", Flow: isa.FlowJump, Target: 0x4011f4}},                               // jmp 4011f4 <far_function>
	{0x401094, "74fe", isa.Inst{Op: "je", Flow: isa.FlowCondJump, Target: 0x401094}},                                  // je 401094
	{0x401096, "0f8558010000", isa.Inst{Op: "jne", Flow: isa.FlowCondJump, Target: 0x4011f4}},                         // jne 4011f4 <far_function>
	{0x40109c, "e3f6", isa.Inst{Op: "jrcxz", Flow: isa.FlowCondJump, Target: 0x401094}},                               // jrcxz 401094
	{0x40109e, "e2f4", isa.Inst{Op: "loop", Flow: isa.FlowCondJump, Target: 0x401094}},                                // loop 401094
	{0x4010a2, "67e3fb", isa.Inst{Op: "jecxz", Flow: isa.FlowCondJump, Target: 0x4010a0}},                             // jecxz 4010a0
	{0x4010a5, "c3", isa.Inst{Op: "ret", Flow: isa.FlowReturn}},                                                       // ret
	{0x4010a6, "c20800", isa.Inst{Op: "ret", Flow: isa.FlowReturn}},                                                   // ret 0x8
	{0x4010a9, "f3c3", isa.Inst{Op: "ret", Flow: isa.FlowReturn}},                                                     // repz ret
	{0x4010ab, "48cb", isa.Inst{Op: "lret", Flow: isa.FlowReturn}},                                                    // retfq
	{0x4010ad, "cc", isa.Inst{Op: "int", Flow: isa.FlowStop}},                                                         // int3
	{0x4010ae, "cd80", isa.Inst{Op: "int"}},                                                                           // int 0x80
	{0x4010b0, "0f0b", isa.Inst{Op: "ud2", Flow: isa.FlowStop}},                                                       // ud2
	{0x4010b2, "f4", isa.Inst{Op: "hlt", Flow: isa.FlowStop}},                                                         // hlt
	{0x4010b3, "0f05", isa.Inst{Op: "syscall"}},                                                                       // syscall
	{0x401000, "f30f1efa", isa.Inst{Op: "endbr64"}},                                                                   // endbr64

	// References.
	{0x4010b5, "488d3d440f0000", isa.Inst{Op: "lea", Ref: 0x402000, RefKind: isa.RefAddr}},                 // lea rdi,[rip+0xf44] # 402000 <data>
	{0x4010bc, "488b053d0f0000", isa.Inst{Op: "mov", Ref: 0x402000, RefKind: isa.RefLoad}},                 // mov rax,QWORD PTR [rip+0xf3d] # 402000 <data>
	{0x4010c3, "488905360f0000", isa.Inst{Op: "mov"}},                                                      // mov QWORD PTR [rip+0xf36],rax (a store)
	{0x4010d4, "48833d240f000000", isa.Inst{Op: "cmp", Ref: 0x402000, RefKind: isa.RefLoad}},               // cmp QWORD PTR [rip+0xf24],0x0
	{0x4010dc, "f20f10051c0f0000", isa.Inst{Op: "movsd", Ref: 0x402000, RefKind: isa.RefLoad}},             // movsd xmm0,QWORD PTR [rip+0xf1c]
	{0x4011a3, "c5fb1005550e0000", isa.Inst{Op: "vmovsd", Ref: 0x402000, RefKind: isa.RefLoad}},            // vmovsd xmm0,QWORD PTR [rip+0xe55]
	{0x4011cf, "f30f38f605280e0000", isa.Inst{Op: "adox", Ref: 0x402000, RefKind: isa.RefLoad}},            // adox eax,DWORD PTR [rip+0xe28]
	{0x4010ec, "64488b042528000000", isa.Inst{Op: "mov"}},                                                  // mov rax,QWORD PTR fs:0x28 (TLS, not fixed)
	{0x4010f5, "8b042508204000", isa.Inst{Op: "mov", Ref: 0x402008, RefKind: isa.RefLoad}},                 // mov eax,DWORD PTR ds:0x402008
	{0x4010fc, "48a18877665544332211", isa.Inst{Op: "mov", Ref: 0x1122334455667788, RefKind: isa.RefLoad}}, // movabs rax,ds:0x1122334455667788
	{0x401106, "a38877665544332211", isa.Inst{Op: "mov"}},                                                  // movabs ds:0x1122334455667788,eax (a store)
	{0x401050, "ff35aa0f0000", isa.Inst{Op: "push", SPDelta: -8, Ref: 0x402000, RefKind: isa.RefLoad}},     // push QWORD PTR [rip+0xfaa]

	// Lengths where x86asm is wrong.
	{0x4011ab, "c5f877c3", isa.Inst{Op: "vzeroupper"}},   // vzeroupper; ret
	{0x4011b1, "c4e17877c3", isa.Inst{Op: "vzeroupper"}}, // vzeroupper (3-byte VEX); ret
	{0x401000, "f3c3", isa.Inst{Op: "ret", Flow: isa.FlowReturn}},
}

func TestDecode(t *testing.T) {
	d := NewDecoder()
	for _, c := range cases {
		b, err := hex.DecodeString(c.hex)
		require.NoError(t, err)
		got, err := d.Decode(b, c.addr)
		if c.want.Op == "" {
			assert.Error(t, err, c.hex)
			continue
		}
		require.NoError(t, err, c.hex)
		want := c.want
		want.Addr = c.addr
		if want.Len == 0 {
			want.Len = len(b)
			if strings.HasSuffix(c.hex, "c3") && c.want.Op == "vzeroupper" {
				want.Len--
			}
		}
		assert.Equal(t, want, got, c.hex)
	}
}

func TestErrors(t *testing.T) {
	for _, c := range []struct {
		hex string
		len int
		err error
	}{
		{"", 0, isa.ErrTruncated},
		{"e8", 1, isa.ErrTruncated},     // call rel32, cut
		{"48", 1, isa.ErrTruncated},     // a lone REX prefix
		{"488b05", 1, isa.ErrTruncated}, // mov rax,[rip+disp32], cut
		{"c5f8", 1, isa.ErrTruncated},   // VEX, cut
		{"06", 1, errUnknown},           // push es: invalid in 64-bit mode
		{"66", 1, isa.ErrTruncated},     // a lone prefix
		{"f20f38f6c1", 5, errUnknown},   // F2 0F 38 F6: no such instruction; its layout is known
		{"620f99ca00de", 1, errUnknown}, // EVEX with a reserved map
		{"8fe878c2ec0e", 6, errUnknown}, // AMD XOP vprotd: x86asm does not know it
		{"f30f1efb0000", 4, nil},        // endbr32
		{"660f38f6c1", 5, nil},          // adcx eax,ecx
		{"0f1e00", 2, errUnknown},       // 0F 1E without F3: x86asm stops after the opcode
		{"f3f30f1efa", 1, errUnknown},   // two F3 prefixes: not endbr64 here, and x86asm has no answer
	} {
		b, err := hex.DecodeString(c.hex)
		require.NoError(t, err)
		inst, err := NewDecoder().Decode(b, 0x1000)
		if c.err == nil {
			assert.NoError(t, err, c.hex)
		} else {
			assert.True(t, errors.Is(err, c.err), "%s: error %v", c.hex, err)
		}
		assert.Equal(t, c.len, inst.Len, c.hex)
	}
}

func TestMinLenReset(t *testing.T) {
	d := NewDecoder()
	assert.Equal(t, 1, d.MinLen())
	d.Reset()
}

// TestNoAllocs pins that the fast path, which decodes almost all real code,
// allocates nothing.
func TestNoAllocs(t *testing.T) {
	d := NewDecoder()
	code := []byte{0x48, 0x83, 0xec, 0x18, 0xff, 0x15, 0x8e, 0x0f, 0x00, 0x00}
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = d.Decode(code, 0x401000)
		_, _ = d.Decode(code[4:], 0x401004)
	})
	assert.Zero(t, allocs)
}
