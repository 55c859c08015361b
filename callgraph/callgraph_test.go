package callgraph

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// targets are the test firmware builds, each with GCC's stack usage.
var targets = []string{"cortex-m4f", "cortex-m4f-lld", "cortex-m0plus", "rv32imc", "host-x86_64", "qemu-mps2-an386"}

func firmware(t testing.TB, target string) string {
	return filepath.Join("..", "testdata", "firmware", "out", target, "firmware.elf")
}

// gccFrame is one function's frame as GCC's -fcallgraph-info=su gives it.
type gccFrame struct {
	name      string // assembler (mangled) name
	decl      string // the C/C++ declaration
	bytes     int64
	qualifier string // static, dynamic, "dynamic,bounded"
}

// ciNode matches a node of GCC's callgraph.ci (VCG) with a stack figure:
// the title is the assembler name, "file:" first for a local function.
var ciNode = regexp.MustCompile(`node: \{ title: "(?:[^":]*:)?([^"]+)" label: "([^"\\]*)\\n[^"]*\\n(\d+) bytes \(([a-z,]+)\)"`)

// readGCCFrames reads callgraph.ci; the same figures are in stack-usage.su,
// which names functions by their C++ declarations rather than symbols.
func readGCCFrames(t testing.TB, target string) []gccFrame {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "firmware", "out", target, "callgraph.ci"))
	require.NoError(t, err)
	var out []gccFrame
	for _, m := range ciNode.FindAllStringSubmatch(string(data), -1) {
		n, err := strconv.ParseInt(m[3], 10, 64)
		require.NoError(t, err)
		out = append(out, gccFrame{m[1], m[2], n, m[4]})
	}
	su, err := os.ReadFile(filepath.Join("..", "testdata", "firmware", "out", target, "stack-usage.su"))
	require.NoError(t, err)
	require.Equal(t, strings.Count(string(su), "\n"), len(out), "callgraph.ci and stack-usage.su list the same functions")
	return out
}

// TestFramesMatchGCC checks the frame decoded from the machine code of
// every function GCC compiled for our firmware against GCC's own figure.
// GCC leaves out of a variadic function's figure the 16 bytes its ARM
// prologue pushes for r0-r3 (the "pretend args"); the machine code has them.
func TestFramesMatchGCC(t *testing.T) {
	for _, target := range targets {
		t.Run(target, func(t *testing.T) {
			p, err := Open(firmware(t, target))
			require.NoError(t, err)
			byName := map[string][]int64{}
			for _, n := range p.Nodes {
				byName[n.Name] = append(byName[n.Name], n.Frame)
			}
			static, matched := 0, 0
			for _, g := range readGCCFrames(t, target) {
				i := p.Lookup(g.name)
				if i < 0 {
					continue // inlined everywhere or removed by --gc-sections
				}
				n := p.Nodes[i]
				switch g.qualifier {
				case "dynamic,bounded":
					// Pushes of call arguments: the SP moves inside the
					// body by a bounded amount, whose maximum GCC gives.
					assert.Equal(t, g.bytes, n.Frame, "%s (%s, %s)", g.name, g.decl, g.qualifier)
					continue
				case "dynamic":
					assert.True(t, n.DynamicStack, "%s: GCC says %s", g.name, g.qualifier)
					continue
				}
				static++
				want := g.bytes
				if (g.decl == ")" || strings.Contains(g.decl, "...")) && p.Machine == "ARM (Thumb)" {
					want += 16
				}
				if assert.Contains(t, byName[g.name], want, "%s (%s)", g.name, g.decl) {
					matched++
				}
				assert.False(t, n.DynamicStack, g.name)
			}
			t.Logf("%s: %d of %d static frames equal GCC's", target, matched, static)
			assert.Greater(t, static, 50)
		})
	}
}

// TestPLTCalls checks that calls into the PLT of a dynamic x86-64 image are
// named by the symbol their GOT slot imports.
func TestPLTCalls(t *testing.T) {
	p, err := Open(firmware(t, "host-x86_64"))
	require.NoError(t, err)
	var externals []string
	for _, n := range p.Nodes {
		for _, c := range n.Calls {
			if c.External != "" {
				externals = append(externals, c.External)
			}
		}
	}
	assert.Contains(t, externals, "expf@plt")
	assert.Contains(t, externals, "memcpy@plt")
	for _, e := range externals {
		assert.True(t, strings.HasSuffix(e, "@plt"), e)
	}
}
