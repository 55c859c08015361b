package runtime

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/footprint-dev/footprint/tflite"
)

// TFLM's SignalRfft computes its int16 real FFT with KISS FFT's fixed-point
// build (kissfft.go): kiss_fftr packs the n real samples as n/2 complex
// ones, runs the complex FFT and splits the result with its own
// twiddles. Only power-of-two lengths are implemented here.

// rfft16 is a prepared forward real FFT of n int16 samples (KISS FFT's
// kiss_fftr state): a complex FFT of n/2 points over the even and odd
// samples, then a split step with its own twiddles.
type rfft16 struct {
	n        int
	sub      *kissFFT[int16] // the n/2-point complex FFT
	super    []cpx16         // the split step's twiddles, n/4 of them
	packed   []cpx16         // the input as n/2 complex values
	spectrum []cpx16         // the complex FFT's output
}

// newRfft16 prepares an n-point real FFT; n must be a power of two, at
// least 4.
func newRfft16(n int) (*rfft16, error) {
	if n < 4 || n > 1<<20 || bits.OnesCount(uint(n)) != 1 {
		return nil, unsupportedf("FFT length %d: only powers of two from 4 to 2^20 are implemented", n)
	}
	half := n / 2
	sub, err := newKissFFT[int16](fixed16{}, half, false)
	if err != nil {
		return nil, err
	}
	f := &rfft16{n: n, sub: sub, super: make([]cpx16, half/2),
		packed: make([]cpx16, half), spectrum: make([]cpx16, half)}
	for i := range f.super {
		f.super[i] = kissTwiddle(-math.Pi * (float64(i+1)/float64(half) + .5))
	}
	return f, nil
}

// transform computes the n/2+1 bins of the real FFT of in (n samples)
// into out, as kiss_fftr does.
func (f *rfft16) transform(in []int16, out []cpx16) {
	for k := range f.packed {
		f.packed[k] = cpx16{in[2*k], in[2*k+1]}
	}
	f.sub.transform(f.packed, f.spectrum)
	half := len(f.spectrum)
	dc := fixdiv(f.spectrum[0], 2)
	out[0] = cpx16{dc.r + dc.i, 0}
	out[half] = cpx16{dc.r - dc.i, 0}
	for k := 1; k <= half/2; k++ {
		fpk := fixdiv(f.spectrum[k], 2)
		fpnk := fixdiv(cpx16{f.spectrum[half-k].r, -f.spectrum[half-k].i}, 2)
		f1k, f2k := fpk.add(fpnk), fpk.sub(fpnk)
		tw := cmul(f2k, f.super[k-1])
		// HALF_OF shifts the int sum, before truncation to short.
		out[k] = cpx16{
			int16((int32(f1k.r) + int32(tw.r)) >> 1),
			int16((int32(f1k.i) + int32(tw.i)) >> 1),
		}
		out[half-k] = cpx16{
			int16((int32(f1k.r) - int32(tw.r)) >> 1),
			int16((int32(tw.i) - int32(f1k.i)) >> 1),
		}
	}
}

// buildSignalRfft is the int16 real FFT of each frame (the input's last
// dimension), zero-padded to fft_length, giving fft_length/2+1 complex
// int16 bins (re, im pairs) per frame.
func buildSignalRfft(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var typ, length int32
	if err := opts.ints([]string{"T", "fft_length"}, &typ, &length); err != nil {
		return nil, err
	}
	if tflite.TensorType(typ) != tflite.Int16 {
		return nil, unsupportedf("FFT of %v: only INT16 is implemented", tflite.TensorType(typ))
	}
	if err := wantKind(tflite.Int16, input, output); err != nil {
		return nil, err
	}
	if len(input.shape) == 0 || len(output.shape) != len(input.shape) {
		return nil, fmt.Errorf("input %v and output %v must have the same rank", input.shape, output.shape)
	}
	// Check the frames against the output tensor before allocating
	// anything for the FFT length.
	frame, outFrame := input.shape[len(input.shape)-1], output.shape[len(output.shape)-1]
	if frame == 0 || frame > int(length) || outFrame != int(length)+2 || input.elems/frame != output.elems/outFrame {
		return nil, fmt.Errorf("frames of input %v and output %v do not fit a %d-point FFT", input.shape, output.shape, length)
	}
	fft, err := newRfft16(int(length))
	if err != nil {
		return nil, err
	}
	bins := fft.n/2 + 1
	samples := make([]int16, fft.n)
	spectrum := make([]cpx16, bins)
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for b := range input.elems / frame {
			for i := range frame {
				samples[i] = getInt16(in, b*frame+i)
			}
			clear(samples[frame:])
			fft.transform(samples, spectrum)
			for k, c := range spectrum {
				putInt16(out, b*outFrame+2*k, c.r)
				putInt16(out, b*outFrame+2*k+1, c.i)
			}
		}
	}, nil
}
