package riscv

import (
	"encoding/binary"
	"errors"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// enc encodes an instruction word of the given length (2 or 4) little-endian.
func enc(n int, x uint32) []byte {
	b := make([]byte, 4)
	binary.LittleEndian.PutUint32(b, x)
	return b[:n]
}

// step is one instruction of a sequence decoded by one Decoder; the comments
// give riscv64-unknown-elf-objdump -M no-aliases's text for the encoding
// (most from testdata/forms.elf).
type step struct {
	addr uint64
	n    int    // encoding length
	x    uint32 // encoding
	want isa.Inst
}

func runSteps(t *testing.T, d *Decoder, steps []step) {
	t.Helper()
	for _, s := range steps {
		got, err := d.Decode(enc(s.n, s.x), s.addr)
		require.NoError(t, err, "%#x at %#x", s.x, s.addr)
		want := s.want
		want.Addr, want.Len = s.addr, s.n
		assert.Equal(t, want, got, "%#x at %#x", s.x, s.addr)
	}
}

func TestFlow(t *testing.T) {
	runSteps(t, NewDecoder(), []step{
		// 200000f6: 092000ef  jal ra,20000188 <far_function>
		{0x200000f6, 4, 0x092000ef, isa.Inst{Op: "jal", Flow: isa.FlowCall, Target: 0x20000188}},
		// 200000fa: f07ff06f  jal zero,20000000 <_start>
		{0x200000fa, 4, 0xf07ff06f, isa.Inst{Op: "jal", Flow: isa.FlowJump, Target: 0x20000000}},
		// 200000fe: 08a002ef  jal t0,20000188 <far_function> (millicode call)
		{0x200000fe, 4, 0x08a002ef, isa.Inst{Op: "jal", Flow: isa.FlowCall, Target: 0x20000188}},
		// 20000102: 00008067  jalr zero,0(ra)
		{0x20000102, 4, 0x00008067, isa.Inst{Op: "jalr", Flow: isa.FlowReturn}},
		// 20000106: 00408067  jalr zero,4(ra)
		{0x20000106, 4, 0x00408067, isa.Inst{Op: "jalr", Flow: isa.FlowIndirectJump}},
		// 2000010a: 00028067  jalr zero,0(t0)
		{0x2000010a, 4, 0x00028067, isa.Inst{Op: "jalr", Flow: isa.FlowIndirectJump}},
		// 2000010e: 000780e7  jalr ra,0(a5)
		{0x2000010e, 4, 0x000780e7, isa.Inst{Op: "jalr", Flow: isa.FlowIndirectCall}},
		// 20000112: 008782e7  jalr t0,8(a5)
		{0x20000112, 4, 0x008782e7, isa.Inst{Op: "jalr", Flow: isa.FlowIndirectCall}},
		// 2000011a: eeb503e3  beq a0,a1,20000000 <_start>
		{0x2000011a, 4, 0xeeb503e3, isa.Inst{Op: "beq", Flow: isa.FlowCondJump, Target: 0x20000000}},
		// 2000012c: 00f77263  bgeu a4,a5,20000130
		{0x2000012c, 4, 0x00f77263, isa.Inst{Op: "bgeu", Flow: isa.FlowCondJump, Target: 0x20000130}},
		// 20000026: 2009  c.jal 20000028
		{0x20000026, 2, 0x2009, isa.Inst{Op: "c.jal", Flow: isa.FlowCall, Target: 0x20000028}},
		// 2000004c: bf55  c.j 20000000 <_start>
		{0x2000004c, 2, 0xbf55, isa.Inst{Op: "c.j", Flow: isa.FlowJump, Target: 0x20000000}},
		// 2000004e: c101  c.beqz a0,2000004e
		{0x2000004e, 2, 0xc101, isa.Inst{Op: "c.beqz", Flow: isa.FlowCondJump, Target: 0x2000004e}},
		// 20000052: c4dd  c.beqz s1,20000100
		{0x20000052, 2, 0xc4dd, isa.Inst{Op: "c.beqz", Flow: isa.FlowCondJump, Target: 0x20000100}},
		// 20000050: e391  c.bnez a5,20000054
		{0x20000050, 2, 0xe391, isa.Inst{Op: "c.bnez", Flow: isa.FlowCondJump, Target: 0x20000054}},
		// 20000116: 8082  c.jr ra
		{0x20000116, 2, 0x8082, isa.Inst{Op: "c.jr", Flow: isa.FlowReturn}},
		// 20000118: 8282  c.jr t0
		{0x20000118, 2, 0x8282, isa.Inst{Op: "c.jr", Flow: isa.FlowIndirectJump}},
		// 20000070: 9782  c.jalr a5
		{0x20000070, 2, 0x9782, isa.Inst{Op: "c.jalr", Flow: isa.FlowIndirectCall}},
		// 2000006e: 9002  c.ebreak (semihosting continues after it)
		{0x2000006e, 2, 0x9002, isa.Inst{Op: "c.ebreak"}},
		// 20000162: 00100073  ebreak
		{0x20000162, 4, 0x00100073, isa.Inst{Op: "ebreak"}},
		// 2000015e: 00000073  ecall
		{0x2000015e, 4, 0x00000073, isa.Inst{Op: "ecall"}},
		// 20000166: 30200073  mret
		{0x20000166, 4, 0x30200073, isa.Inst{Op: "mret", Flow: isa.FlowReturn}},
		// 2000016a: 10200073  sret
		{0x2000016a, 4, 0x10200073, isa.Inst{Op: "sret", Flow: isa.FlowReturn}},
		// 2000016e: 10500073  wfi
		{0x2000016e, 4, 0x10500073, isa.Inst{Op: "wfi"}},
		// 20000182: c0001073  unimp
		{0x20000182, 4, 0xc0001073, isa.Inst{Op: "unimp", Flow: isa.FlowStop}},
		// 20000186: 0000  c.unimp
		{0x20000186, 2, 0x0000, isa.Inst{Op: "c.unimp", Flow: isa.FlowStop}},
		// 20000172: 0ff0000f  fence iorw,iorw
		{0x20000172, 4, 0x0ff0000f, isa.Inst{Op: "fence"}},
		// 2000017a: 30002573  csrrs a0,mstatus,zero
		{0x2000017a, 4, 0x30002573, isa.Inst{Op: "csrrs"}},
	})
}

func TestStackPointer(t *testing.T) {
	runSteps(t, NewDecoder(), []step{
		// 20000022: 0141  c.addi sp,16
		{0x20000022, 2, 0x0141, isa.Inst{Op: "c.addi", SPDelta: 16}},
		// 20000024: 1141  c.addi sp,-16
		{0x20000024, 2, 0x1141, isa.Inst{Op: "c.addi", SPDelta: -16}},
		// 2000002c: 7101  c.addi16sp sp,-512
		{0x2000002c, 2, 0x7101, isa.Inst{Op: "c.addi16sp", SPDelta: -512}},
		// 2000002e: 617d  c.addi16sp sp,496
		{0x2000002e, 2, 0x617d, isa.Inst{Op: "c.addi16sp", SPDelta: 496}},
		// 2000013a: 80010113  addi sp,sp,-2048
		{0x2000013a, 4, 0x80010113, isa.Inst{Op: "addi", SPDelta: -2048}},
		// 2000013e: 7ff10113  addi sp,sp,2047
		{0x2000013e, 4, 0x7ff10113, isa.Inst{Op: "addi", SPDelta: 2047}},
		// 20000000: 0040  c.addi4spn s0,sp,4 (reads sp, writes s0)
		{0x20000000, 2, 0x0040, isa.Inst{Op: "c.addi4spn"}},
		// 20000078: c606  c.swsp ra,12(sp)
		{0x20000078, 2, 0xc606, isa.Inst{Op: "c.swsp"}},
		// 20000142: ff040113  addi sp,s0,-16 (restore from the frame pointer)
		{0x20000142, 4, 0xff040113, isa.Inst{Op: "addi", SPDynamic: true}},
		// 2000006a: 912a  c.add sp,a0
		{0x2000006a, 2, 0x912a, isa.Inst{Op: "c.add", SPDynamic: true}},
		// 2000006c: 8122  c.mv sp,s0
		{0x2000006c, 2, 0x8122, isa.Inst{Op: "c.mv", SPDynamic: true}},
		// 20000146: 00a10133  add sp,sp,a0
		{0x20000146, 4, 0x00a10133, isa.Inst{Op: "add", SPDynamic: true}},
		// 2000014a: 40b10133  sub sp,sp,a1 (alloca)
		{0x2000014a, 4, 0x40b10133, isa.Inst{Op: "sub", SPDynamic: true}},
		// 2000014e: ff017113  andi sp,sp,-16
		{0x2000014e, 4, 0xff017113, isa.Inst{Op: "andi", SPDynamic: true}},
		// 20000152: 00052103  lw sp,0(a0)
		{0x20000152, 4, 0x00052103, isa.Inst{Op: "lw", SPDynamic: true}},
		// 2000015a: 34011173  csrrw sp,mscratch,sp (trap entry swaps stacks)
		{0x2000015a, 4, 0x34011173, isa.Inst{Op: "csrrw", SPDynamic: true}},
		// 20000156: 80010137  lui sp,0x80010
		{0x20000156, 4, 0x80010137, isa.Inst{Op: "lui", SPDynamic: true}},
		// 2000015a: ff810113  addi sp,sp,-8 after "lui sp": the absolute
		// address 0x8000fff8, not an adjustment.
		{0x2000015a, 4, 0xff810113, isa.Inst{Op: "addi", SPDynamic: true, Ref: 0x8000fff8, RefKind: isa.RefAddr}},
	})
}

func TestAddressPairs(t *testing.T) {
	d := NewDecoder()
	runSteps(t, d, []step{
		// 20000080: 60000517  auipc a0,0x60000
		{0x20000080, 4, 0x60000517, isa.Inst{Op: "auipc"}},
		// 20000084: f8050513  addi a0,a0,-128 # 80000000 <data_word>
		{0x20000084, 4, 0xf8050513, isa.Inst{Op: "addi", Ref: 0x80000000, RefKind: isa.RefAddr}},
		// 20000088: 60000597  auipc a1,0x60000
		{0x20000088, 4, 0x60000597, isa.Inst{Op: "auipc"}},
		// 2000008c: f785a603  lw a2,-136(a1) # 80000000 <data_word>
		{0x2000008c, 4, 0xf785a603, isa.Inst{Op: "lw", Ref: 0x80000000, RefKind: isa.RefLoad}},
		// 20000090: f6c5ac23  sw a2,-136(a1): a store is no reference
		{0x20000090, 4, 0xf6c5ac23, isa.Inst{Op: "sw"}},
		// 20000094: f785a683  lw a3,-136(a1): a1 still holds the AUIPC value
		{0x20000094, 4, 0xf785a683, isa.Inst{Op: "lw", Ref: 0x80000000, RefKind: isa.RefLoad}},
		// 20000098: 60000717  auipc a4,0x60000
		{0x20000098, 4, 0x60000717, isa.Inst{Op: "auipc"}},
		// 2000009c: f6c72507  flw fa0,-148(a4) # 80000004 <data_float>
		{0x2000009c, 4, 0xf6c72507, isa.Inst{Op: "flw", Ref: 0x80000004, RefKind: isa.RefLoad}},
		// 200000a0: 60000797  auipc a5,0x60000
		{0x200000a0, 4, 0x60000797, isa.Inst{Op: "auipc"}},
		// 200000a4: f687b587  fld fa1,-152(a5) # 80000008 <data_double>
		{0x200000a4, 4, 0xf687b587, isa.Inst{Op: "fld", Ref: 0x80000008, RefKind: isa.RefLoad}},
		// 200000c8: 800007b7  lui a5,0x80000
		{0x200000c8, 4, 0x800007b7, isa.Inst{Op: "lui"}},
		// 200000cc: 4788  c.lw a0,8(a5)
		{0x200000cc, 2, 0x4788, isa.Inst{Op: "c.lw", Ref: 0x80000008, RefKind: isa.RefLoad}},
		// 200000b8: 800006b7  lui a3,0x80000
		{0x200000b8, 4, 0x800006b7, isa.Inst{Op: "lui"}},
		// 200000bc: 86aa  c.mv a3,a0: a3 loses the LUI value
		{0x200000bc, 2, 0x86aa, isa.Inst{Op: "c.mv"}},
		// 200000be: 0006a303  lw t1,0(a3): objdump still prints "# 80000000"
		{0x200000be, 4, 0x0006a303, isa.Inst{Op: "lw"}},
		// 200000c2: 80000737  lui a4,0x80000
		{0x200000c2, 4, 0x80000737, isa.Inst{Op: "lui"}},
		// 200000c6: 0711  c.addi a4,4 # 80000004 <data_float>
		{0x200000c6, 2, 0x0711, isa.Inst{Op: "c.addi", Ref: 0x80000004, RefKind: isa.RefAddr}},
		// 20000034: 777d  c.lui a4,0xfffff
		{0x20000034, 2, 0x777d, isa.Inst{Op: "c.lui"}},
		// 200000c6: 0711  c.addi a4,4 after it: 0xfffff004
		{0x200000c6, 2, 0x0711, isa.Inst{Op: "c.addi", Ref: 0xfffff004, RefKind: isa.RefAddr}},
		// 200000ee: 06402503  lw a0,100(zero) # 64
		{0x200000ee, 4, 0x06402503, isa.Inst{Op: "lw", Ref: 0x64, RefKind: isa.RefLoad}},
		// 200000f2: 200000e7  jalr ra,512(zero) # 200
		{0x200000f2, 4, 0x200000e7, isa.Inst{Op: "jalr", Flow: isa.FlowCall, Target: 0x200}},
	})

	// The call and tail pseudo-instructions.
	runSteps(t, d, []step{
		// 200000ce: 00000097  auipc ra,0x0
		{0x200000ce, 4, 0x00000097, isa.Inst{Op: "auipc"}},
		// 200000d2: 0ba080e7  jalr ra,186(ra) # 20000188 <far_function>
		{0x200000d2, 4, 0x0ba080e7, isa.Inst{Op: "jalr", Flow: isa.FlowCall, Target: 0x20000188}},
		// 200000d6: 00000317  auipc t1,0x0
		{0x200000d6, 4, 0x00000317, isa.Inst{Op: "auipc"}},
		// 200000da: 0b230067  jalr zero,178(t1) # 20000188 <far_function>
		{0x200000da, 4, 0x0b230067, isa.Inst{Op: "jalr", Flow: isa.FlowJump, Target: 0x20000188}},
		// 200000de: 20000337  lui t1,0x20000
		{0x200000de, 4, 0x20000337, isa.Inst{Op: "lui"}},
		// 200000e2: 188300e7  jalr ra,392(t1) # 20000188 <far_function>
		{0x200000e2, 4, 0x188300e7, isa.Inst{Op: "jalr", Flow: isa.FlowCall, Target: 0x20000188}},
		// 200000d2 again: ra was overwritten by the call, so an indirect call
		{0x200000d2, 4, 0x0ba080e7, isa.Inst{Op: "jalr", Flow: isa.FlowIndirectCall}},
	})

	// Reset forgets the AUIPC value.
	runSteps(t, d, []step{{0x20000080, 4, 0x60000517, isa.Inst{Op: "auipc"}}})
	d.Reset()
	runSteps(t, d, []step{{0x20000084, 4, 0xf8050513, isa.Inst{Op: "addi"}}})
}

func TestGlobalPointer(t *testing.T) {
	d := NewDecoder()
	// testdata/firmware/out/rv32imc: __global_pointer$ = 0x800008d0.
	d.SetGlobalPointer(0x800008d0)
	runSteps(t, d, []step{
		// 200000da: 82018793  addi a5,gp,-2016 # 800000f0 <_ZGVZ4mainE8resolver>
		{0x200000da, 4, 0x82018793, isa.Inst{Op: "addi", Ref: 0x800000f0, RefKind: isa.RefAddr}},
	})
	d.Reset()
	runSteps(t, d, []step{
		{0x200000da, 4, 0x82018793, isa.Inst{Op: "addi", Ref: 0x800000f0, RefKind: isa.RefAddr}},
	})
}

func TestFloatCompressed(t *testing.T) {
	// The RV32-only encodings riscv64asm reads as RV64 ones.
	runSteps(t, NewDecoder(), []step{
		// 2000000c: 6248  c.flw fa0,4(a2) (C.LD on RV64)
		{0x2000000c, 2, 0x6248, isa.Inst{Op: "c.flw"}},
		// 20000018: e114  c.fsw fa3,0(a0) (C.SD on RV64)
		{0x20000018, 2, 0xe114, isa.Inst{Op: "c.fsw"}},
		// 20000060: 6512  c.flwsp fa0,4(sp) (C.LDSP on RV64)
		{0x20000060, 2, 0x6512, isa.Inst{Op: "c.flwsp"}},
		// 2000007c: e02a  c.fswsp fa0,0(sp) (C.SDSP on RV64)
		{0x2000007c, 2, 0xe02a, isa.Inst{Op: "c.fswsp"}},
		// 20000004: 2100  c.fld fs0,0(a0)
		{0x20000004, 2, 0x2100, isa.Inst{Op: "c.fld"}},
		// 20000074: a422  c.fsdsp fs0,8(sp)
		{0x20000074, 2, 0xa422, isa.Inst{Op: "c.fsdsp"}},
		// 20000058: 2902  c.fldsp fs2,0(sp)
		{0x20000058, 2, 0x2902, isa.Inst{Op: "c.fldsp"}},
	})
}

func TestInvalid(t *testing.T) {
	for _, c := range []struct {
		name string
		code []byte
		len  int
		err  error
	}{
		{"all ones word", enc(4, 0xffffffff), 2, errUnknown},
		{"addiw (RV64)", enc(4, 0x0000101b), 4, errUnknown},
		{"slli with shamt[5] (RV64)", enc(4, 0x02051513), 4, errUnknown},
		{"ld (RV64)", enc(4, 0x0005b503), 4, errUnknown},
		{"sd (RV64)", enc(4, 0x00a5b023), 4, errUnknown},
		{"fcvt.l.s (RV64)", enc(4, 0xc0257553), 4, errUnknown},
		{"jalr with funct3 1", enc(4, 0x00009067), 4, errUnknown},
		{"c.subw (RV64)", enc(2, 0x9c01), 2, errUnknown},
		{"c.srli shamt[5] (RV64)", enc(2, 0x9001), 2, errUnknown},
		{"c.addi4spn zero immediate", enc(2, 0x0004), 2, errUnknown},
		{"c.addi16sp zero immediate", enc(2, 0x6101), 2, errUnknown},
		{"c.lui zero immediate", enc(2, 0x6081), 2, errUnknown},
		{"c.lwsp into x0", enc(2, 0x4002), 2, errUnknown},
		{"c.jr x0", enc(2, 0x8002), 2, errUnknown},
		{"quadrant 0 funct3 4", enc(2, 0x8000), 2, errUnknown},
		{"48-bit encoding", []byte{0x1f, 0, 0, 0, 0, 0}, 6, errUnknown},
		{"one byte", []byte{0x13}, 1, isa.ErrTruncated},
		{"half of a word", []byte{0x13, 0x05}, 2, isa.ErrTruncated},
		{"empty", nil, 0, isa.ErrTruncated},
	} {
		t.Run(c.name, func(t *testing.T) {
			inst, err := NewDecoder().Decode(c.code, 0x1000)
			require.Error(t, err)
			assert.True(t, errors.Is(err, c.err), "error %v", err)
			assert.Equal(t, c.len, inst.Len)
		})
	}
}

func TestInvalidForgetsPairs(t *testing.T) {
	d := NewDecoder()
	runSteps(t, d, []step{{0x20000080, 4, 0x60000517, isa.Inst{Op: "auipc"}}})
	_, err := d.Decode(enc(4, 0xffffffff), 0x20000084)
	require.Error(t, err)
	runSteps(t, d, []step{{0x20000084, 4, 0xf8050513, isa.Inst{Op: "addi"}}})
}

func TestMinLen(t *testing.T) {
	assert.Equal(t, 2, NewDecoder().MinLen())
}

// TestNoAllocs pins that compressed and base instructions decode without
// allocating (only the riscv64asm fallback allocates).
func TestNoAllocs(t *testing.T) {
	d := NewDecoder()
	code := []byte{0x97, 0x05, 0x00, 0x60, 0x03, 0xa6, 0x85, 0xf7, 0x41, 0x11, 0x82, 0x80}
	allocs := testing.AllocsPerRun(100, func() {
		for pc := 0; pc < len(code); {
			inst, _ := d.Decode(code[pc:], uint64(0x20000000+pc))
			pc += inst.Len
		}
	})
	assert.Zero(t, allocs)
}
