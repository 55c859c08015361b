package reach

import (
	"cmp"
	"slices"
	"strings"

	"github.com/footprint-dev/footprint/callgraph"
	"github.com/footprint-dev/footprint/internal/tflmsym"
)

// Bytes are a flash and RAM figure.
type Bytes struct {
	Flash uint64 `json:"flash"`
	RAM   uint64 `json:"ram"`
}

func (b *Bytes) add(o Bytes) { b.Flash += o.Flash; b.RAM += o.RAM }

// OpCost is what one registered TFLM operator costs.
type OpCost struct {
	Op       string `json:"op"`       // "CONV_2D"
	Register string `json:"register"` // the registration function
	// Exclusive are the bytes only this op reaches: what removing it from
	// the op resolver would save.
	Exclusive Bytes `json:"exclusive"`
	// Inclusive are all the bytes the op reaches: what it would cost in a
	// firmware that had nothing else.
	Inclusive Bytes `json:"inclusive"`
	// Symbols counts the functions and objects of the exclusive bytes.
	Symbols int `json:"symbols"`
	// Objects are the object files the exclusive bytes come from, largest
	// share first (with a linker map).
	Objects  []string `json:"objects,omitempty"`
	objBytes map[string]uint64
}

// OpsReport splits the TFLM-related bytes of a firmware image: each
// operator's exclusive bytes, the helpers two or more operators share, the
// runtime core and the model, each byte counted once.
type OpsReport struct {
	Ops []OpCost `json:"ops"`
	// Shared are bytes reachable from two or more operators and from
	// neither the runtime core nor the application.
	Shared Bytes `json:"shared"`
	// Core is everything reachable from the interpreter and the allocator
	// without going through an operator's registration.
	Core Bytes `json:"core"`
	// Model are the embedded models' bytes.
	Model  Bytes    `json:"model"`
	Models []string `json:"models,omitempty"`
	// TFLM is the sum of the above: the firmware's TFLM-related bytes.
	TFLM Bytes `json:"tflm"`
	// Other are the bytes the application reaches without TFLM (its own
	// code, libc it calls, start-up).
	Other Bytes `json:"other"`
	// category is each node's row: an op, "[shared]", "[core]", "[model]",
	// or "" (not TFLM).
	category []string
}

// categoryOf returns the row node i is charged to, "" for none.
func (r *OpsReport) categoryOf(i int) string { return r.category[i] }

// Ops attributes the TFLM-related bytes of p to the operators registered in
// it (found by their tflite::Register_<OP>() functions), the runtime core
// and the models. With objs (from a linker map; may be nil) each op also
// lists the object files of its exclusive bytes.
func Ops(p *callgraph.Program, objs *Objects) *OpsReport {
	var ops, core []int
	var opNames []string
	isModel := make([]bool, len(p.Nodes))
	for i := range p.Nodes {
		n := &p.Nodes[i]
		if n.Kind == callgraph.Object {
			if b := p.Bytes(i); len(b) >= 8 && string(b[4:8]) == "TFL3" {
				isModel[i] = true
			}
			continue
		}
		if !strings.HasPrefix(n.Name, "_Z") {
			continue
		}
		plain := callgraph.PlainName(n.Name)
		if op, ok := tflmsym.RegisteredOp(plain); ok {
			ops = append(ops, i)
			opNames = append(opNames, op)
		} else if tflmsym.IsCore(plain) {
			core = append(core, i)
		}
	}
	blocked := make([]bool, len(p.Nodes))
	for _, i := range append(append([]int(nil), ops...), core...) {
		blocked[i] = true
	}
	isBlocked := func(i int) bool { return blocked[i] }
	opBlocked := func(i int) bool { return blocked[i] && slices.Contains(ops, i) }

	var appRoots []int
	for _, r := range p.Roots() {
		appRoots = append(appRoots, r.Node)
	}
	fromApp := p.Reachable(appRoots, isBlocked)
	fromCore := p.Reachable(core, opBlocked)
	owners := make([]int, len(p.Nodes)) // how many ops reach each node
	owner := make([]int, len(p.Nodes))  // the last op that did
	r := &OpsReport{category: make([]string, len(p.Nodes))}
	for k, op := range ops {
		seen := p.Reachable([]int{op}, nil)
		cost := OpCost{Op: opNames[k], Register: callgraph.DisplayName(p.Nodes[op].Name)}
		for i, ok := range seen {
			if ok {
				cost.Inclusive.add(nodeBytes(p, i))
				owners[i]++
				owner[i] = k
			}
		}
		r.Ops = append(r.Ops, cost)
	}
	for i := range p.Nodes {
		b := nodeBytes(p, i)
		switch {
		case isModel[i]:
			r.Model.add(b)
			r.Models = append(r.Models, p.Nodes[i].Name)
			r.category[i] = "[model]"
		case fromCore[i]:
			r.Core.add(b)
			r.category[i] = "[core]"
		case fromApp[i]:
			r.Other.add(b)
		case owners[i] == 1:
			r.category[i] = opNames[owner[i]]
			o := &r.Ops[owner[i]]
			o.Exclusive.add(b)
			o.Symbols++
			if name := objs.At(p.Nodes[i].Addr); name != "" {
				if o.objBytes == nil {
					o.objBytes = map[string]uint64{}
				}
				o.objBytes[name] += b.Flash + b.RAM
			}
		case owners[i] > 1:
			r.Shared.add(b)
			r.category[i] = "[shared]"
		}
	}
	for k := range r.Ops {
		o := &r.Ops[k]
		r.TFLM.add(o.Exclusive)
		for name := range o.objBytes {
			o.Objects = append(o.Objects, name)
		}
		slices.SortFunc(o.Objects, func(a, b string) int {
			return cmp.Or(cmp.Compare(o.objBytes[b], o.objBytes[a]), strings.Compare(a, b))
		})
	}
	r.TFLM.add(r.Shared)
	r.TFLM.add(r.Core)
	r.TFLM.add(r.Model)
	slices.SortStableFunc(r.Ops, func(a, b OpCost) int {
		return cmp.Or(cmp.Compare(b.Exclusive.Flash, a.Exclusive.Flash), strings.Compare(a.Op, b.Op))
	})
	return r
}

// nodeBytes is what node i costs: flash for code, constants and the
// initial values of data; RAM for data and bss.
func nodeBytes(p *callgraph.Program, i int) Bytes {
	n := &p.Nodes[i]
	s, ok := p.SectionOf(n.Addr)
	if !ok {
		return Bytes{}
	}
	var b Bytes
	if s.Flash() {
		b.Flash = n.Size
	}
	if s.Write || s.NoBits {
		b.RAM = n.Size
	}
	return b
}
