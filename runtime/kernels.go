package runtime

import (
	"maps"
	"slices"
)

// kernelTable maps operator names (the schema's BuiltinOperator names, or
// CUSTOM:<code>) to their kernel builders.
func kernelTable() map[string]kernelBuilder {
	table := map[string]kernelBuilder{
		"ABS":                          buildAbs,
		"ADD":                          buildAddSub(false),
		"ADD_N":                        buildAddN,
		"ARG_MAX":                      buildArgMinMax(true),
		"ARG_MIN":                      buildArgMinMax(false),
		"ASSIGN_VARIABLE":              buildAssignVariable,
		"AVERAGE_POOL_2D":              buildPool(true),
		"BATCH_MATMUL":                 buildBatchMatMul,
		"BATCH_TO_SPACE_ND":            buildSpaceBatch(false),
		"BROADCAST_ARGS":               buildBroadcastArgs,
		"BROADCAST_TO":                 buildBroadcastTo,
		"CALL_ONCE":                    buildCallOnce,
		"CAST":                         buildCast,
		"CONCATENATION":                buildConcatenation,
		"CONV_2D":                      buildConv2D,
		"CUMSUM":                       buildCumsum,
		"DEPTHWISE_CONV_2D":            buildDepthwiseConv2D,
		"DEPTH_TO_SPACE":               buildSpaceDepth(false),
		"DEQUANTIZE":                   buildDequantize,
		"DIV":                          buildDiv,
		"DYNAMIC_UPDATE_SLICE":         buildDynamicUpdateSlice,
		"ELU":                          buildElu,
		"EMBEDDING_LOOKUP":             buildEmbeddingLookup,
		"EXPAND_DIMS":                  buildExpandDims,
		"FILL":                         buildFill,
		"FLOOR_DIV":                    buildFloorDivMod(false),
		"FLOOR_MOD":                    buildFloorDivMod(true),
		"FULLY_CONNECTED":              buildFullyConnected,
		"GATHER":                       buildGather,
		"GATHER_ND":                    buildGatherND,
		"HARD_SWISH":                   buildHardSwish,
		"IF":                           buildIf,
		"L2_NORMALIZATION":             buildL2Normalization,
		"L2_POOL_2D":                   buildL2Pool,
		"LEAKY_RELU":                   buildLeakyRelu,
		"LOGICAL_NOT":                  buildLogicalNot,
		"LOG_SOFTMAX":                  buildLogSoftmax,
		"LOGISTIC":                     buildSigmoid(false),
		"MAXIMUM":                      buildMinMax(true),
		"MAX_POOL_2D":                  buildPool(false),
		"MEAN":                         buildReduce(reduceMean),
		"READ_VARIABLE":                buildReadVariable,
		"REDUCE_ALL":                   buildReduce(reduceAll),
		"REDUCE_MAX":                   buildReduce(reduceMax),
		"REDUCE_MIN":                   buildReduce(reduceMin),
		"SUM":                          buildReduce(reduceSum),
		"MINIMUM":                      buildMinMax(false),
		"MIRROR_PAD":                   buildMirrorPad,
		"MUL":                          buildMul,
		"PACK":                         buildPack,
		"PAD":                          buildPad,
		"PADV2":                        buildPad,
		"PRELU":                        buildPrelu,
		"QUANTIZE":                     buildQuantize,
		"RELU":                         buildRelu(false),
		"RELU6":                        buildRelu(true),
		"RESHAPE":                      buildReshape,
		"REVERSE_V2":                   buildReverseV2,
		"RSQRT":                        buildRsqrt,
		"RESIZE_BILINEAR":              buildResizeBilinear,
		"RESIZE_NEAREST_NEIGHBOR":      buildResizeNearestNeighbor,
		"SELECT_V2":                    buildSelectV2,
		"SHAPE":                        buildShape,
		"SLICE":                        buildSlice,
		"SOFTMAX":                      buildSoftmax,
		"SPACE_TO_BATCH_ND":            buildSpaceBatch(true),
		"SPACE_TO_DEPTH":               buildSpaceDepth(true),
		"SPLIT":                        buildSplit(false),
		"SPLIT_V":                      buildSplit(true),
		"SQUARED_DIFFERENCE":           buildSquaredDifference,
		"SQUEEZE":                      buildReshape,
		"STRIDED_SLICE":                buildStridedSlice,
		"SUB":                          buildAddSub(true),
		"SVDF":                         buildSVDF,
		"TANH":                         buildSigmoid(true),
		"TRANSPOSE":                    buildTranspose,
		"TRANSPOSE_CONV":               buildTransposeConv,
		"UNIDIRECTIONAL_SEQUENCE_LSTM": buildUnidirectionalSequenceLSTM,
		"UNPACK":                       buildUnpack,
		"VAR_HANDLE":                   buildVarHandle,
		"WHILE":                        buildWhile,
		"ZEROS_LIKE":                   buildZerosLike,

		// Custom operators: TFLM's Signal library (signal/micro/kernels),
		// CIRCULAR_BUFFER and TFLM_DECODE.
		"CUSTOM:CIRCULAR_BUFFER":                     buildCircularBuffer,
		"CUSTOM:SignalDelay":                         buildSignalDelay,
		"CUSTOM:SignalEnergy":                        buildSignalEnergy,
		"CUSTOM:SignalFftAutoScale":                  buildSignalFftAutoScale,
		"CUSTOM:SignalFilterBank":                    buildSignalFilterBank,
		"CUSTOM:SignalFramer":                        buildSignalFramer,
		"CUSTOM:SignalFilterBankLog":                 buildSignalFilterBankLog,
		"CUSTOM:SignalFilterBankSpectralSubtraction": buildSignalFilterBankSpectralSubtraction,
		"CUSTOM:SignalFilterBankSquareRoot":          buildSignalFilterBankSquareRoot,
		"CUSTOM:SignalIrfft":                         buildSignalIrfft,
		"CUSTOM:SignalOverlapAdd":                    buildSignalOverlapAdd,
		"CUSTOM:SignalPCAN":                          buildSignalPCAN,
		"CUSTOM:SignalRfft":                          buildSignalRfft,
		"CUSTOM:SignalStacker":                       buildSignalStacker,
		"CUSTOM:SignalWindow":                        buildSignalWindow,
		"CUSTOM:TFLM_DECODE":                         buildDecode,

		// The SSD detector's post-processing, a custom operator.
		"CUSTOM:TFLite_Detection_PostProcess": buildDetectionPostProcess,
	}
	maps.Copy(table, mathKernels())
	maps.Copy(table, comparisonKernels())
	return table
}

// SupportedOps lists the operator names the runtime implements, sorted.
func SupportedOps() []string {
	table := kernelTable()
	names := make([]string, 0, len(table))
	for name := range table {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// vendorReason says why the runtime refuses an operator TFLM registers
// only in a vendor's accelerator build, "" for any other operator.
func vendorReason(name string) string {
	if name == "CUSTOM:ethos-u" {
		return "an Arm Ethos-U NPU command stream: TFLM runs it only in Ethos-U builds, on the NPU"
	}
	return ""
}
