package tflmarena

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/tflite"
)

// Resource variables: a model with VAR_HANDLE needs the MicroResourceVariables
// the application creates in the arena (MicroResourceVariables::Create,
// right after the MicroAllocator) and passes to the interpreter; VAR_HANDLE's
// Prepare gives each variable it names an id, and the first ASSIGN_VARIABLE
// prepared for a variable allocates its buffer in the tail.

// resourceVariables follows MicroResourceVariables while the model is
// prepared: the variables created so far, the id each VAR_HANDLE output
// holds, and which variables have their buffer.
type resourceVariables struct {
	max       int
	names     []tflite.VarHandleOptions
	handles   map[handleTensor]int
	allocated map[int]bool
}

// handleTensor is a tensor of one subgraph.
type handleTensor struct {
	sg     *tflite.Subgraph
	tensor int32
}

func newResourceVariables(max int) *resourceVariables {
	return &resourceVariables{max: max, handles: map[handleTensor]int{}, allocated: map[int]bool{}}
}

// id is MicroResourceVariables::CreateIdIfNoneFound: the variable of that
// shared name (in that container, or any when the handle names none),
// created if new; -1 when all max variables exist already.
func (r *resourceVariables) id(name tflite.VarHandleOptions) int {
	for i, v := range r.names {
		if (name.Container == "" || name.Container == v.Container) && name.SharedName == v.SharedName {
			return i
		}
	}
	if len(r.names) >= r.max {
		return -1
	}
	r.names = append(r.names, name)
	return len(r.names) - 1
}

// countResourceVariables is the number of variables the VAR_HANDLEs of m
// name, and whether m has any VAR_HANDLE at all.
func countResourceVariables(m *tflite.Model) (int, bool) {
	r := newResourceVariables(math.MaxInt)
	uses := false
	for si := range m.Subgraphs {
		for _, op := range m.Subgraphs[si].Operators {
			if int(op.OpcodeIndex) >= len(m.OpCodes) || m.OpCodes[op.OpcodeIndex].Builtin != tflite.OpVarHandle {
				continue
			}
			uses = true
			if o, err := op.VarHandleOptions(); err == nil {
				r.id(o)
			}
		}
	}
	return len(r.names), uses
}

// varHandlePrepare gives the variable its id; VAR_HANDLE allocates
// nothing in Prepare.
func varHandlePrepare(n *node) []step {
	o, err := n.op.VarHandleOptions()
	if err != nil {
		n.fail(err)
		return nil
	}
	id := n.vars.id(o)
	if id < 0 {
		n.fail(fmt.Errorf("resource variable %q is one more than the %d MicroResourceVariables holds", o.SharedName, n.vars.max))
		return nil
	}
	n.vars.handles[handleTensor{n.sg, n.output(0)}] = id
	return nil
}

// assignVariablePrepare reads the value as a temporary and, the first time
// a variable whose handle this subgraph's VAR_HANDLE made is assigned,
// allocates the variable's buffer (MicroResourceVariables::Allocate). A
// handle from elsewhere (a subgraph input) is only known at Invoke.
func assignVariablePrepare(n *node) []step {
	value := n.input(1)
	s := n.temps(1)
	id, ok := n.vars.handles[handleTensor{n.sg, n.input(0)}]
	if !ok || n.vars.allocated[id] {
		return s
	}
	n.vars.allocated[id] = true
	s = append(s, persistent(n.elements(value)*typeSize(n.typeOf(value)), "resource variable buffer"))
	return append(s, clearOfTemps(n, value)...)
}
