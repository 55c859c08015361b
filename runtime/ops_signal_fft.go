package runtime

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/footprint-dev/footprint/tflite"
)

// TFLM's SignalRfft computes its int16 real FFT with KISS FFT v130 (the
// version tflite-micro downloads; its patch changes no arithmetic) built
// with FIXED_POINT=16: every complex value is a pair of int16 (C short),
// every butterfly input is first divided by the radix so nothing
// overflows, and every product is rounded back to Q15. The code here
// follows that arithmetic step by step, including where C computes in int
// before truncating to short. Only power-of-two lengths are implemented;
// KISS FFT's radix-3, radix-5 and generic butterflies are not.

// cpx16 is KISS FFT's fixed-point kiss_fft_cpx.
type cpx16 struct{ r, i int16 }

// kissQ15Max is SAMP_MAX, the Q15 "one" of the twiddles.
const kissQ15Max = 32767

// sround rounds a Q30 product sum back to Q15 and truncates it to short.
func sround(x int32) int16 { return int16((x + 1<<14) >> 15) }

// fixdiv is C_FIXDIV: divides both parts by k as a Q15 multiply by
// SAMP_MAX/k.
func fixdiv(c cpx16, k int32) cpx16 {
	d := kissQ15Max / k
	return cpx16{sround(int32(c.r) * d), sround(int32(c.i) * d)}
}

// cmul is C_MUL, a complex Q15 multiply.
func cmul(a, b cpx16) cpx16 {
	return cpx16{
		sround(int32(a.r)*int32(b.r) - int32(a.i)*int32(b.i)),
		sround(int32(a.r)*int32(b.i) + int32(a.i)*int32(b.r)),
	}
}

func cadd(a, b cpx16) cpx16 { return cpx16{a.r + b.r, a.i + b.i} }
func csub(a, b cpx16) cpx16 { return cpx16{a.r - b.r, a.i - b.i} }

// kissTwiddle is kf_cexp in fixed point: floor(.5 + 32767*cos(phase)),
// and likewise sin, computed in double as C does. The conversions keep Go
// from fusing the multiply and add.
func kissTwiddle(phase float64) cpx16 {
	return cpx16{
		int16(math.Floor(.5 + float64(kissQ15Max*math.Cos(phase)))),
		int16(math.Floor(.5 + float64(kissQ15Max*math.Sin(phase)))),
	}
}

// rfft16 is a prepared forward real FFT of n int16 samples (KISS FFT's
// kiss_fftr state): a complex FFT of n/2 points over the even and odd
// samples, then a split step with its own twiddles.
type rfft16 struct {
	n        int     // real FFT length
	twiddles []cpx16 // of the n/2-point complex FFT
	super    []cpx16 // of the split step, n/4 of them
	factors  []int   // radix and remaining length per stage, as kf_factor makes them
	packed   []cpx16 // the input as n/2 complex values
	spectrum []cpx16 // the complex FFT's output
}

// newRfft16 prepares an n-point real FFT; n must be a power of two, at
// least 4.
func newRfft16(n int) (*rfft16, error) {
	if n < 4 || n > 1<<20 || bits.OnesCount(uint(n)) != 1 {
		return nil, unsupportedf("FFT length %d: only powers of two from 4 to 2^20 are implemented", n)
	}
	half := n / 2
	f := &rfft16{n: n, twiddles: make([]cpx16, half), super: make([]cpx16, half/2),
		packed: make([]cpx16, half), spectrum: make([]cpx16, half)}
	for i := range f.twiddles {
		f.twiddles[i] = kissTwiddle(-2 * math.Pi * float64(i) / float64(half))
	}
	for i := range f.super {
		f.super[i] = kissTwiddle(-math.Pi * (float64(i+1)/float64(half) + .5))
	}
	// kf_factor: radix 4 while it divides, then 2 (a power of two leaves
	// at most one 2).
	for m := half; m > 1; {
		p := 4
		if m%4 != 0 {
			p = 2
		}
		m /= p
		f.factors = append(f.factors, p, m)
	}
	return f, nil
}

// transform computes the n/2+1 bins of the real FFT of in (n samples)
// into out, as kiss_fftr does.
func (f *rfft16) transform(in []int16, out []cpx16) {
	for k := range f.packed {
		f.packed[k] = cpx16{in[2*k], in[2*k+1]}
	}
	f.work(f.spectrum, f.packed, 1, f.factors)
	half := len(f.spectrum)
	dc := fixdiv(f.spectrum[0], 2)
	out[0] = cpx16{dc.r + dc.i, 0}
	out[half] = cpx16{dc.r - dc.i, 0}
	for k := 1; k <= half/2; k++ {
		fpk := fixdiv(f.spectrum[k], 2)
		fpnk := fixdiv(cpx16{f.spectrum[half-k].r, -f.spectrum[half-k].i}, 2)
		f1k, f2k := cadd(fpk, fpnk), csub(fpk, fpnk)
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

// work is kf_work: the decimation-in-time recursion. out receives the
// FFT of the len(out) inputs in[0], in[stride], in[2*stride], ...
func (f *rfft16) work(out, in []cpx16, stride int, factors []int) {
	p, m := factors[0], factors[1]
	if m == 1 {
		for k := range p {
			out[k] = in[k*stride]
		}
	} else {
		for k := range p {
			f.work(out[k*m:], in[k*stride:], stride*p, factors[2:])
		}
	}
	if p == 4 {
		f.butterfly4(out, stride, m)
	} else {
		f.butterfly2(out, stride, m)
	}
}

// butterfly2 is kf_bfly2.
func (f *rfft16) butterfly2(out []cpx16, stride, m int) {
	for k := range m {
		a, b := fixdiv(out[k], 2), fixdiv(out[k+m], 2)
		t := cmul(b, f.twiddles[k*stride])
		out[k+m] = csub(a, t)
		out[k] = cadd(a, t)
	}
}

// butterfly4 is kf_bfly4 (forward).
func (f *rfft16) butterfly4(out []cpx16, stride, m int) {
	for k := range m {
		a := fixdiv(out[k], 4)
		s0 := cmul(fixdiv(out[k+m], 4), f.twiddles[k*stride])
		s1 := cmul(fixdiv(out[k+2*m], 4), f.twiddles[2*k*stride])
		s2 := cmul(fixdiv(out[k+3*m], 4), f.twiddles[3*k*stride])
		s5 := csub(a, s1)
		a = cadd(a, s1)
		s3, s4 := cadd(s0, s2), csub(s0, s2)
		out[k+2*m] = csub(a, s3)
		out[k] = cadd(a, s3)
		out[k+m] = cpx16{s5.r + s4.i, s5.i - s4.r}
		out[k+3*m] = cpx16{s5.r - s4.i, s5.i + s4.r}
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
