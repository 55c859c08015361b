package linkmap

import (
	"bytes"
	"fmt"
	"os"
	"testing"
)

// bigGNUMap generates a GNU ld map of at least size bytes by repeating
// realistic input-section lines (archive members, wrapped names, symbols,
// fill) inside one .text section, so the benchmark needs no committed file.
func bigGNUMap(size int) []byte {
	var b bytes.Buffer
	b.WriteString("Memory Configuration\n\nName             Origin             Length             Attributes\n")
	b.WriteString("FLASH            0x08000000         0x10000000         xr\n\nLinker script and memory map\n\n")
	var body bytes.Buffer
	addr := uint64(0x08000000)
	for i := 0; body.Len() < size; i++ {
		fmt.Fprintf(&body, " .text._ZN6tflite3ops5micro4conv%dEv\n                0x%08x       0x%x /opt/toolchain/lib/thumb/v7e-m+fp/hard/libtflm.a(conv%d.o)\n                0x%08x                _ZN6tflite3ops5micro4conv%dEv\n", i, addr, 0x7c, i%200, addr, i)
		addr += 0x7c
		fmt.Fprintf(&body, " .text.helper%d  0x%08x       0x22 build/obj/app/helper%d.o\n                0x%08x                helper%d\n", i, addr, i%50, addr, i)
		addr += 0x22
		fmt.Fprintf(&body, " *fill*         0x%08x        0x2 \n", addr)
		addr += 2
	}
	fmt.Fprintf(&b, ".text           0x08000000 0x%x\n", addr-0x08000000)
	b.Write(body.Bytes())
	return b.Bytes()
}

func BenchmarkParseGNU50MB(b *testing.B) {
	data := bigGNUMap(50 << 20)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		m, err := Parse(bytes.NewReader(data), "big.map", Options{})
		if err != nil {
			b.Fatal(err)
		}
		if len(m.OutputSections) != 1 {
			b.Fatal("want one output section")
		}
	}
}

// BenchmarkParseM4F parses the real Cortex-M4F GNU map.
func BenchmarkParseM4F(b *testing.B) {
	data := readFile(b, fw+"/cortex-m4f/firmware.map")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "m4f.map", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func readFile(b *testing.B, path string) []byte {
	data, err := os.ReadFile(path)
	if err != nil {
		b.Fatal(err)
	}
	return data
}
