package tflite

// Options of the operators beyond the convolution, pooling and arithmetic
// core: the rest of what TFLM's op resolver offers (gather, pack, split,
// resize, batch matmul, arg min/max, control flow, resource variables).

// Builtin options union tags of these operators.
const (
	OptionsL2Norm                uint8 = 12
	OptionsResizeBilinear        uint8 = 15
	OptionsSpaceToDepth          uint8 = 19
	OptionsGather                uint8 = 23
	OptionsTranspose             uint8 = 26
	OptionsSqueeze               uint8 = 30
	OptionsSplit                 uint8 = 35
	OptionsArgMax                uint8 = 40
	OptionsShape                 uint8 = 55
	OptionsArgMin                uint8 = 57
	OptionsPack                  uint8 = 59
	OptionsUnpack                uint8 = 64
	OptionsResizeNearestNeighbor uint8 = 74
	OptionsMirrorPad             uint8 = 77
	OptionsSplitV                uint8 = 79
	OptionsGatherNd              uint8 = 83
	OptionsDepthToSpace          uint8 = 94
	OptionsBatchMatMul           uint8 = 101
	OptionsCumsum                uint8 = 102
	OptionsIf                    uint8 = 92
	OptionsWhile                 uint8 = 93
	OptionsCallOnce              uint8 = 103
	OptionsVarHandle             uint8 = 111
)

// GatherOptions are GATHER's options.
type GatherOptions struct {
	Axis      int32
	BatchDims int32
}

// PackOptions are PACK's options: the number of inputs it stacks and the
// new axis.
type PackOptions struct {
	ValuesCount int32
	Axis        int32
}

// UnpackOptions are UNPACK's options: the number of outputs and the axis
// it removes.
type UnpackOptions struct {
	Num  int32
	Axis int32
}

// SplitOptions are the options of SPLIT and SPLIT_V.
type SplitOptions struct {
	NumSplits int32
}

// ResizeOptions are the options of RESIZE_BILINEAR and
// RESIZE_NEAREST_NEIGHBOR.
type ResizeOptions struct {
	AlignCorners     bool
	HalfPixelCenters bool
}

// ShapeOptions are SHAPE's options; OutType is the output's element type
// (0, FLOAT32, when unset: converters leave it to the output tensor).
type ShapeOptions struct {
	OutType TensorType
}

// BatchMatMulOptions are BATCH_MATMUL's options: whether each operand is
// read transposed (adjoint).
type BatchMatMulOptions struct {
	AdjX, AdjY               bool
	AsymmetricQuantizeInputs bool
}

// ArgMinMaxOptions are the options of ARG_MAX and ARG_MIN.
type ArgMinMaxOptions struct {
	OutputType TensorType
}

// L2NormOptions are L2_NORMALIZATION's options (TFLite ignores the
// activation).
type L2NormOptions struct {
	Activation ActivationFunctionType
}

// SqueezeOptions are SQUEEZE's options.
type SqueezeOptions struct {
	SqueezeDims []int32
}

// MirrorPadOptions are MIRROR_PAD's options: Mode 0 is REFLECT (borders
// not repeated), 1 SYMMETRIC.
type MirrorPadOptions struct {
	Mode int8
}

// CumsumOptions are CUMSUM's options.
type CumsumOptions struct {
	Exclusive, Reverse bool
}

// BlockSizeOptions are the options of DEPTH_TO_SPACE and SPACE_TO_DEPTH.
type BlockSizeOptions struct {
	BlockSize int32
}

// IfOptions are IF's options: the subgraphs of its two branches.
type IfOptions struct {
	ThenSubgraph, ElseSubgraph int32
}

// WhileOptions are WHILE's options: its condition and body subgraphs.
type WhileOptions struct {
	CondSubgraph, BodySubgraph int32
}

// CallOnceOptions are CALL_ONCE's options: the subgraph it runs once.
type CallOnceOptions struct {
	InitSubgraph int32
}

// VarHandleOptions are VAR_HANDLE's options, which name the resource
// variable.
type VarHandleOptions struct {
	Container, SharedName string
}

// GatherOptions decodes the operator's GatherOptions.
func (op Operator) GatherOptions() (GatherOptions, error) {
	r, err := op.options(OptionsGather, "GatherOptions")
	if err != nil {
		return GatherOptions{}, err
	}
	o := GatherOptions{Axis: r.int32(0, 0), BatchDims: r.int32(1, 0)}
	return o, r.err
}

// GatherNdOptions checks that the operator's options are GatherNdOptions
// (or none); the table has no fields.
func (op Operator) GatherNdOptions() error {
	_, err := op.options(OptionsGatherNd, "GatherNdOptions")
	return err
}

// TransposeOptions checks that the operator's options are
// TransposeOptions (or none); the table has no fields.
func (op Operator) TransposeOptions() error {
	_, err := op.options(OptionsTranspose, "TransposeOptions")
	return err
}

// PackOptions decodes the operator's PackOptions.
func (op Operator) PackOptions() (PackOptions, error) {
	r, err := op.options(OptionsPack, "PackOptions")
	if err != nil {
		return PackOptions{}, err
	}
	o := PackOptions{ValuesCount: r.int32(0, 0), Axis: r.int32(1, 0)}
	return o, r.err
}

// UnpackOptions decodes the operator's UnpackOptions.
func (op Operator) UnpackOptions() (UnpackOptions, error) {
	r, err := op.options(OptionsUnpack, "UnpackOptions")
	if err != nil {
		return UnpackOptions{}, err
	}
	o := UnpackOptions{Num: r.int32(0, 0), Axis: r.int32(1, 0)}
	return o, r.err
}

// SplitOptions decodes the operator's SplitOptions.
func (op Operator) SplitOptions() (SplitOptions, error) {
	r, err := op.options(OptionsSplit, "SplitOptions")
	if err != nil {
		return SplitOptions{}, err
	}
	o := SplitOptions{NumSplits: r.int32(0, 0)}
	return o, r.err
}

// SplitVOptions decodes the operator's SplitVOptions.
func (op Operator) SplitVOptions() (SplitOptions, error) {
	r, err := op.options(OptionsSplitV, "SplitVOptions")
	if err != nil {
		return SplitOptions{}, err
	}
	o := SplitOptions{NumSplits: r.int32(0, 0)}
	return o, r.err
}

// ResizeBilinearOptions decodes the operator's ResizeBilinearOptions (its
// first two fields are deprecated).
func (op Operator) ResizeBilinearOptions() (ResizeOptions, error) {
	r, err := op.options(OptionsResizeBilinear, "ResizeBilinearOptions")
	if err != nil {
		return ResizeOptions{}, err
	}
	o := ResizeOptions{AlignCorners: r.bool(2, false), HalfPixelCenters: r.bool(3, false)}
	return o, r.err
}

// ResizeNearestNeighborOptions decodes the operator's
// ResizeNearestNeighborOptions.
func (op Operator) ResizeNearestNeighborOptions() (ResizeOptions, error) {
	r, err := op.options(OptionsResizeNearestNeighbor, "ResizeNearestNeighborOptions")
	if err != nil {
		return ResizeOptions{}, err
	}
	o := ResizeOptions{AlignCorners: r.bool(0, false), HalfPixelCenters: r.bool(1, false)}
	return o, r.err
}

// ShapeOptions decodes the operator's ShapeOptions.
func (op Operator) ShapeOptions() (ShapeOptions, error) {
	r, err := op.options(OptionsShape, "ShapeOptions")
	if err != nil {
		return ShapeOptions{}, err
	}
	o := ShapeOptions{OutType: r.tensorType(0)}
	return o, r.err
}

// BatchMatMulOptions decodes the operator's BatchMatMulOptions.
func (op Operator) BatchMatMulOptions() (BatchMatMulOptions, error) {
	r, err := op.options(OptionsBatchMatMul, "BatchMatMulOptions")
	if err != nil {
		return BatchMatMulOptions{}, err
	}
	o := BatchMatMulOptions{AdjX: r.bool(0, false), AdjY: r.bool(1, false), AsymmetricQuantizeInputs: r.bool(2, false)}
	return o, r.err
}

// ArgMaxOptions decodes the operator's ArgMaxOptions.
func (op Operator) ArgMaxOptions() (ArgMinMaxOptions, error) {
	r, err := op.options(OptionsArgMax, "ArgMaxOptions")
	if err != nil {
		return ArgMinMaxOptions{}, err
	}
	o := ArgMinMaxOptions{OutputType: r.tensorType(0)}
	return o, r.err
}

// ArgMinOptions decodes the operator's ArgMinOptions.
func (op Operator) ArgMinOptions() (ArgMinMaxOptions, error) {
	r, err := op.options(OptionsArgMin, "ArgMinOptions")
	if err != nil {
		return ArgMinMaxOptions{}, err
	}
	o := ArgMinMaxOptions{OutputType: r.tensorType(0)}
	return o, r.err
}

// L2NormOptions decodes the operator's L2NormOptions.
func (op Operator) L2NormOptions() (L2NormOptions, error) {
	r, err := op.options(OptionsL2Norm, "L2NormOptions")
	if err != nil {
		return L2NormOptions{}, err
	}
	o := L2NormOptions{Activation: r.activation(0, ActivationNone)}
	return o, r.err
}

// SqueezeOptions decodes the operator's SqueezeOptions.
func (op Operator) SqueezeOptions() (SqueezeOptions, error) {
	r, err := op.options(OptionsSqueeze, "SqueezeOptions")
	if err != nil {
		return SqueezeOptions{}, err
	}
	o := SqueezeOptions{SqueezeDims: r.int32s(0)}
	return o, r.err
}

// MirrorPadOptions decodes the operator's MirrorPadOptions.
func (op Operator) MirrorPadOptions() (MirrorPadOptions, error) {
	r, err := op.options(OptionsMirrorPad, "MirrorPadOptions")
	if err != nil {
		return MirrorPadOptions{}, err
	}
	o := MirrorPadOptions{Mode: r.int8(0, 0)}
	return o, r.err
}

// CumsumOptions decodes the operator's CumsumOptions.
func (op Operator) CumsumOptions() (CumsumOptions, error) {
	r, err := op.options(OptionsCumsum, "CumsumOptions")
	if err != nil {
		return CumsumOptions{}, err
	}
	o := CumsumOptions{Exclusive: r.bool(0, false), Reverse: r.bool(1, false)}
	return o, r.err
}

// DepthToSpaceOptions decodes the operator's DepthToSpaceOptions.
func (op Operator) DepthToSpaceOptions() (BlockSizeOptions, error) {
	r, err := op.options(OptionsDepthToSpace, "DepthToSpaceOptions")
	if err != nil {
		return BlockSizeOptions{}, err
	}
	o := BlockSizeOptions{BlockSize: r.int32(0, 0)}
	return o, r.err
}

// SpaceToDepthOptions decodes the operator's SpaceToDepthOptions.
func (op Operator) SpaceToDepthOptions() (BlockSizeOptions, error) {
	r, err := op.options(OptionsSpaceToDepth, "SpaceToDepthOptions")
	if err != nil {
		return BlockSizeOptions{}, err
	}
	o := BlockSizeOptions{BlockSize: r.int32(0, 0)}
	return o, r.err
}

// IfOptions decodes the operator's IfOptions.
func (op Operator) IfOptions() (IfOptions, error) {
	r, err := op.options(OptionsIf, "IfOptions")
	if err != nil {
		return IfOptions{}, err
	}
	o := IfOptions{ThenSubgraph: r.int32(0, 0), ElseSubgraph: r.int32(1, 0)}
	return o, r.err
}

// WhileOptions decodes the operator's WhileOptions.
func (op Operator) WhileOptions() (WhileOptions, error) {
	r, err := op.options(OptionsWhile, "WhileOptions")
	if err != nil {
		return WhileOptions{}, err
	}
	o := WhileOptions{CondSubgraph: r.int32(0, 0), BodySubgraph: r.int32(1, 0)}
	return o, r.err
}

// CallOnceOptions decodes the operator's CallOnceOptions.
func (op Operator) CallOnceOptions() (CallOnceOptions, error) {
	r, err := op.options(OptionsCallOnce, "CallOnceOptions")
	if err != nil {
		return CallOnceOptions{}, err
	}
	o := CallOnceOptions{InitSubgraph: r.int32(0, 0)}
	return o, r.err
}

// VarHandleOptions decodes the operator's VarHandleOptions.
func (op Operator) VarHandleOptions() (VarHandleOptions, error) {
	r, err := op.options(OptionsVarHandle, "VarHandleOptions")
	if err != nil {
		return VarHandleOptions{}, err
	}
	container, err := r.t.String(0)
	r.keep(0, err)
	name, err := r.t.String(1)
	r.keep(1, err)
	return VarHandleOptions{Container: container, SharedName: name}, r.err
}
