package reach

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/linkmap"
)

func variant(t testing.TB, name string) string {
	return filepath.Join("..", "testdata", "firmware", "out", "variants", name)
}

func open(t testing.TB, dir string) (*callgraph.Program, *Objects) {
	t.Helper()
	p, err := callgraph.Open(filepath.Join(dir, "firmware.elf"))
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(dir, "firmware.map"))
	require.NoError(t, err)
	defer f.Close()
	m, err := linkmap.Parse(f, "firmware.map", linkmap.Options{})
	require.NoError(t, err)
	return p, NewObjects(m)
}

// berkeleyText reads the text column of binutils' size output.
func berkeleyText(t testing.TB, dir string) int64 {
	data, err := os.ReadFile(filepath.Join(dir, "size.txt"))
	require.NoError(t, err)
	fields := strings.Fields(strings.Split(string(data), "\n")[1])
	n, err := strconv.ParseInt(fields[0], 10, 64)
	require.NoError(t, err)
	return n
}

func opCost(t testing.TB, r *OpsReport, op string) OpCost {
	for _, o := range r.Ops {
		if o.Op == op {
			return o
		}
	}
	t.Fatalf("no op %s", op)
	return OpCost{}
}

// TestOpCostMatchesRebuilds checks the exclusive cost of an op against the
// flash a real relink without it saves: the extra-kernel variant adds MUL
// to base, fewer-kernel drops SOFTMAX from it.
func TestOpCostMatchesRebuilds(t *testing.T) {
	for _, c := range []struct {
		op, with, without string
	}{
		{"MUL", "extra-kernel", "base"},
		{"SOFTMAX", "base", "fewer-kernel"},
	} {
		p, objs := open(t, variant(t, c.with))
		cost := opCost(t, Ops(p, objs), c.op)
		measured := berkeleyText(t, variant(t, c.with)) - berkeleyText(t, variant(t, c.without))
		predicted := int64(cost.Exclusive.Flash)
		t.Logf("%s: exclusive %d bytes, measured text delta %d (%+.1f%%)", c.op, predicted, measured, 100*float64(predicted-measured)/float64(measured))
		assert.InDelta(t, measured, predicted, 0.05*float64(measured), c.op)
		assert.GreaterOrEqual(t, cost.Inclusive.Flash, cost.Exclusive.Flash)
	}
}

// TestOpsPartitionRealFirmware checks, on real TFLM firmware, that the
// ops' exclusive bytes, the shared helpers, the runtime core and the model
// add up to the TFLM total with nothing counted twice, and that the TFLM
// archives' code lands in those rows.
func TestOpsPartitionRealFirmware(t *testing.T) {
	for _, fw := range []string{"fw_hello", "fw_micro_speech", "fw_micro_speech_cmsis"} {
		t.Run(fw, func(t *testing.T) {
			p, objs := open(t, sharedtest.Path(t, "firmware", fw))
			r := Ops(p, objs)
			require.NotEmpty(t, r.Ops)
			var sum Bytes
			for _, o := range r.Ops {
				sum.add(o.Exclusive)
				assert.NotEmpty(t, o.Objects, o.Op)
			}
			sum.add(r.Shared)
			sum.add(r.Core)
			sum.add(r.Model)
			assert.Equal(t, r.TFLM, sum)

			// Every TFLM or CMSIS-NN function the firmware runs is in a
			// TFLM row, unless the application calls it itself.
			var tflm, charged uint64
			for i, n := range p.Nodes {
				o := objs.At(n.Addr)
				if n.Kind != callgraph.Func || !(strings.HasPrefix(o, "libtflm") || strings.HasPrefix(o, "libcmsis-nn")) {
					continue
				}
				tflm += n.Size
				if r.categoryOf(i) != "" {
					charged += n.Size
				}
			}
			t.Logf("%s: TFLM total %d; %d of %d bytes of TFLM/CMSIS-NN functions in TFLM rows", fw, r.TFLM.Flash, charged, tflm)
			assert.GreaterOrEqual(t, float64(charged), 0.97*float64(tflm))

			var truth struct {
				Model struct{ Size uint64 } `json:"model"`
			}
			data, err := os.ReadFile(sharedtest.Path(t, "firmware", fw, "ground_truth.json"))
			require.NoError(t, err)
			require.NoError(t, json.Unmarshal(data, &truth))
			assert.Equal(t, truth.Model.Size, r.Model.Flash)
		})
	}
}

func TestWhy(t *testing.T) {
	p, objs := open(t, variant(t, "base"))
	i, err := Lookup(p, "expf")
	require.NoError(t, err)
	w := Explain(p, i, false, objs)
	require.Len(t, w.Chains, 1)
	c := w.Chains[0]
	assert.Equal(t, "main", c.Root)
	last := c.Steps[len(c.Steps)-1]
	assert.Equal(t, "expf", last.To)
	assert.Equal(t, "call", last.Kind)
	assert.Contains(t, last.Object, "libm.a(")
	var path []string
	for _, s := range c.Steps {
		path = append(path, s.To)
	}
	assert.Contains(t, strings.Join(path, " > "), "tflite::Register_SOFTMAX()")

	all := Explain(p, i, true, objs)
	assert.GreaterOrEqual(t, len(all.Chains), 2, "reset handler and main")

	_, err = Lookup(p, "Register_SOFTMX")
	assert.ErrorContains(t, err, "Register_SOFTMAX")
	i, err = Lookup(p, "0x08000000")
	require.NoError(t, err)
	assert.Equal(t, "g_pfnVectors", p.Nodes[i].Name)
}

func TestUnreachable(t *testing.T) {
	p, _ := open(t, variant(t, "base"))
	c := NewClassifier(p)
	counts := map[Class]int{}
	for i := range p.Nodes {
		counts[c.Of(p.Nodes[i].Addr)]++
	}
	assert.Positive(t, counts[FromMain])
	i, err := Lookup(p, "main")
	require.NoError(t, err)
	assert.Equal(t, FromMain, c.Of(p.Nodes[i].Addr))
}
