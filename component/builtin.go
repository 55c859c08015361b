package component

import "strings"

// Builtin returns the built-in rules, in the order they are tried: start-up
// code (vector table, reset handler, C runtime initialisation); CMSIS-NN's
// functions, charged to the TFLM operator whose kernel calls them or to
// "cmsis-nn/common" (see cmsisNNGroups); TFLM kernels and runtime by source
// file; the toolchain libraries by archive or source path; then, for
// pieces those say nothing about, well-known symbol names (a kernel's
// Register_<OP> function, tflite:: code, libstdc++, libm, libgcc, libc);
// last, the rest of CMSIS-NN. Whatever no rule claims is "app".
func Builtin() []Rule {
	rules := []Rule{
		// Start-up code: vector table, reset handler, C runtime initialisation.
		{Component: "startup", Section: Patterns{".isr_vector", ".vectors", ".vector_table", ".intvecs",
			".init", ".fini", ".init_array", ".fini_array", ".preinit_array", ".ctors", ".dtors"}},
		{Component: "startup", Symbol: Patterns{"Reset_Handler", "*_Handler", "*_IRQHandler", "g_pfnVectors",
			"__isr_vector", "__Vectors", "__vector_table", "_vectors", "vector_table", "_start",
			"_mainCRTStartup", "_stack_init", "SystemInit", "SystemCoreClockUpdate", "SystemCoreClock",
			"__libc_init_array", "__libc_fini_array", "_init", "_fini", "frame_dummy",
			"__do_global_dtors_aux", "__do_global_ctors_aux", "register_tm_clones", "deregister_tm_clones",
			"__frame_dummy_init_array_entry", "__do_global_dtors_aux_fini_array_entry", "__dso_handle"}},
		{Component: "startup", File: Patterns{"*startup*", "*crt0*", "*crti.*", "*crtn.*", "*crtbegin*",
			"*crtend*", "*crtstuff*", "re:(^|/)system_[^/]*\\.c$"}},
		{Component: "startup", Object: Patterns{"*startup*", "crt0.o", "crti.o", "crtn.o", "crtbegin*.o", "crtend*.o"}},
	}
	rules = append(rules, cmsisNNRules()...)
	rules = append(rules, []Rule{

		// Kernel sources: a known TFLM kernel file in any kernels/
		// directory, or any file in TFLM's own kernels directory.
		{Component: "tflm/runtime", File: Patterns{kernelDir + "(" + runtimeStems + ")\\.cc$"}},
		{Component: "tflm/kernel/${stem:op}", File: Patterns{kernelDir + "(?P<stem>" + kernelStems() + ")\\.cc$"}},
		{Component: "tflm/kernel/${stem:op}", File: Patterns{tflmKernelDir + "(?P<stem>[a-z0-9_]+)\\.cc$"}},
		// Without DWARF, local symbols still carry the base name of their
		// source file (from the symbol table's STT_FILE entries).
		{Component: "tflm/kernel/${stem:op}", File: Patterns{"re:^(?P<stem>" + kernelStems() + ")\\.cc$"},
			Symbol: Patterns{"*tflite::*"}},
		{Component: "tflm/runtime", File: Patterns{"re:^micro_[a-z0-9_]+\\.cc$"}},
		{Component: "tflm/runtime", File: Patterns{"re:(^|/)(tensorflow|tflite|tflite-micro|tflite_micro|tflm|flatbuffers)/"}},

		// Toolchain libraries by archive or source path, which beat names.
		{Component: "libstdc++", Archive: Patterns{"libstdc++*", "libsupc++*"}},
		{Component: "libstdc++", File: Patterns{"*/libstdc++-v3/*", "*/libsupc++/*"}},
		{Component: "libm", Archive: Patterns{"libm.a", "libm_*.a", "libm-*.a"}},
		{Component: "libm", File: Patterns{"*/libm/*"}},
		{Component: "libgcc", Archive: Patterns{"libgcc.a", "libgcc_eh.a", "libgcc_s*"}},
		{Component: "libgcc", File: Patterns{"*/libgcc/*", "*/gcc/config/*"}},
		{Component: "libc", Archive: Patterns{"libc.a", "libc_nano.a", "libg.a", "libg_nano.a", "libnosys.a",
			"librdimon*.a", "libc_*.a"}},
		{Component: "libc", File: Patterns{"*/newlib/libc/*", "*/libc/*", "*picolibc*"}},

		// Object files named by a linker map (after the toolchain
		// archives, whose members may share a kernel's name): a kernel's
		// object (conv.o, conv.cc.o, conv.obj) and the runtime's.
		{Component: "tflm/runtime", Object: Patterns{"re:^(" + runtimeStems + ")" + objectSuffix}},
		{Component: "tflm/kernel/${stem:op}", Object: Patterns{"re:^(?P<stem>" + kernelStems() + ")" + objectSuffix}},
		{Component: "tflm/runtime", Object: Patterns{"re:^(micro_[a-z0-9_]+|flatbuffer_utils|schema_utils|op_resolver|" +
			"tflite_bridge|flatbuffer_conversions|memory_helpers|arena_allocator|[a-z_]*memory_planner)" + objectSuffix}},
		{Component: "tflm/runtime", Archive: Patterns{"libtensorflow-microlite*.a", "libtflm*.a", "libtflite-micro*.a"}},

		// Then by well-known symbol names.
		{Component: "tflm/kernel/${op}", Symbol: Patterns{"re:(^|::)Register_(?P<op>[A-Z][A-Z0-9_]*)\\("}},
		// Older TFLM kept each kernel in a namespace of its own.
		{Component: "tflm/kernel/${stem:op}", Symbol: Patterns{"re:(^|[ (<*&,])tflite::ops::micro::(?P<stem>[a-z0-9_]+)::"}},
		{Component: "tflm/runtime", Symbol: Patterns{"re:(^|[ (<*&,])(tflite|flatbuffers)::", "TfLite*", "tflite_*",
			"MicroPrintf", "VMicroPrintf", "MicroSnprintf", "MicroVsnprintf", "DebugLog", "DebugVsnprintf"}},
		{Component: "libstdc++", Symbol: Patterns{"re:^(std|__gnu_cxx|__cxxabiv1)::", "re:^[^(]* (std|__gnu_cxx|__cxxabiv1)::",
			"__cxa_*", "__gxx_*", "operator new*", "operator delete*", "typeinfo for __cxxabiv1::*",
			"vtable for __cxxabiv1::*", "vtable for std::*", "typeinfo for std::*", "typeinfo name for std::*",
			"__dynamic_cast", "__gnu_cxx::*"}},
		{Component: "libm", Symbol: append(Patterns{"__ieee754_*", "__kernel_*", "__math_*", "__fpclassify*", "__isinf*",
			"__isnan*", "__signbit*", "__exp_data", "__exp2f_data", "__log_data", "__logf_data", "__log2_data",
			"__log2f_data", "__pow_log_data", "__powf_log2_data", "__sincosf_table", "__inv_pio4", "__rem_pio2*"},
			libmFunctions()...)},
		{Component: "libgcc", Symbol: Patterns{"__aeabi_*", "__gnu_*", "_Unwind_*", "___Unwind_*", "__Unwind_*",
			"__restore_core_regs", "restore_core_regs", "__sync_*", "__atomic_*", "__clear_cache", "__emutls_*",
			"__udivmoddi4", "__popcount_tab", "__clz_tab",
			"re:^__[a-z]+(qi|hi|si|di|ti|sf|df|tf|xf|hf|bf)[0-9]?$"}},
		{Component: "libc", Symbol: append(strings.Fields(libcFunctions), "re:^(mem|str|wcs|wmem)[a-z]+$", "re:^_?_[a-z0-9_]+_r$",
			"_impure_ptr", "_global_impure_ptr", "_impure_data", "__sinit*", "__sfp*", "__smakebuf_r", "__swhatbuf_r",
			"__swsetup_r", "__sflush_r", "__sread", "__swrite", "__sseek", "__sclose", "__sf_fake_*", "__fp_lock_all",
			"__fp_unlock_all", "_fwalk*", "_cleanup_r", "__malloc_*", "__env_lock", "__env_unlock", "__retarget_lock_*",
			"__call_exitprocs", "__register_exitproc", "__atexit*", "_atexit*", "__stack_chk_*", "__assert*",
			"_ctype_", "__locale_*", "__global_locale", "__ascii_*", "_printf_*", "_scanf_*", "_svfprintf_r",
			"_vfprintf_r", "_Balloc", "_Bfree", "__d2b", "__b2d", "__mdiff", "__multadd", "__pow5mult", "__lshift",
			"__mcmp", "__hi0bits", "__lo0bits", "__i2b", "__multiply", "__ulp", "__ratio", "__s2b", "__copybits",
			"__any_on", "__mprec_*", "__sccl", "__submore", "__libc_*", "_exit",
			"__nano_*", "nano_*", "__ssputs_r", "__ssprint_r", "__sprint_r", "__sfvwrite_r", "environ", "_sbrk_r",
			"__lock___*", "_fini_array", "_reclaim_reent", "_localeconv_r", "__localeconv_l", "_setlocale_r",
			"_dtoa_r", "__swbuf_r", "__srget_r", "_close", "_lseek", "_read", "_write", "_fstat", "_isatty",
			"_kill", "_getpid", "_sbrk", "_open")},
	}...)
	return append(rules, cmsisNNFallbackRules()...)
}

// libmMathNames are the C math functions; libm has each in double, float
// ("f") and long double ("l") forms.
const libmMathNames = "acos acosh asin asinh atan atan2 atanh cbrt ceil copysign cos cosh erf erfc exp exp10 exp2 expm1 " +
	"fabs fdim floor fma fmax fmin fmod frexp hypot ilogb ldexp lgamma llrint llround log log10 log1p " +
	"log2 logb lrint lround modf nan nearbyint nextafter pow remainder remquo rint round scalbln scalbn " +
	"sin sincos sinh sqrt tan tanh tgamma trunc finite significand "

// libmFunctions returns the libm function names in all three forms.
func libmFunctions() Patterns {
	var out Patterns
	for _, name := range strings.Fields(libmMathNames) {
		out = append(out, name, name+"f", name+"l")
	}
	return out
}

// libcFunctions are common C library functions and data.
const libcFunctions = "abort atexit exit malloc free calloc realloc memalign aligned_alloc posix_memalign printf sprintf " +
	"snprintf vsnprintf vsprintf vprintf fprintf vfprintf iprintf siprintf sniprintf puts putchar fputs " +
	"fputc fwrite fflush fclose fopen fread fseek setvbuf atoi atol atof strtol strtoul strtoll strtoull " +
	"strtod strtof qsort bsearch abs labs div ldiv rand srand errno __errno localeconv setlocale isalpha " +
	"isdigit isspace isupper islower isxdigit toupper tolower time clock gettimeofday "

// tflmKernelDir matches the directory of TFLM kernel sources, including
// optimised variants in a subdirectory (cmsis_nn/, xtensa/, ...).
const tflmKernelDir = "re:(^|/)tensorflow/lite/micro/kernels/(?:[a-z_]+/)?"

// objectSuffix ends an object-file pattern: make's "conv.o", CMake's
// "conv.cc.o", MSVC-style "conv.obj".
const objectSuffix = "(\\.cc|\\.cpp)?\\.o(bj)?$"

// kernelDir matches any kernels/ directory (and a variant subdirectory),
// for vendored or trimmed copies of TFLM laid out differently.
const kernelDir = "re:(^|/)kernels/(?:[a-z_]+/)?"

// runtimeStems are source files in the kernel directory that are shared
// runtime support rather than one op's kernel.
const runtimeStems = "kernel_runner|kernel_util|micro_tensor_utils|decompress|decompress_common"

// kernelStemList lists TFLM kernel source stems (tensorflow/lite/micro/
// kernels/*.cc, without _common and runtime files).
const kernelStemList = "activations add add_n arg_min_max assign_variable batch_matmul batch_to_space_nd " +
	"broadcast_args broadcast_to call_once cast ceil circular_buffer comparisons concatenation conv cumsum " +
	"decode depth_to_space depthwise_conv dequantize detection_postprocess div dynamic_update_slice " +
	"elementwise elu embedding_lookup ethosu exp expand_dims fill floor floor_div floor_mod fully_connected " +
	"gather gather_nd hard_swish if l2_pool_2d l2norm leaky_relu log_softmax logical logistic lstm_eval " +
	"maximum_minimum mirror_pad mul neg pack pad pooling prelu quantize read_variable reduce reshape " +
	"resize_bilinear resize_nearest_neighbor reverse round select shape slice softmax space_to_batch_nd " +
	"space_to_depth split split_v squared_difference squeeze strided_slice sub svdf tanh transpose " +
	"transpose_conv unidirectional_sequence_lstm unpack var_handle while zeros_like"

// kernelStems returns a regexp alternation of the kernel stems, each
// optionally followed by "_common".
func kernelStems() string {
	return "(?:" + strings.ReplaceAll(kernelStemList, " ", "|") + ")(?:_common)?"
}

// kernelOp turns a TFLM kernel source-file stem into its op name:
// "conv_common" -> "CONV_2D", "softmax" -> "SOFTMAX".
func kernelOp(stem string) string {
	for _, suffix := range []string{"_common", "_flexbuffers_generated_data"} {
		stem = strings.TrimSuffix(stem, suffix)
	}
	// Stems whose op name is not simply the upper-cased stem.
	switch {
	case stem == "conv":
		return "CONV_2D"
	case stem == "depthwise_conv":
		return "DEPTHWISE_CONV_2D"
	case stem == "pooling": // AVERAGE_POOL_2D and MAX_POOL_2D
		return "POOL_2D"
	case stem == "activations": // RELU and RELU6
		return "RELU"
	case stem == "l2norm":
		return "L2_NORMALIZATION"
	case stem == "lstm_eval":
		return "UNIDIRECTIONAL_SEQUENCE_LSTM"
	case strings.HasPrefix(stem, "decode_state"):
		return "DECODE"
	}
	return strings.ToUpper(stem)
}
