package runtime

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// rfft16Of runs an n-point fixed-point real FFT of x (zero-padded).
func rfft16Of(t *testing.T, n int, x []int16) []cpx16 {
	t.Helper()
	f, err := newRfft(fixed16{}, n)
	require.NoError(t, err)
	in := make([]int16, n)
	copy(in, x)
	out := make([]cpx16, n/2+1)
	f.transform(in, out)
	return out
}

// dft is the exact discrete Fourier transform of x, bins 0..n/2.
func dft(x []int16, n int) []complex128 {
	out := make([]complex128, n/2+1)
	for k := range out {
		var sum complex128
		for j, v := range x {
			sum += complex(float64(v), 0) * cmplx.Rect(1, -2*math.Pi*float64(j*k%n)/float64(n))
		}
		out[k] = sum
	}
	return out
}

// TestRfft16MatchesDFT compares the fixed-point FFT with the exact DFT
// scaled by 1/n (KISS FFT divides by each radix on the way): every bin is
// within a few units of the last place, for lengths with and without a
// radix-2 stage and for a zero-padded 480-sample frame as micro_speech
// uses.
func TestRfft16MatchesDFT(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct{ n, samples int }{{512, 512}, {512, 480}, {128, 128}, {8, 8}} {
		x := make([]int16, tc.samples)
		for i := range x {
			x[i] = int16(rng.IntN(32001) - 16000)
		}
		got := rfft16Of(t, tc.n, x)
		want := dft(x, tc.n)
		var worst float64
		for k := range want {
			w := want[k] / complex(float64(tc.n), 0)
			worst = max(worst, math.Abs(float64(got[k].r)-real(w)), math.Abs(float64(got[k].i)-imag(w)))
		}
		t.Logf("n=%d, %d samples: worst error %.2f LSB", tc.n, tc.samples, worst)
		assert.LessOrEqual(t, worst, 3.0, "n=%d", tc.n)
	}
}

// TestRfft16Impulse checks an exact case: an impulse of height 16384 has a
// flat spectrum of 16384/n in every bin, with no rounding residue.
func TestRfft16Impulse(t *testing.T) {
	for _, n := range []int{8, 32, 64, 128, 512} {
		got := rfft16Of(t, n, []int16{16384})
		for k, c := range got {
			require.Equal(t, cpx16{int16(16384 / n), 0}, c, "n=%d bin %d", n, k)
		}
	}
}

// TestRfft16Exact checks properties that hold bit for bit: zeros stay
// zero, and the DC and Nyquist bins of a real signal have no imaginary
// part.
func TestRfft16Exact(t *testing.T) {
	for _, c := range rfft16Of(t, 64, nil) {
		assert.Equal(t, cpx16{}, c)
	}
	x := []int16{-32768, 32767, 1, -1, 12345, -23456, 7, 0}
	got := rfft16Of(t, 8, x)
	assert.Zero(t, got[0].i)
	assert.Zero(t, got[4].i)
}

// TestKissTwiddlesAreRobust checks that no twiddle of the supported
// lengths up to 4096 lies near a rounding boundary: 32767*cos(phase)+0.5
// is always far (1e-6) from an integer, so a libm whose cos differs from
// Go's in the last place (the oracle ran newlib on Cortex-M4) rounds
// every twiddle the same way.
func TestKissTwiddlesAreRobust(t *testing.T) {
	check := func(phase float64) {
		for _, v := range []float64{math.Cos(phase), math.Sin(phase)} {
			y := .5 + kissQ15Max*v
			if d := math.Abs(y - math.Round(y)); d < 1e-6 && math.Abs(v) > 1e-9 {
				t.Errorf("phase %v: 32767*%v+0.5 is %g from an integer", phase, v, d)
			}
		}
	}
	for n := 4; n <= 4096; n *= 2 {
		half := n / 2
		for i := range half {
			check(-2 * math.Pi * float64(i) / float64(half))
		}
		for i := range half / 2 {
			check(-math.Pi * (float64(i+1)/float64(half) + .5))
		}
	}
	// Exact values the formula must give.
	assert.Equal(t, cpx16{32767, 0}, kissTwiddle(0))
	assert.Equal(t, cpx16{0, -32767}, kissTwiddle(-math.Pi/2))
}

// TestRfftLengths checks that the lengths TFLM cannot run (odd ones,
// whose kiss_fftr_alloc fails, and those needing KISS FFT's generic
// butterfly) are refused and the others accepted.
func TestRfftLengths(t *testing.T) {
	for _, n := range []int{0, 1, 2, 9, 14, 22, 1 << 22} {
		_, err := newRfft(fixed16{}, n)
		assert.Error(t, err, "n=%d", n)
	}
	for _, n := range []int{4, 6, 10, 12, 30, 480, 512} {
		_, err := newRfft(float32Arith{}, n)
		assert.NoError(t, err, "n=%d", n)
	}
}

// BenchmarkSignalRfft runs 16 real FFTs of 512 points per invocation, in
// each of KISS FFT's builds.
func BenchmarkSignalRfft(b *testing.B) {
	for _, tc := range []struct {
		name string
		t    tflite.TensorType
	}{{"int16", tflite.Int16}, {"int32", tflite.Int32}, {"float32", tflite.Float32}} {
		b.Run(tc.name, func(b *testing.B) {
			opts := map[string]any{"T": int(tc.t), "fft_length": 512}
			benchOp(b, customOneOp("SignalRfft", opts, []tmTensor{ofType(tc.t, 16, 512), ofType(tc.t, 16, 514)}, []int32{0}, []int32{1}))
		})
	}
}
