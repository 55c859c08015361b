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

// The tables are searched through an index. A 16-bit instruction indexes a
// table of all 16-bit encodings, which gives its row directly. A 32-bit
// instruction selects a bucket by bits 10:4 of its first halfword (bits
// 15:11 are 11101, 11110 or 11111, folded into two more bits) together with
// bits 11:8 of its second halfword, which separate the coprocessor, FP and
// MVE spaces; the bucket lists the rows that can match, in table order, so
// the first row that matches wins as in the tables. The bucket lists hold
// each row's match data inline, so that a scan reads consecutive memory.
const buckets32 = 384 * 16

func key32(enc uint32) uint32 { return ((enc>>20)-0xe80)<<4 | enc>>8&0xf }

// A cand is a row in a bucket list: its match data and its row number.
type cand struct {
	mask, bits, exMask, exBits uint32
	row                        uint32
}

// noRow marks a 16-bit encoding no row matches.
const noRow = 0xffff

// index holds the compiled tables.
type index struct {
	entries []entry
	row16   [0xe800]uint16 // row of each 16-bit encoding, or noRow
	start32 [buckets32 + 1]uint32
	list    []cand // candidates, bucket after bucket
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
	if len(ix.entries) >= noRow {
		return nil, fmt.Errorf("%d table rows, more than the index holds", len(ix.entries))
	}
	for enc := range uint32(len(ix.row16)) {
		ix.row16[enc] = noRow
		for i := range ix.entries {
			e := &ix.entries[i]
			if !e.wide && e.match(enc) {
				if e.name != nil {
					return nil, fmt.Errorf("pattern %q: 16-bit rows cannot be named by a function", e.pattern)
				}
				ix.row16[enc] = uint16(i)
				break
			}
		}
	}
	// The bits of an encoding that key32 looks at: bits 31:20 and 11:8.
	const keyMask = 0xfff00f00
	for k := uint32(0); k < buckets32; k++ {
		ix.start32[k] = uint32(len(ix.list))
		probe := (k>>4+0xe80)<<20 | (k&0xf)<<8
		for i := range ix.entries {
			e := &ix.entries[i]
			if e.wide && probe&e.mask&keyMask == e.bits&keyMask {
				ix.list = append(ix.list, cand{e.mask, e.bits, e.exMask, e.exBits, uint32(i)})
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
	if !wide {
		r := ix.row16[enc&0xffff]
		if r == noRow {
			return nil, ""
		}
		e := &ix.entries[r]
		return e, e.op
	}
	k := key32(enc)
	for _, c := range ix.list[ix.start32[k]:ix.start32[k+1]] {
		if enc&c.mask != c.bits || c.exMask != 0 && enc&c.exMask == c.exBits {
			continue
		}
		e := &ix.entries[c.row]
		if e.name == nil {
			return e, e.op
		}
		if op := e.name(enc); op != "" {
			return e, op
		}
	}
	return nil, ""
}
