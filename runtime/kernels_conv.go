package runtime

import "math"

// Convolution-family kernels: CONV_2D, DEPTHWISE_CONV_2D, FULLY_CONNECTED,
// TRANSPOSE_CONV and the pools. Loops follow TFLM's reference kernels so
// that float sums are added in the same order and integer accumulators
// wrap the same way. Tensors are NHWC; filters are OHWI for CONV_2D and
// TRANSPOSE_CONV, 1HW(I*M) for DEPTHWISE_CONV_2D.

// windowGeom is the geometry shared by the windowed ops.
type windowGeom struct {
	batches              int
	inH, inW, inC        int
	outH, outW, outC     int
	filterH, filterW     int
	filterInC            int // CONV_2D: input channels per group
	strideH, strideW     int
	dilationH, dilationW int
	padH, padW           int
	depthMultiplier      int // DEPTHWISE_CONV_2D only
	inputOffset          int32
}

// tap is one in-bounds filter position of a window: pixel is the index of
// the (batch, y, x) pixel it reads or writes, weight the filter position
// fy*filterW+fx.
type tap struct{ pixel, weight int }

// eachWindow calls visit once per pixel (b, y, x) of the scanned image
// (scanH x scanW) with the taps its window covers in the other image
// (otherH x otherW), in filter order (fy, then fx), clipped to the image.
// Convolutions and pools scan the output and read the input; TRANSPOSE_CONV
// scans the input and scatters into the output. Keeping TFLM's tap order
// keeps float sums bit-identical. Like TFLM's pools it visits only the
// filter rows and columns over the image, so a window far larger than the
// image (a pool's, with SAME padding) costs no more than the image.
func eachWindow(g *windowGeom, scanH, scanW, otherH, otherW, dilationH, dilationW int, visit func(pixel int, taps []tap)) {
	taps := make([]tap, 0, min(g.filterH, otherH)*min(g.filterW, otherW))
	for b := 0; b < g.batches; b++ {
		for y := 0; y < scanH; y++ {
			y0 := y*g.strideH - g.padH
			fyLo, fyHi := filterSpan(y0, otherH, g.filterH, dilationH)
			for x := 0; x < scanW; x++ {
				x0 := x*g.strideW - g.padW
				fxLo, fxHi := filterSpan(x0, otherW, g.filterW, dilationW)
				taps = taps[:0]
				for fy := fyLo; fy < fyHi; fy++ {
					oy := y0 + dilationH*fy
					for fx := fxLo; fx < fxHi; fx++ {
						ox := x0 + dilationW*fx
						taps = append(taps, tap{pixel: (b*otherH+oy)*otherW + ox, weight: fy*g.filterW + fx})
					}
				}
				visit((b*scanH+y)*scanW+x, taps)
			}
		}
	}
}

// filterSpan returns the filter positions [lo, hi) whose pixel
// origin+dilation*f lies in [0, size), for a dilation of at least 1.
func filterSpan(origin, size, filter, dilation int) (lo, hi int) {
	if origin < 0 {
		lo = (-origin + dilation - 1) / dilation
	}
	if end := size - origin; end > 0 {
		hi = min(filter, (end+dilation-1)/dilation)
	}
	return lo, max(hi, lo)
}

// eachOutputWindow is eachWindow over the output, reading the input with
// the op's dilation (convolutions, pools).
func (g *windowGeom) eachOutputWindow(visit func(outPixel int, taps []tap)) {
	eachWindow(g, g.outH, g.outW, g.inH, g.inW, g.dilationH, g.dilationW, visit)
}

// eachInputWindow is eachWindow over the input, writing the output
// (TRANSPOSE_CONV).
func (g *windowGeom) eachInputWindow(visit func(inPixel int, taps []tap)) {
	eachWindow(g, g.inH, g.inW, g.outH, g.outW, 1, 1, visit)
}

// convQuant is the int8 / int16x8 CONV_2D (reference ConvPerChannel).
func convQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	filtersPerGroup := g.outC / (g.inC / g.filterInC)
	filterSize := g.filterH * g.filterW * g.filterInC
	g.eachOutputWindow(func(p int, taps []tap) {
		for oc := 0; oc < g.outC; oc++ {
			group := (oc / filtersPerGroup) * g.filterInC
			var acc int64
			for _, t := range taps {
				row := in[t.pixel*g.inC+group:][:g.filterInC]
				frow := filter[oc*filterSize+t.weight*g.filterInC:][:g.filterInC]
				for ic, v := range row {
					acc += int64(frow[ic]) * int64(v+g.inputOffset)
				}
			}
			if bias != nil {
				acc += bias[oc]
			}
			out[p*g.outC+oc] = rq.apply(acc, oc)
		}
	})
}

// convFloat is the float32 CONV_2D.
func convFloat(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32) {
	filtersPerGroup := g.outC / (g.inC / g.filterInC)
	filterSize := g.filterH * g.filterW * g.filterInC
	g.eachOutputWindow(func(p int, taps []tap) {
		for oc := 0; oc < g.outC; oc++ {
			group := (oc / filtersPerGroup) * g.filterInC
			var total float32
			for _, t := range taps {
				row := in[t.pixel*g.inC+group:][:g.filterInC]
				frow := filter[oc*filterSize+t.weight*g.filterInC:][:g.filterInC]
				for ic, v := range row {
					total += v * frow[ic]
				}
			}
			out[p*g.outC+oc] = clampF32(total+biasOf(bias, oc), lo, hi)
		}
	})
}

// biasOf is bias[i], or 0 for a missing bias.
func biasOf(bias []float32, i int) float32 {
	if bias == nil {
		return 0
	}
	return bias[i]
}

// depthwiseQuant is the int8 / int16x8 DEPTHWISE_CONV_2D.
func depthwiseQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for oc := 0; oc < g.outC; oc++ {
			ic := oc / g.depthMultiplier
			var acc int64
			for _, t := range taps {
				acc += int64(filter[t.weight*g.outC+oc]) * int64(in[t.pixel*g.inC+ic]+g.inputOffset)
			}
			if bias != nil {
				acc += bias[oc]
			}
			out[p*g.outC+oc] = rq.apply(acc, oc)
		}
	})
}

// depthwiseFloat is the float32 DEPTHWISE_CONV_2D.
func depthwiseFloat(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for oc := 0; oc < g.outC; oc++ {
			ic := oc / g.depthMultiplier
			var total float32
			for _, t := range taps {
				total += in[t.pixel*g.inC+ic] * filter[t.weight*g.outC+oc]
			}
			out[p*g.outC+oc] = clampF32(total+biasOf(bias, oc), lo, hi)
		}
	})
}

// transposeConvQuant is the int8 / int16x8 TRANSPOSE_CONV: scatter every
// input into an op-private accumulator, then requantise.
func transposeConvQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	scratch := make([]int64, len(out))
	taps := g.filterH * g.filterW
	g.eachInputWindow(func(p int, outTaps []tap) {
		for ic := 0; ic < g.inC; ic++ {
			v := int64(in[p*g.inC+ic] + g.inputOffset)
			for _, t := range outTaps {
				acc := scratch[t.pixel*g.outC:][:g.outC]
				for oc := range acc {
					acc[oc] += v * int64(filter[(oc*taps+t.weight)*g.inC+ic])
				}
			}
		}
	})
	for i, acc := range scratch {
		oc := i % g.outC
		if bias != nil {
			acc += bias[oc]
		}
		out[i] = rq.apply(acc, oc)
	}
}

// transposeConvFloat is the float32 TRANSPOSE_CONV.
func transposeConvFloat(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32) {
	clear(out)
	taps := g.filterH * g.filterW
	g.eachInputWindow(func(p int, outTaps []tap) {
		for ic := 0; ic < g.inC; ic++ {
			v := in[p*g.inC+ic]
			for _, t := range outTaps {
				acc := out[t.pixel*g.outC:][:g.outC]
				for oc := range acc {
					acc[oc] += v * filter[(oc*taps+t.weight)*g.inC+ic]
				}
			}
		}
	})
	for i := range out {
		out[i] = clampF32(out[i]+biasOf(bias, i%g.outC), lo, hi)
	}
}

// fullyConnectedQuant is the int8 / int16x8 FULLY_CONNECTED: every batch
// row of depth inputs against every filter row.
func fullyConnectedQuant(batches, depth, outC int, inputOffset, filterOffset int32, in, filter []int32, bias []int64, rq *requant, out []int32) {
	for b := 0; b < batches; b++ {
		row := in[b*depth : (b+1)*depth]
		for oc := 0; oc < outC; oc++ {
			frow := filter[oc*depth : (oc+1)*depth]
			var acc int64
			for d, v := range row {
				acc += int64(frow[d]+filterOffset) * int64(v+inputOffset)
			}
			if bias != nil {
				acc += bias[oc]
			}
			out[b*outC+oc] = rq.apply(acc, oc)
		}
	}
}

// fullyConnectedFloat is the float32 FULLY_CONNECTED.
func fullyConnectedFloat(batches, depth, outC int, in, filter, bias []float32, lo, hi float32, out []float32) {
	for b := 0; b < batches; b++ {
		row := in[b*depth : (b+1)*depth]
		for oc := 0; oc < outC; oc++ {
			frow := filter[oc*depth : (oc+1)*depth]
			var total float32
			for d, v := range row {
				total += v * frow[d]
			}
			out[b*outC+oc] = clampF32(total+biasOf(bias, oc), lo, hi)
		}
	}
}

// averagePoolQuant is the int8/int16 AVERAGE_POOL_2D: the rounded mean of
// the window, ties away from zero.
func averagePoolQuant(g *windowGeom, in []int32, lo, hi int32, out []int32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for c := 0; c < g.outC; c++ {
			var acc int32
			for _, t := range taps {
				acc += in[t.pixel*g.inC+c]
			}
			count := int32(len(taps))
			switch {
			case count == 0:
				out[p*g.outC+c] = 0
				continue
			case acc > 0:
				acc = (acc + count/2) / count
			default:
				acc = (acc - count/2) / count
			}
			out[p*g.outC+c] = clamp32(acc, lo, hi)
		}
	})
}

// averagePoolFloat is the float32 AVERAGE_POOL_2D.
func averagePoolFloat(g *windowGeom, in []float32, lo, hi float32, out []float32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for c := 0; c < g.outC; c++ {
			var total float32
			for _, t := range taps {
				total += in[t.pixel*g.inC+c]
			}
			out[p*g.outC+c] = clampF32(total/float32(len(taps)), lo, hi)
		}
	})
}

// maxPoolQuant is the int8/int16 MAX_POOL_2D.
func maxPoolQuant(g *windowGeom, in []int32, floor, lo, hi int32, out []int32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for c := 0; c < g.outC; c++ {
			m := floor
			for _, t := range taps {
				m = max(m, in[t.pixel*g.inC+c])
			}
			out[p*g.outC+c] = clamp32(m, lo, hi)
		}
	})
}

// maxPoolFloat is the float32 MAX_POOL_2D.
func maxPoolFloat(g *windowGeom, in []float32, lo, hi float32, out []float32) {
	g.eachOutputWindow(func(p int, taps []tap) {
		for c := 0; c < g.outC; c++ {
			m := float32(-math.MaxFloat32)
			for _, t := range taps {
				m = maxF32(m, in[t.pixel*g.inC+c])
			}
			out[p*g.outC+c] = clampF32(m, lo, hi)
		}
	})
}

// convOutSize and convPadding follow TFLite's padding.h: SAME keeps
// ceil(in/stride) outputs, VALID only full windows; the padding is half the
// total (the odd pixel goes to the end).
func convOutSize(same bool, in, filter, stride, dilation int) int {
	eff := (filter-1)*dilation + 1
	if same {
		return (in + stride - 1) / stride
	}
	return (in + stride - eff) / stride
}

func convPadding(stride, dilation, in, filter, out int) int {
	eff := (filter-1)*dilation + 1
	total := (out-1)*stride + eff - in
	return max(total, 0) / 2
}
