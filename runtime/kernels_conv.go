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

// convQuant is the int8 / int16x8 CONV_2D (reference ConvPerChannel).
func convQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	groups := g.inC / g.filterInC
	filtersPerGroup := g.outC / groups
	for b := 0; b < g.batches; b++ {
		for oy := 0; oy < g.outH; oy++ {
			inY0 := oy*g.strideH - g.padH
			for ox := 0; ox < g.outW; ox++ {
				inX0 := ox*g.strideW - g.padW
				for oc := 0; oc < g.outC; oc++ {
					group := oc / filtersPerGroup
					var acc int64
					for fy := 0; fy < g.filterH; fy++ {
						inY := inY0 + g.dilationH*fy
						if inY < 0 || inY >= g.inH {
							continue
						}
						for fx := 0; fx < g.filterW; fx++ {
							inX := inX0 + g.dilationW*fx
							if inX < 0 || inX >= g.inW {
								continue
							}
							inBase := ((b*g.inH+inY)*g.inW+inX)*g.inC + group*g.filterInC
							fBase := ((oc*g.filterH+fy)*g.filterW + fx) * g.filterInC
							row := in[inBase : inBase+g.filterInC]
							frow := filter[fBase : fBase+g.filterInC]
							for ic, v := range row {
								acc += int64(frow[ic]) * int64(v+g.inputOffset)
							}
						}
					}
					if bias != nil {
						acc += bias[oc]
					}
					out[((b*g.outH+oy)*g.outW+ox)*g.outC+oc] = rq.apply(acc, oc)
				}
			}
		}
	}
}

// convFloat is the float32 CONV_2D.
func convFloat(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32) {
	groups := g.inC / g.filterInC
	filtersPerGroup := g.outC / groups
	for b := 0; b < g.batches; b++ {
		for oy := 0; oy < g.outH; oy++ {
			inY0 := oy*g.strideH - g.padH
			for ox := 0; ox < g.outW; ox++ {
				inX0 := ox*g.strideW - g.padW
				for oc := 0; oc < g.outC; oc++ {
					group := oc / filtersPerGroup
					var total float32
					for fy := 0; fy < g.filterH; fy++ {
						inY := inY0 + g.dilationH*fy
						if inY < 0 || inY >= g.inH {
							continue
						}
						for fx := 0; fx < g.filterW; fx++ {
							inX := inX0 + g.dilationW*fx
							if inX < 0 || inX >= g.inW {
								continue
							}
							inBase := ((b*g.inH+inY)*g.inW+inX)*g.inC + group*g.filterInC
							fBase := ((oc*g.filterH+fy)*g.filterW + fx) * g.filterInC
							for ic := 0; ic < g.filterInC; ic++ {
								total += in[inBase+ic] * filter[fBase+ic]
							}
						}
					}
					var biasValue float32
					if bias != nil {
						biasValue = bias[oc]
					}
					out[((b*g.outH+oy)*g.outW+ox)*g.outC+oc] = min(max(total+biasValue, lo), hi)
				}
			}
		}
	}
}

// depthwiseQuant is the int8 / int16x8 DEPTHWISE_CONV_2D.
func depthwiseQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	for b := 0; b < g.batches; b++ {
		for oy := 0; oy < g.outH; oy++ {
			for ox := 0; ox < g.outW; ox++ {
				for ic := 0; ic < g.inC; ic++ {
					for m := 0; m < g.depthMultiplier; m++ {
						oc := m + ic*g.depthMultiplier
						inX0 := ox*g.strideW - g.padW
						inY0 := oy*g.strideH - g.padH
						var acc int64
						for fy := 0; fy < g.filterH; fy++ {
							inY := inY0 + g.dilationH*fy
							if inY < 0 || inY >= g.inH {
								continue
							}
							for fx := 0; fx < g.filterW; fx++ {
								inX := inX0 + g.dilationW*fx
								if inX < 0 || inX >= g.inW {
									continue
								}
								v := in[((b*g.inH+inY)*g.inW+inX)*g.inC+ic]
								f := filter[(fy*g.filterW+fx)*g.outC+oc]
								acc += int64(f) * int64(v+g.inputOffset)
							}
						}
						if bias != nil {
							acc += bias[oc]
						}
						out[((b*g.outH+oy)*g.outW+ox)*g.outC+oc] = rq.apply(acc, oc)
					}
				}
			}
		}
	}
}

// depthwiseFloat is the float32 DEPTHWISE_CONV_2D.
func depthwiseFloat(g *windowGeom, in, filter, bias []float32, lo, hi float32, out []float32) {
	for b := 0; b < g.batches; b++ {
		for oy := 0; oy < g.outH; oy++ {
			for ox := 0; ox < g.outW; ox++ {
				for ic := 0; ic < g.inC; ic++ {
					for m := 0; m < g.depthMultiplier; m++ {
						oc := m + ic*g.depthMultiplier
						inX0 := ox*g.strideW - g.padW
						inY0 := oy*g.strideH - g.padH
						var total float32
						for fy := 0; fy < g.filterH; fy++ {
							inY := inY0 + g.dilationH*fy
							if inY < 0 || inY >= g.inH {
								continue
							}
							for fx := 0; fx < g.filterW; fx++ {
								inX := inX0 + g.dilationW*fx
								if inX < 0 || inX >= g.inW {
									continue
								}
								total += in[((b*g.inH+inY)*g.inW+inX)*g.inC+ic] * filter[(fy*g.filterW+fx)*g.outC+oc]
							}
						}
						var biasValue float32
						if bias != nil {
							biasValue = bias[oc]
						}
						out[((b*g.outH+oy)*g.outW+ox)*g.outC+oc] = min(max(total+biasValue, lo), hi)
					}
				}
			}
		}
	}
}

// transposeConvQuant is the int8 / int16x8 TRANSPOSE_CONV: scatter every
// input into an op-private accumulator, then requantise.
func transposeConvQuant(g *windowGeom, in, filter []int32, bias []int64, rq *requant, out []int32) {
	scratch := make([]int64, len(out))
	for b := 0; b < g.batches; b++ {
		for iy := 0; iy < g.inH; iy++ {
			for ix := 0; ix < g.inW; ix++ {
				for ic := 0; ic < g.inC; ic++ {
					outX0 := ix*g.strideW - g.padW
					outY0 := iy*g.strideH - g.padH
					v := int64(in[((b*g.inH+iy)*g.inW+ix)*g.inC+ic] + g.inputOffset)
					for fy := 0; fy < g.filterH; fy++ {
						oy := outY0 + fy
						if oy < 0 || oy >= g.outH {
							continue
						}
						for fx := 0; fx < g.filterW; fx++ {
							ox := outX0 + fx
							if ox < 0 || ox >= g.outW {
								continue
							}
							base := ((b*g.outH+oy)*g.outW + ox) * g.outC
							for oc := 0; oc < g.outC; oc++ {
								f := filter[((oc*g.filterH+fy)*g.filterW+fx)*g.inC+ic]
								scratch[base+oc] += v * int64(f)
							}
						}
					}
				}
			}
		}
	}
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
	for b := 0; b < g.batches; b++ {
		for iy := 0; iy < g.inH; iy++ {
			for ix := 0; ix < g.inW; ix++ {
				for ic := 0; ic < g.inC; ic++ {
					outX0 := ix*g.strideW - g.padW
					outY0 := iy*g.strideH - g.padH
					v := in[((b*g.inH+iy)*g.inW+ix)*g.inC+ic]
					for fy := 0; fy < g.filterH; fy++ {
						oy := outY0 + fy
						if oy < 0 || oy >= g.outH {
							continue
						}
						for fx := 0; fx < g.filterW; fx++ {
							ox := outX0 + fx
							if ox < 0 || ox >= g.outW {
								continue
							}
							base := ((b*g.outH+oy)*g.outW + ox) * g.outC
							for oc := 0; oc < g.outC; oc++ {
								out[base+oc] += v * filter[((oc*g.filterH+fy)*g.filterW+fx)*g.inC+ic]
							}
						}
					}
				}
			}
		}
	}
	for i := range out {
		if bias != nil {
			out[i] += bias[i%g.outC]
		}
		out[i] = min(max(out[i], lo), hi)
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
			var biasValue float32
			if bias != nil {
				biasValue = bias[oc]
			}
			out[b*outC+oc] = min(max(total+biasValue, lo), hi)
		}
	}
}

// poolWindow calls visit with the input window of every output element of
// a pool, clipped to the input; depth is the channel count.
func poolWindow(g *windowGeom, visit func(outIndex, b, c, y0, y1, x0, x1 int)) {
	for b := 0; b < g.batches; b++ {
		for oy := 0; oy < g.outH; oy++ {
			for ox := 0; ox < g.outW; ox++ {
				for c := 0; c < g.outC; c++ {
					inX0 := ox*g.strideW - g.padW
					inY0 := oy*g.strideH - g.padH
					visit(((b*g.outH+oy)*g.outW+ox)*g.outC+c, b, c,
						inY0+max(0, -inY0), inY0+min(g.filterH, g.inH-inY0),
						inX0+max(0, -inX0), inX0+min(g.filterW, g.inW-inX0))
				}
			}
		}
	}
}

// averagePoolQuant is the int8/int16 AVERAGE_POOL_2D: the rounded mean of
// the window, ties away from zero.
func averagePoolQuant(g *windowGeom, in []int32, lo, hi int32, out []int32) {
	poolWindow(g, func(o, b, c, y0, y1, x0, x1 int) {
		var acc int32
		var count int32
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				acc += in[((b*g.inH+y)*g.inW+x)*g.inC+c]
				count++
			}
		}
		if count == 0 {
			out[o] = 0
			return
		}
		if acc > 0 {
			acc = (acc + count/2) / count
		} else {
			acc = (acc - count/2) / count
		}
		out[o] = clamp32(acc, lo, hi)
	})
}

// averagePoolFloat is the float32 AVERAGE_POOL_2D.
func averagePoolFloat(g *windowGeom, in []float32, lo, hi float32, out []float32) {
	poolWindow(g, func(o, b, c, y0, y1, x0, x1 int) {
		var total float32
		var count float32
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				total += in[((b*g.inH+y)*g.inW+x)*g.inC+c]
				count++
			}
		}
		out[o] = min(max(total/count, lo), hi)
	})
}

// maxPoolQuant is the int8/int16 MAX_POOL_2D.
func maxPoolQuant(g *windowGeom, in []int32, floor, lo, hi int32, out []int32) {
	poolWindow(g, func(o, b, c, y0, y1, x0, x1 int) {
		m := floor
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m = max(m, in[((b*g.inH+y)*g.inW+x)*g.inC+c])
			}
		}
		out[o] = clamp32(m, lo, hi)
	})
}

// maxPoolFloat is the float32 MAX_POOL_2D.
func maxPoolFloat(g *windowGeom, in []float32, lo, hi float32, out []float32) {
	poolWindow(g, func(o, b, c, y0, y1, x0, x1 int) {
		m := float32(-math.MaxFloat32)
		for y := y0; y < y1; y++ {
			for x := x0; x < x1; x++ {
				m = max(m, in[((b*g.inH+y)*g.inW+x)*g.inC+c])
			}
		}
		out[o] = min(max(m, lo), hi)
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
