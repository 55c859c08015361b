package runtime

import "fmt"

// builtinCustom is the schema's BuiltinOperator.CUSTOM.
const builtinCustom = 32

// builtinName returns the schema's name of a builtin operator code for the
// operators this runtime implements; other codes are named by number,
// which is enough to report them as unsupported.
func builtinName(code int32) string {
	switch code {
	case 0:
		return "ADD"
	case 1:
		return "AVERAGE_POOL_2D"
	case 2:
		return "CONCATENATION"
	case 3:
		return "CONV_2D"
	case 4:
		return "DEPTHWISE_CONV_2D"
	case 6:
		return "DEQUANTIZE"
	case 9:
		return "FULLY_CONNECTED"
	case 14:
		return "LOGISTIC"
	case 17:
		return "MAX_POOL_2D"
	case 18:
		return "MUL"
	case 19:
		return "RELU"
	case 21:
		return "RELU6"
	case 22:
		return "RESHAPE"
	case 25:
		return "SOFTMAX"
	case 27:
		return "SVDF"
	case 28:
		return "TANH"
	case 34:
		return "PAD"
	case 40:
		return "MEAN"
	case 41:
		return "SUB"
	case 42:
		return "DIV"
	case 43:
		return "SQUEEZE"
	case 44:
		return "UNIDIRECTIONAL_SEQUENCE_LSTM"
	case 45:
		return "STRIDED_SLICE"
	case 53:
		return "CAST"
	case 55:
		return "MAXIMUM"
	case 57:
		return "MINIMUM"
	case 60:
		return "PADV2"
	case 67:
		return "TRANSPOSE_CONV"
	case 70:
		return "EXPAND_DIMS"
	case 98:
		return "LEAKY_RELU"
	case 114:
		return "QUANTIZE"
	}
	return fmt.Sprintf("BUILTIN_%d", code)
}
