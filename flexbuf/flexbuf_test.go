package flexbuf

import (
	"encoding/hex"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Custom options of TFLM Signal-library operators, as the shared
// micro_speech audio preprocessor model stores them.
const (
	windowOptions = "73686966740001070101010c04022401" // {shift: 12}
	rfftOptions   = "54006666745f6c656e67746800020e0d020001000200070000020505062501"
	emptyOptions  = "00000100002401"
	spectralSub   = "616c7465726e6174655f6f6e655f6d696e75735f736d6f6f7468696e6700616c7465726e6174655f736d6f6f7468696e6700636c616d70696e67006d696e5f7369676e616c5f72656d61696e696e67006e756d5f6368616e6e656c73006f6e655f6d696e75735f736d6f6f7468696e6700736d6f6f7468696e6700736d6f6f7468696e675f6269747300737065637472616c5f7375627472616374696f6e5f626974730009a588756d594d3a3123090001000900293cd703000033032800673e99010a000e000505690505050505051b2501"
)

func mustHex(t *testing.T, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

func rootMap(t *testing.T, buf []byte) Map {
	t.Helper()
	root, err := Root(buf)
	require.NoError(t, err)
	require.Equal(t, TypeMap, root.Type())
	m, err := root.Map()
	require.NoError(t, err)
	return m
}

func getInt(t *testing.T, m Map, key string) int64 {
	t.Helper()
	v, ok, err := m.Get(key)
	require.NoError(t, err)
	require.True(t, ok, key)
	i, err := v.Int()
	require.NoError(t, err)
	return i
}

func TestOneEntryMap(t *testing.T) {
	m := rootMap(t, mustHex(t, windowOptions))
	assert.Equal(t, 1, m.Len())
	key, err := m.Key(0)
	require.NoError(t, err)
	assert.Equal(t, "shift", key)
	assert.Equal(t, int64(12), getInt(t, m, "shift"))
	_, ok, err := m.Get("shif")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestSixteenBitMap(t *testing.T) {
	m := rootMap(t, mustHex(t, rfftOptions))
	assert.Equal(t, int64(7), getInt(t, m, "T"))
	assert.Equal(t, int64(512), getInt(t, m, "fft_length"))
}

func TestEmptyMap(t *testing.T) {
	m := rootMap(t, mustHex(t, emptyOptions))
	assert.Equal(t, 0, m.Len())
	_, ok, err := m.Get("x")
	require.NoError(t, err)
	assert.False(t, ok)
}

func TestMapWithBool(t *testing.T) {
	m := rootMap(t, mustHex(t, spectralSub))
	require.Equal(t, 9, m.Len())
	v, ok, err := m.Get("clamping")
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, TypeBool, v.Type())
	b, err := v.Bool()
	require.NoError(t, err)
	assert.False(t, b)
	assert.Equal(t, int64(14), getInt(t, m, "spectral_subtraction_bits"))
	assert.Equal(t, int64(40), getInt(t, m, "num_channels"))
	var keys []string
	for i := range m.Len() {
		k, err := m.Key(i)
		require.NoError(t, err)
		keys = append(keys, k)
	}
	assert.IsIncreasing(t, keys)
}

// TestScalars reads a root scalar of each inline type and width.
func TestScalars(t *testing.T) {
	i8, err := Root([]byte{0xfe, byte(TypeInt) << 2, 1})
	require.NoError(t, err)
	i, err := i8.Int()
	require.NoError(t, err)
	assert.Equal(t, int64(-2), i)
	_, err = i8.Uint()
	assert.Error(t, err, "a negative int is not unsigned")

	u16, err := Root([]byte{0x34, 0x12, byte(TypeUint) << 2, 2})
	require.NoError(t, err)
	u, err := u16.Uint()
	require.NoError(t, err)
	assert.Equal(t, uint64(0x1234), u)

	f32 := append(le32(math.Float32bits(1.5)), byte(TypeFloat)<<2, 4)
	fv, err := Root(f32)
	require.NoError(t, err)
	f, err := fv.Float()
	require.NoError(t, err)
	assert.Equal(t, 1.5, f)
	_, err = fv.Int()
	assert.Error(t, err)

	b, err := Root([]byte{1, byte(TypeBool) << 2, 1})
	require.NoError(t, err)
	ok, err := b.Bool()
	require.NoError(t, err)
	assert.True(t, ok)
}

// TestWrongType checks that reading a scalar as a string or a vector says
// so, rather than following its value as an offset: 0xfe would point
// before the buffer.
func TestWrongType(t *testing.T) {
	v, err := Root([]byte{0xfe, byte(TypeInt) << 2, 1})
	require.NoError(t, err)
	_, err = v.Bytes()
	assert.EqualError(t, err, "flexbuffer value of type int is not a string, blob or key")
	_, err = v.Vector()
	assert.EqualError(t, err, "flexbuffer value of type int is not a vector")
	_, err = v.Map()
	assert.EqualError(t, err, "flexbuffer value of type int is not a map")
}

func le32(u uint32) []byte { return []byte{byte(u), byte(u >> 8), byte(u >> 16), byte(u >> 24)} }

// TestVectors reads a typed int vector, a fixed-length one, an untyped one
// and an indirect int.
func TestVectors(t *testing.T) {
	// [3, -1, 5] as int16 typed vector: length 3 (2 bytes), elements.
	typed := []byte{3, 0, 3, 0, 0xff, 0xff, 5, 0, 6, byte(TypeVectorInt)<<2 | 1, 1}
	root, err := Root(typed)
	require.NoError(t, err)
	vec, err := root.Vector()
	require.NoError(t, err)
	ints, err := vec.Ints()
	require.NoError(t, err)
	assert.Equal(t, []int64{3, -1, 5}, ints)

	fixed := []byte{7, 8, 2, byte(TypeVectorUint2) << 2, 1}
	root, err = Root(fixed)
	require.NoError(t, err)
	vec, err = root.Vector()
	require.NoError(t, err)
	ints, err = vec.Ints()
	require.NoError(t, err)
	assert.Equal(t, []int64{7, 8}, ints)

	// Untyped [int 4, indirect int -300]: the indirect value (2 bytes)
	// comes first.
	untyped := []byte{0xd4, 0xfe, 2, 4, 4, byte(TypeInt) << 2, byte(TypeIndirectInt)<<2 | 1, 4, byte(TypeVector) << 2, 1}
	root, err = Root(untyped)
	require.NoError(t, err)
	vec, err = root.Vector()
	require.NoError(t, err)
	ints, err = vec.Ints()
	require.NoError(t, err)
	assert.Equal(t, []int64{4, -300}, ints)
	_, err = vec.At(2)
	assert.Error(t, err)
}

func TestStringAndBlob(t *testing.T) {
	str := []byte{2, 'h', 'i', 0, 3, byte(TypeString) << 2, 1}
	root, err := Root(str)
	require.NoError(t, err)
	b, err := root.Bytes()
	require.NoError(t, err)
	assert.Equal(t, "hi", string(b))
}

// TestHostile checks that malformed buffers give errors that wrap
// ErrFormat.
func TestHostile(t *testing.T) {
	for name, buf := range map[string][]byte{
		"offset before start":   {9, byte(TypeVectorInt) << 2, 1},
		"huge length":           {0xff, 0xff, 0xff, 0x7f, 4, byte(TypeVectorInt)<<2 | 2, 1},
		"length past the end":   {5, 1, 1, byte(TypeVectorInt) << 2, 1},
		"key without NUL":       {'a', 'b', 2, byte(TypeKey) << 2, 1},
		"map keys width 3":      {0, 3, 0, 1, byte(TypeMap) << 2, 1},
		"map keys outside":      {40, 1, 0, 3, byte(TypeMap) << 2, 1},
		"float one byte wide":   {1, byte(TypeFloat) << 2, 1},
		"indirect past the end": {0, byte(TypeIndirectInt)<<2 | 3, 1},
	} {
		t.Run(name, func(t *testing.T) {
			root, err := Root(buf)
			require.NoError(t, err)
			budget := 100
			err = walk(root, &budget)
			assert.ErrorIs(t, err, ErrFormat)
		})
	}
	for name, buf := range map[string][]byte{
		"empty":         {},
		"root width 3":  {0, 4, 3},
		"root too wide": {0, 4, 8},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := Root(buf)
			assert.ErrorIs(t, err, ErrFormat)
		})
	}
}

// walk reads everything reachable from v, visiting at most *budget more
// values, and returns the first error.
func walk(v Value, budget *int) error {
	if *budget--; *budget < 0 {
		return nil
	}
	switch v.Type() {
	case TypeNull:
		return nil
	case TypeInt, TypeIndirectInt, TypeUint, TypeIndirectUint, TypeBool:
		_, err := v.Int()
		if err != nil {
			return err
		}
		_, err = v.Bool()
		return err
	case TypeFloat, TypeIndirectFloat:
		_, err := v.Float()
		return err
	case TypeKey, TypeString, TypeBlob:
		_, err := v.Bytes()
		return err
	case TypeMap:
		m, err := v.Map()
		if err != nil {
			return err
		}
		for i := range m.Len() {
			if _, err := m.Key(i); err != nil {
				return err
			}
			e, err := m.Value(i)
			if err != nil {
				return err
			}
			if err := walk(e, budget); err != nil {
				return err
			}
		}
		return nil
	}
	vec, err := v.Vector()
	if err != nil {
		return err
	}
	for i := range vec.Len() {
		e, err := vec.At(i)
		if err != nil {
			return err
		}
		if err := walk(e, budget); err != nil {
			return err
		}
	}
	return nil
}
