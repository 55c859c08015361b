package tflite

import (
	"encoding/binary"
	"errors"
	"strconv"
	"testing"
	"unsafe"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestParseMatchesOracle checks every shared model against what the real
// TFLM reported when it loaded it: counts, operator names, and every
// tensor's name, type, shape, buffer, size and data offset in the file.
func TestParseMatchesOracle(t *testing.T) {
	for _, name := range sharedModels(t) {
		t.Run(name, func(t *testing.T) {
			m := parseModel(t, name)
			o := readOracle(t, name)
			assert.Equal(t, o.SchemaVersion, m.Version)
			require.Len(t, m.Subgraphs, o.Subgraphs)
			var tensors, ops int
			var names []string
			for _, s := range m.Subgraphs {
				tensors += len(s.Tensors)
				ops += len(s.Operators)
				for _, op := range s.Operators {
					names = append(names, m.OpName(op))
				}
			}
			assert.Equal(t, o.TensorsTotal, tensors)
			assert.Equal(t, o.OpsTotal, ops)
			assert.Equal(t, o.Operators, names)
			for _, want := range o.TensorPlacement {
				got := m.Subgraphs[want.Subgraph].Tensors[want.Index]
				assert.Equal(t, want.Name, got.Name)
				assert.Equal(t, want.FbType, got.Type.String())
				assert.Equal(t, want.Shape, nilIfEmpty(got.Shape), got.Name)
				assert.Equal(t, want.Buffer, got.Buffer, got.Name)
				assert.Equal(t, want.IsVariable, got.IsVariable, got.Name)
				if want.Type == want.FbType {
					bytes, err := got.Bytes()
					require.NoError(t, err)
					assert.Equal(t, want.Bytes, bytes, got.Name)
				}
				if want.ModelOffset != nil {
					data := m.TensorData(got)
					require.NotEmpty(t, data, got.Name)
					assert.Equal(t, *want.ModelOffset, offsetIn(m.Raw, data), got.Name)
				}
			}
		})
	}
}

// nilIfEmpty maps an empty shape to nil, as the oracle writes scalars.
func nilIfEmpty(s []int32) []int32 {
	if len(s) == 0 {
		return []int32{}
	}
	return s
}

// offsetIn returns the offset of sub, a slice of file, inside file.
func offsetIn(file, sub []byte) int {
	return int(uintptr(unsafe.Pointer(unsafe.SliceData(sub))) - uintptr(unsafe.Pointer(unsafe.SliceData(file))))
}

func TestParsePersonDetect(t *testing.T) {
	m := parseModel(t, "tflm_models__person_detect")
	s := m.Subgraphs[0]
	assert.Equal(t, []int32{88}, s.Inputs)
	assert.Equal(t, []int32{87}, s.Outputs)
	assert.Len(t, s.Tensors, 89)
	assert.Len(t, m.Buffers, 90)
	assert.Equal(t, "TOCO Converted.", m.Description)

	// The first pointwise conv's weights are quantised per output channel.
	conv := s.Operators[2]
	require.Equal(t, "CONV_2D", m.OpName(conv))
	w := s.Tensors[conv.Inputs[1]]
	assert.Equal(t, "MobilenetV1/Conv2d_1_pointwise/weights/read", w.Name)
	assert.Equal(t, []int32{16, 1, 1, 8}, w.Shape)
	require.NotNil(t, w.Quant)
	assert.Len(t, w.Quant.Scale, 16)
	assert.Len(t, w.Quant.ZeroPoint, 16)
	assert.Equal(t, int32(0), w.Quant.QuantizedDimension)
	assert.Len(t, m.TensorData(w), 128)

	in := s.Tensors[88]
	require.NotNil(t, in.Quant)
	assert.Equal(t, []int64{-1}, in.Quant.ZeroPoint)
	assert.InDelta(t, 0.00784313772, in.Quant.Scale[0], 1e-9)
	assert.Nil(t, m.TensorData(in), "activations have no data")
}

func TestParseMetadata(t *testing.T) {
	vela := parseModel(t, "tflm_models__person_detect_vela")
	var names []string
	for _, md := range vela.Metadata {
		names = append(names, md.Name)
	}
	assert.Contains(t, names, "OfflineMemoryAllocation")
	assert.Equal(t, "CUSTOM:ethos-u", vela.OpName(vela.Subgraphs[0].Operators[0]))
	assert.NotEmpty(t, vela.Subgraphs[0].Operators[0].CustomOptions)

	hello := parseModel(t, "hello_world__hello_world_int8")
	require.Len(t, hello.Metadata, 2)
	assert.Equal(t, Metadata{Name: "min_runtime_version", Buffer: 11}, hello.Metadata[0])
	assert.Equal(t, "CONVERSION_METADATA", hello.Metadata[1].Name)
	assert.Len(t, hello.BufferData(11), 16)
	assert.Equal(t, "main", hello.Subgraphs[0].Name)
	assert.Equal(t, []int32{-1, 1}, hello.Subgraphs[0].Tensors[0].ShapeSignature)
}

func TestParseOptionalInputsAndIntermediates(t *testing.T) {
	m := parseModel(t, "mnist_lstm__trained_lstm_int8")
	lstm := m.Subgraphs[0].Operators[0]
	assert.Equal(t, "UNIDIRECTIONAL_SEQUENCE_LSTM", m.OpName(lstm))
	assert.Len(t, lstm.Inputs, 24)
	assert.Equal(t, int32(-1), lstm.Inputs[9])
	assert.Equal(t, []int32{18, 19, 20, 21, 22}, lstm.Intermediates)

	kw := parseModel(t, "tflm_models__keyword_scrambled")
	var variables int
	for _, tensor := range kw.Subgraphs[0].Tensors {
		if tensor.IsVariable {
			variables++
		}
	}
	assert.Positive(t, variables)
}

func TestParseBadInput(t *testing.T) {
	model := readModel(t, "hello_world__hello_world_int8")
	// The first bytes of an ARM ELF executable.
	elf := []byte("\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x28\x00\x01\x00\x00\x00")
	cases := map[string]struct {
		data []byte
		want string
	}{
		"empty":     {nil, "not a .tflite model: empty file"},
		"short":     {[]byte("TFL3"), "too short"},
		"elf":       {elf, "missing TFL3 identifier, and not a Model flatbuffer: model: table starts outside"},
		"text":      {[]byte("hello, this is not a model at all\n"), "missing TFL3 identifier, and not a Model flatbuffer"},
		"root past": {withUint32(model, 0, uint32(len(model))), "table starts outside"},
	}
	for _, cut := range []int{8, 16, 64, 200, len(model) / 2, len(model) - 1} {
		cases["truncated at "+strconv.Itoa(cut)] = struct {
			data []byte
			want string
		}{model[:cut], ""}
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			m, err := Parse(c.data)
			require.Error(t, err)
			assert.Nil(t, m)
			var fe *FormatError
			require.True(t, errors.As(err, &fe), "%T", err)
			assert.Contains(t, err.Error(), c.want)
			assert.NotContains(t, err.Error(), "\n")
		})
	}
}

// TestParseWithoutIdentifier: TFLM reads any flatbuffer root, so a model
// whose TFL3 identifier is missing is read, with a warning, when it is a
// structurally valid Model; a flatbuffer that is not one stays refused.
func TestParseWithoutIdentifier(t *testing.T) {
	model := readModel(t, "hello_world__hello_world_int8")
	want, err := Parse(model)
	require.NoError(t, err)
	assert.Empty(t, want.Warnings)

	blank := withUint32(model, 4, 0)
	m, err := Parse(blank)
	require.NoError(t, err)
	require.Len(t, m.Warnings, 1)
	assert.Equal(t, "no TFL3 file identifier; read as a Model flatbuffer, as TFLM does", m.Warnings[0])
	assert.NotContains(t, m.Warnings[0], "\n")
	assert.Equal(t, want.OpCodes, m.OpCodes)
	assert.Equal(t, want.Subgraphs[0].Tensors, m.Subgraphs[0].Tensors)
	assert.Equal(t, len(want.Buffers), len(m.Buffers))

	// A generator that writes no identifier at all: the root offset is
	// followed directly by the vtable.
	b := flatbuffers.NewBuilder(64)
	b.StartObject(1)
	sg := b.EndObject()
	b.StartVector(4, 1, 4)
	b.PrependUOffsetT(sg)
	subgraphs := b.EndVector(1)
	b.StartObject(5)
	b.PrependUint32Slot(0, 3, 0)
	b.PrependUOffsetTSlot(2, subgraphs, 0)
	b.Finish(b.EndObject())
	m, err = Parse(b.FinishedBytes())
	require.NoError(t, err)
	assert.Len(t, m.Subgraphs, 1)
	assert.Equal(t, uint32(3), m.Version)
	assert.Len(t, m.Warnings, 1)

	// A valid flatbuffer table without subgraphs is not a model.
	b = flatbuffers.NewBuilder(64)
	b.StartObject(1)
	b.PrependUint32Slot(0, 3, 0)
	b.Finish(b.EndObject())
	_, err = Parse(b.FinishedBytes())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "missing TFL3 identifier, and no subgraph")
}

// TestParseHostileVector gives a vector a huge length: Parse must refuse it
// before allocating.
func TestParseHostileVector(t *testing.T) {
	model := readModel(t, "tflm_models__person_detect")
	m, err := Parse(model)
	require.NoError(t, err)
	// The shape vector of tensor 0 starts 4 bytes before its first element.
	shape := m.Subgraphs[0].Tensors[0].Shape
	require.NotEmpty(t, shape)
	at := findInt32s(t, model, shape) - 4
	bad := withUint32(model, at, 0x7fffffff)
	allocs := testing.AllocsPerRun(1, func() {
		_, err = Parse(bad)
	})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "runs past the end")
	assert.Regexp(t, `subgraph 0: tensor \d+: shape`, err.Error())
	assert.Less(t, allocs, 2000.0)

	// An offset pointing outside the file: the subgraphs field of the root.
	root := int(binary.LittleEndian.Uint32(model))
	vt := root - int(int32(binary.LittleEndian.Uint32(model[root:])))
	slot := int(binary.LittleEndian.Uint16(model[vt+4+2*modelSubgraphs:]))
	_, err = Parse(withUint32(model, root+slot, 0xfffffff0))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "points outside")
}

// findInt32s returns the offset of the little-endian encoding of v in data.
func findInt32s(t *testing.T, data []byte, v []int32) int {
	t.Helper()
	enc := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(enc[4*i:], uint32(x))
	}
	for i := 0; i+len(enc) <= len(data); i += 4 {
		if string(data[i:i+len(enc)]) == string(enc) && binary.LittleEndian.Uint32(data[i-4:]) == uint32(len(v)) {
			return i
		}
	}
	t.Fatalf("vector %v not found", v)
	return 0
}

// withUint32 returns a copy of data with a little-endian uint32 v at off.
func withUint32(data []byte, off int, v uint32) []byte {
	out := append([]byte(nil), data...)
	binary.LittleEndian.PutUint32(out[off:], v)
	return out
}

func TestParseBadIndices(t *testing.T) {
	model := readModel(t, "hello_world__hello_world_int8")
	m, err := Parse(model)
	require.NoError(t, err)
	// Point the subgraph's output at a tensor that does not exist.
	outputs := m.Subgraphs[0].Outputs
	at := findInt32s(t, model, outputs)
	_, err = Parse(withUint32(model, at, 1000))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "outputs: tensor 1000 does not exist (10 tensors)")
}

func TestOpNames(t *testing.T) {
	assert.Equal(t, "CONV_2D", OpConv2D.String())
	assert.Equal(t, "UNIDIRECTIONAL_SEQUENCE_LSTM", OpUnidirectionalSequenceLSTM.String())
	assert.Equal(t, "CUSTOM", OpCustom.String())
	assert.Equal(t, "STABLEHLO_CASE", BuiltinOp(209).String())
	assert.Equal(t, "BUILTIN_999", BuiltinOp(999).String())
	assert.Equal(t, "BUILTIN_-1", BuiltinOp(-1).String())
	op, ok := ParseBuiltinOp("DEPTHWISE_CONV_2D")
	assert.True(t, ok)
	assert.Equal(t, OpDepthwiseConv2D, op)
	_, ok = ParseBuiltinOp("")
	assert.False(t, ok)
	for code := range BuiltinOp(210) {
		assert.NotContains(t, code.String(), "BUILTIN_", "code %d", code)
	}
}

func TestTensorSizes(t *testing.T) {
	assert.Equal(t, "INT8", Int8.String())
	assert.Equal(t, "TYPE_99", TensorType(99).String())
	assert.Equal(t, 4, Float32.Size())
	assert.Equal(t, 0, Int4.Size())
	assert.Equal(t, 0, String.Size())
	assert.True(t, Float16.IsFloat())
	assert.False(t, Int8.IsFloat())

	n, err := Tensor{Shape: []int32{2, 3, 5}, Type: Int4}.Bytes()
	require.NoError(t, err)
	assert.Equal(t, int64(15), n)
	n, err = Tensor{Type: Float32}.Bytes()
	require.NoError(t, err)
	assert.Equal(t, int64(4), n, "a scalar has one element")
	_, err = Tensor{Shape: []int32{-1, 3}, Type: Int8}.NumElements()
	assert.ErrorContains(t, err, "negative")
	big := int32(1 << 30)
	_, err = Tensor{Shape: []int32{big, big, big}, Type: Int8}.NumElements()
	assert.ErrorContains(t, err, "2^63")
	_, err = Tensor{Shape: []int32{big, big, 1 << 2}, Type: Int64}.Bytes()
	assert.ErrorContains(t, err, "larger than")
	_, err = Tensor{Shape: []int32{3}, Type: String}.Bytes()
	assert.ErrorContains(t, err, "no fixed element size")
}

func BenchmarkParsePersonDetect(b *testing.B) {
	data := readModel(b, "tflm_models__person_detect")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestParseSharedVectors builds a small model whose subgraphs all share one
// subgraph whose tensors all share one tensor with a long shape: decoding
// it naively would copy the shape n³ times. Parse must stop early.
func TestParseSharedVectors(t *testing.T) {
	const n = 2000
	b := flatbuffers.NewBuilder(0)
	sharedOffsets := func(off flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, n, 4)
		for range n {
			b.PrependUOffsetT(off)
		}
		return b.EndVector(n)
	}
	b.StartVector(4, n, 4)
	for i := range n {
		b.PrependInt32(int32(i))
	}
	shape := b.EndVector(n)
	b.StartObject(tensorShapeSignature + 1)
	b.PrependUOffsetTSlot(tensorShape, shape, 0)
	tensor := b.EndObject()
	tensors := sharedOffsets(tensor)
	b.StartObject(subgraphName + 1)
	b.PrependUOffsetTSlot(subgraphTensors, tensors, 0)
	subgraph := b.EndObject()
	subgraphs := sharedOffsets(subgraph)
	b.StartObject(modelMetadata + 1)
	b.PrependUOffsetTSlot(modelSubgraphs, subgraphs, 0)
	b.PrependUint32Slot(modelVersion, 3, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte(fileIdentifier))
	data := b.FinishedBytes()
	require.Less(t, len(data), 40_000)

	var err error
	allocs := testing.AllocsPerRun(1, func() { _, err = Parse(data) })
	require.Error(t, err)
	assert.Contains(t, err.Error(), "far more data than the")
	assert.Less(t, allocs, 100_000.0)
}
