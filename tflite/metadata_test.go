package tflite

import (
	"bytes"
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// testPayload is metadata whose length is no multiple of 4 or 16.
var testPayload = []byte("footprint metadata test payload, 37 b")

func TestSetMetadataSharedModels(t *testing.T) {
	for _, name := range sharedModels(t) {
		t.Run(name, func(t *testing.T) {
			raw := readModel(t, name)
			out, err := SetMetadata(raw, "footprint_test", testPayload)
			require.NoError(t, err)
			shift := requireShifted(t, raw, out)
			m, err := Parse(out)
			require.NoError(t, err)
			old := parseModel(t, name)
			slot := len(old.Buffers)
			requireSameModel(t, old, m, shift, slot)
			require.Len(t, m.Buffers, len(old.Buffers)+1)
			require.Equal(t, append(old.Metadata, Metadata{Name: "footprint_test", Buffer: uint32(slot)}), m.Metadata)
			requireData(t, m, slot, testPayload)
			checkPrefix(t, out, shift)
		})
	}
}

func TestSetMetadataReplaces(t *testing.T) {
	const name = "tflm_models__person_detect_vela"
	raw := readModel(t, name)
	old := parseModel(t, name)
	require.Equal(t, "OfflineMemoryAllocation", old.Metadata[1].Name)
	out, err := SetMetadata(raw, "OfflineMemoryAllocation", testPayload)
	require.NoError(t, err)
	m, err := Parse(out)
	require.NoError(t, err)
	// Nothing but the entry refers to its buffer 4, so the new data takes
	// its slot: the buffers keep their count and the entry its place.
	require.Equal(t, old.Metadata, m.Metadata)
	require.Len(t, m.Buffers, len(old.Buffers))
	requireSameModel(t, old, m, requireShifted(t, raw, out), int(old.Metadata[1].Buffer))
	requireData(t, m, int(old.Metadata[1].Buffer), testPayload)
}

func TestSetMetadataTwice(t *testing.T) {
	const name = "hello_world__hello_world_int8"
	raw := readModel(t, name)
	old := parseModel(t, name)
	once, err := SetMetadata(raw, "footprint_test", []byte("first"))
	require.NoError(t, err)
	twice, err := SetMetadata(once, "footprint_test", testPayload)
	require.NoError(t, err)
	m, err := Parse(twice)
	require.NoError(t, err)
	slot := len(old.Buffers)
	require.Len(t, m.Buffers, slot+1)
	require.Equal(t, append(old.Metadata, Metadata{Name: "footprint_test", Buffer: uint32(slot)}), m.Metadata)
	requireSameModel(t, old, m, len(twice)-len(raw), slot)
	requireData(t, m, slot, testPayload)
}

func TestSetMetadataKeepsSharedBuffer(t *testing.T) {
	// An entry whose buffer a tensor also uses: the new data must not take
	// that buffer's slot.
	data := testModelWith(flatbuffers.NewBuilder(0), nil, nil, nil)
	m, err := Parse(data)
	require.NoError(t, err)
	require.Equal(t, uint32(1), m.Metadata[0].Buffer)
	require.Equal(t, uint32(1), m.Subgraphs[0].Tensors[0].Buffer)
	out, err := SetMetadata(data, "shared", []byte{1, 2, 3})
	require.NoError(t, err)
	m2, err := Parse(out)
	require.NoError(t, err)
	require.Equal(t, []Metadata{{Name: "shared", Buffer: 2}}, m2.Metadata)
	assert.Equal(t, m.Buffers[1].Data, m2.Buffers[1].Data)
	requireData(t, m2, 2, []byte{1, 2, 3})
}

func TestSetMetadataDropsLaterDuplicates(t *testing.T) {
	// Metadata x, a, x: the first x takes the data in its buffer 1, the
	// second x goes, a keeps its buffer and its place after x.
	model := metadataModel([][]byte{nil, {1}, {2}}, []Metadata{{"x", 1}, {"a", 2}, {"x", 1}})
	out, err := SetMetadata(model, "x", []byte("new"))
	require.NoError(t, err)
	m, err := Parse(out)
	require.NoError(t, err)
	assert.Equal(t, []Metadata{{"x", 1}, {"a", 2}}, m.Metadata)
	require.Len(t, m.Buffers, 3)
	requireData(t, m, 1, []byte("new"))
	assert.Equal(t, []byte{2}, m.Buffers[2].Data)
}

// metadataModel builds a model of buffers (nil: no data) and metadata
// entries, and nothing else.
func metadataModel(buffers [][]byte, metadata []Metadata) []byte {
	b := flatbuffers.NewBuilder(0)
	vector := func(elems []flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, len(elems), 4)
		for i := len(elems) - 1; i >= 0; i-- {
			b.PrependUOffsetT(elems[i])
		}
		return b.EndVector(len(elems))
	}
	tables := make([]flatbuffers.UOffsetT, len(buffers))
	for i, data := range buffers {
		var vec flatbuffers.UOffsetT
		if data != nil {
			vec = b.CreateByteVector(data)
		}
		b.StartObject(bufferSize + 1)
		if data != nil {
			b.PrependUOffsetTSlot(bufferData, vec, 0)
		}
		tables[i] = b.EndObject()
	}
	buffersVec := vector(tables)
	// Entries of the same name and buffer share one table, as a
	// flatbuffer may.
	shared := map[Metadata]flatbuffers.UOffsetT{}
	tables = make([]flatbuffers.UOffsetT, len(metadata))
	for i, md := range metadata {
		if _, ok := shared[md]; !ok {
			name := b.CreateString(md.Name)
			b.StartObject(metadataBuffer + 1)
			b.PrependUOffsetTSlot(metadataName, name, 0)
			b.PrependUint32Slot(metadataBuffer, md.Buffer, 0)
			shared[md] = b.EndObject()
		}
		tables[i] = shared[md]
	}
	metadataVec := vector(tables)
	b.StartObject(modelMetadata + 1)
	b.PrependUOffsetTSlot(modelBuffers, buffersVec, 0)
	b.PrependUOffsetTSlot(modelMetadata, metadataVec, 0)
	b.PrependUint32Slot(modelVersion, 3, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte(fileIdentifier))
	return b.FinishedBytes()
}

func TestSetMetadataWithoutBuffers(t *testing.T) {
	b := flatbuffers.NewBuilder(0)
	b.StartObject(subgraphName + 1)
	sub := b.EndObject()
	b.StartVector(4, 1, 4)
	b.PrependUOffsetT(sub)
	subs := b.EndVector(1)
	b.StartObject(modelMetadata + 1)
	b.PrependUOffsetTSlot(modelSubgraphs, subs, 0)
	b.PrependUint32Slot(modelVersion, 3, 0)
	b.FinishWithFileIdentifier(b.EndObject(), []byte(fileIdentifier))
	out, err := SetMetadata(b.FinishedBytes(), "x", []byte("abc"))
	require.NoError(t, err)
	m, err := Parse(out)
	require.NoError(t, err)
	require.Len(t, m.Buffers, 2)
	assert.Nil(t, m.Buffers[0].Data, "buffer 0 stays the empty sentinel")
	assert.Equal(t, []Metadata{{Name: "x", Buffer: 1}}, m.Metadata)
	assert.Equal(t, uint32(3), m.Version)
	requireData(t, m, 1, []byte("abc"))
}

func TestSetMetadataRefuses(t *testing.T) {
	external := func(b *flatbuffers.Builder) flatbuffers.UOffsetT {
		b.StartObject(bufferSize + 1)
		b.PrependUint64Slot(bufferOffset, 8, 0)
		b.PrependUint64Slot(bufferSize, 4, 0)
		return b.EndObject()
	}
	externalBuffer := testModelWith(flatbuffers.NewBuilder(0), external, nil, nil)
	largeOptions := testModelWith(flatbuffers.NewBuilder(0), nil, func(b *flatbuffers.Builder) {
		b.PrependUint64Slot(operatorLargeCustomOffset, 8, 0)
		b.PrependUint64Slot(operatorLargeCustomSize, 4, 0)
	}, nil)
	unknownField := testModelWith(flatbuffers.NewBuilder(0), nil, nil, func(b *flatbuffers.Builder) { b.PrependUint32Slot(12, 7, 0) })
	for name, tc := range map[string]struct {
		model []byte
		name  string
		want  string
	}{
		"external buffer":  {externalBuffer, "x", "buffer 1 keeps its data outside the flatbuffer"},
		"external options": {largeOptions, "x", "operator 0 keeps its custom options outside the flatbuffer"},
		"unknown field":    {unknownField, "x", "model table has field 12"},
		"empty name":       {readModel(t, "integration_seanet__add0"), "", "metadata name is empty"},
		"empty file":       {nil, "x", "not a .tflite model"},
		"not a model":      {[]byte("PK\x03\x04 a zip file, not a model"), "x", "not a .tflite model"},
	} {
		_, err := SetMetadata(tc.model, tc.name, []byte("data"))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), tc.want, name)
		assert.NotContains(t, err.Error(), "\n", name)
	}
}

// testModelWith builds a model whose tensor 0 and metadata entry "shared"
// use buffer 1: the Buffer table buffer makes (3 data bytes when nil). It
// has one operator, with fields from opFields, and root fields from
// rootFields.
func testModelWith(b *flatbuffers.Builder, buffer func(*flatbuffers.Builder) flatbuffers.UOffsetT,
	opFields, rootFields func(*flatbuffers.Builder)) []byte {
	vector := func(elems ...flatbuffers.UOffsetT) flatbuffers.UOffsetT {
		b.StartVector(4, len(elems), 4)
		for i := len(elems) - 1; i >= 0; i-- {
			b.PrependUOffsetT(elems[i])
		}
		return b.EndVector(len(elems))
	}
	var buf1 flatbuffers.UOffsetT
	if buffer != nil {
		buf1 = buffer(b)
	} else {
		data := b.CreateByteVector([]byte{7, 8, 9})
		b.StartObject(bufferSize + 1)
		b.PrependUOffsetTSlot(bufferData, data, 0)
		buf1 = b.EndObject()
	}
	b.StartObject(bufferSize + 1)
	buf0 := b.EndObject()
	buffers := vector(buf0, buf1)
	name := b.CreateString("shared")
	b.StartObject(metadataBuffer + 1)
	b.PrependUOffsetTSlot(metadataName, name, 0)
	b.PrependUint32Slot(metadataBuffer, 1, 0)
	metadata := vector(b.EndObject())
	b.StartObject(opcodeBuiltin + 1)
	b.PrependInt32Slot(opcodeBuiltin, int32(OpRelu), 0)
	opcodes := vector(b.EndObject())
	b.StartVector(4, 1, 4)
	b.PrependInt32(0)
	outputs := b.EndVector(1)
	b.StartObject(operatorBuiltinOptions2 + 2)
	b.PrependUOffsetTSlot(operatorOutputs, outputs, 0)
	if opFields != nil {
		opFields(b)
	}
	ops := vector(b.EndObject())
	b.StartVector(4, 1, 4)
	b.PrependInt32(1)
	shape := b.EndVector(1)
	b.StartObject(tensorShapeSignature + 1)
	b.PrependUOffsetTSlot(tensorShape, shape, 0)
	b.PrependUint32Slot(tensorBuffer, 1, 0)
	tensors := vector(b.EndObject())
	b.StartObject(subgraphName + 1)
	b.PrependUOffsetTSlot(subgraphTensors, tensors, 0)
	b.PrependUOffsetTSlot(subgraphOperators, ops, 0)
	subs := vector(b.EndObject())
	b.StartObject(13)
	b.PrependUOffsetTSlot(modelOperatorCodes, opcodes, 0)
	b.PrependUOffsetTSlot(modelSubgraphs, subs, 0)
	b.PrependUOffsetTSlot(modelBuffers, buffers, 0)
	b.PrependUOffsetTSlot(modelMetadata, metadata, 0)
	b.PrependUint32Slot(modelVersion, 3, 0)
	if rootFields != nil {
		rootFields(b)
	}
	b.FinishWithFileIdentifier(b.EndObject(), []byte(fileIdentifier))
	return b.FinishedBytes()
}

// requireShifted checks that out is raw behind a prefix of a multiple of
// 16 bytes, and returns the prefix length.
func requireShifted(t *testing.T, raw, out []byte) int {
	t.Helper()
	shift := len(out) - len(raw)
	require.Positive(t, shift)
	require.Zero(t, shift%16, "prefix of %d bytes", shift)
	require.True(t, bytes.Equal(raw, out[shift:]), "the old file follows the prefix unchanged")
	return shift
}

// requireData checks that buffer i of m holds data at a 16-byte aligned
// offset of the file.
func requireData(t *testing.T, m *Model, i int, data []byte) {
	t.Helper()
	got := m.Buffers[i].Data
	require.Equal(t, data, got)
	assert.Zero(t, offsetIn(m.Raw, got)%16, "metadata data must be 16-byte aligned")
}

// requireSameModel checks that got, old with new metadata set and its file
// shifted by shift bytes, decodes to the same model as old, except buffer
// slot and the metadata.
func requireSameModel(t *testing.T, old, got *Model, shift, slot int) {
	t.Helper()
	require.Equal(t, old.Version, got.Version)
	require.Equal(t, old.Description, got.Description)
	require.Equal(t, old.OpCodes, got.OpCodes)
	for i := range old.Buffers {
		if i != slot {
			require.Equal(t, old.Buffers[i], got.Buffers[i], "buffer %d", i)
		}
	}
	// Option tables are views of the files: equal when they are the same
	// bytes, shift bytes further in.
	sameTable := func(o, g *Table, what string) {
		require.Equal(t, o.Present(), g.Present(), what)
		if o.Present() {
			require.Equal(t, o.pos+shift, g.pos, what)
			require.Equal(t, o.vtable+shift, g.vtable, what)
			require.Equal(t, o.vlen, g.vlen, what)
			require.Equal(t, o.size, g.size, what)
		}
		*o, *g = Table{}, Table{}
	}
	require.Len(t, got.Subgraphs, len(old.Subgraphs))
	for si := range old.Subgraphs {
		require.Len(t, got.Subgraphs[si].Operators, len(old.Subgraphs[si].Operators))
		for oi := range old.Subgraphs[si].Operators {
			o, g := &old.Subgraphs[si].Operators[oi], &got.Subgraphs[si].Operators[oi]
			sameTable(&o.BuiltinOptions, &g.BuiltinOptions, "builtin options")
			sameTable(&o.BuiltinOptions2, &g.BuiltinOptions2, "builtin options 2")
		}
	}
	require.Equal(t, old.Subgraphs, got.Subgraphs)
}

// checkPrefix checks the prefix SetMetadata wrote as a flatbuffer verifier
// would, reading bytes directly rather than through Table: the root table
// and its vtable lie in the file, every offset it and the buffers and
// metadata vectors hold points forward and inside the file, tables and
// vector lengths are 4-byte aligned, and strings are zero-terminated.
func checkPrefix(t *testing.T, out []byte, shift int) {
	t.Helper()
	u32 := func(at int) int {
		require.LessOrEqual(t, at+4, len(out))
		return int(binary.LittleEndian.Uint32(out[at:]))
	}
	follow := func(at int) int {
		require.Zero(t, at%4, "offset field at %d is unaligned", at)
		to := at + u32(at)
		require.Greater(t, to, at, "offset at %d points back", at)
		require.Less(t, to, len(out), "offset at %d points outside the file", at)
		return to
	}
	// table returns the positions of the fields set in the table at pos.
	table := func(pos int) []int {
		require.Zero(t, pos%4, "table at %d is unaligned", pos)
		vt := pos - int(int32(u32(pos)))
		require.GreaterOrEqual(t, vt, 0)
		require.Zero(t, vt%2)
		vlen := int(binary.LittleEndian.Uint16(out[vt:]))
		size := int(binary.LittleEndian.Uint16(out[vt+2:]))
		require.LessOrEqual(t, vt+vlen, len(out))
		require.LessOrEqual(t, pos+size, len(out))
		fields := make([]int, (vlen-4)/2)
		for i := range fields {
			if rel := int(binary.LittleEndian.Uint16(out[vt+4+2*i:])); rel != 0 {
				require.LessOrEqual(t, rel+4, size)
				fields[i] = pos + rel
			}
		}
		return fields
	}
	vector := func(at int) []int {
		vec := follow(at)
		n := u32(vec)
		require.LessOrEqual(t, vec+4+4*n, len(out))
		elems := make([]int, n)
		for i := range elems {
			elems[i] = follow(vec + 4 + 4*i)
		}
		return elems
	}
	root := follow(0)
	require.Less(t, root, shift, "the new root lies in the prefix")
	require.Equal(t, fileIdentifier, string(out[4:8]))
	fields := table(root)
	for f, at := range fields {
		if at != 0 && f != modelVersion {
			follow(at)
		}
	}
	for _, b := range vector(fields[modelBuffers]) {
		if data := table(b); len(data) > bufferData && data[bufferData] != 0 {
			vec := follow(data[bufferData])
			require.Zero(t, vec%4)
			require.LessOrEqual(t, vec+4+u32(vec), len(out))
		}
	}
	for _, md := range vector(fields[modelMetadata]) {
		name := follow(table(md)[metadataName])
		end := name + 4 + u32(name)
		require.Less(t, end, len(out))
		require.Zero(t, out[end], "string at %d is not zero-terminated", name)
	}
}

// FuzzSetMetadata sets metadata in the shared models and whatever the
// fuzzer derives from them: SetMetadata must never panic, and a model it
// returns must parse with the entry holding the data.
func FuzzSetMetadata(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(sharedtest.Dir(f), "models", "*.tflite"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 32<<10 {
			continue // large models slow the fuzzer; the small ones cover the layouts
		}
		f.Add(data, "OfflineMemoryAllocation", []byte{0, 0, 0, 0, 1, 0, 0, 0})
		f.Add(data, "min_runtime_version", []byte("1.5.0"))
	}
	f.Add(testModelWith(flatbuffers.NewBuilder(0), nil, nil, nil), "shared", []byte{})
	f.Fuzz(func(t *testing.T, model []byte, name string, data []byte) {
		out, err := SetMetadata(model, name, data)
		if err != nil {
			return
		}
		m, err := Parse(out)
		if err != nil {
			t.Fatalf("SetMetadata wrote a model Parse rejects: %v", err)
		}
		found := 0
		for _, md := range m.Metadata {
			if md.Name == name {
				found++
				if !bytes.Equal(m.Buffers[md.Buffer].Data, data) {
					t.Fatalf("metadata %q holds %d bytes, want %d", name, len(m.Buffers[md.Buffer].Data), len(data))
				}
			}
		}
		if found != 1 {
			t.Fatalf("%d metadata entries named %q, want 1", found, name)
		}
		if !bytes.HasSuffix(out, model) || (len(out)-len(model))%16 != 0 {
			t.Fatal("the old file does not follow a 16-byte multiple prefix")
		}
	})
}

// BenchmarkSetMetadataPersonDetect writes a 400-byte entry into the 300 KB
// person_detect model: one Parse, the prefix and one copy of the file.
func BenchmarkSetMetadataPersonDetect(b *testing.B) {
	raw := readModel(b, "tflm_models__person_detect")
	data := make([]byte, 400)
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for b.Loop() {
		if _, err := SetMetadata(raw, "OfflineMemoryAllocation", data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSetMetadataManyEntries replaces the last 100,000 of 200,000
// metadata entries (an 800 KB file): the time must stay linear in the
// entries (it was quadratic, 2.5 s here, before the fix).
func BenchmarkSetMetadataManyEntries(b *testing.B) {
	const n = 200_000
	metadata := make([]Metadata, n)
	for i := range metadata {
		metadata[i] = Metadata{Name: "a", Buffer: 1}
		if i >= n/2 {
			metadata[i].Name = "x"
		}
	}
	model := metadataModel([][]byte{nil, {1}}, metadata)
	b.ReportAllocs()
	b.SetBytes(int64(len(model)))
	for b.Loop() {
		if _, err := SetMetadata(model, "x", []byte("new")); err != nil {
			b.Fatal(err)
		}
	}
}
