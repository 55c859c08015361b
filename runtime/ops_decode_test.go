package runtime

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// TestCircularBufferAborts: with cycles_max 2 every other invocation
// aborts, after shifting the history, and Invoke says so with ErrAborted;
// ResetVariables starts the count again.
func TestCircularBufferAborts(t *testing.T) {
	model, err := tflite.Parse(customOneOp("CIRCULAR_BUFFER", map[string]any{"cycles_max": 2},
		[]tmTensor{t8(1, 1, 1, 2), t8(1, 3, 1, 2)}, []int32{0}, []int32{1}))
	require.NoError(t, err)
	in, err := New(model)
	require.NoError(t, err)
	mem := in.PrivateMemory()
	for k := range int8(4) {
		require.NoError(t, in.SetInputs(mem, [][]byte{i8s(k, -k)}))
		err := in.Invoke(mem, nil)
		if k%2 == 0 {
			require.ErrorIs(t, err, ErrAborted)
			assert.Contains(t, err.Error(), "CUSTOM:CIRCULAR_BUFFER")
		} else {
			require.NoError(t, err)
		}
	}
	assert.Equal(t, i8s(1, -1, 2, -2, 3, -3), in.OutputData(mem)[0])
	in.ResetVariables(mem)
	require.ErrorIs(t, in.Invoke(mem, nil), ErrAborted)
}

// TestDecodeRefusesHostileMetadata: what TFLM would read past its
// tensors, or loop on forever, is refused when the model is prepared.
func TestDecodeRefusesHostileMetadata(t *testing.T) {
	lut := lutPair(2, 4, 8, 4, int8Table(4))
	huffman := huffmanPair(false, [5]uint32{1, 2, 3, 4, 5}, 0, 1, 2, 3)
	selfLoop := append(dcm(1, 0x00), 0, 0, 0, 0) // entry 0: read 1 more bit, the next table at entry 0
	for _, c := range []struct {
		name   string
		output tmTensor
		pair   [2][]byte
		reason string
	}{
		{"short metadata", t8(8), [2][]byte{lut[0], lut[1][:15]}, "less than the 16"},
		{"LUT index past the table", t8(8), [2][]byte{lut[0], lut[1][:18]}, "past the table"},
		{"LUT stride past the table", perChannel(ofType(tflite.Int8, 2, 4), 0, 0, 0), lut, "past the table"},
		{"Huffman table too short", t8(4), [2][]byte{huffman[0], huffman[1][:20]}, "past the table"},
		{"Huffman table looping", t8(4), [2][]byte{{0, 0, 0, 0}, selfLoop}, "codewords end"},
		{"Prune flags short", t8(20), [2][]byte{{0xff, 0xff}, append(dcm(2), int8Table(20)...)}, "need 3 bytes"},
		{"alternate axis rows", perChannel(ofType(tflite.Int8, 1, 1, 3), 2, 0, 0), lut, "rows of 2 channels"},
	} {
		t.Run(c.name, func(t *testing.T) {
			model, err := tflite.Parse(decodeModel([]tmTensor{c.output}, c.pair))
			require.NoError(t, err)
			_, err = New(model)
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.reason)
			assert.Contains(t, err.Error(), "CUSTOM:TFLM_DECODE")
		})
	}
}

// perChannel gives t one quantisation channel per zero point along dim.
func perChannel(t tmTensor, dim int32, zeros ...int64) tmTensor {
	t.scale, t.zero, t.quantDim = make([]float32, len(zeros)), zeros, dim
	for c := range t.scale {
		t.scale[c] = 0.25
	}
	return t
}

// FuzzCustomPayloads replaces what CIRCULAR_BUFFER and TFLM_DECODE read
// beyond their tensors' shapes in the differential cases' models:
// CIRCULAR_BUFFER's FlexBuffers options, TFLM_DECODE's encoded and
// ancillary constants (the decode metadata and tables). New must refuse or
// the model must run, three invocations, without a panic, failing only
// with one-line errors.
func FuzzCustomPayloads(f *testing.F) {
	cases := append(circularBufferCases(), decodeCases()...)
	for i, c := range cases {
		model, err := tflite.Parse(c.model)
		require.NoError(f, err)
		op := model.Subgraphs[0].Operators[0]
		if model.OpName(op) == "CUSTOM:CIRCULAR_BUFFER" {
			f.Add(uint8(i), op.CustomOptions, []byte(nil))
			continue
		}
		data := func(k int) []byte {
			if k >= len(op.Inputs) || op.Inputs[k] < 0 {
				return nil
			}
			return model.TensorData(model.Subgraphs[0].Tensors[op.Inputs[k]])
		}
		f.Add(uint8(i), data(0), data(1))
	}
	f.Fuzz(func(t *testing.T, index uint8, a, b []byte) {
		model, err := tflite.Parse(cases[int(index)%len(cases)].model)
		require.NoError(t, err)
		sg := &model.Subgraphs[0]
		op := &sg.Operators[0]
		if model.OpName(*op) == "CUSTOM:CIRCULAR_BUFFER" {
			op.CustomOptions = a
		} else {
			for k, data := range [][]byte{a, b} {
				if k >= len(op.Inputs) || op.Inputs[k] < 0 {
					continue
				}
				tensor := &sg.Tensors[op.Inputs[k]]
				if tensor.Buffer == 0 || int(tensor.Buffer) >= len(model.Buffers) {
					continue
				}
				model.Buffers[tensor.Buffer].Data = data
				tensor.Type, tensor.Shape = tflite.Uint8, []int32{int32(len(data))}
			}
		}
		in, err := New(model)
		if err != nil {
			assert.NotContains(t, err.Error(), "\n")
			return
		}
		mem := in.PrivateMemory()
		for range 3 {
			require.NoError(t, in.SetInputs(mem, roundInputs(in, nil)))
			if err := in.Invoke(mem, nil); err != nil && !errors.Is(err, ErrAborted) {
				assert.NotContains(t, err.Error(), "\n")
			}
		}
	})
}
