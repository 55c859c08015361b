package tflite

import (
	"errors"
	"fmt"

	flatbuffers "github.com/google/flatbuffers/go"
)

// fileIdentifier is the schema's file_identifier, stored at bytes 4..7.
const fileIdentifier = "TFL3"

// Field indices of the schema tables Parse decodes, in declaration order
// (a union takes two: its type tag, then its value).
const (
	modelVersion       = 0
	modelOperatorCodes = 1
	modelSubgraphs     = 2
	modelDescription   = 3
	modelBuffers       = 4
	modelMetadata      = 6

	opcodeDeprecatedBuiltin = 0
	opcodeCustomCode        = 1
	opcodeVersion           = 2
	opcodeBuiltin           = 3

	subgraphTensors   = 0
	subgraphInputs    = 1
	subgraphOutputs   = 2
	subgraphOperators = 3
	subgraphName      = 4

	tensorShape          = 0
	tensorType           = 1
	tensorBuffer         = 2
	tensorName           = 3
	tensorQuantization   = 4
	tensorIsVariable     = 5
	tensorShapeSignature = 7

	quantMin       = 0
	quantMax       = 1
	quantScale     = 2
	quantZeroPoint = 3
	quantDimension = 6

	operatorOpcodeIndex       = 0
	operatorInputs            = 1
	operatorOutputs           = 2
	operatorBuiltinOptions    = 3 // union: tag 3, table 4
	operatorCustomOptions     = 5
	operatorIntermediates     = 8
	operatorLargeCustomOffset = 9
	operatorLargeCustomSize   = 10
	operatorBuiltinOptions2   = 11 // union: tag 11, table 12
	bufferData                = 0
	bufferOffset              = 1
	bufferSize                = 2
	metadataName              = 0
	metadataBuffer            = 1
)

// Parse decodes a .tflite model. data must hold the whole file; the Model's
// byte slices (Raw, Buffer.Data, Operator.CustomOptions and option tables)
// point into it.
//
// Besides the file layout, Parse checks the indices the model holds: every
// operator's opcode index names an operator code, every tensor index of an
// operator or subgraph names a tensor of its subgraph (operator inputs may
// be -1, an omitted optional input), and every tensor and metadata buffer
// index names a buffer. Errors are *FormatError values.
//
// The schema's "TFL3" file identifier at byte 4 is not required: TFLM's
// GetModel reads any flatbuffer root, and some generators write none. A
// file without it is read when it decodes as a Model with at least one
// subgraph, and the Model then carries a warning saying so (see
// Model.Warnings); otherwise it is refused as not a .tflite model, naming
// the missing identifier, so that a wrong file type does not fail deep in
// the flatbuffer with a confusing error.
func Parse(data []byte) (*Model, error) {
	switch {
	case len(data) == 0:
		return nil, errorAt(0, "not a .tflite model: empty file")
	case len(data) < 8:
		return nil, errorAt(0, "not a .tflite model: %d bytes is too short", len(data))
	case !flatbuffers.BufferHasIdentifier(data, fileIdentifier):
		m, err := parseRoot(data)
		var fe *FormatError
		switch {
		case errors.As(err, &fe):
			return nil, errorAt(int(fe.Offset), "not a .tflite model: missing %s identifier, and not a Model flatbuffer: %s", fileIdentifier, fe.Msg)
		case err != nil:
			return nil, fmt.Errorf("not a .tflite model: missing %s identifier, and not a Model flatbuffer: %w", fileIdentifier, err)
		case len(m.Subgraphs) == 0:
			return nil, errorAt(4, "not a .tflite model: missing %s identifier, and no subgraph", fileIdentifier)
		}
		m.Warnings = append(m.Warnings, fmt.Sprintf("no %s file identifier; read as a Model flatbuffer, as TFLM does", fileIdentifier))
		return m, nil
	}
	return parseRoot(data)
}

// parseRoot decodes the Model table at the file's root offset.
func parseRoot(data []byte) (*Model, error) {
	root, err := newTable(data, int(flatbuffers.GetUint32(data)))
	if err != nil {
		return nil, within(err, "model")
	}
	// Flatbuffers may share a vector or table between several parents, so a
	// small hostile file could make the decoder copy one long vector
	// millions of times. Charging every vector's bytes to a budget a few
	// times the file size keeps decoding linear in the file.
	budget := decodeBudget(len(data))
	root.budget = &budget
	m := &Model{Raw: data}
	if m.Version, err = root.Uint32(modelVersion, 0); err != nil {
		return nil, within(err, "model version")
	}
	if m.Description, err = root.String(modelDescription); err != nil {
		return nil, within(err, "model description")
	}
	if m.OpCodes, err = decodeVector(root, modelOperatorCodes, "operator code", decodeOpCode); err != nil {
		return nil, err
	}
	if m.Buffers, err = decodeVector(root, modelBuffers, "buffer", func(t Table) (Buffer, error) {
		return decodeBuffer(data, t)
	}); err != nil {
		return nil, err
	}
	if m.Metadata, err = decodeVector(root, modelMetadata, "metadata", decodeMetadata); err != nil {
		return nil, err
	}
	for i, md := range m.Metadata {
		if int64(md.Buffer) >= int64(len(m.Buffers)) {
			return nil, errorAt(int(root.Offset()), "metadata %d (%q): buffer %d does not exist (%d buffers)", i, md.Name, md.Buffer, len(m.Buffers))
		}
	}
	d := decoder{file: data, opcodes: len(m.OpCodes), buffers: len(m.Buffers)}
	if m.Subgraphs, err = decodeVector(root, modelSubgraphs, "subgraph", d.subgraph); err != nil {
		return nil, err
	}
	return m, nil
}

// decodeBudget is how many vector bytes Parse may decode from a file of n
// bytes: a real model reads each vector once, so twice the file is ample.
func decodeBudget(n int) int64 { return 2*int64(n) + 64<<10 }

// decodeVector decodes the vector of tables in field of t with decode,
// naming each element what and its index in errors.
func decodeVector[T any](t Table, field int, what string, decode func(Table) (T, error)) ([]T, error) {
	vec, err := t.Tables(field)
	if err != nil {
		return nil, within(err, "%s vector", what)
	}
	if vec.Len() == 0 {
		return nil, nil
	}
	out := make([]T, vec.Len())
	for i := range out {
		elem, err := vec.At(i)
		if err == nil {
			out[i], err = decode(elem)
		}
		if err != nil {
			return nil, within(err, "%s %d", what, i)
		}
	}
	return out, nil
}

func decodeOpCode(t Table) (OpCode, error) {
	deprecated, err := t.Int8(opcodeDeprecatedBuiltin, 0)
	if err != nil {
		return OpCode{}, within(err, "deprecated_builtin_code")
	}
	builtin, err := t.Int32(opcodeBuiltin, 0)
	if err != nil {
		return OpCode{}, within(err, "builtin_code")
	}
	custom, err := t.String(opcodeCustomCode)
	if err != nil {
		return OpCode{}, within(err, "custom_code")
	}
	version, err := t.Int32(opcodeVersion, 1)
	if err != nil {
		return OpCode{}, within(err, "version")
	}
	return OpCode{Builtin: BuiltinOp(max(int32(deprecated), builtin)), Custom: custom, Version: version}, nil
}

func decodeBuffer(file []byte, t Table) (Buffer, error) {
	var b Buffer
	var err error
	if b.Data, err = t.Bytes(bufferData); err != nil {
		return Buffer{}, within(err, "data")
	}
	if b.Offset, err = t.Uint64(bufferOffset, 0); err != nil {
		return Buffer{}, within(err, "offset")
	}
	if b.Size, err = t.Uint64(bufferSize, 0); err != nil {
		return Buffer{}, within(err, "size")
	}
	if b.Data == nil && b.Offset > 1 {
		// The schema stores data of models over 2 GB after the flatbuffer,
		// at offset from the start of the file; offsets 0 and 1 mean none.
		if b.Data, err = sliceFile(file, b.Offset, b.Size); err != nil {
			return Buffer{}, within(err, "data at offset %d", b.Offset)
		}
	}
	return b, nil
}

// sliceFile returns size bytes of file at offset, if they are inside it.
func sliceFile(file []byte, offset, size uint64) ([]byte, error) {
	if offset > uint64(len(file)) || size > uint64(len(file))-offset {
		return nil, errorAt(len(file), "%d bytes at offset %d run past the end of the %d-byte file", size, offset, len(file))
	}
	return file[offset : offset+size : offset+size], nil
}

func decodeMetadata(t Table) (Metadata, error) {
	name, err := t.String(metadataName)
	if err != nil {
		return Metadata{}, within(err, "name")
	}
	buffer, err := t.Uint32(metadataBuffer, 0)
	if err != nil {
		return Metadata{}, within(err, "buffer")
	}
	return Metadata{Name: name, Buffer: buffer}, nil
}

// decoder decodes subgraphs, checking the indices they hold against the
// model's operator codes and buffers.
type decoder struct {
	file             []byte
	opcodes, buffers int
}

func (d decoder) subgraph(t Table) (Subgraph, error) {
	var s Subgraph
	var err error
	if s.Name, err = t.String(subgraphName); err != nil {
		return Subgraph{}, within(err, "name")
	}
	if s.Inputs, err = t.Int32s(subgraphInputs); err != nil {
		return Subgraph{}, within(err, "inputs")
	}
	if s.Outputs, err = t.Int32s(subgraphOutputs); err != nil {
		return Subgraph{}, within(err, "outputs")
	}
	if s.Tensors, err = decodeVector(t, subgraphTensors, "tensor", d.tensor); err != nil {
		return Subgraph{}, err
	}
	n := len(s.Tensors)
	if err := checkTensorIndices(t, s.Inputs, n, false); err != nil {
		return Subgraph{}, within(err, "inputs")
	}
	if err := checkTensorIndices(t, s.Outputs, n, false); err != nil {
		return Subgraph{}, within(err, "outputs")
	}
	operator := func(t Table) (Operator, error) { return d.operator(t, n) }
	if s.Operators, err = decodeVector(t, subgraphOperators, "operator", operator); err != nil {
		return Subgraph{}, err
	}
	return s, nil
}

func (d decoder) tensor(t Table) (Tensor, error) {
	var x Tensor
	var err error
	if x.Name, err = t.String(tensorName); err != nil {
		return Tensor{}, within(err, "name")
	}
	if x.Shape, err = t.Int32s(tensorShape); err != nil {
		return Tensor{}, within(err, "shape")
	}
	if x.ShapeSignature, err = t.Int32s(tensorShapeSignature); err != nil {
		return Tensor{}, within(err, "shape_signature")
	}
	typ, err := t.Int8(tensorType, 0)
	if err != nil {
		return Tensor{}, within(err, "type")
	}
	x.Type = TensorType(typ)
	if x.Buffer, err = t.Uint32(tensorBuffer, 0); err != nil {
		return Tensor{}, within(err, "buffer")
	}
	if x.Buffer != 0 && int64(x.Buffer) >= int64(d.buffers) {
		return Tensor{}, errorAt(int(t.Offset()), "buffer %d does not exist (%d buffers)", x.Buffer, d.buffers)
	}
	if x.IsVariable, err = t.Bool(tensorIsVariable, false); err != nil {
		return Tensor{}, within(err, "is_variable")
	}
	q, err := t.Table(tensorQuantization)
	if err != nil {
		return Tensor{}, within(err, "quantization")
	}
	if x.Quant, err = decodeQuantization(q); err != nil {
		return Tensor{}, within(err, "quantization")
	}
	return x, nil
}

// decodeQuantization returns nil for an absent table or one without scales
// and zero points (converters write an empty table for float tensors).
func decodeQuantization(t Table) (*Quantization, error) {
	if !t.Present() {
		return nil, nil
	}
	var q Quantization
	var err error
	if q.Scale, err = t.Float32s(quantScale); err != nil {
		return nil, within(err, "scale")
	}
	if q.ZeroPoint, err = t.Int64s(quantZeroPoint); err != nil {
		return nil, within(err, "zero_point")
	}
	if q.Min, err = t.Float32s(quantMin); err != nil {
		return nil, within(err, "min")
	}
	if q.Max, err = t.Float32s(quantMax); err != nil {
		return nil, within(err, "max")
	}
	if q.QuantizedDimension, err = t.Int32(quantDimension, 0); err != nil {
		return nil, within(err, "quantized_dimension")
	}
	if q.Scale == nil && q.ZeroPoint == nil && q.Min == nil && q.Max == nil {
		return nil, nil
	}
	return &q, nil
}

// operator decodes an operator of a subgraph with tensors tensors.
func (d decoder) operator(t Table, tensors int) (Operator, error) {
	var op Operator
	var err error
	if op.OpcodeIndex, err = t.Uint32(operatorOpcodeIndex, 0); err != nil {
		return Operator{}, within(err, "opcode_index")
	}
	if int64(op.OpcodeIndex) >= int64(d.opcodes) {
		return Operator{}, errorAt(int(t.Offset()), "opcode index %d does not exist (%d operator codes)", op.OpcodeIndex, d.opcodes)
	}
	for _, list := range []struct {
		name     string
		field    int
		indices  *[]int32
		optional bool
	}{
		{"inputs", operatorInputs, &op.Inputs, true},
		{"outputs", operatorOutputs, &op.Outputs, false},
		{"intermediates", operatorIntermediates, &op.Intermediates, false},
	} {
		if *list.indices, err = t.Int32s(list.field); err != nil {
			return Operator{}, within(err, "%s", list.name)
		}
		if err := checkTensorIndices(t, *list.indices, tensors, list.optional); err != nil {
			return Operator{}, within(err, "%s", list.name)
		}
	}
	if op.BuiltinOptionsType, op.BuiltinOptions, err = t.Union(operatorBuiltinOptions); err != nil {
		return Operator{}, within(err, "builtin_options")
	}
	if op.BuiltinOptions2Type, op.BuiltinOptions2, err = t.Union(operatorBuiltinOptions2); err != nil {
		return Operator{}, within(err, "builtin_options_2")
	}
	// Options are read after Parse returns, on demand: not from its budget.
	op.BuiltinOptions.budget, op.BuiltinOptions2.budget = nil, nil
	if op.CustomOptions, err = t.Bytes(operatorCustomOptions); err != nil {
		return Operator{}, within(err, "custom_options")
	}
	if op.CustomOptions == nil {
		// Like buffers, custom options of models over 2 GB live after the
		// flatbuffer; offsets 0 and 1 mean none.
		offset, err := t.Uint64(operatorLargeCustomOffset, 0)
		if err != nil {
			return Operator{}, within(err, "large_custom_options_offset")
		}
		size, err := t.Uint64(operatorLargeCustomSize, 0)
		if err != nil {
			return Operator{}, within(err, "large_custom_options_size")
		}
		if offset > 1 {
			if op.CustomOptions, err = sliceFile(d.file, offset, size); err != nil {
				return Operator{}, within(err, "large custom options")
			}
		}
	}
	return op, nil
}

// checkTensorIndices checks that every index in indices, read from table t,
// is in [0, n), or -1 when optional inputs are allowed.
func checkTensorIndices(t Table, indices []int32, n int, optional bool) error {
	for _, i := range indices {
		if i == -1 && optional {
			continue
		}
		if i < 0 || int64(i) >= int64(n) {
			return errorAt(int(t.Offset()), "tensor %d does not exist (%d tensors)", i, n)
		}
	}
	return nil
}
