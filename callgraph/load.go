package callgraph

import (
	"cmp"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/isa"
	"github.com/footprint-dev/footprint/isa/riscv"
	"github.com/footprint-dev/footprint/isa/thumb"
	"github.com/footprint-dev/footprint/isa/x86"
)

// Open reads the ELF file at path and builds its call graph.
func Open(path string) (*Program, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	return Load(f, st.Size())
}

// Load builds the call graph of the ELF image in r (size bytes long).
// Malformed images give an error; problems inside functions (undecodable
// bytes, branches to nowhere) become warnings naming the address.
func Load(r io.ReaderAt, size int64) (*Program, error) {
	f, err := elf.NewFile(r)
	if err != nil {
		return nil, fmt.Errorf("not a readable ELF file: %w", err)
	}
	defer f.Close()
	arch, err := archOf(f)
	if err != nil {
		return nil, err
	}
	l := &loader{f: f, r: r, size: size, arch: arch,
		p: &Program{Machine: arch.name, Entry: -1, Symbols: map[string]uint64{}}}
	if err := l.readSections(); err != nil {
		return nil, err
	}
	if err := l.readSymbols(); err != nil {
		return nil, err
	}
	if f.Machine == elf.EM_ARM {
		l.readARMAttributes()
		l.findVectorTable()
	}
	l.decodeFunctions()
	l.addAnonymousCode()
	l.addAnonymousData()
	l.resolveCodeRefs()
	l.scanData()
	l.finish()
	return l.p, nil
}

// arch describes how to read one instruction set's code.
type arch struct {
	name       string
	newDecoder func(symbols map[string]uint64) isa.Decoder
	thumb      bool // function addresses carry the Thumb bit; $d marks data
	ptrSize    int
	entryDepth int64 // bytes on the stack at a function's first instruction (x86's return address)
}

func archOf(f *elf.File) (arch, error) {
	switch {
	case f.Machine == elf.EM_ARM && f.Class == elf.ELFCLASS32:
		return arch{name: "ARM (Thumb)", newDecoder: func(map[string]uint64) isa.Decoder { return thumb.NewDecoder() }, thumb: true, ptrSize: 4}, nil
	case f.Machine == elf.EM_RISCV && f.Class == elf.ELFCLASS32:
		return arch{name: "RISC-V (RV32)", newDecoder: newRISCVDecoder, ptrSize: 4}, nil
	case f.Machine == elf.EM_X86_64 && f.Class == elf.ELFCLASS64:
		return arch{name: "x86-64", newDecoder: func(map[string]uint64) isa.Decoder { return x86.NewDecoder() }, ptrSize: 8, entryDepth: 8}, nil
	}
	return arch{}, fmt.Errorf("no instruction decoder for %s %s (footprint decodes 32-bit ARM Thumb, RV32 and x86-64)", f.Class, f.Machine)
}

// newRISCVDecoder makes a RISC-V decoder that knows the global pointer
// start-up code loads from __global_pointer$, so gp-relative addresses
// count as references.
func newRISCVDecoder(symbols map[string]uint64) isa.Decoder {
	d := riscv.NewDecoder()
	if gp, ok := symbols[globalPointer]; ok {
		d.SetGlobalPointer(gp)
	}
	return d
}

const globalPointer = "__global_pointer$"

// loader holds the state of one Load.
type loader struct {
	f    *elf.File
	r    io.ReaderAt
	size int64
	arch arch
	p    *Program
	secs []loadedSection // allocated sections with contents, by address
	// dataRanges are the $d mapping-symbol ranges (literal pools, jump
	// tables) inside code, by address.
	dataRanges []addrRange
	// vectorRange is the vector table's extent: its words are not address
	// taken.
	vectorRange addrRange
	// plt are the sections holding PLT stubs.
	plt []addrRange
	// gotNames maps GOT slots to imported symbols, read on first use.
	gotNames map[uint64]string
	// codeRefs are the addresses code refers to, before they are resolved
	// to nodes.
	codeRefs []codeRef
	// lowest and highest bound the addresses of all nodes.
	lowest, highest uint64
	// unnamedCode are branch targets in executable sections that no
	// function symbol covers.
	unnamedCode []uint64
}

// codeRef is an address a function's instruction loads or forms, or a
// value loaded from a literal pool.
type codeRef struct {
	from        int
	site, value uint64
}

type loadedSection struct {
	name       string
	addr, size uint64
	exec       bool
	data       []byte
}

type addrRange struct{ start, end uint64 }

func (r addrRange) contains(a uint64) bool { return a >= r.start && a < r.end }

// readSections loads the contents of every allocated section that has
// contents in the file, after checking that they lie inside it.
func (l *loader) readSections() error {
	for _, s := range l.f.Sections {
		if s.Flags&elf.SHF_ALLOC == 0 || s.Size == 0 {
			continue
		}
		exec := s.Flags&elf.SHF_EXECINSTR != 0
		l.p.Sections = append(l.p.Sections, Section{Name: s.Name, Addr: s.Addr, Size: s.Size, Exec: exec,
			Write: s.Flags&elf.SHF_WRITE != 0, NoBits: s.Type == elf.SHT_NOBITS})
		if strings.HasPrefix(s.Name, ".plt") {
			l.plt = append(l.plt, addrRange{s.Addr, s.Addr + s.Size})
		}
		if s.Type == elf.SHT_NOBITS {
			continue
		}
		if s.Offset > uint64(l.size) || s.Size > uint64(l.size)-s.Offset {
			return fmt.Errorf("section %s (%d bytes at file offset %#x) runs past the end of the %d-byte file", s.Name, s.Size, s.Offset, l.size)
		}
		data := make([]byte, s.Size)
		if _, err := l.r.ReadAt(data, int64(s.Offset)); err != nil {
			return fmt.Errorf("reading section %s: %w", s.Name, err)
		}
		l.secs = append(l.secs, loadedSection{name: s.Name, addr: s.Addr, size: s.Size, exec: exec, data: data})
	}
	sort.SliceStable(l.secs, func(i, j int) bool { return l.secs[i].addr < l.secs[j].addr })
	l.p.contents = l.secs
	return nil
}

// section returns the loaded section whose contents hold addr, or nil.
func (l *loader) section(addr uint64) *loadedSection {
	i := sort.Search(len(l.secs), func(i int) bool { return l.secs[i].addr > addr }) - 1
	if i >= 0 && addr-l.secs[i].addr < l.secs[i].size {
		return &l.secs[i]
	}
	return nil
}

// word reads the pointer-sized word at addr, if the image has contents there.
func (l *loader) word(addr uint64) (uint64, bool) {
	s := l.section(addr)
	if s == nil {
		return 0, false
	}
	off := addr - s.addr
	n := uint64(l.arch.ptrSize)
	if off+n > uint64(len(s.data)) {
		return 0, false
	}
	if n == 8 {
		return l.f.ByteOrder.Uint64(s.data[off:]), true
	}
	return uint64(l.f.ByteOrder.Uint32(s.data[off:])), true
}

// readSymbols turns sized symbols into nodes, keeps ARM mapping symbols
// as data ranges, and records the global symbols without type or size
// (linker-script symbols such as _estack or __global_pointer$).
func (l *loader) readSymbols() error {
	syms, err := l.f.Symbols()
	if errors.Is(err, elf.ErrNoSymbols) {
		syms, err = l.f.DynamicSymbols()
	}
	if err != nil && !errors.Is(err, elf.ErrNoSymbols) {
		return fmt.Errorf("reading the symbol table: %w", err)
	}
	// cand is a symbol that may become a node; small, so sorting is cheap.
	type cand struct {
		name, section string
		addr, size    uint64
		end           uint64 // the end of the symbol's section
		kind          NodeKind
		rank          int8 // lower wins among symbols at one address
	}
	var cands []cand
	type mapSym struct {
		addr uint64
		data bool
	}
	var mapping []mapSym
	for _, s := range syms {
		if s.Size == 0 && s.Name != "" && !strings.HasPrefix(s.Name, "$") && elf.ST_TYPE(s.Info) == elf.STT_NOTYPE && elf.ST_BIND(s.Info) != elf.STB_LOCAL {
			l.p.Symbols[s.Name] = s.Value
		}
		if s.Section == elf.SHN_UNDEF || s.Section >= elf.SHN_LORESERVE || int(s.Section) >= len(l.f.Sections) {
			continue
		}
		sec := l.f.Sections[s.Section]
		if sec.Flags&elf.SHF_ALLOC == 0 {
			continue
		}
		exec := sec.Flags&elf.SHF_EXECINSTR != 0
		typ, bind := elf.ST_TYPE(s.Info), elf.ST_BIND(s.Info)
		if l.arch.thumb && strings.HasPrefix(s.Name, "$") {
			if name := s.Name[1:]; len(name) > 0 && exec {
				mapping = append(mapping, mapSym{s.Value, name[0] == 'd'})
			}
			continue
		}
		if s.Name == "" || typ == elf.STT_SECTION || typ == elf.STT_FILE || typ == elf.STT_TLS {
			continue
		}
		c := cand{name: s.Name, section: sec.Name, addr: s.Value, size: s.Size, rank: 2, end: sec.Addr + sec.Size}
		switch bind {
		case elf.STB_GLOBAL:
			c.rank = 0
		case elf.STB_WEAK:
			c.rank = 1
		}
		switch {
		case exec && typ == elf.STT_FUNC:
			c.kind = Func
			if l.arch.thumb {
				if s.Value&1 == 0 && typ == elf.STT_FUNC {
					l.p.Warnings = append(l.p.Warnings, fmt.Sprintf("%s at %#x is A32 (ARM-state) code, which is not decoded", s.Name, s.Value))
					continue
				}
				c.addr &^= 1
			}
		case !exec && s.Size > 0 && (typ == elf.STT_OBJECT || typ == elf.STT_NOTYPE || typ == elf.STT_COMMON):
			c.kind = Object
		default:
			continue
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return errors.New("the ELF file has no function symbols: the call graph needs a symbol table (was it stripped?)")
	}
	slices.SortFunc(cands, func(a, b cand) int {
		return cmp.Or(cmp.Compare(a.addr, b.addr), cmp.Compare(a.kind, b.kind), cmp.Compare(a.rank, b.rank),
			cmp.Compare(b.size, a.size), strings.Compare(a.name, b.name))
	})
	nodes := make([]Node, 0, len(cands))
	for i, c := range cands {
		if i > 0 && c.addr == cands[i-1].addr && c.kind == cands[i-1].kind {
			continue // an alias: the first (global, largest) name stands for it
		}
		if c.kind == Func && c.size == 0 {
			// A function without a size (assembly without .size) runs to
			// the next symbol or the end of its section.
			c.size = c.end - min(c.addr, c.end)
			for _, next := range cands[i+1:] {
				if next.addr > c.addr {
					c.size = min(c.size, next.addr-c.addr)
					break
				}
			}
		}
		nodes = append(nodes, Node{Name: c.name, Kind: c.kind, Addr: c.addr, Size: c.size, Section: c.section})
	}
	l.p.Nodes = nodes
	l.p.indexFunctions()

	sort.Slice(mapping, func(i, j int) bool { return mapping[i].addr < mapping[j].addr })
	for i, m := range mapping {
		if !m.data {
			continue
		}
		end := l.sectionEnd(m.addr)
		if i+1 < len(mapping) {
			end = min(end, mapping[i+1].addr)
		}
		l.dataRanges = append(l.dataRanges, addrRange{m.addr, end})
	}
	if e := l.f.Entry; e != 0 {
		if l.arch.thumb {
			e &^= 1
		}
		l.p.Entry = l.p.FuncAt(e)
	}
	return nil
}

// sectionEnd returns the end address of the allocated section holding addr.
func (l *loader) sectionEnd(addr uint64) uint64 {
	if s, ok := l.p.SectionOf(addr); ok {
		return s.Addr + s.Size
	}
	return addr
}

// codeValue turns a stored pointer into the function it points to, or -1:
// on Thumb only odd values are code pointers.
func (l *loader) codeValue(v uint64) int {
	if l.arch.thumb {
		if v&1 == 0 {
			return -1
		}
		v &^= 1
	}
	return l.p.FuncAt(v)
}

// vectorTableNames are the symbols and sections vendors name the Cortex-M
// vector table.
var vectorTableNames = []string{"g_pfnVectors", "__isr_vector", "__Vectors", "__vector_table", "_vector_table", "vector_table", "_vectors", "isr_vector", "__vectors", "_VectorTable",
	".isr_vector", ".vectors", ".vector_table", ".intvecs", ".isr_vectors", ".vector"}

// findVectorTable locates the Cortex-M vector table: word 0 is the initial
// SP, word 1 the reset handler, the rest exception and interrupt handlers.
func (l *loader) findVectorTable() {
	var start, size uint64
	var name string
	for _, want := range vectorTableNames {
		if strings.HasPrefix(want, ".") {
			for _, s := range l.p.Sections {
				if s.Name == want {
					start, size, name = s.Addr, s.Size, s.Name
				}
			}
		} else if i := l.p.Lookup(want); i >= 0 && l.p.Nodes[i].Kind == Object {
			start, size, name = l.p.Nodes[i].Addr, l.p.Nodes[i].Size, want
		}
		if name != "" {
			break
		}
	}
	if name == "" {
		return
	}
	ptr := uint64(l.arch.ptrSize)
	if size < 2*ptr || size > 1024*ptr {
		l.p.Warnings = append(l.p.Warnings, fmt.Sprintf("vector table %s at %#x has %d bytes: not read", name, start, size))
		return
	}
	if _, ok := l.word(start); !ok {
		l.p.Warnings = append(l.p.Warnings, fmt.Sprintf("vector table %s at %#x has no contents in the file", name, start))
		return
	}
	l.p.VectorTable = name
	l.vectorRange = addrRange{start, start + size}
	l.p.Vectors = make([]int, size/ptr)
	l.p.Vectors[0] = -1
	for i := 1; i < len(l.p.Vectors); i++ {
		v, _ := l.word(start + uint64(i)*ptr)
		l.p.Vectors[i] = -1
		if v == 0 {
			continue
		}
		if f := l.codeValue(v); f >= 0 {
			l.p.Vectors[i] = f
		} else {
			l.p.Warnings = append(l.p.Warnings, fmt.Sprintf("vector %d of %s (at %#x) points to %#x, which is no Thumb function", i, name, start+uint64(i)*ptr, v))
		}
	}
}

// readARMAttributes reads the core name and whether it has an FPU from
// the .ARM.attributes section (the "aeabi" build attributes).
func (l *loader) readARMAttributes() {
	s := l.f.Section(".ARM.attributes")
	if s == nil || s.Size > 1<<20 || s.Offset > uint64(l.size) || s.Size > uint64(l.size)-s.Offset {
		return
	}
	data := make([]byte, s.Size)
	if _, err := l.r.ReadAt(data, int64(s.Offset)); err != nil {
		return
	}
	attrs := parseARMAttributes(data)
	l.p.CPU = attrs.cpu
	l.p.FPU = attrs.fpArch != 0
}

// decodeFunctions decodes every function and fills in its frame, calls
// and code references.
func (l *loader) decodeFunctions() {
	a := newAnalyzer(l)
	for i := range l.p.Nodes {
		if l.p.Nodes[i].Kind == Func {
			a.function(i)
		}
	}
}

// scanData reads every pointer-sized word of the data sections: a word
// that is a function's address makes it address-taken (a possible target
// of indirect calls) and a reference from the object holding the word.
func (l *loader) scanData() {
	ptr := uint64(l.arch.ptrSize)
	if n := len(l.p.Nodes); n > 0 {
		l.lowest = l.p.Nodes[0].Addr
		l.highest = l.p.Nodes[n-1].Addr + l.p.Nodes[n-1].Size + 1 // +1: a Thumb pointer to a last zero-size function
	}
	for si := range l.secs {
		s := &l.secs[si]
		if s.exec {
			continue
		}
		first := (s.addr + ptr - 1) &^ (ptr - 1)
		for a := first; a+ptr <= s.addr+uint64(len(s.data)); a += ptr {
			off := a - s.addr
			var v uint64
			if ptr == 8 {
				v = l.f.ByteOrder.Uint64(s.data[off:])
			} else {
				v = uint64(l.f.ByteOrder.Uint32(s.data[off:]))
			}
			l.dataWord(a, v)
		}
	}
	l.scanRelativeRelocations()
}

// dataWord records the reference a data word at addr holding v makes.
func (l *loader) dataWord(addr, v uint64) {
	if v < l.lowest || v >= l.highest || l.vectorRange.contains(addr) {
		return // most words are no address at all
	}
	to := l.codeValue(v)
	if to < 0 {
		to = l.p.At(v)
		if to < 0 || l.p.Nodes[to].Kind != Object {
			return
		}
	} else if !l.inRootArray(addr) {
		l.p.Nodes[to].AddressTaken = true
	}
	from := l.p.At(addr)
	if from < 0 || l.p.Nodes[from].Kind != Object {
		from = -1
	}
	l.addRef(from, Ref{From: addr, To: to})
}

// addAnonymousCode gives the code that branches reach but no symbol names
// nodes of their own ("[.text+0x18e0]", up to the next symbol), decodes
// them, and points the calls at them.
func (l *loader) addAnonymousCode() {
	if len(l.unnamedCode) == 0 {
		return
	}
	a := newAnalyzer(l)
	for _, i := range l.addAnonymous(l.unnamedCode, Func) {
		a.function(i)
	}
	for i := range l.p.Nodes {
		for c := range l.p.Nodes[i].Calls {
			call := &l.p.Nodes[i].Calls[c]
			if call.Callee < 0 && call.External == "" && !call.Kind.IsIndirect() {
				call.Callee = l.p.FuncAt(call.Target)
			}
		}
	}
}

// addAnonymousData gives the stored data that code refers to but no
// symbol names (string literals, constant tables, a registration struct in
// .rodata) nodes of their own, named "[.rodata+0x1c]", so references reach
// through them.
func (l *loader) addAnonymousData() {
	var starts []uint64
	for _, r := range l.codeRefs {
		s, ok := l.p.SectionOf(r.value)
		if !ok || s.Exec || s.NoBits || l.p.At(r.value) >= 0 {
			continue
		}
		starts = append(starts, r.value)
	}
	l.addAnonymous(starts, Object)
}

// addAnonymous adds nodes of kind at the given addresses, each running to
// the next one, the next symbol or its section's end, and returns their
// indices. The existing nodes' indices change; every index held so far is
// remapped.
func (l *loader) addAnonymous(starts []uint64, kind NodeKind) []int {
	if len(starts) == 0 {
		return nil
	}
	slices.Sort(starts)
	starts = slices.Compact(starts)
	old := len(l.p.Nodes)
	for i, a := range starts {
		s, _ := l.p.SectionOf(a)
		end := s.Addr + s.Size
		if i+1 < len(starts) {
			end = min(end, starts[i+1])
		}
		if j := sort.Search(old, func(j int) bool { return l.p.Nodes[j].Addr > a }); j < old {
			end = min(end, l.p.Nodes[j].Addr)
		}
		l.p.Nodes = append(l.p.Nodes, Node{Name: fmt.Sprintf("[%s+%#x]", s.Name, a-s.Addr), Kind: kind, Addr: a, Size: end - a, Section: s.Name})
	}
	order := make([]int, len(l.p.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(l.p.Nodes[a].Addr, l.p.Nodes[b].Addr) })
	newIndex := make([]int, len(order))
	nodes := make([]Node, len(order))
	for to, from := range order {
		newIndex[from] = to
		nodes[to] = l.p.Nodes[from]
	}
	l.p.Nodes = nodes
	l.p.indexFunctions()
	remap := func(i *int) {
		if *i >= 0 {
			*i = newIndex[*i]
		}
	}
	for i := range nodes {
		for c := range nodes[i].Calls {
			remap(&nodes[i].Calls[c].Callee)
		}
	}
	for i := range l.p.Vectors {
		remap(&l.p.Vectors[i])
	}
	remap(&l.p.Entry)
	for i := range l.codeRefs {
		remap(&l.codeRefs[i].from)
	}
	added := make([]int, 0, len(starts))
	for k := range starts {
		added = append(added, newIndex[old+k])
	}
	return added
}

// resolveCodeRefs turns the addresses code refers to into references to
// the functions and objects there. On Thumb a code pointer may carry the
// Thumb bit (a literal or MOVW/MOVT pair) or not (ADR).
func (l *loader) resolveCodeRefs() {
	for _, r := range l.codeRefs {
		fv := r.value
		if l.arch.thumb {
			fv &^= 1
		}
		to := l.p.FuncAt(fv)
		if to >= 0 {
			if to != r.from {
				l.p.Nodes[to].AddressTaken = true
			}
		} else if to = l.p.At(r.value); to < 0 || l.p.Nodes[to].Kind != Object {
			continue
		}
		l.addRef(r.from, Ref{From: r.site, To: to})
	}
	l.codeRefs = nil
}

// inRootArray reports whether addr lies in a constructor or destructor
// array: the functions there are entry points that start-up and exit code
// call (Program.Roots), not targets of the program's other indirect calls.
func (l *loader) inRootArray(addr uint64) bool {
	s, ok := l.p.SectionOf(addr)
	return ok && isRootArray(s.Name)
}

// addRef adds a reference from node from (-1: data outside every object,
// such as .init_array) to a node.
func (l *loader) addRef(from int, r Ref) {
	if from < 0 {
		l.p.LooseRefs = append(l.p.LooseRefs, r)
		return
	}
	if from == r.To {
		return
	}
	l.p.Nodes[from].Refs = append(l.p.Nodes[from].Refs, r)
}

// scanRelativeRelocations reads the pointers of a position-independent
// x86-64 image: they are zero in the file and stored as R_X86_64_RELATIVE
// addends in .rela.dyn.
func (l *loader) scanRelativeRelocations() {
	if l.f.Machine != elf.EM_X86_64 {
		return
	}
	const relative = 8 // R_X86_64_RELATIVE
	for _, s := range l.f.Sections {
		if s.Type != elf.SHT_RELA || s.Flags&elf.SHF_ALLOC == 0 || s.Offset > uint64(l.size) || s.Size > uint64(l.size)-s.Offset {
			continue
		}
		data := make([]byte, s.Size)
		if _, err := l.r.ReadAt(data, int64(s.Offset)); err != nil {
			continue
		}
		for off := 0; off+24 <= len(data); off += 24 {
			info := l.f.ByteOrder.Uint64(data[off+8:])
			if info&0xffffffff != relative {
				continue
			}
			l.dataWord(l.f.ByteOrder.Uint64(data[off:]), l.f.ByteOrder.Uint64(data[off+16:]))
		}
	}
}

// finish lists the address-taken functions. The entry point, the reset
// handler and main are left out even when their address is stored (a
// start-up routine passing main to __libc_start_main): nothing calls them
// back through a pointer.
func (l *loader) finish() {
	entries := map[int]bool{l.p.Entry: true, l.p.Lookup("main"): true}
	if len(l.p.Vectors) > 1 {
		entries[l.p.Vectors[1]] = true
	}
	for i := range l.p.Nodes {
		if l.p.Nodes[i].AddressTaken && !entries[i] {
			l.p.Indirect = append(l.p.Indirect, i)
		}
	}
}

// millicodeSave returns how far a call to target lowers the caller's SP
// for good: GCC's RISC-V -msave-restore routines __riscv_save_N store ra
// and s0..s(N-1) in a 16-byte aligned area of the caller's frame and return
// through t0 with the SP lowered by it.
func (l *loader) millicodeSave(target uint64) int64 {
	if l.f.Machine != elf.EM_RISCV {
		return 0
	}
	i := l.p.FuncAt(target)
	if i < 0 {
		return 0
	}
	n, err := strconv.Atoi(strings.TrimPrefix(l.p.Nodes[i].Name, "__riscv_save_"))
	if err != nil || !strings.HasPrefix(l.p.Nodes[i].Name, "__riscv_save_") || n < 0 || n > 12 {
		return 0
	}
	return int64((n+1)*4+15) &^ 15
}

// pltName names a call target inside a PLT section ("puts@plt"), or
// returns "". A stub jumps through its GOT slot, which a dynamic
// relocation ties to the imported symbol; "[plt 0x...]" when it cannot be
// told which.
func (l *loader) pltName(addr uint64) string {
	if !slices.ContainsFunc(l.plt, func(r addrRange) bool { return r.contains(addr) }) {
		return ""
	}
	if l.gotNames == nil {
		l.gotNames = l.readGOTNames()
	}
	s := l.section(addr)
	if s != nil {
		dec := l.arch.newDecoder(l.p.Symbols)
		code := s.data[addr-s.addr:]
		for range 2 { // an endbr64 may come first
			in, err := dec.Decode(code, addr)
			if err != nil || in.Len <= 0 || in.Len > len(code) {
				break
			}
			if in.RefKind == isa.RefLoad {
				if name, ok := l.gotNames[in.Ref]; ok {
					return name + "@plt"
				}
				break
			}
			code, addr = code[in.Len:], addr+uint64(in.Len)
		}
	}
	return fmt.Sprintf("[plt %#x]", addr)
}

// readGOTNames maps GOT slots to the dynamic symbols their relocations
// (JUMP_SLOT, GLOB_DAT) import (ELF64 RELA, as x86-64 images have).
func (l *loader) readGOTNames() map[uint64]string {
	names := map[uint64]string{}
	syms, err := l.f.DynamicSymbols()
	if err != nil || l.f.Class != elf.ELFCLASS64 {
		return names
	}
	for _, sec := range l.f.Sections {
		if sec.Type != elf.SHT_RELA || sec.Flags&elf.SHF_ALLOC == 0 || sec.Offset > uint64(l.size) || sec.Size > uint64(l.size)-sec.Offset {
			continue
		}
		data := make([]byte, sec.Size)
		if _, err := l.r.ReadAt(data, int64(sec.Offset)); err != nil {
			continue
		}
		for off := 0; off+24 <= len(data); off += 24 {
			sym := l.f.ByteOrder.Uint64(data[off+8:]) >> 32
			if sym > 0 && sym <= uint64(len(syms)) {
				names[l.f.ByteOrder.Uint64(data[off:])] = syms[sym-1].Name
			}
		}
	}
	return names
}
