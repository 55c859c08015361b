// Package flexbuf reads FlexBuffers, the schema-less sibling of
// FlatBuffers that TensorFlow Lite uses for the options of custom
// operators (Operator.custom_options): TFLM's Signal-library kernels, for
// one, take their parameters from a FlexBuffers map.
//
// It reads in place, without copying or building a tree: Root returns a
// Value, and a Value's accessors follow one offset at a time. Every offset,
// width and length is checked against the buffer, so hostile input yields
// an error rather than a panic, a loop or an allocation larger than the
// buffer; there is no recursion, so a cycle of offsets cannot hang a
// reader. It covers what operator options hold: maps, untyped, typed and
// fixed-length typed vectors, keys, strings, blobs and the scalar types
// (inline and indirect). There is no Go FlexBuffers library on the module
// proxy worth depending on, and this subset is small.
//
// The format is described in FlatBuffers' "FlexBuffers internals": values
// are stored before their parents, the root at the end of the buffer; a
// reference is an unsigned offset back from where it is stored; a vector's
// length precedes its first element; an untyped vector's elements are
// followed by one packed type byte each (type << 2 | log2 of the child's
// byte width); a map is an untyped vector of values preceded by the offset
// and byte width of its sorted vector of keys.
package flexbuf

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"math"
)

// Type is a FlexBuffers value type.
type Type uint8

// The FlexBuffers types.
const (
	TypeNull          Type = 0
	TypeInt           Type = 1
	TypeUint          Type = 2
	TypeFloat         Type = 3
	TypeKey           Type = 4
	TypeString        Type = 5
	TypeIndirectInt   Type = 6
	TypeIndirectUint  Type = 7
	TypeIndirectFloat Type = 8
	TypeMap           Type = 9
	TypeVector        Type = 10 // untyped: each element has its own type
	TypeVectorInt     Type = 11
	TypeVectorUint    Type = 12
	TypeVectorFloat   Type = 13
	TypeVectorKey     Type = 14
	// TypeVectorString is deprecated in the format but still readable.
	TypeVectorString Type = 15
	TypeVectorInt2   Type = 16
	TypeVectorUint2  Type = 17
	TypeVectorFloat2 Type = 18
	TypeVectorInt3   Type = 19
	TypeVectorUint3  Type = 20
	TypeVectorFloat3 Type = 21
	TypeVectorInt4   Type = 22
	TypeVectorUint4  Type = 23
	TypeVectorFloat4 Type = 24
	TypeBlob         Type = 25
	TypeBool         Type = 26
	TypeVectorBool   Type = 36
)

var typeNames = map[Type]string{
	TypeNull: "null", TypeInt: "int", TypeUint: "uint", TypeFloat: "float", TypeKey: "key",
	TypeString: "string", TypeIndirectInt: "indirect int", TypeIndirectUint: "indirect uint",
	TypeIndirectFloat: "indirect float", TypeMap: "map", TypeVector: "vector",
	TypeVectorInt: "int vector", TypeVectorUint: "uint vector", TypeVectorFloat: "float vector",
	TypeVectorKey: "key vector", TypeVectorString: "string vector",
	TypeVectorInt2: "int vector[2]", TypeVectorUint2: "uint vector[2]", TypeVectorFloat2: "float vector[2]",
	TypeVectorInt3: "int vector[3]", TypeVectorUint3: "uint vector[3]", TypeVectorFloat3: "float vector[3]",
	TypeVectorInt4: "int vector[4]", TypeVectorUint4: "uint vector[4]", TypeVectorFloat4: "float vector[4]",
	TypeBlob: "blob", TypeBool: "bool", TypeVectorBool: "bool vector",
}

func (t Type) String() string {
	if name, ok := typeNames[t]; ok {
		return name
	}
	return fmt.Sprintf("type %d", uint8(t))
}

// elementType returns the element type and fixed length (0 if the length
// is stored) of a typed vector type; ok is false for other types.
func (t Type) elementType() (elem Type, fixed int, ok bool) {
	switch {
	case t >= TypeVectorInt && t <= TypeVectorString:
		return TypeInt + (t - TypeVectorInt), 0, true
	case t == TypeVectorBool:
		return TypeBool, 0, true
	case t >= TypeVectorInt2 && t <= TypeVectorFloat4:
		k := int(t - TypeVectorInt2)
		return TypeInt + Type(k%3), 2 + k/3, true
	}
	return 0, 0, false
}

// ErrFormat is wrapped by every error about malformed data.
var ErrFormat = errors.New("malformed flexbuffer")

// formatError reports malformed data at a byte offset.
func formatError(offset int, format string, args ...any) error {
	return fmt.Errorf("%w at byte %d: %s", ErrFormat, offset, fmt.Sprintf(format, args...))
}

// Value is one value in a buffer: an inline scalar, or a reference to
// data stored elsewhere in it.
type Value struct {
	buf []byte
	// pos is where the value (or its offset) is stored and width the byte
	// width it is stored with, set by its parent.
	pos, width int
	typ        Type
	// childWidth is the byte width of the referenced data (its elements
	// and length field), from the low bits of the packed type.
	childWidth int
}

// Root returns the root value of a FlexBuffers buffer: the last byte is
// the root's byte width, the one before its packed type.
func Root(buf []byte) (Value, error) {
	if len(buf) < 3 {
		return Value{}, formatError(0, "%d bytes is too short for a flexbuffer", len(buf))
	}
	width := int(buf[len(buf)-1])
	if !validWidth(width) {
		return Value{}, formatError(len(buf)-1, "root byte width %d is not 1, 2, 4 or 8", width)
	}
	pos := len(buf) - 2 - width
	if pos < 0 {
		return Value{}, formatError(0, "root of width %d does not fit in %d bytes", width, len(buf))
	}
	return value(buf, pos, width, buf[len(buf)-2]), nil
}

// value decodes a packed type byte into the value stored at pos.
func value(buf []byte, pos, width int, packed byte) Value {
	return Value{buf: buf, pos: pos, width: width, typ: Type(packed >> 2), childWidth: 1 << (packed & 3)}
}

func validWidth(w int) bool { return w == 1 || w == 2 || w == 4 || w == 8 }

// Type returns the value's type.
func (v Value) Type() Type { return v.typ }

// readUint reads a little-endian unsigned integer of width bytes at pos.
func readUint(buf []byte, pos, width int) (uint64, error) {
	if pos < 0 || width > len(buf) || pos > len(buf)-width {
		return 0, formatError(pos, "%d-byte field runs past the %d-byte buffer", width, len(buf))
	}
	b := buf[pos : pos+width]
	switch width {
	case 1:
		return uint64(b[0]), nil
	case 2:
		return uint64(binary.LittleEndian.Uint16(b)), nil
	case 4:
		return uint64(binary.LittleEndian.Uint32(b)), nil
	case 8:
		return binary.LittleEndian.Uint64(b), nil
	}
	return 0, formatError(pos, "byte width %d is not 1, 2, 4 or 8", width)
}

// readInt reads a little-endian signed integer of width bytes at pos.
func readInt(buf []byte, pos, width int) (int64, error) {
	u, err := readUint(buf, pos, width)
	if err != nil {
		return 0, err
	}
	shift := 64 - 8*width
	return int64(u<<shift) >> shift, nil
}

// readFloat reads a float32 or float64 at pos.
func readFloat(buf []byte, pos, width int) (float64, error) {
	u, err := readUint(buf, pos, width)
	if err != nil {
		return 0, err
	}
	switch width {
	case 4:
		return float64(math.Float32frombits(uint32(u))), nil
	case 8:
		return math.Float64frombits(u), nil
	}
	return 0, formatError(pos, "a float cannot be %d bytes wide", width)
}

// target follows the offset stored at v's position back to the data it
// references.
func (v Value) target() (int, error) {
	off, err := readUint(v.buf, v.pos, v.width)
	if err != nil {
		return 0, err
	}
	if off > uint64(v.pos) {
		return 0, formatError(v.pos, "offset %d points before the buffer", off)
	}
	return v.pos - int(off), nil
}

// Int returns an integer value (int, uint, bool, or indirect int or uint)
// as int64; a uint above math.MaxInt64 is an error.
func (v Value) Int() (int64, error) {
	switch v.typ {
	case TypeInt:
		return readInt(v.buf, v.pos, v.width)
	case TypeIndirectInt:
		at, err := v.target()
		if err != nil {
			return 0, err
		}
		return readInt(v.buf, at, v.childWidth)
	case TypeUint, TypeIndirectUint, TypeBool:
		u, err := v.Uint()
		if err != nil {
			return 0, err
		}
		if u > math.MaxInt64 {
			return 0, fmt.Errorf("%w: %d overflows int64", ErrFormat, u)
		}
		return int64(u), nil
	}
	return 0, fmt.Errorf("flexbuffer value of type %v is not an integer", v.typ)
}

// Uint returns an unsigned value (uint, bool, indirect uint, or a
// non-negative int or indirect int) as uint64.
func (v Value) Uint() (uint64, error) {
	switch v.typ {
	case TypeUint, TypeBool:
		return readUint(v.buf, v.pos, v.width)
	case TypeIndirectUint:
		at, err := v.target()
		if err != nil {
			return 0, err
		}
		return readUint(v.buf, at, v.childWidth)
	case TypeInt, TypeIndirectInt:
		i, err := v.Int()
		if err != nil {
			return 0, err
		}
		if i < 0 {
			return 0, fmt.Errorf("flexbuffer value %d is negative, not unsigned", i)
		}
		return uint64(i), nil
	}
	return 0, fmt.Errorf("flexbuffer value of type %v is not an unsigned integer", v.typ)
}

// Bool returns a bool value, or whether an integer value is non-zero.
func (v Value) Bool() (bool, error) {
	switch v.typ {
	case TypeBool, TypeUint, TypeIndirectUint:
		u, err := v.Uint()
		return u != 0, err
	case TypeInt, TypeIndirectInt:
		i, err := v.Int()
		return i != 0, err
	}
	return false, fmt.Errorf("flexbuffer value of type %v is not a bool", v.typ)
}

// Float returns a float value (inline or indirect), or an integer value
// converted to float64.
func (v Value) Float() (float64, error) {
	switch v.typ {
	case TypeFloat:
		return readFloat(v.buf, v.pos, v.width)
	case TypeIndirectFloat:
		at, err := v.target()
		if err != nil {
			return 0, err
		}
		return readFloat(v.buf, at, v.childWidth)
	case TypeInt, TypeIndirectInt:
		i, err := v.Int()
		return float64(i), err
	case TypeUint, TypeIndirectUint, TypeBool:
		u, err := v.Uint()
		return float64(u), err
	}
	return 0, fmt.Errorf("flexbuffer value of type %v is not a number", v.typ)
}

// Bytes returns the contents of a string or blob value, or the text of a
// key, aliasing the buffer.
func (v Value) Bytes() ([]byte, error) {
	if v.typ != TypeKey && v.typ != TypeString && v.typ != TypeBlob {
		return nil, fmt.Errorf("flexbuffer value of type %v is not a string, blob or key", v.typ)
	}
	at, err := v.target()
	if err != nil {
		return nil, err
	}
	if v.typ == TypeKey {
		return cString(v.buf, at)
	}
	n, err := sizedRegion(v.buf, at, v.childWidth, 1)
	if err != nil {
		return nil, err
	}
	return v.buf[at : at+n], nil
}

// cString returns the NUL-terminated bytes at pos (without the NUL).
func cString(buf []byte, pos int) ([]byte, error) {
	if pos < 0 || pos >= len(buf) {
		return nil, formatError(pos, "key outside the %d-byte buffer", len(buf))
	}
	end := bytes.IndexByte(buf[pos:], 0)
	if end < 0 {
		return nil, formatError(pos, "key has no terminating NUL")
	}
	return buf[pos : pos+end], nil
}

// sizedRegion reads the length stored just before pos (width bytes wide)
// and checks that that many elements of elemBytes each, plus extra bytes
// per element, follow pos inside the buffer. It returns the length.
func sizedRegion(buf []byte, pos, width, elemBytes int) (int, error) {
	n, err := readUint(buf, pos-width, width)
	if err != nil {
		return 0, err
	}
	if err := fits(buf, pos, n, elemBytes); err != nil {
		return 0, err
	}
	return int(n), nil
}

// fits checks that n elements of elemBytes bytes each start at pos inside
// the buffer, without overflow.
func fits(buf []byte, pos int, n uint64, elemBytes int) error {
	if pos < 0 || pos > len(buf) || n > uint64(len(buf)-pos)/uint64(elemBytes) {
		return formatError(pos, "%d elements of %d bytes run past the %d-byte buffer", n, elemBytes, len(buf))
	}
	return nil
}

// Vector is a vector of values: untyped (each element with its own type
// byte), typed (one element type) or fixed-length typed.
type Vector struct {
	buf   []byte
	pos   int  // first element
	width int  // byte width of the elements
	n     int  // number of elements
	elem  Type // element type of a typed vector; unused when untyped
	typed bool
}

// Len returns the number of elements.
func (vec Vector) Len() int { return vec.n }

// At returns element i.
func (vec Vector) At(i int) (Value, error) {
	if i < 0 || i >= vec.n {
		return Value{}, fmt.Errorf("flexbuffer vector index %d out of range [0, %d)", i, vec.n)
	}
	pos := vec.pos + i*vec.width
	if vec.typed {
		return Value{buf: vec.buf, pos: pos, width: vec.width, typ: vec.elem, childWidth: 1}, nil
	}
	return value(vec.buf, pos, vec.width, vec.buf[vec.pos+vec.n*vec.width+i]), nil
}

// Ints returns every element as int64 (see Value.Int).
func (vec Vector) Ints() ([]int64, error) {
	out := make([]int64, vec.n)
	for i := range out {
		v, err := vec.At(i)
		if err != nil {
			return nil, err
		}
		if out[i], err = v.Int(); err != nil {
			return nil, fmt.Errorf("element %d: %w", i, err)
		}
	}
	return out, nil
}

// Vector returns a vector value: untyped, typed or fixed-length typed, or
// the values of a map.
func (v Value) Vector() (Vector, error) {
	untyped := v.typ == TypeVector || v.typ == TypeMap
	elem, fixed, typed := v.typ.elementType()
	if !untyped && !typed {
		return Vector{}, fmt.Errorf("flexbuffer value of type %v is not a vector", v.typ)
	}
	at, err := v.target()
	if err != nil {
		return Vector{}, err
	}
	w := v.childWidth
	if untyped {
		// Each element is followed, after all of them, by a type byte.
		n, err := sizedRegion(v.buf, at, w, w+1)
		if err != nil {
			return Vector{}, err
		}
		return Vector{buf: v.buf, pos: at, width: w, n: n}, nil
	}
	if fixed > 0 {
		if err := fits(v.buf, at, uint64(fixed), w); err != nil {
			return Vector{}, err
		}
		return Vector{buf: v.buf, pos: at, width: w, n: fixed, elem: elem, typed: true}, nil
	}
	n, err := sizedRegion(v.buf, at, w, w)
	if err != nil {
		return Vector{}, err
	}
	return Vector{buf: v.buf, pos: at, width: w, n: n, elem: elem, typed: true}, nil
}

// Map is a map from string keys to values.
type Map struct {
	keys   Vector // typed vector of keys, sorted
	values Vector // untyped vector of values, in key order
}

// Map returns a map value.
func (v Value) Map() (Map, error) {
	if v.typ != TypeMap {
		return Map{}, fmt.Errorf("flexbuffer value of type %v is not a map", v.typ)
	}
	values, err := v.Vector()
	if err != nil {
		return Map{}, err
	}
	// Before the values' length: the keys vector's byte width, and before
	// that the offset to it.
	w := values.width
	keysWidth, err := readUint(v.buf, values.pos-2*w, w)
	if err != nil {
		return Map{}, err
	}
	if !validWidth(int(keysWidth)) {
		return Map{}, formatError(values.pos-2*w, "map keys byte width %d is not 1, 2, 4 or 8", keysWidth)
	}
	keysRef := Value{buf: v.buf, pos: values.pos - 3*w, width: w, typ: TypeVectorKey, childWidth: int(keysWidth)}
	keys, err := keysRef.Vector()
	if err != nil {
		return Map{}, fmt.Errorf("map keys: %w", err)
	}
	if keys.n != values.n {
		return Map{}, formatError(values.pos, "map has %d keys for %d values", keys.n, values.n)
	}
	return Map{keys: keys, values: values}, nil
}

// Len returns the number of entries.
func (m Map) Len() int { return m.values.n }

// Key returns the key of entry i.
func (m Map) Key(i int) (string, error) {
	k, err := m.keys.At(i)
	if err != nil {
		return "", err
	}
	b, err := k.Bytes()
	return string(b), err
}

// Value returns the value of entry i.
func (m Map) Value(i int) (Value, error) { return m.values.At(i) }

// Get returns the value stored under key; ok is false if there is none.
// It scans every key, so it works even if a writer did not sort them.
func (m Map) Get(key string) (v Value, ok bool, err error) {
	for i := range m.keys.n {
		k, err := m.keys.At(i)
		if err != nil {
			return Value{}, false, err
		}
		at, err := k.target()
		if err != nil {
			return Value{}, false, err
		}
		if !hasKey(m.keys.buf, at, key) {
			continue
		}
		v, err := m.values.At(i)
		return v, err == nil, err
	}
	return Value{}, false, nil
}

// hasKey reports whether the NUL-terminated key at pos is key, reading at
// most len(key)+1 bytes.
func hasKey(buf []byte, pos int, key string) bool {
	end := pos + len(key)
	return pos >= 0 && end < len(buf) && string(buf[pos:end]) == key && buf[end] == 0
}
