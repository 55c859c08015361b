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

// harnessABI is the harness's target abi with room for 16 resource
// variables (its MicroResourceVariables::Create) for models with VAR_HANDLE.
func harnessABI(abi ABI) ABI {
	abi.ResourceVariables = 16
	return abi
}

// TestTFLMOpsArena predicts the host64 arena of every one-operator case
// TFLM allocated and compares both numbers, the head and the tail with
// what TFLM measured, byte for byte. Every operator of the cases is
// modelled, so every estimate must be exact.
func TestTFLMOpsArena(t *testing.T) {
	checkTFLMOpsArena(t, "results.jsonl", harnessABI(Host64))
}

// TestTFLMOpsArenaCortexM is TestTFLMOpsArena for the 32-bit Cortex-M ABI:
// the same models run on TFLM built for a Cortex-M4 and emulated
// (results_cortex-m4.jsonl, see the README).
func TestTFLMOpsArenaCortexM(t *testing.T) {
	checkTFLMOpsArena(t, "results_cortex-m4.jsonl", harnessABI(CortexM))
}

// checkTFLMOpsArena compares abi's estimates with the figures of results
// (a file of tflmOpsDir): used, head and tail for every case TFLM
// allocated, and the minimum arena where the harness measured it.
func checkTFLMOpsArena(t *testing.T, results string, abi ABI) {
	f, err := os.Open(filepath.Join(tflmOpsDir, results))
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
			est, err := EstimateArena(m, abi)
			require.NoError(t, err)
			require.True(t, est.Exact, "reasons: %v", est.Reasons)
			assert.Equal(t, r.ArenaUsedBytes, est.ArenaUsedBytes, "arena_used_bytes")
			assert.Equal(t, r.ArenaHeadBytes, est.Head, "head")
			assert.Equal(t, r.ArenaTailBytes, est.Tail, "tail")
			if r.Status == "ok" && r.MinArenaBytes > 0 {
				b := builder{m: m, abi: abi}
				events, _, err := b.build(false)
				require.NoError(t, err)
				assert.Equal(t, r.MinArenaBytes, harnessBisection(events, est.ArenaUsedBytes), "min_arena_bytes")
				assert.LessOrEqual(t, est.MinArenaBytes, r.MinArenaBytes, "smallest working arena")
				assert.True(t, fits(events, est.MinArenaBytes), "smallest working arena")
			}
		})
	}
	require.NoError(t, sc.Err())
	require.Positive(t, measured)
}

// harnessBisection is the harness's search for min_arena_bytes
// (tflm_run.cc) run on the model's checks: from 0 and the used bytes plus
// 4096 (doubled until it fits), bisect to the first size that fits. Where
// a band of larger arenas fails (a field moving under a persistent write,
// see conflicts.go) the bisection can land above the smallest working
// arena, which is EstimateArena's minimum.
func harnessBisection(events []event, used int64) int64 {
	const big = 4 << 20
	lo, hi := int64(0), used+4096
	for !fits(events, hi) && hi < big {
		hi *= 2
	}
	for lo+1 < hi {
		mid := lo + (hi-lo)/2
		if fits(events, mid) {
			hi = mid
		} else {
			lo = mid
		}
	}
	return hi
}
