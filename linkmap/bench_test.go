package linkmap

import (
	"bytes"
	"fmt"
	"os"
	"runtime"
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

// bigLLDMap is bigGNUMap in lld's layout.
func bigLLDMap(size int) []byte {
	var body bytes.Buffer
	addr := uint64(0x08000000)
	for i := 0; body.Len() < size; i++ {
		fmt.Fprintf(&body, "%8x %8x %8x %5d         /opt/toolchain/lib/thumb/v7e-m+fp/hard/libtflm.a(conv%d.o):(.text._ZN6tflite3ops5micro4conv%dEv)\n", addr, addr, 0x7c, 4, i%200, i)
		fmt.Fprintf(&body, "%8x %8x %8x %5d                 $t\n", addr, addr, 0, 1)
		fmt.Fprintf(&body, "%8x %8x %8x %5d                 _ZN6tflite3ops5micro4conv%dEv\n", addr+1, addr+1, 0x7c, 1, i)
		addr += 0x7c
		fmt.Fprintf(&body, "%8x %8x %8x %5d         build/obj/app/helper%d.o:(.text.helper%d)\n", addr, addr, 0x22, 2, i%50, i)
		fmt.Fprintf(&body, "%8x %8x %8x %5d                 helper%d\n", addr+1, addr+1, 0x22, 1, i)
		addr += 0x24
	}
	var b bytes.Buffer
	b.WriteString("     VMA      LMA     Size Align Out     In      Symbol\n")
	fmt.Fprintf(&b, "%8x %8x %8x %5d .text\n", 0x08000000, 0x08000000, addr-0x08000000, 16)
	b.Write(body.Bytes())
	return b.Bytes()
}

func BenchmarkParseGNU50MB(b *testing.B) { benchParse(b, bigGNUMap(50<<20)) }

func BenchmarkParseLLD50MB(b *testing.B) { benchParse(b, bigLLDMap(50<<20)) }

// benchParse parses data repeatedly and also reports the heap the parsed
// map keeps alive (live-B), which is what must stay proportional to the
// number of input sections.
func benchParse(b *testing.B, data []byte) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	m, err := Parse(bytes.NewReader(data), "big.map", Options{})
	if err != nil {
		b.Fatal(err)
	}
	runtime.GC()
	runtime.ReadMemStats(&after)
	if len(m.OutputSections) != 1 || len(m.OutputSections[0].Inputs) < 1000 {
		b.Fatal("want one output section with many inputs")
	}
	live := float64(after.HeapAlloc) - float64(before.HeapAlloc)
	inputs := len(m.OutputSections[0].Inputs)
	runtime.KeepAlive(m)
	m = nil

	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "big.map", Options{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(live, "live-B")
	b.ReportMetric(live/float64(inputs), "live-B/input")
}

// BenchmarkParseM4F parses the real Cortex-M4F GNU map.
func BenchmarkParseM4F(b *testing.B) {
	data, err := os.ReadFile(fw + "/cortex-m4f/firmware.map")
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(bytes.NewReader(data), "m4f.map", Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
