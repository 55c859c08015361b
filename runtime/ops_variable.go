package runtime

// Resource variables: VAR_HANDLE names a variable and gives its id,
// ASSIGN_VARIABLE stores a tensor in it, READ_VARIABLE copies it out,
// after TFLM's MicroResourceVariables. The variables belong to the whole
// model (all subgraphs) and keep their values between invocations until
// ResetVariables.

import (
	"encoding/binary"
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// resourceVar is one resource variable: its name, its bytes once an
// ASSIGN_VARIABLE has been prepared for it, and the byte it starts and is
// reset to (an int8 value's zero point).
type resourceVar struct {
	container, name string
	buf             []byte
	fill            byte
}

// resources are a model's resource variables, indexed by id.
type resources struct {
	vars []*resourceVar
}

// id returns the id of the variable so named, creating it if needed
// (CreateIdIfNoneFound).
func (r *resources) id(container, name string) int32 {
	for i, v := range r.vars {
		if v.container == container && v.name == name {
			return int32(i)
		}
	}
	r.vars = append(r.vars, &resourceVar{container: container, name: name})
	return int32(len(r.vars) - 1)
}

// get returns variable id, failing for one that does not exist or has no
// storage yet.
func (r *resources) get(id int32) (*resourceVar, error) {
	if id < 0 || int(id) >= len(r.vars) {
		return nil, fmt.Errorf("resource variable %d does not exist", id)
	}
	v := r.vars[id]
	if v.buf == nil {
		return nil, fmt.Errorf("resource variable %d (%q) was never assigned", id, v.name)
	}
	return v, nil
}

// reset sets every variable back to its fill byte (ResetAll).
func (r *resources) reset() {
	for _, v := range r.vars {
		for i := range v.buf {
			v.buf[i] = v.fill
		}
	}
}

// resourceID reads the id a RESOURCE (or INT32) tensor holds.
func resourceID(mem [][]byte, t *tensorInfo) int32 {
	return int32(binary.LittleEndian.Uint32(mem[t.index]))
}

// buildVarHandle prepares VAR_HANDLE: its output holds the id of the
// variable its options name.
func buildVarHandle(n *node) (func([][]byte), error) {
	o, err := n.op.VarHandleOptions()
	n.keep(err)
	output := n.output(0)
	if output == nil || len(n.outputs) != 1 || len(n.inputs) != 0 {
		return nil, fmt.Errorf("takes no inputs and 1 output, has %d and %d", len(n.inputs), len(n.outputs))
	}
	if output.bytes != 4 {
		return nil, fmt.Errorf("output %v%v cannot hold a resource id", output.kind, output.shape)
	}
	id := n.in.set.resources.id(o.Container, o.SharedName)
	return func(mem [][]byte) { binary.LittleEndian.PutUint32(mem[output.index], uint32(id)) }, nil
}

// preparedID is the variable id input 0 of ASSIGN_VARIABLE holds when it
// is prepared, as TFLM reads it then: a VAR_HANDLE of the same subgraph
// writes it, or it is a constant.
func (n *node) preparedID(t *tensorInfo) (int32, error) {
	if t.constant != nil && t.kind == tflite.Int32 && len(t.constant) == 4 {
		return int32(binary.LittleEndian.Uint32(t.constant)), nil
	}
	for _, op := range n.in.graph.Operators {
		if len(op.Outputs) == 1 && int(op.Outputs[0]) == t.index && n.in.model.OpName(op) == "VAR_HANDLE" {
			o, err := op.VarHandleOptions()
			if err != nil {
				return 0, err
			}
			return n.in.set.resources.id(o.Container, o.SharedName), nil
		}
	}
	return 0, unsupportedf("resource id of tensor %d %q unknown when prepared (not from a VAR_HANDLE of this subgraph)", t.index, t.name)
}

// buildAssignVariable prepares ASSIGN_VARIABLE: the first one prepared for
// a variable gives it storage of the value's size, filled with the value's
// zero point (its low byte, as TFLM keeps it); running copies the value in.
func buildAssignVariable(n *node) (func([][]byte), error) {
	if len(n.inputs) != 2 || len(n.outputs) != 0 {
		return nil, fmt.Errorf("takes 2 inputs and no outputs, has %d and %d", len(n.inputs), len(n.outputs))
	}
	ins, err := n.need(0)
	if err != nil {
		return nil, err
	}
	value, err := n.need(1)
	if err != nil {
		return nil, err
	}
	if (ins.kind != tflite.Resource && ins.kind != tflite.Int32) || ins.elems != 1 {
		return nil, fmt.Errorf("resource id tensor %v%v must be one RESOURCE or INT32", ins.kind, ins.shape)
	}
	id, err := n.preparedID(ins)
	if err != nil {
		return nil, err
	}
	res := n.in.set.resources
	if id < 0 || int(id) >= len(res.vars) {
		return nil, fmt.Errorf("resource variable %d does not exist", id)
	}
	if v := res.vars[id]; v.buf == nil {
		v.buf = make([]byte, value.bytes)
		if value.quantized {
			v.fill = byte(value.zeroPoint)
		}
		res.reset()
	}
	return func(mem [][]byte) {
		v, err := res.get(resourceID(mem, ins))
		if err == nil && len(v.buf) != value.bytes {
			err = fmt.Errorf("value of %d bytes assigned to resource variable %q of %d", value.bytes, v.name, len(v.buf))
		}
		if err != nil {
			n.runFail(err)
			return
		}
		copy(v.buf, mem[value.index])
	}, nil
}

// buildReadVariable prepares READ_VARIABLE: the variable's bytes copied to
// the output, which must be as long.
func buildReadVariable(n *node) (func([][]byte), error) {
	input, output, err := n.io1()
	if err != nil {
		return nil, err
	}
	if (input.kind != tflite.Resource && input.kind != tflite.Int32) || input.elems != 1 {
		return nil, fmt.Errorf("resource id tensor %v%v must be one RESOURCE", input.kind, input.shape)
	}
	res := n.in.set.resources
	return func(mem [][]byte) {
		v, err := res.get(resourceID(mem, input))
		if err == nil && len(v.buf) != output.bytes {
			err = fmt.Errorf("resource variable %q of %d bytes read into an output of %d", v.name, len(v.buf), output.bytes)
		}
		if err != nil {
			n.runFail(err)
			return
		}
		copy(mem[output.index], v.buf)
	}, nil
}
