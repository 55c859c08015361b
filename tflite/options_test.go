package tflite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestOptionsPersonDetect(t *testing.T) {
	m := parseModel(t, "tflm_models__person_detect")
	ops := m.Subgraphs[0].Operators

	dw, err := ops[0].DepthwiseConv2DOptions()
	require.NoError(t, err)
	assert.Equal(t, DepthwiseConv2DOptions{Padding: PaddingSame, StrideW: 2, StrideH: 2, DepthMultiplier: 8,
		Activation: ActivationRelu6, DilationWFactor: 1, DilationHFactor: 1}, dw)

	conv, err := ops[2].Conv2DOptions()
	require.NoError(t, err)
	assert.Equal(t, Conv2DOptions{Padding: PaddingSame, StrideW: 1, StrideH: 1, Activation: ActivationRelu6,
		DilationWFactor: 1, DilationHFactor: 1}, conv)

	pool, err := ops[27].Pool2DOptions()
	require.NoError(t, err)
	assert.Equal(t, PaddingValid, pool.Padding)
	assert.Equal(t, int32(3), pool.FilterWidth)
	assert.Equal(t, int32(3), pool.FilterHeight)

	softmax, err := ops[30].SoftmaxOptions()
	require.NoError(t, err)
	assert.Equal(t, float32(1), softmax.Beta)

	_, err = ops[2].DepthwiseConv2DOptions()
	assert.ErrorContains(t, err, "union type 1, not DepthwiseConv2DOptions (2)")
	_, err = ops[0].Conv2DOptions()
	assert.Error(t, err)
}

func TestOptionsSharedModels(t *testing.T) {
	hello := parseModel(t, "hello_world__hello_world_int8")
	fc, err := hello.Subgraphs[0].Operators[0].FullyConnectedOptions()
	require.NoError(t, err)
	assert.Equal(t, FullyConnectedOptions{Activation: ActivationRelu}, fc)
	fc, err = hello.Subgraphs[0].Operators[2].FullyConnectedOptions()
	require.NoError(t, err)
	assert.Equal(t, ActivationNone, fc.Activation)

	lstm, err := parseModel(t, "mnist_lstm__trained_lstm_int8").Subgraphs[0].Operators[0].UnidirectionalSequenceLSTMOptions()
	require.NoError(t, err)
	assert.Equal(t, UnidirectionalSequenceLSTMOptions{Activation: ActivationTanh, CellClip: 10}, lstm)

	svdf, err := parseModel(t, "tflm_models__keyword_scrambled").Subgraphs[0].Operators[1].SVDFOptions()
	require.NoError(t, err)
	assert.Equal(t, SVDFOptions{Rank: 1, Activation: ActivationRelu}, svdf)

	tc, err := parseModel(t, "integration_seanet__transpose_conv0").Subgraphs[0].Operators[0].TransposeConvOptions()
	require.NoError(t, err)
	assert.Equal(t, TransposeConvOptions{Padding: PaddingValid, StrideW: 2, StrideH: 1}, tc)

	ss, err := parseModel(t, "integration_seanet__strided_slice0").Subgraphs[0].Operators[0].StridedSliceOptions()
	require.NoError(t, err)
	assert.Equal(t, StridedSliceOptions{BeginMask: 13, EndMask: 15}, ss)

	lr, err := parseModel(t, "integration_seanet__leaky_relu0").Subgraphs[0].Operators[0].LeakyReluOptions()
	require.NoError(t, err)
	assert.InDelta(t, 0.3, lr.Alpha, 1e-6)

	add, err := parseModel(t, "memory_footprint__simple_add_model").Subgraphs[0].Operators[0].AddOptions()
	require.NoError(t, err)
	assert.Equal(t, AddOptions{PotScaleInt16: true}, add)
	sub, err := parseModel(t, "integration_seanet__sub0").Subgraphs[0].Operators[0].SubOptions()
	require.NoError(t, err)
	assert.Equal(t, SubOptions{}, sub, "pot_scale_int16 explicitly false")

	speech := parseModel(t, "micro_speech__micro_speech_quantized").Subgraphs[0].Operators
	reshape, err := speech[0].ReshapeOptions()
	require.NoError(t, err)
	assert.Equal(t, []int32{-1, 49, 40, 1}, reshape.NewShape)

	_, err = parseModel(t, "integration_seanet__pad0").Subgraphs[0].Operators[0].PadOptions()
	require.NoError(t, err)
}

// TestOptionsDefaults: an operator without options reads the schema's
// defaults (dilation 1, pot_scale_int16 true).
func TestOptionsDefaults(t *testing.T) {
	var op Operator
	conv, err := op.Conv2DOptions()
	require.NoError(t, err)
	assert.Equal(t, Conv2DOptions{DilationWFactor: 1, DilationHFactor: 1}, conv)
	add, err := op.AddOptions()
	require.NoError(t, err)
	assert.True(t, add.PotScaleInt16)
}
