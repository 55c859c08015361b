package tflmarena

import (
	"math"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// TestDetectionHostileOptions checks that TFLite_Detection_PostProcess
// options whose scratch sizes TFLM's int arithmetic garbles give an error
// naming the operator, on both ABIs, rather than a huge or negative
// estimate; and that the buffers grow with max_detections as TFLM's do.
func TestDetectionHostileOptions(t *testing.T) {
	path := filepath.Join(tflmOpsDir, "models", "detection_fast.tflite")
	for name, o := range map[string]map[string]any{
		"max_detections negative":  {"max_detections": int32(-1), "num_classes": int32(2)},
		"max_detections huge":      {"max_detections": int32(math.MaxInt32), "num_classes": int32(2)},
		"num_classes huge":         {"max_detections": int32(3), "num_classes": int32(1 << 28)},
		"max_detections beyond 32": {"max_detections": int64(1) << 40},
		"max_detections a NaN":     {"max_detections": math.NaN()},
		"max_detections a string":  {"max_detections": "3"},
	} {
		for _, abi := range Targets() {
			t.Run(name+"/"+abi.Name, func(t *testing.T) {
				m := loadModel(t, path)
				opts, err := flexbuf.EncodeMap(o)
				require.NoError(t, err)
				m.Subgraphs[0].Operators[0].CustomOptions = opts
				_, err = EstimateArena(m, abi)
				require.Error(t, err)
				assert.Contains(t, err.Error(), "TFLite_Detection_PostProcess")
			})
		}
	}

	// Absent options read 0, as flexbuffers' AsInt32 reads them; a float
	// is truncated.
	head := func(o map[string]any) int64 {
		m := loadModel(t, path)
		opts, err := flexbuf.EncodeMap(o)
		require.NoError(t, err)
		m.Subgraphs[0].Operators[0].CustomOptions = opts
		est, err := EstimateArena(m, Host64)
		require.NoError(t, err)
		return est.Head
	}
	none := head(map[string]any{})
	assert.Equal(t, none, head(map[string]any{"max_detections": 0.9}))
	assert.Less(t, none, head(map[string]any{"max_detections": int32(3)}))
	assert.Equal(t, head(map[string]any{"max_detections": int32(3)}), head(map[string]any{"max_detections": 3.7, "num_classes": int32(2)}))
}

// FuzzDetectionOptions estimates a TFLite_Detection_PostProcess model with
// arbitrary custom options: an estimate must come back or an error, never
// a panic, and never a negative or unbounded figure.
func FuzzDetectionOptions(f *testing.F) {
	raw, err := os.ReadFile(filepath.Join(tflmOpsDir, "models", "detection_regular.tflite"))
	require.NoError(f, err)
	seed, err := tflite.Parse(raw)
	require.NoError(f, err)
	f.Add(seed.Subgraphs[0].Operators[0].CustomOptions)
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, options []byte) {
		m, err := tflite.Parse(raw)
		require.NoError(t, err)
		m.Subgraphs[0].Operators[0].CustomOptions = options
		for _, abi := range Targets() {
			est, err := EstimateArena(m, abi)
			if err != nil {
				continue
			}
			require.GreaterOrEqual(t, est.ArenaUsedBytes, int64(0))
			require.LessOrEqual(t, est.ArenaUsedBytes, int64(1)<<36)
		}
	})
}
