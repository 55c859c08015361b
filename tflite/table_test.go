package tflite

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// tinyTable is a hand-laid flatbuffer: a vtable at 4 (6 bytes: length 6,
// table size 8, field 0 at +6) and its table at 10, whose soffset (6)
// points back to the vtable. Field 0 has room for one byte only.
var tinyTable = []byte{
	0, 0, 0, 0, // unused
	6, 0, 8, 0, 6, 0, // vtable
	6, 0, 0, 0, 0, 0, 0x2a, 0, // table: soffset, padding, field 0 = 42
}

func TestTableFields(t *testing.T) {
	tab, err := newTable(tinyTable, 10)
	require.NoError(t, err)
	assert.True(t, tab.Present())
	assert.Equal(t, int64(10), tab.Offset())
	assert.True(t, tab.Has(0))
	assert.False(t, tab.Has(1), "beyond the vtable")
	assert.False(t, tab.Has(-1))

	v, err := tab.Uint8(0, 7)
	require.NoError(t, err)
	assert.Equal(t, uint8(42), v)
	d, err := tab.Int32(1, -3)
	require.NoError(t, err)
	assert.Equal(t, int32(-3), d, "unset fields read as their default")

	_, err = tab.Int32(0, 0)
	assert.ErrorContains(t, err, "field 0 (4 bytes at +6) lies outside its 8-byte table")
	_, err = tab.Int32s(0)
	assert.Error(t, err)

	var absent Table
	assert.False(t, absent.Present())
	b, err := absent.Bool(3, true)
	require.NoError(t, err)
	assert.True(t, b)
	sub, err := absent.Table(0)
	require.NoError(t, err)
	assert.False(t, sub.Present())
}

func TestNewTableBounds(t *testing.T) {
	for _, c := range []struct {
		pos  int
		want string
	}{
		{-1, "table starts outside"},
		{len(tinyTable) - 2, "table starts outside"},
		{0, "vtable length 0 is not"},
		{4, "vtable offset points outside"},
	} {
		_, err := newTable(tinyTable, c.pos)
		assert.ErrorContains(t, err, c.want, "pos %d", c.pos)
	}
	// A table that claims more bytes than the file has left.
	short := append([]byte(nil), tinyTable...)
	short[6] = 200
	_, err := newTable(short, 10)
	assert.ErrorContains(t, err, "200-byte table runs past the end")
}
