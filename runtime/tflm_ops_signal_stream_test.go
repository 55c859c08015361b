package runtime

import (
	"math"
	"slices"
	"strconv"

	"github.com/footprint-dev/footprint/tflite"
)

// ramp16 is n int16 samples from start in steps of step (wrapping).
func ramp16(n int, start, step int16) []byte {
	v := make([]int16, n)
	for i := range v {
		v[i] = start + int16(i)*step
	}
	return i16s(v...)
}

// signalStreamCases are the differential cases of the Signal library's
// streaming operators (SignalDelay, SignalFramer, SignalStacker,
// SignalOverlapAdd) and its inverse FFT (SignalIrfft). The stateful ones
// give earlier rounds so that the compared invocation depends on the
// state the kernel carried. The options carry exactly the keys the
// TensorFlow ops' attributes give (TFLM reads most of them by position).
func signalStreamCases() []tflmCase {
	var cases []tflmCase
	add := func(name string, model []byte, earlier [][][]byte, inputs ...[]byte) {
		cases = append(cases, tflmCase{name: name, model: model, earlier: earlier, inputs: inputs})
	}
	refuse := func(name, reason string, model []byte) {
		cases = append(cases, tflmCase{name: name, model: model, refuse: reason})
	}
	i16 := func(shape ...int32) tmTensor { return ofType(tflite.Int16, shape...) }
	flag := ofType(tflite.Bool)
	one := func(name string, opts map[string]any, in, out tmTensor) []byte {
		return customOneOp(name, opts, []tmTensor{in, out}, []int32{0}, []int32{1})
	}
	two := func(name string, opts map[string]any, in, out, valid tmTensor) []byte {
		return customOneOp(name, opts, []tmTensor{in, out, valid}, []int32{0}, []int32{1, 2})
	}
	rounds := func(r ...[]byte) [][][]byte {
		out := make([][][]byte, len(r))
		for k, b := range r {
			out[k] = [][]byte{b}
		}
		return out
	}

	// SignalDelay.
	delay := func(d int) map[string]any { return map[string]any{"delay_length": d} }
	add("signal_delay_int16", one("SignalDelay", delay(3), i16(2, 5), i16(2, 5)),
		rounds(ramp16(10, 1, 1), ramp16(10, 100, 3)), ramp16(10, -7, 11))
	add("signal_delay_zero", one("SignalDelay", delay(0), i16(4), i16(4)),
		rounds(ramp16(4, 9, 1)), ramp16(4, -3, 5))
	add("signal_delay_longer_than_frame", one("SignalDelay", delay(7), i16(3), i16(3)),
		rounds(ramp16(3, 1, 1), ramp16(3, 4, 1), ramp16(3, 7, 1)), ramp16(3, 10, 1))
	add("signal_delay_rank3", one("SignalDelay", delay(5), i16(2, 2, 4), i16(2, 2, 4)),
		rounds(nil), ramp16(16, 30000, 1000))
	add("signal_delay_many_rows", one("SignalDelay", delay(2), i16(6, 1), i16(6, 1)),
		rounds(ramp16(6, 1, 1)), ramp16(6, 10, 1))
	add("signal_delay_int8", one("SignalDelay", delay(1), ofType(tflite.Int8, 4), ofType(tflite.Int8, 4)), nil)
	add("signal_delay_negative", one("SignalDelay", delay(-2), i16(5), i16(5)), nil)
	add("signal_delay_huge", one("SignalDelay", delay(1<<30), i16(5), i16(5)), nil)
	refuse("signal_delay_output_size", "differ in size", one("SignalDelay", delay(1), i16(4), i16(3)))

	// SignalFramer.
	framer := func(size, step int, prefill bool) map[string]any {
		return map[string]any{"frame_size": size, "frame_step": step, "prefill": prefill}
	}
	add("signal_framer_prefill", two("SignalFramer", framer(4, 2, true), i16(6), i16(3, 4), flag),
		rounds(ramp16(6, 1, 1)), ramp16(6, 7, 1))
	add("signal_framer_fills_up", two("SignalFramer", framer(5, 2, false), i16(2, 4), i16(2, 2, 5), flag),
		rounds(ramp16(8, 1, 1), ramp16(8, 101, 1)), ramp16(8, -20, 3))
	add("signal_framer_not_yet_valid", two("SignalFramer", framer(6, 2, false), i16(2), i16(1, 6), flag), nil)
	add("signal_framer_size_below_step", two("SignalFramer", framer(2, 3, false), i16(6), i16(2, 2), flag),
		rounds(ramp16(6, 50, 2)), ramp16(6, 1, 1))
	add("signal_framer_rank2_prefill", two("SignalFramer", framer(3, 1, true), i16(2, 2), i16(2, 2, 3), flag),
		rounds(ramp16(4, 1, 1), ramp16(4, 5, 1)), ramp16(4, 9, 1))
	add("signal_framer_rank3", two("SignalFramer", framer(4, 4, false), i16(2, 1, 8), i16(2, 1, 2, 4), flag),
		nil, ramp16(16, -8, 1))
	add("signal_framer_not_a_multiple", two("SignalFramer", framer(4, 2, false), i16(5), i16(2, 4), flag), nil)
	add("signal_framer_step_zero", two("SignalFramer", framer(4, 0, false), i16(4), i16(1, 4), flag), nil)
	add("signal_framer_int32", two("SignalFramer", framer(4, 2, false), ofType(tflite.Int32, 4), ofType(tflite.Int32, 2, 4), flag), nil)
	add("signal_framer_valid_not_scalar", two("SignalFramer", framer(4, 2, false), i16(4), i16(2, 4), ofType(tflite.Bool, 1)), nil)
	refuse("signal_framer_prefill_below_step", "prefill", two("SignalFramer", framer(2, 4, true), i16(4), i16(1, 2), flag))
	add("signal_framer_size_zero", two("SignalFramer", framer(0, 2, false), i16(4), i16(2, 0), flag), nil)
	refuse("signal_framer_output_size", "frames", two("SignalFramer", framer(4, 2, false), i16(4), i16(2, 3), flag))

	// SignalStacker.
	stacker := func(channels, left, right, step int) map[string]any {
		return map[string]any{"num_channels": channels, "stacker_left_context": left,
			"stacker_right_context": right, "stacker_step": step}
	}
	add("signal_stacker_context", two("SignalStacker", stacker(3, 2, 1, 1), i16(3), i16(12), flag),
		rounds(ramp16(3, 1, 1), ramp16(3, 11, 1)), ramp16(3, 21, 1))
	add("signal_stacker_step2", two("SignalStacker", stacker(2, 1, 2, 2), i16(2), i16(8), flag),
		rounds(ramp16(2, 1, 1), ramp16(2, 3, 1), ramp16(2, 5, 1), ramp16(2, 7, 1)), ramp16(2, 9, 1))
	add("signal_stacker_step2_skips", two("SignalStacker", stacker(2, 1, 2, 2), i16(2), i16(8), flag),
		rounds(ramp16(2, 1, 1), ramp16(2, 3, 1), ramp16(2, 5, 1)), ramp16(2, 9, 1))
	add("signal_stacker_no_context", two("SignalStacker", stacker(4, 0, 0, 1), i16(4), i16(4), flag), nil, ramp16(4, -2, 7))
	add("signal_stacker_right_only", two("SignalStacker", stacker(1, 0, 3, 2), i16(1), i16(4), flag),
		rounds(ramp16(1, 1, 0), ramp16(1, 2, 0), ramp16(1, 3, 0), ramp16(1, 4, 0), ramp16(1, 5, 0)), ramp16(1, 6, 0))
	add("signal_stacker_wide_input", two("SignalStacker", stacker(2, 1, 0, 1), i16(3), i16(4), flag),
		rounds(ramp16(3, 1, 1)), ramp16(3, 7, 1))
	add("signal_stacker_rank2", two("SignalStacker", stacker(2, 0, 0, 1), i16(1, 2), i16(2), flag), nil)
	add("signal_stacker_negative_channels", two("SignalStacker", stacker(-1, 0, 0, 1), i16(2), i16(2), flag), nil)
	add("signal_stacker_huge_context", two("SignalStacker", stacker(2, 1<<29, 0, 1), i16(2), i16(2), flag), nil)
	add("signal_stacker_zero_channels", two("SignalStacker", stacker(0, 1, 0, 1), i16(2), i16(2), flag), nil)
	refuse("signal_stacker_step_too_large", "exceeds", two("SignalStacker", stacker(2, 0, 1, 3), i16(2), i16(4), flag))
	refuse("signal_stacker_output_size", "elements", two("SignalStacker", stacker(2, 1, 0, 1), i16(2), i16(6), flag))

	// SignalOverlapAdd.
	overlap := func(t tflite.TensorType, step int) map[string]any {
		return map[string]any{"T": int(t), "frame_step": step}
	}
	add("signal_overlap_add_int16", one("SignalOverlapAdd", overlap(tflite.Int16, 2), i16(3, 4), i16(6)),
		rounds(ramp16(12, 30000, 500), ramp16(12, -32000, 7)), ramp16(12, 1, 1))
	add("signal_overlap_add_float32", one("SignalOverlapAdd", overlap(tflite.Float32, 3), f32(2, 2, 5), f32(2, 6)),
		rounds(floatPattern(20), nil), floatPattern(20))
	add("signal_overlap_add_step_is_size", one("SignalOverlapAdd", overlap(tflite.Int16, 4), i16(2, 4), i16(8)),
		rounds(nil), ramp16(8, 3, -9))
	add("signal_overlap_add_float32_rank4", one("SignalOverlapAdd", overlap(tflite.Float32, 1), f32(2, 1, 3, 2), f32(2, 1, 3)),
		rounds(floatPattern(12), nil, floatPattern(12)), nil)
	add("signal_overlap_add_int32", one("SignalOverlapAdd", overlap(tflite.Int32, 2), ofType(tflite.Int32, 2, 4), ofType(tflite.Int32, 4)), nil)
	add("signal_overlap_add_rank1", one("SignalOverlapAdd", overlap(tflite.Int16, 2), i16(4), ofType(tflite.Int16)), nil)
	add("signal_overlap_add_type_mismatch", one("SignalOverlapAdd", overlap(tflite.Int16, 2), f32(2, 4), f32(4)), nil)
	add("signal_overlap_add_step_too_large", one("SignalOverlapAdd", overlap(tflite.Int16, 5), i16(2, 4), i16(10)), nil)
	refuse("signal_overlap_add_output_size", "elements", one("SignalOverlapAdd", overlap(tflite.Float32, 2), f32(2, 4), f32(3)))

	// SignalIrfft: power-of-two lengths (radix 4 and 2) and lengths with
	// radix-3 and radix-5 stages, in each type.
	irfft := func(t tflite.TensorType, n int) map[string]any { return map[string]any{"T": int(t), "fft_length": n} }
	for _, tc := range []struct {
		name string
		t    tflite.TensorType
	}{{"int16", tflite.Int16}, {"int32", tflite.Int32}, {"float32", tflite.Float32}} {
		for _, n := range []int32{8, 64, 12, 20, 30, 480} {
			in, out := ofType(tc.t, 2, n+2), ofType(tc.t, 2, n)
			var input []byte
			if tc.t == tflite.Float32 {
				input = floatPattern(int(2 * (n + 2)))
			}
			add("signal_irfft_"+tc.name+"_"+strconv.Itoa(int(n)), one("SignalIrfft", irfft(tc.t, int(n)), in, out), nil, input)
		}
	}
	// Every bin at the type's most negative value: negations and sums
	// wrap as C's do.
	add("signal_irfft_int16_extremes", one("SignalIrfft", irfft(tflite.Int16, 16), i16(18), i16(16)), nil,
		ramp16(18, math.MinInt16, 0))
	add("signal_irfft_int32_extremes", one("SignalIrfft", irfft(tflite.Int32, 12), ofType(tflite.Int32, 14), ofType(tflite.Int32, 12)), nil,
		i32s(slices.Repeat([]int32{math.MinInt32, math.MaxInt32}, 7)...))
	for _, n := range []int32{6, 10, 18, 36, 50} {
		add("signal_irfft_float32_"+strconv.Itoa(int(n)), one("SignalIrfft", irfft(tflite.Float32, int(n)), f32(n+2), f32(n)), nil,
			floatPattern(int(n+2)))
		add("signal_irfft_int32_"+strconv.Itoa(int(n)), one("SignalIrfft", irfft(tflite.Int32, int(n)), ofType(tflite.Int32, n+2), ofType(tflite.Int32, n)), nil)
	}
	add("signal_irfft_int16_wide_rows", one("SignalIrfft", irfft(tflite.Int16, 8), i16(3, 14), i16(3, 8)), nil)
	add("signal_irfft_float32_rank1", one("SignalIrfft", irfft(tflite.Float32, 16), f32(18), f32(16)), nil, floatPattern(18))
	add("signal_irfft_int8", one("SignalIrfft", irfft(tflite.Int8, 8), ofType(tflite.Int8, 10), ofType(tflite.Int8, 8)), nil)
	add("signal_irfft_type_mismatch", one("SignalIrfft", irfft(tflite.Int16, 8), f32(10), f32(8)), nil)
	add("signal_irfft_rank_mismatch", one("SignalIrfft", irfft(tflite.Int16, 8), i16(1, 10), i16(8)), nil)
	add("signal_irfft_generic_radix", one("SignalIrfft", irfft(tflite.Int16, 14), i16(16), i16(14)), nil)
	add("signal_irfft_length_2", one("SignalIrfft", irfft(tflite.Float32, 2), f32(4), f32(2)), nil)
	refuse("signal_irfft_odd_length", "not an even length", one("SignalIrfft", irfft(tflite.Int16, 9), i16(12), i16(9)))
	refuse("signal_irfft_short_rows", "do not fit", one("SignalIrfft", irfft(tflite.Int16, 16), i16(2, 10), i16(2, 16)))
	return cases
}
