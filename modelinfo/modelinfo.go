// Package modelinfo summarises a decoded .tflite model for the engineer who
// has to fit it on a microcontroller: every operator with its tensors, its
// multiply-accumulate count and the constant bytes it reads, the totals,
// and what will get in the way on TFLM (float operators in a quantised
// model, operators TFLM's op resolver does not offer).
//
// It is kept apart from package tflite, which only decodes the file: the
// cost formulas and the TFLM operator list are judgements about the model,
// not part of its format.
package modelinfo

import (
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"

	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// Schema identifies the JSON layout of a Report; fields are only ever
// added, never changed.
const Schema = "footprint.model/v1"

// Report is the summary of one model.
type Report struct {
	Schema      string   `json:"schema"`
	File        string   `json:"file,omitempty"`
	FileBytes   int      `json:"file_bytes"`
	Version     uint32   `json:"version"`
	Description string   `json:"description,omitempty"`
	Subgraphs   int      `json:"subgraphs"`
	Ops         []Op     `json:"ops"`
	Totals      Totals   `json:"totals"`
	Warnings    []string `json:"warnings,omitempty"`
}

// Op is one operator of the model.
type Op struct {
	Subgraph int      `json:"subgraph"`
	Index    int      `json:"index"`
	Name     string   `json:"name"`
	Inputs   []Tensor `json:"inputs"`
	Outputs  []Tensor `json:"outputs"`
	// MACs is the operator's multiply-accumulate count for one inference
	// (see MACs); 0 for operators that do no multiply-accumulates.
	MACs int64 `json:"macs"`
	// WeightBytes is the size of the constant buffers the operator reads.
	WeightBytes int64 `json:"weight_bytes"`
	// Float is set when the model is quantised but this operator reads or
	// writes a float tensor.
	Float bool `json:"float,omitempty"`
	// InTFLM is false when TFLM's op resolver has no kernel for the
	// operator.
	InTFLM bool `json:"in_tflm"`
	// Runtime is true when footprint's runtime (run, verify) runs the
	// operator with TFLM's arithmetic; RuntimeNote says why not otherwise
	// (no kernel, or the variant its kernel refuses and why).
	Runtime     bool   `json:"runtime"`
	RuntimeNote string `json:"runtime_note,omitempty"`
	// Arena is true when the arena model (arena --tflm) knows what the
	// operator's TFLM reference kernel allocates, so that its figures are
	// exact rather than lower bounds.
	Arena bool `json:"arena"`
}

// Tensor describes one tensor an operator reads or writes.
type Tensor struct {
	Index int     `json:"index"`
	Name  string  `json:"name"`
	Type  string  `json:"type"`
	Shape []int32 `json:"shape"`
	// Const marks a tensor with constant data in the model (weights, biases,
	// shapes); Bytes is then the size of that data.
	Const bool  `json:"const,omitempty"`
	Bytes int64 `json:"bytes,omitempty"`
}

// Totals sums the model up.
type Totals struct {
	Ops  int   `json:"ops"`
	MACs int64 `json:"macs"`
	// WeightBytes counts every constant buffer read by an operator once,
	// even when several operators share it.
	WeightBytes int64 `json:"weight_bytes"`
	Tensors     int   `json:"tensors"`
	FloatOps    int   `json:"float_ops"`
	// FloatTensors counts the float tensors operators read or write in a
	// quantised model.
	FloatTensors int      `json:"float_tensors"`
	NotInTFLM    []string `json:"not_in_tflm,omitempty"`
	// RuntimeOps and ArenaOps count the operators footprint's runtime
	// runs and the arena model knows.
	RuntimeOps int `json:"runtime_ops"`
	ArenaOps   int `json:"arena_ops"`
}

// Analyze summarises m. The model is "quantised" when some operator writes
// an INT8 or INT16 tensor; float tensors and operators are then flagged.
func Analyze(m *tflite.Model) Report {
	r := Report{
		Schema:      Schema,
		FileBytes:   len(m.Raw),
		Version:     m.Version,
		Description: m.Description,
		Subgraphs:   len(m.Subgraphs),
		Ops:         []Op{},
	}
	quantised := isQuantised(m)
	seenBuffers := map[uint32]bool{}
	missing := map[string]bool{}
	coverage := runtime.Coverage(m)
	var notRun, notArena []string
	for si, s := range m.Subgraphs {
		r.Totals.Tensors += len(s.Tensors)
		if quantised {
			r.Totals.FloatTensors += floatTensors(s)
		}
		for oi, op := range s.Operators {
			code := m.OpCodes[op.OpcodeIndex]
			row := Op{Subgraph: si, Index: oi, Name: m.OpName(op), InTFLM: InTFLM(code),
				RuntimeNote: coverage[si][oi], Arena: tflmarena.Modelled(code)}
			row.Runtime = row.RuntimeNote == ""
			if row.Runtime {
				r.Totals.RuntimeOps++
			} else if entry := row.Name + " (" + row.RuntimeNote + ")"; !slices.Contains(notRun, entry) {
				notRun = append(notRun, entry)
			}
			if row.Arena {
				r.Totals.ArenaOps++
			} else if !slices.Contains(notArena, row.Name) {
				notArena = append(notArena, row.Name)
			}
			for _, in := range op.Inputs {
				if in < 0 {
					continue
				}
				t := describe(m, s, in)
				row.Inputs = append(row.Inputs, t)
				if t.Const {
					row.WeightBytes += t.Bytes
					if buf := s.Tensors[in].Buffer; !seenBuffers[buf] {
						seenBuffers[buf] = true
						r.Totals.WeightBytes += t.Bytes
					}
				}
				row.Float = row.Float || (quantised && s.Tensors[in].Type.IsFloat())
			}
			for _, out := range op.Outputs {
				row.Outputs = append(row.Outputs, describe(m, s, out))
				row.Float = row.Float || (quantised && s.Tensors[out].Type.IsFloat())
			}
			macs, err := MACs(m, s, op)
			if err != nil {
				r.Warnings = append(r.Warnings, fmt.Sprintf("subgraph %d operator %d (%s): MACs unknown: %v", si, oi, row.Name, err))
			}
			row.MACs = macs
			r.Totals.MACs = saturatingAdd(r.Totals.MACs, macs)
			if row.Float {
				r.Totals.FloatOps++
			}
			if !row.InTFLM && !missing[row.Name] {
				missing[row.Name] = true
				r.Totals.NotInTFLM = append(r.Totals.NotInTFLM, row.Name)
			}
			r.Ops = append(r.Ops, row)
		}
	}
	r.Totals.Ops = len(r.Ops)
	if r.Totals.FloatOps > 0 || r.Totals.FloatTensors > 0 {
		r.Warnings = append(r.Warnings, fmt.Sprintf("quantised model with %d float operators and %d float tensors", r.Totals.FloatOps, r.Totals.FloatTensors))
	}
	for _, name := range r.Totals.NotInTFLM {
		r.Warnings = append(r.Warnings, fmt.Sprintf("%s: TFLM's op resolver has no kernel for it", name))
	}
	if len(notRun) > 0 {
		r.Warnings = append(r.Warnings, "footprint's runtime cannot run (so run and verify refuse the model): "+strings.Join(notRun, ", "))
	}
	if len(notArena) > 0 {
		r.Warnings = append(r.Warnings, "the arena model does not know (so arena --tflm gives lower bounds): "+strings.Join(notArena, ", "))
	}
	return r
}

// isQuantised reports whether some operator of m writes an INT8 or INT16
// tensor.
func isQuantised(m *tflite.Model) bool {
	for _, s := range m.Subgraphs {
		for _, op := range s.Operators {
			for _, out := range op.Outputs {
				if typ := s.Tensors[out].Type; typ == tflite.Int8 || typ == tflite.Int16 {
					return true
				}
			}
		}
	}
	return false
}

// floatTensors counts the float tensors operators of s read or write
// (intermediates, float-typed placeholders TFLM never allocates, are left
// out).
func floatTensors(s tflite.Subgraph) int {
	used := make([]bool, len(s.Tensors))
	n := 0
	for _, op := range s.Operators {
		for _, list := range [][]int32{op.Inputs, op.Outputs} {
			for _, i := range list {
				if i >= 0 && !used[i] && s.Tensors[i].Type.IsFloat() {
					used[i] = true
					n++
				}
			}
		}
	}
	return n
}

// describe returns the description of tensor i of s.
func describe(m *tflite.Model, s tflite.Subgraph, i int32) Tensor {
	t := s.Tensors[i]
	d := Tensor{Index: int(i), Name: t.Name, Type: t.Type.String(), Shape: t.Shape}
	if data := m.TensorData(t); len(data) > 0 {
		d.Const, d.Bytes = true, int64(len(data))
	}
	return d
}

// MACs returns the multiply-accumulate count of one inference of op:
//
//   - CONV_2D: output elements × kernel height × kernel width × input
//     channels (the filter's last dimension);
//   - DEPTHWISE_CONV_2D: output elements × kernel height × kernel width;
//   - FULLY_CONNECTED: output elements × input depth (the weights' last
//     dimension);
//   - TRANSPOSE_CONV: input positions (input elements ÷ input channels) ×
//     filter elements: every input value meets every filter tap of its
//     channel;
//   - UNIDIRECTIONAL_SEQUENCE_LSTM: batch × time steps × the elements of
//     its input, recurrent and projection weight matrices (one MAC per
//     weight per step; peephole, layer-norm and gate arithmetic ignored);
//   - SVDF: batch × (feature weights + time weights);
//   - everything else, elementwise and pooling operators included: 0.
//
// An error means the shapes do not fit the formula (too few dimensions,
// negative or overflowing sizes); the count is then 0.
func MACs(m *tflite.Model, s tflite.Subgraph, op tflite.Operator) (int64, error) {
	code := m.OpCodes[op.OpcodeIndex].Builtin
	input := func(i int) (tflite.Tensor, bool) {
		if i >= len(op.Inputs) || op.Inputs[i] < 0 {
			return tflite.Tensor{}, false
		}
		return s.Tensors[op.Inputs[i]], true
	}
	output := func() (tflite.Tensor, bool) {
		if len(op.Outputs) == 0 {
			return tflite.Tensor{}, false
		}
		return s.Tensors[op.Outputs[0]], true
	}
	switch code {
	case tflite.OpConv2D, tflite.OpDepthwiseConv2D:
		out, ok1 := output()
		filter, ok2 := input(1)
		if !ok1 || !ok2 || len(filter.Shape) != 4 {
			return 0, fmt.Errorf("want a 4-D filter and an output")
		}
		perOutput := []int32{filter.Shape[1], filter.Shape[2]}
		if code == tflite.OpConv2D {
			perOutput = append(perOutput, filter.Shape[3])
		}
		return product(out.Shape, perOutput)
	case tflite.OpFullyConnected:
		out, ok1 := output()
		weights, ok2 := input(1)
		if !ok1 || !ok2 || len(weights.Shape) == 0 {
			return 0, fmt.Errorf("want weights and an output")
		}
		return product(out.Shape, weights.Shape[len(weights.Shape)-1:])
	case tflite.OpTransposeConv:
		filter, ok1 := input(1)
		in, ok2 := input(2)
		if !ok1 || !ok2 || len(in.Shape) == 0 || in.Shape[len(in.Shape)-1] <= 0 {
			return 0, fmt.Errorf("want a filter and an input with channels")
		}
		positions := in.Shape[:len(in.Shape)-1]
		return product(positions, filter.Shape)
	case tflite.OpUnidirectionalSequenceLSTM:
		in, ok := input(0)
		if !ok || len(in.Shape) != 3 {
			return 0, fmt.Errorf("want a 3-D input")
		}
		var total int64
		// Inputs 1-8 are the input and recurrent weights of the four
		// gates, 16 the projection weights; absent ones are -1.
		for _, i := range []int{1, 2, 3, 4, 5, 6, 7, 8, 16} {
			w, ok := input(i)
			if !ok {
				continue
			}
			n, err := product(in.Shape[:2], w.Shape)
			if err != nil {
				return 0, err
			}
			total = saturatingAdd(total, n)
		}
		return total, nil
	case tflite.OpSVDF:
		in, ok1 := input(0)
		feature, ok2 := input(1)
		time, ok3 := input(2)
		if !ok1 || !ok2 || !ok3 || len(in.Shape) == 0 {
			return 0, fmt.Errorf("want an input, feature and time weights")
		}
		a, err := product(in.Shape[:1], feature.Shape)
		if err != nil {
			return 0, err
		}
		b, err := product(in.Shape[:1], time.Shape)
		return saturatingAdd(a, b), err
	}
	return 0, nil
}

// product multiplies the dimensions of both shapes, refusing negative
// dimensions and products beyond int64.
func product(a, b []int32) (int64, error) {
	n := uint64(1)
	for _, dims := range [][]int32{a, b} {
		for _, d := range dims {
			if d < 0 {
				return 0, fmt.Errorf("negative dimension %d", d)
			}
			hi, lo := bits.Mul64(n, uint64(d))
			if hi != 0 || lo > math.MaxInt64 {
				return 0, fmt.Errorf("count overflows int64")
			}
			n = lo
		}
	}
	return int64(n), nil
}

// saturatingAdd adds two non-negative counts, capping at MaxInt64.
func saturatingAdd(a, b int64) int64 {
	if a > math.MaxInt64-b {
		return math.MaxInt64
	}
	return a + b
}
