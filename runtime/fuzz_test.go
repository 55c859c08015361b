package runtime

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// FuzzNew feeds arbitrary bytes through Parse, New and one Invoke: a
// hostile model (options of the wrong union type or with fields past the
// file, shapes and constants out of range) must be rejected with an error,
// never a panic.
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
	// Small hand-made models give the mutations kernels with few tensors
	// whose shapes, types and quantisation they can reach.
	for _, seed := range [][]byte{
		unary(codeRelu, q8([]int32{4}, 0.5, -10), q8([]int32{4}, 0.5, -10)),
		conv2DModel(tflite.Float32, []tmTensor{
			q8([]int32{1, 2, 2, 2}, 0.5, 3),
			constTensor(tflite.Int8, []int32{2, 1, 1, 2}, i8s(1, -2, 3, 4), 0.25),
			q8([]int32{1, 2, 2, 2}, 0.75, -1),
			constTensor(tflite.Int32, []int32{2}, i32s(5, -6), 0),
		}),
		softmaxModel(q8([]int32{2, 3}, 0.1, 0), q8([]int32{2, 3}, 1.0/256, -128), 1),
		softmaxModel(q16([]int32{2, 3}, 0.1, 0), q16([]int32{2, 3}, 1.0/32768, 0), 1),
		int8LSTMModel(false, 2, 2, 3, 2, 1),
		svdfModel(2),
	} {
		f.Add(seed)
	}
	// Every differential case: one operator of each kernel, type and
	// option the runtime has, for the mutations to corrupt its options
	// table, shapes and constants.
	for _, c := range tflmCases() {
		f.Add(c.model)
	}
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
