package thumb

import (
	"crypto/sha256"
	"debug/elf"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/isa"
	"github.com/stretchr/testify/require"
)

// elfPath maps the name of a recorded disassembly (testdata/objdump) to its
// ELF: testdata/elf/<name>.elf, the repository's firmware, or shared/.
func elfPath(t *testing.T, name string) string {
	t.Helper()
	out := filepath.Join("..", "..", "testdata", "firmware", "out")
	switch {
	case strings.HasPrefix(name, "firmware-"):
		return filepath.Join(out, strings.TrimPrefix(name, "firmware-"), "firmware.elf")
	case strings.HasPrefix(name, "variant-"):
		return filepath.Join(out, "variants", strings.TrimPrefix(name, "variant-"), "firmware.elf")
	case name == "shared-fw_stacktest":
		return sharedtest.Path(t, "stack", "fw_stacktest", "firmware.elf")
	case strings.HasPrefix(name, "shared-"):
		return sharedtest.Path(t, "firmware", strings.TrimPrefix(name, "shared-"), "firmware.elf")
	default:
		return filepath.Join("testdata", "elf", name+".elf")
	}
}

// expected is one instruction objdump printed.
type expected struct {
	size        int // 0: objdump found it running past the next symbol
	mnem        string
	target, ref uint64
	hasTarget   bool
	hasRef      bool
}

// readExpected reads a recorded disassembly and the SHA-256 of its ELF.
func readExpected(t *testing.T, path string) (map[uint64]expected, string) {
	t.Helper()
	var sum string
	exp := map[uint64]expected{}
	for _, l := range readLinesRaw(t, path) {
		if s, ok := strings.CutPrefix(l, "# sha256 "); ok {
			sum = s
			continue
		}
		if strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Fields(l)
		require.GreaterOrEqual(t, len(fs), 2, l)
		addr, err := strconv.ParseUint(fs[0], 16, 64)
		require.NoError(t, err, l)
		if fs[1] == "T" {
			exp[addr] = expected{}
			continue
		}
		require.GreaterOrEqual(t, len(fs), 3, l)
		var e expected
		e.size, err = strconv.Atoi(fs[1])
		require.NoError(t, err, l)
		e.mnem = fs[2]
		for _, x := range fs[3:] {
			v, err := strconv.ParseUint(x[1:], 16, 64)
			require.NoError(t, err, l)
			switch x[0] {
			case '>':
				e.target, e.hasTarget = v, true
			case '@':
				e.ref, e.hasRef = v, true
			}
		}
		exp[addr] = e
	}
	return exp, sum
}

// A codeRun is a stretch of Thumb code between two symbols, as objdump
// disassembles it: from a symbol or a $t mapping symbol to the next symbol
// of any kind or the end of the section.
type codeRun struct {
	start, end uint64
	data       []byte // the bytes from start to the end of the section
	data0      uint64 // address of data[0]
}

// codeRuns finds the Thumb code of f's executable sections by the ARM
// mapping symbols ($t and $a start code, $d starts data) and cuts it at
// every other symbol, where objdump stops an instruction that runs on.
func codeRuns(t testing.TB, f *elf.File) []codeRun {
	syms, err := f.Symbols()
	require.NoError(t, err)
	var runs []codeRun
	for i, sec := range f.Sections {
		if sec.Type != elf.SHT_PROGBITS || sec.Flags&elf.SHF_EXECINSTR == 0 || sec.Size == 0 {
			continue
		}
		data, err := sec.Data()
		require.NoError(t, err)
		type mark struct {
			addr uint64
			kind byte // 't' code, 'd' data, 0 another symbol
		}
		var marks []mark
		for _, s := range syms {
			if int(s.Section) != i {
				continue
			}
			typ := elf.ST_TYPE(s.Info)
			if typ == elf.STT_SECTION || typ == elf.STT_FILE {
				continue
			}
			addr := s.Value
			if typ == elf.STT_FUNC {
				addr &^= 1 // the Thumb bit
			}
			kind := byte(0)
			if len(s.Name) >= 2 && s.Name[0] == '$' && (len(s.Name) == 2 || s.Name[2] == '.') {
				switch s.Name[1] {
				case 't', 'a':
					kind = 't'
				case 'd':
					kind = 'd'
				default:
					continue
				}
			}
			marks = append(marks, mark{addr, kind})
		}
		sort.Slice(marks, func(a, b int) bool { return marks[a].addr < marks[b].addr })
		end := sec.Addr + sec.Size
		inCode := false
		for j, m := range marks {
			switch m.kind {
			case 't':
				inCode = true
			case 'd':
				inCode = false
			}
			next := end
			if j+1 < len(marks) {
				next = marks[j+1].addr
			}
			if inCode && next > m.addr && m.addr >= sec.Addr && m.addr < end {
				runs = append(runs, codeRun{start: m.addr, end: next, data: data[m.addr-sec.Addr:], data0: m.addr})
			}
		}
	}
	return runs
}

// vptBlock returns the number of instructions a VPT or VPST predicates:
// its mask (bits 22 and 15:13) ends with a 1 after 4-n bits.
func vptBlock(inst isa.Inst, code []byte) int {
	if inst.Op != "vpt" && inst.Op != "vpst" || len(code) < 4 {
		return 0
	}
	enc := uint32(code[0])<<16 | uint32(code[1])<<24 | uint32(code[2]) | uint32(code[3])<<8
	mask := bit(enc, 22)<<3 | enc>>13&7
	for n := 4; n > 0; n-- {
		if mask&(1<<(4-n)) != 0 {
			return n
		}
	}
	return 0
}

// condOf returns the condition objdump adds after op ("eq" in "addeq.w"),
// or "".
func condOf(op, objdump string) string {
	base, _, _ := strings.Cut(strings.TrimSuffix(objdump, "!"), ".")
	rest, ok := strings.CutPrefix(base, op)
	if !ok {
		return ""
	}
	rest = strings.TrimPrefix(rest, "s")
	for _, c := range conds {
		if rest == c || rest == c+"s" {
			return c
		}
	}
	return ""
}

// elfStats counts what an ELF comparison checked.
type elfStats struct {
	insts, targets, refs, tables, tableEntries int
}

// compareELF decodes the code of one ELF and compares it with objdump's
// recorded disassembly.
func compareELF(t *testing.T, elfFile string, exp map[uint64]expected) elfStats {
	t.Helper()
	f, err := elf.Open(elfFile)
	require.NoError(t, err)
	defer f.Close()
	require.Equal(t, elf.EM_ARM, f.Machine)

	var st elfStats
	mismatches := map[string][]string{}
	bad := func(kind string, addr uint64, format string, args ...any) {
		mismatches[kind] = append(mismatches[kind], fmt.Sprintf("%#x: ", addr)+fmt.Sprintf(format, args...))
	}
	seen := map[uint64]bool{}
	var d Decoder
	for _, run := range codeRuns(t, f) {
		d.Reset()
		vpt := 0
		for pc := run.start; pc < run.end; {
			code := run.data[pc-run.data0 : run.end-run.data0]
			inst, err := d.Decode(code, pc)
			e, ok := exp[pc]
			seen[pc] = true
			switch {
			case errors.Is(err, isa.ErrTruncated):
				if !ok || e.size != 0 {
					bad("truncated", pc, "decoder: %v; objdump: %+v", err, e)
				}
				pc = run.end
				continue
			case !ok:
				bad("boundary", pc, "decoded %s (%d bytes) where objdump has no instruction", inst.Op, inst.Len)
			case e.size == 0:
				bad("truncated", pc, "objdump runs past the symbol; decoded %s", inst.Op)
			case inst.Len != e.size:
				bad("length", pc, "length %d, objdump %d (%s)", inst.Len, e.size, e.mnem)
			case err != nil:
				enc, wide := encoding(code, inst.Len)
				// objdump shows A-profile Advanced SIMD in the padding
				// lld puts between functions.
				neon := wide && enc>>24&0xef == 0xef
				if e.mnem != "?" && !objdumpOnly(enc, wide, e.mnem, false) && !neon {
					bad("undefined", pc, "%v; objdump %s", err, e.mnem)
				}
			default:
				st.insts++
				if enc, wide := encoding(code, inst.Len); objdumpOnly(enc, wide, e.mnem, true) {
					break
				}
				if e.mnem == "?" {
					bad("objdump undefined", pc, "decoded %s", inst.Op)
					break
				}
				if !sameMnemonic(inst.Op, e.mnem, vpt > 0) {
					bad("mnemonic", pc, "%s, objdump %s", inst.Op, e.mnem)
				}
				if c := condOf(inst.Op, e.mnem); c != "" && c != "al" && inst.Op != "b" && inst.Op != "vsel" && !inst.Conditional {
					bad("it", pc, "objdump %s in an IT block, decoded unconditional %s", e.mnem, inst.Op)
				}
				if inst.Conditional && condOf(inst.Op, e.mnem) == "" {
					bad("it", pc, "decoded conditional %s, objdump %s", inst.Op, e.mnem)
				}
				switch {
				case e.hasTarget && !hasTarget(inst):
					if !strings.HasPrefix(inst.Op, "bf") {
						bad("target", pc, "%s: no target, objdump %#x", inst.Op, e.target)
					}
				case e.hasTarget && inst.Target != e.target:
					bad("target", pc, "%s: target %#x, objdump %#x", inst.Op, inst.Target, e.target)
				case e.hasTarget:
					st.targets++
				case hasTarget(inst):
					bad("target", pc, "%s: target %#x, objdump none", inst.Op, inst.Target)
				}
				switch {
				case e.hasRef && inst.RefKind == isa.RefNone:
					if !narrowLoads[inst.Op] {
						bad("ref", pc, "%s: no reference, objdump %#x", inst.Op, e.ref)
					}
				case e.hasRef && inst.Ref != e.ref:
					bad("ref", pc, "%s: reference %#x, objdump %#x", inst.Op, inst.Ref, e.ref)
				case e.hasRef:
					st.refs++
				}
				if jt, ok := d.JumpTable(); ok && jt.Entries > 0 {
					st.tables++
					st.tableEntries += jt.Entries
					checkTable(t, jt, run, exp, bad)
				}
			}
			if vpt > 0 {
				vpt--
			}
			if n := vptBlock(inst, code); n > 0 {
				vpt = n
			}
			pc += uint64(max(inst.Len, 2))
		}
	}
	for addr, e := range exp {
		if !seen[addr] {
			bad("boundary", addr, "objdump has %s (%d bytes), not decoded", e.mnem, e.size)
		}
	}
	if len(mismatches) > 0 {
		var b strings.Builder
		total := 0
		keys := make([]string, 0, len(mismatches))
		for k, v := range mismatches {
			keys = append(keys, k)
			total += len(v)
		}
		sort.Strings(keys)
		for _, k := range keys {
			v := mismatches[k]
			sort.Strings(v)
			fmt.Fprintf(&b, "%5d %s\n", len(v), k)
			for _, x := range v[:min(len(v), 8)] {
				fmt.Fprintf(&b, "        %s\n", x)
			}
		}
		t.Errorf("%s: %d differences from objdump:\n%s", elfFile, total, b.String())
	}
	return st
}

// encoding returns the instruction at the start of code as the tables
// write it (a 32-bit one with its first halfword on top).
func encoding(code []byte, n int) (uint32, bool) {
	enc := uint32(code[0]) | uint32(code[1])<<8
	if n == 4 {
		return enc<<16 | uint32(code[2]) | uint32(code[3])<<8, true
	}
	return enc, false
}

// checkTable checks a TBB/TBH table whose size the decoder inferred: each
// target must be an instruction objdump shows, after the table.
func checkTable(t *testing.T, jt JumpTable, run codeRun, exp map[uint64]expected, bad func(string, uint64, string, ...any)) {
	t.Helper()
	off := jt.Addr - run.data0
	if off > uint64(len(run.data)) {
		bad("table", jt.Addr, "table outside the section")
		return
	}
	targets, err := jt.Targets(run.data[off:])
	if err != nil {
		bad("table", jt.Addr, "%v", err)
		return
	}
	for i, target := range targets {
		e, ok := exp[target]
		if !ok || e.size == 0 || target < jt.Addr+uint64(jt.Size()) {
			bad("table", jt.Addr, "entry %d: target %#x is not an instruction after the table", i, target)
		}
	}
}

// TestObjdumpELF compares the decoder with objdump on every Arm ELF we have
// (testdata/objdump, made by gen.sh): instruction boundaries, mnemonics,
// IT-block conditions, branch and call targets, literal addresses, and the
// targets of inline TBB/TBH tables.
func TestObjdumpELF(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "objdump", "*.txt.gz"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, file := range files {
		name := strings.TrimSuffix(filepath.Base(file), ".txt.gz")
		t.Run(name, func(t *testing.T) {
			path := elfPath(t, name)
			exp, sum := readExpected(t, file)
			raw, err := os.ReadFile(path)
			require.NoError(t, err)
			got := sha256.Sum256(raw)
			if hex.EncodeToString(got[:]) != sum {
				t.Skipf("%s changed since its disassembly was recorded; run isa/thumb/testdata/gen.sh", path)
			}
			st := compareELF(t, path, exp)
			t.Logf("%s: %d instructions, %d branch targets, %d literal addresses, %d jump tables (%d entries)",
				name, st.insts, st.targets, st.refs, st.tables, st.tableEntries)
		})
	}
}
