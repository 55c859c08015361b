package runtime

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// buildSVDF prepares SVDF as TFLM's EvalIntegerSvdfReference (int8 input
// and output, int8 feature weights, int16 or int8 time weights and
// activation state) or EvalFloatSvdfReference computes it. Inputs: input
// (batch x input), weights_feature (filters x input), weights_time
// (filters x memory), bias (units; TFLM's Prepare requires one), activation
// state (variable, batch x filters x memory), updated in place.
func buildSVDF(n *node) (func([][]byte), error) {
	ins, output, err := n.io(2)
	if err != nil {
		return nil, err
	}
	input, weightsFeature := ins[0], ins[1]
	weightsTime, err := n.need(2)
	if err != nil {
		return nil, err
	}
	bias := n.input(3)
	state, err := n.need(4)
	if err != nil {
		return nil, err
	}
	rank := n.svdfRank()
	isFloat := input.kind == tflite.Float32
	floatOK := weightsFeature.kind == tflite.Float32 && weightsTime.kind == tflite.Float32 &&
		state.kind == tflite.Float32 && output.kind == tflite.Float32
	intOK := input.kind == tflite.Int8 && weightsFeature.kind == tflite.Int8 && output.kind == tflite.Int8 &&
		(weightsTime.kind == tflite.Int16 || weightsTime.kind == tflite.Int8) && state.kind == weightsTime.kind
	if isFloat && !floatOK || !isFloat && !intOK {
		return nil, unsupportedf("types %s/%s/%s/%s -> %s not supported",
			input.kind, weightsFeature.kind, weightsTime.kind, state.kind, output.kind)
	}
	if !state.variable {
		return nil, fmt.Errorf("activation state tensor %d %q is not variable", state.index, state.name)
	}
	if err := wantRank(2, input, weightsFeature, weightsTime); err != nil {
		return nil, err
	}
	batches, inputSize := input.dim(0), input.dim(1)
	filters, memory := weightsFeature.dim(0), weightsTime.dim(1)
	if batches == 0 || memory == 0 || rank <= 0 || filters%rank != 0 || weightsFeature.dim(1) != inputSize || weightsTime.dim(0) != filters ||
		state.elems != batches*filters*memory || output.elems != batches*filters/rank {
		return nil, fmt.Errorf("shapes input %v, features %v, time %v, state %v, output %v and rank %d do not fit",
			input.shape, weightsFeature.shape, weightsTime.shape, state.shape, output.shape, rank)
	}
	// TFLM's Prepare releases the bias's temporary tensor whether or not
	// there is one (svdf_common.cc, its TODO #1751), and the integer one
	// reads its scale: without a bias it dereferences null.
	if bias == nil {
		return nil, unsupportedf("SVDF without a bias (TFLM's Prepare requires one)")
	}
	if isFloat {
		return buildSVDFFloat(n, input, weightsFeature, weightsTime, bias, state, output)
	}
	units := filters / rank
	feature, err := weightsFeature.constInts()
	if err != nil {
		return nil, err
	}
	timeWeights, err := weightsTime.constInts()
	if err != nil {
		return nil, err
	}
	if d := math.Abs(float64(bias.scale) - float64(state.scale*weightsTime.scale)); !(d < 1e-5) {
		return nil, unsupportedf("bias scale %g is not the state's times the time weights' (%g)", bias.scale, state.scale*weightsTime.scale)
	}
	biasData, err := optionalBias(bias, units)
	if err != nil {
		return nil, err
	}
	// TFLM forms both scales in float32 before widening them.
	mult1, shift1 := quantizeMultiplier(float64(input.scale * weightsFeature.scale / state.scale))
	mult2, shift2 := quantizeMultiplier(float64(state.scale * weightsTime.scale / output.scale))
	stateLo, stateHi := typeRange(state.kind)
	var inBuf, stateBuf, outBuf []int32
	scratch := make([]int32, batches*filters)
	return func(mem [][]byte) {
		inBuf = input.ints(mem, inBuf)
		stateBuf = state.ints(mem, stateBuf)
		outBuf = resizeInts(outBuf, output.elems)
		// Shift the whole state left by one element; the newest value of
		// each filter goes in its last slot.
		copy(stateBuf, stateBuf[1:])
		for b := range batches {
			row := inBuf[b*inputSize : (b+1)*inputSize]
			for f := range filters {
				var dot int32
				for c, v := range row {
					dot += feature[f*inputSize+c] * (v - input.zeroPoint)
				}
				dot = clamp32(multiplyByQuantizedMultiplier(dot, mult1, shift1), stateLo, stateHi)
				// Stored with the element type's wrap-around, as in C.
				stateBuf[(b*filters+f)*memory+memory-1] = wrapTo(state.kind, state.zeroPoint+dot)
			}
		}
		for b := range batches {
			for f := range filters {
				var acc int32
				s := stateBuf[(b*filters+f)*memory:]
				for j := range memory {
					acc += timeWeights[f*memory+j] * (s[j] - state.zeroPoint)
				}
				scratch[b*filters+f] = acc
			}
		}
		for b := range batches {
			for u := range units {
				acc := int32(biasData[u])
				for r := range rank {
					acc += scratch[b*filters+u*rank+r]
				}
				v := multiplyByQuantizedMultiplier(acc, mult2, shift2) + output.zeroPoint
				outBuf[b*units+u] = clamp32(v, math.MinInt8, math.MaxInt8)
			}
		}
		encodeInts(state.kind, mem[state.index], stateBuf)
		encodeInts(output.kind, mem[output.index], outBuf)
	}, nil
}

// wrapTo narrows v to kind's width with two's-complement wrap-around.
func wrapTo(kind tflite.TensorType, v int32) int32 {
	switch kind {
	case tflite.Int8:
		return int32(int8(v))
	case tflite.Int16:
		return int32(int16(v))
	}
	return v
}

// buildSVDFFloat prepares the float32 SVDF of TFLM's EvalFloatSvdfReference,
// summing in its order; every product is rounded to float32 before it is
// added so the compiler cannot fuse the two.
func buildSVDFFloat(n *node, input, weightsFeature, weightsTime, bias, state, output *tensorInfo) (func([][]byte), error) {
	batches, inputSize := input.dim(0), input.dim(1)
	filters, memory := weightsFeature.dim(0), weightsTime.dim(1)
	rank := n.svdfRank()
	units := filters / rank
	feature, err := weightsFeature.constFloats()
	if err != nil {
		return nil, err
	}
	timeWeights, err := weightsTime.constFloats()
	if err != nil {
		return nil, err
	}
	biasData, err := optionalFloatBias(bias, units)
	if err != nil {
		return nil, err
	}
	activation := n.svdfActivation()
	if activation != actNone && activation != actRelu && activation != actReluN1To1 && activation != actRelu6 {
		return nil, unsupportedf("fused activation %v not supported", tflite.ActivationFunctionType(activation))
	}
	lo, hi := activationRangeFloat(activation)
	var inBuf, stateBuf, outBuf []float32
	scratch := make([]float32, batches*filters)
	return func(mem [][]byte) {
		inBuf = input.floats(mem, inBuf)
		stateBuf = state.floats(mem, stateBuf)
		outBuf = resizeFloats(outBuf, output.elems)
		copy(stateBuf, stateBuf[1:])
		for b := range batches {
			row := inBuf[b*inputSize : (b+1)*inputSize]
			for f := range filters {
				var dot float32
				for c, v := range row {
					dot += float32(feature[f*inputSize+c] * v)
				}
				stateBuf[(b*filters+f)*memory+memory-1] = dot
			}
		}
		for b := range batches {
			for f := range filters {
				var acc float32
				s := stateBuf[(b*filters+f)*memory:]
				for j := range memory {
					acc += float32(timeWeights[f*memory+j] * s[j])
				}
				scratch[b*filters+f] = acc
			}
		}
		for b := range batches {
			for u := range units {
				acc := biasData[u]
				for r := range rank {
					acc += scratch[b*filters+u*rank+r]
				}
				outBuf[b*units+u] = clampF32(acc, lo, hi)
			}
		}
		encodeFloats(mem[state.index], stateBuf)
		encodeFloats(mem[output.index], outBuf)
	}, nil
}
