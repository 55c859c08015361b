package component

import "strings"

// CMSISNNCommon is the component of CMSIS-NN's support code that several
// TFLM operators' kernels share (matrix-multiply cores, operand widening,
// kernel sums) or that no TFLM kernel calls.
const CMSISNNCommon = "cmsis-nn/common"

// cmsisNNGroup names the CMSIS-NN functions charged to one component:
// exact names, or prefixes ending in '*'.
type cmsisNNGroup struct {
	// stem is the TFLM kernel source stem (kernels/cmsis_nn/<stem>.cc)
	// whose operator the functions are charged to; "" for CMSISNNCommon.
	stem  string
	names []string
}

// cmsisNNGroups charge the functions of ARM-software/CMSIS-NN (the commit
// TFLM pins, 4ab83cc3cc98) to the TFLM operator whose kernel calls them,
// in the order the rules are tried. A function that the kernels of
// several operators reach (kernels/cmsis_nn/*.cc calls, followed through
// CMSIS-NN's own calls in a Cortex-M4 build) goes to CMSISNNCommon, as do
// CMSIS-NN functions no TFLM kernel calls and that belong to no kernel's
// family (concatenation, ReLU, reshape); the other functions TFLM does not
// call (other CPUs' variants) go with their family.
var cmsisNNGroups = []cmsisNNGroup{
	// Shared by several operators' kernels: CONV_2D and TRANSPOSE_CONV;
	// CONV_2D and FULLY_CONNECTED; CONV_2D and DEPTHWISE_CONV_2D;
	// FULLY_CONNECTED, SVDF and BATCH_MATMUL; FULLY_CONNECTED, SVDF and
	// LSTM; MUL and LSTM. Then helpers no kernel calls on a Cortex-M4 and
	// functions of operators TFLM runs without CMSIS-NN.
	{"", []string{
		"arm_convolve_s8", "arm_convolve_s8_get_buffer_size", "arm_nn_mat_mult_kernel_row_offset_s8_s16",
		"arm_nn_mat_mult_kernel_s8_s16", "arm_s8_to_s16_unordered_with_offset",
		"arm_convolve_1x1_s8_fast", "arm_nn_mat_mult_nt_t_s8",
		"arm_q7_to_q15_with_offset",
		"arm_nn_vec_mat_mult_t_s8", "arm_fully_connected_s8_get_buffer_size",
		"arm_vector_sum_s8",
		"arm_elementwise_mul_s16",
		"arm_nn_mat_mul_core_*", "arm_nn_mat_mult_nt_t_s8_s32", "arm_nn_mat_mult_s8",
		"arm_concatenation_*", "arm_relu*", "arm_reshape_*",
	}},
	{"unidirectional_sequence_lstm", []string{"arm_lstm_*", "arm_nn_lstm_*", "arm_nn_activation_s16", "arm_nn_vec_mat_mul_result_acc_*",
		"arm_elementwise_mul_acc_s16", "arm_elementwise_mul_s16_batch_offset", "arm_elementwise_mul_s16_s8", "arm_vector_sum_s8_s64",
		"arm_nntables", "sigmoid_table_uint16"}}, // arm_nntables.c holds only the sigmoid table, which arm_nn_activation_s16 reads
	{"svdf", []string{"arm_svdf_*", "arm_nn_vec_mat_mult_t_svdf_*"}},
	{"batch_matmul", []string{"arm_batch_matmul_*", "arm_nn_vec_mat_mult_t_s16_s16"}},
	{"fully_connected", []string{"arm_fully_connected_*", "arm_nn_vec_mat_mult_t_*", "arm_convolve_1x1_s8_fast_get_buffer_size"}},
	{"transpose_conv", []string{"arm_transpose_conv_*", "arm_nn_transpose_conv_*"}},
	{"depthwise_conv", []string{"arm_depthwise_conv_*", "arm_nn_depthwise_conv_*", "depthwise_conv_s8_mult_4"}},
	{"conv", []string{"arm_convolve_*", "arm_nn_is_convolve_*", "arm_nn_mat_mult_kernel_*", "arm_nn_mat_mult_nt_*"}},
	{"softmax", []string{"arm_softmax_*", "arm_nn_softmax_*"}},
	{"pooling", []string{"arm_avgpool_*", "arm_max_pool_*"}},
	{"add", []string{"arm_elementwise_add_*"}},
	{"mul", []string{"arm_elementwise_mul_*"}},
	{"maximum_minimum", []string{"arm_maximum_*", "arm_minimum_*", "arm_max_no_broadcast_*", "arm_max_scalar_*",
		"arm_min_no_broadcast_*", "arm_min_scalar_*"}},
	{"pad", []string{"arm_pad_*"}},
	{"transpose", []string{"arm_transpose_*"}},
}

// cmsisNNArchives are the names CMSIS-NN's static library goes by: TFLM's
// Makefile and CMSIS-NN's CMake builds, and vendor packs.
var cmsisNNArchives = Patterns{"libcmsis-nn*", "libcmsis_nn*", "libcmsisnn*", "libCMSISNN*", "libCMSIS-NN*"}

// cmsisNNDirs match the source directories only CMSIS-NN has (CMSIS-DSP,
// laid out alike, shares BasicMathFunctions, whose NN files the function
// rules know by name).
var cmsisNNDirs = Patterns{"*/ActivationFunctions/*", "*/ConcatenationFunctions/*", "*/ConvolutionFunctions/*",
	"*/FullyConnectedFunctions/*", "*/LSTMFunctions/*", "*/NNSupportFunctions/*", "*/PadFunctions/*",
	"*/PoolingFunctions/*", "*/ReshapeFunctions/*", "*/SVDFunctions/*", "*/SoftmaxFunctions/*", "*/TransposeFunctions/*"}

// cmsisNNComponent returns the component of the CMSIS-NN function (or
// source or object stem) called name, "" when name is none of CMSIS-NN's.
// GCC's clone suffixes (.isra.0, .constprop.0, ...) are ignored.
func cmsisNNComponent(name string) string {
	if i := strings.IndexByte(name, '.'); i >= 0 {
		name = name[:i]
	}
	for _, g := range cmsisNNGroups {
		for _, n := range g.names {
			prefix, isPrefix := strings.CutSuffix(n, "*")
			if name == n || isPrefix && strings.HasPrefix(name, prefix) {
				if g.stem == "" {
					return CMSISNNCommon
				}
				return "tflm/kernel/" + kernelOp(g.stem)
			}
		}
	}
	return ""
}

// cmsisNNRules are the built-in rules for CMSIS-NN: by function name (GCC's
// clones included), then by source file and by archive member (both named
// after the function they define), each through cmsisNNComponent (the
// ${...:cmsis-nn} transform), so the whole library costs one regular
// expression per piece with a cheap literal prefilter. They go before
// TFLM's rules, whose source-path rule would otherwise take the copy of
// CMSIS-NN that TFLM downloads into its tree.
func cmsisNNRules() []Rule {
	const fn = "(?P<fn>arm_[A-Za-z0-9_]+|depthwise_conv_s8_mult_4|sigmoid_table_uint16)"
	return []Rule{
		{Component: "${fn:cmsis-nn}", Symbol: Patterns{"re:^" + fn + `(?:\.(?:isra|constprop|part|cold)\.[0-9]+)*$`}},
		{Component: "${fn:cmsis-nn}", File: Patterns{"re:Functions/" + fn + `\.c$`}},
		{Component: "${fn:cmsis-nn}", Object: Patterns{"re:^" + fn + objectSuffix}, Archive: cmsisNNArchives},
	}
}

// cmsisNNFallbackRules give whatever else of CMSIS-NN's library or source
// tree no earlier rule named to CMSISNNCommon. They go last: almost no
// piece reaches them, so they cost almost nothing.
func cmsisNNFallbackRules() []Rule {
	return []Rule{
		{Component: CMSISNNCommon, File: cmsisNNDirs},
		{Component: CMSISNNCommon, Archive: cmsisNNArchives},
	}
}
