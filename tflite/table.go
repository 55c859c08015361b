package tflite

import (
	"fmt"

	flatbuffers "github.com/google/flatbuffers/go"
)

// FormatError reports a malformed .tflite file: what is wrong and the byte
// offset in the file where it was found.
type FormatError struct {
	Offset int64
	Msg    string
}

func (e *FormatError) Error() string {
	return fmt.Sprintf("tflite: %s (at byte %#x)", e.Msg, e.Offset)
}

// errorAt returns a *FormatError at offset off.
func errorAt(off int, format string, args ...any) *FormatError {
	return &FormatError{Offset: int64(off), Msg: fmt.Sprintf(format, args...)}
}

// within prefixes a *FormatError's message with where in the model the
// decoder was ("subgraph 0: tensor 3"), keeping its offset.
func within(err error, format string, args ...any) error {
	if fe, ok := err.(*FormatError); ok {
		return &FormatError{Offset: fe.Offset, Msg: fmt.Sprintf(format, args...) + ": " + fe.Msg}
	}
	return fmt.Errorf(format+": %w", append(args, err)...)
}

// Table is a bounds-checked view of one flatbuffer table inside a file. Its
// fields are addressed by their index in the schema's table declaration
// (the first field is 0; a union takes two indices, its type tag and then
// its value). The zero Table stands for an absent table: every field reads
// as its default.
//
// Creating a Table checks that the table and its vtable lie inside the
// file; every read checks that the field lies inside the table and that
// whatever it points to lies inside the file, and reports a *FormatError
// otherwise.
type Table struct {
	buf    []byte
	pos    int // offset of the table in buf
	vtable int // offset of its vtable in buf
	vlen   int // vtable length in bytes
	size   int // inline size of the table in bytes
	// budget, when set, is charged the file bytes of every vector read
	// through this table and the tables reached from it (see Parse).
	budget *int64
}

// newTable checks the table at pos in buf and returns a view of it.
func newTable(buf []byte, pos int) (Table, error) {
	if pos < 0 || pos > len(buf)-4 {
		return Table{}, errorAt(pos, "table starts outside the %d-byte file", len(buf))
	}
	vtable := int64(pos) - int64(flatbuffers.GetInt32(buf[pos:]))
	if vtable < 0 || vtable > int64(len(buf)-4) {
		return Table{}, errorAt(pos, "table's vtable offset points outside the file (to %d)", vtable)
	}
	vt := int(vtable)
	vlen := int(flatbuffers.GetUint16(buf[vt:]))
	size := int(flatbuffers.GetUint16(buf[vt+2:]))
	switch {
	case vlen < 4 || vlen%2 != 0:
		return Table{}, errorAt(vt, "vtable length %d is not an even number of at least 4 bytes", vlen)
	case vlen > len(buf)-vt:
		return Table{}, errorAt(vt, "%d-byte vtable runs past the end of the file", vlen)
	case size < 4:
		return Table{}, errorAt(vt, "table size %d is smaller than its 4-byte vtable offset", size)
	case size > len(buf)-pos:
		return Table{}, errorAt(pos, "%d-byte table runs past the end of the file", size)
	}
	return Table{buf: buf, pos: pos, vtable: vt, vlen: vlen, size: size}, nil
}

// child returns the table at pos, charging the same budget as t.
func (t Table) child(pos int) (Table, error) {
	c, err := newTable(t.buf, pos)
	c.budget = t.budget
	return c, err
}

// Present reports whether the table exists (false for the zero Table).
func (t Table) Present() bool { return t.buf != nil }

// Offset returns the table's byte offset in the file (0 when absent).
func (t Table) Offset() int64 { return int64(t.pos) }

// Has reports whether field is set in the table.
func (t Table) Has(field int) bool {
	slot := 4 + 2*field
	if t.buf == nil || field < 0 || slot+2 > t.vlen {
		return false
	}
	return flatbuffers.GetUint16(t.buf[t.vtable+slot:]) != 0
}

// field returns the absolute offset of field's inline data of width bytes,
// or ok=false when the field is not set (or the table is absent).
func (t Table) field(field, width int) (at int, ok bool, err error) {
	if !t.Has(field) {
		return 0, false, nil
	}
	rel := int(flatbuffers.GetUint16(t.buf[t.vtable+4+2*field:]))
	if rel < 4 || rel+width > t.size {
		return 0, false, errorAt(t.vtable+4+2*field, "field %d (%d bytes at +%d) lies outside its %d-byte table", field, width, rel, t.size)
	}
	return t.pos + rel, true, nil
}

// Bool reads a bool field, or def when it is not set.
func (t Table) Bool(field int, def bool) (bool, error) {
	at, ok, err := t.field(field, 1)
	if !ok {
		return def, err
	}
	return flatbuffers.GetBool(t.buf[at:]), nil
}

// Int8 reads a byte-sized signed field (schema byte or int8, and enums
// based on them), or def when it is not set.
func (t Table) Int8(field int, def int8) (int8, error) {
	at, ok, err := t.field(field, 1)
	if !ok {
		return def, err
	}
	return flatbuffers.GetInt8(t.buf[at:]), nil
}

// Uint8 reads a ubyte or uint8 field (and union type tags), or def when it
// is not set.
func (t Table) Uint8(field int, def uint8) (uint8, error) {
	at, ok, err := t.field(field, 1)
	if !ok {
		return def, err
	}
	return flatbuffers.GetUint8(t.buf[at:]), nil
}

// Int16 reads a short or int16 field, or def when it is not set.
func (t Table) Int16(field int, def int16) (int16, error) {
	at, ok, err := t.field(field, 2)
	if !ok {
		return def, err
	}
	return flatbuffers.GetInt16(t.buf[at:]), nil
}

// Int32 reads an int or int32 field, or def when it is not set.
func (t Table) Int32(field int, def int32) (int32, error) {
	at, ok, err := t.field(field, 4)
	if !ok {
		return def, err
	}
	return flatbuffers.GetInt32(t.buf[at:]), nil
}

// Uint32 reads a uint or uint32 field, or def when it is not set.
func (t Table) Uint32(field int, def uint32) (uint32, error) {
	at, ok, err := t.field(field, 4)
	if !ok {
		return def, err
	}
	return flatbuffers.GetUint32(t.buf[at:]), nil
}

// Int64 reads a long or int64 field, or def when it is not set.
func (t Table) Int64(field int, def int64) (int64, error) {
	at, ok, err := t.field(field, 8)
	if !ok {
		return def, err
	}
	return flatbuffers.GetInt64(t.buf[at:]), nil
}

// Uint64 reads a ulong or uint64 field, or def when it is not set.
func (t Table) Uint64(field int, def uint64) (uint64, error) {
	at, ok, err := t.field(field, 8)
	if !ok {
		return def, err
	}
	return flatbuffers.GetUint64(t.buf[at:]), nil
}

// Float32 reads a float field, or def when it is not set.
func (t Table) Float32(field int, def float32) (float32, error) {
	at, ok, err := t.field(field, 4)
	if !ok {
		return def, err
	}
	return flatbuffers.GetFloat32(t.buf[at:]), nil
}

// indirect follows the offset field holds, returning the absolute offset it
// points to, or ok=false when the field is not set.
func (t Table) indirect(field int) (target int, ok bool, err error) {
	at, ok, err := t.field(field, 4)
	if !ok {
		return 0, false, err
	}
	to := int64(at) + int64(flatbuffers.GetUint32(t.buf[at:]))
	if to > int64(len(t.buf)-4) {
		return 0, false, errorAt(at, "field %d points outside the %d-byte file (to %d)", field, len(t.buf), to)
	}
	return int(to), true, nil
}

// Table reads a sub-table field; the result is the zero Table when the
// field is not set.
func (t Table) Table(field int) (Table, error) {
	to, ok, err := t.indirect(field)
	if !ok {
		return Table{}, err
	}
	return t.child(to)
}

// Union reads the union whose type tag is field and whose value is field+1,
// as the schema lays unions out. The table is the zero Table when the union
// is NONE or its value is not set.
func (t Table) Union(field int) (tag uint8, value Table, err error) {
	if tag, err = t.Uint8(field, 0); err != nil || tag == 0 {
		return tag, Table{}, err
	}
	value, err = t.Table(field + 1)
	return tag, value, err
}

// vector locates the vector field points to, whose elements are elemSize
// bytes each, checking that all of it lies inside the file. It returns the
// offset of the first element and the element count (0, 0 when unset).
func (t Table) vector(field, elemSize int) (start, n int, err error) {
	to, ok, err := t.indirect(field)
	if !ok {
		return 0, 0, err
	}
	count := int64(flatbuffers.GetUint32(t.buf[to:]))
	if count*int64(elemSize) > int64(len(t.buf)-to-4) {
		return 0, 0, errorAt(to, "vector of %d %d-byte elements runs past the end of the %d-byte file", count, elemSize, len(t.buf))
	}
	if t.budget != nil {
		if *t.budget -= count * int64(elemSize); *t.budget < 0 {
			return 0, 0, errorAt(to, "vectors shared so often that the model decodes to far more data than the %d-byte file holds", len(t.buf))
		}
	}
	return to + 4, int(count), nil
}

// Bytes returns a [ubyte] or [byte] vector field as a slice of the file
// (nil when unset).
func (t Table) Bytes(field int) ([]byte, error) {
	start, n, err := t.vector(field, 1)
	if err != nil || n == 0 {
		return nil, err
	}
	return t.buf[start : start+n : start+n], nil
}

// String reads a string field ("" when unset).
func (t Table) String(field int) (string, error) {
	b, err := t.Bytes(field)
	return string(b), err
}

// Int32s reads an [int] vector field (nil when unset or empty).
func (t Table) Int32s(field int) ([]int32, error) {
	start, n, err := t.vector(field, 4)
	if err != nil || n == 0 {
		return nil, err
	}
	v := make([]int32, n)
	for i := range v {
		v[i] = flatbuffers.GetInt32(t.buf[start+4*i:])
	}
	return v, nil
}

// Int64s reads a [long] vector field (nil when unset or empty).
func (t Table) Int64s(field int) ([]int64, error) {
	start, n, err := t.vector(field, 8)
	if err != nil || n == 0 {
		return nil, err
	}
	v := make([]int64, n)
	for i := range v {
		v[i] = flatbuffers.GetInt64(t.buf[start+8*i:])
	}
	return v, nil
}

// Float32s reads a [float] vector field (nil when unset or empty).
func (t Table) Float32s(field int) ([]float32, error) {
	start, n, err := t.vector(field, 4)
	if err != nil || n == 0 {
		return nil, err
	}
	v := make([]float32, n)
	for i := range v {
		v[i] = flatbuffers.GetFloat32(t.buf[start+4*i:])
	}
	return v, nil
}

// Tables reads a vector-of-tables field (empty when unset). The vector's
// element offsets are known to lie inside the file, so its length can size
// a slice; each element is checked when At reads it.
func (t Table) Tables(field int) (TableVector, error) {
	start, n, err := t.vector(field, 4)
	if err != nil {
		return TableVector{}, err
	}
	return TableVector{parent: t, start: start, n: n}, nil
}

// TableVector is a bounds-checked view of a flatbuffer vector of tables.
type TableVector struct {
	parent   Table
	start, n int
}

// Len returns the number of elements.
func (v TableVector) Len() int { return v.n }

// At returns element i, which must be in [0, Len()).
func (v TableVector) At(i int) (Table, error) {
	if i < 0 || i >= v.n {
		return Table{}, fmt.Errorf("tflite: table vector index %d out of range [0, %d)", i, v.n)
	}
	buf := v.parent.buf
	at := v.start + 4*i
	to := int64(at) + int64(flatbuffers.GetUint32(buf[at:]))
	if to > int64(len(buf)-4) {
		return Table{}, errorAt(at, "element %d points outside the %d-byte file (to %d)", i, len(buf), to)
	}
	elem, err := v.parent.child(int(to))
	if err != nil {
		return Table{}, within(err, "element %d", i)
	}
	return elem, nil
}
