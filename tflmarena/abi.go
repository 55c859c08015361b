package tflmarena

import (
	"fmt"
	"strings"

	"github.com/footprint-dev/footprint/tflite"
)

// Layout is the size and alignment of one C++ type on a target.
type Layout struct {
	Size  int64
	Align int64
}

// ABI holds every target-dependent number the arena model needs: the
// sizes and alignments of TFLM's structs, of the builtin-options structs the
// flatbuffer parsers allocate, and of each reference kernel's OpData. It is
// data, not code: a new target is a new value.
//
// The figures were measured at tflite-micro 90b983c2b3f1 by compiling
// sizeof/alignof probes against TFLM's own headers with arm-none-eabi-g++
// 12.2 (-mcpu=cortex-m4, GCC's default short enums for arm-none-eabi) and
// host g++ 12.2 (x86-64), and they agree with the `sizeof` fields of the
// oracle measurements in shared/oracle. CortexM's are also checked end to
// end: its estimates equal the used, head, tail and minimum arenas TFLM
// built for a Cortex-M4 measured on every one-operator case of
// testdata/tflm_ops (results_cortex-m4.jsonl, TestTFLMOpsArenaCortexM).
type ABI struct {
	// Name is the CLI name of the target: "cortex-m" or "host64".
	Name string
	// Pointer is sizeof(void*) and sizeof(size_t).
	Pointer Layout

	// Allocator objects TFLM places in the arena's tail; the persistent
	// and non-persistent arena allocators replace the single-arena one in
	// MicroAllocator's two-arena form.
	SingleArenaBufferAllocator          Layout
	PersistentArenaBufferAllocator      Layout
	NonPersistentArenaBufferAllocator   Layout
	RecordingSingleArenaBufferAllocator Layout
	GreedyMemoryPlanner                 Layout
	MicroAllocator                      Layout
	RecordingMicroAllocator             Layout
	MicroBuiltinDataAllocator           Layout

	// Runtime structs.
	SubgraphAllocations      Layout
	TfLiteEvalTensor         Layout
	NodeAndRegistration      Layout
	TfLiteTensor             Layout
	TfLiteAffineQuantization Layout
	ScratchBufferRequest     Layout
	ScratchBufferHandle      Layout
	AllocationInfo           Layout
	// MicroResourceVariables and its array of MicroResourceVariable, which
	// the application creates in the arena for a model with VAR_HANDLE.
	MicroResourceVariables Layout
	MicroResourceVariable  Layout

	// DecodeStates is the size of the decoder object TFLM_DECODE's
	// Prepare allocates for each output, by the DCM decode type:
	// DecodeStateLut (0), DecodeStateHuffman (1), DecodeStatePrune (2);
	// sizeof probes compiled against TFLM's decode_state_*.h like the
	// other sizes (the objects hold a vtable pointer, so they grow with
	// the pointer size).
	DecodeStates [3]int64
	// TfLiteTensorDimsEnd and TfLiteTensorTypeEnd are the offsets in a
	// TfLiteTensor (TF_LITE_STATIC_MEMORY) of the ends of its dims and
	// type fields (offsetof probes): TFLM_DECODE's arena model needs to
	// know which of a temporary's bytes are still read.
	TfLiteTensorDimsEnd int64
	TfLiteTensorTypeEnd int64
	// Fields are the byte ranges of the runtime structs' fields that
	// BATCH_MATMUL's arena model needs (conflicts.go).
	Fields StructFields

	// BuiltinData is the options struct each builtin op's parser allocates
	// (TfLiteConvParams, ...); ops absent from the map allocate none.
	BuiltinData map[Op]Layout
	// OpData is the size each reference kernel's Init asks
	// AllocatePersistentBuffer for (always 16-byte aligned); ops absent
	// from the map have no Init.
	OpData map[Op]int64

	// Kernels is the kernel set TFLM was built with (see WithKernels); the
	// zero value is the reference kernels.
	Kernels Kernels
	// ResourceVariables is the max_num_variables the application passes
	// to MicroResourceVariables::Create for a model with VAR_HANDLE; 0
	// means the number of variables the model names, the fewest that work.
	ResourceVariables int
}

// Op names a TFLM operator: a builtin operator code from the .tflite
// schema, or a custom operator's name for CUSTOM.
type Op struct {
	Builtin tflite.BuiltinOp
	Custom  string
}

// Builtin operator codes of the .tflite schema that the model knows.
var (
	opAdd                        = Op{Builtin: tflite.OpAdd}
	opAveragePool2D              = Op{Builtin: tflite.OpAveragePool2D}
	opConcatenation              = Op{Builtin: tflite.OpConcatenation}
	opConv2D                     = Op{Builtin: tflite.OpConv2D}
	opDepthwiseConv2D            = Op{Builtin: tflite.OpDepthwiseConv2D}
	opFullyConnected             = Op{Builtin: tflite.OpFullyConnected}
	opLogistic                   = Op{Builtin: tflite.OpLogistic}
	opMaxPool2D                  = Op{Builtin: tflite.OpMaxPool2D}
	opMul                        = Op{Builtin: tflite.OpMul}
	opReshape                    = Op{Builtin: tflite.OpReshape}
	opSoftmax                    = Op{Builtin: tflite.OpSoftmax}
	opSVDF                       = Op{Builtin: tflite.OpSVDF}
	opPad                        = Op{Builtin: tflite.OpPad}
	opSub                        = Op{Builtin: tflite.OpSub}
	opDiv                        = Op{Builtin: tflite.OpDiv}
	opUnidirectionalSequenceLSTM = Op{Builtin: tflite.OpUnidirectionalSequenceLSTM}
	opStridedSlice               = Op{Builtin: tflite.OpStridedSlice}
	opCast                       = Op{Builtin: tflite.OpCast}
	opMaximum                    = Op{Builtin: tflite.OpMaximum}
	opMinimum                    = Op{Builtin: tflite.OpMinimum}
	opPadV2                      = Op{Builtin: tflite.OpPadV2}
	opTransposeConv              = Op{Builtin: tflite.OpTransposeConv}
	opLeakyRelu                  = Op{Builtin: tflite.OpLeakyRelu}
	opQuantize                   = Op{Builtin: tflite.OpQuantize}
	opDequantize                 = Op{Builtin: tflite.OpDequantize}
	opRelu                       = Op{Builtin: tflite.OpRelu}
	opRelu6                      = Op{Builtin: tflite.OpRelu6}
	opTanh                       = Op{Builtin: tflite.OpTanh}
	opGather                     = Op{Builtin: tflite.OpGather}
	opSplit                      = Op{Builtin: tflite.OpSplit}
	opPrelu                      = Op{Builtin: tflite.OpPRelu}
	opExpandDims                 = Op{Builtin: tflite.OpExpandDims}
	opPack                       = Op{Builtin: tflite.OpPack}
	opUnpack                     = Op{Builtin: tflite.OpUnpack}
	opResizeNearestNeighbor      = Op{Builtin: tflite.OpResizeNearestNeighbor}
	opHardSwish                  = Op{Builtin: tflite.OpHardSwish}
	opMean                       = Op{Builtin: tflite.OpMean}
	opSum                        = Op{Builtin: tflite.OpSum}
	opIf                         = Op{Builtin: tflite.OpIf}
	opWhile                      = Op{Builtin: tflite.OpWhile}
	opCallOnce                   = Op{Builtin: tflite.OpCallOnce}
	opVarHandle                  = Op{Builtin: tflite.OpVarHandle}
	opReadVariable               = Op{Builtin: tflite.OpReadVariable}
	opAssignVariable             = Op{Builtin: tflite.OpAssignVariable}
	opTranspose                  = Op{Builtin: tflite.OpTranspose}
	opBatchMatMul                = Op{Builtin: tflite.OpBatchMatMul}
	opGatherNd                   = Op{Builtin: tflite.OpGatherND}
	opSplitV                     = Op{Builtin: tflite.OpSplitV}
	opShape                      = Op{Builtin: tflite.OpShape}
	opResizeBilinear             = Op{Builtin: tflite.OpResizeBilinear}
	opSqueeze                    = Op{Builtin: tflite.OpSqueeze}
	opAbs                        = Op{Builtin: tflite.OpAbs}
	opRsqrt                      = Op{Builtin: tflite.OpRsqrt}
	opSin                        = Op{Builtin: tflite.OpSin}
	opCos                        = Op{Builtin: tflite.OpCos}
	opLog                        = Op{Builtin: tflite.OpLog}
	opSqrt                       = Op{Builtin: tflite.OpSqrt}
	opSquare                     = Op{Builtin: tflite.OpSquare}
	opExp                        = Op{Builtin: tflite.OpExp}
	opNeg                        = Op{Builtin: tflite.OpNeg}
	opFloor                      = Op{Builtin: tflite.OpFloor}
	opCeil                       = Op{Builtin: tflite.OpCeil}
	opRound                      = Op{Builtin: tflite.OpRound}
	opLogicalNot                 = Op{Builtin: tflite.OpLogicalNot}
	opLogicalAnd                 = Op{Builtin: tflite.OpLogicalAnd}
	opLogicalOr                  = Op{Builtin: tflite.OpLogicalOr}
	opSquaredDifference          = Op{Builtin: tflite.OpSquaredDifference}
	opEqual                      = Op{Builtin: tflite.OpEqual}
	opNotEqual                   = Op{Builtin: tflite.OpNotEqual}
	opGreater                    = Op{Builtin: tflite.OpGreater}
	opGreaterEqual               = Op{Builtin: tflite.OpGreaterEqual}
	opLess                       = Op{Builtin: tflite.OpLess}
	opLessEqual                  = Op{Builtin: tflite.OpLessEqual}
	opReduceMax                  = Op{Builtin: tflite.OpReduceMax}
	opReduceMin                  = Op{Builtin: tflite.OpReduceMin}
	opReduceAll                  = Op{Builtin: tflite.OpReduceAll}
	opArgMax                     = Op{Builtin: tflite.OpArgMax}
	opArgMin                     = Op{Builtin: tflite.OpArgMin}
	opL2Normalization            = Op{Builtin: tflite.OpL2Normalization}
	opSlice                      = Op{Builtin: tflite.OpSlice}
	opZerosLike                  = Op{Builtin: tflite.OpZerosLike}
	opFill                       = Op{Builtin: tflite.OpFill}
	opAddN                       = Op{Builtin: tflite.OpAddN}
	opSelectV2                   = Op{Builtin: tflite.OpSelectV2}
	opFloorDiv                   = Op{Builtin: tflite.OpFloorDiv}
	opFloorMod                   = Op{Builtin: tflite.OpFloorMod}
	opElu                        = Op{Builtin: tflite.OpELU}
	opSpaceToDepth               = Op{Builtin: tflite.OpSpaceToDepth}
	opDepthToSpace               = Op{Builtin: tflite.OpDepthToSpace}
	opReverseV2                  = Op{Builtin: tflite.OpReverseV2}
	opBroadcastTo                = Op{Builtin: tflite.OpBroadcastTo}
	opMirrorPad                  = Op{Builtin: tflite.OpMirrorPad}
	opSpaceToBatchND             = Op{Builtin: tflite.OpSpaceToBatchND}
	opBatchToSpaceND             = Op{Builtin: tflite.OpBatchToSpaceND}
	opEmbeddingLookup            = Op{Builtin: tflite.OpEmbeddingLookup}
	opCumsum                     = Op{Builtin: tflite.OpCumsum}
	opDynamicUpdateSlice         = Op{Builtin: tflite.OpDynamicUpdateSlice}
	opBroadcastArgs              = Op{Builtin: tflite.OpBroadcastArgs}
	opL2Pool2D                   = Op{Builtin: tflite.OpL2Pool2D}
	opLogSoftmax                 = Op{Builtin: tflite.OpLogSoftmax}

	// The Signal library's custom operators (signal/micro/kernels).
	opSignalWindow              = Op{Builtin: tflite.OpCustom, Custom: "SignalWindow"}
	opSignalFftAutoScale        = Op{Builtin: tflite.OpCustom, Custom: "SignalFftAutoScale"}
	opSignalRfft                = Op{Builtin: tflite.OpCustom, Custom: "SignalRfft"}
	opSignalEnergy              = Op{Builtin: tflite.OpCustom, Custom: "SignalEnergy"}
	opSignalFilterBank          = Op{Builtin: tflite.OpCustom, Custom: "SignalFilterBank"}
	opSignalFilterBankSqrt      = Op{Builtin: tflite.OpCustom, Custom: "SignalFilterBankSquareRoot"}
	opSignalSpectralSubtraction = Op{Builtin: tflite.OpCustom, Custom: "SignalFilterBankSpectralSubtraction"}
	opSignalPCAN                = Op{Builtin: tflite.OpCustom, Custom: "SignalPCAN"}
	opSignalFilterBankLog       = Op{Builtin: tflite.OpCustom, Custom: "SignalFilterBankLog"}
	opSignalDelay               = Op{Builtin: tflite.OpCustom, Custom: "SignalDelay"}
	opSignalFramer              = Op{Builtin: tflite.OpCustom, Custom: "SignalFramer"}
	opSignalStacker             = Op{Builtin: tflite.OpCustom, Custom: "SignalStacker"}
	opSignalOverlapAdd          = Op{Builtin: tflite.OpCustom, Custom: "SignalOverlapAdd"}
	opSignalIrfft               = Op{Builtin: tflite.OpCustom, Custom: "SignalIrfft"}

	// TFLM's other custom operators.
	opCircularBuffer = Op{Builtin: tflite.OpCustom, Custom: "CIRCULAR_BUFFER"}
	opDecode         = Op{Builtin: tflite.OpCustom, Custom: "TFLM_DECODE"}

	// The SSD detector's post-processing, a custom operator.
	opDetectionPostProcess = Op{Builtin: tflite.OpCustom, Custom: "TFLite_Detection_PostProcess"}
)

// CortexM is a 32-bit Arm Cortex-M target built with arm-none-eabi-gcc:
// 4-byte pointers and GCC's short enums, so that enum-only options structs
// such as TfLiteAddParams shrink to 2 bytes with 1-byte alignment.
var CortexM = ABI{
	Name:                                "cortex-m",
	Pointer:                             Layout{4, 4},
	SingleArenaBufferAllocator:          Layout{36, 4},
	PersistentArenaBufferAllocator:      Layout{16, 4},
	NonPersistentArenaBufferAllocator:   Layout{32, 4},
	RecordingSingleArenaBufferAllocator: Layout{52, 4},
	GreedyMemoryPlanner:                 Layout{44, 4},
	MicroAllocator:                      Layout{36, 4},
	RecordingMicroAllocator:             Layout{124, 4},
	MicroBuiltinDataAllocator:           Layout{8, 4},
	SubgraphAllocations:                 Layout{8, 4},
	TfLiteEvalTensor:                    Layout{12, 4},
	NodeAndRegistration:                 Layout{32, 4},
	TfLiteTensor:                        Layout{32, 4},
	TfLiteAffineQuantization:            Layout{12, 4},
	ScratchBufferRequest:                Layout{12, 4},
	ScratchBufferHandle:                 Layout{4, 4},
	AllocationInfo:                      Layout{24, 4},
	DecodeStates:                        [3]int64{36, 28, 40},
	TfLiteTensorDimsEnd:                 24,
	TfLiteTensorTypeEnd:                 29,
	Fields:                              cortexMFields,
	MicroResourceVariables:              Layout{12, 4},
	MicroResourceVariable:               Layout{20, 4},
	BuiltinData: map[Op]Layout{
		opAdd:                        {2, 1},
		opAveragePool2D:              {40, 4},
		opMaxPool2D:                  {40, 4},
		opL2Pool2D:                   {40, 4},
		opConcatenation:              {8, 4},
		opConv2D:                     {28, 4},
		opDepthwiseConv2D:            {28, 4},
		opFullyConnected:             {5, 1},
		opMul:                        {1, 1},
		opReshape:                    {36, 4},
		opSoftmax:                    {4, 4},
		opSVDF:                       {8, 4},
		opSub:                        {2, 1},
		opDiv:                        {1, 1},
		opUnidirectionalSequenceLSTM: {16, 4},
		opStridedSlice:               {24, 4},
		opCast:                       {2, 1},
		opTransposeConv:              {16, 4},
		opLeakyRelu:                  {4, 4},
		opGather:                     {8, 4},
		opSplit:                      {4, 4},
		opPack:                       {8, 4},
		opUnpack:                     {8, 4},
		opResizeNearestNeighbor:      {2, 1},
		opMean:                       {1, 1},
		opSum:                        {1, 1},
		opIf:                         {8, 4},
		opWhile:                      {8, 4},
		opCallOnce:                   {4, 4},
		opVarHandle:                  {8, 4},
		opBatchMatMul:                {3, 1},
		opSplitV:                     {4, 4},
		opResizeBilinear:             {2, 1},
		opShape:                      {1, 1},
		opArgMax:                     {1, 1},
		opArgMin:                     {1, 1},
		opL2Normalization:            {1, 1},
		opReduceMax:                  {1, 1},
		opReduceMin:                  {1, 1},
		opReduceAll:                  {1, 1},
		opSqueeze:                    {36, 4},
		opSpaceToDepth:               {4, 4},
		opDepthToSpace:               {4, 4},
		opMirrorPad:                  {1, 1},
		opCumsum:                     {2, 1},
	},
	OpData: map[Op]int64{
		opAdd:                        60,
		opAveragePool2D:              32,
		opMaxPool2D:                  32,
		opConcatenation:              24,
		opConv2D:                     56,
		opDepthwiseConv2D:            56,
		opFullyConnected:             48,
		opLogistic:                   16,
		opMul:                        36,
		opSoftmax:                    56,
		opSVDF:                       36,
		opPad:                        56,
		opPadV2:                      56,
		opSub:                        52,
		opDiv:                        28,
		opUnidirectionalSequenceLSTM: 688,
		opStridedSlice:               84,
		opTransposeConv:              72,
		opLeakyRelu:                  24,
		opQuantize:                   32,
		opSignalWindow:               8,
		opSignalRfft:                 32,
		opSignalEnergy:               8,
		opSignalFilterBank:           36,
		opSignalSpectralSubtraction:  44,
		opSignalPCAN:                 4,
		opSignalFilterBankLog:        8,
		// sizeof(OpData) of detection_postprocess.cc: a probe compiled
		// with arm-none-eabi-g++ and g++ against the .cc itself.
		opDetectionPostProcess: 112,
		opCircularBuffer:       8,
		opDequantize:           32,
		opRelu:                 28,
		opRelu6:                8,
		opTanh:                 16,
		opPrelu:                28,
		opHardSwish:            20,
		opMean:                 44,
		opSum:                  44,
		opIf:                   8,
		opWhile:                8,
		opCallOnce:             8,
		opVarHandle:            4,
		opAbs:                  28,
		opRsqrt:                28,
		opSquaredDifference:    112,
		opEqual:                32,
		opNotEqual:             32,
		opGreater:              32,
		opGreaterEqual:         32,
		opLess:                 32,
		opLessEqual:            32,
		opReduceMax:            44,
		opReduceMin:            44,
		opReduceAll:            44,
		opL2Normalization:      4,
		opSelectV2:             1,
		opElu:                  256,
		opMirrorPad:            20,
		opSpaceToBatchND:       4,
		opBatchMatMul:          16,
		// The Signal streaming ops' params structs, sizeof probes
		// compiled by arm-none-eabi-g++ against delay.cc, framer.cc,
		// stacker.cc, overlap_add.cc (both instantiations) and irfft.cc.
		opSignalDelay:      20,
		opSignalFramer:     28,
		opSignalStacker:    36,
		opSignalOverlapAdd: 24,
		opSignalIrfft:      24,
	},
}

// Host64 is an x86-64 (LP64) host build with g++: 8-byte pointers and
// int-sized enums.
var Host64 = ABI{
	Name:                                "host64",
	Pointer:                             Layout{8, 8},
	SingleArenaBufferAllocator:          Layout{72, 8},
	PersistentArenaBufferAllocator:      Layout{32, 8},
	NonPersistentArenaBufferAllocator:   Layout{56, 8},
	RecordingSingleArenaBufferAllocator: Layout{104, 8},
	GreedyMemoryPlanner:                 Layout{72, 8},
	MicroAllocator:                      Layout{72, 8},
	RecordingMicroAllocator:             Layout{248, 8},
	MicroBuiltinDataAllocator:           Layout{16, 8},
	SubgraphAllocations:                 Layout{16, 8},
	TfLiteEvalTensor:                    Layout{24, 8},
	NodeAndRegistration:                 Layout{64, 8},
	TfLiteTensor:                        Layout{64, 8},
	TfLiteAffineQuantization:            Layout{24, 8},
	ScratchBufferRequest:                Layout{16, 8},
	ScratchBufferHandle:                 Layout{8, 8},
	AllocationInfo:                      Layout{32, 8},
	DecodeStates:                        [3]int64{72, 56, 80},
	TfLiteTensorDimsEnd:                 40,
	TfLiteTensorTypeEnd:                 52,
	Fields:                              host64Fields,
	MicroResourceVariables:              Layout{16, 8},
	MicroResourceVariable:               Layout{40, 8},
	BuiltinData: map[Op]Layout{
		opAdd:                        {8, 4},
		opAveragePool2D:              {40, 4},
		opMaxPool2D:                  {40, 4},
		opL2Pool2D:                   {40, 4},
		opConcatenation:              {8, 4},
		opConv2D:                     {28, 4},
		opDepthwiseConv2D:            {28, 4},
		opFullyConnected:             {16, 4},
		opMul:                        {4, 4},
		opReshape:                    {36, 4},
		opSoftmax:                    {4, 4},
		opSVDF:                       {12, 4},
		opSub:                        {8, 4},
		opDiv:                        {4, 4},
		opUnidirectionalSequenceLSTM: {16, 4},
		opStridedSlice:               {24, 4},
		opCast:                       {8, 4},
		opTransposeConv:              {20, 4},
		opLeakyRelu:                  {4, 4},
		opGather:                     {8, 4},
		opSplit:                      {4, 4},
		opPack:                       {8, 4},
		opUnpack:                     {8, 4},
		opResizeNearestNeighbor:      {2, 1},
		opMean:                       {1, 1},
		opSum:                        {1, 1},
		opIf:                         {8, 4},
		opWhile:                      {8, 4},
		opCallOnce:                   {4, 4},
		opVarHandle:                  {16, 8},
		opBatchMatMul:                {3, 1},
		opSplitV:                     {4, 4},
		opResizeBilinear:             {2, 1},
		opShape:                      {4, 4},
		opArgMax:                     {4, 4},
		opArgMin:                     {4, 4},
		opL2Normalization:            {4, 4},
		opReduceMax:                  {1, 1},
		opReduceMin:                  {1, 1},
		opReduceAll:                  {1, 1},
		opSqueeze:                    {36, 4},
		opSpaceToDepth:               {4, 4},
		opDepthToSpace:               {4, 4},
		opMirrorPad:                  {4, 4},
		opCumsum:                     {2, 1},
	},
	OpData: map[Op]int64{
		opAdd:                        60,
		opAveragePool2D:              32,
		opMaxPool2D:                  32,
		opConcatenation:              40,
		opConv2D:                     72,
		opDepthwiseConv2D:            72,
		opFullyConnected:             64,
		opLogistic:                   16,
		opMul:                        36,
		opSoftmax:                    80,
		opSVDF:                       36,
		opPad:                        56,
		opPadV2:                      56,
		opSub:                        52,
		opDiv:                        28,
		opUnidirectionalSequenceLSTM: 688,
		opStridedSlice:               84,
		opTransposeConv:              80,
		opLeakyRelu:                  24,
		opQuantize:                   32,
		opSignalWindow:               8,
		opSignalRfft:                 48,
		opSignalEnergy:               8,
		opSignalFilterBank:           64,
		opSignalSpectralSubtraction:  56,
		opSignalPCAN:                 4,
		opSignalFilterBankLog:        8,
		// sizeof(OpData) of detection_postprocess.cc: a probe compiled
		// with arm-none-eabi-g++ and g++ against the .cc itself.
		opDetectionPostProcess: 112,
		opCircularBuffer:       8,
		opDequantize:           32,
		opRelu:                 28,
		opRelu6:                8,
		opTanh:                 16,
		opPrelu:                28,
		opHardSwish:            20,
		opMean:                 44,
		opSum:                  44,
		opIf:                   8,
		opWhile:                8,
		opCallOnce:             8,
		opVarHandle:            4,
		opAbs:                  28,
		opRsqrt:                28,
		opSquaredDifference:    112,
		opEqual:                32,
		opNotEqual:             32,
		opGreater:              32,
		opGreaterEqual:         32,
		opLess:                 32,
		opLessEqual:            32,
		opReduceMax:            44,
		opReduceMin:            44,
		opReduceAll:            44,
		opL2Normalization:      4,
		opSelectV2:             1,
		opElu:                  256,
		opMirrorPad:            20,
		opSpaceToBatchND:       4,
		opBatchMatMul:          32,
		opSignalDelay:          32,
		opSignalFramer:         40,
		opSignalStacker:        56,
		opSignalOverlapAdd:     32,
		opSignalIrfft:          32,
	},
}

// Targets lists the built-in targets, the default first.
func Targets() []ABI { return []ABI{CortexM, Host64} }

// TargetByName returns the built-in target with the given CLI name.
func TargetByName(name string) (ABI, error) {
	var names []string
	for _, t := range Targets() {
		if t.Name == name {
			return t, nil
		}
		names = append(names, t.Name)
	}
	return ABI{}, fmt.Errorf("unknown target %q (want %s)", name, strings.Join(names, " or "))
}
