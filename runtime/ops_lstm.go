package runtime

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// UNIDIRECTIONAL_SEQUENCE_LSTM input slots (the schema's tensor order).
const (
	lstmInput             = 0
	lstmInputWeights      = 1 // input-to-{input, forget, cell, output}: 1..4
	lstmRecurrentWeights  = 5 // recurrent-to-{input, forget, cell, output}: 5..8
	lstmGateBias          = 12
	lstmHiddenState       = 18
	lstmCellState         = 19
	lstmGates             = 4
	gateInput, gateForget = 0, 1
	gateCell, gateOutput  = 2, 3
)

// Fused activation values used as the cell gate's nonlinearity.
const (
	actTanh    = 4
	actSigmoid = 6
)

// buildUnidirectionalSequenceLSTM prepares the float32
// UNIDIRECTIONAL_SEQUENCE_LSTM as TFLM's EvalLstm computes it: per step,
// four gates of two fully connected products each, the cell update and
// the hidden state, which is also the step's output. Hidden and cell state
// are variable tensors carried across invocations.
//
// The quantised variant is not implemented: its int16 sigmoid and tanh
// interpolate a 256-entry table of TFLM's that no formula reproduces
// exactly, so its outputs could not be bit-identical.
func buildUnidirectionalSequenceLSTM(n *node) (func([][]byte), error) {
	input, err := n.need(lstmInput)
	if err != nil {
		return nil, err
	}
	output := n.output(0)
	hidden, cell := n.input(lstmHiddenState), n.input(lstmCellState)
	if output == nil || hidden == nil || cell == nil {
		return nil, fmt.Errorf("needs input, hidden and cell state, and an output")
	}
	if input.kind != tflite.Float32 || cell.kind != tflite.Float32 || hidden.kind != tflite.Float32 || output.kind != tflite.Float32 {
		return nil, unsupportedf("quantised LSTM (%v input, %v cell state): only FLOAT32 is implemented", input.kind, cell.kind)
	}
	for _, k := range []int{9, 10, 11, 16, 17, 20, 21, 22, 23} {
		if n.input(k) != nil {
			return nil, unsupportedf("peephole, projection and layer-norm inputs not supported")
		}
	}
	o := n.lstmOptions()
	if len(input.shape) != 3 || len(hidden.shape) != 2 {
		return nil, unsupportedf("input shape %v, state shape %v not supported", input.shape, hidden.shape)
	}
	batches, steps := input.dim(0), input.dim(1)
	if o.timeMajor {
		batches, steps = steps, batches
	}
	inputDim, stateDim := input.dim(2), hidden.dim(1)
	if hidden.elems != batches*stateDim || cell.elems != hidden.elems || output.elems != batches*steps*stateDim {
		return nil, fmt.Errorf("shapes input %v, state %v, output %v do not fit", input.shape, hidden.shape, output.shape)
	}
	if !hidden.variable || !cell.variable {
		return nil, fmt.Errorf("hidden and cell state must be variable tensors")
	}
	var inW, recW, bias [lstmGates][]float32
	for g := range lstmGates {
		w, err := n.need(lstmInputWeights + g)
		if err != nil {
			return nil, err
		}
		if inW[g], err = w.constFloats(); err != nil {
			return nil, err
		}
		r, err := n.need(lstmRecurrentWeights + g)
		if err != nil {
			return nil, err
		}
		if recW[g], err = r.constFloats(); err != nil {
			return nil, err
		}
		if bias[g], err = optionalFloatBias(n.input(lstmGateBias+g), stateDim); err != nil {
			return nil, err
		}
		if len(inW[g]) != stateDim*inputDim || len(recW[g]) != stateDim*stateDim {
			return nil, fmt.Errorf("gate %d weights do not fit input %d and state %d", g, inputDim, stateDim)
		}
	}
	cellActivation := o.activation
	if cellActivation != actTanh && cellActivation != actSigmoid {
		return nil, unsupportedf("cell activation %d not supported", cellActivation)
	}
	lo, hi := activationRangeFloat(actNone)
	// rows is how many batch rows one step handles: all of them when time
	// is the major dimension, one otherwise.
	rows := 1
	if o.timeMajor {
		rows = batches
	}
	var inBuf, hBuf, cBuf, outBuf []float32
	var gate [lstmGates][]float32
	scratch := make([]float32, rows*stateDim)
	for g := range gate {
		gate[g] = make([]float32, rows*stateDim)
	}
	step := func(x, h, c, out []float32) {
		for g := range lstmGates {
			fullyConnectedFloat(rows, inputDim, stateDim, x, inW[g], bias[g], lo, hi, gate[g])
			fullyConnectedFloat(rows, stateDim, stateDim, h, recW[g], nil, lo, hi, scratch)
			for i := range gate[g] {
				gate[g][i] += scratch[i]
			}
			if g == gateCell && cellActivation == actTanh {
				tanhFloat(gate[g])
			} else {
				sigmoidFloat(gate[g])
			}
		}
		for i := range c {
			v := gate[gateForget][i]*c[i] + 0
			v += gate[gateInput][i] * gate[gateCell][i]
			if o.cellClip > 0 {
				v = min(max(v, -o.cellClip), o.cellClip)
			}
			c[i] = v
		}
		for i := range h {
			h[i] = float32(math.Tanh(float64(c[i]))) * gate[gateOutput][i]
		}
		copy(out, h)
	}
	return func(mem [][]byte) {
		inBuf = input.floats(mem, inBuf)
		hBuf = hidden.floats(mem, hBuf)
		cBuf = cell.floats(mem, cBuf)
		outBuf = resizeFloats(outBuf, output.elems)
		if o.timeMajor {
			for t := range steps {
				step(inBuf[t*rows*inputDim:(t+1)*rows*inputDim], hBuf, cBuf, outBuf[t*rows*stateDim:(t+1)*rows*stateDim])
			}
		} else {
			for b := range batches {
				h, c := hBuf[b*stateDim:(b+1)*stateDim], cBuf[b*stateDim:(b+1)*stateDim]
				for t := range steps {
					at := b*steps + t
					step(inBuf[at*inputDim:(at+1)*inputDim], h, c, outBuf[at*stateDim:(at+1)*stateDim])
				}
			}
		}
		encodeFloats(mem[hidden.index], hBuf)
		encodeFloats(mem[cell.index], cBuf)
		encodeFloats(mem[output.index], outBuf)
	}, nil
}

// sigmoidFloat is TFLite's reference float logistic, with its cut-offs.
func sigmoidFloat(v []float32) {
	const upper, lower = 16.619047164916992188, -9
	for i, x := range v {
		switch {
		case x > upper:
			v[i] = 1
		case x < lower:
			v[i] = float32(math.Exp(float64(x)))
		default:
			v[i] = 1 / (1 + float32(math.Exp(float64(-x))))
		}
	}
}

// tanhFloat is the float tanh.
func tanhFloat(v []float32) {
	for i, x := range v {
		v[i] = float32(math.Tanh(float64(x)))
	}
}
