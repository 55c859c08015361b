// Command gen turns GNU objdump output into the expected files that the
// isa/thumb tests compare the decoder with. gen.sh runs it; the tests do not.
//
//	gen corpus -objdump arm-none-eabi-objdump -o encodings.txt.gz
//
// disassembles every 16-bit encoding (but IT) and, for each 32-bit first
// halfword, a fixed sample of second halfwords (from a seeded generator, so
// the corpus is the same on every run) as armv8.1-m.main with MVE. objdump
// runs on chunks of the corpus, each disassembled from address 0; an
// encoding that makes objdump abort (2.40 asserts on some MVE encodings) is
// found by bisection and left out. Each output line is "<encoding>[/2]
// <mnemonic>[ ><target>][ @<literal>]": "/2" when the instruction's address
// was 2 modulo 4 (which PC-relative literals depend on), the branch target
// and literal address as signed hex offsets from the instruction, the
// mnemonic "?" for <UNDEFINED> and suffixed "!" for <UNPREDICTABLE>.
//
//	gen elf < disassembly > expected.txt
//
// reduces "objdump -d" of an ELF to one line per instruction,
// "<addr> <len> <mnemonic>[ ><target>][ @<ref>]" (hex addresses), skipping
// the .word/.short/.byte lines of data, and "<addr> T" where objdump reports
// that an instruction runs past the next symbol.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		fail(errors.New("usage: gen corpus|elf ..."))
	}
	var err error
	switch os.Args[1] {
	case "corpus":
		err = corpus(os.Args[2:])
	case "elf":
		err = reduceELF(os.Stdin, os.Stdout)
	default:
		err = fmt.Errorf("unknown command %q", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "gen:", err)
	os.Exit(1)
}

// An insn is one instruction of the corpus: its encoding as it is written
// (16-bit, or first halfword then second) and its width.
type insn struct {
	enc  uint32
	wide bool
}

func (in insn) bytes() []byte {
	if in.wide {
		b := binary.LittleEndian.AppendUint16(nil, uint16(in.enc>>16))
		return binary.LittleEndian.AppendUint16(b, uint16(in.enc))
	}
	return binary.LittleEndian.AppendUint16(nil, uint16(in.enc))
}

func (in insn) String() string {
	if in.wide {
		return fmt.Sprintf("%08x", in.enc)
	}
	return fmt.Sprintf("%04x", in.enc)
}

func corpus(args []string) error {
	fs := flag.NewFlagSet("corpus", flag.ContinueOnError)
	objdump := fs.String("objdump", "arm-none-eabi-objdump", "objdump to run")
	out := fs.String("o", "encodings.txt.gz", "output file (gzip)")
	per := fs.Int("per", 12, "second halfwords per 32-bit first halfword")
	seed := fs.Uint64("seed", 1, "random seed")
	if err := fs.Parse(args); err != nil {
		return err
	}
	var all []insn
	for hw := uint32(0); hw < 0xe800; hw++ {
		if hw>>8 == 0xbf && hw&0xf != 0 { // IT
			continue
		}
		all = append(all, insn{enc: hw})
	}
	r := rand.New(rand.NewPCG(*seed, 0x7468756d62))
	for hw1 := uint32(0xe800); hw1 <= 0xffff; hw1++ {
		for range *per {
			all = append(all, insn{enc: hw1<<16 | r.Uint32()&0xffff, wide: true})
		}
	}
	tmp, err := os.MkdirTemp("", "thumbcorpus")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	d := disassembler{objdump: *objdump, dir: tmp}
	var lines []string
	const chunk = 4096
	for i := 0; i < len(all); i += chunk {
		ls, err := d.run(all[i:min(i+chunk, len(all))])
		if err != nil {
			return err
		}
		lines = append(lines, ls...)
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "# %s -D -b binary -m armv8.1-m.main -M force-thumb: encoding[/2] mnemonic [>target] [@literal]\n", filepath.Base(*objdump))
	fmt.Fprintf(bw, "# %d encodings, %d left out because objdump aborts on them: %s\n", len(all), len(d.crashed), strings.Join(d.crashed, " "))
	for _, l := range lines {
		fmt.Fprintln(bw, l)
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

type disassembler struct {
	objdump string
	dir     string
	crashed []string
}

// run disassembles insns, bisecting to drop the ones objdump aborts on.
func (d *disassembler) run(insns []insn) ([]string, error) {
	// Four "vmov q0, q0" after each instruction absorb any VPT block objdump
	// thinks it opens (it does so for some encodings it calls undefined),
	// so that every instruction is printed on its own.
	filler := insn{enc: 0xef200150, wide: true}.bytes()
	var code []byte
	addrs := make(map[uint64]insn, len(insns))
	for _, in := range insns {
		addrs[uint64(len(code))] = in
		code = append(code, in.bytes()...)
		for range 4 {
			code = append(code, filler...)
		}
	}
	bin := filepath.Join(d.dir, "chunk.bin")
	if err := os.WriteFile(bin, code, 0o644); err != nil {
		return nil, err
	}
	cmd := exec.Command(d.objdump, "-D", "-b", "binary", "-m", "armv8.1-m.main", "-M", "force-thumb", bin)
	outb, err := cmd.Output()
	if err != nil {
		var exit *exec.ExitError
		if !errors.As(err, &exit) {
			return nil, err
		}
		if len(insns) == 1 {
			d.crashed = append(d.crashed, insns[0].String())
			return nil, nil
		}
		half := len(insns) / 2
		a, err := d.run(insns[:half])
		if err != nil {
			return nil, err
		}
		b, err := d.run(insns[half:])
		if err != nil {
			return nil, err
		}
		return append(a, b...), nil
	}
	var lines []string
	n := 0
	for _, l := range strings.Split(string(outb), "\n") {
		p, ok := parseLine(l)
		if !ok {
			continue
		}
		in, ok := addrs[p.addr]
		if !ok {
			continue // a filler
		}
		n++
		s := in.String()
		if p.addr%4 == 2 {
			s += "/2"
		}
		s += " " + p.mnem
		if p.hasTarget {
			s += " >" + rel(p.target, p.addr)
		}
		if p.hasRef {
			s += " @" + rel(p.ref, p.addr)
		}
		lines = append(lines, s)
	}
	if n != len(insns) {
		return nil, fmt.Errorf("objdump printed %d instructions for %d", n, len(insns))
	}
	return lines, nil
}

// rel formats to-from as a signed hex offset, with objdump's 32-bit
// wrap-around of addresses.
func rel(to, from uint64) string {
	d := int32(uint32(to - from))
	if d < 0 {
		return fmt.Sprintf("-%x", -int64(d))
	}
	return fmt.Sprintf("+%x", d)
}

// parsed is one instruction line of objdump -d.
type parsed struct {
	addr              uint64
	size              int
	mnem              string // "?" for undefined, "!" appended for unpredictable
	target, ref       uint64
	hasTarget, hasRef bool
	outOfBounds       bool
}

var (
	lineRE        = regexp.MustCompile(`^\s*([0-9a-f]+):\t([0-9a-f ]+)\t(.*)$`)
	boundsRE      = regexp.MustCompile(`^\s*([0-9a-f]+):\tAddress 0x[0-9a-f]+ is out of bounds\.`)
	branchRE      = regexp.MustCompile(`^(b|bl|blx|cbn?z|wls|wlstp|le|letp|bf[a-z]*)(eq|ne|cs|cc|mi|pl|vs|vc|hi|ls|ge|lt|gt|le|al)?(\.[a-z0-9]+)?$`)
	symAddrRE     = regexp.MustCompile(`([0-9a-f]+) <[^>]*>$`)
	hex0xRE       = regexp.MustCompile(`(0x[0-9a-f]+)$`)
	literalMnemRE = regexp.MustCompile(`^(ldr|ldrb|ldrh|ldrsb|ldrsh|vldr)(\.w|\.16)?$`)
	literalRE     = regexp.MustCompile(`\[pc(, #-?[0-9]+)?\]$`)
)

func parseLine(l string) (parsed, bool) {
	var p parsed
	if m := boundsRE.FindStringSubmatch(l); m != nil {
		p.addr, _ = strconv.ParseUint(m[1], 16, 64)
		p.outOfBounds = true
		return p, true
	}
	m := lineRE.FindStringSubmatch(l)
	if m == nil {
		return p, false
	}
	p.addr, _ = strconv.ParseUint(m[1], 16, 64)
	p.size = len(strings.ReplaceAll(m[2], " ", "")) / 2
	fields := strings.Split(m[3], "\t")
	p.mnem = fields[0]
	var operands, comment string
	if len(fields) > 1 {
		operands = fields[1]
	}
	if i := strings.Index(m[3], "@ "); i >= 0 {
		comment = m[3][i+2:]
	}
	if p.mnem == "" {
		// <UNDEFINED>, or (for some coprocessor encodings in an ELF)
		// nothing at all.
		p.mnem = "?"
		return p, true
	}
	if strings.Contains(p.mnem, "??") || strings.HasPrefix(p.mnem, "undefined") ||
		len(fields) > 2 && strings.Contains(strings.Join(fields[2:], " "), "undefined instruction") ||
		strings.Contains(operands, "<undefined>") ||
		strings.Count(operands, "[") != strings.Count(operands, "]") {
		// objdump's spellings of an encoding it cannot name.
		p.mnem = "?"
		return p, true
	}
	unpredictable := strings.Contains(comment, "UNPREDICTABLE") ||
		strings.Contains(operands, "<unknown>") || strings.Contains(operands, "(UNDEF:")
	if branchRE.MatchString(p.mnem) && !strings.Contains(operands, "[") {
		if sm := symAddrRE.FindStringSubmatch(operands); sm != nil {
			p.target, _ = strconv.ParseUint(sm[1], 16, 64)
			p.hasTarget = true
		} else if hm := hex0xRE.FindStringSubmatch(operands); hm != nil && !strings.HasSuffix(operands, "#"+hm[1]) {
			p.target, _ = strconv.ParseUint(strings.TrimPrefix(hm[1], "0x"), 16, 64)
			p.hasTarget = true
		}
	}
	// objdump's comment on LDRD and on indexed forms is the immediate in
	// hex, not an address.
	literal := literalRE.MatchString(operands) && literalMnemRE.MatchString(p.mnem)
	if comment != "" && (literal || strings.HasPrefix(comment, "(adr ")) {
		if v, ok := commentAddr(comment); ok {
			p.ref, p.hasRef = v, true
		}
	}
	if unpredictable {
		p.mnem += "!"
	}
	return p, true
}

// commentAddr finds the address in objdump's comment on a PC-relative load
// or ADR: "(8000060 <f+0x10>)", "8000230 <sinf+0x70>", "0x14", "(0x9004)" or
// "(adr r0, 0x14004)".
func commentAddr(c string) (uint64, bool) {
	c = strings.TrimSuffix(strings.TrimPrefix(c, "("), ")")
	if i := strings.Index(c, " <"); i >= 0 {
		c = c[:i]
	}
	if i := strings.LastIndex(c, " "); i >= 0 {
		c = c[i+1:] // after "adr r0,"
	}
	v, err := strconv.ParseUint(strings.TrimPrefix(c, "0x"), 16, 64)
	return v, err == nil
}

func reduceELF(r io.Reader, w io.Writer) error {
	bw := bufio.NewWriter(w)
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		p, ok := parseLine(sc.Text())
		if !ok || strings.HasPrefix(p.mnem, ".") {
			continue
		}
		if p.outOfBounds {
			fmt.Fprintf(bw, "%x T\n", p.addr)
			continue
		}
		fmt.Fprintf(bw, "%x %d %s", p.addr, p.size, p.mnem)
		if p.hasTarget {
			fmt.Fprintf(bw, " >%x", p.target)
		}
		if p.hasRef {
			fmt.Fprintf(bw, " @%x", p.ref)
		}
		fmt.Fprintln(bw)
	}
	if err := sc.Err(); err != nil {
		return err
	}
	return bw.Flush()
}
