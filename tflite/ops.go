package tflite

import "strconv"

// BuiltinOp is a builtin operator code of the .tflite schema's
// BuiltinOperator enum. OpCustom marks a custom operator, named by
// OpCode.Custom.
type BuiltinOp int32

// String returns the schema's name of the operator ("CONV_2D"), or
// "BUILTIN_<code>" for a code the schema does not define.
func (op BuiltinOp) String() string {
	if op >= 0 && int(op) < len(builtinOpNames) && builtinOpNames[op] != "" {
		return builtinOpNames[op]
	}
	return "BUILTIN_" + strconv.Itoa(int(op))
}

// ParseBuiltinOp returns the operator the schema names name ("CONV_2D").
func ParseBuiltinOp(name string) (BuiltinOp, bool) {
	for code, n := range builtinOpNames {
		if n == name && n != "" {
			return BuiltinOp(code), true
		}
	}
	return 0, false
}

// Name returns the operator code's display name: the builtin's schema name,
// or "CUSTOM:<custom_code>" for a custom operator.
func (c OpCode) Name() string {
	if c.Builtin == OpCustom {
		return "CUSTOM:" + c.Custom
	}
	return c.Builtin.String()
}

// OpName returns the display name of op ("CONV_2D", "CUSTOM:SignalWindow").
// Parse guarantees op.OpcodeIndex is valid for operators it decoded.
func (m *Model) OpName(op Operator) string {
	if int64(op.OpcodeIndex) >= int64(len(m.OpCodes)) {
		return "OPCODE_" + strconv.FormatUint(uint64(op.OpcodeIndex), 10)
	}
	return m.OpCodes[op.OpcodeIndex].Name()
}

// Builtin operators, named and numbered as in the schema's BuiltinOperator enum.
const (
	OpAdd                          BuiltinOp = 0
	OpAveragePool2D                BuiltinOp = 1
	OpConcatenation                BuiltinOp = 2
	OpConv2D                       BuiltinOp = 3
	OpDepthwiseConv2D              BuiltinOp = 4
	OpDepthToSpace                 BuiltinOp = 5
	OpDequantize                   BuiltinOp = 6
	OpEmbeddingLookup              BuiltinOp = 7
	OpFloor                        BuiltinOp = 8
	OpFullyConnected               BuiltinOp = 9
	OpHashtableLookup              BuiltinOp = 10
	OpL2Normalization              BuiltinOp = 11
	OpL2Pool2D                     BuiltinOp = 12
	OpLocalResponseNormalization   BuiltinOp = 13
	OpLogistic                     BuiltinOp = 14
	OpLSHProjection                BuiltinOp = 15
	OpLSTM                         BuiltinOp = 16
	OpMaxPool2D                    BuiltinOp = 17
	OpMul                          BuiltinOp = 18
	OpRelu                         BuiltinOp = 19
	OpReluN1To1                    BuiltinOp = 20
	OpRelu6                        BuiltinOp = 21
	OpReshape                      BuiltinOp = 22
	OpResizeBilinear               BuiltinOp = 23
	OpRNN                          BuiltinOp = 24
	OpSoftmax                      BuiltinOp = 25
	OpSpaceToDepth                 BuiltinOp = 26
	OpSVDF                         BuiltinOp = 27
	OpTanh                         BuiltinOp = 28
	OpConcatEmbeddings             BuiltinOp = 29
	OpSkipGram                     BuiltinOp = 30
	OpCall                         BuiltinOp = 31
	OpCustom                       BuiltinOp = 32
	OpEmbeddingLookupSparse        BuiltinOp = 33
	OpPad                          BuiltinOp = 34
	OpUnidirectionalSequenceRNN    BuiltinOp = 35
	OpGather                       BuiltinOp = 36
	OpBatchToSpaceND               BuiltinOp = 37
	OpSpaceToBatchND               BuiltinOp = 38
	OpTranspose                    BuiltinOp = 39
	OpMean                         BuiltinOp = 40
	OpSub                          BuiltinOp = 41
	OpDiv                          BuiltinOp = 42
	OpSqueeze                      BuiltinOp = 43
	OpUnidirectionalSequenceLSTM   BuiltinOp = 44
	OpStridedSlice                 BuiltinOp = 45
	OpBidirectionalSequenceRNN     BuiltinOp = 46
	OpExp                          BuiltinOp = 47
	OpTopKV2                       BuiltinOp = 48
	OpSplit                        BuiltinOp = 49
	OpLogSoftmax                   BuiltinOp = 50
	OpDelegate                     BuiltinOp = 51
	OpBidirectionalSequenceLSTM    BuiltinOp = 52
	OpCast                         BuiltinOp = 53
	OpPRelu                        BuiltinOp = 54
	OpMaximum                      BuiltinOp = 55
	OpArgMax                       BuiltinOp = 56
	OpMinimum                      BuiltinOp = 57
	OpLess                         BuiltinOp = 58
	OpNeg                          BuiltinOp = 59
	OpPadV2                        BuiltinOp = 60
	OpGreater                      BuiltinOp = 61
	OpGreaterEqual                 BuiltinOp = 62
	OpLessEqual                    BuiltinOp = 63
	OpSelect                       BuiltinOp = 64
	OpSlice                        BuiltinOp = 65
	OpSin                          BuiltinOp = 66
	OpTransposeConv                BuiltinOp = 67
	OpSparseToDense                BuiltinOp = 68
	OpTile                         BuiltinOp = 69
	OpExpandDims                   BuiltinOp = 70
	OpEqual                        BuiltinOp = 71
	OpNotEqual                     BuiltinOp = 72
	OpLog                          BuiltinOp = 73
	OpSum                          BuiltinOp = 74
	OpSqrt                         BuiltinOp = 75
	OpRsqrt                        BuiltinOp = 76
	OpShape                        BuiltinOp = 77
	OpPow                          BuiltinOp = 78
	OpArgMin                       BuiltinOp = 79
	OpFakeQuant                    BuiltinOp = 80
	OpReduceProd                   BuiltinOp = 81
	OpReduceMax                    BuiltinOp = 82
	OpPack                         BuiltinOp = 83
	OpLogicalOr                    BuiltinOp = 84
	OpOneHot                       BuiltinOp = 85
	OpLogicalAnd                   BuiltinOp = 86
	OpLogicalNot                   BuiltinOp = 87
	OpUnpack                       BuiltinOp = 88
	OpReduceMin                    BuiltinOp = 89
	OpFloorDiv                     BuiltinOp = 90
	OpReduceAny                    BuiltinOp = 91
	OpSquare                       BuiltinOp = 92
	OpZerosLike                    BuiltinOp = 93
	OpFill                         BuiltinOp = 94
	OpFloorMod                     BuiltinOp = 95
	OpRange                        BuiltinOp = 96
	OpResizeNearestNeighbor        BuiltinOp = 97
	OpLeakyRelu                    BuiltinOp = 98
	OpSquaredDifference            BuiltinOp = 99
	OpMirrorPad                    BuiltinOp = 100
	OpAbs                          BuiltinOp = 101
	OpSplitV                       BuiltinOp = 102
	OpUnique                       BuiltinOp = 103
	OpCeil                         BuiltinOp = 104
	OpReverseV2                    BuiltinOp = 105
	OpAddN                         BuiltinOp = 106
	OpGatherND                     BuiltinOp = 107
	OpCos                          BuiltinOp = 108
	OpWhere                        BuiltinOp = 109
	OpRank                         BuiltinOp = 110
	OpELU                          BuiltinOp = 111
	OpReverseSequence              BuiltinOp = 112
	OpMatrixDiag                   BuiltinOp = 113
	OpQuantize                     BuiltinOp = 114
	OpMatrixSetDiag                BuiltinOp = 115
	OpRound                        BuiltinOp = 116
	OpHardSwish                    BuiltinOp = 117
	OpIf                           BuiltinOp = 118
	OpWhile                        BuiltinOp = 119
	OpNonMaxSuppressionV4          BuiltinOp = 120
	OpNonMaxSuppressionV5          BuiltinOp = 121
	OpScatterND                    BuiltinOp = 122
	OpSelectV2                     BuiltinOp = 123
	OpDensify                      BuiltinOp = 124
	OpSegmentSum                   BuiltinOp = 125
	OpBatchMatMul                  BuiltinOp = 126
	OpPlaceholderForGreaterOpCodes BuiltinOp = 127
	OpCumsum                       BuiltinOp = 128
	OpCallOnce                     BuiltinOp = 129
	OpBroadcastTo                  BuiltinOp = 130
	OpRFFT2D                       BuiltinOp = 131
	OpConv3D                       BuiltinOp = 132
	OpImag                         BuiltinOp = 133
	OpReal                         BuiltinOp = 134
	OpComplexAbs                   BuiltinOp = 135
	OpHashtable                    BuiltinOp = 136
	OpHashtableFind                BuiltinOp = 137
	OpHashtableImport              BuiltinOp = 138
	OpHashtableSize                BuiltinOp = 139
	OpReduceAll                    BuiltinOp = 140
	OpConv3DTranspose              BuiltinOp = 141
	OpVarHandle                    BuiltinOp = 142
	OpReadVariable                 BuiltinOp = 143
	OpAssignVariable               BuiltinOp = 144
	OpBroadcastArgs                BuiltinOp = 145
	OpRandomStandardNormal         BuiltinOp = 146
	OpBucketize                    BuiltinOp = 147
	OpRandomUniform                BuiltinOp = 148
	OpMultinomial                  BuiltinOp = 149
	OpGELU                         BuiltinOp = 150
	OpDynamicUpdateSlice           BuiltinOp = 151
	OpRelu0To1                     BuiltinOp = 152
	OpUnsortedSegmentProd          BuiltinOp = 153
	OpUnsortedSegmentMax           BuiltinOp = 154
	OpUnsortedSegmentSum           BuiltinOp = 155
	OpAtan2                        BuiltinOp = 156
	OpUnsortedSegmentMin           BuiltinOp = 157
	OpSign                         BuiltinOp = 158
	OpBitcast                      BuiltinOp = 159
	OpBitwiseXor                   BuiltinOp = 160
	OpRightShift                   BuiltinOp = 161
	OpStablehloLogistic            BuiltinOp = 162
	OpStablehloAdd                 BuiltinOp = 163
	OpStablehloDivide              BuiltinOp = 164
	OpStablehloMultiply            BuiltinOp = 165
	OpStablehloMaximum             BuiltinOp = 166
	OpStablehloReshape             BuiltinOp = 167
	OpStablehloClamp               BuiltinOp = 168
	OpStablehloConcatenate         BuiltinOp = 169
	OpStablehloBroadcastInDim      BuiltinOp = 170
	OpStablehloConvolution         BuiltinOp = 171
	OpStablehloSlice               BuiltinOp = 172
	OpStablehloCustomCall          BuiltinOp = 173
	OpStablehloReduce              BuiltinOp = 174
	OpStablehloAbs                 BuiltinOp = 175
	OpStablehloAnd                 BuiltinOp = 176
	OpStablehloCosine              BuiltinOp = 177
	OpStablehloExponential         BuiltinOp = 178
	OpStablehloFloor               BuiltinOp = 179
	OpStablehloLog                 BuiltinOp = 180
	OpStablehloMinimum             BuiltinOp = 181
	OpStablehloNegate              BuiltinOp = 182
	OpStablehloOr                  BuiltinOp = 183
	OpStablehloPower               BuiltinOp = 184
	OpStablehloRemainder           BuiltinOp = 185
	OpStablehloRsqrt               BuiltinOp = 186
	OpStablehloSelect              BuiltinOp = 187
	OpStablehloSubtract            BuiltinOp = 188
	OpStablehloTanh                BuiltinOp = 189
	OpStablehloScatter             BuiltinOp = 190
	OpStablehloCompare             BuiltinOp = 191
	OpStablehloConvert             BuiltinOp = 192
	OpStablehloDynamicSlice        BuiltinOp = 193
	OpStablehloDynamicUpdateSlice  BuiltinOp = 194
	OpStablehloPad                 BuiltinOp = 195
	OpStablehloIota                BuiltinOp = 196
	OpStablehloDotGeneral          BuiltinOp = 197
	OpStablehloReduceWindow        BuiltinOp = 198
	OpStablehloSort                BuiltinOp = 199
	OpStablehloWhile               BuiltinOp = 200
	OpStablehloGather              BuiltinOp = 201
	OpStablehloTranspose           BuiltinOp = 202
	OpDilate                       BuiltinOp = 203
	OpStablehloRngBitGenerator     BuiltinOp = 204
	OpReduceWindow                 BuiltinOp = 205
	OpStablehloComposite           BuiltinOp = 206
	OpStablehloShiftLeft           BuiltinOp = 207
	OpStablehloCbrt                BuiltinOp = 208
	OpStablehloCase                BuiltinOp = 209
)

// builtinOpNames holds the schema's name of every builtin operator.
var builtinOpNames = [...]string{
	OpAdd:                          "ADD",
	OpAveragePool2D:                "AVERAGE_POOL_2D",
	OpConcatenation:                "CONCATENATION",
	OpConv2D:                       "CONV_2D",
	OpDepthwiseConv2D:              "DEPTHWISE_CONV_2D",
	OpDepthToSpace:                 "DEPTH_TO_SPACE",
	OpDequantize:                   "DEQUANTIZE",
	OpEmbeddingLookup:              "EMBEDDING_LOOKUP",
	OpFloor:                        "FLOOR",
	OpFullyConnected:               "FULLY_CONNECTED",
	OpHashtableLookup:              "HASHTABLE_LOOKUP",
	OpL2Normalization:              "L2_NORMALIZATION",
	OpL2Pool2D:                     "L2_POOL_2D",
	OpLocalResponseNormalization:   "LOCAL_RESPONSE_NORMALIZATION",
	OpLogistic:                     "LOGISTIC",
	OpLSHProjection:                "LSH_PROJECTION",
	OpLSTM:                         "LSTM",
	OpMaxPool2D:                    "MAX_POOL_2D",
	OpMul:                          "MUL",
	OpRelu:                         "RELU",
	OpReluN1To1:                    "RELU_N1_TO_1",
	OpRelu6:                        "RELU6",
	OpReshape:                      "RESHAPE",
	OpResizeBilinear:               "RESIZE_BILINEAR",
	OpRNN:                          "RNN",
	OpSoftmax:                      "SOFTMAX",
	OpSpaceToDepth:                 "SPACE_TO_DEPTH",
	OpSVDF:                         "SVDF",
	OpTanh:                         "TANH",
	OpConcatEmbeddings:             "CONCAT_EMBEDDINGS",
	OpSkipGram:                     "SKIP_GRAM",
	OpCall:                         "CALL",
	OpCustom:                       "CUSTOM",
	OpEmbeddingLookupSparse:        "EMBEDDING_LOOKUP_SPARSE",
	OpPad:                          "PAD",
	OpUnidirectionalSequenceRNN:    "UNIDIRECTIONAL_SEQUENCE_RNN",
	OpGather:                       "GATHER",
	OpBatchToSpaceND:               "BATCH_TO_SPACE_ND",
	OpSpaceToBatchND:               "SPACE_TO_BATCH_ND",
	OpTranspose:                    "TRANSPOSE",
	OpMean:                         "MEAN",
	OpSub:                          "SUB",
	OpDiv:                          "DIV",
	OpSqueeze:                      "SQUEEZE",
	OpUnidirectionalSequenceLSTM:   "UNIDIRECTIONAL_SEQUENCE_LSTM",
	OpStridedSlice:                 "STRIDED_SLICE",
	OpBidirectionalSequenceRNN:     "BIDIRECTIONAL_SEQUENCE_RNN",
	OpExp:                          "EXP",
	OpTopKV2:                       "TOPK_V2",
	OpSplit:                        "SPLIT",
	OpLogSoftmax:                   "LOG_SOFTMAX",
	OpDelegate:                     "DELEGATE",
	OpBidirectionalSequenceLSTM:    "BIDIRECTIONAL_SEQUENCE_LSTM",
	OpCast:                         "CAST",
	OpPRelu:                        "PRELU",
	OpMaximum:                      "MAXIMUM",
	OpArgMax:                       "ARG_MAX",
	OpMinimum:                      "MINIMUM",
	OpLess:                         "LESS",
	OpNeg:                          "NEG",
	OpPadV2:                        "PADV2",
	OpGreater:                      "GREATER",
	OpGreaterEqual:                 "GREATER_EQUAL",
	OpLessEqual:                    "LESS_EQUAL",
	OpSelect:                       "SELECT",
	OpSlice:                        "SLICE",
	OpSin:                          "SIN",
	OpTransposeConv:                "TRANSPOSE_CONV",
	OpSparseToDense:                "SPARSE_TO_DENSE",
	OpTile:                         "TILE",
	OpExpandDims:                   "EXPAND_DIMS",
	OpEqual:                        "EQUAL",
	OpNotEqual:                     "NOT_EQUAL",
	OpLog:                          "LOG",
	OpSum:                          "SUM",
	OpSqrt:                         "SQRT",
	OpRsqrt:                        "RSQRT",
	OpShape:                        "SHAPE",
	OpPow:                          "POW",
	OpArgMin:                       "ARG_MIN",
	OpFakeQuant:                    "FAKE_QUANT",
	OpReduceProd:                   "REDUCE_PROD",
	OpReduceMax:                    "REDUCE_MAX",
	OpPack:                         "PACK",
	OpLogicalOr:                    "LOGICAL_OR",
	OpOneHot:                       "ONE_HOT",
	OpLogicalAnd:                   "LOGICAL_AND",
	OpLogicalNot:                   "LOGICAL_NOT",
	OpUnpack:                       "UNPACK",
	OpReduceMin:                    "REDUCE_MIN",
	OpFloorDiv:                     "FLOOR_DIV",
	OpReduceAny:                    "REDUCE_ANY",
	OpSquare:                       "SQUARE",
	OpZerosLike:                    "ZEROS_LIKE",
	OpFill:                         "FILL",
	OpFloorMod:                     "FLOOR_MOD",
	OpRange:                        "RANGE",
	OpResizeNearestNeighbor:        "RESIZE_NEAREST_NEIGHBOR",
	OpLeakyRelu:                    "LEAKY_RELU",
	OpSquaredDifference:            "SQUARED_DIFFERENCE",
	OpMirrorPad:                    "MIRROR_PAD",
	OpAbs:                          "ABS",
	OpSplitV:                       "SPLIT_V",
	OpUnique:                       "UNIQUE",
	OpCeil:                         "CEIL",
	OpReverseV2:                    "REVERSE_V2",
	OpAddN:                         "ADD_N",
	OpGatherND:                     "GATHER_ND",
	OpCos:                          "COS",
	OpWhere:                        "WHERE",
	OpRank:                         "RANK",
	OpELU:                          "ELU",
	OpReverseSequence:              "REVERSE_SEQUENCE",
	OpMatrixDiag:                   "MATRIX_DIAG",
	OpQuantize:                     "QUANTIZE",
	OpMatrixSetDiag:                "MATRIX_SET_DIAG",
	OpRound:                        "ROUND",
	OpHardSwish:                    "HARD_SWISH",
	OpIf:                           "IF",
	OpWhile:                        "WHILE",
	OpNonMaxSuppressionV4:          "NON_MAX_SUPPRESSION_V4",
	OpNonMaxSuppressionV5:          "NON_MAX_SUPPRESSION_V5",
	OpScatterND:                    "SCATTER_ND",
	OpSelectV2:                     "SELECT_V2",
	OpDensify:                      "DENSIFY",
	OpSegmentSum:                   "SEGMENT_SUM",
	OpBatchMatMul:                  "BATCH_MATMUL",
	OpPlaceholderForGreaterOpCodes: "PLACEHOLDER_FOR_GREATER_OP_CODES",
	OpCumsum:                       "CUMSUM",
	OpCallOnce:                     "CALL_ONCE",
	OpBroadcastTo:                  "BROADCAST_TO",
	OpRFFT2D:                       "RFFT2D",
	OpConv3D:                       "CONV_3D",
	OpImag:                         "IMAG",
	OpReal:                         "REAL",
	OpComplexAbs:                   "COMPLEX_ABS",
	OpHashtable:                    "HASHTABLE",
	OpHashtableFind:                "HASHTABLE_FIND",
	OpHashtableImport:              "HASHTABLE_IMPORT",
	OpHashtableSize:                "HASHTABLE_SIZE",
	OpReduceAll:                    "REDUCE_ALL",
	OpConv3DTranspose:              "CONV_3D_TRANSPOSE",
	OpVarHandle:                    "VAR_HANDLE",
	OpReadVariable:                 "READ_VARIABLE",
	OpAssignVariable:               "ASSIGN_VARIABLE",
	OpBroadcastArgs:                "BROADCAST_ARGS",
	OpRandomStandardNormal:         "RANDOM_STANDARD_NORMAL",
	OpBucketize:                    "BUCKETIZE",
	OpRandomUniform:                "RANDOM_UNIFORM",
	OpMultinomial:                  "MULTINOMIAL",
	OpGELU:                         "GELU",
	OpDynamicUpdateSlice:           "DYNAMIC_UPDATE_SLICE",
	OpRelu0To1:                     "RELU_0_TO_1",
	OpUnsortedSegmentProd:          "UNSORTED_SEGMENT_PROD",
	OpUnsortedSegmentMax:           "UNSORTED_SEGMENT_MAX",
	OpUnsortedSegmentSum:           "UNSORTED_SEGMENT_SUM",
	OpAtan2:                        "ATAN2",
	OpUnsortedSegmentMin:           "UNSORTED_SEGMENT_MIN",
	OpSign:                         "SIGN",
	OpBitcast:                      "BITCAST",
	OpBitwiseXor:                   "BITWISE_XOR",
	OpRightShift:                   "RIGHT_SHIFT",
	OpStablehloLogistic:            "STABLEHLO_LOGISTIC",
	OpStablehloAdd:                 "STABLEHLO_ADD",
	OpStablehloDivide:              "STABLEHLO_DIVIDE",
	OpStablehloMultiply:            "STABLEHLO_MULTIPLY",
	OpStablehloMaximum:             "STABLEHLO_MAXIMUM",
	OpStablehloReshape:             "STABLEHLO_RESHAPE",
	OpStablehloClamp:               "STABLEHLO_CLAMP",
	OpStablehloConcatenate:         "STABLEHLO_CONCATENATE",
	OpStablehloBroadcastInDim:      "STABLEHLO_BROADCAST_IN_DIM",
	OpStablehloConvolution:         "STABLEHLO_CONVOLUTION",
	OpStablehloSlice:               "STABLEHLO_SLICE",
	OpStablehloCustomCall:          "STABLEHLO_CUSTOM_CALL",
	OpStablehloReduce:              "STABLEHLO_REDUCE",
	OpStablehloAbs:                 "STABLEHLO_ABS",
	OpStablehloAnd:                 "STABLEHLO_AND",
	OpStablehloCosine:              "STABLEHLO_COSINE",
	OpStablehloExponential:         "STABLEHLO_EXPONENTIAL",
	OpStablehloFloor:               "STABLEHLO_FLOOR",
	OpStablehloLog:                 "STABLEHLO_LOG",
	OpStablehloMinimum:             "STABLEHLO_MINIMUM",
	OpStablehloNegate:              "STABLEHLO_NEGATE",
	OpStablehloOr:                  "STABLEHLO_OR",
	OpStablehloPower:               "STABLEHLO_POWER",
	OpStablehloRemainder:           "STABLEHLO_REMAINDER",
	OpStablehloRsqrt:               "STABLEHLO_RSQRT",
	OpStablehloSelect:              "STABLEHLO_SELECT",
	OpStablehloSubtract:            "STABLEHLO_SUBTRACT",
	OpStablehloTanh:                "STABLEHLO_TANH",
	OpStablehloScatter:             "STABLEHLO_SCATTER",
	OpStablehloCompare:             "STABLEHLO_COMPARE",
	OpStablehloConvert:             "STABLEHLO_CONVERT",
	OpStablehloDynamicSlice:        "STABLEHLO_DYNAMIC_SLICE",
	OpStablehloDynamicUpdateSlice:  "STABLEHLO_DYNAMIC_UPDATE_SLICE",
	OpStablehloPad:                 "STABLEHLO_PAD",
	OpStablehloIota:                "STABLEHLO_IOTA",
	OpStablehloDotGeneral:          "STABLEHLO_DOT_GENERAL",
	OpStablehloReduceWindow:        "STABLEHLO_REDUCE_WINDOW",
	OpStablehloSort:                "STABLEHLO_SORT",
	OpStablehloWhile:               "STABLEHLO_WHILE",
	OpStablehloGather:              "STABLEHLO_GATHER",
	OpStablehloTranspose:           "STABLEHLO_TRANSPOSE",
	OpDilate:                       "DILATE",
	OpStablehloRngBitGenerator:     "STABLEHLO_RNG_BIT_GENERATOR",
	OpReduceWindow:                 "REDUCE_WINDOW",
	OpStablehloComposite:           "STABLEHLO_COMPOSITE",
	OpStablehloShiftLeft:           "STABLEHLO_SHIFT_LEFT",
	OpStablehloCbrt:                "STABLEHLO_CBRT",
	OpStablehloCase:                "STABLEHLO_CASE",
}
