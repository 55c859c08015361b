package tflmarena

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// TestEmbedPlan writes best's plan into two shared models: one without
// kernel scratch, where TFLM's head becomes best's arena, and the audio
// front end, whose FFT work area makes the joint plan of tensors and
// scratch the better one to write.
func TestEmbedPlan(t *testing.T) {
	for _, tc := range []struct {
		model   string
		scratch int
		head    int64
	}{
		{model: "micro_speech__micro_speech_quantized", scratch: 0, head: 5968},
		{model: "micro_speech__audio_preprocessor_int8", scratch: 1, head: 3040},
	} {
		t.Run(tc.model, func(t *testing.T) {
			m := loadModel(t, sharedtest.ModelPath(t, tc.model))
			lt, err := tensorplan.ModelLifetimes(m)
			require.NoError(t, err)
			pm, err := EmbedPlan(m, lt, tensorplan.Best{}, CortexM)
			require.NoError(t, err)
			assert.Equal(t, tc.scratch, pm.Scratch)
			assert.Equal(t, tc.head, pm.After.Head)
			assert.LessOrEqual(t, pm.After.Head, pm.Before.Head)
			assert.Equal(t, pm.Before.Tail, pm.After.Tail, "the tail does not change")

			planned, err := tflite.Parse(pm.Data)
			require.NoError(t, err)
			plt, err := tensorplan.ModelLifetimes(planned)
			require.NoError(t, err)
			for _, b := range plt.Buffers() {
				assert.GreaterOrEqual(t, b.Fixed, int64(0), "every planned tensor has an offline offset")
			}
		})
	}
}
