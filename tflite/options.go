package tflite

import "fmt"

// Builtin options union tags (Operator.BuiltinOptionsType), numbered as the
// schema's BuiltinOptions union lists its tables (0 is NONE).
const (
	OptionsConv2D                     uint8 = 1
	OptionsDepthwiseConv2D            uint8 = 2
	OptionsPool2D                     uint8 = 5
	OptionsSVDF                       uint8 = 6
	OptionsFullyConnected             uint8 = 8
	OptionsSoftmax                    uint8 = 9
	OptionsConcatenation              uint8 = 10
	OptionsAdd                        uint8 = 11
	OptionsReshape                    uint8 = 17
	OptionsMul                        uint8 = 21
	OptionsPad                        uint8 = 22
	OptionsReducer                    uint8 = 27
	OptionsSub                        uint8 = 28
	OptionsDiv                        uint8 = 29
	OptionsStridedSlice               uint8 = 32
	OptionsCast                       uint8 = 37
	OptionsTransposeConv              uint8 = 49
	OptionsUnidirectionalSequenceLSTM uint8 = 71
	OptionsLeakyRelu                  uint8 = 75
)

// Padding is the schema's Padding enum.
type Padding int8

// Paddings of convolutions and pools.
const (
	PaddingSame  Padding = 0
	PaddingValid Padding = 1
)

func (p Padding) String() string {
	switch p {
	case PaddingSame:
		return "SAME"
	case PaddingValid:
		return "VALID"
	}
	return fmt.Sprintf("PADDING_%d", int8(p))
}

// ActivationFunctionType is the schema's fused activation enum.
type ActivationFunctionType int8

// Fused activations.
const (
	ActivationNone      ActivationFunctionType = 0
	ActivationRelu      ActivationFunctionType = 1
	ActivationReluN1To1 ActivationFunctionType = 2
	ActivationRelu6     ActivationFunctionType = 3
	ActivationTanh      ActivationFunctionType = 4
	ActivationSignBit   ActivationFunctionType = 5
)

func (a ActivationFunctionType) String() string {
	switch a {
	case ActivationNone:
		return "NONE"
	case ActivationRelu:
		return "RELU"
	case ActivationReluN1To1:
		return "RELU_N1_TO_1"
	case ActivationRelu6:
		return "RELU6"
	case ActivationTanh:
		return "TANH"
	case ActivationSignBit:
		return "SIGN_BIT"
	}
	return fmt.Sprintf("ACTIVATION_%d", int8(a))
}

// Conv2DOptions are CONV_2D's options.
type Conv2DOptions struct {
	Padding           Padding
	StrideW, StrideH  int32
	Activation        ActivationFunctionType
	DilationWFactor   int32
	DilationHFactor   int32
	QuantizedBiasType TensorType
}

// DepthwiseConv2DOptions are DEPTHWISE_CONV_2D's options.
type DepthwiseConv2DOptions struct {
	Padding          Padding
	StrideW, StrideH int32
	DepthMultiplier  int32
	Activation       ActivationFunctionType
	DilationWFactor  int32
	DilationHFactor  int32
}

// Pool2DOptions are the options of AVERAGE_POOL_2D, MAX_POOL_2D and L2_POOL_2D.
type Pool2DOptions struct {
	Padding                   Padding
	StrideW, StrideH          int32
	FilterWidth, FilterHeight int32
	Activation                ActivationFunctionType
}

// SVDFOptions are SVDF's options.
type SVDFOptions struct {
	Rank                     int32
	Activation               ActivationFunctionType
	AsymmetricQuantizeInputs bool
}

// FullyConnectedOptions are FULLY_CONNECTED's options. WeightsFormat is 0
// (DEFAULT) or 1 (SHUFFLED4x16INT8).
type FullyConnectedOptions struct {
	Activation               ActivationFunctionType
	WeightsFormat            int8
	KeepNumDims              bool
	AsymmetricQuantizeInputs bool
	QuantizedBiasType        TensorType
}

// SoftmaxOptions are SOFTMAX's options.
type SoftmaxOptions struct {
	Beta float32
}

// ConcatenationOptions are CONCATENATION's options.
type ConcatenationOptions struct {
	Axis       int32
	Activation ActivationFunctionType
}

// AddOptions are ADD's options.
type AddOptions struct {
	Activation    ActivationFunctionType
	PotScaleInt16 bool
}

// SubOptions are SUB's options.
type SubOptions struct {
	Activation    ActivationFunctionType
	PotScaleInt16 bool
}

// MulOptions are MUL's options.
type MulOptions struct {
	Activation ActivationFunctionType
}

// DivOptions are DIV's options.
type DivOptions struct {
	Activation ActivationFunctionType
}

// ReshapeOptions are RESHAPE's options; NewShape is nil when the new shape
// comes from the second input instead.
type ReshapeOptions struct {
	NewShape []int32
}

// StridedSliceOptions are STRIDED_SLICE's options.
type StridedSliceOptions struct {
	BeginMask, EndMask, EllipsisMask, NewAxisMask, ShrinkAxisMask int32
	// Offset means the end tensor is an offset from the begin tensor.
	Offset bool
}

// LeakyReluOptions are LEAKY_RELU's options.
type LeakyReluOptions struct {
	Alpha float32
}

// TransposeConvOptions are TRANSPOSE_CONV's options.
type TransposeConvOptions struct {
	Padding           Padding
	StrideW, StrideH  int32
	Activation        ActivationFunctionType
	QuantizedBiasType TensorType
}

// ReducerOptions are the options of MEAN, SUM and the REDUCE_* operators.
type ReducerOptions struct {
	KeepDims bool
}

// UnidirectionalSequenceLSTMOptions are UNIDIRECTIONAL_SEQUENCE_LSTM's
// options; a clip of 0 means no clipping.
type UnidirectionalSequenceLSTMOptions struct {
	Activation               ActivationFunctionType
	CellClip, ProjClip       float32
	TimeMajor                bool
	AsymmetricQuantizeInputs bool
	DiagonalRecurrentTensors bool
}

// PadOptions are PAD's options, a table without fields.
type PadOptions struct{}

// CastOptions are CAST's options (both types are often left unset, 0).
type CastOptions struct {
	InDataType, OutDataType TensorType
}

// options returns op's builtin options table after checking that its union
// tag is tag. An operator without options (tag NONE) yields the zero Table,
// from which every field reads as the schema's default, as TFLite does.
func (op Operator) options(tag uint8, name string) (fieldReader, error) {
	if op.BuiltinOptionsType != tag && op.BuiltinOptionsType != 0 {
		return fieldReader{}, fmt.Errorf("tflite: operator's builtin options have union type %d, not %s (%d)", op.BuiltinOptionsType, name, tag)
	}
	return fieldReader{t: op.BuiltinOptions, name: name}, nil
}

// fieldReader reads fields of one options table, keeping the first error
// so that a struct can be filled field by field.
type fieldReader struct {
	t    Table
	name string
	err  error
}

func (r *fieldReader) keep(field int, err error) {
	if err != nil && r.err == nil {
		r.err = within(err, "%s field %d", r.name, field)
	}
}

func (r *fieldReader) int32(field int, def int32) int32 {
	v, err := r.t.Int32(field, def)
	r.keep(field, err)
	return v
}

func (r *fieldReader) int8(field int, def int8) int8 {
	v, err := r.t.Int8(field, def)
	r.keep(field, err)
	return v
}

func (r *fieldReader) bool(field int, def bool) bool {
	v, err := r.t.Bool(field, def)
	r.keep(field, err)
	return v
}

func (r *fieldReader) float32(field int, def float32) float32 {
	v, err := r.t.Float32(field, def)
	r.keep(field, err)
	return v
}

func (r *fieldReader) int32s(field int) []int32 {
	v, err := r.t.Int32s(field)
	r.keep(field, err)
	return v
}

func (r *fieldReader) padding(field int) Padding { return Padding(r.int8(field, 0)) }

func (r *fieldReader) activation(field int, def ActivationFunctionType) ActivationFunctionType {
	return ActivationFunctionType(r.int8(field, int8(def)))
}

func (r *fieldReader) tensorType(field int) TensorType { return TensorType(r.int8(field, 0)) }

// Conv2DOptions decodes the operator's Conv2DOptions.
func (op Operator) Conv2DOptions() (Conv2DOptions, error) {
	r, err := op.options(OptionsConv2D, "Conv2DOptions")
	if err != nil {
		return Conv2DOptions{}, err
	}
	o := Conv2DOptions{
		Padding:           r.padding(0),
		StrideW:           r.int32(1, 0),
		StrideH:           r.int32(2, 0),
		Activation:        r.activation(3, ActivationNone),
		DilationWFactor:   r.int32(4, 1),
		DilationHFactor:   r.int32(5, 1),
		QuantizedBiasType: r.tensorType(6),
	}
	return o, r.err
}

// DepthwiseConv2DOptions decodes the operator's DepthwiseConv2DOptions.
func (op Operator) DepthwiseConv2DOptions() (DepthwiseConv2DOptions, error) {
	r, err := op.options(OptionsDepthwiseConv2D, "DepthwiseConv2DOptions")
	if err != nil {
		return DepthwiseConv2DOptions{}, err
	}
	o := DepthwiseConv2DOptions{
		Padding:         r.padding(0),
		StrideW:         r.int32(1, 0),
		StrideH:         r.int32(2, 0),
		DepthMultiplier: r.int32(3, 0),
		Activation:      r.activation(4, ActivationNone),
		DilationWFactor: r.int32(5, 1),
		DilationHFactor: r.int32(6, 1),
	}
	return o, r.err
}

// Pool2DOptions decodes the operator's Pool2DOptions.
func (op Operator) Pool2DOptions() (Pool2DOptions, error) {
	r, err := op.options(OptionsPool2D, "Pool2DOptions")
	if err != nil {
		return Pool2DOptions{}, err
	}
	o := Pool2DOptions{
		Padding:      r.padding(0),
		StrideW:      r.int32(1, 0),
		StrideH:      r.int32(2, 0),
		FilterWidth:  r.int32(3, 0),
		FilterHeight: r.int32(4, 0),
		Activation:   r.activation(5, ActivationNone),
	}
	return o, r.err
}

// SVDFOptions decodes the operator's SVDFOptions.
func (op Operator) SVDFOptions() (SVDFOptions, error) {
	r, err := op.options(OptionsSVDF, "SVDFOptions")
	if err != nil {
		return SVDFOptions{}, err
	}
	o := SVDFOptions{
		Rank:                     r.int32(0, 0),
		Activation:               r.activation(1, ActivationNone),
		AsymmetricQuantizeInputs: r.bool(2, false),
	}
	return o, r.err
}

// FullyConnectedOptions decodes the operator's FullyConnectedOptions.
func (op Operator) FullyConnectedOptions() (FullyConnectedOptions, error) {
	r, err := op.options(OptionsFullyConnected, "FullyConnectedOptions")
	if err != nil {
		return FullyConnectedOptions{}, err
	}
	o := FullyConnectedOptions{
		Activation:               r.activation(0, ActivationNone),
		WeightsFormat:            r.int8(1, 0),
		KeepNumDims:              r.bool(2, false),
		AsymmetricQuantizeInputs: r.bool(3, false),
		QuantizedBiasType:        r.tensorType(4),
	}
	return o, r.err
}

// SoftmaxOptions decodes the operator's SoftmaxOptions.
func (op Operator) SoftmaxOptions() (SoftmaxOptions, error) {
	r, err := op.options(OptionsSoftmax, "SoftmaxOptions")
	if err != nil {
		return SoftmaxOptions{}, err
	}
	o := SoftmaxOptions{Beta: r.float32(0, 0)}
	return o, r.err
}

// ConcatenationOptions decodes the operator's ConcatenationOptions.
func (op Operator) ConcatenationOptions() (ConcatenationOptions, error) {
	r, err := op.options(OptionsConcatenation, "ConcatenationOptions")
	if err != nil {
		return ConcatenationOptions{}, err
	}
	o := ConcatenationOptions{Axis: r.int32(0, 0), Activation: r.activation(1, ActivationNone)}
	return o, r.err
}

// AddOptions decodes the operator's AddOptions.
func (op Operator) AddOptions() (AddOptions, error) {
	r, err := op.options(OptionsAdd, "AddOptions")
	if err != nil {
		return AddOptions{}, err
	}
	o := AddOptions{Activation: r.activation(0, ActivationNone), PotScaleInt16: r.bool(1, true)}
	return o, r.err
}

// SubOptions decodes the operator's SubOptions.
func (op Operator) SubOptions() (SubOptions, error) {
	r, err := op.options(OptionsSub, "SubOptions")
	if err != nil {
		return SubOptions{}, err
	}
	o := SubOptions{Activation: r.activation(0, ActivationNone), PotScaleInt16: r.bool(1, true)}
	return o, r.err
}

// MulOptions decodes the operator's MulOptions.
func (op Operator) MulOptions() (MulOptions, error) {
	r, err := op.options(OptionsMul, "MulOptions")
	if err != nil {
		return MulOptions{}, err
	}
	o := MulOptions{Activation: r.activation(0, ActivationNone)}
	return o, r.err
}

// DivOptions decodes the operator's DivOptions.
func (op Operator) DivOptions() (DivOptions, error) {
	r, err := op.options(OptionsDiv, "DivOptions")
	if err != nil {
		return DivOptions{}, err
	}
	o := DivOptions{Activation: r.activation(0, ActivationNone)}
	return o, r.err
}

// ReshapeOptions decodes the operator's ReshapeOptions.
func (op Operator) ReshapeOptions() (ReshapeOptions, error) {
	r, err := op.options(OptionsReshape, "ReshapeOptions")
	if err != nil {
		return ReshapeOptions{}, err
	}
	o := ReshapeOptions{NewShape: r.int32s(0)}
	return o, r.err
}

// StridedSliceOptions decodes the operator's StridedSliceOptions.
func (op Operator) StridedSliceOptions() (StridedSliceOptions, error) {
	r, err := op.options(OptionsStridedSlice, "StridedSliceOptions")
	if err != nil {
		return StridedSliceOptions{}, err
	}
	o := StridedSliceOptions{
		BeginMask:      r.int32(0, 0),
		EndMask:        r.int32(1, 0),
		EllipsisMask:   r.int32(2, 0),
		NewAxisMask:    r.int32(3, 0),
		ShrinkAxisMask: r.int32(4, 0),
		Offset:         r.bool(5, false),
	}
	return o, r.err
}

// LeakyReluOptions decodes the operator's LeakyReluOptions.
func (op Operator) LeakyReluOptions() (LeakyReluOptions, error) {
	r, err := op.options(OptionsLeakyRelu, "LeakyReluOptions")
	if err != nil {
		return LeakyReluOptions{}, err
	}
	o := LeakyReluOptions{Alpha: r.float32(0, 0)}
	return o, r.err
}

// TransposeConvOptions decodes the operator's TransposeConvOptions.
func (op Operator) TransposeConvOptions() (TransposeConvOptions, error) {
	r, err := op.options(OptionsTransposeConv, "TransposeConvOptions")
	if err != nil {
		return TransposeConvOptions{}, err
	}
	o := TransposeConvOptions{
		Padding:           r.padding(0),
		StrideW:           r.int32(1, 0),
		StrideH:           r.int32(2, 0),
		Activation:        r.activation(3, ActivationNone),
		QuantizedBiasType: r.tensorType(4),
	}
	return o, r.err
}

// ReducerOptions decodes the operator's ReducerOptions.
func (op Operator) ReducerOptions() (ReducerOptions, error) {
	r, err := op.options(OptionsReducer, "ReducerOptions")
	if err != nil {
		return ReducerOptions{}, err
	}
	o := ReducerOptions{KeepDims: r.bool(0, false)}
	return o, r.err
}

// UnidirectionalSequenceLSTMOptions decodes the operator's
// UnidirectionalSequenceLSTMOptions.
func (op Operator) UnidirectionalSequenceLSTMOptions() (UnidirectionalSequenceLSTMOptions, error) {
	r, err := op.options(OptionsUnidirectionalSequenceLSTM, "UnidirectionalSequenceLSTMOptions")
	if err != nil {
		return UnidirectionalSequenceLSTMOptions{}, err
	}
	o := UnidirectionalSequenceLSTMOptions{
		Activation:               r.activation(0, ActivationNone),
		CellClip:                 r.float32(1, 0),
		ProjClip:                 r.float32(2, 0),
		TimeMajor:                r.bool(3, false),
		AsymmetricQuantizeInputs: r.bool(4, false),
		DiagonalRecurrentTensors: r.bool(5, false),
	}
	return o, r.err
}

// PadOptions checks that the operator's options are PadOptions (or none).
func (op Operator) PadOptions() (PadOptions, error) {
	_, err := op.options(OptionsPad, "PadOptions")
	return PadOptions{}, err
}

// CastOptions decodes the operator's CastOptions.
func (op Operator) CastOptions() (CastOptions, error) {
	r, err := op.options(OptionsCast, "CastOptions")
	if err != nil {
		return CastOptions{}, err
	}
	o := CastOptions{InDataType: r.tensorType(0), OutDataType: r.tensorType(1)}
	return o, r.err
}
