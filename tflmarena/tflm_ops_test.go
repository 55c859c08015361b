package tflmarena

import (
	"bufio"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tflmOpsDir holds the one-operator models of the runtime's differential
// tests and what real TFLM (reference kernels, built for x86-64) measured
// for each: see testdata/tflm_ops/README.md.
const tflmOpsDir = "../testdata/tflm_ops"

// tflmOpsResult is the part of a results.jsonl line the arena test reads.
type tflmOpsResult struct {
	Case           string `json:"case"`
	Status         string `json:"status"`
	ArenaUsedBytes int64  `json:"arena_used_bytes"`
	ArenaHeadBytes int64  `json:"arena_head_bytes"`
	ArenaTailBytes int64  `json:"arena_tail_bytes"`
	MinArenaBytes  int64  `json:"min_arena_bytes"`
}

// notModelledCases are the cases whose operators the arena model does not
// know yet: their estimate must say so, and is not compared.
var notModelledCases = map[string]string{
	// The resource variables live in the MicroResourceVariables the
	// application creates in the arena (the harness: 16 variables) and in
	// buffers ASSIGN_VARIABLE allocates on first use.
	"variable_float32_init":  "VAR_HANDLE",
	"variable_float32_fresh": "VAR_HANDLE",
	"variable_int8_fresh":    "VAR_HANDLE",
}

// TestTFLMOpsArena predicts the host64 arena of every one-operator case
// TFLM allocated and compares both numbers, the head and the tail with
// what TFLM measured, byte for byte. Every operator of the cases is
// modelled, so every estimate must be exact.
func TestTFLMOpsArena(t *testing.T) {
	f, err := os.Open(filepath.Join(tflmOpsDir, "results.jsonl"))
	require.NoError(t, err)
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	measured := 0
	for sc.Scan() {
		var r tflmOpsResult
		require.NoError(t, json.Unmarshal(sc.Bytes(), &r))
		if r.Status != "ok" && r.Status != "invoke_failed" {
			continue
		}
		measured++
		t.Run(r.Case, func(t *testing.T) {
			m := loadModel(t, filepath.Join(tflmOpsDir, "models", r.Case+".tflite"))
			est, err := EstimateArena(m, Host64)
			require.NoError(t, err)
			if op, ok := notModelledCases[r.Case]; ok {
				require.False(t, est.Exact)
				assert.Contains(t, est.Reasons[0], op)
				return
			}
			require.True(t, est.Exact, "reasons: %v", est.Reasons)
			assert.Equal(t, r.ArenaUsedBytes, est.ArenaUsedBytes, "arena_used_bytes")
			assert.Equal(t, r.ArenaHeadBytes, est.Head, "head")
			assert.Equal(t, r.ArenaTailBytes, est.Tail, "tail")
			if r.Status == "ok" {
				assert.Equal(t, r.MinArenaBytes, est.MinArenaBytes, "min_arena_bytes")
			}
		})
	}
	require.NoError(t, sc.Err())
	require.Positive(t, measured)
}
