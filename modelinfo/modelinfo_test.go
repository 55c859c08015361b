package modelinfo

import (
	"bytes"
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

func TestAnalyzePersonDetect(t *testing.T) {
	r := Analyze(sharedModel(t, "tflm_models__person_detect"))
	require.Len(t, r.Ops, 31)
	assert.Equal(t, 89, r.Totals.Tensors)

	// Op 0: depthwise 3x3, multiplier 8, 96x96x1 -> 48x48x8.
	dw := r.Ops[0]
	assert.Equal(t, "DEPTHWISE_CONV_2D", dw.Name)
	assert.Equal(t, int64(48*48*8*3*3), dw.MACs)
	assert.Equal(t, int64(72+32), dw.WeightBytes, "int8 weights and int32 bias")
	// Op 2: pointwise conv 48x48x8 -> 48x48x16.
	assert.Equal(t, int64(48*48*16*8), r.Ops[2].MACs)
	// Op 27: average pool, no MACs.
	assert.Equal(t, int64(0), r.Ops[27].MACs)
	assert.True(t, dw.InTFLM)
	assert.False(t, dw.Float)
	assert.Empty(t, r.Warnings)

	var macs int64
	for _, op := range r.Ops {
		macs += op.MACs
	}
	assert.Equal(t, macs, r.Totals.MACs)
	assert.Equal(t, int64(7157888), r.Totals.MACs)
	// Weight bytes: every constant buffer the ops read, counted once.
	m := sharedModel(t, "tflm_models__person_detect")
	var constant int64
	for _, b := range m.Buffers {
		constant += int64(len(b.Data))
	}
	assert.Equal(t, constant, r.Totals.WeightBytes)
}

func TestAnalyzeOtherCosts(t *testing.T) {
	hello := Analyze(sharedModel(t, "hello_world__hello_world_int8"))
	assert.Equal(t, []int64{16, 256, 16}, []int64{hello.Ops[0].MACs, hello.Ops[1].MACs, hello.Ops[2].MACs})

	lstm := Analyze(sharedModel(t, "mnist_lstm__trained_lstm_int8"))
	// 28 steps x 4 gates x 20 cells x (28 inputs + 20 recurrent).
	assert.Equal(t, int64(28*4*20*(28+20)), lstm.Ops[0].MACs)
	assert.Empty(t, lstm.Warnings, "LSTM intermediates are float placeholders, not float tensors")

	tc := Analyze(sharedModel(t, "integration_seanet__transpose_conv0"))
	assert.Equal(t, int64(5*64*3*4*64), tc.Ops[0].MACs)

	kw := Analyze(sharedModel(t, "tflm_models__keyword_scrambled"))
	// SVDF: 64 filters over 96 features plus 64 x 8 time weights.
	assert.Equal(t, int64(64*96+64*8), kw.Ops[1].MACs)

	audio := Analyze(sharedModel(t, "micro_speech__audio_preprocessor_int8"))
	assert.Equal(t, "CUSTOM:SignalWindow", audio.Ops[0].Name)
	assert.True(t, audio.Ops[0].InTFLM)
	assert.Empty(t, audio.Totals.NotInTFLM)

	vela := Analyze(sharedModel(t, "tflm_models__person_detect_vela"))
	assert.Equal(t, "CUSTOM:ethos-u", vela.Ops[0].Name)
	assert.True(t, vela.Ops[0].InTFLM)
}

// TestAnalyzeFlags builds a small quantised model with a float operator and
// operators TFLM lacks.
func TestAnalyzeFlags(t *testing.T) {
	m := &tflite.Model{
		OpCodes: []tflite.OpCode{
			{Builtin: tflite.OpFullyConnected},
			{Builtin: tflite.OpDequantize},
			{Builtin: tflite.OpCustom, Custom: "MyGelu"},
			{Builtin: tflite.OpLSTM},
		},
		Subgraphs: []tflite.Subgraph{{
			Tensors: []tflite.Tensor{
				{Name: "in", Type: tflite.Int8, Shape: []int32{1, 4}},
				{Name: "out", Type: tflite.Int8, Shape: []int32{1, 4}},
				{Name: "f", Type: tflite.Float32, Shape: []int32{1, 4}},
				{Name: "g", Type: tflite.Float32, Shape: []int32{1, 4}},
			},
			Operators: []tflite.Operator{
				{OpcodeIndex: 0, Inputs: []int32{0, -1, -1}, Outputs: []int32{1}},
				{OpcodeIndex: 1, Inputs: []int32{1}, Outputs: []int32{2}},
				{OpcodeIndex: 2, Inputs: []int32{2}, Outputs: []int32{3}},
				{OpcodeIndex: 3, Inputs: []int32{3}, Outputs: []int32{3}},
				{OpcodeIndex: 2, Inputs: []int32{2}, Outputs: []int32{3}},
			},
		}},
	}
	r := Analyze(m)
	assert.False(t, r.Ops[0].Float)
	assert.True(t, r.Ops[1].Float)
	assert.Equal(t, 4, r.Totals.FloatOps)
	assert.Equal(t, 2, r.Totals.FloatTensors)
	assert.Equal(t, []string{"CUSTOM:MyGelu", "LSTM"}, r.Totals.NotInTFLM)
	assert.False(t, r.Ops[2].InTFLM)
	assert.Contains(t, r.Warnings, "quantised model with 4 float operators and 2 float tensors")
	assert.Contains(t, r.Warnings, "CUSTOM:MyGelu: TFLM's op resolver has no kernel for it")
	assert.Contains(t, r.Warnings[0], "MACs unknown", "FC without weights")

	var table bytes.Buffer
	require.NoError(t, r.WriteTable(&table))
	assert.Contains(t, table.String(), "float,not in TFLM")
	assert.False(t, r.Ops[2].Runtime)
	assert.Equal(t, "no kernel", r.Ops[2].RuntimeNote)
}

func TestRender(t *testing.T) {
	r := Analyze(sharedModel(t, "hello_world__hello_world_float"))
	r.File = "hello.tflite"
	var table bytes.Buffer
	require.NoError(t, r.WriteTable(&table))
	assert.Equal(t, `#  OP               INPUTS         OUTPUTS        MACS  WEIGHTS  RUN  ARENA  NOTE
0  FULLY_CONNECTED  FLOAT32[1,1]   FLOAT32[1,16]    16      128  yes  yes
1  FULLY_CONNECTED  FLOAT32[1,16]  FLOAT32[1,16]   256     1088  yes  yes
2  FULLY_CONNECTED  FLOAT32[1,16]  FLOAT32[1,1]     16       68  yes  yes
total: 3 ops, 288 MACs, 1284 weight bytes (1.3 KiB), 10 tensors, 3164-byte model
runtime (run, verify): 3 of 3 ops; arena model (arena --tflm): 3 of 3 ops
`, table.String())

	var js bytes.Buffer
	require.NoError(t, r.WriteJSON(&js))
	var back Report
	require.NoError(t, json.Unmarshal(js.Bytes(), &back))
	assert.Equal(t, r, back)
	assert.Equal(t, "footprint.model/v1", back.Schema)
}

// TestCoverage: each operator says whether footprint's runtime runs it
// (and why not) and whether the arena model knows its kernel.
func TestCoverage(t *testing.T) {
	vela := Analyze(sharedModel(t, "tflm_models__person_detect_vela"))
	require.Len(t, vela.Ops, 1)
	op := vela.Ops[0]
	assert.True(t, op.InTFLM)
	assert.False(t, op.Runtime)
	assert.Contains(t, op.RuntimeNote, "Ethos-U")
	assert.False(t, op.Arena)
	assert.Equal(t, 0, vela.Totals.RuntimeOps)
	assert.Contains(t, vela.Warnings, "the arena model does not know (so arena --tflm gives lower bounds): CUSTOM:ethos-u")

	person := Analyze(sharedModel(t, "tflm_models__person_detect"))
	assert.Equal(t, 31, person.Totals.RuntimeOps)
	assert.Equal(t, 31, person.Totals.ArenaOps)
	for _, op := range person.Ops {
		assert.True(t, op.Runtime && op.Arena, op.Name)
		assert.Empty(t, op.RuntimeNote)
	}
}

func TestCount(t *testing.T) {
	assert.Equal(t, "9999", count(9999))
	assert.Equal(t, "10.0k", count(10_000))
	assert.Equal(t, "7.16M", count(7_157_760))
	assert.Equal(t, "1.50G", count(1_500_000_000))
}

// sharedModel parses shared/models/<name>.tflite, skipping without shared/.
func sharedModel(t *testing.T, name string) *tflite.Model {
	t.Helper()
	data, err := os.ReadFile(sharedtest.ModelPath(t, name))
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	return m
}
