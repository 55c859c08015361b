package tensorplan

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

// oracle is the part of a shared/oracle file these tests read: where real
// TFLM put every tensor.
type oracle struct {
	Status          string `json:"status"`
	ArenaHeadBytes  int64  `json:"arena_head_bytes"`
	TensorPlacement []struct {
		Subgraph    int    `json:"subgraph"`
		Index       int    `json:"index"`
		Name        string `json:"name"`
		Location    string `json:"location"`
		ArenaOffset int64  `json:"arena_offset"`
	} `json:"tensor_placement"`
}

// sharedModel is one model of shared/models with its lifetimes.
type sharedModel struct {
	name string
	lt   *Lifetimes
}

// loadSharedModels parses every shared model and computes its lifetimes.
func loadSharedModels(tb testing.TB) []sharedModel {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(tb), "models", "*.tflite"))
	require.NoError(tb, err)
	require.NotEmpty(tb, paths)
	var out []sharedModel
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(tb, err)
		m, err := tflite.Parse(data)
		require.NoError(tb, err, p)
		lt, err := ModelLifetimes(m)
		require.NoError(tb, err, p)
		out = append(out, sharedModel{strings.TrimSuffix(filepath.Base(p), ".tflite"), lt})
	}
	return out
}

// oracleExceptions are the shared models whose TFLM offsets the tensors
// alone do not determine, with the reason.
var oracleExceptions = map[string]string{
	"tflm_models__person_detect_vela":        "TFLM could not allocate it (no Ethos-U kernel in the reference build), so the oracle has no placements",
	"dtln__dtln_noise_suppression":           "UNIDIRECTIONAL_SEQUENCE_LSTM requests kernel scratch buffers, planned with the tensors",
	"integration_seanet__transpose_conv0":    "TRANSPOSE_CONV requests a kernel scratch buffer (see TestTFLMMatchesOracleWithScratch)",
	"micro_speech__audio_preprocessor_float": "SignalRfft requests a kernel scratch buffer, planned with the tensors",
	"micro_speech__audio_preprocessor_int8":  "SignalRfft requests a kernel scratch buffer, planned with the tensors",
	"tflm_models__keyword_scrambled":         "SVDF requests kernel scratch buffers, planned with the tensors",
	"tflm_models__keyword_scrambled_8bit":    "SVDF requests kernel scratch buffers, planned with the tensors",
}

// scratchAboveTensors are shared models whose kernel scratch buffers end up
// above all tensors: the tensor offsets match TFLM's, but its head is
// larger than the tensors' plan.
var scratchAboveTensors = map[string]string{
	"mnist_lstm__trained_lstm":      "UNIDIRECTIONAL_SEQUENCE_LSTM scratch buffers",
	"mnist_lstm__trained_lstm_int8": "UNIDIRECTIONAL_SEQUENCE_LSTM scratch buffers",
}

// readOracle reads the oracle file of a shared model.
func readOracle(t *testing.T, model string) oracle {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(t), "oracle", model+".json"))
	require.NoError(t, err)
	var o oracle
	require.NoError(t, json.Unmarshal(data, &o))
	return o
}

// checkAgainstOracle plans buffers (the model's tensors, then any extra
// buffers) with the tflm planner and compares every tensor's offset and
// the arena's head size with what real TFLM did.
func checkAgainstOracle(t *testing.T, sm sharedModel, extra ...Buffer) {
	t.Helper()
	o := readOracle(t, sm.name)
	want := map[[2]int]int64{}
	for _, p := range o.TensorPlacement {
		if p.Location == "head" {
			want[[2]int{p.Subgraph, p.Index}] = p.ArenaOffset
		}
	}
	buffers := append(sm.lt.Buffers(), extra...)
	plan := planAndValidate(t, TFLM{}, buffers)
	got := map[[2]int]int64{}
	for i, tb := range sm.lt.Tensors {
		got[[2]int{tb.Subgraph, tb.Index}] = plan.Offsets[i]
	}
	assert.Equal(t, want, got)
	if _, ok := scratchAboveTensors[sm.name]; ok && len(extra) == 0 {
		assert.Less(t, plan.ArenaSize, o.ArenaHeadBytes, "head bytes")
		return
	}
	assert.Equal(t, o.ArenaHeadBytes, plan.ArenaSize, "head bytes")
}

// TestTFLMMatchesOracle checks the tflm planner against real TFLM on every
// shared model whose plan the tensors alone determine: every planned
// tensor must sit in TFLM's head at the same offset, every tensor TFLM put
// in the head must be planned, and the arena heads must be equal.
func TestTFLMMatchesOracle(t *testing.T) {
	for _, sm := range loadSharedModels(t) {
		t.Run(sm.name, func(t *testing.T) {
			if reason, ok := oracleExceptions[sm.name]; ok {
				t.Skip(reason)
			}
			checkAgainstOracle(t, sm)
		})
	}
}

// TestTFLMMatchesOracleWithScratch adds the scratch buffer TFLM's reference
// TRANSPOSE_CONV kernel requests (one int32 per output element, 4608 x 4
// bytes, for operator 0) and then matches real TFLM exactly, which shows
// that kernel scratch buffers are the missing piece in the exceptions.
func TestTFLMMatchesOracleWithScratch(t *testing.T) {
	for _, sm := range loadSharedModels(t) {
		if sm.name != "integration_seanet__transpose_conv0" {
			continue
		}
		scratch, err := sm.lt.ScratchBuffer(0, 0, 4608*4)
		require.NoError(t, err)
		checkAgainstOracle(t, sm, scratch)
	}
}

// TestBestReachesBoundOnSharedModels checks that best is optimal on every
// shared model and never worse than tflm.
func TestBestReachesBoundOnSharedModels(t *testing.T) {
	for _, sm := range loadSharedModels(t) {
		buffers := sm.lt.Buffers()
		best := planAndValidate(t, Best{}, buffers)
		tflm := planAndValidate(t, TFLM{}, buffers)
		assert.Equal(t, LowerBound(buffers), best.ArenaSize, sm.name)
		assert.LessOrEqual(t, best.ArenaSize, tflm.ArenaSize, sm.name)
	}
}

// BenchmarkBestSharedModels times best on each shared model.
func BenchmarkBestSharedModels(b *testing.B) {
	for _, sm := range loadSharedModels(b) {
		buffers := sm.lt.Buffers()
		b.Run(sm.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := (Best{}).Plan(buffers); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
