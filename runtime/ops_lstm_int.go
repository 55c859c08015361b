package runtime

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// TFLM's integer LSTM works in fixed scales between its stages: each gate's
// fully connected sums are int16 with scale 2^-12 (Q3.12), the sigmoid and
// tanh outputs int16 with scale 2^-15 (Q0.15).
const (
	lstmGateInputScale  = 1.0 / 4096
	lstmGateOutputScale = 1.0 / 32768
)

// lstmFC is one of a gate's two fully connected products: int8 or int16
// activations times int8 weights, requantised to int16 Q3.12.
type lstmFC struct {
	weights      []int32
	weightOffset int32 // the negated weight zero point
	rq           requant
}

// lstmGateInt is one gate of the integer LSTM: the products of the input
// (with the gate's bias) and of the hidden state.
type lstmGateInt struct {
	in, rec lstmFC
	bias    []int64
}

// lstmInt is TFLM's 8x8->16 LSTM (EvalLstm<int8_t, int8_t, int16_t,
// int32_t>: int8 input, hidden state and weights, int32 biases and
// accumulators, int16 gates and cell state) or its 16x8->16 LSTM
// (EvalLstm<int16_t, int8_t, int16_t, int64_t>: int16 input and hidden
// state, int64 biases and accumulators).
type lstmInt struct {
	*lstmLayout
	gates               [lstmGates]lstmGateInt
	inputOff, hiddenOff int32        // negated zero points of input and hidden state
	gateAct             int16Sigmoid // sigmoid and tanh of the Q3.12 gate sums
	cellTanh            int16Sigmoid // tanh of the cell state, on its scale
	forgetMul           mulQuant     // forget gate x cell state -> cell state
	inputMul            mulQuant     // input gate x cell gate -> cell state
	outputMul           mulQuant     // tanh(cell) x output gate -> hidden state
	clip                bool
	cellClip            int32 // the cell clip in the cell state's scale
}

// buildLSTMInt prepares the integer LSTM as TFLM's Prepare
// (PrepareGateParametersInteger, CreateLstmCellStateInfo) sets it up.
func buildLSTMInt(l *lstmLayout) (func([][]byte), error) {
	act := l.input.kind
	if l.hidden.kind != act || l.output.kind != act {
		return nil, unsupportedf("integer LSTM with %v input, %v hidden state and %v output (want one type)", act, l.hidden.kind, l.output.kind)
	}
	wide := act == tflite.Int16
	wantBias := tflite.Int32
	if wide {
		wantBias = tflite.Int64
	}
	p := &lstmInt{lstmLayout: l, inputOff: -l.input.zeroPoint, hiddenOff: -l.hidden.zeroPoint}
	for g := range lstmGates {
		gate := &p.gates[g]
		var err error
		if gate.in, err = newLSTMFC(l.input, l.inW[g], wide); err != nil {
			return nil, fmt.Errorf("gate %d: %w", g, err)
		}
		if gate.rec, err = newLSTMFC(l.hidden, l.recW[g], wide); err != nil {
			return nil, fmt.Errorf("gate %d: %w", g, err)
		}
		if l.bias[g] == nil {
			return nil, fmt.Errorf("gate %d: bias missing", g)
		}
		if l.bias[g].kind != wantBias {
			return nil, unsupportedf("gate %d: %v bias (want %v)", g, l.bias[g].kind, wantBias)
		}
		if gate.bias, err = optionalBias(l.bias[g], l.stateDim); err != nil {
			return nil, fmt.Errorf("gate %d: %w", g, err)
		}
	}
	table := sigmoidTable()
	// TFLM calls the int16 kernels with multiplier 0 (a power-of-two
	// scale): the gates' Q3.12 needs no shift, and the cell state's tanh
	// shifts by how far its scale is from 2^-12, to the right with
	// multiplier 3 when it is finer.
	p.gateAct = newInt16Sigmoid(table, 0, 0)
	cellPower, _ := checkedLog2(l.cell.scale)
	switch shift := 12 + cellPower; {
	case !(l.cell.scale > 0) || shift < -31 || shift > 13:
		// A right shift must stay below 32 bits, and 3<<shift must fit
		// the kernel's 16-bit multiplier.
		return nil, unsupportedf("cell state scale %g", l.cell.scale)
	case shift < 0:
		p.cellTanh = newInt16Sigmoid(table, 3, -shift)
	default:
		p.cellTanh = newInt16Sigmoid(table, 0, shift)
	}
	p.forgetMul = lstmMul(lstmGateOutputScale, l.cell.scale, l.cell)
	p.inputMul = lstmMul(lstmGateOutputScale, lstmGateOutputScale, l.cell)
	p.outputMul = lstmMul(lstmGateOutputScale, lstmGateOutputScale, l.hidden)
	if clip := l.opts.cellClip; clip > 0 {
		p.clip = true
		// A C cast: the quotient truncated toward zero, after clamping.
		p.cellClip = int32(min(max(float64(clip)/float64(l.cell.scale), math.MinInt16), math.MaxInt16))
	}
	return p.eval(), nil
}

// newLSTMFC prepares a gate's product of activation and per-tensor int8
// weights; TFLM multiplies the two scales in float32 first. wide is the
// 16x8 product, accumulated in int64.
func newLSTMFC(activation, weights *tensorInfo, wide bool) (lstmFC, error) {
	if weights.kind != tflite.Int8 {
		return lstmFC{}, unsupportedf("%v weights (want INT8)", weights.kind)
	}
	if len(weights.scales) > 1 {
		return lstmFC{}, unsupportedf("per-channel LSTM weights")
	}
	w, err := weights.constInts()
	if err != nil {
		return lstmFC{}, err
	}
	m, s := quantizeMultiplier(float64(activation.scale*weights.scale) / lstmGateInputScale)
	rq := requant{multiplier: []int32{m}, shift: []int{s}, actMin: math.MinInt16, actMax: math.MaxInt16, wide: wide}
	if err := rq.checkShifts(); err != nil {
		return lstmFC{}, err
	}
	return lstmFC{weights: w, weightOffset: -weights.zeroPoint, rq: rq}, nil
}

// lstmMul is TFLM's CreateInterGateMulParams: an element-wise product of
// two symmetric values rescaled to out's scale and zero point, clamped to
// out's type.
func lstmMul(scale1, scale2 float32, out *tensorInfo) mulQuant {
	p := mulQuant{outputOffset: out.zeroPoint}
	p.outputMult, p.outputShift = quantizeMultiplier(float64(scale1) * float64(scale2) / float64(out.scale))
	p.actMin, p.actMax = typeRange(out.kind)
	return p
}

// eval returns the operator's evaluation over a run's memory.
func (p *lstmInt) eval() func([][]byte) {
	n := p.rows * p.stateDim
	var gate [lstmGates][]int32
	for g := range gate {
		gate[g] = make([]int32, n)
	}
	scratch := make([]int32, n)
	var inBuf, hBuf, cBuf, outBuf []int32
	in := p.rows * p.inputDim
	return func(mem [][]byte) {
		inBuf = p.input.ints(mem, inBuf)
		hBuf = p.hidden.ints(mem, hBuf)
		cBuf = p.cell.ints(mem, cBuf)
		outBuf = resizeInts(outBuf, p.output.elems)
		p.forEachStep(func(x, out, s int) {
			h, c := hBuf[s:s+n], cBuf[s:s+n]
			p.step(inBuf[x:x+in], h, c, gate, scratch)
			copy(outBuf[out:out+n], h)
		})
		encodeInts(p.hidden.kind, mem[p.hidden.index], hBuf)
		encodeInts(p.cell.kind, mem[p.cell.index], cBuf)
		encodeInts(p.output.kind, mem[p.output.index], outBuf)
	}
}

// step is one time step (TFLM's LstmStep): the four gates from x and the
// old hidden state h, then the new cell state c and hidden state h.
func (p *lstmInt) step(x, h, c []int32, gate [lstmGates][]int32, scratch []int32) {
	for g := range lstmGates {
		gt, out := &p.gates[g], gate[g]
		fullyConnectedQuant(p.rows, p.inputDim, p.stateDim, p.inputOff, gt.in.weightOffset, x, gt.in.weights, gt.bias, &gt.in.rq, out)
		fullyConnectedQuant(p.rows, p.stateDim, p.stateDim, p.hiddenOff, gt.rec.weightOffset, h, gt.rec.weights, nil, &gt.rec.rq, scratch)
		for i := range out {
			out[i] = clamp32(out[i]+scratch[i], math.MinInt16, math.MaxInt16)
		}
		if g == gateCell {
			p.gateAct.tanh(out, out)
		} else {
			p.gateAct.logistic(out, out)
		}
	}
	for i := range c {
		v := p.forgetMul.apply(gate[gateForget][i], c[i]) + p.inputMul.apply(gate[gateInput][i], gate[gateCell][i])
		v = clamp32(v, math.MinInt16, math.MaxInt16)
		if p.clip {
			v = clamp32(v, -p.cellClip, p.cellClip)
		}
		c[i] = v
	}
	p.cellTanh.tanh(c, scratch)
	for i := range h {
		h[i] = p.outputMul.apply(scratch[i], gate[gateOutput][i])
	}
}
