package thumb

import (
	"fmt"
	"sync"
)

// An entry is one row of the decoding tables: the encodings that match
// pattern (and not exclude), the mnemonic they get and what the decoder must
// compute for them beyond the mnemonic.
type entry struct {
	mask, bits       uint32 // the encoding matches when enc&mask == bits
	exMask, exBits   uint32 // ... and not enc&exMask == exBits (when exMask != 0)
	op               string // mnemonic, unless name is set
	name             func(enc uint32) string
	sem              sem // flow, stack and reference semantics
	dst              dst // the destination register field, for SP writes and MOVW tracking
	wide             bool
	pattern, exclude string // the source text, for test failures
}

// parsePattern turns a bit pattern into a mask and value. A pattern is
// written most significant bit first: '0' and '1' are fixed bits; '.' and
// any letter are free bits; spaces and '|' only group the digits for the
// reader. 16-bit patterns have 16 bits, 32-bit ones (first halfword, then
// second) have 32.
func parsePattern(p string) (mask, bits uint32, n int, err error) {
	for _, c := range p {
		switch {
		case c == ' ' || c == '|':
			continue
		case c == '0' || c == '1':
			mask = mask<<1 | 1
			bits = bits<<1 | uint32(c-'0')
		case c == '.' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z':
			mask <<= 1
			bits <<= 1
		default:
			return 0, 0, 0, fmt.Errorf("pattern %q: unexpected %q", p, c)
		}
		n++
		if n > 32 {
			return 0, 0, 0, fmt.Errorf("pattern %q: more than 32 bits", p)
		}
	}
	if n != 16 && n != 32 {
		return 0, 0, 0, fmt.Errorf("pattern %q: %d bits, want 16 or 32", p, n)
	}
	return mask, bits, n, nil
}

// A row is an entry as written in the tables, before parsing.
type row struct {
	pattern string
	exclude string // optional: encodings matching this are not this row
	op      string
	sem     sem
	dst     dst
	name    func(enc uint32) string
}

func (r row) compile() (entry, error) {
	mask, bits, n, err := parsePattern(r.pattern)
	if err != nil {
		return entry{}, err
	}
	e := entry{mask: mask, bits: bits, op: r.op, name: r.name, sem: r.sem, dst: r.dst,
		wide: n == 32, pattern: r.pattern, exclude: r.exclude}
	if r.exclude != "" {
		m, b, xn, err := parsePattern(r.exclude)
		if err != nil {
			return entry{}, err
		}
		if xn != n {
			return entry{}, fmt.Errorf("pattern %q: exclusion %q has %d bits", r.pattern, r.exclude, xn)
		}
		e.exMask, e.exBits = m, b
	}
	if bits&^mask != 0 {
		return entry{}, fmt.Errorf("pattern %q: fixed bits outside mask", r.pattern)
	}
	if r.op == "" && r.name == nil {
		return entry{}, fmt.Errorf("pattern %q: no mnemonic", r.pattern)
	}
	if e.wide && bits>>27 < 0x1d {
		return entry{}, fmt.Errorf("pattern %q: 32-bit pattern with a 16-bit first halfword", r.pattern)
	}
	if !e.wide && bits>>11 >= 0x1d {
		return entry{}, fmt.Errorf("pattern %q: 16-bit pattern with a 32-bit prefix", r.pattern)
	}
	return e, nil
}

func (e *entry) match(enc uint32) bool {
	return enc&e.mask == e.bits && (e.exMask == 0 || enc&e.exMask != e.exBits)
}

// The tables are searched through buckets so that an instruction is matched
// against a handful of candidate rows rather than the whole table. 16-bit
// instructions are bucketed by their top byte. 32-bit instructions are
// bucketed by bits 10:4 of the first halfword (bits 15:11 are 11101, 11110 or
// 11111, which are folded into two more bits) together with bits 11:8 of
// the second halfword, which separate the coprocessor, FP and MVE spaces.
// Within a bucket the rows keep their table order, so the first row that
// matches wins, as in the tables.
const (
	buckets16 = 256
	buckets32 = 384 * 16
)

func key16(hw uint32) uint32 { return hw >> 8 }

func key32(enc uint32) uint32 { return ((enc>>20)-0xe80)<<4 | enc>>8&0xf }

// index holds the compiled tables.
type index struct {
	entries []entry
	start16 [buckets16 + 1]uint32
	start32 [buckets32 + 1]uint32
	list    []uint16 // entry numbers, bucket after bucket
}

// tables is built on first use and never changed afterwards.
var tables = sync.OnceValues(buildIndex)

func buildIndex() (*index, error) {
	rows := append(rows16(), rows32()...)
	ix := &index{entries: make([]entry, 0, len(rows))}
	for _, r := range rows {
		e, err := r.compile()
		if err != nil {
			return nil, err
		}
		ix.entries = append(ix.entries, e)
	}
	if len(ix.entries) > 1<<16 {
		return nil, fmt.Errorf("%d table rows, more than the index holds", len(ix.entries))
	}
	for k := uint32(0); k < buckets16; k++ {
		ix.start16[k] = uint32(len(ix.list))
		for i := range ix.entries {
			e := &ix.entries[i]
			if !e.wide && (k<<8)&e.mask&0xff00 == e.bits&0xff00 {
				ix.list = append(ix.list, uint16(i))
			}
		}
	}
	ix.start16[buckets16] = uint32(len(ix.list))
	// The bits of an encoding that key32 looks at, as a mask and value
	// over the key's own bit layout.
	for k := uint32(0); k < buckets32; k++ {
		ix.start32[k] = uint32(len(ix.list))
		hi := (k>>4 + 0xe80) << 20 // bits 31:20 of the encoding
		lo := (k & 0xf) << 8       // bits 11:8
		const keyMask = 0xfff00f00
		probe := hi | lo
		for i := range ix.entries {
			e := &ix.entries[i]
			if e.wide && probe&e.mask&keyMask == e.bits&keyMask {
				ix.list = append(ix.list, uint16(i))
			}
		}
	}
	ix.start32[buckets32] = uint32(len(ix.list))
	return ix, nil
}

// lookup returns the first table row matching enc, a 16-bit instruction in
// the low halfword or a 32-bit one (first halfword in the high half), and
// its mnemonic; or nil. A row whose name function gives "" does not match.
func (ix *index) lookup(enc uint32, wide bool) (*entry, string) {
	var cands []uint16
	if wide {
		k := key32(enc)
		cands = ix.list[ix.start32[k]:ix.start32[k+1]]
	} else {
		k := key16(enc)
		cands = ix.list[ix.start16[k]:ix.start16[k+1]]
	}
	for _, i := range cands {
		e := &ix.entries[i]
		if !e.match(enc) {
			continue
		}
		if e.name == nil {
			return e, e.op
		}
		if op := e.name(enc); op != "" {
			return e, op
		}
	}
	return nil, ""
}
