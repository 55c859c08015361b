package runtime

// Control flow: IF, WHILE and CALL_ONCE run other subgraphs of the model,
// each in memory of its own, copying tensors in and out as TFLM's
// CopyOpInputsToSubgraphInputs and CopySubgraphOutputsToOpOutputs do.

import (
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// Bounds on what a hostile model can make a run do: subgraphs calling
// themselves (TFLM recurses until its stack overflows) and WHILE loops
// that never end (TFLM spins forever).
const (
	maxCallDepth      = 64
	maxWhileIteration = 1 << 20
)

// invokeCalled runs a called subgraph once in its own memory.
func (in *Interpreter) invokeCalled() error {
	if in.calls >= maxCallDepth {
		return fmt.Errorf("subgraph %d called %d deep: recursion", in.index, in.calls)
	}
	in.calls++
	defer func() { in.calls-- }()
	if err := in.Invoke(in.mem, nil); err != nil {
		return fmt.Errorf("subgraph %d: %w", in.index, err)
	}
	return nil
}

// copyTensors copies each src tensor's bytes to the dst tensor at the same
// position; the two must be as long (ValidateAndGetTensorSizes).
func copyTensors(dstMem [][]byte, dst []int, srcMem [][]byte, src []int) error {
	if len(dst) != len(src) {
		return fmt.Errorf("%d tensors to copy into %d", len(src), len(dst))
	}
	for k := range dst {
		d, s := dstMem[dst[k]], srcMem[src[k]]
		if len(d) != len(s) {
			return fmt.Errorf("tensor of %d bytes copied into one of %d", len(s), len(d))
		}
		copy(d, s)
	}
	return nil
}

// buildIf prepares IF: the BOOL condition (input 0) picks the then or
// else subgraph, which runs on the other inputs and gives the outputs.
// TFLM checks the then subgraph's input and output counts when preparing
// and the taken branch's when running.
func buildIf(n *node) (func([][]byte), error) {
	o, err := n.op.IfOptions()
	n.keep(err)
	if len(n.inputs) == 0 {
		return nil, fmt.Errorf("IF without a condition input")
	}
	cond, err := n.need(0)
	if err != nil {
		return nil, err
	}
	if cond.kind != tflite.Bool || cond.elems != 1 {
		return nil, fmt.Errorf("condition %v%v must be one BOOL", cond.kind, cond.shape)
	}
	then, err := n.in.set.subgraph(o.ThenSubgraph)
	if err != nil {
		return nil, err
	}
	otherwise, err := n.in.set.subgraph(o.ElseSubgraph)
	if err != nil {
		return nil, err
	}
	if len(n.inputs)-1 != len(then.graph.Inputs) || len(n.outputs) != len(then.graph.Outputs) {
		return nil, fmt.Errorf("%d inputs and %d outputs, subgraph %d takes %d and gives %d",
			len(n.inputs)-1, len(n.outputs), o.ThenSubgraph, len(then.graph.Inputs), len(then.graph.Outputs))
	}
	return func(mem [][]byte) {
		branch := otherwise
		if mem[cond.index][0] != 0 {
			branch = then
		}
		if err := branch.call(mem, n.inputs[1:], n.outputs); err != nil {
			n.runFail(err)
		}
	}, nil
}

// call runs the subgraph on the caller's tensors ins (in mem), copying its
// outputs to the caller's outs; a subgraph without outputs copies none.
func (in *Interpreter) call(mem [][]byte, ins, outs []int) error {
	if err := copyTensors(in.mem, toInts(in.graph.Inputs), mem, ins); err != nil {
		return fmt.Errorf("inputs of subgraph %d: %w", in.index, err)
	}
	if err := in.invokeCalled(); err != nil {
		return err
	}
	if len(in.graph.Outputs) == 0 {
		return nil
	}
	if err := copyTensors(mem, outs, in.mem, toInts(in.graph.Outputs)); err != nil {
		return fmt.Errorf("outputs of subgraph %d: %w", in.index, err)
	}
	return nil
}

// buildWhile prepares WHILE: the inputs are copied to the outputs, then
// while the cond subgraph's first output is true the body subgraph maps
// the outputs to new outputs (TFLM's WhileEval). A loop that runs more
// than maxWhileIteration times fails the run.
func buildWhile(n *node) (func([][]byte), error) {
	o, err := n.op.WhileOptions()
	n.keep(err)
	cond, err := n.in.set.subgraph(o.CondSubgraph)
	if err != nil {
		return nil, err
	}
	body, err := n.in.set.subgraph(o.BodySubgraph)
	if err != nil {
		return nil, err
	}
	k := len(n.inputs)
	if k != len(cond.graph.Inputs) || k != len(body.graph.Inputs) || k != len(n.outputs) || k != len(body.graph.Outputs) {
		return nil, fmt.Errorf("%d inputs and %d outputs do not fit cond subgraph %d (%d inputs) and body subgraph %d (%d inputs, %d outputs)",
			k, len(n.outputs), o.CondSubgraph, len(cond.graph.Inputs), o.BodySubgraph, len(body.graph.Inputs), len(body.graph.Outputs))
	}
	if len(cond.graph.Outputs) == 0 {
		return nil, fmt.Errorf("cond subgraph %d has no output", o.CondSubgraph)
	}
	for _, t := range n.inputs {
		if t < 0 {
			return nil, fmt.Errorf("WHILE input omitted")
		}
	}
	// test runs cond on the tensors ts of the caller and reads its verdict.
	test := func(mem [][]byte, ts []int) (bool, error) {
		if err := copyTensors(cond.mem, toInts(cond.graph.Inputs), mem, ts); err != nil {
			return false, fmt.Errorf("inputs of cond subgraph %d: %w", cond.index, err)
		}
		if err := cond.invokeCalled(); err != nil {
			return false, err
		}
		verdict := cond.mem[cond.graph.Outputs[0]]
		if cond.tensors[cond.graph.Outputs[0]].kind != tflite.Bool || len(verdict) == 0 {
			return false, fmt.Errorf("cond subgraph %d's output is not a BOOL", cond.index)
		}
		return verdict[0] != 0, nil
	}
	return func(mem [][]byte) {
		more, err := test(mem, n.inputs)
		if err == nil {
			err = copyTensors(mem, n.outputs, mem, n.inputs)
		}
		for i := 0; err == nil && more; i++ {
			if i == maxWhileIteration {
				err = fmt.Errorf("loop still running after %d iterations", i)
				break
			}
			if err = body.call(mem, n.outputs, n.outputs); err == nil {
				more, err = test(mem, n.outputs)
			}
		}
		if err != nil {
			n.runFail(err)
		}
	}, nil
}

// buildCallOnce prepares CALL_ONCE: the init subgraph runs on the first
// invocation only (again after ResetVariables, which starts a fresh run).
func buildCallOnce(n *node) (func([][]byte), error) {
	o, err := n.op.CallOnceOptions()
	n.keep(err)
	if len(n.inputs) != 0 || len(n.outputs) != 0 {
		return nil, fmt.Errorf("CALL_ONCE takes no inputs or outputs, has %d and %d", len(n.inputs), len(n.outputs))
	}
	init, err := n.in.set.subgraph(o.InitSubgraph)
	if err != nil {
		return nil, err
	}
	done := false
	n.in.resets = append(n.in.resets, func() { done = false })
	return func([][]byte) {
		if done {
			return
		}
		if err := init.invokeCalled(); err != nil {
			n.runFail(err)
			return
		}
		done = true
	}, nil
}
