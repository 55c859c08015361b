package runtime

import "slices"

// kernelTable maps operator names (the schema's BuiltinOperator names, or
// CUSTOM:<code>) to their kernel builders.
func kernelTable() map[string]kernelBuilder {
	return map[string]kernelBuilder{
		"ADD":                          buildAddSub(false),
		"AVERAGE_POOL_2D":              buildPool(true),
		"CAST":                         buildCast,
		"CONCATENATION":                buildConcatenation,
		"CONV_2D":                      buildConv2D,
		"DEPTHWISE_CONV_2D":            buildDepthwiseConv2D,
		"DEQUANTIZE":                   buildDequantize,
		"DIV":                          buildDiv,
		"EXPAND_DIMS":                  buildExpandDims,
		"FULLY_CONNECTED":              buildFullyConnected,
		"LEAKY_RELU":                   buildLeakyRelu,
		"LOGISTIC":                     buildSigmoid(false),
		"MAXIMUM":                      buildMinMax(true),
		"MAX_POOL_2D":                  buildPool(false),
		"MEAN":                         buildMean,
		"MINIMUM":                      buildMinMax(false),
		"MUL":                          buildMul,
		"PAD":                          buildPad,
		"PADV2":                        buildPad,
		"QUANTIZE":                     buildQuantize,
		"RELU":                         buildRelu(false),
		"RELU6":                        buildRelu(true),
		"RESHAPE":                      buildReshape,
		"SOFTMAX":                      buildSoftmax,
		"SQUEEZE":                      buildReshape,
		"STRIDED_SLICE":                buildStridedSlice,
		"SUB":                          buildAddSub(true),
		"SVDF":                         buildSVDF,
		"TANH":                         buildSigmoid(true),
		"TRANSPOSE_CONV":               buildTransposeConv,
		"UNIDIRECTIONAL_SEQUENCE_LSTM": buildUnidirectionalSequenceLSTM,

		// TFLM's Signal library (signal/micro/kernels), custom operators.
		"CUSTOM:SignalEnergy":                        buildSignalEnergy,
		"CUSTOM:SignalFftAutoScale":                  buildSignalFftAutoScale,
		"CUSTOM:SignalFilterBank":                    buildSignalFilterBank,
		"CUSTOM:SignalFilterBankLog":                 buildSignalFilterBankLog,
		"CUSTOM:SignalFilterBankSpectralSubtraction": buildSignalFilterBankSpectralSubtraction,
		"CUSTOM:SignalFilterBankSquareRoot":          buildSignalFilterBankSquareRoot,
		"CUSTOM:SignalPCAN":                          buildSignalPCAN,
		"CUSTOM:SignalRfft":                          buildSignalRfft,
		"CUSTOM:SignalWindow":                        buildSignalWindow,
	}
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
