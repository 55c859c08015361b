package runtime

import (
	"encoding/binary"
	"math"
	"math/big"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

const audioInt8 = "micro_speech__audio_preprocessor_int8"

// roundSqrt is the square root of x rounded to the nearest integer.
func roundSqrt(x uint64) uint64 {
	r := new(big.Int).Sqrt(new(big.Int).SetUint64(x)).Uint64()
	if x-r*r > r {
		r++
	}
	return r
}

// TestSqrt checks TFLM's bitwise square roots against the exactly rounded
// root, including their saturation: Sqrt32 stops at 0xFFFF, so Sqrt64's
// 32-bit shortcut is one short just below 2^32, as TFLM's comment warns.
func TestSqrt(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	values := []uint64{0, 1, 2, 3, 4, 8, 15, 16, 17, 65535, 65536, 0xFFFE0001, 0xFFFF0000, 0xFFFFFFFF,
		1 << 32, 1<<32 + 1, 1<<63 - 1, 1 << 63, math.MaxUint64}
	for range 2000 {
		values = append(values, rng.Uint64()>>rng.IntN(64))
	}
	for _, x := range values {
		want := roundSqrt(x)
		if x>>32 == 0 {
			want = min(want, 0xFFFF)
			assert.Equal(t, uint16(want), sqrt32(uint32(x)), "sqrt32(%d)", x)
		}
		assert.Equal(t, uint32(min(want, 0xFFFFFFFF)), sqrt64(x), "sqrt64(%d)", x)
	}
}

// TestLog32 checks the fixed-point natural log against math.Log: with an
// output scale of s it returns s*ln(x) within one unit plus 0.01% (the
// table interpolation's error).
func TestLog32(t *testing.T) {
	for _, scale := range []uint32{1 << 6, 1 << 10} {
		for _, x := range []uint32{2, 3, 10, 100, 1000, 12345, 1 << 16, 1<<20 + 7, 1 << 31, math.MaxUint32} {
			got := float64(log32(x, scale))
			want := float64(scale) * math.Log(float64(x))
			assert.InDelta(t, want, got, 1+1e-4*want, "log32(%d, %d)", x, scale)
		}
	}
}

// TestPcanShrink checks the shrink function at and around its knee: x²/4
// below 2, x-1 above, from 12 to 6 fractional bits.
func TestPcanShrink(t *testing.T) {
	const one = 1 << pcanSnrBits
	assert.Equal(t, uint32(0), pcanShrink(0))
	assert.Equal(t, uint32(16), pcanShrink(one))   // 1²/4 = 0.25
	assert.Equal(t, uint32(64), pcanShrink(2*one)) // 2-1 = 1
	assert.Equal(t, uint32(128), pcanShrink(3*one))
	assert.Equal(t, uint32(63), pcanShrink(2*one-1)) // just below the knee
}

// TestWideDynamicFunction checks the table's direct entries and that the
// interpolation starts each interval at its first coefficient.
func TestWideDynamicFunction(t *testing.T) {
	lut := make([]int16, pcanLUTLen)
	for i := range lut {
		lut[i] = int16(100 * i)
	}
	for x := range uint32(3) {
		assert.Equal(t, lut[x], wideDynamicFunction(x, lut))
	}
	// x = 2^(k-1) has no bits below its top one: frac is 0 and the result
	// is the interval's constant coefficient.
	for k := 3; k <= 32; k++ {
		assert.Equal(t, lut[4*k-6], wideDynamicFunction(1<<(k-1), lut), "interval %d", k)
	}
}

// TestSpectralSubtraction follows the noise estimate of one channel over
// three frames of a constant signal, computed by hand: it rises towards
// the signal and the output falls to the min_signal_remaining floor.
func TestSpectralSubtraction(t *testing.T) {
	cfg := spectralSubtraction{channels: 1, smoothing: 1 << 13, oneMinusSmoothing: 1 << 13,
		minSignalRemaining: 1 << 12, smoothingBits: 2, spectralSubtractionBits: 14}
	in, out := make([]byte, 4), make([]byte, 4)
	binary.LittleEndian.PutUint32(in, 100)
	noise := []uint32{0}
	for _, want := range []struct{ noise, out uint32 }{{200, 50}, {300, 25}, {350, 25}} {
		cfg.apply(in, out, noise)
		assert.Equal(t, want.noise, noise[0])
		assert.Equal(t, want.out, binary.LittleEndian.Uint32(out))
	}
	// With clamping a signal below the estimate pulls the estimate down.
	cfg.clamping = true
	binary.LittleEndian.PutUint32(in, 10)
	cfg.apply(in, out, noise)
	assert.Equal(t, uint32(40), noise[0])
}

// TestSignalStatePersists runs the audio preprocessor repeatedly on the
// same frame: the noise estimate carried between invocations changes the
// output, and ResetVariables (which every fresh Memory implies) brings
// back the first invocation's result.
func TestSignalStatePersists(t *testing.T) {
	model, _ := loadShared(t, audioInt8)
	in, err := New(model)
	require.NoError(t, err)
	mem := in.PrivateMemory()
	require.NoError(t, in.SetInputs(mem, oracleInputs(in)))
	require.NoError(t, in.Invoke(mem, nil))
	first := in.OutputData(mem)
	require.NoError(t, in.Invoke(mem, nil))
	assert.NotEqual(t, first, in.OutputData(mem), "the noise estimate should carry over")

	in.ResetVariables(mem)
	require.NoError(t, in.Invoke(mem, nil))
	assert.Equal(t, first, in.OutputData(mem))

	fresh := in.PrivateMemory()
	require.NoError(t, in.SetInputs(fresh, oracleInputs(in)))
	require.NoError(t, in.Invoke(fresh, nil))
	assert.Equal(t, first, in.OutputData(fresh))
}

// signalOp returns the index of the first operator named name.
func signalOp(t *testing.T, model *tflite.Model, name string) int {
	t.Helper()
	for i, op := range model.Subgraphs[0].Operators {
		if model.OpName(op) == name {
			return i
		}
	}
	t.Fatalf("no %s operator", name)
	return -1
}

// TestSignalOptionErrors gives Signal operators wrong or malformed custom
// options: New must name the operator and the problem.
func TestSignalOptionErrors(t *testing.T) {
	for _, tc := range []struct {
		op      string
		options func(model *tflite.Model) []byte
		want    string
	}{
		{"CUSTOM:SignalEnergy", func(m *tflite.Model) []byte {
			return m.Subgraphs[0].Operators[signalOp(t, m, "CUSTOM:SignalWindow")].CustomOptions
		}, `custom option "start_index" missing`},
		{"CUSTOM:SignalRfft", func(*tflite.Model) []byte { return nil }, "malformed flexbuffer"},
		{"CUSTOM:SignalPCAN", func(m *tflite.Model) []byte {
			opts := m.Subgraphs[0].Operators[signalOp(t, m, "CUSTOM:SignalPCAN")].CustomOptions
			return opts[:len(opts)-3]
		}, "custom options: flexbuffer value of type int is not a map"},
		{"CUSTOM:SignalFilterBank", func(m *tflite.Model) []byte {
			// num_channels 40 -> 41: more channels than the output has.
			opts := slices.Clone(m.Subgraphs[0].Operators[signalOp(t, m, "CUSTOM:SignalFilterBank")].CustomOptions)
			i := slices.Index(opts, 40)
			opts[i] = 41
			return opts
		}, "41 channels need 42 frequency starts"},
	} {
		t.Run(tc.op, func(t *testing.T) {
			model, _ := loadShared(t, audioInt8)
			op := &model.Subgraphs[0].Operators[signalOp(t, model, tc.op)]
			op.CustomOptions = tc.options(model)
			_, err := New(model)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.op)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

// FuzzSignalOptions replaces the custom options of one of the audio
// preprocessor's Signal operators with arbitrary bytes: New must reject
// what it cannot use, and whatever it accepts must run without a panic.
func FuzzSignalOptions(f *testing.F) {
	dir := sharedtest.Find()
	if dir == "" {
		f.Skip("shared/ test data not found beside the repository")
	}
	data, err := os.ReadFile(filepath.Join(dir, "models", audioInt8+".tflite"))
	require.NoError(f, err)
	model, err := tflite.Parse(data)
	require.NoError(f, err)
	for i, op := range model.Subgraphs[0].Operators {
		if strings.HasPrefix(model.OpName(op), "CUSTOM:Signal") {
			f.Add(uint8(i), op.CustomOptions)
		}
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, options []byte) {
		model, err := tflite.Parse(data)
		require.NoError(t, err)
		ops := model.Subgraphs[0].Operators
		ops[int(opIndex)%len(ops)].CustomOptions = options
		in, err := New(model)
		if err != nil {
			return
		}
		mem := in.PrivateMemory()
		require.NoError(t, in.SetInputs(mem, oracleInputs(in)))
		require.NoError(t, in.Invoke(mem, nil))
	})
}
