package elfsize

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"errors"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

func analyzeBytes(t testing.TB, data []byte, opts Options) *report.Report {
	t.Helper()
	rep, err := Analyze(bytes.NewReader(data), int64(len(data)), opts)
	require.NoError(t, err)
	return rep
}

// checkCoverage asserts bloaty's invariant: the pieces of every allocated
// section tile it exactly, and the totals are the pieces' sum.
func checkCoverage(t *testing.T, rep *report.Report) {
	t.Helper()
	bySection := map[string][]report.Piece{}
	for _, p := range rep.Pieces {
		bySection[p.Section] = append(bySection[p.Section], p)
	}
	for _, s := range rep.Sections {
		if !s.Alloc || s.Size == 0 {
			assert.Empty(t, bySection[s.Name], "pieces of non-allocated or empty section %s", s.Name)
			continue
		}
		next := s.Addr
		var flash, ram uint64
		for _, p := range bySection[s.Name] {
			require.Equal(t, next, p.Addr, "section %s: piece %q does not start where the previous ended", s.Name, p.Symbol)
			require.NotZero(t, p.Size, "section %s: empty piece %q", s.Name, p.Symbol)
			next += p.Size
			flash += p.Flash
			ram += p.RAM
		}
		assert.Equal(t, s.Addr+s.Size, next, "section %s: pieces do not reach the end", s.Name)
		assert.Equal(t, s.Flash, flash, "section %s flash", s.Name)
		assert.Equal(t, s.RAM, ram, "section %s RAM", s.Name)
	}
	assert.Equal(t, report.SumPieces(rep.Pieces), rep.Totals)
}

func TestSynthFirmwareAllLayouts(t *testing.T) {
	for _, tc := range []struct {
		name  string
		class elf.Class
		bo    binary.ByteOrder
	}{
		{"elf32-le", elf.ELFCLASS32, binary.LittleEndian},
		{"elf32-be", elf.ELFCLASS32, binary.BigEndian},
		{"elf64-le", elf.ELFCLASS64, binary.LittleEndian},
		{"elf64-be", elf.ELFCLASS64, binary.BigEndian},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rep := analyzeBytes(t, synthFirmware(tc.class, tc.bo), Options{Demangle: true, Files: true, ModelOps: TFLiteOps})
			checkCoverage(t, rep)
			assert.Equal(t, report.Berkeley{Text: 16 + 0x40 + 76, Data: 8, BSS: 40}, rep.Berkeley)
			assert.Equal(t, report.Totals{Flash: 16 + 0x40 + 76 + 8, RAM: 48}, rep.Totals)
			assert.Equal(t, []string{"no DWARF debug info: source files are unknown"}, rep.Warnings)

			names := map[string]uint64{}
			for _, p := range rep.Pieces {
				names[p.Symbol] += p.Size
			}
			assert.Equal(t, uint64(16), names["main"], "alias counted once, under the global name")
			assert.NotContains(t, names, "main_alias")
			assert.Equal(t, uint64(12), names["tflite::Register_CONV_2D()"], "demangled")
			assert.Equal(t, uint64(8), names["Reset_Handler"])
			assert.Equal(t, uint64(12), names["[.rodata: unattributed]"])
			// Padding: 8 bytes before main, 4 after counter, 8 before buf.
			assert.Equal(t, uint64(20), names["[padding]"])
			assert.Equal(t, uint64(20), names["[.text: unattributed]"])
			assert.Equal(t, uint64(16), names["[.bss: unattributed]"])

			// The Thumb bit is cleared: Reset_Handler starts at 0x08000010.
			for _, p := range rep.Pieces {
				if p.Symbol == "Reset_Handler" {
					assert.Equal(t, uint64(0x08000010), p.Addr)
				}
			}
			require.Len(t, rep.Models, 1)
			assert.Equal(t, "g_model", rep.Models[0].Symbol)
			assert.Equal(t, uint64(64), rep.Models[0].Size)
			assert.NotEmpty(t, rep.Models[0].Error, "zeros after TFL3 are no model")
			assert.Empty(t, rep.Models[0].Ops)

			var data report.Section
			for _, s := range rep.Sections {
				if s.Name == ".data" {
					data = s
				}
			}
			assert.Equal(t, uint64(0x08000100), data.LMA)
			assert.Equal(t, uint64(8), data.Flash, ".data costs flash for its initialiser")
			assert.Equal(t, uint64(8), data.RAM)
		})
	}
}

func TestModelOpsHook(t *testing.T) {
	data := synthFirmware(elf.ELFCLASS32, binary.BigEndian)
	var seen []byte
	rep := analyzeBytes(t, data, Options{ModelOps: func(model []byte) ([]string, error) {
		seen = model
		return []string{"CONV_2D", "SOFTMAX"}, nil
	}})
	require.Len(t, rep.Models, 1)
	assert.Equal(t, []string{"CONV_2D", "SOFTMAX"}, rep.Models[0].Ops)
	require.Len(t, seen, 64)
	assert.Equal(t, "TFL3", string(seen[4:8]), "the decoder gets the model's own bytes")

	rep = analyzeBytes(t, data, Options{ModelOps: func([]byte) ([]string, error) {
		return nil, errors.New("bad flatbuffer")
	}})
	assert.Equal(t, "bad flatbuffer", rep.Models[0].Error)
	assert.Empty(t, rep.Models[0].Ops)
}

func TestSizeAListing(t *testing.T) {
	rep := analyzeBytes(t, synthFirmware(elf.ELFCLASS32, binary.LittleEndian), Options{})
	var names []string
	for _, s := range rep.Sections {
		names = append(names, s.Name)
	}
	// size -A lists the comment but not the symbol and string tables.
	assert.Equal(t, []string{".isr_vector", ".text", ".rodata", ".data", ".bss", ".comment"}, names)
}

func TestStrippedStillWorks(t *testing.T) {
	secs := []synthSection{
		{name: ".text", typ: elf.SHT_PROGBITS, flags: elf.SHF_ALLOC | elf.SHF_EXECINSTR, addr: 0x1000, data: make([]byte, 100)},
	}
	data := synthELF(elf.ELFCLASS32, binary.LittleEndian, elf.EM_ARM, secs, nil, []synthSegment{{first: 1, last: 1, flags: elf.PF_R | elf.PF_X, paddr: 0x1000}})
	rep := analyzeBytes(t, data, Options{})
	checkCoverage(t, rep)
	require.Len(t, rep.Pieces, 1)
	assert.Equal(t, "[.text]", rep.Pieces[0].Symbol)
	assert.Equal(t, []string{"no symbols (stripped): bytes are attributed to sections only"}, rep.Warnings)
}

func TestBadInput(t *testing.T) {
	good := synthFirmware(elf.ELFCLASS32, binary.LittleEndian)
	cases := map[string][]byte{
		"empty":      {},
		"not an ELF": []byte("#!/bin/sh\necho hello, this is not an ELF file at all\n"),
		"bad class":  append([]byte{0x7f, 'E', 'L', 'F', 9, 1, 1}, make([]byte, 60)...),
	}
	for _, n := range []int{4, 20, 51, 60, 100, len(good) / 2, len(good) - 1} {
		cases["truncated at "+strconv.Itoa(n)] = good[:n]
	}
	shPastEnd := bytes.Clone(good)
	binary.LittleEndian.PutUint32(shPastEnd[32:], uint32(len(good)-8)) // e_shoff
	cases["section headers past the end"] = shPastEnd
	absurd := bytes.Clone(good)
	binary.LittleEndian.PutUint16(absurd[48:], 0xfff0) // e_shnum
	cases["absurd section count"] = absurd
	phAbsurd := bytes.Clone(good)
	binary.LittleEndian.PutUint16(phAbsurd[44:], 0xffff) // e_phnum
	cases["absurd program header count"] = phAbsurd

	for name, data := range cases {
		t.Run(name, func(t *testing.T) {
			_, err := Analyze(bytes.NewReader(data), int64(len(data)), Options{Files: true, Demangle: true})
			require.Error(t, err)
			assert.NotContains(t, err.Error(), "\n")
			var fe *FormatError
			assert.True(t, errors.As(err, &fe), "want a *FormatError, got %T: %v", err, err)
		})
	}
}
