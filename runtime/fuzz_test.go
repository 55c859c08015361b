package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// FuzzNew feeds arbitrary bytes through Parse, New and one Invoke: a
// hostile model must be rejected with an error, never a panic.
func FuzzNew(f *testing.F) {
	if dir := sharedtest.Find(); dir != "" {
		for _, name := range []string{
			"hello_world__hello_world_int8", "integration_seanet__pad0", "integration_seanet__strided_slice0",
			"integration_seanet__add0", "integration_seanet__leaky_relu0", "tflm_models__keyword_scrambled_8bit",
			"mnist_lstm__trained_lstm_int8", "micro_speech__audio_preprocessor_int8",
		} {
			if data, err := os.ReadFile(filepath.Join(dir, "models", name+".tflite")); err == nil {
				f.Add(data)
			}
		}
	}
	f.Add(unary(codeRelu, q8([]int32{4}, 0.5, -10), q8([]int32{4}, 0.5, -10)))
	f.Fuzz(func(t *testing.T, data []byte) {
		model, err := tflite.Parse(data)
		if err != nil {
			return
		}
		in, err := New(model)
		if err != nil {
			return
		}
		// Keep each run short: skip models whose tensors are large.
		total := 0
		for _, tensor := range in.Tensors() {
			total += tensor.Bytes
		}
		if total > 1<<16 {
			return
		}
		mem := in.PrivateMemory()
		var inputs [][]byte
		for _, n := range in.InputBytes() {
			inputs = append(inputs, OraclePattern(n))
		}
		if err := in.SetInputs(mem, inputs); err != nil {
			return
		}
		_ = in.Invoke(mem, nil)
	})
}
