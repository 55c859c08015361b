package tflite

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"slices"
)

// Fields of the schema's Model table that Parse does not read. They and
// signature_defs (7) and external_buffer_groups (8) hold offsets; fields
// past external_buffers are unknown to this package.
const (
	modelMetadataBuffer  = 5
	modelExternalBuffers = 9
	modelFields          = modelExternalBuffers + 1
)

// dataAlignment is the alignment of the new metadata data: Buffer.data's
// force_align in the schema, more than the 4 TFLM needs to read it as
// 32-bit words.
const dataAlignment = 16

// maxFlatbufferSize is the largest flatbuffer: offsets are 32-bit, and
// readers take them as signed.
const maxFlatbufferSize = math.MaxInt32

// SetMetadata returns a copy of model, a .tflite file, whose metadata has an
// entry name for a buffer holding data: the first entry of that name (or,
// with none, a new last entry) becomes the new entry and later ones of that
// name are dropped; the other metadata entries keep their order, and every
// buffer (but the one the new entry may take over, see below) and
// everything else keep their indices and bytes. data starts at a 16-byte
// aligned offset of the file.
//
// The copy is the original file behind a new prefix of a multiple of 16
// bytes: a new root Model table, new buffers and metadata vectors, the new
// Buffer and Metadata tables and data. Flatbuffer offsets (uoffset) only
// point forward, so the prefix can point into the original bytes while
// their own relative offsets stay valid, and shifting them by a multiple of
// 16 keeps every alignment. The old root table stays in the file,
// unreferenced. The new buffer takes the slot of the replaced entry's
// buffer when nothing else refers to that buffer, and is appended
// otherwise, so setting the same entry again does not grow the buffers.
//
// Models that keep data outside the flatbuffer (buffers or custom options
// at absolute file offsets, as models over 2 GB do) are refused: shifting
// the file would move that data away from its offsets.
func SetMetadata(model []byte, name string, data []byte) ([]byte, error) {
	if name == "" {
		return nil, errors.New("tflite: metadata name is empty")
	}
	if int64(len(data))+int64(len(model)) > maxFlatbufferSize {
		return nil, fmt.Errorf("tflite: %d bytes of metadata would take the model past the 2 GB flatbuffer limit", len(data))
	}
	m, err := Parse(model)
	if err != nil {
		return nil, err
	}
	root, err := newTable(model, int(binary.LittleEndian.Uint32(model)))
	if err != nil {
		return nil, within(err, "model")
	}
	if err := checkSelfContained(m, root); err != nil {
		return nil, err
	}
	oldBuffers, err := tablePositions(root, modelBuffers, "buffer")
	if err != nil {
		return nil, err
	}
	oldMetadata, err := tablePositions(root, modelMetadata, "metadata")
	if err != nil {
		return nil, err
	}
	slot, err := newBufferSlot(m, root, name)
	if err != nil {
		return nil, err
	}

	var p prefix
	p.uint32s(0, binary.LittleEndian.Uint32([]byte(fileIdentifier))) // root offset (patched below), identifier
	rootFields, err := oldRootFields(m, root)
	if err != nil {
		return nil, err
	}
	buffersVec, metadataVec := &ref{}, &ref{}
	rootFields[modelBuffers] = field{set: true, ref: buffersVec}
	rootFields[modelMetadata] = field{set: true, ref: metadataVec}
	p.patch(0, &ref{pos: p.table(rootFields)})

	// The buffers vector: the old tables, with the new one in its slot.
	newBuffer, sentinel := &ref{}, &ref{}
	buffers := make([]*ref, max(len(oldBuffers), slot+1))
	for i := range buffers {
		switch {
		case i == slot:
			buffers[i] = newBuffer
		case i < len(oldBuffers):
			buffers[i] = &ref{pos: oldBuffers[i], old: true}
		default:
			buffers[i] = sentinel // buffer 0 of a model without buffers
		}
	}
	buffersVec.pos = p.vector(buffers)
	if len(oldBuffers) == 0 {
		sentinel.pos = p.table(nil) // an empty Buffer table
	}

	// The metadata vector: the old entries but those named name, and the
	// new entry in place of the first of them (or last).
	newEntry := &ref{}
	var entries []*ref
	placed := false
	for i, md := range m.Metadata {
		switch {
		case md.Name != name:
			entries = append(entries, &ref{pos: oldMetadata[i], old: true})
		case !placed:
			entries, placed = append(entries, newEntry), true
		}
	}
	if !placed {
		entries = append(entries, newEntry)
	}
	metadataVec.pos = p.vector(entries)

	nameString := &ref{}
	newEntry.pos = p.table([]field{{set: true, ref: nameString}, {set: true, value: uint32(slot)}})
	nameString.pos = p.bytes([]byte(name), 4, true)
	bufferData := &ref{}
	newBuffer.pos = p.table([]field{{set: true, ref: bufferData}})
	bufferData.pos = p.bytes(data, dataAlignment, false)
	p.align(dataAlignment)

	if int64(len(p.buf))+int64(len(model)) > maxFlatbufferSize {
		return nil, fmt.Errorf("tflite: %d bytes of metadata would take the model past the 2 GB flatbuffer limit", len(data))
	}
	return p.prepend(model)
}

// oldRootFields returns the fields of model m's root table for a new root
// table in a prefix: every field set in the old one, the version as its
// value and the others pointing at their old targets. It refuses root
// tables with fields this schema does not know, which it cannot copy
// faithfully.
func oldRootFields(m *Model, root Table) ([]field, error) {
	for f := modelFields; 4+2*f < root.vlen; f++ {
		if root.Has(f) {
			return nil, errorAt(int(root.Offset()), "model table has field %d, which this version of the schema does not know", f)
		}
	}
	fields := make([]field, modelFields)
	for f := range modelFields {
		switch {
		case !root.Has(f):
			continue
		case f == modelVersion:
			fields[f] = field{set: true, value: m.Version}
		default:
			target, _, err := root.indirect(f)
			if err != nil {
				return nil, within(err, "model field %d", f)
			}
			fields[f] = field{set: true, ref: &ref{pos: target, old: true}}
		}
	}
	return fields, nil
}

// prepend returns the prefix followed by model, every offset patched: a
// reference to the old file points a prefix length further.
func (p *prefix) prepend(model []byte) ([]byte, error) {
	shift := len(p.buf)
	if int64(shift)+int64(len(model)) > maxFlatbufferSize {
		return nil, fmt.Errorf("tflite: a %d-byte prefix would take the model past the 2 GB flatbuffer limit", shift)
	}
	out := make([]byte, shift+len(model))
	copy(out, p.buf)
	copy(out[shift:], model)
	for _, fx := range p.fixups {
		target := fx.to.pos
		if fx.to.old {
			target += shift
		}
		if target <= fx.at {
			return nil, fmt.Errorf("tflite: internal error: offset at %d points back to %d", fx.at, target) // the layouts rule it out
		}
		binary.LittleEndian.PutUint32(out[fx.at:], uint32(target-fx.at))
	}
	return out, nil
}

// checkSelfContained refuses models with data at absolute file offsets; root
// is m's root table.
func checkSelfContained(m *Model, root Table) error {
	for i, b := range m.Buffers {
		if b.Offset > 1 {
			return fmt.Errorf("tflite: buffer %d keeps its data outside the flatbuffer (at file offset %d); such models (over 2 GB) cannot take new metadata", i, b.Offset)
		}
	}
	subgraphs, err := root.Tables(modelSubgraphs)
	if err != nil {
		return within(err, "subgraph vector")
	}
	for si := range subgraphs.Len() {
		sg, err := subgraphs.At(si)
		if err != nil {
			return within(err, "subgraph %d", si)
		}
		ops, err := sg.Tables(subgraphOperators)
		if err != nil {
			return within(err, "subgraph %d: operator vector", si)
		}
		for oi := range ops.Len() {
			op, err := ops.At(oi)
			if err != nil {
				return within(err, "subgraph %d: operator %d", si, oi)
			}
			offset, err := op.Uint64(operatorLargeCustomOffset, 0)
			if err != nil {
				return within(err, "subgraph %d: operator %d", si, oi)
			}
			if offset > 1 {
				return fmt.Errorf("tflite: subgraph %d operator %d keeps its custom options outside the flatbuffer (at file offset %d); such models (over 2 GB) cannot take new metadata", si, oi, offset)
			}
		}
	}
	return nil
}

// tablePositions returns the file offsets of the tables in root's vector
// field, in vector order; what names them in errors.
func tablePositions(root Table, field int, what string) ([]int, error) {
	vec, err := root.Tables(field)
	if err != nil {
		return nil, within(err, "%s vector", what)
	}
	pos := make([]int, vec.Len())
	for i := range pos {
		t, err := vec.At(i)
		if err != nil {
			return nil, within(err, "%s %d", what, i)
		}
		pos[i] = int(t.Offset())
	}
	return pos, nil
}

// newBufferSlot picks the index of the new metadata buffer: the buffer of
// the first entry named name when only entries of that name refer to it
// (never the sentinel buffer 0), else a new index past the last buffer (1
// when there are no buffers: index 0 stays the empty sentinel).
func newBufferSlot(m *Model, root Table, name string) (int, error) {
	reuse := -1
	for _, md := range m.Metadata {
		if md.Name == name {
			reuse = int(md.Buffer)
			break
		}
	}
	if reuse <= 0 {
		return max(len(m.Buffers), 1), nil
	}
	deprecated, err := root.Int32s(modelMetadataBuffer)
	if err != nil {
		return 0, within(err, "model metadata_buffer")
	}
	shared := slices.Contains(deprecated, int32(reuse))
	for _, md := range m.Metadata {
		shared = shared || (md.Name != name && int(md.Buffer) == reuse)
	}
	for _, sg := range m.Subgraphs {
		for _, t := range sg.Tensors {
			shared = shared || int(t.Buffer) == reuse
		}
	}
	if shared {
		return len(m.Buffers), nil
	}
	return reuse, nil
}

// prefix lays out the flatbuffer bytes SetMetadata puts before the old
// file. Offsets are patched once every target's position is known.
type prefix struct {
	buf    []byte
	fixups []fixup
}

// ref is the position of a table, vector or string: in the prefix, or in
// the old file when old is set.
type ref struct {
	pos int
	old bool
}

// fixup is a uoffset at prefix position at that must point to to.
type fixup struct {
	at int
	to *ref
}

// field is one 4-byte field of a table the prefix writes: a scalar value,
// or an offset when ref is set. Fields not set are left out.
type field struct {
	set   bool
	value uint32
	ref   *ref
}

func (p *prefix) align(n int) {
	for len(p.buf)%n != 0 {
		p.buf = append(p.buf, 0)
	}
}

func (p *prefix) uint32s(vs ...uint32) int {
	at := len(p.buf)
	for _, v := range vs {
		p.buf = binary.LittleEndian.AppendUint32(p.buf, v)
	}
	return at
}

// patch makes the uoffset at position at point to r.
func (p *prefix) patch(at int, r *ref) { p.fixups = append(p.fixups, fixup{at, r}) }

// table writes a vtable and then a table of 4-byte fields, returning the
// table's position.
func (p *prefix) table(fields []field) int {
	var slots []uint16
	size := 4
	for _, f := range fields {
		if f.set {
			slots = append(slots, uint16(size))
			size += 4
		} else {
			slots = append(slots, 0)
		}
	}
	p.align(2)
	vtable := len(p.buf)
	p.buf = binary.LittleEndian.AppendUint16(p.buf, uint16(4+2*len(slots)))
	p.buf = binary.LittleEndian.AppendUint16(p.buf, uint16(size))
	for _, s := range slots {
		p.buf = binary.LittleEndian.AppendUint16(p.buf, s)
	}
	p.align(4)
	at := p.uint32s(uint32(len(p.buf) - vtable)) // soffset: the vtable lies before
	for _, f := range fields {
		switch {
		case f.ref != nil:
			p.patch(p.uint32s(0), f.ref)
		case f.set:
			p.uint32s(f.value)
		}
	}
	return at
}

// vector writes a vector of offsets to elems, returning its position.
func (p *prefix) vector(elems []*ref) int {
	p.align(4)
	at := p.uint32s(uint32(len(elems)))
	for _, e := range elems {
		p.patch(p.uint32s(0), e)
	}
	return at
}

// bytes writes a byte vector whose first element is aligned to align (a
// multiple of 4), zero-terminated when it is a string, returning the
// position of its length.
func (p *prefix) bytes(b []byte, align int, str bool) int {
	for (len(p.buf)+4)%align != 0 {
		p.buf = append(p.buf, 0)
	}
	at := p.uint32s(uint32(len(b)))
	p.buf = append(p.buf, b...)
	if str {
		p.buf = append(p.buf, 0)
	}
	return at
}
