package runtime

import (
	"fmt"
	"math"
)

// TFLM's Signal library computes its FFTs with KISS FFT v130 (the version
// tflite-micro downloads; its patch makes KISS_FFT_MALLOC return NULL and
// changes no arithmetic), built three times: FIXED_POINT=16 (int16
// samples, Q15 twiddles, int32 products), FIXED_POINT=32 (int32 samples,
// Q31 twiddles, int64 products) and float. kissFFT is its complex FFT
// (kiss_fft_state, kf_work and the radix-2, 3, 4 and 5 butterflies),
// generic over the sample type; kissArith supplies what the macros of
// _kiss_fft_guts.h expand to for each build. In fixed point every
// butterfly input is first divided by the radix so nothing overflows, and
// every product is rounded back to the sample's Q format; integer sums
// wrap as C's do when it truncates an int to the sample type.

// kissScalar is a sample type KISS FFT is built for.
type kissScalar interface{ int16 | int32 | float32 }

// kcpx is kiss_fft_cpx.
type kcpx[T kissScalar] struct{ r, i T }

func (a kcpx[T]) add(b kcpx[T]) kcpx[T] { return kcpx[T]{a.r + b.r, a.i + b.i} }
func (a kcpx[T]) sub(b kcpx[T]) kcpx[T] { return kcpx[T]{a.r - b.r, a.i - b.i} }

// kissArith is one build's arithmetic macros.
type kissArith[T kissScalar] interface {
	// fixdiv is C_FIXDIV: divides both parts by k (fixed point only).
	fixdiv(c kcpx[T], k int) kcpx[T]
	// mul is C_MUL, the complex product.
	mul(a, b kcpx[T]) kcpx[T]
	// smul is S_MUL, the scalar product.
	smul(a, b T) T
	// half is HALF_OF.
	half(x T) T
	// halfSum and halfDiff are HALF_OF(a + b) and HALF_OF(a - b): in the
	// 16-bit build the sum is an int, so it does not wrap before the
	// halving.
	halfSum(a, b T) T
	halfDiff(a, b T) T
	// cexp is kf_cexp: the twiddle of a phase computed in double. Go's
	// math.Cos and math.Sin give the same Q31 and float twiddles as
	// glibc's cos and sin for every complex length 2^a*3^b*5^c up to 4096
	// (compared one by one when this was written).
	cexp(phase float64) kcpx[T]
}

// cpx16 is the fixed-point (int16) kiss_fft_cpx.
type cpx16 = kcpx[int16]

// kissQ15Max is SAMP_MAX of the 16-bit build, the Q15 "one" of its
// twiddles.
const kissQ15Max = 32767

// kissQ31Max is SAMP_MAX of the 32-bit build.
const kissQ31Max = 2147483647

// fixed16 is the FIXED_POINT=16 build's arithmetic.
type fixed16 struct{}

// sround rounds a Q30 product sum back to Q15 and truncates it to short.
func sround(x int32) int16 { return int16((x + 1<<14) >> 15) }

// fixdiv is C_FIXDIV: a Q15 multiply by SAMP_MAX/k.
func fixdiv(c cpx16, k int32) cpx16 {
	d := kissQ15Max / k
	return cpx16{sround(int32(c.r) * d), sround(int32(c.i) * d)}
}

// cmul is C_MUL in Q15.
func cmul(a, b cpx16) cpx16 {
	return cpx16{
		sround(int32(a.r)*int32(b.r) - int32(a.i)*int32(b.i)),
		sround(int32(a.r)*int32(b.i) + int32(a.i)*int32(b.r)),
	}
}

// kissTwiddle is kf_cexp in Q15: floor(.5 + 32767*cos(phase)), and
// likewise sin, computed in double as C does. The conversions keep Go
// from fusing the multiply and add.
func kissTwiddle(phase float64) cpx16 {
	return cpx16{
		int16(math.Floor(.5 + float64(kissQ15Max*math.Cos(phase)))),
		int16(math.Floor(.5 + float64(kissQ15Max*math.Sin(phase)))),
	}
}

func (fixed16) fixdiv(c cpx16, k int) cpx16    { return fixdiv(c, int32(k)) }
func (fixed16) mul(a, b cpx16) cpx16           { return cmul(a, b) }
func (fixed16) smul(a, b int16) int16          { return sround(int32(a) * int32(b)) }
func (fixed16) half(x int16) int16             { return x >> 1 }
func (fixed16) halfSum(a, b int16) int16       { return int16((int32(a) + int32(b)) >> 1) }
func (fixed16) halfDiff(a, b int16) int16      { return int16((int32(a) - int32(b)) >> 1) }
func (fixed16) cexp(phase float64) kcpx[int16] { return kissTwiddle(phase) }

// fixed32 is the FIXED_POINT=32 build's arithmetic: Q31 with int64
// products.
type fixed32 struct{}

// sround32 rounds a Q62 product sum back to Q31 and truncates it to int32.
func sround32(x int64) int32 { return int32((x + 1<<30) >> 31) }

func (fixed32) fixdiv(c kcpx[int32], k int) kcpx[int32] {
	d := int64(kissQ31Max / k)
	return kcpx[int32]{sround32(int64(c.r) * d), sround32(int64(c.i) * d)}
}

func (fixed32) mul(a, b kcpx[int32]) kcpx[int32] {
	return kcpx[int32]{
		sround32(int64(a.r)*int64(b.r) - int64(a.i)*int64(b.i)),
		sround32(int64(a.r)*int64(b.i) + int64(a.i)*int64(b.r)),
	}
}

func (fixed32) smul(a, b int32) int32 { return sround32(int64(a) * int64(b)) }
func (fixed32) half(x int32) int32    { return x >> 1 }

// halfSum: the 32-bit build's sum is an int, which wraps (on both targets)
// before the halving.
func (fixed32) halfSum(a, b int32) int32  { return (a + b) >> 1 }
func (fixed32) halfDiff(a, b int32) int32 { return (a - b) >> 1 }

func (fixed32) cexp(phase float64) kcpx[int32] {
	return kcpx[int32]{
		int32(math.Floor(.5 + float64(kissQ31Max*math.Cos(phase)))),
		int32(math.Floor(.5 + float64(kissQ31Max*math.Sin(phase)))),
	}
}

// float32Arith is the float build's arithmetic: no division, products
// and sums each rounded to float (the conversions keep Go from fusing a
// multiply and an add, which the x86-64 build does not do either).
type float32Arith struct{}

func (float32Arith) fixdiv(c kcpx[float32], _ int) kcpx[float32] { return c }

func (float32Arith) mul(a, b kcpx[float32]) kcpx[float32] {
	return kcpx[float32]{
		float32(a.r*b.r) - float32(a.i*b.i),
		float32(a.r*b.i) + float32(a.i*b.r),
	}
}

func (float32Arith) smul(a, b float32) float32     { return a * b }
func (float32Arith) half(x float32) float32        { return x * .5 }
func (float32Arith) halfSum(a, b float32) float32  { return float32(a+b) * .5 }
func (float32Arith) halfDiff(a, b float32) float32 { return float32(a-b) * .5 }

func (float32Arith) cexp(phase float64) kcpx[float32] {
	return kcpx[float32]{float32(math.Cos(phase)), float32(math.Sin(phase))}
}

// maxKissFFT bounds the complex FFT length the runtime prepares.
const maxKissFFT = 1 << 20

// kissFFT is a prepared complex FFT of nfft points (kiss_fft_state).
type kissFFT[T kissScalar] struct {
	a        kissArith[T]
	nfft     int
	inverse  bool
	twiddles []kcpx[T]
	factors  []int // radix and remaining length per stage, as kf_factor makes them
}

// newKissFFT is kiss_fft_alloc. KISS FFT's generic butterfly, for radices
// above 5, allocates its scratch with KISS_FFT_MALLOC, which TFLM's patch
// makes return NULL: TFLM crashes on such lengths (and on 1), so they are
// refused.
func newKissFFT[T kissScalar](a kissArith[T], nfft int, inverse bool) (*kissFFT[T], error) {
	if nfft < 1 || nfft > maxKissFFT {
		return nil, fmt.Errorf("complex FFT length %d is outside [1, %d]", nfft, maxKissFFT)
	}
	factors := kissFactor(nfft)
	for k := 0; k < len(factors); k += 2 {
		if p := factors[k]; p < 2 || p > 5 {
			return nil, fmt.Errorf("complex FFT length %d needs KISS FFT's generic radix-%d butterfly, which TFLM's build cannot run (its scratch allocation returns NULL)", nfft, p)
		}
	}
	f := &kissFFT[T]{a: a, nfft: nfft, inverse: inverse, twiddles: make([]kcpx[T], nfft), factors: factors}
	for i := range f.twiddles {
		phase := -2 * math.Pi * float64(i) / float64(nfft)
		if inverse {
			phase = -phase
		}
		f.twiddles[i] = a.cexp(phase)
	}
	return f, nil
}

// kissFactor is kf_factor: radix 4 while it divides, then 2, then odd
// primes up to the square root of n, and finally what is left.
func kissFactor(n int) []int {
	var factors []int
	p := 4
	floorSqrt := math.Floor(math.Sqrt(float64(n)))
	for {
		for n%p != 0 {
			switch p {
			case 4:
				p = 2
			case 2:
				p = 3
			default:
				p += 2
			}
			if float64(p) > floorSqrt {
				p = n
			}
		}
		n /= p
		factors = append(factors, p, n)
		if n <= 1 {
			return factors
		}
	}
}

// transform computes the FFT of in into out (kiss_fft; they must not
// overlap).
func (f *kissFFT[T]) transform(in, out []kcpx[T]) { f.work(out, in, 1, f.factors) }

// work is kf_work: the decimation-in-time recursion. out receives the
// FFT of the len(out) inputs in[0], in[stride], in[2*stride], ...
func (f *kissFFT[T]) work(out, in []kcpx[T], stride int, factors []int) {
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
	switch p {
	case 2:
		f.butterfly2(out, stride, m)
	case 3:
		f.butterfly3(out, stride, m)
	case 4:
		f.butterfly4(out, stride, m)
	default:
		f.butterfly5(out, stride, m)
	}
}

// butterfly2 is kf_bfly2.
func (f *kissFFT[T]) butterfly2(out []kcpx[T], stride, m int) {
	a := f.a
	for k := range m {
		x, y := a.fixdiv(out[k], 2), a.fixdiv(out[k+m], 2)
		t := a.mul(y, f.twiddles[k*stride])
		out[k+m] = x.sub(t)
		out[k] = x.add(t)
	}
}

// butterfly3 is kf_bfly3.
func (f *kissFFT[T]) butterfly3(out []kcpx[T], stride, m int) {
	a := f.a
	epi3 := f.twiddles[stride*m]
	for k := range m {
		f0 := a.fixdiv(out[k], 3)
		s1 := a.mul(a.fixdiv(out[k+m], 3), f.twiddles[k*stride])
		s2 := a.mul(a.fixdiv(out[k+2*m], 3), f.twiddles[2*k*stride])
		s3, s0 := s1.add(s2), s1.sub(s2)
		fm := kcpx[T]{f0.r - a.half(s3.r), f0.i - a.half(s3.i)}
		s0 = kcpx[T]{a.smul(s0.r, epi3.i), a.smul(s0.i, epi3.i)}
		out[k] = f0.add(s3)
		out[k+2*m] = kcpx[T]{fm.r + s0.i, fm.i - s0.r}
		out[k+m] = kcpx[T]{fm.r - s0.i, fm.i + s0.r}
	}
}

// butterfly4 is kf_bfly4.
func (f *kissFFT[T]) butterfly4(out []kcpx[T], stride, m int) {
	a := f.a
	for k := range m {
		f0 := a.fixdiv(out[k], 4)
		s0 := a.mul(a.fixdiv(out[k+m], 4), f.twiddles[k*stride])
		s1 := a.mul(a.fixdiv(out[k+2*m], 4), f.twiddles[2*k*stride])
		s2 := a.mul(a.fixdiv(out[k+3*m], 4), f.twiddles[3*k*stride])
		s5 := f0.sub(s1)
		f0 = f0.add(s1)
		s3, s4 := s0.add(s2), s0.sub(s2)
		out[k+2*m] = f0.sub(s3)
		out[k] = f0.add(s3)
		if f.inverse {
			out[k+m] = kcpx[T]{s5.r - s4.i, s5.i + s4.r}
			out[k+3*m] = kcpx[T]{s5.r + s4.i, s5.i - s4.r}
		} else {
			out[k+m] = kcpx[T]{s5.r + s4.i, s5.i - s4.r}
			out[k+3*m] = kcpx[T]{s5.r - s4.i, s5.i + s4.r}
		}
	}
}

// butterfly5 is kf_bfly5, its sums in C's left-to-right order.
func (f *kissFFT[T]) butterfly5(out []kcpx[T], stride, m int) {
	a := f.a
	ya, yb := f.twiddles[stride*m], f.twiddles[2*stride*m]
	for u := range m {
		s0 := a.fixdiv(out[u], 5)
		s1 := a.mul(a.fixdiv(out[u+m], 5), f.twiddles[u*stride])
		s2 := a.mul(a.fixdiv(out[u+2*m], 5), f.twiddles[2*u*stride])
		s3 := a.mul(a.fixdiv(out[u+3*m], 5), f.twiddles[3*u*stride])
		s4 := a.mul(a.fixdiv(out[u+4*m], 5), f.twiddles[4*u*stride])
		s7, s10 := s1.add(s4), s1.sub(s4)
		s8, s9 := s2.add(s3), s2.sub(s3)
		out[u] = kcpx[T]{s0.r + (s7.r + s8.r), s0.i + (s7.i + s8.i)}
		s5 := kcpx[T]{
			s0.r + a.smul(s7.r, ya.r) + a.smul(s8.r, yb.r),
			s0.i + a.smul(s7.i, ya.r) + a.smul(s8.i, yb.r),
		}
		s6 := kcpx[T]{
			a.smul(s10.i, ya.i) + a.smul(s9.i, yb.i),
			-a.smul(s10.r, ya.i) - a.smul(s9.r, yb.i),
		}
		out[u+m] = s5.sub(s6)
		out[u+4*m] = s5.add(s6)
		s11 := kcpx[T]{
			s0.r + a.smul(s7.r, yb.r) + a.smul(s8.r, ya.r),
			s0.i + a.smul(s7.i, yb.r) + a.smul(s8.i, ya.r),
		}
		s12 := kcpx[T]{
			-a.smul(s10.i, yb.i) + a.smul(s9.i, ya.i),
			a.smul(s10.r, yb.i) - a.smul(s9.r, ya.i),
		}
		out[u+2*m] = s11.add(s12)
		out[u+3*m] = s11.sub(s12)
	}
}
