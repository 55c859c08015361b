// Package report holds footprint's attribution data model: a flat list of
// leaf pieces, each a run of bytes of one section with a few string keys
// (section, symbol, source file, object, archive, region, component) and the
// flash and RAM bytes it costs.
//
// The model keeps bloaty's invariant: every allocated byte of the firmware
// belongs to exactly one piece, so any grouping of the pieces (a group-by
// over one key) adds up to the same totals. Producers (elfsize for sections
// and symbols, DWARF for files, linker maps for objects, archives and
// regions, component rules for components) fill keys in; consumers (the
// size, diff and check commands) group and render. The JSON form of a
// Report is a stable, documented interface (see the README).
package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Schema identifies the JSON layout of a Report. It changes only when a
// field is removed or changes meaning; new fields may be added without
// changing it.
const Schema = "footprint.size/v1"

// Key names one string attribute of a Piece that reports can group by.
type Key string

// The keys a Piece carries.
const (
	KeySection   Key = "section"
	KeySymbol    Key = "symbol"
	KeyFile      Key = "file"
	KeyObject    Key = "object"
	KeyArchive   Key = "archive"
	KeyRegion    Key = "region"
	KeyComponent Key = "component"
)

// KeyReach groups by which entry points reach the bytes (reachable from
// main, only from interrupt handlers, only from static constructors,
// unreachable). It is filled in only when asked for (it needs the call
// graph of the machine code), so it is no CSV column.
const KeyReach Key = "reach"

// Keys lists every Key in a fixed order (the CSV column order).
var Keys = []Key{KeySection, KeySymbol, KeyFile, KeyObject, KeyArchive, KeyRegion, KeyComponent}

// ParseKey returns the Key named s, or false if s names none.
func ParseKey(s string) (Key, bool) {
	for _, k := range append(Keys, KeyReach) {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Piece is a leaf of the attribution: a contiguous run of bytes of one
// section, owned by one symbol (or by a named fallback such as
// "[padding]" or "[.rodata: unattributed]").
//
// Flash counts the bytes the piece occupies in non-volatile memory (code,
// constants and the initialisers of .data); RAM counts the bytes it occupies
// at run time in writable memory (.data, .bss, .noinit, heap and stack
// reservations). A .data piece counts in both; a .text piece has RAM 0; a
// .bss piece has Flash 0.
type Piece struct {
	// Section is the ELF section name, e.g. ".text".
	Section string `json:"section"`
	// Symbol is the demangled symbol name, or a bracketed fallback name
	// for bytes no symbol claims.
	Symbol string `json:"symbol"`
	// File is the source file (DWARF compile unit) the bytes came from,
	// "" when unknown.
	File string `json:"file,omitempty"`
	// Object is the object file that contributed the bytes (from a linker
	// map), e.g. "conv.o", "" when unknown.
	Object string `json:"object,omitempty"`
	// Archive is the static library that held Object, e.g. "libc_nano.a",
	// "" when the object was linked directly or is unknown.
	Archive string `json:"archive,omitempty"`
	// Region is the linker memory region of the run address (from a linker
	// map), e.g. "RAM", "" when unknown.
	Region string `json:"region,omitempty"`
	// Component is the logical component the bytes belong to, e.g.
	// "tflm/kernel/CONV_2D", "libc", "model" or "app".
	Component string `json:"component"`
	// Reach says which entry points reach the bytes (KeyReach), "" unless
	// asked for.
	Reach string `json:"reach,omitempty"`
	// Addr is the run address (VMA) of the first byte.
	Addr uint64 `json:"addr"`
	// Size is the number of bytes of the section the piece covers.
	Size uint64 `json:"size"`
	// Flash and RAM are the bytes the piece costs in each memory.
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
}

// Padding is the Symbol of pieces that are alignment padding between
// symbols.
const Padding = "[padding]"

// Get returns the value of key k for the piece.
func (p *Piece) Get(k Key) string {
	switch k {
	case KeySection:
		return p.Section
	case KeySymbol:
		return p.Symbol
	case KeyFile:
		return p.File
	case KeyObject:
		return p.Object
	case KeyArchive:
		return p.Archive
	case KeyRegion:
		return p.Region
	case KeyComponent:
		return p.Component
	case KeyReach:
		return p.Reach
	}
	return ""
}

// Berkeley holds the totals that binutils' `size` prints in its default
// (Berkeley) format: text is the allocated read-only or executable sections,
// data the allocated writable sections with contents, bss the allocated
// sections without contents.
type Berkeley struct {
	Text uint64 `json:"text"`
	Data uint64 `json:"data"`
	BSS  uint64 `json:"bss"`
}

// Dec is text+data+bss, the "dec" column of `size`.
func (b Berkeley) Dec() uint64 { return b.Text + b.Data + b.BSS }

// Section describes one section of the file as `size -A` lists it, with
// footprint's flash/RAM classification.
type Section struct {
	Name string `json:"name"`
	// Type is the ELF section type without its SHT_ prefix, e.g. "PROGBITS".
	Type string `json:"type"`
	// Flags are the section flags in readelf's letters, e.g. "AX", "WA".
	Flags string `json:"flags"`
	// Addr is the run address (VMA); LMA the load address, which differs
	// from Addr for sections copied from flash to RAM at start-up.
	Addr uint64 `json:"addr"`
	LMA  uint64 `json:"lma"`
	Size uint64 `json:"size"`
	// Alloc reports whether the section occupies memory at run time.
	Alloc bool `json:"alloc"`
	// Flash and RAM are the bytes the section costs in each memory; both
	// are 0 for non-allocated sections.
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
	// Berkeley is "text", "data" or "bss" for allocated sections (the
	// column `size` adds the section to), "" otherwise.
	Berkeley string `json:"berkeley,omitempty"`
}

// Model describes a TensorFlow Lite flatbuffer found embedded in the image.
type Model struct {
	Symbol  string `json:"symbol"`
	Section string `json:"section"`
	Addr    uint64 `json:"addr"`
	Size    uint64 `json:"size"`
	// Ops lists the model's distinct operator names in first-use order;
	// empty when the flatbuffer could not be decoded.
	Ops []string `json:"ops"`
	// Error says why the flatbuffer could not be decoded, if it could not.
	Error string `json:"error,omitempty"`
}

// String describes the model in one line: where it is, its size and its
// operators, e.g. "g_model in .rodata, 2704 bytes, ops: FULLY_CONNECTED".
func (m Model) String() string {
	ops := strings.Join(m.Ops, " ")
	switch {
	case m.Error != "":
		ops = "unknown (" + m.Error + ")"
	case ops == "":
		ops = "not decoded"
	}
	return fmt.Sprintf("%s in %s, %d bytes, ops: %s", m.Symbol, m.Section, m.Size, ops)
}

// RegionUsage is how much of one linker memory region (a MEMORY entry such
// as FLASH, RAM or CCMRAM) the image occupies.
type RegionUsage struct {
	Name   string `json:"name"`
	Origin uint64 `json:"origin"`
	Length uint64 `json:"length"`
	// Used counts the region's bytes covered by sections: at their run
	// address, and at their load address for initialised data copied
	// from flash.
	Used    uint64  `json:"used"`
	Percent float64 `json:"percent"`
	// HighWater is the end of the highest section in the region less its
	// origin, gaps included: the figure of GNU ld's --print-memory-usage.
	HighWater uint64 `json:"high_water"`
	// Sections names the output sections occupying the region.
	Sections []string `json:"sections"`
}

// Totals are the flash and RAM bytes of the whole image.
type Totals struct {
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
}

// Report is the attribution of one firmware image.
type Report struct {
	// Schema is always the Schema constant.
	Schema string `json:"schema"`
	// File is the path of the analysed file as given.
	File string `json:"file"`
	// Class is "ELF32" or "ELF64"; Endian "little" or "big"; Machine the
	// ELF machine name, e.g. "EM_ARM".
	Class   string `json:"class"`
	Endian  string `json:"endian"`
	Machine string `json:"machine"`
	// Totals is the sum of Pieces' flash and RAM bytes.
	Totals Totals `json:"totals"`
	// Berkeley is what `size` would print.
	Berkeley Berkeley `json:"berkeley"`
	// Sections lists every section `size -A` lists, in file order.
	Sections []Section `json:"sections"`
	// Models lists embedded .tflite models.
	Models []Model `json:"models"`
	// Warnings are one-line notes about missing information (no symbols,
	// no DWARF, ...).
	Warnings []string `json:"warnings"`
	// Regions is the usage of each linker memory region, when a linker
	// map, linker script or --region gave the regions.
	Regions []RegionUsage `json:"regions,omitempty"`
	// Discarded is what the linker removed (--gc-sections), per object,
	// from a GNU ld map's "Discarded input sections"; debug sections are
	// left out.
	Discarded []Discarded `json:"discarded,omitempty"`
	// Pieces is the attribution: every allocated byte in exactly one piece,
	// ordered by section (file order) then address. (View.Render always
	// writes the key, as [] when empty.)
	Pieces []Piece `json:"pieces,omitempty"`
}

// Discarded is what the linker discarded from one object.
type Discarded struct {
	Object   string `json:"object"`   // as the map names it, "lib.a(member.o)" for members
	Sections int    `json:"sections"` // number of discarded input sections
	Bytes    uint64 `json:"bytes"`    // their total size
}

// SumPieces returns the flash and RAM bytes of the pieces.
func SumPieces(pieces []Piece) Totals {
	var t Totals
	for i := range pieces {
		t.Flash += pieces[i].Flash
		t.RAM += pieces[i].RAM
	}
	return t
}

// Row is one line of a grouped view: the total of the pieces sharing one
// value of the grouping key.
type Row struct {
	Name  string `json:"name"`
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
	// Pieces counts the leaf pieces merged into the row.
	Pieces int `json:"pieces"`
}

// NoValue returns the row name used for pieces whose key k is empty, e.g.
// "[no file]".
func NoValue(k Key) string { return "[no " + string(k) + "]" }

// Group sums pieces by the value of key k and returns one row per distinct
// value, largest first (by flash+RAM, then flash, then name). Pieces with
// an empty value are gathered under NoValue(k).
func Group(pieces []Piece, k Key) []Row {
	index := make(map[string]int)
	var rows []Row
	for i := range pieces {
		p := &pieces[i]
		name := p.Get(k)
		if name == "" {
			name = NoValue(k)
		}
		j, ok := index[name]
		if !ok {
			j = len(rows)
			index[name] = j
			rows = append(rows, Row{Name: name})
		}
		rows[j].Flash += p.Flash
		rows[j].RAM += p.RAM
		rows[j].Pieces++
	}
	SortRows(rows)
	return rows
}

// SortRows orders rows largest first: by flash+RAM, then flash, then name.
func SortRows(rows []Row) {
	slices.SortFunc(rows, func(a, b Row) int {
		if c := cmp.Compare(b.Flash+b.RAM, a.Flash+a.RAM); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Flash, a.Flash); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
}

// Top keeps the first n rows and folds the rest into one row named
// "[others: K]" (K rows), so the result still sums to the same totals.
// n <= 0 or n >= len(rows) returns rows unchanged.
func Top(rows []Row, n int) []Row {
	if n <= 0 || n >= len(rows) {
		return rows
	}
	out := slices.Clone(rows[:n])
	var others Row
	for _, r := range rows[n:] {
		others.Flash += r.Flash
		others.RAM += r.RAM
		others.Pieces += r.Pieces
	}
	others.Name = othersName(len(rows) - n)
	return append(out, others)
}
