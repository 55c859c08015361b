package runtime

import (
	"encoding/binary"
	"math/rand/v2"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// int8LSTMModel builds one integer UNIDIRECTIONAL_SEQUENCE_LSTM (tanh cell
// gate, cell clip 0.5) with input dimension inDim, state dimension
// stateDim and pseudo-random weights from seed; the input has shape
// [steps, batches, inDim] when timeMajor, else [batches, steps, inDim].
func int8LSTMModel(timeMajor bool, steps, batches, inDim, stateDim int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 1))
	const inScale, wScale = 1.0 / 64, 1.0 / 32
	weights := func(rows, cols int) tmTensor {
		data := make([]byte, rows*cols)
		for i := range data {
			data[i] = byte(int8(rng.IntN(121) - 60))
		}
		return tmTensor{typ: tflite.Int8, shape: []int32{int32(rows), int32(cols)}, data: data, scale: []float32{wScale}, zero: []int64{0}}
	}
	bias := func() tmTensor {
		data := make([]byte, 4*stateDim)
		for i := range stateDim {
			binary.LittleEndian.PutUint32(data[4*i:], uint32(int32(rng.IntN(2001)-1000)))
		}
		return tmTensor{typ: tflite.Int32, shape: []int32{int32(stateDim)}, data: data, scale: []float32{inScale * wScale}, zero: []int64{0}}
	}
	seq := []int32{int32(batches), int32(steps)}
	if timeMajor {
		seq = []int32{int32(steps), int32(batches)}
	}
	tensors := []tmTensor{q8(append(seq, int32(inDim)), inScale, 3)}
	for range lstmGates {
		tensors = append(tensors, weights(stateDim, inDim))
	}
	for range lstmGates {
		tensors = append(tensors, weights(stateDim, stateDim))
	}
	for range lstmGates {
		tensors = append(tensors, bias())
	}
	state := []int32{int32(batches), int32(stateDim)}
	hidden := q8(state, 1.0/128, -2)
	hidden.variable = true
	cell := tmTensor{typ: tflite.Int16, shape: state, scale: []float32{1.0 / 2048}, zero: []int64{0}, variable: true}
	tensors = append(tensors, hidden, cell, q8(append(seq, int32(stateDim)), 1.0/128, -2))
	// Inputs 9-11 (peephole), 16-17 (projection) and 20-23 (layer norm)
	// are omitted.
	inputs := []int32{0, 1, 2, 3, 4, 5, 6, 7, 8, -1, -1, -1, 9, 10, 11, 12, -1, -1, 13, 14, -1, -1, -1, -1}
	op := tmOp{code: int32(tflite.OpUnidirectionalSequenceLSTM), inputs: inputs, outputs: []int32{15},
		optionsType: tflite.OptionsUnidirectionalSequenceLSTM, nfields: 6,
		options: func(b *flatbuffers.Builder) {
			b.PrependByteSlot(0, actTanh, 0)
			b.PrependFloat32Slot(1, 0.5, 0)
			b.PrependBoolSlot(3, timeMajor, false)
		}}
	return buildModel(tensors, []tmOp{op}, []int32{0}, []int32{15})
}

// TestInt8LSTMLayouts runs the same two sequences through a time-major
// LSTM (both batches in each step) and a batch-major one (one batch after
// the other, each with its own state): batches are independent, so the
// outputs must agree element for element.
func TestInt8LSTMLayouts(t *testing.T) {
	const steps, batches, inDim, stateDim = 5, 2, 4, 3
	timeMajor := make([]byte, steps*batches*inDim)
	for i := range timeMajor {
		timeMajor[i] = byte(i*37 + 11)
	}
	batchMajor := make([]byte, len(timeMajor))
	for s := range steps {
		for b := range batches {
			copy(batchMajor[(b*steps+s)*inDim:][:inDim], timeMajor[(s*batches+b)*inDim:][:inDim])
		}
	}
	gotTM := runHandMade(t, int8LSTMModel(true, steps, batches, inDim, stateDim, 9), timeMajor)[0]
	gotBM := runHandMade(t, int8LSTMModel(false, steps, batches, inDim, stateDim, 9), batchMajor)[0]
	require.Len(t, gotTM, steps*batches*stateDim)
	require.Len(t, gotBM, len(gotTM))
	distinct := map[byte]bool{}
	for s := range steps {
		for b := range batches {
			tm := gotTM[(s*batches+b)*stateDim:][:stateDim]
			bm := gotBM[(b*steps+s)*stateDim:][:stateDim]
			assert.Equal(t, tm, bm, "step %d batch %d", s, b)
			for _, v := range tm {
				distinct[v] = true
			}
		}
	}
	assert.Greater(t, len(distinct), steps, "outputs should vary")
}
