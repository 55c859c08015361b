package flexbuf

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEncodeMapRoundTrip reads back every kind of value EncodeMap writes.
func TestEncodeMapRoundTrip(t *testing.T) {
	buf, err := EncodeMap(map[string]any{
		"frame_size": 400, "int32": int32(-7), "int64": int64(1) << 40, "on": true, "off": false,
		"scale": float32(0.5), "ratio": 0.25, "name": "hann", "shape": []int32{1, -2, 3},
		"wide": []int64{1 << 33}, "weights": []float32{1.5, -2},
	})
	require.NoError(t, err)
	m := rootMap(t, buf)
	require.Equal(t, 11, m.Len())
	for i := 1; i < m.Len(); i++ {
		prev, err := m.Key(i - 1)
		require.NoError(t, err)
		key, err := m.Key(i)
		require.NoError(t, err)
		assert.Less(t, prev, key, "keys are sorted")
	}
	assert.Equal(t, int64(400), getInt(t, m, "frame_size"))
	assert.Equal(t, int64(-7), getInt(t, m, "int32"))
	assert.Equal(t, int64(1)<<40, getInt(t, m, "int64"))
	get := func(key string) Value {
		v, ok, err := m.Get(key)
		require.NoError(t, err)
		require.True(t, ok, key)
		return v
	}
	on, err := get("on").Bool()
	require.NoError(t, err)
	assert.True(t, on)
	off, err := get("off").Bool()
	require.NoError(t, err)
	assert.False(t, off)
	f, err := get("scale").Float()
	require.NoError(t, err)
	assert.Equal(t, 0.5, f)
	f, err = get("ratio").Float()
	require.NoError(t, err)
	assert.Equal(t, 0.25, f)
	name, err := get("name").Bytes()
	require.NoError(t, err)
	assert.Equal(t, "hann", string(name))
	vec, err := get("shape").Vector()
	require.NoError(t, err)
	ints, err := vec.Ints()
	require.NoError(t, err)
	assert.Equal(t, []int64{1, -2, 3}, ints)
	vec, err = get("wide").Vector()
	require.NoError(t, err)
	ints, err = vec.Ints()
	require.NoError(t, err)
	assert.Equal(t, []int64{1 << 33}, ints)
	vec, err = get("weights").Vector()
	require.NoError(t, err)
	require.Equal(t, 2, vec.Len())
	w, err := vec.At(1)
	require.NoError(t, err)
	f, err = w.Float()
	require.NoError(t, err)
	assert.Equal(t, -2.0, f)
}

func TestEncodeMapRejectsUnknownTypes(t *testing.T) {
	_, err := EncodeMap(map[string]any{"bad": struct{}{}})
	assert.ErrorContains(t, err, `entry "bad": cannot encode a struct {}`)
}
