package x86

import (
	"debug/elf"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"golang.org/x/arch/x86/x86asm"
)

// bigELFEnv names an environment variable holding the path of a large
// x86-64 ELF (for example /usr/bin/node) for TestLargeBinary and
// BenchmarkDecodeLarge; nothing derived from it is committed.
const bigELFEnv = "FOOTPRINT_X86_BIG_ELF"

const hostFirmware = "../../testdata/firmware/out/host-x86_64/firmware.elf"

func textSection(tb testing.TB, path string) (code []byte, addr uint64) {
	tb.Helper()
	f, err := elf.Open(path)
	require.NoError(tb, err)
	defer f.Close()
	s := f.Section(".text")
	require.NotNil(tb, s, "%s has no .text", path)
	code, err = s.Data()
	require.NoError(tb, err)
	return code, s.Addr
}

// TestLargeBinary walks the .text of the ELF named by $FOOTPRINT_X86_BIG_ELF
// linearly with Decode, and decodes each instruction with x86asm too: every
// instruction must have x86asm's length and mnemonic, and every x86asm
// failure must be a Decode error, except where this package knowingly
// differs (endbr64/32, adcx/adox, the length of vzeroupper/vzeroall, EVEX
// encodings with a reserved map). It is skipped when the variable is unset.
func TestLargeBinary(t *testing.T) {
	path := os.Getenv(bigELFEnv)
	if path == "" {
		t.Skipf("set %s to an x86-64 ELF to compare its .text with x86asm", bigELFEnv)
	}
	code, addr := textSection(t, path)
	d := NewDecoder()
	var insts, fast, own, bad int
	for pc := 0; pc < len(code); {
		inst, err := d.Decode(code[pc:], addr+uint64(pc))
		ref, refErr := x86asm.Decode(code[pc:], 64)
		vex := code[pc] == 0xc4 || code[pc] == 0xc5 || code[pc] == 0x62
		switch {
		case err == nil && ownDecoding[inst.Op], err != nil && vex && refErr == nil:
			// An EVEX map x86asm does not check (it reads 2 of its 3 bits).
			own++
		case refErr != nil || ref.Op == 0:
			bad++
			require.Error(t, err, "%#x: we decode %s, x86asm does not", addr+uint64(pc), inst.Op)
		default:
			require.NoError(t, err, "%#x", addr+uint64(pc))
			require.Equal(t, ref.Len, inst.Len, "%#x: length of %v", addr+uint64(pc), ref.Op)
			require.Equal(t, opName(ref.Op), inst.Op, "%#x", addr+uint64(pc))
		}
		var dd decoded
		if decodeFast(code[pc:], &dd) {
			fast++
		}
		insts++
		pc += inst.Len
	}
	t.Logf("%s: %d bytes, %d instructions (%d by the fast path), %d decoded differently from x86asm (endbr, adcx/adox, vzeroupper, reserved EVEX maps), %d x86asm cannot decode",
		path, len(code), insts, fast, own, bad)
}

// ownDecoding lists the mnemonics this package decodes differently from
// x86asm on purpose.
var ownDecoding = map[string]bool{
	"endbr64": true, "endbr32": true, "adcx": true, "adox": true, "vzeroupper": true, "vzeroall": true,
}

func benchmarkDecode(b *testing.B, code []byte, addr uint64) {
	d := NewDecoder()
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		for pc := 0; pc < len(code); {
			inst, _ := d.Decode(code[pc:], addr+uint64(pc))
			pc += inst.Len
		}
	}
}

// BenchmarkDecode decodes the .text of the host-x86_64 test firmware
// linearly (MB/s is bytes of code per second).
func BenchmarkDecode(b *testing.B) {
	code, addr := textSection(b, hostFirmware)
	benchmarkDecode(b, code, addr)
}

// BenchmarkDecodeLarge decodes the .text of $FOOTPRINT_X86_BIG_ELF.
func BenchmarkDecodeLarge(b *testing.B) {
	path := os.Getenv(bigELFEnv)
	if path == "" {
		b.Skipf("set %s to an x86-64 ELF", bigELFEnv)
	}
	code, addr := textSection(b, path)
	benchmarkDecode(b, code, addr)
}

// BenchmarkX86asm is the reference: x86asm.Decode alone over the same code.
func BenchmarkX86asm(b *testing.B) {
	code, _ := textSection(b, hostFirmware)
	b.SetBytes(int64(len(code)))
	b.ReportAllocs()
	for b.Loop() {
		for pc := 0; pc < len(code); {
			inst, err := x86asm.Decode(code[pc:], 64)
			if err != nil || inst.Len == 0 {
				pc++
				continue
			}
			pc += inst.Len
		}
	}
}
