package runtime

import (
	"encoding/binary"
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

func getInt32(b []byte, i int) int32    { return int32(binary.LittleEndian.Uint32(b[4*i:])) }
func putInt32(b []byte, i int, v int32) { binary.LittleEndian.PutUint32(b[4*i:], uint32(v)) }
func getFloat32(b []byte, i int) float32 {
	return math.Float32frombits(binary.LittleEndian.Uint32(b[4*i:]))
}
func putFloat32(b []byte, i int, v float32) {
	binary.LittleEndian.PutUint32(b[4*i:], math.Float32bits(v))
}

// irfft is a prepared inverse real FFT of n samples (KISS FFT's
// kiss_fftri with an inverse kiss_fftr state): the n/2+1 bins are merged
// into n/2 complex values with the split step's twiddles, and their
// inverse complex FFT is the n samples, even and odd interleaved.
type irfft[T kissScalar] struct {
	a     kissArith[T]
	sub   *kissFFT[T] // the inverse n/2-point complex FFT
	super []kcpx[T]   // the split step's twiddles, n/4 of them
	tmp   []kcpx[T]   // the complex FFT's input (kiss_fftr's tmpbuf)
}

// maxIrfftLength bounds the real FFT length.
const maxIrfftLength = 2 * maxKissFFT

// newIrfft is kiss_fftr_alloc for an inverse FFT of n samples. TFLM's
// kiss_fftr_alloc fails on odd n (and Irfft then runs on an uninitialised
// state), so odd lengths and lengths below 2 are refused.
func newIrfft[T kissScalar](a kissArith[T], n int) (*irfft[T], error) {
	if n < 2 || n%2 != 0 || n > maxIrfftLength {
		return nil, fmt.Errorf("fft_length %d is not an even length in [2, %d]", n, maxIrfftLength)
	}
	half := n / 2
	sub, err := newKissFFT(a, half, true)
	if err != nil {
		return nil, err
	}
	f := &irfft[T]{a: a, sub: sub, super: make([]kcpx[T], half/2), tmp: make([]kcpx[T], half)}
	for i := range f.super {
		f.super[i] = a.cexp(math.Pi * (float64(i+1)/float64(half) + .5))
	}
	return f, nil
}

// transform is kiss_fftri: in holds the n/2+1 bins, out receives the n
// samples as n/2 complex values.
func (f *irfft[T]) transform(in, out []kcpx[T]) {
	a, half := f.a, len(f.tmp)
	f.tmp[0] = a.fixdiv(kcpx[T]{in[0].r + in[half].r, in[0].r - in[half].r}, 2)
	for k := 1; k <= half/2; k++ {
		fk := a.fixdiv(in[k], 2)
		fnkc := a.fixdiv(kcpx[T]{in[half-k].r, -in[half-k].i}, 2)
		fek := fk.add(fnkc)
		fok := a.mul(fk.sub(fnkc), f.super[k-1])
		f.tmp[k] = fek.add(fok)
		d := fek.sub(fok)
		f.tmp[half-k] = kcpx[T]{d.r, -d.i}
	}
	f.sub.transform(f.tmp, out)
}

// buildSignalIrfft is the inverse real FFT of each row of fft_length/2+1
// complex bins (re, im pairs in the input's innermost dimension) into
// fft_length samples, for T = INT16 and INT32 (KISS FFT's fixed-point
// builds, which scale by 1/fft_length on the way) and FLOAT32 (scaled by
// 1/fft_length at the end, as TFLM does).
func buildSignalIrfft(n *node) (func([][]byte), error) {
	kind, length, err := n.fftOptions("Irfft")
	if err != nil {
		return nil, err
	}
	input, outs, err := n.signalStreamIO(1)
	if err != nil {
		return nil, err
	}
	output := outs[0]
	if len(input.shape) != len(output.shape) {
		return nil, fmt.Errorf("input %v and output %v must have the same rank", input.shape, output.shape)
	}
	if err := wantKind(kind, input, output); err != nil {
		return nil, err
	}
	// Check the rows against fft_length before allocating anything for
	// it: TFLM reads fft_length/2+1 bins of each input row and writes
	// fft_length samples of each output row without checking either.
	inRow, count, err := rows(input)
	if err != nil {
		return nil, err
	}
	outRow, outCount, err := rows(output)
	if err != nil {
		return nil, err
	}
	if inRow%2 != 0 || inRow/2 < int(length)/2+1 || outRow != int(length) || outCount != count {
		return nil, fmt.Errorf("rows of input %v and output %v do not fit a %d-point inverse FFT (want %d input bins and %d output samples per row)",
			input.shape, output.shape, length, int(length)/2+1, length)
	}
	switch kind {
	case tflite.Int16:
		return irfftKernel(fixed16{}, int(length), count, inRow, input, output, getInt16, putInt16, nil)
	case tflite.Int32:
		return irfftKernel(fixed32{}, int(length), count, inRow, input, output, getInt32, putInt32, nil)
	}
	return irfftKernel(float32Arith{}, int(length), count, inRow, input, output, getFloat32, putFloat32,
		func(x float32) float32 { return x / float32(length) })
}

// irfftKernel runs the inverse FFT over count rows of inRow numbers;
// scale, when set, is applied to every output sample.
func irfftKernel[T kissScalar](a kissArith[T], length, count, inRow int, input, output *tensorInfo,
	get func([]byte, int) T, put func([]byte, int, T), scale func(T) T) (func([][]byte), error) {
	fft, err := newIrfft(a, length)
	if err != nil {
		return nil, err
	}
	bins, samples := make([]kcpx[T], length/2+1), make([]kcpx[T], length/2)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for row := range count {
			for k := range bins {
				bins[k] = kcpx[T]{get(in, row*inRow+2*k), get(in, row*inRow+2*k+1)}
			}
			fft.transform(bins, samples)
			for k, c := range samples {
				r, i := c.r, c.i
				if scale != nil {
					r, i = scale(r), scale(i)
				}
				put(out, row*length+2*k, r)
				put(out, row*length+2*k+1, i)
			}
		}
	}, nil
}
