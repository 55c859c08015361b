package runtime

import (
	"encoding/binary"
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// TestSigmoidTable checks the generated table by its properties: it starts
// at one half, never decreases, ends saturated, stays within 1.5 units of
// the sigmoid it samples (half a unit of rounding plus the interpolation
// correction), and matches spot values computed independently
// with 50-digit decimal arithmetic.
func TestSigmoidTable(t *testing.T) {
	table := sigmoidTable()
	assert.Equal(t, uint16(32768), table[0])
	assert.Equal(t, uint16(math.MaxUint16), table[255])
	for i := 1; i < 256; i++ {
		assert.LessOrEqual(t, table[i-1], table[i], "entry %d", i)
	}
	for i := range 255 {
		exact := 65536 / (1 + math.Exp(-float64(i)/24))
		assert.InDelta(t, exact, float64(table[i]), 1.5, "entry %d", i)
	}
	for i, want := range map[int]uint16{1: 33451, 12: 40794, 24: 47911, 48: 57724, 96: 64357, 128: 65221, 200: 65520, 254: 65534} {
		assert.Equal(t, want, table[i], "entry %d", i)
	}
}

// TestInt16SigmoidParams checks Prepare's choice between the power-of-two
// path (multiplier 0) and an explicit multiplier: the scale times 3*4096,
// doubled until it exceeds 32767/2, truncated.
func TestInt16SigmoidParams(t *testing.T) {
	q := func(scale float32) *tensorInfo {
		return &tensorInfo{kind: tflite.Int16, scale: scale}
	}
	out := q(1.0 / 32768)
	for _, c := range []struct {
		scale     float32
		tanh      bool
		mult      int32
		leftShift int
	}{
		{1.0 / 4096, false, 0, 0},
		{1.0 / 4096, true, 0, 0},
		{1.0 / 2048, true, 0, 1},
		{1.0 / 2048, false, 24576, 12}, // 6 doubled 12 times
		{1.0 / 3000, false, 16777, 12}, // 4.096 doubled 12 times
		{1.0 / 3000, true, 16777, 12},
		{2, true, 24576, 0}, // above 32767/2 already
	} {
		mult, shift, err := int16SigmoidParams(q(c.scale), out, c.tanh)
		require.NoError(t, err)
		assert.Equal(t, c.mult, mult, "scale %g tanh %v", c.scale, c.tanh)
		assert.Equal(t, c.leftShift, shift, "scale %g tanh %v", c.scale, c.tanh)
	}
	_, _, err := int16SigmoidParams(q(1.0/4096), q(1.0/256), false)
	assert.ErrorIs(t, err, errUnsupported, "output scale")
	_, _, err = int16SigmoidParams(q(8), out, false)
	assert.ErrorIs(t, err, errUnsupported, "input scale beyond 15 bits")
	_, _, err = int16SigmoidParams(q(1e-14), out, false)
	assert.ErrorIs(t, err, errUnsupported, "input scale that 31 doublings leave below 1")
	_, _, err = int16SigmoidParams(q(0), out, false)
	assert.Error(t, err, "zero input scale")
}

// TestInt16LogisticTanh runs the int16 LOGISTIC and TANH over every int16
// input at several input scales: the outputs follow the real functions
// within 3 units of 2^-15, are monotone, and are symmetric as the
// functions are (sigmoid(-x) = 1-sigmoid(x), tanh(-x) = -tanh(x)) up to
// the input rescaling's round-half-up.
func TestInt16LogisticTanh(t *testing.T) {
	const n = 1 << 16
	input := make([]byte, 2*n)
	for i := range n {
		binary.LittleEndian.PutUint16(input[2*i:], uint16(i-n/2))
	}
	q16 := func(scale float32) tmTensor {
		return tmTensor{typ: tflite.Int16, shape: []int32{n}, scale: []float32{scale}, zero: []int64{0}}
	}
	for _, c := range []struct {
		name  string
		code  int32
		scale float32
	}{
		{"logistic Q3.12", codeLogistic, 1.0 / 4096},
		{"logistic 1/3000", codeLogistic, 1.0 / 3000},
		{"tanh Q3.12", codeTanh, 1.0 / 4096},
		{"tanh Q4.11", codeTanh, 1.0 / 2048},
		{"tanh 1/3000", codeTanh, 1.0 / 3000},
	} {
		t.Run(c.name, func(t *testing.T) {
			raw := runHandMade(t, unary(c.code, q16(c.scale), q16(1.0/32768)), input)[0]
			out := func(v int) int { return int(int16(binary.LittleEndian.Uint16(raw[2*(v+n/2):]))) }
			for v := -n / 2; v < n/2; v++ {
				x := float64(v) * float64(c.scale)
				want := 32768 / (1 + math.Exp(-x))
				if c.code == codeTanh {
					want = 32768 * math.Tanh(x)
				}
				require.InDelta(t, want, float64(out(v)), 3, "f(%g)", x)
				if v > -n/2 {
					require.LessOrEqual(t, out(v-1), out(v), "monotone at %d", v)
					if c.code == codeTanh {
						require.InDelta(t, 0, out(v)+out(-v), 2, "odd at %d", v)
					} else {
						require.InDelta(t, 32768, out(v)+out(-v), 2, "symmetric at %d", v)
					}
				}
			}
		})
	}
}
