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

// actTanh is the fused activation TFLM's LSTM takes for its cell gate:
// the schema's activations convert to TFLite's, where the kernel's only
// other choice, sigmoid, has no schema value (and the others abort it).
const actTanh = 4

// lstmLayout is what both LSTM variants take from the operator: its
// tensors, options and sizes.
type lstmLayout struct {
	input, output, hidden, cell *tensorInfo
	// Per gate (input, forget, cell, output): input and recurrent weights,
	// and the bias (nil if omitted).
	inW, recW, bias [lstmGates]*tensorInfo
	opts            lstmOptions
	batches, steps  int
	inputDim        int
	stateDim        int
	// rows is how many batch rows one step handles: all of them when time
	// is the major dimension, one otherwise.
	rows int
}

// newLSTMLayout checks the operator's tensors and shapes.
func newLSTMLayout(n *node) (*lstmLayout, error) {
	input, err := n.need(lstmInput)
	if err != nil {
		return nil, err
	}
	l := &lstmLayout{input: input, output: n.output(0), hidden: n.input(lstmHiddenState), cell: n.input(lstmCellState)}
	if l.output == nil || l.hidden == nil || l.cell == nil {
		return nil, fmt.Errorf("needs input, hidden and cell state, and an output")
	}
	for _, k := range []int{9, 10, 11, 16, 17, 20, 21, 22, 23} {
		if n.input(k) != nil {
			return nil, unsupportedf("peephole, projection and layer-norm inputs not supported")
		}
	}
	l.opts = n.lstmOptions()
	if len(input.shape) != 3 || len(l.hidden.shape) != 2 {
		return nil, unsupportedf("input shape %v, state shape %v not supported", input.shape, l.hidden.shape)
	}
	l.batches, l.steps = input.dim(0), input.dim(1)
	l.rows = 1
	if l.opts.timeMajor {
		l.batches, l.steps = l.steps, l.batches
		l.rows = l.batches
	}
	l.inputDim, l.stateDim = input.dim(2), l.hidden.dim(1)
	if l.hidden.elems != l.batches*l.stateDim || l.cell.elems != l.hidden.elems || l.output.elems != l.batches*l.steps*l.stateDim {
		return nil, fmt.Errorf("shapes input %v, state %v, output %v do not fit", input.shape, l.hidden.shape, l.output.shape)
	}
	if !l.hidden.variable || !l.cell.variable {
		return nil, fmt.Errorf("hidden and cell state must be variable tensors")
	}
	for g := range lstmGates {
		if l.inW[g], err = n.need(lstmInputWeights + g); err != nil {
			return nil, err
		}
		if l.recW[g], err = n.need(lstmRecurrentWeights + g); err != nil {
			return nil, err
		}
		if l.inW[g].elems != l.stateDim*l.inputDim || l.recW[g].elems != l.stateDim*l.stateDim {
			return nil, fmt.Errorf("gate %d weights do not fit input %d and state %d", g, l.inputDim, l.stateDim)
		}
		l.bias[g] = n.input(lstmGateBias + g)
	}
	if a := l.opts.activation; a != actTanh {
		return nil, unsupportedf("cell activation %d not supported (TANH only; TFLM's kernel aborts on others)", a)
	}
	return l, nil
}

// forEachStep calls step for every time step in TFLM's order with the
// offsets of the step's first input element, first output element and
// first state element.
func (l *lstmLayout) forEachStep(step func(in, out, state int)) {
	if l.opts.timeMajor {
		for t := range l.steps {
			step(t*l.rows*l.inputDim, t*l.rows*l.stateDim, 0)
		}
		return
	}
	for b := range l.batches {
		for t := range l.steps {
			at := b*l.steps + t
			step(at*l.inputDim, at*l.stateDim, b*l.stateDim)
		}
	}
}

// buildUnidirectionalSequenceLSTM prepares UNIDIRECTIONAL_SEQUENCE_LSTM as
// TFLM's EvalLstm computes it: per step, four gates of two fully connected
// products each, the cell update and the hidden state, which is also the
// step's output. Hidden and cell state are variable tensors carried
// across invocations. Float32 and TFLM's integer variants (int8 or int16
// activations, int8 weights, int16 cell state) are implemented.
func buildUnidirectionalSequenceLSTM(n *node) (func([][]byte), error) {
	l, err := newLSTMLayout(n)
	if err != nil {
		return nil, err
	}
	switch {
	case l.input.kind == tflite.Float32 && l.cell.kind == tflite.Float32 && l.hidden.kind == tflite.Float32 && l.output.kind == tflite.Float32:
		return buildLSTMFloat(l)
	case (l.input.kind == tflite.Int8 || l.input.kind == tflite.Int16) && l.cell.kind == tflite.Int16:
		return buildLSTMInt(l)
	}
	return nil, unsupportedf("LSTM with %v input and %v cell state: only FLOAT32, and INT8 or INT16 with INT16 cell state, are implemented", l.input.kind, l.cell.kind)
}

// buildLSTMFloat prepares the float32 LSTM.
func buildLSTMFloat(l *lstmLayout) (func([][]byte), error) {
	var inW, recW, bias [lstmGates][]float32
	for g := range lstmGates {
		var err error
		if inW[g], err = l.inW[g].constFloats(); err != nil {
			return nil, err
		}
		if recW[g], err = l.recW[g].constFloats(); err != nil {
			return nil, err
		}
		if bias[g], err = optionalFloatBias(l.bias[g], l.stateDim); err != nil {
			return nil, err
		}
	}
	lo, hi := activationRangeFloat(actNone)
	rows, inputDim, stateDim := l.rows, l.inputDim, l.stateDim
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
			if g == gateCell {
				tanhFloat(gate[g])
			} else {
				sigmoidFloat(gate[g])
			}
		}
		for i := range c {
			// TFLM forms both products in buffers before adding them; the
			// conversions keep Go from fusing one into the sum.
			v := float32(gate[gateForget][i]*c[i]) + float32(gate[gateInput][i]*gate[gateCell][i])
			if clip := l.opts.cellClip; clip > 0 {
				v = min(max(v, -clip), clip)
			}
			c[i] = v
		}
		for i := range h {
			h[i] = float32(math.Tanh(float64(c[i]))) * gate[gateOutput][i]
		}
		copy(out, h)
	}
	in, state := rows*inputDim, rows*stateDim
	return func(mem [][]byte) {
		inBuf = l.input.floats(mem, inBuf)
		hBuf = l.hidden.floats(mem, hBuf)
		cBuf = l.cell.floats(mem, cBuf)
		outBuf = resizeFloats(outBuf, l.output.elems)
		l.forEachStep(func(x, out, s int) {
			step(inBuf[x:x+in], hBuf[s:s+state], cBuf[s:s+state], outBuf[out:out+state])
		})
		encodeFloats(mem[l.hidden.index], hBuf)
		encodeFloats(mem[l.cell.index], cBuf)
		encodeFloats(mem[l.output.index], outBuf)
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
