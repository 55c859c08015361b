package callgraph

import (
	"bytes"
	"debug/elf"
	"encoding/binary"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/isa/thumb"
)

// qemuFirmware returns the bytes of the qemu test firmware and its parsed
// headers, for tests that damage it.
func qemuFirmware(t testing.TB) ([]byte, *elf.File) {
	data, err := os.ReadFile(firmware(t, "qemu-mps2-an386"))
	require.NoError(t, err)
	f, err := elf.NewFile(bytes.NewReader(data))
	require.NoError(t, err)
	return data, f
}

// fileOffset returns where the byte at addr is stored in the file.
func fileOffset(t testing.TB, f *elf.File, addr uint64) int {
	for _, s := range f.Sections {
		if s.Type == elf.SHT_PROGBITS && addr >= s.Addr && addr < s.Addr+s.Size {
			return int(s.Offset + addr - s.Addr)
		}
	}
	t.Fatalf("no section holds %#x", addr)
	return 0
}

// symbol returns a symbol and the file offset of its symbol-table entry.
func symbol(t testing.TB, f *elf.File, name string) (elf.Symbol, int) {
	syms, err := f.Symbols()
	require.NoError(t, err)
	tab := f.Section(".symtab")
	for i, s := range syms {
		if s.Name == name {
			return s, int(tab.Offset) + (i+1)*elf.Sym32Size
		}
	}
	t.Fatalf("no symbol %s", name)
	return elf.Symbol{}, 0
}

func loadBytes(t testing.TB, data []byte) (*Program, error) {
	t.Helper()
	return Load(bytes.NewReader(data), int64(len(data)))
}

func TestHostileImages(t *testing.T) {
	t.Run("not an ELF", func(t *testing.T) {
		_, err := loadBytes(t, []byte("TFL3 this is a model, not firmware"))
		assert.ErrorContains(t, err, "not a readable ELF file")
	})
	t.Run("truncated text", func(t *testing.T) {
		data, f := qemuFirmware(t)
		text := f.Section(".text")
		_, err := loadBytes(t, data[:text.Offset+text.Size/2])
		require.Error(t, err)
		assert.NotContains(t, err.Error(), "\n")
	})
	t.Run("code ends mid-instruction", func(t *testing.T) {
		data, f := qemuFirmware(t)
		// A function whose first instruction is 32 bits long, cut in two.
		syms, err := f.Symbols()
		require.NoError(t, err)
		name := ""
		for _, s := range syms {
			if elf.ST_TYPE(s.Info) != elf.STT_FUNC || s.Size < 4 {
				continue
			}
			if in, err := thumb.NewDecoder().Decode(data[fileOffset(t, f, s.Value&^1):][:4], s.Value&^1); err == nil && in.Len == 4 {
				name = s.Name
				break
			}
		}
		require.NotEmpty(t, name)
		_, at := symbol(t, f, name)
		binary.LittleEndian.PutUint32(data[at+8:], 2)
		p, err := loadBytes(t, data)
		require.NoError(t, err)
		n := p.Nodes[p.Lookup(name)]
		assert.Contains(t, strings.Join(n.Problems, "; "), "ends mid-instruction", name)
	})
	t.Run("branch target outside every section", func(t *testing.T) {
		data, f := qemuFirmware(t)
		p, err := loadBytes(t, data)
		require.NoError(t, err)
		var site uint64
		for _, c := range p.Nodes[p.Lookup("main")].Calls {
			if c.Kind == Direct {
				site = c.Site
				break
			}
		}
		require.NotZero(t, site)
		// bl with the largest backward offset: far below address 0.
		copy(data[fileOffset(t, f, site):], []byte{0x00, 0xf4, 0x00, 0xd0})
		p, err = loadBytes(t, data)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(p.Nodes[p.Lookup("main")].Problems, "; "), "which is in no function")
	})
	t.Run("vector table pointing nowhere", func(t *testing.T) {
		data, f := qemuFirmware(t)
		vectors := f.Section(".isr_vector")
		require.NotNil(t, vectors)
		binary.LittleEndian.PutUint32(data[vectors.Offset+15*4:], 0x1234567) // SysTick
		p, err := loadBytes(t, data)
		require.NoError(t, err)
		assert.Contains(t, strings.Join(p.Warnings, "; "), "vector 15 of")
		assert.Equal(t, -1, p.Vectors[15])
	})
	t.Run("stripped", func(t *testing.T) {
		data, f := qemuFirmware(t)
		// Turn .symtab into a section of no type, as if stripped.
		shoff := binary.LittleEndian.Uint32(data[0x20:])
		for i, s := range f.Sections {
			if s.Type == elf.SHT_SYMTAB {
				binary.LittleEndian.PutUint32(data[int(shoff)+i*40+4:], uint32(elf.SHT_NULL))
			}
		}
		_, err := loadBytes(t, data)
		assert.ErrorContains(t, err, "no function symbols")
	})
	t.Run("huge claimed section", func(t *testing.T) {
		data, f := qemuFirmware(t)
		text := f.Section(".text")
		// Patch .text's sh_size in the section header table.
		for i, s := range f.Sections {
			if s == text {
				shoff := binary.LittleEndian.Uint32(data[0x20:])
				binary.LittleEndian.PutUint32(data[int(shoff)+i*40+20:], 0xfffffff0)
			}
		}
		_, err := loadBytes(t, data)
		assert.ErrorContains(t, err, "runs past the end")
	})
}

// FuzzLoad feeds damaged firmware images to Load: it must return an error
// or a program, never panic.
func FuzzLoad(f *testing.F) {
	data, err := os.ReadFile(firmware(f, "qemu-mps2-an386"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/3])
	f.Add(data[:64])
	f.Fuzz(func(t *testing.T, b []byte) {
		p, err := Load(bytes.NewReader(b), int64(len(b)))
		if err == nil && p == nil {
			t.Fatal("nil program without error")
		}
	})
}
