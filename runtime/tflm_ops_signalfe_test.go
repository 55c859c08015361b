package runtime

import (
	"encoding/binary"
	"math"
	"slices"
	"strconv"

	"github.com/footprint-dev/footprint/tflite"
)

// u32s and u64s are little-endian arrays of unsigned integers.
func u32s(v ...uint32) []byte {
	b := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(b[4*i:], x)
	}
	return b
}

func u64s(v ...uint64) []byte {
	b := make([]byte, 8*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint64(b[8*i:], x)
	}
	return b
}

// signalFrontEndCases are the differential cases of the Signal library's
// audio front-end operators (SignalWindow, SignalFftAutoScale,
// SignalRfft, SignalEnergy, SignalFilterBank and its square root,
// spectral subtraction and log, SignalPCAN), each alone. The options carry
// exactly the keys the TensorFlow ops' attributes give (TFLM reads them by
// position in the sorted keys); the stateful spectral subtraction gets
// earlier rounds so that the compared invocation depends on its state.
func signalFrontEndCases() []tflmCase {
	var cases []tflmCase
	add := func(name string, model []byte, earlier [][][]byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, earlier: earlier, inputs: inputs})
	}
	refuse := func(name, reason string, model []byte) {
		cases = append(cases, tflmCase{name: name, model: model, refuse: reason})
	}
	i16 := func(shape ...int32) tmTensor { return ofType(tflite.Int16, shape...) }
	u32 := func(shape ...int32) tmTensor { return ofType(tflite.Uint32, shape...) }
	u64 := func(shape ...int32) tmTensor { return ofType(tflite.Uint64, shape...) }
	const16 := func(v ...int16) tmTensor {
		return constTensor(tflite.Int16, []int32{int32(len(v))}, i16s(v...), 0)
	}
	one := func(name string, opts map[string]any, in, out tmTensor) []byte {
		return customOneOp(name, opts, []tmTensor{in, out}, []int32{0}, []int32{1})
	}

	// SignalWindow: (x*w) >> shift saturated, over every frame.
	window := func(shift int) map[string]any { return map[string]any{"shift": shift} }
	hann := const16(0, 1229, 4096, 7000, 16384, 32767, -32768, -100)
	winModel := func(shift int, in, w, out tmTensor) []byte {
		return customOneOp("SignalWindow", window(shift), []tmTensor{in, w, out}, []int32{0, 1}, []int32{2})
	}
	for _, shift := range []int{0, 1, 12, 15, 31} {
		add("signal_window_shift_"+strconv.Itoa(shift), winModel(shift, i16(2, 8), hann, i16(2, 8)), nil,
			i16s(slices.Concat([]int16{math.MinInt16, math.MaxInt16, -1, 1, 300, -300, 32000, math.MinInt16},
				[]int16{math.MaxInt16, math.MinInt16, 12345, -12345, 2, -2, 0, math.MaxInt16})...))
	}
	add("signal_window_rank1", winModel(12, i16(8), hann, i16(8)), nil)
	add("signal_window_rank3", winModel(3, i16(2, 2, 8), hann, i16(2, 2, 8)), nil)
	add("signal_window_weights_input", customOneOp("SignalWindow", window(4),
		[]tmTensor{i16(3, 4), i16(4), i16(3, 4)}, []int32{0, 1}, []int32{2}), nil)
	add("signal_window_float32", winModel(0, f32(8), constTensor(tflite.Float32, []int32{8}, floats(1, 2, 3, 4, 5, 6, 7, 8), 0), f32(8)), nil)
	add("signal_window_weights_rank2", winModel(1, i16(8), constTensor(tflite.Int16, []int32{1, 8}, ramp16(8, 1, 1), 0), i16(8)), nil)
	add("signal_window_rank_mismatch", winModel(1, i16(1, 8), hann, i16(8)), nil)
	add("signal_window_scalar", winModel(1, i16(), const16(5), i16()), nil)
	// TFLM applies the window past the input's end.
	refuse("signal_window_partial_frame", "whole number", winModel(1, i16(12), hann, i16(12)))
	refuse("signal_window_shift_32", "shift", winModel(32, i16(8), hann, i16(8)))
	refuse("signal_window_shift_negative", "shift", winModel(-1, i16(8), hann, i16(8)))

	// SignalFftAutoScale: shift left by the headroom of the largest
	// magnitude, and output the shift.
	scale := func(in, out, bits tmTensor) []byte {
		return customOneOp("SignalFftAutoScale", map[string]any{}, []tmTensor{in, out, bits}, []int32{0}, []int32{1, 2})
	}
	for name, v := range map[string][]int16{
		"small":    {1, -3, 2, 0, 5, -7, 3, 1},
		"zero":     {0, 0, 0, 0, 0, 0, 0, 0},
		"min":      {math.MinInt16, 1, 2, 3, 4, 5, 6, 7},
		"max":      {math.MaxInt16, -1, 2, -3, 4, -5, 6, -7},
		"negative": {-1, -1, -1, -1, -1, -1, -1, -2},
		"one_bit":  {0, 0, 0, 0x4000, 0, 0, -0x4000, 0},
	} {
		add("signal_fft_auto_scale_"+name, scale(i16(8), i16(8), ofType(tflite.Int32)), nil, i16s(v...))
	}
	add("signal_fft_auto_scale_odd", scale(i16(7), i16(7), ofType(tflite.Int32)), nil)
	// TFLM scales as many samples as the output holds, and reads past
	// the input's end when that is shorter.
	add("signal_fft_auto_scale_longer_input", scale(i16(8), i16(5), ofType(tflite.Int32)), nil,
		i16s(1, -3, 2, 0, 5, -30000, 3, 1))
	refuse("signal_fft_auto_scale_shorter_input", "shorter", scale(i16(4), i16(8), ofType(tflite.Int32)))
	add("signal_fft_auto_scale_bits_rank1", scale(i16(8), i16(8), ofType(tflite.Int32, 1)), nil)
	add("signal_fft_auto_scale_rank2", scale(i16(2, 4), i16(2, 4), ofType(tflite.Int32)), nil)
	add("signal_fft_auto_scale_int32", scale(ofType(tflite.Int32, 8), ofType(tflite.Int32, 8), ofType(tflite.Int32)), nil)

	// SignalRfft: every type, power-of-two lengths and lengths with
	// radix-3 and radix-5 stages, frames shorter than the FFT (zero
	// padded) and several frames.
	rfft := func(t tflite.TensorType, n int) map[string]any { return map[string]any{"T": int(t), "fft_length": n} }
	for _, tc := range []struct {
		name string
		t    tflite.TensorType
	}{{"int16", tflite.Int16}, {"int32", tflite.Int32}, {"float32", tflite.Float32}} {
		for _, n := range []int32{4, 8, 64, 512, 6, 10, 12, 20, 30, 36, 50, 480} {
			in, out := ofType(tc.t, 2, n), ofType(tc.t, 2, n+2)
			var input []byte
			if tc.t == tflite.Float32 {
				input = floatPattern(int(2 * n))
			}
			add("signal_rfft_"+tc.name+"_"+strconv.Itoa(int(n)), one("SignalRfft", rfft(tc.t, int(n)), in, out), nil, input)
		}
		short := ofType(tc.t, 3, 5)
		var input []byte
		if tc.t == tflite.Float32 {
			input = floatPattern(15)
		}
		add("signal_rfft_"+tc.name+"_padded", one("SignalRfft", rfft(tc.t, 16), short, ofType(tc.t, 3, 18)), nil, input)
	}
	add("signal_rfft_int16_extremes", one("SignalRfft", rfft(tflite.Int16, 16), i16(16), i16(18)), nil,
		i16s(slices.Repeat([]int16{math.MinInt16, math.MaxInt16, math.MinInt16, math.MinInt16}, 4)...))
	add("signal_rfft_int16_min", one("SignalRfft", rfft(tflite.Int16, 12), i16(12), i16(14)), nil,
		ramp16(12, math.MinInt16, 0))
	add("signal_rfft_int32_extremes", one("SignalRfft", rfft(tflite.Int32, 20), ofType(tflite.Int32, 20), ofType(tflite.Int32, 22)), nil,
		i32s(slices.Repeat([]int32{math.MinInt32, math.MaxInt32, math.MinInt32, math.MinInt32}, 5)...))
	add("signal_rfft_int32_min", one("SignalRfft", rfft(tflite.Int32, 8), ofType(tflite.Int32, 8), ofType(tflite.Int32, 10)), nil,
		i32s(slices.Repeat([]int32{math.MinInt32}, 8)...))
	add("signal_rfft_float32_rank1", one("SignalRfft", rfft(tflite.Float32, 32), f32(32), f32(34)), nil, floatPattern(32))
	add("signal_rfft_int16_rank3", one("SignalRfft", rfft(tflite.Int16, 8), i16(2, 2, 8), i16(2, 2, 10)), nil)
	// Wider output rows: TFLM steps by their whole complex numbers and
	// leaves the bins past fft_length/2+1 as they were.
	add("signal_rfft_int16_wide_rows", one("SignalRfft", rfft(tflite.Int16, 8), i16(3, 8), i16(3, 14)), nil)
	add("signal_rfft_float32_odd_rows", one("SignalRfft", rfft(tflite.Float32, 8), f32(2, 6), f32(2, 11)), nil, floatPattern(12))
	add("signal_rfft_int8", one("SignalRfft", rfft(tflite.Int8, 8), ofType(tflite.Int8, 8), ofType(tflite.Int8, 10)), nil)
	add("signal_rfft_type_mismatch", one("SignalRfft", rfft(tflite.Int16, 8), f32(8), f32(10)), nil)
	add("signal_rfft_rank_mismatch", one("SignalRfft", rfft(tflite.Int16, 8), i16(1, 8), i16(10)), nil)
	add("signal_rfft_generic_radix", one("SignalRfft", rfft(tflite.Int16, 14), i16(14), i16(16)), nil)
	add("signal_rfft_length_2", one("SignalRfft", rfft(tflite.Float32, 2), f32(2), f32(4)), nil)
	refuse("signal_rfft_odd_length", "not an even length", one("SignalRfft", rfft(tflite.Int16, 9), i16(9), i16(12)))

	// SignalEnergy: re²+im² of bins [start_index, end_index).
	energy := func(start, end int) map[string]any { return map[string]any{"start_index": start, "end_index": end} }
	add("signal_energy_extremes", one("SignalEnergy", energy(0, 5), i16(10), u32(5)), nil,
		i16s(math.MinInt16, math.MinInt16, math.MaxInt16, math.MaxInt16, math.MinInt16, 0, -1, 1, 3, -4))
	add("signal_energy_all_but_edges", one("SignalEnergy", energy(1, 8), i16(18), u32(9)), nil)
	add("signal_energy_empty", one("SignalEnergy", energy(3, 3), i16(10), u32(5)), nil)
	add("signal_energy_reversed", one("SignalEnergy", energy(4, 2), i16(10), u32(5)), nil)
	add("signal_energy_reversed_out_of_range", one("SignalEnergy", energy(50, -3), i16(10), u32(5)), nil)
	add("signal_energy_rank2", one("SignalEnergy", energy(0, 2), i16(2, 4), u32(4)), nil)
	add("signal_energy_int32_output", one("SignalEnergy", energy(0, 2), i16(8), ofType(tflite.Int32, 4)), nil)
	refuse("signal_energy_past_output", "do not fit", one("SignalEnergy", energy(2, 6), i16(12), u32(5)))

	// SignalFilterBank: channels 0..num_channels of weighted sums of
	// uint32 bins (channel 0 only seeds channel 1's unweighted sum).
	starts := constTensor(tflite.Int16, []int32{5}, i16s(1, 3, 5, 8, 11), 0)
	wstarts := constTensor(tflite.Int16, []int32{5}, i16s(0, 2, 4, 7, 10), 0)
	widths := constTensor(tflite.Int16, []int32{5}, i16s(2, 2, 3, 3, 4), 0)
	weights := constTensor(tflite.Int16, []int32{14}, i16s(4096, 2048, 100, 4000, 1, 2, 3, 4095, 0, 1000, 32767, 7, 8, 9), 0)
	unweights := constTensor(tflite.Int16, []int32{14}, i16s(0, 2048, 3996, 96, 4095, 4094, 4093, 1, 4096, 3096, 1, -7, -8, 9), 0)
	bank := func(channels int, in, w, u, out tmTensor) []byte {
		return customOneOp("SignalFilterBank", map[string]any{"num_channels": channels},
			[]tmTensor{in, w, u, starts, wstarts, widths, out}, []int32{0, 1, 2, 3, 4, 5}, []int32{6})
	}
	bins := make([]uint32, 16)
	for i := range bins {
		bins[i] = uint32(i) * 0x1234567
	}
	add("signal_filter_bank", bank(4, u32(16), weights, unweights, u64(4)), nil, u32s(bins...))
	add("signal_filter_bank_max", bank(4, u32(16), weights, unweights, u64(4)), nil,
		u32s(slices.Repeat([]uint32{math.MaxUint32}, 16)...))
	add("signal_filter_bank_negative_weights", bank(4, u32(16),
		constTensor(tflite.Int16, []int32{14}, i16s(-1, -4096, math.MinInt16, 5, 6, 7, 8, -9, 10, 11, 12, 13, 14, -15), 0),
		unweights, u64(4)), nil, u32s(bins...))
	add("signal_filter_bank_fewer_outputs", bank(4, u32(16), weights, unweights, u64(3)), nil, u32s(bins...))
	// Channels of no bins read nothing, wherever they start.
	add("signal_filter_bank_empty_channels", customOneOp("SignalFilterBank", map[string]any{"num_channels": 4},
		[]tmTensor{u32(16), weights, unweights, constTensor(tflite.Int16, []int32{5}, i16s(1, -40, 5, 8, 300), 0),
			constTensor(tflite.Int16, []int32{5}, i16s(0, 2, -9, 7, 10), 0),
			constTensor(tflite.Int16, []int32{5}, i16s(2, 0, -3, 3, 0), 0), u64(4)},
		[]int32{0, 1, 2, 3, 4, 5}, []int32{6}), nil, u32s(bins...))
	add("signal_filter_bank_int32_input", bank(4, ofType(tflite.Int32, 16), weights, unweights, u64(4)), nil)
	add("signal_filter_bank_rank2", bank(4, u32(1, 16), weights, unweights, u64(4)), nil)
	add("signal_filter_bank_uint32_output", bank(4, u32(16), weights, unweights, u32(4)), nil)

	// SignalFilterBankSquareRoot: rounded square roots shifted right by
	// the scale bits.
	sqrt := func(in, bits, out tmTensor) []byte {
		return customOneOp("SignalFilterBankSquareRoot", map[string]any{}, []tmTensor{in, bits, out}, []int32{0, 1}, []int32{2})
	}
	roots := u64s(0, 1, 2, 3, 4, 0xFFFFFFFF, 0x100000000, 0xFFFFFFFE00000001, math.MaxUint64, 0x123456789ABCDEF, 99, 1<<62)
	for _, bits := range []int32{0, 1, 7, 31} {
		add("signal_filter_bank_sqrt_shift_"+strconv.Itoa(int(bits)), sqrt(u64(12), ofType(tflite.Int32), u32(12)), nil,
			roots, i32s(bits))
	}
	add("signal_filter_bank_sqrt_const_bits", sqrt(u64(5), constTensor(tflite.Int32, nil, i32s(2), 0), u32(5)), nil)
	add("signal_filter_bank_sqrt_longer_output", sqrt(u64(3), ofType(tflite.Int32), u32(5)), nil, u64s(16, 17, 1<<40), i32s(1))
	add("signal_filter_bank_sqrt_bits_rank1", sqrt(u64(4), ofType(tflite.Int32, 1), u32(4)), nil, u64s(1, 4, 9, 16), i32s(0))
	add("signal_filter_bank_sqrt_uint32_input", sqrt(u32(4), ofType(tflite.Int32), u32(4)), nil)
	add("signal_filter_bank_sqrt_rank2", sqrt(u64(1, 4), ofType(tflite.Int32), u32(1, 4)), nil)

	// SignalFilterBankSpectralSubtraction: a smoothed noise estimate per
	// channel, carried from one invocation to the next.
	subtraction := func(channels int, clamping bool, smoothingBits, ssBits int) map[string]any {
		return map[string]any{
			"num_channels": channels, "smoothing": 655, "one_minus_smoothing": 15729,
			"alternate_smoothing": 3000, "alternate_one_minus_smoothing": 13384,
			"smoothing_bits": smoothingBits, "min_signal_remaining": 819, "clamping": clamping,
			"spectral_subtraction_bits": ssBits,
		}
	}
	subModel := func(opts map[string]any, in, out, noise tmTensor) []byte {
		return customOneOp("SignalFilterBankSpectralSubtraction", opts, []tmTensor{in, out, noise}, []int32{0}, []int32{1, 2})
	}
	rounds := func(r ...[]byte) [][][]byte {
		out := make([][][]byte, len(r))
		for k, b := range r {
			out[k] = [][]byte{b}
		}
		return out
	}
	loud := u32s(1000, 2000, 300000, 4000000, 5, 0)
	quiet := u32s(10, 20000, 30, 400, 5000000, 7)
	for _, clamping := range []bool{false, true} {
		name := "signal_spectral_subtraction_" + map[bool]string{false: "free", true: "clamped"}[clamping]
		add(name, subModel(subtraction(6, clamping, 10, 14), u32(6), u32(6), u32(6)),
			rounds(loud, loud, quiet), quiet)
		add(name+"_first", subModel(subtraction(6, clamping, 10, 14), u32(6), u32(6), u32(6)), nil, loud)
	}
	add("signal_spectral_subtraction_saturating", subModel(subtraction(4, true, 20, 14), u32(4), u32(4), u32(4)),
		rounds(u32s(math.MaxUint32, 1<<12, 1<<11, 3), u32s(math.MaxUint32, math.MaxUint32, 1<<13, 1)),
		u32s(1, math.MaxUint32, 1<<12, 2))
	add("signal_spectral_subtraction_bits_0", subModel(subtraction(4, false, 0, 0), u32(4), u32(4), u32(4)),
		rounds(u32s(1, 2, 3, 4)), u32s(4, 3, 2, 1))
	add("signal_spectral_subtraction_bits_wide", subModel(subtraction(4, false, 31, 63), u32(4), u32(4), u32(4)),
		rounds(u32s(1, 2, 3, 4)), u32s(4, 3, 2, 1))
	add("signal_spectral_subtraction_rank2", subModel(subtraction(4, false, 10, 14), u32(1, 4), u32(1, 4), u32(1, 4)), nil)
	add("signal_spectral_subtraction_int32", subModel(subtraction(4, false, 10, 14),
		ofType(tflite.Int32, 4), ofType(tflite.Int32, 4), ofType(tflite.Int32, 4)), nil)
	// TFLM copies the noise estimate tensor's size from a buffer of
	// num_channels: past its end.
	refuse("signal_spectral_subtraction_fewer_channels", "want 3 elements",
		subModel(subtraction(3, false, 10, 14), u32(4), u32(4), u32(4)))
	refuse("signal_spectral_subtraction_smoothing_bits_32", "smoothing_bits",
		subModel(subtraction(4, false, 32, 14), u32(4), u32(4), u32(4)))
	refuse("signal_spectral_subtraction_bits_64", "spectral_subtraction_bits",
		subModel(subtraction(4, false, 10, 64), u32(4), u32(4), u32(4)))

	// SignalFilterBankLog: scaled natural log, saturated to int16.
	logOpts := func(correction, scale int) map[string]any {
		return map[string]any{"input_correction_bits": correction, "output_scale": scale}
	}
	logs := u32s(0, 1, 2, 3, 4, 255, 256, 65535, 65536, 1<<24+12345, math.MaxUint32, 0x80000000)
	for _, tc := range []struct{ correction, scale int }{{0, 1600}, {3, 1600}, {0, 1 << 16}, {5, 32767}, {31, 100}, {0, 0}} {
		add("signal_filter_bank_log_"+strconv.Itoa(tc.correction)+"_"+strconv.Itoa(tc.scale),
			one("SignalFilterBankLog", logOpts(tc.correction, tc.scale), u32(12), i16(12)), nil, logs)
	}
	add("signal_filter_bank_log_longer_output", one("SignalFilterBankLog", logOpts(1, 1600), u32(3), i16(6)), nil)
	refuse("signal_filter_bank_log_shorter_output", "shorter", one("SignalFilterBankLog", logOpts(1, 1600), u32(6), i16(3)))
	add("signal_filter_bank_log_rank2", one("SignalFilterBankLog", logOpts(1, 1600), u32(2, 6), i16(2, 6)), nil)
	add("signal_filter_bank_log_int32_output", one("SignalFilterBankLog", logOpts(1, 1600), u32(6), ofType(tflite.Int32, 6)), nil)
	refuse("signal_filter_bank_log_correction_32", "input_correction_bits",
		one("SignalFilterBankLog", logOpts(32, 1600), u32(6), i16(6)))

	// SignalPCAN: per-channel gain from a table indexed by the noise
	// estimate, then the SNR's shrink.
	lut := make([]int16, pcanLUTLen)
	for i := range lut {
		lut[i] = int16(i*263%4001 - 1000)
	}
	lutTensor := constTensor(tflite.Int16, []int32{int32(len(lut))}, i16s(lut...), 0)
	pcan := func(shift int, in, noise, table, out tmTensor) []byte {
		return customOneOp("SignalPCAN", map[string]any{"snr_shift": shift},
			[]tmTensor{in, noise, table, out}, []int32{0, 1, 2}, []int32{3})
	}
	signal := u32s(0, 1, 2, 3, 100, 5000, 1<<20, math.MaxUint32, 77777, 1<<31, 12, 4096)
	noise := u32s(0, 1, 2, 3, 4, 1000, 1<<11, 1<<12, math.MaxUint32, 1<<31, 77, 0x7FFFFFFF)
	for _, shift := range []int{0, 6, 12, 63} {
		add("signal_pcan_shift_"+strconv.Itoa(shift), pcan(shift, u32(12), u32(12), lutTensor, u32(12)), nil, signal, noise)
	}
	// PCAN keeps no state: earlier invocations change nothing.
	add("signal_pcan_after_rounds", pcan(6, u32(12), u32(12), lutTensor, u32(12)),
		[][][]byte{{noise, signal}, {signal, signal}}, signal, noise)
	add("signal_pcan_rank2", pcan(6, u32(1, 4), u32(1, 4), lutTensor, u32(1, 4)), nil)
	add("signal_pcan_int32_lut", pcan(6, u32(4), u32(4), constTensor(tflite.Int32, []int32{pcanLUTLen}, make([]byte, 4*pcanLUTLen), 0), u32(4)), nil)
	refuse("signal_pcan_shift_64", "snr_shift", pcan(64, u32(4), u32(4), lutTensor, u32(4)))
	return cases
}
