package tflite

import (
	"encoding/binary"
	"fmt"
)

// subgraphFields is the number of fields of the schema's SubGraph table:
// tensors, inputs, outputs, operators, name and debug_metadata_index, the
// only scalar.
const (
	subgraphDebugMetadata = 5
	subgraphFields        = subgraphDebugMetadata + 1
)

// ReorderOperators returns a copy of model, a .tflite file, whose subgraph
// sub runs its operators in order: operator i of the copy is operator
// order[i] of model. Nothing else changes: tensors, buffers, operator
// codes, metadata and every operator's bytes keep their indices and
// contents, so the copy computes what model computes as long as order runs
// every operator after those whose outputs it reads.
//
// Like SetMetadata it writes a prefix, here a new root Model table, a new
// subgraphs vector, the new SubGraph table and its operators vector,
// pointing into the unchanged original file behind it; models keeping data
// outside the flatbuffer are refused.
func ReorderOperators(model []byte, sub int, order []int) ([]byte, error) {
	m, err := Parse(model)
	if err != nil {
		return nil, err
	}
	if sub < 0 || sub >= len(m.Subgraphs) {
		return nil, fmt.Errorf("tflite: subgraph %d out of range [0, %d)", sub, len(m.Subgraphs))
	}
	n := len(m.Subgraphs[sub].Operators)
	if len(order) != n {
		return nil, fmt.Errorf("tflite: order of %d operators for subgraph %d's %d", len(order), sub, n)
	}
	seen := make([]bool, n)
	for _, v := range order {
		if v < 0 || v >= n || seen[v] {
			return nil, fmt.Errorf("tflite: order %v is not a permutation of subgraph %d's %d operators", order, sub, n)
		}
		seen[v] = true
	}
	root, err := newTable(model, int(binary.LittleEndian.Uint32(model)))
	if err != nil {
		return nil, within(err, "model")
	}
	if err := checkSelfContained(m, root); err != nil {
		return nil, err
	}
	rootFields, err := oldRootFields(m, root)
	if err != nil {
		return nil, err
	}
	subgraphs, err := tablePositions(root, modelSubgraphs, "subgraph")
	if err != nil {
		return nil, err
	}
	sgTable, err := newTable(model, subgraphs[sub])
	if err != nil {
		return nil, within(err, "subgraph %d", sub)
	}
	for f := subgraphFields; 4+2*f < sgTable.vlen; f++ {
		if sgTable.Has(f) {
			return nil, errorAt(subgraphs[sub], "subgraph %d has field %d, which this version of the schema does not know", sub, f)
		}
	}
	operators, err := tablePositions(sgTable, subgraphOperators, fmt.Sprintf("subgraph %d: operator", sub))
	if err != nil {
		return nil, err
	}
	sgFields := make([]field, subgraphFields)
	for f := range subgraphFields {
		switch {
		case !sgTable.Has(f) || f == subgraphOperators:
			continue
		case f == subgraphDebugMetadata:
			v, err := sgTable.Int32(f, -1)
			if err != nil {
				return nil, within(err, "subgraph %d", sub)
			}
			sgFields[f] = field{set: true, value: uint32(v)}
		default:
			target, _, err := sgTable.indirect(f)
			if err != nil {
				return nil, within(err, "subgraph %d field %d", sub, f)
			}
			sgFields[f] = field{set: true, ref: &ref{pos: target, old: true}}
		}
	}

	var p prefix
	p.uint32s(0, binary.LittleEndian.Uint32([]byte(fileIdentifier))) // root offset (patched below), identifier
	subgraphsVec := &ref{}
	rootFields[modelSubgraphs] = field{set: true, ref: subgraphsVec}
	p.patch(0, &ref{pos: p.table(rootFields)})
	newSubgraph := &ref{}
	vec := make([]*ref, len(subgraphs))
	for i, pos := range subgraphs {
		vec[i] = &ref{pos: pos, old: true}
	}
	vec[sub] = newSubgraph
	subgraphsVec.pos = p.vector(vec)
	operatorsVec := &ref{}
	sgFields[subgraphOperators] = field{set: true, ref: operatorsVec}
	newSubgraph.pos = p.table(sgFields)
	ops := make([]*ref, n)
	for i, v := range order {
		ops[i] = &ref{pos: operators[v], old: true}
	}
	operatorsVec.pos = p.vector(ops)
	p.align(dataAlignment)
	return p.prepend(model)
}
