package thumb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
)

// genericCP are the mnemonics of generic coprocessor instructions. objdump
// names some coprocessor encodings after long-gone coprocessors (FPA's
// "ldf", iWMMXt's "wldrd"); the decoder calls them all by their generic
// name, so only their validity is compared.
var genericCP = map[string]bool{
	"mcr": true, "mcr2": true, "mrc": true, "mrc2": true, "mcrr": true, "mcrr2": true,
	"mrrc": true, "mrrc2": true, "cdp": true, "cdp2": true, "ldc": true, "ldcl": true,
	"ldc2": true, "ldc2l": true, "stc": true, "stcl": true, "stc2": true, "stc2l": true,
}

// TestEncodings compares the decoder with objdump on every 16-bit encoding
// and a sample of 32-bit ones (testdata/encodings.txt.gz, made by gen.sh):
// validity, mnemonic, branch target and literal address.
func TestEncodings(t *testing.T) {
	lines := readLines(t, "testdata/encodings.txt.gz")
	require.Greater(t, len(lines), 100000)
	mismatches := map[string][]string{}
	count := 0
	for _, l := range lines {
		f := strings.Fields(l)
		require.GreaterOrEqual(t, len(f), 2, l)
		const base = 0x100000
		addr := uint64(base)
		if e, ok := strings.CutSuffix(f[0], "/2"); ok {
			f[0], addr = e, base+2
		}
		enc, err := strconv.ParseUint(f[0], 16, 32)
		require.NoError(t, err, l)
		var code []byte
		if len(f[0]) == 8 {
			code = binary.LittleEndian.AppendUint16(code, uint16(enc>>16))
			code = binary.LittleEndian.AppendUint16(code, uint16(enc))
		} else {
			code = binary.LittleEndian.AppendUint16(code, uint16(enc))
		}
		want := f[1]
		var target, ref string
		for _, x := range f[2:] {
			switch x[0] {
			case '@':
				ref = x[1:]
			case '>':
				target = x[1:]
			}
		}
		count++
		var d Decoder
		inst, err := d.Decode(code, addr)
		require.Equal(t, len(code), inst.Len, l)
		problem := ""
		switch {
		case objdumpOnly(uint32(enc), len(code) == 4, want, err == nil):
		case want == "?":
			if err == nil {
				problem = "decoded undefined as " + inst.Op
			} else if !errors.Is(err, ErrUndefined) {
				problem = "error " + err.Error()
			}
		case err != nil:
			if !strings.HasSuffix(want, "!") {
				problem = "undefined"
			}
		case genericCP[inst.Op]:
		case !sameMnemonic(inst.Op, want, false):
			problem = "mnemonic " + inst.Op
		case target != "" && !hasTarget(inst):
			if !strings.HasPrefix(inst.Op, "bf") {
				problem = "no target"
			}
		case target != "" && rel(inst.Target, addr) != target:
			problem = "target " + rel(inst.Target, addr)
		case target == "" && hasTarget(inst):
			problem = "extra target " + rel(inst.Target, addr)
		case ref != "" && inst.RefKind == isa.RefNone:
			if !narrowLoads[inst.Op] {
				problem = "no ref"
			}
		case ref != "" && rel(inst.Ref, addr) != ref:
			problem = "ref " + rel(inst.Ref, addr)
		}
		if problem != "" {
			key := strings.SplitN(strings.TrimSuffix(want, "!"), ".", 2)[0] + ": " + strings.SplitN(problem, " ", 2)[0]
			if want == "?" {
				key = "?: decoded as " + inst.Op
			}
			mismatches[key] = append(mismatches[key], l+"  => "+problem)
		}
	}
	if len(mismatches) > 0 {
		keys := make([]string, 0, len(mismatches))
		total := 0
		for k, v := range mismatches {
			keys = append(keys, k)
			total += len(v)
		}
		sort.Slice(keys, func(i, j int) bool { return len(mismatches[keys[i]]) > len(mismatches[keys[j]]) })
		var b strings.Builder
		for _, k := range keys {
			v := mismatches[k]
			fmt.Fprintf(&b, "%5d %s\n", len(v), k)
			for _, x := range v[:min(len(v), 4)] {
				fmt.Fprintf(&b, "        %s\n", x)
			}
		}
		t.Errorf("%d of %d encodings differ from objdump:\n%s", total, count, b.String())
	}
	t.Logf("%d encodings", count)
}

// neonOnly are A-profile Advanced SIMD instructions that objdump shows in
// the coprocessor space of ARMv8.1-M.
var neonOnly = map[string]bool{"vfmal": true, "vfmsl": true, "vsdot": true, "vudot": true}

// aProfile are instructions of A- and R-profile Thumb that objdump decodes
// as armv8.1-m.main too: hypervisor and secure monitor calls, doubleword
// exclusives, SETEND and SETPAN. The decoder leaves them undefined.
var aProfile = map[string]bool{
	"hvc": true, "smc": true, "strexd": true, "ldrexd": true, "stlexd": true, "ldaexd": true,
	"setend": true, "setpan": true, "srsdb": true, "srsia": true, "rfedb": true, "rfeia": true,
	"crc32b": true, "crc32h": true, "crc32w": true, "crc32cb": true, "crc32ch": true, "crc32cw": true,
}

// objdumpOnly reports an encoding on which the decoder follows the M-profile
// architecture rather than objdump, which also decodes what other profiles
// (or old coprocessors) put there. In the coprocessor space the decoder
// gives every coprocessor 0-7 encoding its generic name, and coprocessors
// 8-15 only their FP and MVE instructions; objdump names some coprocessor
// 0-7 encodings after FPA, Maverick or iWMMXt instructions, leaves others
// undefined, and accepts generic and Advanced SIMD instructions for
// coprocessors 8-15.
func objdumpOnly(enc uint32, wide bool, want string, decoded bool) bool {
	base, _, _ := strings.Cut(strings.TrimSuffix(want, "!"), ".")
	if aProfile[base] && !decoded {
		return true
	}
	if !wide {
		return false
	}
	// objdump shows widening byte and halfword loads with 64-bit
	// elements, and 64-bit floating-point vector operations, which MVE
	// does not have.
	if (base == "vldrb" || base == "vldrh" || strings.HasSuffix(want, ".f64")) && strings.HasSuffix(want, "64") &&
		!decoded && enc>>26&0x3b == 0x3b { // 111x 11xx: coprocessor and MVE spaces
		return true
	}
	cpSpace := enc>>26&0x3b == 0x3b && enc>>24&3 != 3 // 111x 11xx, not 111x 1111
	if cpSpace {
		cp := enc >> 8 & 0xf
		if cp < 8 || genericCP[base] || neonOnly[base] {
			return true
		}
	}
	return false
}

// narrowLoads load less than a word from their literal; the decoder gives
// RefLoad only for loads of a word or more (which may load a pointer).
var narrowLoads = map[string]bool{"ldrb": true, "ldrh": true, "ldrsb": true, "ldrsh": true, "pld": true, "pli": true}

func hasTarget(inst isa.Inst) bool {
	return inst.Flow == isa.FlowJump || inst.Flow == isa.FlowCondJump || inst.Flow == isa.FlowCall
}

// rel formats to-from as a signed hex offset, as gen does.
func rel(to, from uint64) string {
	d := int32(uint32(to - from))
	if d < 0 {
		return fmt.Sprintf("-%x", -int64(d))
	}
	return fmt.Sprintf("+%x", d)
}
