package tflmarena

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// oracleRecord is the part of a shared/oracle JSON file the tests compare.
type oracleRecord struct {
	Status         string           `json:"status"`
	ArenaUsedBytes int64            `json:"arena_used_bytes"`
	ArenaHeadBytes int64            `json:"arena_head_bytes"`
	ArenaTailBytes int64            `json:"arena_tail_bytes"`
	MinArenaBytes  int64            `json:"min_arena_bytes"`
	Sizeof         map[string]int64 `json:"sizeof"`
	DefaultTail    map[string]int64 `json:"default_tail_usage"`
	Recording      struct {
		ArenaUsedBytes int64 `json:"arena_used_bytes"`
		Allocations    map[string]struct {
			Requested int64 `json:"requested_bytes"`
			Used      int64 `json:"used_bytes"`
			Count     int   `json:"count"`
		} `json:"allocations"`
	} `json:"recording"`
}

// oracleCase is one model measured on one target.
type oracleCase struct {
	name   string
	model  string
	abi    ABI
	oracle oracleRecord
}

func oracleCases(t *testing.T) []oracleCase {
	shared := sharedtest.Dir(t)
	files, err := filepath.Glob(filepath.Join(shared, "oracle", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var cases []oracleCase
	for _, abi := range Targets() {
		dir := filepath.Join(shared, "oracle")
		if abi.Name == Host64.Name {
			dir = filepath.Join(dir, "host64")
		}
		for _, f := range files {
			base := strings.TrimSuffix(filepath.Base(f), ".json")
			cases = append(cases, oracleCase{
				name:   abi.Name + "/" + base,
				model:  filepath.Join(shared, "models", base+".tflite"),
				abi:    abi,
				oracle: readOracle(t, filepath.Join(dir, base+".json")),
			})
		}
	}
	return cases
}

// readOracle reads one shared/oracle JSON file.
func readOracle(t *testing.T, path string) oracleRecord {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	var rec oracleRecord
	require.NoError(t, json.Unmarshal(raw, &rec))
	return rec
}

func loadModel(t testing.TB, path string) *tflite.Model {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := tflite.Parse(raw)
	require.NoError(t, err)
	return m
}

// notExact lists the shared models whose arena we cannot predict exactly,
// with the reason; they must come out flagged as not exact.
var notExact = map[string]string{
	// The Ethos-U custom operator is not part of stock TFLM's reference
	// kernels: AllocateTensors fails, so the oracle has no numbers.
	"tflm_models__person_detect_vela": "CUSTOM:ethos-u",
}

// TestOracle compares both numbers, the head and the tail with real TFLM's
// for every shared model on both targets, byte for byte.
func TestOracle(t *testing.T) { checkOracle(t, oracleCases(t)) }

// checkOracle compares each case's estimate with its oracle: both numbers,
// the head and the tail, or for the notExact models the flag and reason.
func checkOracle(t *testing.T, cases []oracleCase) {
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			est, err := EstimateArena(loadModel(t, c.model), c.abi)
			require.NoError(t, err)
			if op, ok := notExact[filepath.Base(strings.TrimSuffix(c.model, ".tflite"))]; ok {
				assert.False(t, est.Exact)
				require.NotEmpty(t, est.Reasons)
				assert.Contains(t, est.Reasons[0], op)
				assert.NotEqual(t, "ok", c.oracle.Status)
				return
			}
			require.Equal(t, "ok", c.oracle.Status)
			assert.True(t, est.Exact, "reasons: %v", est.Reasons)
			assert.Equal(t, c.oracle.ArenaUsedBytes, est.ArenaUsedBytes, "arena_used_bytes")
			assert.Equal(t, c.oracle.ArenaHeadBytes, est.Head, "head")
			assert.Equal(t, c.oracle.ArenaTailBytes, est.Tail, "tail")
			assert.Equal(t, c.oracle.MinArenaBytes, est.MinArenaBytes, "min_arena_bytes")
		})
	}
}

// TestOracleRecording replays the model with RecordingMicroAllocator's
// allocator objects and compares every category of its breakdown
// (requested bytes, used bytes with padding, count) with real TFLM's.
func TestOracleRecording(t *testing.T) { checkRecordings(t, oracleCases(t)) }

// checkRecordings runs checkRecording on every case whose oracle ran.
func checkRecordings(t *testing.T, cases []oracleCase) {
	for _, c := range cases {
		if c.oracle.Status != "ok" {
			continue
		}
		t.Run(c.name, func(t *testing.T) { checkRecording(t, c) })
	}
}

// checkRecording replays c's model with RecordingMicroAllocator's objects
// and compares every category of the breakdown with c's oracle.
func checkRecording(t *testing.T, c oracleCase) {
	m := loadModel(t, c.model)
	b := builder{m: m, abi: c.abi}
	events, _, err := b.build(true)
	require.NoError(t, err)
	run := replay(events, 0)
	assert.Equal(t, c.oracle.Recording.ArenaUsedBytes, run.head+run.tail, "recording arena_used_bytes")

	type total struct {
		requested, used int64
		count           int
	}
	got := map[Category]*total{}
	i := 0
	for _, e := range events {
		if e.kind != evPersistent {
			continue
		}
		tt := got[e.alloc.Category]
		if tt == nil {
			tt = &total{}
			got[e.alloc.Category] = tt
		}
		tt.requested += e.size
		tt.used += run.used[i]
		tt.count++
		i++
	}
	// TFLM counts elements, not arrays, for these two.
	if tt := got[EvalTensors]; tt != nil {
		tt.count = 0
		for _, sg := range m.Subgraphs {
			tt.count += len(sg.Tensors)
		}
	}
	if tt := got[NodeAndRegistrations]; tt != nil {
		tt.count = 0
		for _, sg := range m.Subgraphs {
			tt.count += len(sg.Operators)
		}
	}
	for name, want := range c.oracle.Recording.Allocations {
		g := got[Category(name)]
		if g == nil {
			g = &total{}
		}
		assert.Equal(t, want.Requested, g.requested, "%s requested", name)
		assert.Equal(t, want.Used, g.used, "%s used", name)
		assert.Equal(t, want.Count, g.count, "%s count", name)
	}
}

// TestABIMatchesOracleSizeof checks the ABI data against the sizeof figures
// the oracle measured with the same compilers, and MicroAllocator's default
// tail usage (its objects, each rounded up to its alignment).
func TestABIMatchesOracleSizeof(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range oracleCases(t) {
		if seen[c.abi.Name] {
			continue
		}
		seen[c.abi.Name] = true
		a := c.abi
		want := map[string]Layout{
			"TfLiteTensor":                        a.TfLiteTensor,
			"TfLiteEvalTensor":                    a.TfLiteEvalTensor,
			"NodeAndRegistration":                 a.NodeAndRegistration,
			"MicroAllocator":                      a.MicroAllocator,
			"RecordingMicroAllocator":             a.RecordingMicroAllocator,
			"SingleArenaBufferAllocator":          a.SingleArenaBufferAllocator,
			"RecordingSingleArenaBufferAllocator": a.RecordingSingleArenaBufferAllocator,
			"GreedyMemoryPlanner":                 a.GreedyMemoryPlanner,
			"SubgraphAllocations":                 a.SubgraphAllocations,
			"ScratchBufferHandle":                 a.ScratchBufferHandle,
		}
		for name, l := range want {
			assert.Equal(t, c.oracle.Sizeof[name], l.Size, "%s sizeof(%s)", a.Name, name)
		}
		up := func(l Layout) int64 { return alignUp(l.Size, l.Align) }
		tail := up(a.SingleArenaBufferAllocator) + up(a.MicroAllocator) + up(a.MicroBuiltinDataAllocator) +
			up(a.SubgraphAllocations) + up(a.GreedyMemoryPlanner)
		assert.Equal(t, c.oracle.DefaultTail["MicroAllocator"], tail, "%s default tail usage", a.Name)
	}
	assert.Len(t, seen, 2)
}
