package runtime

import (
	"encoding/binary"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// outcome is how a shared model compares with real TFLM's outputs.
type outcome int

const (
	bitExact    outcome = iota // every output byte equals TFLM's
	floatClose                 // float outputs within maxAbsErr of TFLM's
	unsupported                // New reports unsupported operators
)

// sharedModels lists every shared model with its expected outcome against
// the TFLM oracle (tflite-micro 90b983c2b3f1, reference kernels). For
// float models maxAbsErr bounds the largest absolute difference; for
// unsupported ones ops lists what New must report.
var sharedModels = []struct {
	name      string
	want      outcome
	maxAbsErr float64
	ops       []string
}{
	{name: "dtln__dtln_noise_suppression", want: bitExact},
	{name: "hello_world__hello_world_float", want: floatClose, maxAbsErr: 1e-6},
	{name: "hello_world__hello_world_int8", want: bitExact},
	{name: "integration_seanet__add0", want: bitExact},
	{name: "integration_seanet__add1", want: bitExact},
	{name: "integration_seanet__conv0", want: bitExact},
	{name: "integration_seanet__conv1", want: bitExact},
	{name: "integration_seanet__leaky_relu0", want: bitExact},
	{name: "integration_seanet__pad0", want: bitExact},
	{name: "integration_seanet__quantize0", want: bitExact},
	{name: "integration_seanet__strided_slice0", want: bitExact},
	{name: "integration_seanet__strided_slice1", want: bitExact},
	{name: "integration_seanet__sub0", want: bitExact},
	{name: "integration_seanet__transpose_conv0", want: bitExact},
	{name: "memory_footprint__simple_add_model", want: bitExact},
	{name: "micro_speech__audio_preprocessor_float", want: bitExact},
	{name: "micro_speech__audio_preprocessor_int8", want: bitExact},
	{name: "micro_speech__micro_speech_quantized", want: bitExact},
	{name: "mnist_lstm__trained_lstm", want: floatClose, maxAbsErr: 1e-5},
	{name: "mnist_lstm__trained_lstm_int8", want: bitExact},
	{name: "tflm_models__keyword_scrambled", want: bitExact},
	{name: "tflm_models__keyword_scrambled_8bit", want: bitExact},
	{name: "tflm_models__person_detect", want: bitExact},
	{name: "tflm_models__person_detect_vela", want: unsupported, ops: []string{"CUSTOM:ethos-u (an Arm Ethos-U NPU command stream: TFLM runs it only in Ethos-U builds, on the NPU)"}},
	{name: "tflm_python__sine_float", want: floatClose, maxAbsErr: 1e-6},
}

// TestOracle runs every shared model on the oracle's input with private
// memory and compares its outputs with the ones real TFLM produced.
func TestOracle(t *testing.T) {
	for _, m := range sharedModels {
		t.Run(m.name, func(t *testing.T) {
			model, o := loadShared(t, m.name)
			in, err := New(model)
			if m.want == unsupported {
				var u *UnsupportedError
				require.ErrorAs(t, err, &u)
				assert.Equal(t, m.ops, u.Ops)
				return
			}
			require.NoError(t, err)
			mem := in.PrivateMemory()
			require.NoError(t, in.SetInputs(mem, oracleInputs(in)))
			require.NoError(t, in.Invoke(mem, nil))
			got, want := in.OutputData(mem), oracleOutputs(t, o)
			require.Len(t, got, len(want))
			for k := range want {
				if m.want == bitExact {
					assert.Equal(t, want[k], got[k], "output %d", k)
					continue
				}
				maxErr := maxAbsError(t, got[k], want[k])
				t.Logf("output %d: max abs error %g vs TFLM", k, maxErr)
				assert.LessOrEqual(t, maxErr, m.maxAbsErr, "output %d", k)
			}
		})
	}
}

// maxAbsError is the largest absolute difference between two float32
// arrays given as little-endian bytes.
func maxAbsError(t *testing.T, got, want []byte) float64 {
	t.Helper()
	require.Len(t, got, len(want))
	var worst float64
	for i := 0; i+4 <= len(want); i += 4 {
		g := math.Float32frombits(binary.LittleEndian.Uint32(got[i:]))
		w := math.Float32frombits(binary.LittleEndian.Uint32(want[i:]))
		worst = max(worst, math.Abs(float64(g)-float64(w)))
	}
	return worst
}

// TestUnsupportedListsEveryOp checks the error text names each operator
// once.
func TestUnsupportedListsEveryOp(t *testing.T) {
	err := error(&UnsupportedError{Ops: []string{"SVDF", "CUSTOM:ethos-u"}})
	assert.EqualError(t, err, "unsupported operators: SVDF, CUSTOM:ethos-u")
	var u *UnsupportedError
	assert.True(t, errors.As(err, &u))
}

// TestKernelNamesAreBuiltinNames checks that every kernel is reachable: its
// name is a builtin operator's schema name, or CUSTOM:<code> (as
// OpCode.Name spells a custom operator) with a non-empty code.
func TestKernelNamesAreBuiltinNames(t *testing.T) {
	for _, op := range SupportedOps() {
		if code, ok := strings.CutPrefix(op, "CUSTOM:"); ok {
			assert.NotEmpty(t, code, op)
			continue
		}
		_, ok := tflite.ParseBuiltinOp(op)
		assert.True(t, ok, op)
	}
}
