package runtime

import (
	"math"
	"math/cmplx"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// TestRingBuffer checks the FIFO against CircularBuffer's behaviour:
// wrapping writes and reads, full versus empty when read meets write, and
// Extend repeating the newest samples.
func TestRingBuffer(t *testing.T) {
	r := newRingBuffer(5)
	assert.Zero(t, r.available())
	r.push([]int16{1, 2, 3})
	r.discard(2)
	r.push([]int16{4, 5, 6, 7})
	assert.Equal(t, 5, r.available(), "full")
	got := make([]int16, 5)
	r.peek(got)
	assert.Equal(t, []int16{3, 4, 5, 6, 7}, got)
	r.discard(5)
	assert.Zero(t, r.available(), "empty again")
	r.push([]int16{8})
	r.extend(1, 2)
	got = got[:3]
	r.peek(got)
	assert.Equal(t, []int16{8, 8, 8}, got)
	r.reset()
	assert.Zero(t, r.available())
}

// TestKissFactor checks kf_factor's stages, including where it gives up
// on the square root and takes the rest as one radix.
func TestKissFactor(t *testing.T) {
	for n, want := range map[int][]int{
		32:  {4, 8, 4, 2, 2, 1},
		6:   {2, 3, 3, 1},
		240: {4, 60, 4, 15, 3, 5, 5, 1},
		14:  {2, 7, 7, 1},
		1:   {1, 1},
	} {
		assert.Equal(t, want, kissFactor(n), "n=%d", n)
	}
	for _, n := range []int{0, 1, 7, 14, maxKissFFT + 1} {
		_, err := newKissFFT[int16](fixed16{}, n, false)
		assert.Error(t, err, "n=%d", n)
	}
}

// TestIrfftInvertsRfft: the float inverse FFT of a spectrum computed in
// float64 gives back the signal to float precision, for every radix.
func TestIrfftInvertsRfft(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{8, 12, 20, 30, 64, 480} {
		x := make([]float64, n)
		for i := range x {
			x[i] = rng.Float64()*2 - 1
		}
		spectrum := make([]kcpx[float32], n/2+1)
		for k, c := range dftFloat(x) {
			spectrum[k] = kcpx[float32]{float32(real(c)), float32(imag(c))}
		}
		f, err := newIrfft[float32](float32Arith{}, n)
		require.NoError(t, err)
		out := make([]kcpx[float32], n/2)
		f.transform(spectrum, out)
		for k, c := range out {
			assert.InDelta(t, x[2*k], float64(c.r)/float64(n), 1e-5, "n=%d sample %d", n, 2*k)
			assert.InDelta(t, x[2*k+1], float64(c.i)/float64(n), 1e-5, "n=%d sample %d", n, 2*k+1)
		}
	}
}

// dftFloat is the exact DFT of a real signal, bins 0..n/2.
func dftFloat(x []float64) []complex128 {
	n := len(x)
	out := make([]complex128, n/2+1)
	for k := range out {
		var sum complex128
		for j, s := range x {
			sum += complex(s, 0) * cmplx.Rect(1, -2*math.Pi*float64(j*k%n)/float64(n))
		}
		out[k] = sum
	}
	return out
}

// TestSignalStreamReset: ResetVariables puts the streaming kernels' state
// back to what Prepare left, so a rerun repeats the first run's outputs.
func TestSignalStreamReset(t *testing.T) {
	for _, c := range signalStreamCases() {
		if c.earlier == nil || c.refuse != "" {
			continue
		}
		t.Run(c.name, func(t *testing.T) {
			model, err := tflite.Parse(c.model)
			require.NoError(t, err)
			in, err := New(model)
			require.NoError(t, err)
			mem := in.PrivateMemory()
			// The last round's outputs: an invalid frame leaves the
			// output as it was, which a reset does not restore.
			run := func() [][]byte {
				for _, round := range c.rounds() {
					require.NoError(t, in.SetInputs(mem, roundInputs(in, round)))
					require.NoError(t, in.Invoke(mem, nil))
				}
				var outs [][]byte
				for _, o := range in.OutputData(mem) {
					outs = append(outs, append([]byte(nil), o...))
				}
				return outs
			}
			first := run()
			in.ResetVariables(mem)
			assert.Equal(t, first, run())
		})
	}
}

// FuzzSignalStreamOptions replaces the custom options of the case models
// of the streaming operators, Irfft and the front-end operators with
// arbitrary bytes: New must reject what it cannot use, and whatever it
// accepts must run several invocations without a panic.
func FuzzSignalStreamOptions(f *testing.F) {
	var models [][]byte
	for _, c := range slices.Concat(signalStreamCases(), signalFrontEndCases()) {
		model, err := tflite.Parse(c.model)
		require.NoError(f, err)
		f.Add(uint8(len(models)), model.Subgraphs[0].Operators[0].CustomOptions)
		models = append(models, c.model)
	}
	f.Fuzz(func(t *testing.T, index uint8, options []byte) {
		model, err := tflite.Parse(models[int(index)%len(models)])
		require.NoError(t, err)
		model.Subgraphs[0].Operators[0].CustomOptions = options
		in, err := New(model)
		if err != nil {
			assert.NotContains(t, err.Error(), "\n")
			return
		}
		mem := in.PrivateMemory()
		for range 3 {
			require.NoError(t, in.SetInputs(mem, oracleInputs(in)))
			require.NoError(t, in.Invoke(mem, nil))
		}
	})
}

// TestSignalStreamErrorsNameTheProblem spot-checks refusals of hostile
// options that TFLM crashes on.
func TestSignalStreamErrorsNameTheProblem(t *testing.T) {
	for _, c := range signalStreamCases() {
		want := map[string]string{
			"signal_delay_negative":             "negative",
			"signal_delay_huge":                 "limit",
			"signal_framer_step_zero":           "must be positive",
			"signal_stacker_huge_context":       "limit",
			"signal_overlap_add_int32":          "INT16 or FLOAT32",
			"signal_overlap_add_step_too_large": "frame_step 5",
			"signal_irfft_generic_radix":        "radix-7",
			"signal_irfft_length_2":             "radix-1",
			"signal_irfft_int8":                 "INT16, INT32 or FLOAT32",
		}[c.name]
		if want == "" {
			continue
		}
		model, err := tflite.Parse(c.model)
		require.NoError(t, err)
		_, err = New(model)
		require.Error(t, err, c.name)
		assert.True(t, strings.Contains(err.Error(), want), "%s: %v", c.name, err)
	}
}

// FuzzSignalStreamOptionValues keeps the keys of each case model's
// options (streaming and front-end operators) and gives them arbitrary
// values (integers in key order, the booleans from one flag): hostile
// sizes, steps, lengths, shifts and types must be refused or run without
// a panic or an unbounded allocation.
func FuzzSignalStreamOptionValues(f *testing.F) {
	type seed struct {
		model []byte
		keys  []string
		bools []bool
	}
	var seeds []seed
	for _, c := range slices.Concat(signalStreamCases(), signalFrontEndCases()) {
		model, err := tflite.Parse(c.model)
		require.NoError(f, err)
		root, err := flexbuf.Root(model.Subgraphs[0].Operators[0].CustomOptions)
		require.NoError(f, err)
		m, err := root.Map()
		require.NoError(f, err)
		s := seed{model: c.model}
		vals := make([]int64, 4)
		for i := range m.Len() {
			key, err := m.Key(i)
			require.NoError(f, err)
			v, _, err := m.Get(key)
			require.NoError(f, err)
			isBool := v.Type() == flexbuf.TypeBool
			if !isBool && i < len(vals) {
				vals[i], err = v.Int()
				require.NoError(f, err)
			}
			s.keys, s.bools = append(s.keys, key), append(s.bools, isBool)
		}
		f.Add(uint8(len(seeds)), vals[0], vals[1], vals[2], vals[3], true)
		seeds = append(seeds, s)
	}
	f.Fuzz(func(t *testing.T, index uint8, a, b, c, d int64, flag bool) {
		s := seeds[int(index)%len(seeds)]
		vals := []int64{a, b, c, d}
		opts := map[string]any{}
		for i, key := range s.keys {
			if s.bools[i] {
				opts[key] = flag
			} else {
				opts[key] = vals[i%len(vals)]
			}
		}
		options, err := flexbuf.EncodeMap(opts)
		require.NoError(t, err)
		model, err := tflite.Parse(s.model)
		require.NoError(t, err)
		model.Subgraphs[0].Operators[0].CustomOptions = options
		in, err := New(model)
		if err != nil {
			return
		}
		mem := in.PrivateMemory()
		for range 3 {
			require.NoError(t, in.SetInputs(mem, oracleInputs(in)))
			require.NoError(t, in.Invoke(mem, nil))
		}
	})
}

// BenchmarkSignalIrfft runs 16 inverse FFTs of 512 points per invocation,
// in each of KISS FFT's builds.
func BenchmarkSignalIrfft(b *testing.B) {
	for _, tc := range []struct {
		name string
		t    tflite.TensorType
	}{{"int16", tflite.Int16}, {"int32", tflite.Int32}, {"float32", tflite.Float32}} {
		b.Run(tc.name, func(b *testing.B) {
			opts := map[string]any{"T": int(tc.t), "fft_length": 512}
			benchOp(b, customOneOp("SignalIrfft", opts, []tmTensor{ofType(tc.t, 16, 514), ofType(tc.t, 16, 512)}, []int32{0}, []int32{1}))
		})
	}
}

// BenchmarkSignalFramer frames 16 rows of 1600 int16 samples into
// 400-sample frames 160 apart.
func BenchmarkSignalFramer(b *testing.B) {
	opts := map[string]any{"frame_size": 400, "frame_step": 160, "prefill": true}
	benchOp(b, customOneOp("SignalFramer", opts, []tmTensor{ofType(tflite.Int16, 16, 1600),
		ofType(tflite.Int16, 16, 10, 400), ofType(tflite.Bool)}, []int32{0}, []int32{1, 2}))
}
