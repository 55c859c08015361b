package tflite

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// FuzzParse feeds Parse the shared models, truncated and corrupted copies
// of them and whatever the fuzzer derives: it must never panic, and a
// model it accepts must keep the index guarantees Parse documents. Run it
// with a short -fuzzminimizetime (1s): minimising the large seeds'
// descendants otherwise stalls the workers for a minute each time.
func FuzzParse(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(sharedtest.Dir(f), "models", "*.tflite"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 16<<10 {
			// Big models seed with their head only: the fuzzer mutates
			// small inputs far faster.
			data = data[:16<<10]
		}
		f.Add(data)
		f.Add(data[:len(data)/2])
		corrupt := append([]byte(nil), data...)
		for i := 8; i < len(corrupt); i += 97 {
			corrupt[i] ^= 0xff
		}
		f.Add(corrupt)
		noIdentifier := append([]byte(nil), data...)
		copy(noIdentifier[4:8], "\x00\x00\x00\x00")
		f.Add(noIdentifier)
	}
	f.Add([]byte{})
	f.Add([]byte("\x0c\x00\x00\x00TFL3\x00\x00\x00\x00"))
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Parse(data)
		if err != nil {
			if m != nil {
				t.Fatal("model returned with an error")
			}
			return
		}
		for _, s := range m.Subgraphs {
			for _, op := range s.Operators {
				_ = m.OpName(op)
				for _, in := range op.Inputs {
					if in != -1 {
						_, _ = s.Tensors[in].Bytes()
					}
				}
				for _, out := range op.Outputs {
					_ = m.TensorData(s.Tensors[out])
				}
				_ = m.OpCodes[op.OpcodeIndex]
				readAllOptions(op)
			}
			for _, in := range s.Inputs {
				_ = s.Tensors[in]
			}
		}
	})
}

// readAllOptions calls every typed options accessor, whatever the union
// tag: each must return values or an error, never panic.
func readAllOptions(op Operator) {
	_, _ = op.Conv2DOptions()
	_, _ = op.DepthwiseConv2DOptions()
	_, _ = op.Pool2DOptions()
	_, _ = op.SVDFOptions()
	_, _ = op.FullyConnectedOptions()
	_, _ = op.SoftmaxOptions()
	_, _ = op.ConcatenationOptions()
	_, _ = op.AddOptions()
	_, _ = op.SubOptions()
	_, _ = op.MulOptions()
	_, _ = op.DivOptions()
	_, _ = op.ReshapeOptions()
	_, _ = op.StridedSliceOptions()
	_, _ = op.LeakyReluOptions()
	_, _ = op.TransposeConvOptions()
	_, _ = op.ReducerOptions()
	_, _ = op.UnidirectionalSequenceLSTMOptions()
	_, _ = op.PadOptions()
	_, _ = op.CastOptions()
	_, _ = op.GatherOptions()
	_ = op.GatherNdOptions()
	_ = op.TransposeOptions()
	_, _ = op.PackOptions()
	_, _ = op.UnpackOptions()
	_, _ = op.SplitOptions()
	_, _ = op.SplitVOptions()
	_, _ = op.ResizeBilinearOptions()
	_, _ = op.ResizeNearestNeighborOptions()
	_, _ = op.ShapeOptions()
	_, _ = op.BatchMatMulOptions()
	_, _ = op.ArgMaxOptions()
	_, _ = op.ArgMinOptions()
	_, _ = op.L2NormOptions()
	_, _ = op.SqueezeOptions()
	_, _ = op.MirrorPadOptions()
	_, _ = op.CumsumOptions()
	_, _ = op.DepthToSpaceOptions()
	_, _ = op.SpaceToDepthOptions()
	_, _ = op.IfOptions()
	_, _ = op.WhileOptions()
	_, _ = op.CallOnceOptions()
	_, _ = op.VarHandleOptions()
}
