package runtime

import (
	"cmp"
	"fmt"
	"math"
	"math/bits"

	"github.com/footprint-dev/footprint/tflite"
)

// buildSignalFilterBank accumulates a uint32 energy spectrum into
// num_channels triangular (mel) channels as uint64, as TFLM's
// FilterbankAccumulateChannels does: each bin is weighted into its channel
// and, with the complementary "unweight", into the next one, over
// num_channels+1 channels of which the first is scratch. Inputs: spectrum,
// weights, unweights, and per channel the first bin, the first weight and
// the width in bins, all int16 and constant.
func buildSignalFilterBank(n *node) (func([][]byte), error) {
	ins, output, err := n.io(6)
	if err != nil {
		return nil, err
	}
	input := ins[0]
	if err := cmp.Or(wantKind(tflite.Uint32, input), wantKind(tflite.Uint64, output), wantRank(1, append(ins, output)...)); err != nil {
		return nil, err
	}
	table := make([][]int32, 5) // weights, unweights, frequency starts, weight starts, widths
	for k := range table {
		if err := wantKind(tflite.Int16, ins[k+1]); err != nil {
			return nil, err
		}
		if table[k], err = ins[k+1].constInts(); err != nil {
			return nil, err
		}
	}
	weights, unweights, freqStarts, weightStarts, widths := table[0], table[1], table[2], table[3], table[4]
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	channels, err := opts.int32("num_channels")
	if err != nil {
		return nil, err
	}
	if channels < 0 || int(channels) >= len(freqStarts) || int(channels) >= len(weightStarts) || int(channels) >= len(widths) {
		return nil, fmt.Errorf("%d channels need %d frequency starts, weight starts and widths", channels, channels+1)
	}
	// TFLM copies as many channels as the output holds.
	if output.elems > int(channels) {
		return nil, fmt.Errorf("output %v has more than %d channels", output.shape, channels)
	}
	for c := range int(channels) + 1 {
		// A channel of no bins reads nothing, wherever it starts.
		f, w, width := int(freqStarts[c]), int(weightStarts[c]), int(max(widths[c], 0))
		if width > 0 && (f < 0 || w < 0 || f+width > input.elems || w+width > len(weights) || w+width > len(unweights)) {
			return nil, fmt.Errorf("channel %d (bins %d+%d, weights %d+%d) out of range", c, f, width, w, width)
		}
	}
	acc := make([]uint64, channels+1)
	return func(mem [][]byte) {
		in := mem[input.index]
		var weighted, unweighted uint64
		for c := range acc {
			f, w := int(freqStarts[c]), int(weightStarts[c])
			for j := range int(max(widths[c], 0)) {
				x := uint64(getUint32(in, f+j))
				// The int16 weight converts to uint64 as C does: sign-extended.
				weighted += uint64(int64(weights[w+j])) * x
				unweighted += uint64(int64(unweights[w+j])) * x
			}
			acc[c] = weighted
			weighted, unweighted = unweighted, 0
		}
		out := mem[output.index]
		for c := range output.elems {
			putUint64(out, c, acc[c+1])
		}
	}, nil
}

// buildSignalFilterBankSquareRoot takes the integer square root of each
// uint64 channel and shifts it right by the scale bits input (the shift
// FftAutoScale applied), giving uint32.
func buildSignalFilterBankSquareRoot(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, scaleBits := ins[0], ins[1]
	if err := cmp.Or(wantKind(tflite.Uint64, input), wantKind(tflite.Int32, scaleBits), wantKind(tflite.Uint32, output)); err != nil {
		return nil, err
	}
	if err := cmp.Or(wantRank(1, input, output), wantRank(0, scaleBits)); err != nil {
		return nil, err
	}
	// TFLM computes as many channels as the input holds.
	if output.elems < input.elems {
		return nil, fmt.Errorf("output %v is shorter than input %v", output.shape, input.shape)
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		shift := int64(int32(getUint32(mem[scaleBits.index], 0)))
		for i := range input.elems {
			putUint32(out, i, shr32(sqrt64(getUint64(in, i)), shift))
		}
	}, nil
}

// sqrt32 is TFLM's rounding integer square root Sqrt32.
func sqrt32(num uint32) uint16 { return uint16(roundingSqrt(num, 32)) }

// sqrt64 is TFLM's Sqrt64: Sqrt32 when the value fits 32 bits, otherwise
// the same method over 64 bits.
func sqrt64(num uint64) uint32 {
	if num>>32 == 0 {
		return uint32(sqrt32(uint32(num)))
	}
	return uint32(roundingSqrt(num, 64))
}

// roundingSqrt is the method of TFLM's Sqrt32 and Sqrt64 for a width-bit
// value: bit by bit, from the highest even bit position at or above the
// top bit, then rounded up when the remainder exceeds the root, unless the
// root is already the largest of width/2 bits.
func roundingSqrt[T uint32 | uint64](num T, width int) T {
	if num == 0 {
		return 0
	}
	top := (bits.LeadingZeros64(uint64(num)) - (64 - width)) | 1
	bit := T(1) << (width - 1 - top)
	var res T
	for range (width-1-top)/2 + 1 {
		if num >= res+bit {
			num -= res + bit
			res = res>>1 + bit
		} else {
			res >>= 1
		}
		bit >>= 2
	}
	if num > res && res != T(1)<<(width/2)-1 {
		res++
	}
	return res
}

// spectralSubtraction holds the options of FilterBankSpectralSubtraction
// (TFLM's SpectralSubtractionConfig).
type spectralSubtraction struct {
	channels                                                   int32
	smoothing, oneMinusSmoothing, altSmoothing, altOneMinus    uint32
	minSignalRemaining, smoothingBits, spectralSubtractionBits uint32
	clamping                                                   bool
}

// buildSignalFilterBankSpectralSubtraction removes a running noise
// estimate from each channel (keeping at least min_signal_remaining of
// the signal). The estimate persists between invocations, as in TFLM, and
// is also written to output 1.
func buildSignalFilterBankSpectralSubtraction(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	noiseOut := n.output(1)
	if noiseOut == nil {
		return nil, fmt.Errorf("output 1 (noise estimate) missing")
	}
	if err := cmp.Or(wantKind(tflite.Uint32, input, output, noiseOut), wantRank(1, input, output, noiseOut)); err != nil {
		return nil, err
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var cfg spectralSubtraction
	var smoothing, oneMinus, alt, altOneMinus, minRemaining, smoothingBits, ssBits int32
	if err := opts.ints([]string{"num_channels", "smoothing", "one_minus_smoothing", "alternate_smoothing",
		"alternate_one_minus_smoothing", "min_signal_remaining", "smoothing_bits", "spectral_subtraction_bits"},
		&cfg.channels, &smoothing, &oneMinus, &alt, &altOneMinus, &minRemaining, &smoothingBits, &ssBits); err != nil {
		return nil, err
	}
	if cfg.clamping, err = opts.bool("clamping"); err != nil {
		return nil, err
	}
	// TFLM shifts a uint32 by smoothing_bits and a uint64 by
	// spectral_subtraction_bits: C leaves other counts undefined (x86
	// masks them, a Cortex-M does not).
	if smoothingBits < 0 || smoothingBits > 31 {
		return nil, fmt.Errorf("custom option \"smoothing_bits\" %d is outside [0, 31]", smoothingBits)
	}
	if ssBits < 0 || ssBits > 63 {
		return nil, fmt.Errorf("custom option \"spectral_subtraction_bits\" %d is outside [0, 63]", ssBits)
	}
	cfg.smoothing, cfg.oneMinusSmoothing = uint32(smoothing), uint32(oneMinus)
	cfg.altSmoothing, cfg.altOneMinus = uint32(alt), uint32(altOneMinus)
	cfg.minSignalRemaining = uint32(minRemaining)
	cfg.smoothingBits, cfg.spectralSubtractionBits = uint32(smoothingBits), uint32(ssBits)
	for _, t := range []*tensorInfo{input, output, noiseOut} {
		if err := wantElems(t, int(cfg.channels)); err != nil {
			return nil, err
		}
	}
	noise := make([]uint32, cfg.channels)
	n.keepState(func() { clear(noise) })
	return func(mem [][]byte) {
		cfg.apply(mem[input.index], mem[output.index], noise)
		out := mem[noiseOut.index]
		for i, v := range noise {
			putUint32(out, i, v)
		}
	}, nil
}

// apply is TFLM's FilterbankSpectralSubtraction over little-endian uint32
// input and output, updating noise.
func (cfg *spectralSubtraction) apply(in, out []byte, noise []uint32) {
	sBits, ssBits := int64(cfg.smoothingBits), int64(cfg.spectralSubtractionBits)
	for i := range noise {
		smoothing, oneMinus := cfg.smoothing, cfg.oneMinusSmoothing
		if i&1 == 1 {
			smoothing, oneMinus = cfg.altSmoothing, cfg.altOneMinus
		}
		x := getUint32(in, i)
		scaled := shl32(x, sBits)
		noise[i] = uint32(shr64(uint64(scaled)*uint64(smoothing)+uint64(noise[i])*uint64(oneMinus), ssBits))
		estimate := noise[i]
		if estimate > scaled {
			estimate = scaled
			if cfg.clamping {
				noise[i] = estimate
			}
		}
		floor := uint32(shr64(uint64(x)*uint64(cfg.minSignalRemaining), ssBits))
		putUint32(out, i, max(shr32(scaled-estimate, sBits), floor))
	}
}

// PCAN's fixed-point formats: the SNR has pcanSnrBits fractional bits, the
// output pcanOutputBits.
const (
	pcanSnrBits    = 12
	pcanOutputBits = 6
	// pcanLUTLen is the gain table length WideDynamicFunction can index:
	// 4*32-6 for the top interval, plus its three coefficients.
	pcanLUTLen = 4*32 - 6 + 3
)

// buildSignalPCAN applies per-channel automatic gain control (PCAN, TFLM's
// ApplyPcanAutoGainControlFixed): the gain is a piecewise-quadratic
// function of the channel's noise estimate read from an int16 table, and
// the gained SNR is compressed by a shrink function. Inputs: channels,
// noise estimate (both uint32), gain table (int16).
func buildSignalPCAN(n *node) (func([][]byte), error) {
	ins, output, err := n.io(3)
	if err != nil {
		return nil, err
	}
	input, noise, lutTensor := ins[0], ins[1], ins[2]
	if err := cmp.Or(wantKind(tflite.Uint32, input, noise, output), wantKind(tflite.Int16, lutTensor),
		wantRank(1, input, noise, lutTensor, output)); err != nil {
		return nil, err
	}
	lut32, err := lutTensor.constInts()
	if err != nil {
		return nil, err
	}
	if len(lut32) < pcanLUTLen {
		return nil, fmt.Errorf("gain table has %d entries, want at least %d", len(lut32), pcanLUTLen)
	}
	lut := make([]int16, len(lut32))
	for i, v := range lut32 {
		lut[i] = int16(v)
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	snrShift, err := opts.int32("snr_shift")
	if err != nil {
		return nil, err
	}
	// TFLM shifts a uint64 by it: C leaves other counts undefined.
	if snrShift < 0 || snrShift > 63 {
		return nil, fmt.Errorf("custom option \"snr_shift\" %d is outside [0, 63]", snrShift)
	}
	if err := wantElems(output, input.elems); err != nil {
		return nil, err
	}
	if noise.elems < input.elems {
		return nil, fmt.Errorf("noise estimate has %d elements for %d channels", noise.elems, input.elems)
	}
	return func(mem [][]byte) {
		in, est, out := mem[input.index], mem[noise.index], mem[output.index]
		for i := range input.elems {
			gain := uint32(int32(wideDynamicFunction(getUint32(est, i), lut)))
			snr := uint32(shr64(uint64(getUint32(in, i))*uint64(gain), int64(snrShift)))
			putUint32(out, i, pcanShrink(snr))
		}
	}, nil
}

// wideDynamicFunction evaluates the gain table at x: entries 0..2 directly,
// above that a quadratic in the 10 bits below x's top bit, with
// coefficients chosen by the top bit's position.
func wideDynamicFunction(x uint32, lut []int16) int16 {
	if x <= 2 {
		return lut[x]
	}
	interval := msb32(x)
	coef := lut[4*interval-6:]
	var frac int32
	if interval < 11 {
		frac = int32(int16(x << (11 - interval) & 0x3FF))
	} else {
		frac = int32(int16(x >> (interval - 11) & 0x3FF))
	}
	result := int32(coef[2]) * frac >> 5
	result += int32(uint32(int32(coef[1])) << 5)
	result *= frac
	result = (result + 1<<14) >> 15
	result += int32(coef[0])
	return int16(result)
}

// pcanShrink is x²/4 below 2 and x-1 above, from pcanSnrBits to
// pcanOutputBits fractional bits, in wrapping uint32 arithmetic.
func pcanShrink(x uint32) uint32 {
	if x < 2<<pcanSnrBits {
		return x * x >> (2 + 2*pcanSnrBits - pcanOutputBits)
	}
	return x>>(pcanSnrBits-pcanOutputBits) - 1<<pcanOutputBits
}

// buildSignalFilterBankLog takes the scaled natural log of each uint32
// channel (shifted left by input_correction_bits first), saturated to
// int16; values of 0 and 1 give 0.
func buildSignalFilterBankLog(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if err := cmp.Or(wantKind(tflite.Uint32, input), wantKind(tflite.Int16, output), wantRank(1, input, output)); err != nil {
		return nil, err
	}
	// TFLM computes as many channels as the input holds.
	if output.elems < input.elems {
		return nil, fmt.Errorf("output %v is shorter than input %v", output.shape, input.shape)
	}
	opts, err := n.signalOpts()
	if err != nil {
		return nil, err
	}
	var correction, scale int32
	if err := opts.ints([]string{"input_correction_bits", "output_scale"}, &correction, &scale); err != nil {
		return nil, err
	}
	// TFLM shifts a uint32 by it: C leaves other counts undefined.
	if correction < 0 || correction > 31 {
		return nil, fmt.Errorf("custom option \"input_correction_bits\" %d is outside [0, 31]", correction)
	}
	return func(mem [][]byte) {
		in, out := mem[input.index], mem[output.index]
		for i := range input.elems {
			scaled := shl32(getUint32(in, i), int64(uint32(correction)))
			var v int16
			if scaled > 1 {
				v = int16(min(log32(scaled, uint32(scale)), math.MaxInt16))
			}
			putInt16(out, i, v)
		}
	}, nil
}

// logLUT is TFLM's kLogLut: log2(1+f) - f at 128 segments of [0, 1), in
// units of 2^-16, with one entry of padding.
var logLUT = [130]uint16{
	0, 224, 442, 654, 861, 1063, 1259, 1450, 1636, 1817, 1992, 2163,
	2329, 2490, 2646, 2797, 2944, 3087, 3224, 3358, 3487, 3611, 3732, 3848,
	3960, 4068, 4172, 4272, 4368, 4460, 4549, 4633, 4714, 4791, 4864, 4934,
	5001, 5063, 5123, 5178, 5231, 5280, 5326, 5368, 5408, 5444, 5477, 5507,
	5533, 5557, 5578, 5595, 5610, 5622, 5631, 5637, 5640, 5641, 5638, 5633,
	5626, 5615, 5602, 5586, 5568, 5547, 5524, 5498, 5470, 5439, 5406, 5370,
	5332, 5291, 5249, 5203, 5156, 5106, 5054, 5000, 4944, 4885, 4825, 4762,
	4697, 4630, 4561, 4490, 4416, 4341, 4264, 4184, 4103, 4020, 3935, 3848,
	3759, 3668, 3575, 3481, 3384, 3286, 3186, 3084, 2981, 2875, 2768, 2659,
	2549, 2437, 2323, 2207, 2090, 1971, 1851, 1729, 1605, 1480, 1353, 1224,
	1094, 963, 830, 695, 559, 421, 282, 142, 0, 0,
}

// Fixed-point constants of TFLM's Log32: log2 has 16 fractional bits over
// 2^7 table segments, and ln(2) is 45426/2^16.
const (
	logScaleBits   = 16
	logSegmentBits = 7
	logLn2         = 45426
)

// log32 is TFLM's Log32: ln(x) * outScale / 2^16, rounded, for x > 1, in
// its uint32 arithmetic.
func log32(x, outScale uint32) uint32 {
	integer := uint32(msb32(x) - 1)
	log2 := integer<<logScaleBits + log2Fraction(x, integer)
	const round = 1 << (logScaleBits - 1)
	loge := uint32((logLn2*uint64(log2) + round) >> logScaleBits)
	return (outScale*loge + round) >> logScaleBits
}

// log2Fraction is the fractional part of log2(x), 16 bits, given its
// integer part: the bits below the top one, corrected by interpolating
// logLUT.
func log2Fraction(x, integer uint32) uint32 {
	frac := int32(int64(x) - int64(1)<<integer)
	if integer < logScaleBits {
		frac <<= logScaleBits - integer
	} else {
		frac >>= integer - logScaleBits
	}
	seg := uint32(frac) >> (logScaleBits - logSegmentBits)
	const segUnit = 1 << (logScaleBits - logSegmentBits)
	c0, c1 := int32(logLUT[seg]), int32(logLUT[seg+1])
	rel := (c1 - c0) * (frac - int32(segUnit*seg)) >> logScaleBits
	return uint32(frac + c0 + rel)
}
