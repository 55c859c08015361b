package runtime

import (
	"encoding/binary"
	"fmt"
	"math"
)

// The kernels need a handful of scalar fields from each operator's builtin
// options table. They are read here straight from the model's flatbuffer
// (Model.Raw), walking model -> subgraphs[0] -> operators[i] ->
// builtin_options with every offset bounds-checked, so a hostile file
// yields an error or a field's default, never a panic.

// optionsTable is one operator's builtin options table; the zero value (no
// table) answers every field with its default.
type optionsTable struct {
	buf []byte
	pos int // absolute offset of the table, 0 when absent
}

// Field numbers of the schema tables on the way to the options.
const (
	fieldModelSubgraphs    = 2
	fieldSubgraphOperators = 3
	fieldOperatorOptions   = 4
)

// operatorOptions returns the builtin options table of operator op of the
// main subgraph.
func operatorOptions(raw []byte, op int) (optionsTable, error) {
	if len(raw) < 8 {
		return optionsTable{}, fmt.Errorf("model too short")
	}
	root := optionsTable{buf: raw, pos: int(binary.LittleEndian.Uint32(raw))}
	subgraph, err := root.vectorTable(fieldModelSubgraphs, 0)
	if err != nil {
		return optionsTable{}, fmt.Errorf("subgraph 0: %w", err)
	}
	operator, err := subgraph.vectorTable(fieldSubgraphOperators, op)
	if err != nil {
		return optionsTable{}, fmt.Errorf("operator %d: %w", op, err)
	}
	at, ok := operator.field(fieldOperatorOptions)
	if !ok {
		return optionsTable{buf: raw}, nil
	}
	return operator.indirect(at)
}

// u32 reads a little-endian uint32 at off, if it is inside the buffer.
func (t optionsTable) u32(off int) (uint32, bool) {
	if off < 0 || off > len(t.buf)-4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(t.buf[off:]), true
}

// field returns the absolute offset of field id's data, or false when the
// table is absent, the field is not set or the vtable is out of bounds.
func (t optionsTable) field(id int) (int, bool) {
	if t.pos <= 0 {
		return 0, false
	}
	soff, ok := t.u32(t.pos)
	if !ok {
		return 0, false
	}
	vtable := t.pos - int(int32(soff))
	if vtable < 0 || vtable > len(t.buf)-4 {
		return 0, false
	}
	vlen := int(binary.LittleEndian.Uint16(t.buf[vtable:]))
	slot := 4 + 2*id
	if slot+2 > vlen || vtable+slot+2 > len(t.buf) {
		return 0, false
	}
	rel := int(binary.LittleEndian.Uint16(t.buf[vtable+slot:]))
	if rel == 0 {
		return 0, false
	}
	return t.pos + rel, true
}

// indirect follows the offset stored at at to a table.
func (t optionsTable) indirect(at int) (optionsTable, error) {
	rel, ok := t.u32(at)
	if !ok || at+int(rel) >= len(t.buf) || int(rel) < 4 {
		return optionsTable{}, fmt.Errorf("table offset at %d out of bounds", at)
	}
	return optionsTable{buf: t.buf, pos: at + int(rel)}, nil
}

// vectorTable returns element i of the vector of tables in field id.
func (t optionsTable) vectorTable(id, i int) (optionsTable, error) {
	at, ok := t.field(id)
	if !ok {
		return optionsTable{}, fmt.Errorf("field %d missing", id)
	}
	rel, ok := t.u32(at)
	if !ok {
		return optionsTable{}, fmt.Errorf("vector offset at %d out of bounds", at)
	}
	vec := at + int(rel)
	n, ok := t.u32(vec)
	if !ok || i >= int(n) {
		return optionsTable{}, fmt.Errorf("vector at %d has no element %d", vec, i)
	}
	return t.indirect(vec + 4 + 4*i)
}

// int32Field returns field id as an int32, or def.
func (t optionsTable) int32Field(id int, def int32) int32 {
	at, ok := t.field(id)
	if !ok {
		return def
	}
	v, ok := t.u32(at)
	if !ok {
		return def
	}
	return int32(v)
}

// byteField returns field id as a byte (enums, bools), or def.
func (t optionsTable) byteField(id int, def byte) byte {
	at, ok := t.field(id)
	if !ok || at >= len(t.buf) {
		return def
	}
	return t.buf[at]
}

// float32Field returns field id as a float32, or def.
func (t optionsTable) float32Field(id int, def float32) float32 {
	at, ok := t.field(id)
	if !ok {
		return def
	}
	v, ok := t.u32(at)
	if !ok {
		return def
	}
	return math.Float32frombits(v)
}
