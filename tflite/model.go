// Package tflite reads TensorFlow Lite flatbuffer models (.tflite) into a
// small typed model: subgraphs, tensors, operators, buffers and metadata.
//
// Only the fields that footprint needs are decoded. Every offset and length
// is bounds-checked before use, so a hostile file yields an error, never a
// panic or an allocation larger than the file itself.
//
// SetMetadata writes one metadata entry into a model, leaving every other
// byte of the file as it was, so that a plan footprint computes can travel
// in the model to stock TFLM.
package tflite

// TensorType is the element type of a tensor, numbered as in the .tflite
// schema's TensorType enum.
type TensorType int8

// Tensor types, numbered as in the schema's TensorType enum.
const (
	Float32      TensorType = 0
	Float16      TensorType = 1
	Int32        TensorType = 2
	Uint8        TensorType = 3
	Int64        TensorType = 4
	String       TensorType = 5
	Bool         TensorType = 6
	Int16        TensorType = 7
	Complex64    TensorType = 8
	Int8         TensorType = 9
	Float64      TensorType = 10
	Complex128   TensorType = 11
	Uint64       TensorType = 12
	Resource     TensorType = 13
	Variant      TensorType = 14
	Uint32       TensorType = 15
	Uint16       TensorType = 16
	Int4         TensorType = 17
	BFloat16     TensorType = 18
	Int2         TensorType = 19
	Uint4        TensorType = 20
	Float8E4M3FN TensorType = 21
	Float8E5M2   TensorType = 22
)

// Model is a decoded .tflite file.
type Model struct {
	Version     uint32
	Description string
	OpCodes     []OpCode
	Subgraphs   []Subgraph
	Buffers     []Buffer
	Metadata    []Metadata
	// Raw is the whole file; Buffer data and metadata slices point into it.
	Raw []byte
	// Warnings are one-line notes on a file Parse read although it departs
	// from the schema's conventions (no TFL3 file identifier), for the
	// caller to show.
	Warnings []string
}

// OpCode is one entry of the model's operator_codes table.
type OpCode struct {
	// Builtin is the effective builtin operator code: the larger of
	// deprecated_builtin_code and builtin_code, as the schema prescribes.
	Builtin BuiltinOp
	// Custom is the custom_code for CUSTOM operators, "" otherwise.
	Custom  string
	Version int32
}

// Subgraph is one graph of the model; Subgraphs[0] is the main graph.
type Subgraph struct {
	Name      string
	Tensors   []Tensor
	Inputs    []int32
	Outputs   []int32
	Operators []Operator
}

// Tensor describes one tensor of a subgraph.
type Tensor struct {
	Name           string
	Shape          []int32
	ShapeSignature []int32
	Type           TensorType
	Buffer         uint32 // index into Model.Buffers; 0 is the empty sentinel buffer
	IsVariable     bool
	Quant          *Quantization // nil when the tensor is not quantised
}

// Quantization holds affine quantisation parameters; per-channel when
// len(Scale) > 1, along QuantizedDimension.
type Quantization struct {
	Scale              []float32
	ZeroPoint          []int64
	Min, Max           []float32
	QuantizedDimension int32
}

// Operator is one node of a subgraph.
type Operator struct {
	OpcodeIndex   uint32
	Inputs        []int32 // -1 marks an omitted optional input
	Outputs       []int32
	Intermediates []int32
	// BuiltinOptionsType is the schema's BuiltinOptions union tag (0 = none).
	BuiltinOptionsType uint8
	// BuiltinOptions is the raw options table, decoded on demand by the
	// typed accessors in options.go.
	BuiltinOptions Table
	// BuiltinOptions2Type and BuiltinOptions2 hold the second options union
	// (schema field builtin_options_2) used by newer ops such as STABLEHLO_*.
	BuiltinOptions2Type uint8
	BuiltinOptions2     Table
	CustomOptions       []byte
}

// Buffer is one entry of the model's buffers table. Data is nil for an empty
// buffer. For models larger than 2 GB the data lives after the flatbuffer at
// Offset/Size; Data then points there too.
type Buffer struct {
	Data   []byte
	Offset uint64
	Size   uint64
}

// Metadata names a buffer, e.g. "OfflineMemoryAllocation" or "min_runtime_version".
type Metadata struct {
	Name   string
	Buffer uint32
}
