package runtime

// ARG_MAX, ARG_MIN, HARD_SWISH and L2_NORMALIZATION, after TFLM's
// arg_min_max.cc, hard_swish.cc and l2norm.cc.

import (
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/tflite"
)

// buildArgMinMax prepares ARG_MAX (max true) or ARG_MIN: the index of the
// first largest (smallest) element along an axis read at run time, for
// float32 and int8 inputs and an INT32 axis and output. TFLM has no
// Prepare; an axis outside the input fails the run here (TFLM reads
// outside the tensors).
func buildArgMinMax(maximum bool) kernelBuilder {
	return func(n *node) (func([][]byte), error) {
		var err error
		if maximum {
			_, err = n.op.ArgMaxOptions()
		} else {
			_, err = n.op.ArgMinOptions()
		}
		n.keep(err)
		ins, output, err := n.io(2)
		if err != nil {
			return nil, err
		}
		input, axisT := ins[0], ins[1]
		if axisT.kind != tflite.Int32 {
			return nil, unsupportedf("axis type %v (INT32 only)", axisT.kind)
		}
		if output.kind != tflite.Int32 {
			return nil, unsupportedf("output type %v (INT32 only)", output.kind)
		}
		if input.kind != tflite.Float32 && input.kind != tflite.Int8 {
			return nil, unsupportedf("input type %v (float32 and int8 only)", input.kind)
		}
		rank := len(input.shape)
		if rank == 0 || axisT.elems == 0 {
			return nil, fmt.Errorf("needs an input of rank 1 or more and an axis, has %v and %v", input.shape, axisT.shape)
		}
		// geometry resolves the axis and checks the output against it.
		geometry := func(a int32) (outer, size, inner int, err error) {
			ax := int(a)
			if ax < 0 {
				ax += rank
			}
			if ax < 0 || ax >= rank {
				return 0, 0, 0, fmt.Errorf("axis %d out of range for rank %d", a, rank)
			}
			if input.shape[ax] == 0 {
				return 0, 0, 0, fmt.Errorf("axis %d of %v is empty", a, input.shape)
			}
			want := slices.Delete(slices.Clone(input.shape), ax, ax+1)
			if err := wantShape(output, want); err != nil {
				return 0, 0, 0, err
			}
			return product(input.shape[:ax]), input.shape[ax], product(input.shape[ax+1:]), nil
		}
		if axisT.constant != nil {
			if _, _, _, err := geometry(decodeInts(tflite.Int32, axisT.constant, nil)[0]); err != nil {
				return nil, err
			}
		}
		better := func(x, y float32) bool { return x > y }
		if !maximum {
			better = func(x, y float32) bool { return x < y }
		}
		var axisBuf, outBuf []int32
		var fBuf []float32
		return func(mem [][]byte) {
			axisBuf = axisT.ints(mem, axisBuf)
			outer, size, inner, err := geometry(axisBuf[0])
			if err != nil {
				n.runFail(err)
				return
			}
			if input.kind == tflite.Float32 {
				fBuf = input.floats(mem, fBuf)
			} else {
				// int8 values are exact as float32 and compare alike.
				fBuf = resizeFloats(fBuf, input.elems)
				for i, b := range mem[input.index] {
					fBuf[i] = float32(int8(b))
				}
			}
			outBuf = resizeInts(outBuf, output.elems)
			for o := range outer {
				for in := range inner {
					best, bestIndex := fBuf[o*size*inner+in], 0
					for i := 1; i < size; i++ {
						if v := fBuf[(o*size+i)*inner+in]; better(v, best) {
							best, bestIndex = v, i
						}
					}
					outBuf[o*inner+in] = int32(bestIndex)
				}
			}
			encodeInts(tflite.Int32, mem[output.index], outBuf)
		}, nil
	}
}

// buildHardSwish prepares HARD_SWISH: x*relu6(x+3)/6 in float32, and for
// int8 TFLite's fixed-point version on int16 intermediates.
func buildHardSwish(n *node) (func([][]byte), error) {
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	switch input.kind {
	case tflite.Float32:
		return unaryFloats(input, output, func(in, out []float32) {
			for i, x := range in {
				// std::min(6, std::max(0, x+3)) as C++ evaluates it: a NaN
				// comparison picks the first argument.
				r := x + 3
				if !(0 < r) {
					r = 0
				}
				if r < 6 {
					out[i] = x * r / 6
				} else {
					out[i] = x * 6 / 6
				}
			}
		}), nil
	case tflite.Int8:
	default:
		return nil, unsupportedf("Unsupported type %v", input.kind)
	}
	if !input.quantized || !output.quantized {
		return nil, fmt.Errorf("int8 HARD_SWISH needs scales on input and output")
	}
	hiresInputScale := float32(1.0/128.0) * input.scale
	const reluishScale = float32(3.0 / 32768.0)
	outMult32, outExp := quantizeMultiplier(float64(hiresInputScale / output.scale))
	if outExp > 0 {
		return nil, fmt.Errorf("output multiplier exponent %d must not be positive (input scale %g, output scale %g)", outExp, input.scale, output.scale)
	}
	reluMult32, reluExp := quantizeMultiplier(float64(hiresInputScale / reluishScale))
	outMult, reluMult := downScaleToInt16(outMult32), downScaleToInt16(reluMult32)
	inZero, outZero := input.zeroPoint, output.zeroPoint
	return unaryInts(input, output, func(in, out []int32) {
		for i, v := range in {
			x := int16(v - inZero)
			hires := int16(int32(x) * (1 << 7))
			preshift := srdhm16(hires, outMult)
			reluish := hires
			if reluExp > 0 {
				reluish = saturatingLeftShift16(reluish, reluExp-1)
			}
			reluish = srdhm16(reluish, reluMult)
			if reluExp > 0 {
				reluish = saturatingLeftShift16(reluish, 1)
			}
			if reluExp < 0 {
				reluish = int16(roundingDivideByPOT(int32(reluish), -reluExp))
			}
			reluish = int16((int32(reluish) + (1 << 15)) >> 1)
			o := int16(roundingDivideByPOT(int32(doublingHighMul16(reluish, preshift)), -outExp))
			o += int16(outZero)
			out[i] = clamp32(int32(o), math.MinInt8, math.MaxInt8)
		}
	}), nil
}

// downScaleToInt16 is TFLite's DownScaleInt32ToInt16Multiplier.
func downScaleToInt16(m int32) int16 {
	if m >= math.MaxInt32-(1<<15) {
		return math.MaxInt16
	}
	return int16((m + 1<<15) >> 16)
}

// srdhm16 is gemmlowp's int16 SaturatingRoundingDoublingHighMul.
func srdhm16(a, b int16) int16 {
	if a == b && a == math.MinInt16 {
		return math.MaxInt16
	}
	ab := int32(a) * int32(b)
	nudge := int32(1 << 14)
	if ab < 0 {
		nudge = 1 - (1 << 14)
	}
	return int16((ab + nudge) / (1 << 15))
}

// doublingHighMul16 is TFLite's SaturatingDoublingHighMul for int16: the
// high half of the doubled product, truncated.
func doublingHighMul16(a, b int16) int16 {
	if a == b && a == math.MinInt16 {
		return math.MaxInt16
	}
	return int16(int32(a) * int32(b) / (1 << 15))
}

// saturatingLeftShift16 is TFLite's SaturatingLeftShift.
func saturatingLeftShift16(v int16, amount int) int16 {
	r := int64(v) * (1 << amount)
	return int16(min(max(r, math.MinInt16), math.MaxInt16))
}

// buildL2Normalization prepares L2_NORMALIZATION over the last dimension:
// float32 by the norm (at least 1e-6), int8 to a fixed output scale of
// 1/128 through TFLite's integer inverse square root. TFLM requires rank
// 4 or less and no fused activation.
func buildL2Normalization(n *node) (func([][]byte), error) {
	o, err := n.op.L2NormOptions()
	n.keep(err)
	input, output, err := n.unaryIO()
	if err != nil {
		return nil, err
	}
	if len(input.shape) > 4 || len(input.shape) == 0 {
		return nil, fmt.Errorf("input shape %v (rank 1 to 4)", input.shape)
	}
	if input.kind != tflite.Float32 && input.kind != tflite.Int8 {
		return nil, unsupportedf("type %v (float32 and int8 only)", input.kind)
	}
	if o.Activation != tflite.ActivationNone {
		return nil, unsupportedf("fused activation %v", o.Activation)
	}
	if !slices.Equal(input.shape, output.shape) {
		return nil, fmt.Errorf("input %v and output %v differ", input.shape, output.shape)
	}
	depth := input.shape[len(input.shape)-1]
	if input.kind == tflite.Float32 {
		return unaryFloats(input, output, func(in, out []float32) {
			for start := 0; start+depth <= len(in) && depth > 0; start += depth {
				var sum float32
				for _, v := range in[start : start+depth] {
					sum += float32(v * v)
				}
				norm := sqrtF32(sum)
				if norm < 1e-6 {
					norm = 1e-6
				}
				for c, v := range in[start : start+depth] {
					out[start+c] = v / norm
				}
			}
		}), nil
	}
	zero := input.zeroPoint
	return unaryInts(input, output, func(in, out []int32) {
		for start := 0; start+depth <= len(in) && depth > 0; start += depth {
			var acc int32
			for _, v := range in[start : start+depth] {
				d := v - zero
				acc += d * d
			}
			mult, shift := invSqrtQuantizedMultiplierExp(acc, -1)
			for c, v := range in[start : start+depth] {
				out[start+c] = clamp32(multiplyByQuantizedMultiplier(v-zero, mult, shift+7), math.MinInt8, math.MaxInt8)
			}
		}
	}), nil
}
