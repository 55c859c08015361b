package flexbuf

import (
	"encoding/binary"
	"fmt"
	"math"
	"slices"
)

// EncodeMap writes a FlexBuffers map of the given entries, the form of a
// custom operator's options, so that tests and tools can make models with
// custom operators. Every value and reference is 8 bytes wide, which any
// reader accepts. Values may be bool, int, int32, int64, float32, float64,
// string, []int32, []int64 (int vectors) or []float32 (a float vector).
func EncodeMap(entries map[string]any) ([]byte, error) {
	keys := make([]string, 0, len(entries))
	for k := range entries {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	var e encoder
	keyAt := make([]int, len(keys))
	for i, k := range keys {
		keyAt[i] = len(e.buf)
		e.buf = append(append(e.buf, k...), 0)
	}
	// Scalars are stored inline; vectors and strings before the map.
	slots := make([]slot, len(keys))
	for i, k := range keys {
		s, err := e.value(entries[k])
		if err != nil {
			return nil, fmt.Errorf("flexbuffer entry %q: %w", k, err)
		}
		slots[i] = s
	}

	e.align()
	e.word(uint64(len(keys)))
	keysAt := len(e.buf)
	for _, at := range keyAt {
		e.word(uint64(len(e.buf) - at))
	}

	e.align()
	e.word(uint64(len(e.buf) - keysAt)) // offset back to the keys
	e.word(8)                           // their byte width
	e.word(uint64(len(keys)))
	mapAt := len(e.buf)
	for _, s := range slots {
		if s.ref >= 0 {
			e.word(uint64(len(e.buf) - s.ref))
		} else {
			e.word(s.inline)
		}
	}
	for _, s := range slots {
		e.buf = append(e.buf, byte(s.typ)<<2|3)
	}

	e.align()
	e.word(uint64(len(e.buf) - mapAt))
	e.buf = append(e.buf, byte(TypeMap)<<2|3, 8)
	return e.buf, nil
}

// slot is one map value: inline bits, or where the data it refers to
// starts (ref >= 0).
type slot struct {
	typ    Type
	inline uint64
	ref    int
}

// encoder appends 8-byte words to a buffer.
type encoder struct{ buf []byte }

func (e *encoder) align() {
	for len(e.buf)%8 != 0 {
		e.buf = append(e.buf, 0)
	}
}

func (e *encoder) word(u uint64) { e.buf = binary.LittleEndian.AppendUint64(e.buf, u) }

// value encodes one map value, writing out-of-line data first.
func (e *encoder) value(v any) (slot, error) {
	switch v := v.(type) {
	case bool:
		var u uint64
		if v {
			u = 1
		}
		return slot{typ: TypeBool, inline: u, ref: -1}, nil
	case int:
		return slot{typ: TypeInt, inline: uint64(v), ref: -1}, nil
	case int32:
		return slot{typ: TypeInt, inline: uint64(int64(v)), ref: -1}, nil
	case int64:
		return slot{typ: TypeInt, inline: uint64(v), ref: -1}, nil
	case float32:
		return slot{typ: TypeFloat, inline: math.Float64bits(float64(v)), ref: -1}, nil
	case float64:
		return slot{typ: TypeFloat, inline: math.Float64bits(v), ref: -1}, nil
	case string:
		e.align()
		e.word(uint64(len(v)))
		at := len(e.buf)
		e.buf = append(append(e.buf, v...), 0)
		return slot{typ: TypeString, ref: at}, nil
	case []int32:
		return e.vector(TypeVectorInt, len(v), func(i int) uint64 { return uint64(int64(v[i])) }), nil
	case []int64:
		return e.vector(TypeVectorInt, len(v), func(i int) uint64 { return uint64(v[i]) }), nil
	case []float32:
		return e.vector(TypeVectorFloat, len(v), func(i int) uint64 { return math.Float64bits(float64(v[i])) }), nil
	}
	return slot{}, fmt.Errorf("cannot encode a %T", v)
}

// vector writes a typed vector of n 8-byte elements.
func (e *encoder) vector(typ Type, n int, elem func(int) uint64) slot {
	e.align()
	e.word(uint64(n))
	at := len(e.buf)
	for i := range n {
		e.word(elem(i))
	}
	return slot{typ: typ, ref: at}
}
