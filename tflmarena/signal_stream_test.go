package tflmarena

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// signalModel is a one-operator model of Signal operator op over an int16
// input of shape in and outputs of the given shapes (a scalar bool
// output_valid after the first), with options as its custom options.
func signalModel(t *testing.T, op Op, options map[string]any, in []int32, outs ...[]int32) *tflite.Model {
	t.Helper()
	opts, err := flexbuf.EncodeMap(options)
	require.NoError(t, err)
	tensors := []tflite.Tensor{{Shape: in, Type: tflite.Int16}}
	var outputs []int32
	for k, s := range outs {
		typ := tflite.Int16
		if k > 0 {
			typ = tflite.Bool
		}
		outputs = append(outputs, int32(len(tensors)))
		tensors = append(tensors, tflite.Tensor{Shape: s, Type: typ})
	}
	return &tflite.Model{
		OpCodes: []tflite.OpCode{{Builtin: tflite.OpCustom, Custom: op.Custom}},
		Buffers: []tflite.Buffer{{}},
		Subgraphs: []tflite.Subgraph{{
			Tensors: tensors, Inputs: []int32{0}, Outputs: outputs,
			Operators: []tflite.Operator{{Inputs: []int32{0}, Outputs: outputs, CustomOptions: opts}},
		}},
	}
}

// TestSignalStreamPersistentBytes checks the state the streaming
// operators keep on both ABIs against TFLM's sources read by hand: the
// params struct, and per row a CircularBuffer (40 bytes on host64, 24 on
// Cortex-M) plus two int16 per sample of capacity, each rounded up to 16.
func TestSignalStreamPersistentBytes(t *testing.T) {
	delay := signalModel(t, opSignalDelay, map[string]any{"delay_length": 3}, []int32{2, 5}, []int32{2, 5})
	framer := signalModel(t, opSignalFramer, map[string]any{"frame_size": 5, "frame_step": 2, "prefill": false},
		[]int32{4}, []int32{2, 5}, nil)
	irfft := signalModel(t, opSignalIrfft, map[string]any{"T": int(tflite.Float32), "fft_length": 12},
		[]int32{14}, []int32{12})
	for _, tc := range []struct {
		name  string
		m     *tflite.Model
		abi   ABI
		bytes int64
	}{
		// OpData, two pointer arrays of 2 rows, two buffers of
		// CircularBuffer + 4*8 bytes rounded up to 16.
		{"delay host64", delay, Host64, 32 + 16 + 16 + 2*80},
		{"delay cortex-m", delay, CortexM, 20 + 8 + 8 + 2*64},
		// One row, capacity 6.
		{"framer host64", framer, Host64, 40 + 8 + 8 + 64},
		{"framer cortex-m", framer, CortexM, 28 + 4 + 4 + 48},
		// OpData; IrfftFloatState, kiss_fftr_state, the 6-point
		// kiss_fft_state (264 + 6 twiddles) and 9 more complex values.
		{"irfft host64", irfft, Host64, 32 + 16 + 24 + 312 + 72},
		{"irfft cortex-m", irfft, CortexM, 24 + 8 + 12 + 312 + 72},
	} {
		t.Run(tc.name, func(t *testing.T) {
			est, err := EstimateArena(tc.m, tc.abi)
			require.NoError(t, err)
			require.True(t, est.Exact, est.Reasons)
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

// TestSignalStreamHostileOptions: missing or absurd options give an error,
// not a panic or a huge estimate.
func TestSignalStreamHostileOptions(t *testing.T) {
	for _, tc := range []struct {
		name string
		m    *tflite.Model
		want string
	}{
		{"delay without options", signalModel(t, opSignalDelay, map[string]any{}, []int32{4}, []int32{4}), "delay_length"},
		{"delay beyond int32", signalModel(t, opSignalDelay, map[string]any{"delay_length": 1 << 40}, []int32{4}, []int32{4}), "int32"},
		{"huge delay", signalModel(t, opSignalDelay, map[string]any{"delay_length": 1 << 30}, []int32{1 << 12, 4}, []int32{1 << 12, 4}), "implausible"},
		{"framer step 0", signalModel(t, opSignalFramer, map[string]any{"frame_size": 4, "frame_step": 0, "prefill": true},
			[]int32{4}, []int32{1, 4}, nil), "frame_step"},
		{"huge stacker", signalModel(t, opSignalStacker, map[string]any{"num_channels": 1 << 30, "stacker_left_context": 1 << 30,
			"stacker_right_context": 0, "stacker_step": 1}, []int32{4}, []int32{4}, nil), "implausible"},
		{"overlap add rank 1", signalModel(t, opSignalOverlapAdd, map[string]any{"T": 7, "frame_step": 1}, []int32{4}, []int32{4}), "no frames"},
		{"irfft without type", signalModel(t, opSignalIrfft, map[string]any{"fft_length": 8}, []int32{10}, []int32{8}), "\"T\""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := EstimateArena(tc.m, Host64)
			require.ErrorContains(t, err, tc.want)
		})
	}
}
