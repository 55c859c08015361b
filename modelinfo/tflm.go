package modelinfo

import "github.com/footprint-dev/footprint/tflite"

// InTFLM reports whether TFLM's MicroMutableOpResolver can register a
// kernel for the operator code: its Add<Op> methods at tflite-micro commit
// 90b983c2b3f1 (the commit the shared oracle was measured at), builtin
// operators and the custom operators TFLM ships (the Signal library,
// Ethos-U, CIRCULAR_BUFFER, TFLite_Detection_PostProcess, TFLM_DECODE).
func InTFLM(code tflite.OpCode) bool {
	if code.Builtin == tflite.OpCustom {
		return tflmCustom(code.Custom)
	}
	switch code.Builtin {
	case tflite.OpAbs, tflite.OpAdd, tflite.OpAddN, tflite.OpArgMax, tflite.OpArgMin,
		tflite.OpAssignVariable, tflite.OpAveragePool2D, tflite.OpBatchMatMul, tflite.OpBatchToSpaceND,
		tflite.OpBroadcastArgs, tflite.OpBroadcastTo, tflite.OpCallOnce, tflite.OpCast, tflite.OpCeil,
		tflite.OpConcatenation, tflite.OpConv2D, tflite.OpCos, tflite.OpCumsum, tflite.OpDepthwiseConv2D,
		tflite.OpDepthToSpace, tflite.OpDequantize, tflite.OpDiv, tflite.OpDynamicUpdateSlice,
		tflite.OpELU, tflite.OpEmbeddingLookup, tflite.OpEqual, tflite.OpExp, tflite.OpExpandDims,
		tflite.OpFill, tflite.OpFloor, tflite.OpFloorDiv, tflite.OpFloorMod, tflite.OpFullyConnected,
		tflite.OpGather, tflite.OpGatherND, tflite.OpGreater, tflite.OpGreaterEqual, tflite.OpHardSwish,
		tflite.OpIf, tflite.OpL2Normalization, tflite.OpL2Pool2D, tflite.OpLeakyRelu, tflite.OpLess,
		tflite.OpLessEqual, tflite.OpLog, tflite.OpLogicalAnd, tflite.OpLogicalNot, tflite.OpLogicalOr,
		tflite.OpLogistic, tflite.OpLogSoftmax, tflite.OpMaximum, tflite.OpMaxPool2D, tflite.OpMean,
		tflite.OpMinimum, tflite.OpMirrorPad, tflite.OpMul, tflite.OpNeg, tflite.OpNotEqual,
		tflite.OpPack, tflite.OpPad, tflite.OpPadV2, tflite.OpPRelu, tflite.OpQuantize,
		tflite.OpReadVariable, tflite.OpReduceAll, tflite.OpReduceMax, tflite.OpReduceMin, tflite.OpRelu,
		tflite.OpRelu6, tflite.OpReshape, tflite.OpResizeBilinear, tflite.OpResizeNearestNeighbor,
		tflite.OpReverseV2, tflite.OpRound, tflite.OpRsqrt, tflite.OpSelectV2, tflite.OpShape,
		tflite.OpSin, tflite.OpSlice, tflite.OpSoftmax, tflite.OpSpaceToBatchND, tflite.OpSpaceToDepth,
		tflite.OpSplit, tflite.OpSplitV, tflite.OpSqrt, tflite.OpSquare, tflite.OpSquaredDifference,
		tflite.OpSqueeze, tflite.OpStridedSlice, tflite.OpSub, tflite.OpSum, tflite.OpSVDF,
		tflite.OpTanh, tflite.OpTranspose, tflite.OpTransposeConv, tflite.OpUnidirectionalSequenceLSTM,
		tflite.OpUnpack, tflite.OpVarHandle, tflite.OpWhile, tflite.OpZerosLike:
		return true
	}
	return false
}

// tflmCustom reports whether TFLM's op resolver registers the custom
// operator name.
func tflmCustom(name string) bool {
	switch name {
	case "SignalDelay", "SignalEnergy", "SignalFftAutoScale", "SignalFilterBank",
		"SignalFilterBankLog", "SignalFilterBankSquareRoot",
		"SignalFilterBankSpectralSubtraction", "SignalFramer", "SignalIrfft",
		"SignalOverlapAdd", "SignalPCAN", "SignalRfft", "SignalStacker", "SignalWindow",
		"ethos-u", "CIRCULAR_BUFFER", "TFLite_Detection_PostProcess", "TFLM_DECODE":
		return true
	}
	return false
}
