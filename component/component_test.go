package component

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

func TestBuiltinComponents(t *testing.T) {
	set, err := Compile(Builtin())
	require.NoError(t, err)
	for _, tc := range []struct {
		piece report.Piece
		want  string
	}{
		{report.Piece{Section: ".isr_vector", Symbol: "g_pfnVectors"}, "startup"},
		{report.Piece{Section: ".text", Symbol: "Reset_Handler"}, "startup"},
		{report.Piece{Section: ".text", Symbol: "SysTick_Handler"}, "startup"},
		{report.Piece{Section: ".text", Symbol: "frame_dummy", File: "crtstuff.c"}, "startup"},
		{report.Piece{Section: ".text", Symbol: "tflite::(anonymous namespace)::Eval(TfLiteContext*, TfLiteNode*)",
			File: "tensorflow/lite/micro/kernels/conv.cc"}, "tflm/kernel/CONV_2D"},
		{report.Piece{Section: ".text", Symbol: "tflite::ConvParamsQuantized()",
			File: "/src/tflm/tensorflow/lite/micro/kernels/conv_common.cc"}, "tflm/kernel/CONV_2D"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/kernels/cmsis_nn/depthwise_conv.cc"}, "tflm/kernel/DEPTHWISE_CONV_2D"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/kernels/pooling.cc"}, "tflm/kernel/POOL_2D"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/kernels/fully_connected.cc"}, "tflm/kernel/FULLY_CONNECTED"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/kernels/kernel_util.cc"}, "tflm/runtime"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/kernels/brand_new_op.cc"}, "tflm/kernel/BRAND_NEW_OP"},
		{report.Piece{Section: ".text", Symbol: "x", File: "src/kernels/depthwise_conv.cc"}, "tflm/kernel/DEPTHWISE_CONV_2D"},
		{report.Piece{Section: ".text", Symbol: "x", File: "src/kernels/my_filter.cc"}, "app"},
		{report.Piece{Section: ".bss", Symbol: "x", File: "src/tflite/micro_allocator.cc"}, "tflm/runtime"},
		{report.Piece{Section: ".text", Symbol: "tflite::(anonymous namespace)::SoftmaxEval(TfLiteContext*, TfLiteNode*)", File: "softmax.cc"}, "tflm/kernel/SOFTMAX"},
		{report.Piece{Section: ".text", Symbol: "tflite::Register_MAX_POOL_2D()"}, "tflm/kernel/MAX_POOL_2D"},
		{report.Piece{Section: ".text", Symbol: "tflite::MicroInterpreter::Invoke()"}, "tflm/runtime"},
		{report.Piece{Section: ".text", Symbol: "tflite::ops::micro::depthwise_conv::Eval(TfLiteContext*, TfLiteNode*)"}, "tflm/kernel/DEPTHWISE_CONV_2D"},
		{report.Piece{Section: ".text", Symbol: "void tflite::reference_ops::Softmax<float>(...)"}, "tflm/runtime"},
		{report.Piece{Section: ".text", Symbol: "x", File: "tensorflow/lite/micro/micro_allocator.cc"}, "tflm/runtime"},
		{report.Piece{Section: ".text", Symbol: "std::__throw_bad_alloc()"}, "libstdc++"},
		{report.Piece{Section: ".text", Symbol: "operator new(unsigned int)"}, "libstdc++"},
		{report.Piece{Section: ".text", Symbol: "__cxa_pure_virtual"}, "libstdc++"},
		{report.Piece{Section: ".text", Symbol: "expf"}, "libm"},
		{report.Piece{Section: ".text", Symbol: "__ieee754_sqrtf"}, "libm"},
		{report.Piece{Section: ".text", Symbol: "x", File: "/home/b/newlib/libm/math/kf_rem_pio2.c"}, "libm"},
		{report.Piece{Section: ".text", Symbol: "__aeabi_fmul"}, "libgcc"},
		{report.Piece{Section: ".text", Symbol: "__divdi3"}, "libgcc"},
		{report.Piece{Section: ".text", Symbol: "__floatsisf"}, "libgcc"},
		{report.Piece{Section: ".text", Symbol: "_Unwind_Resume"}, "libgcc"},
		{report.Piece{Section: ".text", Symbol: "memcpy"}, "libc"},
		{report.Piece{Section: ".text", Symbol: "_malloc_r"}, "libc"},
		{report.Piece{Section: ".text", Symbol: "printf"}, "libc"},
		{report.Piece{Section: ".text", Symbol: "x", Archive: "libc_nano.a"}, "libc"},
		{report.Piece{Section: ".text", Symbol: "main"}, "app"},
		{report.Piece{Section: ".bss", Symbol: "tensor_arena"}, "app"},
	} {
		assert.Equal(t, tc.want, set.Component(&tc.piece), "%+v", tc.piece)
	}
}

func TestKernelOp(t *testing.T) {
	assert.Equal(t, "CONV_2D", kernelOp("conv"))
	assert.Equal(t, "CONV_2D", kernelOp("conv_common"))
	assert.Equal(t, "SOFTMAX", kernelOp("softmax"))
	assert.Equal(t, "STRIDED_SLICE", kernelOp("strided_slice_common"))
	assert.Equal(t, "DETECTION_POSTPROCESS", kernelOp("detection_postprocess_flexbuffers_generated_data"))
	assert.Equal(t, "DECODE", kernelOp("decode_state_huffman"))
}

const exampleRules = `
# Rules are tried in order, before the built-in ones; the first match wins.
rules:
  - component: drivers/hal
    file: "*/Drivers/STM32F4xx_HAL_Driver/*"
  - component: app/audio
    symbol: ["audio_*", "re:^mic_"]
  - component: tflm/kernel/${op:upper}
    file: "re:/my_kernels/(?P<op>[a-z_]+)\\.cc$"
  - component: arena
    symbol: tensor_arena
    section: .bss
`

func TestLoadAndOverride(t *testing.T) {
	rules, err := Load(strings.NewReader(exampleRules))
	require.NoError(t, err)
	require.Len(t, rules, 4)
	rep := &report.Report{
		Models: []report.Model{{Symbol: "g_model", Section: ".rodata"}},
		Pieces: []report.Piece{
			{Section: ".text", Symbol: "HAL_Init", File: "/p/Drivers/STM32F4xx_HAL_Driver/Src/hal.c", Size: 10, Flash: 10},
			{Section: ".text", Symbol: "mic_read", Size: 8, Flash: 8},
			{Section: ".text", Symbol: report.Padding, Size: 2, Flash: 2},
			{Section: ".text", Symbol: "Eval", File: "/x/my_kernels/gelu.cc", Size: 4, Flash: 4},
			{Section: ".text", Symbol: "memcpy", Size: 20, Flash: 20},
			{Section: ".rodata", Symbol: "g_model", Size: 100, Flash: 100},
			{Section: ".bss", Symbol: "tensor_arena", Size: 1000, RAM: 1000},
		},
	}
	require.NoError(t, Assign(rep, rules))
	var got []string
	for _, p := range rep.Pieces {
		got = append(got, p.Component)
	}
	// The padding goes with the kernel it aligns.
	assert.Equal(t, []string{"drivers/hal", "app/audio", "tflm/kernel/GELU", "tflm/kernel/GELU", "libc", "model", "arena"}, got)
}

func TestLoadErrors(t *testing.T) {
	for name, text := range map[string]string{
		"no component":  "rules:\n  - symbol: main\n",
		"bad regexp":    "rules:\n  - component: x\n    symbol: 're:('\n",
		"unknown field": "rules:\n  - component: x\n    simbol: main\n",
		"not yaml":      "rules: [",
		"bad pattern":   "rules:\n  - component: x\n    symbol: {a: b}\n",
		"unknown group": "rules:\n  - component: k/${op}\n    symbol: main\n",
		"bad transform": "rules:\n  - component: k/${op:lower}\n    symbol: 're:(?P<op>x)'\n",
	} {
		_, err := Load(strings.NewReader(text))
		require.Error(t, err, name)
		assert.NotContains(t, err.Error(), "\n", name)
	}
	rules, err := Load(strings.NewReader(""))
	require.NoError(t, err)
	assert.Empty(t, rules)
}

func FuzzLoad(f *testing.F) {
	f.Add(exampleRules)
	f.Add("rules: []")
	f.Fuzz(func(t *testing.T, text string) {
		rules, err := Load(strings.NewReader(text))
		if err != nil {
			return
		}
		set, err := Compile(rules)
		require.NoError(t, err)
		p := report.Piece{Section: ".text", Symbol: "main", File: "a.c"}
		assert.NotEmpty(t, set.Component(&p))
	})
}
