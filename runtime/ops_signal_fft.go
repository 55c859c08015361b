package runtime

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// TFLM's SignalRfft computes its real FFT with KISS FFT's kiss_fftr in the
// build of its type (kissfft.go): INT16 (FIXED_POINT=16), INT32
// (FIXED_POINT=32) or FLOAT32. kiss_fftr packs the n real samples as n/2
// complex ones, runs the complex FFT and splits the result with its own
// twiddles.

// rfft is a prepared forward real FFT of n samples (kiss_fftr's state): a
// complex FFT of n/2 points over the even and odd samples, then a split
// step with its own twiddles.
type rfft[T kissScalar] struct {
	a        kissArith[T]
	sub      *kissFFT[T] // the n/2-point complex FFT
	super    []kcpx[T]   // the split step's twiddles, n/4 of them
	packed   []kcpx[T]   // the input as n/2 complex values
	spectrum []kcpx[T]   // the complex FFT's output (kiss_fftr's tmpbuf)
}

// newRfft is kiss_fftr_alloc for a forward FFT of n samples. As for the
// inverse (newIrfft), odd lengths, which kiss_fftr_alloc refuses (TFLM
// then runs on an uninitialised state), and lengths whose complex FFT
// TFLM's build cannot run are refused.
func newRfft[T kissScalar](a kissArith[T], n int) (*rfft[T], error) {
	if n < 2 || n%2 != 0 || n > maxIrfftLength {
		return nil, fmt.Errorf("fft_length %d is not an even length in [2, %d]", n, maxIrfftLength)
	}
	half := n / 2
	sub, err := newKissFFT(a, half, false)
	if err != nil {
		return nil, err
	}
	f := &rfft[T]{a: a, sub: sub, super: make([]kcpx[T], half/2),
		packed: make([]kcpx[T], half), spectrum: make([]kcpx[T], half)}
	for i := range f.super {
		f.super[i] = a.cexp(-math.Pi * (float64(i+1)/float64(half) + .5))
	}
	return f, nil
}

// transform computes the n/2+1 bins of the real FFT of in (n samples)
// into out, as kiss_fftr does.
func (f *rfft[T]) transform(in []T, out []kcpx[T]) {
	a := f.a
	for k := range f.packed {
		f.packed[k] = kcpx[T]{in[2*k], in[2*k+1]}
	}
	f.sub.transform(f.packed, f.spectrum)
	half := len(f.spectrum)
	dc := a.fixdiv(f.spectrum[0], 2)
	out[0] = kcpx[T]{dc.r + dc.i, 0}
	out[half] = kcpx[T]{dc.r - dc.i, 0}
	for k := 1; k <= half/2; k++ {
		fpk := a.fixdiv(f.spectrum[k], 2)
		fpnk := a.fixdiv(kcpx[T]{f.spectrum[half-k].r, -f.spectrum[half-k].i}, 2)
		f1k, f2k := fpk.add(fpnk), fpk.sub(fpnk)
		tw := a.mul(f2k, f.super[k-1])
		out[k] = kcpx[T]{a.halfSum(f1k.r, tw.r), a.halfSum(f1k.i, tw.i)}
		out[half-k] = kcpx[T]{a.halfDiff(f1k.r, tw.r), a.halfDiff(tw.i, f1k.i)}
	}
}

// fftOptions reads the element type T and fft_length of TFLM's Rfft or
// Irfft (op names it in the error), which take INT16, INT32 or FLOAT32.
func (n *node) fftOptions(op string) (tflite.TensorType, int32, error) {
	opts, err := n.signalOpts()
	if err != nil {
		return 0, 0, err
	}
	var typ, length int32
	if err := opts.ints([]string{"T", "fft_length"}, &typ, &length); err != nil {
		return 0, 0, err
	}
	kind := tflite.TensorType(typ)
	if kind != tflite.Int16 && kind != tflite.Int32 && kind != tflite.Float32 {
		return 0, 0, fmt.Errorf("T %v: TFLM's %s takes INT16, INT32 or FLOAT32", kind, op)
	}
	return kind, length, nil
}

// buildSignalRfft is the real FFT of each frame (the input's last
// dimension), zero-padded to fft_length, giving fft_length/2+1 complex
// bins (re, im pairs) per frame, for T = INT16 and INT32 (KISS FFT's
// fixed-point builds, which scale by 1/fft_length on the way) and FLOAT32.
func buildSignalRfft(n *node) (func([][]byte), error) {
	kind, length, err := n.fftOptions("Rfft")
	if err != nil {
		return nil, err
	}
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if err := wantKind(kind, input, output); err != nil {
		return nil, err
	}
	if len(input.shape) == 0 || len(output.shape) != len(input.shape) {
		return nil, fmt.Errorf("input %v and output %v must have the same rank", input.shape, output.shape)
	}
	// Check the frames against the output tensor before allocating
	// anything for the FFT length: TFLM copies each frame into a work
	// area of fft_length samples and writes fft_length/2+1 bins per
	// output row without checking either. Its output rows are the last
	// dimension's whole complex numbers; bins beyond fft_length/2+1 are
	// left as they were.
	frame, outFrame := input.shape[len(input.shape)-1], output.shape[len(output.shape)-1]/2*2
	if frame == 0 || frame > int(length) || outFrame < int(length)+2 || input.elems/frame != output.elems/output.shape[len(output.shape)-1] {
		return nil, fmt.Errorf("frames of input %v and output %v do not fit a %d-point FFT", input.shape, output.shape, length)
	}
	switch kind {
	case tflite.Int16:
		return rfftKernel(fixed16{}, int(length), frame, outFrame, input, output, getInt16, putInt16)
	case tflite.Int32:
		return rfftKernel(fixed32{}, int(length), frame, outFrame, input, output, getInt32, putInt32)
	}
	return rfftKernel(float32Arith{}, int(length), frame, outFrame, input, output, getFloat32, putFloat32)
}

// rfftKernel runs the FFT over each frame of frame samples, writing rows
// of outFrame numbers.
func rfftKernel[T kissScalar](a kissArith[T], length, frame, outFrame int, input, output *tensorInfo,
	get func([]byte, int) T, put func([]byte, int, T)) (func([][]byte), error) {
	fft, err := newRfft(a, length)
	if err != nil {
		return nil, err
	}
	samples, spectrum := make([]T, length), make([]kcpx[T], length/2+1)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for b := range input.elems / frame {
			for i := range frame {
				samples[i] = get(in, b*frame+i)
			}
			clear(samples[frame:])
			fft.transform(samples, spectrum)
			for k, c := range spectrum {
				put(out, b*outFrame+2*k, c.r)
				put(out, b*outFrame+2*k+1, c.i)
			}
		}
	}, nil
}
