package runtime

import (
	"encoding/binary"
	"math"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// Differential cases of CIRCULAR_BUFFER and TFLM_DECODE (see
// tflm_ops_test.go).

// circularBufferCases: the int8 history shifted over several invocations,
// cycles_max given or guessed, and the invocations TFLM aborts (which its
// interpreter reports as kTfLiteAbort, skipping the rest of the graph, and
// the runtime as ErrAborted).
func circularBufferCases() []tflmCase {
	cb := func(options map[string]any, in, out tmTensor) []byte {
		if options == nil {
			return buildModel([]tmTensor{in, out}, []tmOp{{custom: "CIRCULAR_BUFFER", inputs: []int32{0}, outputs: []int32{1}}}, []int32{0}, []int32{1})
		}
		return customOneOp("CIRCULAR_BUFFER", options, []tmTensor{in, out}, []int32{0}, []int32{1})
	}
	every := map[string]any{"cycles_max": 1}
	cyclesMax3, err := flexbuf.EncodeMap(map[string]any{"cycles_max": 3})
	if err != nil {
		panic(err)
	}
	round := func(n, k int) [][]byte {
		v := make([]int8, n)
		for i := range v {
			v[i] = int8(k*37 - i*11)
		}
		return [][]byte{i8s(v...)}
	}
	rounds := func(n, k int) [][][]byte {
		var r [][][]byte
		for j := range k {
			r = append(r, round(n, j+1))
		}
		return r
	}
	variable := func(t tmTensor) tmTensor { t.variable = true; return t }
	zp0 := func(shape ...int32) tmTensor { return q8(shape, 0.5, 0) }
	return []tflmCase{
		// Three slots, every slot written by one of the four invocations.
		{name: "circular_buffer_int8", model: cb(every, t8(1, 1, 1, 4), t8(1, 3, 1, 4)),
			earlier: rounds(4, 3), inputs: round(4, 9)},
		// A variable history of zeros, two of its four slots written.
		{name: "circular_buffer_int8_partial", model: cb(every, zp0(1, 1, 2, 3), variable(zp0(1, 4, 2, 3))),
			earlier: rounds(6, 1), inputs: round(6, 5)},
		// Only the first batch is shifted; the second stays zero.
		{name: "circular_buffer_int8_batch2", model: cb(every, zp0(2, 1, 1, 3), variable(zp0(2, 2, 1, 3))),
			earlier: rounds(6, 2), inputs: round(6, 7)},
		// No options, or cycles_max 0: five, 13 or 25 slots run every time.
		{name: "circular_buffer_guess_5_slots", model: cb(nil, t8(1, 1, 1, 2), t8(1, 5, 1, 2)),
			earlier: rounds(2, 5), inputs: round(2, 8)},
		{name: "circular_buffer_guess_13_slots", model: cb(map[string]any{"cycles_max": 0}, t8(1, 1, 1, 2), t8(1, 13, 1, 2)),
			earlier: rounds(2, 12), inputs: round(2, 3)},
		// Otherwise every other invocation: the first aborts.
		{name: "circular_buffer_guess_2_aborts", model: cb(nil, t8(1, 1, 1, 2), t8(1, 3, 1, 2))},
		{name: "circular_buffer_guess_2_runs", model: cb(nil, t8(1, 1, 1, 2), t8(1, 3, 1, 2)),
			earlier: rounds(2, 1), inputs: round(2, 6)},
		{name: "circular_buffer_cycles_3_aborts", model: cb(map[string]any{"cycles_max": 3}, t8(1, 1, 1, 2), t8(1, 3, 1, 2))},
		{name: "circular_buffer_cycles_3_round_5", model: cb(map[string]any{"cycles_max": 3}, t8(1, 1, 1, 2), t8(1, 3, 1, 2)),
			earlier: rounds(2, 4), inputs: round(2, 6)},
		{name: "circular_buffer_cycles_3_round_6", model: cb(map[string]any{"cycles_max": 3}, t8(1, 1, 1, 2), t8(1, 3, 1, 2)),
			earlier: rounds(2, 5), inputs: round(2, 6)},
		// An abort skips the rest of the graph: the RELU after the buffer
		// runs on every third invocation only. (After an aborted one its
		// output holds what TFLM's arena plan put there since, here the
		// input it shares memory with: not compared.)
		{name: "circular_buffer_then_relu", model: buildModel([]tmTensor{t8(1, 1, 1, 2), t8(1, 3, 1, 2), t8(1, 3, 1, 2)},
			[]tmOp{{custom: "CIRCULAR_BUFFER", customOptions: cyclesMax3, inputs: []int32{0}, outputs: []int32{1}},
				{code: codeRelu, inputs: []int32{1}, outputs: []int32{2}}}, []int32{0}, []int32{2}),
			earlier: rounds(2, 5), inputs: round(2, 6)},
		// TFLM reads the map's first entry, whatever its key.
		{name: "circular_buffer_first_key_not_cycles", model: cb(map[string]any{"a_rate": 1, "cycles_max": 2}, t8(1, 1, 1, 2), t8(1, 3, 1, 2)),
			refuse: "want cycles_max"},
		{name: "circular_buffer_int16", model: cb(every, t16(1, 1, 1, 2), t16(1, 3, 1, 2))},
		{name: "circular_buffer_type_mismatch", model: cb(every, t8(1, 1, 1, 2), t16(1, 3, 1, 2))},
		{name: "circular_buffer_input_two_slots", model: cb(every, t8(1, 2, 1, 2), t8(1, 3, 1, 2))},
		{name: "circular_buffer_depth_mismatch", model: cb(every, t8(1, 1, 1, 2), t8(1, 3, 1, 3))},
	}
}

// dcm is the decode common metadata of a decode type: the type, DCM
// version 1, the type's version 1 at byte 4, its parameters from byte 5.
func dcm(typ byte, params ...byte) []byte {
	m := make([]byte, 16)
	m[0], m[1], m[4] = typ, 1, 1
	copy(m[5:], params)
	return m
}

// packBits packs values of width bits, most significant bit first.
func packBits(width int, values ...int) []byte {
	out := make([]byte, (len(values)*width+7)/8)
	for i, v := range values {
		for b := range width {
			if v>>(width-1-b)&1 != 0 {
				pos := i*width + b
				out[pos/8] |= 0x80 >> (pos % 8)
			}
		}
	}
	return out
}

// decodeModel is a TFLM_DECODE of one (encoded, ancillary) pair of
// constant UINT8 tensors per output.
func decodeModel(outputs []tmTensor, pairs ...[2][]byte) []byte {
	var tensors []tmTensor
	var inputs, outs []int32
	for _, p := range pairs {
		for _, data := range p {
			inputs = append(inputs, int32(len(tensors)))
			tensors = append(tensors, constTensor(tflite.Uint8, []int32{int32(len(data))}, data, 0))
		}
	}
	for _, o := range outputs {
		outs = append(outs, int32(len(tensors)))
		tensors = append(tensors, o)
	}
	return buildModel(tensors, []tmOp{{custom: "TFLM_DECODE", inputs: inputs, outputs: outs}}, nil, outs)
}

// lutPair is a LUT encoding: indices of width bits (the pattern
// (i*7+3) mod levels) and the value table, stride entries per channel.
func lutPair(width, stride, elems, levels int, table []byte) [2][]byte {
	idx := make([]int, elems)
	for i := range idx {
		idx[i] = (i*7 + 3) % levels
	}
	return [2][]byte{packBits(width, idx...), append(dcm(0, byte(width), byte(stride)), table...)}
}

// int8Table is n distinct int8 values.
func int8Table(n int) []byte {
	v := make([]int8, n)
	for i := range v {
		v[i] = int8(i*29 - 100)
	}
	return i8s(v...)
}

// prunePair is a Prune encoding keeping the elements whose index is not a
// multiple of 3 or 5, with the given kept values.
func prunePair(elems int, values []byte) [2][]byte {
	flags := make([]int, elems)
	for i := range flags {
		if i%3 != 0 && i%5 != 0 {
			flags[i] = 1
		}
	}
	return [2][]byte{packBits(1, flags...), append(dcm(2), values...)}
}

// prunedCount is how many elements prunePair keeps.
func prunedCount(elems int) int {
	n := 0
	for i := range elems {
		if i%3 != 0 && i%5 != 0 {
			n++
		}
	}
	return n
}

// huffmanPair encodes symbols (0 to 4) with the prefix code 0, 10, 110,
// 1110, 1111: a 4-entry initial table read with 2 bits, its last entry
// leading to a 4-entry second-level table read with 2 more bits; the
// entries hold values[symbol] and how many of the 2 bits last read the
// symbol's code uses. wide selects 32-bit table entries.
func huffmanPair(wide bool, values [5]uint32, symbols ...int) [2][]byte {
	found, shift := uint32(0x8000), 11
	if wide {
		found, shift = 0x80000000, 27
	}
	sym := func(s int, residual uint32) uint32 { return found | residual<<shift | values[s] }
	// Entry 3 is not a symbol: read 2 more bits (count field 1), the next
	// table at entry 3 + 1.
	table := []uint32{sym(0, 1), sym(0, 1), sym(1, 2), 1<<shift | 1, sym(2, 1), sym(2, 1), sym(3, 2), sym(4, 2)}
	codes := []string{"0", "10", "110", "1110", "1111"}
	var bits []int
	for _, s := range symbols {
		for _, c := range codes[s] {
			bits = append(bits, int(c-'0'))
		}
	}
	stream := packBits(1, bits...)
	for len(stream)%4 != 0 {
		stream = append(stream, 0)
	}
	params := byte(1 << 4)
	anc := dcm(1)
	if wide {
		params |= 1
		for _, e := range table {
			anc = binary.LittleEndian.AppendUint32(anc, e)
		}
	} else {
		for _, e := range table {
			anc = binary.LittleEndian.AppendUint16(anc, uint16(e))
		}
	}
	anc[5] = params
	return [2][]byte{stream, anc}
}

// symbolPattern is n symbols of huffmanPair's code.
func symbolPattern(n int) []int {
	s := make([]int, n)
	for i := range s {
		s[i] = (i*7 + 3) % 5
	}
	return s
}

// decodeCases: every decode type TFLM has (LUT, Huffman, Prune), for every
// output type each decodes, per-channel along the first and last axes,
// several outputs at once, and TFLM's refusals.
func decodeCases() []tflmCase {
	var cases []tflmCase
	add := func(name string, outputs []tmTensor, pairs ...[2][]byte) {
		cases = append(cases, tflmCase{name: "decode_" + name, model: decodeModel(outputs, pairs...)})
	}
	refuse := func(name, reason string, outputs []tmTensor, pairs ...[2][]byte) {
		cases = append(cases, tflmCase{name: "decode_" + name, model: decodeModel(outputs, pairs...), refuse: reason})
	}
	one := func(t tmTensor) []tmTensor { return []tmTensor{t} }

	// LUT: TFLM's optimised int8 paths (widths 4, 3 and 2, groups of 16 or
	// 32 indices after an unaligned start) and the generic one.
	add("lut_int8_w4", one(t8(40)), lutPair(4, 16, 40, 16, int8Table(16)))
	add("lut_int8_w3", one(t8(2, 35)), lutPair(3, 8, 70, 8, int8Table(8)))
	add("lut_int8_w2", one(t8(37)), lutPair(2, 4, 37, 4, int8Table(4)))
	add("lut_int8_w1_w5_w6_w7", []tmTensor{t8(11), t8(13), t8(9), t8(17)},
		lutPair(1, 2, 11, 2, int8Table(2)), lutPair(5, 32, 13, 32, int8Table(32)),
		lutPair(6, 64, 9, 64, int8Table(64)), lutPair(7, 128, 17, 128, int8Table(128)))
	add("lut_int8_per_channel", one(perChannel(ofType(tflite.Int8, 3, 20), 0, 1, 2, 3)), lutPair(4, 6, 60, 6, int8Table(18)))
	add("lut_int8_per_channel_w3", one(perChannel(ofType(tflite.Int8, 3, 40), 0, 0, 0, 0)), lutPair(3, 5, 120, 5, int8Table(15)))
	add("lut_int8_alternate_axis", one(perChannel(ofType(tflite.Int8, 5, 3), 1, 0, 0, 0)), lutPair(2, 4, 15, 4, int8Table(12)))
	add("lut_int16", one(t16(2, 9)), lutPair(3, 8, 18, 8, i16s(-32768, -1000, -1, 0, 1, 999, 12345, 32767)))
	add("lut_int32", one(t32(10)), lutPair(2, 4, 10, 4, i32s(math.MinInt32, -5, 70000, math.MaxInt32)))
	add("lut_int64", one(i64t(7)), lutPair(2, 3, 7, 3, i64s(math.MinInt64, 1<<40, -3)))
	add("lut_float32", one(f32(12)), lutPair(3, 8, 12, 8, floats(-1.5, 0, 0.25, 3, -7, 1e9, -1e-9, 42)))
	add("lut_bool", one(ofType(tflite.Bool, 9)), lutPair(1, 2, 9, 2, []byte{0, 1}))
	add("lut_float32_alternate_axis", one(perChannel(ofType(tflite.Float32, 4, 2), 1, 0, 0)), lutPair(1, 2, 8, 2, floats(1, 2, 3, 4)))
	add("lut_uint8", one(ofType(tflite.Uint8, 8)), lutPair(1, 2, 8, 2, []byte{1, 2}))
	add("lut_axis_1_of_3", one(perChannel(ofType(tflite.Int8, 2, 2, 2), 1, 0, 0)), lutPair(1, 2, 8, 2, int8Table(4)))
	add("lut_width_0", one(t8(8)), [2][]byte{{0xaa}, append(dcm(0, 0, 1), int8Table(1)...)})
	refuse("lut_channels_do_not_divide", "do not divide", one(perChannel(ofType(tflite.Int8, 7, 1), 0, 0, 0)), lutPair(1, 2, 7, 2, int8Table(4)))
	refuse("lut_short_input", "need 3 bytes", one(t8(20)), [2][]byte{{0x12, 0x34}, append(dcm(0, 1, 2), int8Table(2)...)})

	// Prune: the kept values in order, the pruned elements the zero
	// point (per channel for int8, along either axis).
	add("prune_int8", one(t8(20)), prunePair(20, int8Table(prunedCount(20))))
	add("prune_int8_per_channel", one(perChannel(ofType(tflite.Int8, 3, 8), 0, 1, -2, 5)), prunePair(24, int8Table(prunedCount(24))))
	add("prune_int8_alternate_axis", one(perChannel(ofType(tflite.Int8, 4, 3), 1, 0, -7, 3)), prunePair(12, int8Table(prunedCount(12))))
	add("prune_int8_zero_points_zero", one(perChannel(ofType(tflite.Int8, 2, 6), 0, 0, 0)), prunePair(12, int8Table(prunedCount(12))))
	add("prune_int16", one(t16(16)), prunePair(16, i16s(-32768, -1000, -1, 1, 999, 12345, 32767, 5)))
	add("prune_int32", one(t32(8)), prunePair(8, i32s(math.MinInt32, -5, 70000, math.MaxInt32)))
	add("prune_int64", one(i64t(8)), prunePair(8, i64s(math.MinInt64, 1<<40, -3, 9)))
	add("prune_float32", one(f32(11)), prunePair(11, floats(-1.5, 0.25, 3, -7, 1e9)))
	add("prune_bool", one(ofType(tflite.Bool, 8)), prunePair(8, []byte{1, 1, 1, 1}))
	add("prune_int16_zero_point", one(q16([]int32{8}, 0.5, 4)), prunePair(8, i16s(1, 2, 3, 4)))
	add("prune_uint8", one(ofType(tflite.Uint8, 8)), prunePair(8, []byte{1, 2, 3, 4}))
	refuse("prune_too_few_values", "past the 2 values", one(t8(16)), prunePair(16, int8Table(2)))

	// Huffman: 16-bit tables decode int8, 32-bit ones int8 and int16.
	small := [5]uint32{0x7F5, 3, 0x080, 127, 0x4FF}
	large := [5]uint32{0x7FF1234, 0xFFFF, 0x18000, 7, 0x3FFFFFF}
	add("huffman_int8_16bit", one(t8(25)), huffmanPair(false, small, symbolPattern(25)...))
	add("huffman_int8_32bit", one(t8(31)), huffmanPair(true, large, symbolPattern(31)...))
	add("huffman_int16_32bit", one(t16(2, 10)), huffmanPair(true, large, symbolPattern(20)...))
	add("huffman_int16_16bit", one(t16(4)), huffmanPair(false, small, symbolPattern(4)...))
	add("huffman_int32_32bit", one(t32(4)), huffmanPair(true, large, symbolPattern(4)...))
	add("huffman_int8_unquantized_16bit", one(ofType(tflite.Int8, 12)), huffmanPair(false, small, symbolPattern(12)...))
	add("huffman_int8_unquantized_32bit", one(ofType(tflite.Int8, 12)), huffmanPair(true, large, symbolPattern(12)...))
	refuse("huffman_short_stream", "codewords end", one(t8(40)), huffmanPair(false, small, symbolPattern(8)...))

	// Several outputs of every type at once.
	add("lut_prune_huffman", []tmTensor{perChannel(ofType(tflite.Int8, 2, 4), 0, 3, -3), t16(6), perChannel(ofType(tflite.Int8, 3, 2), 1, 2, 9)},
		lutPair(3, 8, 8, 8, int8Table(16)), huffmanPair(true, large, symbolPattern(6)...), prunePair(6, int8Table(prunedCount(6))))

	add("prune_lut", []tmTensor{perChannel(ofType(tflite.Int8, 2, 5), 0, -1, 4), f32(6)},
		prunePair(10, int8Table(prunedCount(10))), lutPair(2, 4, 6, 4, floats(0.5, -2, 8, 1e-3)))

	// The metadata TFLM refuses.
	bad := func(pair [2][]byte, at int, v byte) [2][]byte {
		anc := append([]byte(nil), pair[1]...)
		anc[at] = v
		return [2][]byte{pair[0], anc}
	}
	lut := lutPair(2, 4, 8, 4, int8Table(4))
	add("dcm_version_2", one(t8(8)), bad(lut, 1, 2))
	add("dcm_type_3", one(t8(8)), bad(lut, 0, 3))
	add("dcm_type_custom", one(t8(8)), bad(lut, 0, 127))
	add("lut_version_0", one(t8(8)), bad(lut, 4, 0))
	add("prune_version_2", one(t8(4)), bad(prunePair(4, int8Table(2)), 4, 2))
	add("huffman_version_0", one(t8(4)), bad(huffmanPair(false, small, 0, 1, 2, 3), 4, 0))
	// The second output's metadata is refused after the first's state
	// was allocated.
	add("dcm_second_output_bad", []tmTensor{t8(8), t8(8)}, lut, bad(lut, 1, 0))
	// Inputs that are not constant, and a missing ancillary input.
	cases = append(cases, tflmCase{name: "decode_input_not_constant", model: buildModel(
		[]tmTensor{ofType(tflite.Uint8, 2), constTensor(tflite.Uint8, []int32{20}, append(dcm(0, 2, 4), int8Table(4)...), 0), t8(8)},
		[]tmOp{{custom: "TFLM_DECODE", inputs: []int32{0, 1}, outputs: []int32{2}}}, []int32{0}, []int32{2})})
	cases = append(cases, tflmCase{name: "decode_three_inputs", model: buildModel(
		[]tmTensor{constTensor(tflite.Uint8, []int32{2}, lut[0], 0), constTensor(tflite.Uint8, []int32{int32(len(lut[1]))}, lut[1], 0), t8(8)},
		[]tmOp{{custom: "TFLM_DECODE", inputs: []int32{0, 1, 0}, outputs: []int32{2}}}, nil, []int32{2})})
	return cases
}
