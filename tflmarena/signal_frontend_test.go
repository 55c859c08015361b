package tflmarena

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// TestRfftPersistentBytes checks SignalRfft's persistent state on both
// ABIs against kiss_fftr_alloc read by hand, for each type: the params
// struct (48 bytes on host64, 32 on Cortex-M, sizeof probes), then
// kiss_fftr_state (three pointers), the nfft-point kiss_fft_state (264
// bytes and nfft twiddles) and 3/2 nfft more complex values.
func TestRfftPersistentBytes(t *testing.T) {
	for _, tc := range []struct {
		name   string
		typ    tflite.TensorType
		length int32
		abi    ABI
		bytes  int64
	}{
		{"int16 host64", tflite.Int16, 12, Host64, 48 + 24 + 264 + 4*6 + 4*9},
		{"int16 cortex-m", tflite.Int16, 12, CortexM, 32 + 12 + 264 + 4*6 + 4*9},
		{"int32 host64", tflite.Int32, 20, Host64, 48 + 24 + 264 + 8*10 + 8*15},
		{"int32 cortex-m", tflite.Int32, 20, CortexM, 32 + 12 + 264 + 8*10 + 8*15},
		{"float32 cortex-m", tflite.Float32, 480, CortexM, 32 + 12 + 264 + 8*240 + 8*360},
		// kiss_fftr_alloc fails on an odd length and reports no size.
		{"odd cortex-m", tflite.Int16, 9, CortexM, 32},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := signalModel(t, opSignalRfft, map[string]any{"T": int(tc.typ), "fft_length": int(tc.length)},
				[]int32{tc.length}, []int32{tc.length + 2})
			m.Subgraphs[0].Tensors[0].Type, m.Subgraphs[0].Tensors[1].Type = tc.typ, tc.typ
			est, err := EstimateArena(m, tc.abi)
			require.NoError(t, err)
			var persistent int64
			for _, b := range est.Allocations {
				if b.Category == PersistentBuffers && b.Op == 0 {
					persistent += b.Bytes
				}
			}
			assert.Equal(t, tc.bytes, persistent)
		})
	}
}
