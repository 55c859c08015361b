package stack

import (
	"bufio"
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
)

// stackTest is the shared fw_stacktest program: known frames, measured
// under qemu (856 bytes at most: Reset_C 8 + main 24 + a 112 + b 312 +
// c 200 + the 104-byte FP exception frame + SysTick_Handler 96).
func stackTest(t *testing.T) *callgraph.Program {
	t.Helper()
	p, err := callgraph.Open(sharedtest.Path(t, "stack", "fw_stacktest", "firmware.elf"))
	require.NoError(t, err)
	return p
}

func TestStackTestWithoutFacts(t *testing.T) {
	r, err := Analyze(stackTest(t), Options{})
	require.NoError(t, err)
	assert.True(t, r.FPU)
	assert.EqualValues(t, ExceptionFrameFP, r.ExceptionFrame)
	reset := findRoot(t, r, "Reset_Handler")
	assert.Equal(t, "reset", reset.Kind)
	assert.True(t, reset.LowerBound, "recursion and alloca make it a lower bound")
	reasons := strings.Join(reset.Reasons, "; ")
	assert.Contains(t, reasons, "rec -> rec")
	assert.Contains(t, reasons, "vla_fn")
	assert.Contains(t, reasons, "alloca_fn")
	var path []string
	for _, f := range reset.Path {
		path = append(path, f.Function)
	}
	assert.Equal(t, []string{"Reset_Handler", "Reset_C", "main", "a", "b", "c"}, path)
	assert.EqualValues(t, 656, reset.Bytes)
	sys := findRoot(t, r, "SysTick_Handler")
	assert.Equal(t, []int{15}, sys.Vectors)
	assert.EqualValues(t, 96, sys.Bytes)
	assert.EqualValues(t, 656, r.Thread.Bytes)
	assert.EqualValues(t, 96+104, r.Interrupts.Bytes)
	assert.EqualValues(t, 856, r.Total.Bytes, "the measured maximum")
}

func TestStackTestWithFacts(t *testing.T) {
	facts, err := ParseFacts([]byte("calls:\n  main: [fp_target]\nrecursion:\n  rec: 11\n"))
	require.NoError(t, err)
	r, err := Analyze(stackTest(t), Options{Facts: facts, Entries: []string{"rec", "fp_target"}})
	require.NoError(t, err)
	// rec(10) measured 296 = Reset_C 8 + main 24 + 11 activations of 24.
	assert.EqualValues(t, 11*24, findRoot(t, r, "rec").Bytes)
	assert.False(t, findRoot(t, r, "rec").LowerBound)
	assert.EqualValues(t, 256, findRoot(t, r, "fp_target").Bytes)
	reset := findRoot(t, r, "Reset_Handler")
	assert.NotContains(t, strings.Join(reset.Reasons, "; "), "rec -> rec")
	assert.EqualValues(t, 856, r.Total.Bytes)
}

// TestFramesMatchStackUsage checks every function's frame against GCC's
// -fstack-usage figure where GCC calls it static.
func TestFramesMatchStackUsage(t *testing.T) {
	p := stackTest(t)
	f, err := os.Open(sharedtest.Path(t, "stack", "fw_stacktest", "su.tsv"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Scan() // header
	matched := 0
	for sc.Scan() {
		cols := strings.Split(sc.Text(), "\t")
		bytes, err := strconv.ParseInt(cols[2], 10, 64)
		require.NoError(t, err)
		i := p.Lookup(cols[0])
		require.GreaterOrEqual(t, i, 0, cols[0])
		if cols[3] == "static" {
			assert.Equal(t, bytes, p.Nodes[i].Frame, cols[0])
			matched++
		} else {
			assert.True(t, p.Nodes[i].DynamicStack, cols[0])
		}
	}
	assert.Greater(t, matched, 10)
}

func TestBadFacts(t *testing.T) {
	p := stackTest(t)
	_, err := ParseFacts([]byte("calls:\n  main: [fp_target]\nrecursoin: {}\n"))
	assert.ErrorContains(t, err, "recursoin")
	facts, err := ParseFacts([]byte("calls:\n  mian: [fp_target]\n"))
	require.NoError(t, err)
	_, err = Analyze(p, Options{Facts: facts})
	assert.ErrorContains(t, err, `no function named "mian"`)
	_, err = Analyze(p, Options{Entries: []string{"fp_targ"}})
	assert.ErrorContains(t, err, "did you mean fp_target")
}

func findRoot(t *testing.T, r *Report, name string) Root {
	t.Helper()
	for _, rt := range r.Roots {
		if rt.Name == name {
			return rt
		}
	}
	t.Fatalf("no root %s", name)
	return Root{}
}

// TestQEMUMeasurement checks the worst case of the test firmware's qemu
// build against the depth measured by painting its stack under
// qemu-system-arm (testdata/firmware/out/qemu-mps2-an386): the bound must
// hold and be within 25 % of the measurement, with and without SysTick.
func TestQEMUMeasurement(t *testing.T) {
	dir := filepath.Join("..", "testdata", "firmware", "out", "qemu-mps2-an386")
	p, err := callgraph.Open(filepath.Join(dir, "firmware.elf"))
	require.NoError(t, err)
	r, err := Analyze(p, Options{})
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(dir, "measured_stack.json"))
	require.NoError(t, err)
	var measured struct {
		WithSysTick    int64 `json:"measured_stack_bytes"`
		WithoutSysTick int64 `json:"measured_stack_bytes_without_systick"`
	}
	require.NoError(t, json.Unmarshal(data, &measured))
	assert.False(t, r.Total.LowerBound, "%v", r.Roots[0].Reasons)
	assert.Equal(t, "reset", r.Roots[0].Kind)
	for _, c := range []struct {
		name            string
		bound, measured int64
	}{
		{"thread mode (no SysTick)", r.Thread.Bytes, measured.WithoutSysTick},
		{"total (SysTick)", r.Total.Bytes, measured.WithSysTick},
	} {
		assert.GreaterOrEqual(t, c.bound, c.measured, c.name)
		assert.LessOrEqual(t, float64(c.bound), 1.25*float64(c.measured), c.name)
		t.Logf("%s: bound %d, measured %d (+%.1f%%)", c.name, c.bound, c.measured, 100*float64(c.bound-c.measured)/float64(c.measured))
	}
	require.NotNil(t, r.Reserved)
	assert.EqualValues(t, 4096, r.Reserved.Bytes)
	assert.EqualValues(t, 80, findRoot(t, r, "SysTick_Handler").Bytes, "SysTick_Handler's frame")
}
