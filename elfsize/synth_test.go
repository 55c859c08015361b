package elfsize

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
)

// synthSection is a section of a synthetic ELF built by synthELF.
type synthSection struct {
	name  string
	typ   elf.SectionType
	flags elf.SectionFlag
	addr  uint64
	data  []byte // contents; for NOBITS only len(data) counts
}

// synthSym is a symbol of a synthetic ELF; sec is an index into the
// sections passed to synthELF, 1-based as in the file (0: undefined).
type synthSym struct {
	name        string
	value, size uint64
	bind        elf.SymBind
	typ         elf.SymType
	sec         uint16
}

// synthSegment is a PT_LOAD segment covering sections first..last
// (1-based, inclusive) with the given load address for its first byte.
type synthSegment struct {
	first, last int
	flags       elf.ProgFlag
	paddr       uint64
}

// synthELF writes a small, well-formed ELF executable: program headers,
// the given sections, then .symtab, .strtab and .shstrtab, then the
// section header table.
func synthELF(class elf.Class, bo binary.ByteOrder, machine elf.Machine, secs []synthSection, syms []synthSym, segs []synthSegment) []byte {
	is64 := class == elf.ELFCLASS64
	ehSize, phEnt, shEnt, symEnt := 52, 32, 40, 16
	if is64 {
		ehSize, phEnt, shEnt, symEnt = 64, 56, 64, 24
	}
	var buf bytes.Buffer
	put := func(v any) { _ = binary.Write(&buf, bo, v) }
	word := func(v uint64) { // address-sized field
		if is64 {
			put(v)
		} else {
			put(uint32(v))
		}
	}
	pad := func(align int) {
		for buf.Len()%align != 0 {
			buf.WriteByte(0)
		}
	}

	// String tables.
	strtab := []byte{0}
	symName := make([]uint32, len(syms))
	for i, s := range syms {
		symName[i] = uint32(len(strtab))
		strtab = append(append(strtab, s.name...), 0)
	}
	var symtab bytes.Buffer
	symtab.Write(make([]byte, symEnt))
	for i, s := range syms {
		info := byte(s.bind)<<4 | byte(s.typ)
		if is64 {
			_ = binary.Write(&symtab, bo, struct {
				Name        uint32
				Info, Other uint8
				Shndx       uint16
				Value, Size uint64
			}{symName[i], info, 0, s.sec, s.value, s.size})
		} else {
			_ = binary.Write(&symtab, bo, struct {
				Name, Value, Size uint32
				Info, Other       uint8
				Shndx             uint16
			}{symName[i], uint32(s.value), uint32(s.size), info, 0, s.sec})
		}
	}
	n := len(secs)
	all := append(append([]synthSection{}, secs...),
		synthSection{name: ".symtab", typ: elf.SHT_SYMTAB, data: symtab.Bytes()},
		synthSection{name: ".strtab", typ: elf.SHT_STRTAB, data: strtab},
	)
	shstr := []byte{0}
	nameOff := make([]uint32, len(all)+1)
	for i, s := range all {
		nameOff[i] = uint32(len(shstr))
		shstr = append(append(shstr, s.name...), 0)
	}
	nameOff[len(all)] = uint32(len(shstr))
	shstr = append(append(shstr, ".shstrtab"...), 0)
	all = append(all, synthSection{name: ".shstrtab", typ: elf.SHT_STRTAB, data: shstr})

	// Header, patched at the end with the section header offset.
	ident := [16]byte{0x7f, 'E', 'L', 'F', byte(class), 1, 1}
	if bo == binary.BigEndian {
		ident[elf.EI_DATA] = byte(elf.ELFDATA2MSB)
	}
	buf.Write(ident[:])
	put(uint16(elf.ET_EXEC))
	put(uint16(machine))
	put(uint32(1))
	word(0)              // entry
	word(uint64(ehSize)) // phoff
	shoffAt := buf.Len()
	word(0) // shoff
	put(uint32(0))
	put(uint16(ehSize))
	put(uint16(phEnt))
	put(uint16(len(segs)))
	put(uint16(shEnt))
	put(uint16(len(all) + 1))
	put(uint16(len(all))) // shstrndx

	// Program headers, patched once section offsets are known.
	phAt := buf.Len()
	buf.Write(make([]byte, phEnt*len(segs)))

	offs := make([]uint64, len(all))
	for i, s := range all {
		pad(8)
		offs[i] = uint64(buf.Len())
		if s.typ != elf.SHT_NOBITS {
			buf.Write(s.data)
		}
	}
	pad(8)
	shoff := uint64(buf.Len())
	buf.Write(make([]byte, shEnt)) // null section
	for i, s := range all {
		put(nameOff[i])
		put(uint32(s.typ))
		word(uint64(s.flags))
		word(s.addr)
		word(offs[i])
		word(uint64(len(s.data)))
		link, info, ent := uint32(0), uint32(0), uint64(0)
		if s.typ == elf.SHT_SYMTAB {
			link, info, ent = uint32(n+2), 1, uint64(symEnt)
		}
		put(link)
		put(info)
		word(1) // addralign
		word(ent)
	}

	out := buf.Bytes()
	var hdr bytes.Buffer
	put = func(v any) { _ = binary.Write(&hdr, bo, v) }
	word = func(v uint64) {
		if is64 {
			put(v)
		} else {
			put(uint32(v))
		}
	}
	word(shoff)
	copy(out[shoffAt:], hdr.Bytes())
	hdr.Reset()
	for _, sg := range segs {
		first, last := all[sg.first-1], all[sg.last-1]
		vaddr := first.addr
		memsz := last.addr + uint64(len(last.data)) - vaddr
		var filesz uint64
		for i := sg.first - 1; i < sg.last; i++ {
			if all[i].typ != elf.SHT_NOBITS {
				filesz = all[i].addr + uint64(len(all[i].data)) - vaddr
			}
		}
		put(uint32(elf.PT_LOAD))
		if is64 {
			put(uint32(sg.flags))
		}
		word(offs[sg.first-1])
		word(vaddr)
		word(sg.paddr)
		word(filesz)
		word(memsz)
		if !is64 {
			put(uint32(sg.flags))
		}
		word(4)
	}
	copy(out[phAt:], hdr.Bytes())
	return out
}

// synthFirmware is a small Cortex-M-like image: vectors, code, a model in
// .rodata, initialised data copied from flash, bss and a comment.
func synthFirmware(class elf.Class, bo binary.ByteOrder) []byte {
	model := make([]byte, 64)
	copy(model[4:], "TFL3")
	secs := []synthSection{
		{name: ".isr_vector", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC, addr: 0x08000000, data: make([]byte, 16)},
		{name: ".text", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, addr: 0x08000010, data: make([]byte, 0x40)},
		{name: ".rodata", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC, addr: 0x08000050, data: append(model, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12)},
		{name: ".data", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, addr: 0x20000000, data: make([]byte, 8)},
		{name: ".bss", typ: elf.SHT_NOBITS, flags: elf.SHF_ALLOC | elf.SHF_WRITE, addr: 0x20000008, data: make([]byte, 40)},
		{name: ".comment", typ: elf.SHT_PROGBITS, data: []byte("GCC: test\x00")},
	}
	syms := []synthSym{
		{name: "g_pfnVectors", value: 0x08000000, size: 16, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, sec: 1},
		{name: "Reset_Handler", value: 0x08000011, size: 8, bind: elf.STB_GLOBAL, typ: elf.STT_FUNC, sec: 2},
		{name: "$t", value: 0x08000010, bind: elf.STB_LOCAL, typ: elf.STT_NOTYPE, sec: 2},
		{name: "main", value: 0x08000021, size: 16, bind: elf.STB_GLOBAL, typ: elf.STT_FUNC, sec: 2},
		{name: "main_alias", value: 0x08000021, size: 16, bind: elf.STB_WEAK, typ: elf.STT_FUNC, sec: 2},
		{name: "_ZN6tflite16Register_CONV_2DEv", value: 0x08000031, size: 12, bind: elf.STB_GLOBAL, typ: elf.STT_FUNC, sec: 2},
		{name: "g_model", value: 0x08000050, size: 64, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, sec: 3},
		{name: "counter", value: 0x20000000, size: 4, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, sec: 4},
		{name: "buf", value: 0x20000010, size: 16, bind: elf.STB_GLOBAL, typ: elf.STT_OBJECT, sec: 5},
	}
	segs := []synthSegment{
		{first: 1, last: 3, flags: elf.PF_R | elf.PF_X, paddr: 0x08000000},
		{first: 4, last: 5, flags: elf.PF_R | elf.PF_W, paddr: 0x08000100},
	}
	return synthELF(class, bo, elf.EM_ARM, secs, syms, segs)
}
