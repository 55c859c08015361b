package runtime

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Why TFLM's outputs on the Cortex-M4 differ from x86-64's.
const (
	// A shift by 32 or more bits is undefined in C++: x86-64 takes the
	// count modulo the width, Arm's register shifts by the low byte (all
	// bits out).
	wideShift = "shift by at least the width"
	// newlib's float functions (logf, expf, sinf, cos, ...) are not
	// glibc's: they differ by an ulp on some inputs.
	libm = "libm"
	// arm-none-eabi-gcc contracts a*b+c into the FPU's fused multiply-add
	// (GCC's default -ffp-contract=fast); x86-64 without -mfma has none.
	fusedMultiplyAdd = "fused multiply-add"
)

// cortexMDifferences are the cases whose outputs or status on TFLM built
// for the Cortex-M4 (results_cortex-m4.jsonl) differ from x86-64's
// (results.jsonl), and why. The runtime follows the x86-64 results.
var cortexMDifferences = map[string]string{
	"abs_int8_huge_multiplier":                      wideShift,
	"batch_matmul_int8_huge_multiplier":             wideShift,
	"conv_int8_huge_multiplier":                     wideShift,
	"fc_int8_huge_multiplier":                       wideShift,
	"leaky_relu_int8_huge_multiplier":               wideShift,
	"mean_int8_huge_multiplier":                     wideShift,
	"mul_int8_huge_multiplier":                      wideShift,
	"prelu_int8_huge_multiplier":                    wideShift,
	"quantize_int8_int8_huge_multiplier":            wideShift,
	"relu_int8_huge_multiplier":                     wideShift,
	"squared_difference_int16_huge_multiplier":      wideShift,
	"sum_int8_huge_multiplier":                      wideShift,
	"signal_filter_bank_log_correction_32":          wideShift,
	"signal_pcan_shift_64":                          wideShift,
	"signal_spectral_subtraction_bits_64":           wideShift,
	"signal_spectral_subtraction_smoothing_bits_32": wideShift,
	"signal_window_shift_32":                        wideShift,
	"log_float32":                                   libm,
	"logistic_float32":                              libm,
	"sin_float32":                                   libm,
	"signal_irfft_float32_8":                        libm,
	"signal_irfft_float32_10":                       libm,
	"signal_irfft_float32_12":                       libm,
	"signal_irfft_float32_18":                       libm,
	"signal_irfft_float32_20":                       libm,
	"signal_irfft_float32_30":                       libm,
	"signal_irfft_float32_36":                       libm,
	"signal_irfft_float32_50":                       libm,
	"signal_irfft_float32_64":                       libm,
	"signal_irfft_float32_480":                      libm,
	"signal_irfft_float32_rank1":                    libm,
	"signal_rfft_float32_10":                        libm,
	"signal_rfft_float32_12":                        libm,
	"signal_rfft_float32_20":                        libm,
	"signal_rfft_float32_30":                        libm,
	"signal_rfft_float32_36":                        libm,
	"signal_rfft_float32_50":                        libm,
	"signal_rfft_float32_64":                        libm,
	"signal_rfft_float32_480":                       libm,
	"signal_rfft_float32_512":                       libm,
	"signal_rfft_float32_padded":                    libm,
	"signal_rfft_float32_rank1":                     libm,
	"lstm_float32_tanh_clip":                        fusedMultiplyAdd,
	"resize_bilinear_float32":                       fusedMultiplyAdd,
	"resize_bilinear_float32_half_pixel":            fusedMultiplyAdd,
	// The outputs past the detections TFLM found are memory it never
	// wrote: on x86-64 they held a pointer.
	"detection_fast_num_classes_0": "uninitialized outputs",
	// An invalid operation gives the default NaN: negative on x86-64
	// (0xffc00000), positive on Arm (0x7fc00000).
	"detection_no_y_scale": "sign of the default NaN",
	// A frame step of 0: x86-64's division traps (the harness dies), Arm's
	// gives 0 and Prepare refuses the model.
	"signal_framer_step_zero": "division by zero",
}

// TestTFLMOpsCortexM checks that TFLM did the same on the Cortex-M4 as on
// x86-64 with every case: the same status and the same output bytes, but
// for the cases cortexMDifferences names. The runtime's own outputs are
// checked against x86-64's by TestTFLMOps, so they hold for the
// Cortex-M4 too.
func TestTFLMOpsCortexM(t *testing.T) {
	host := readTFLMResultsFile(t, "results.jsonl")
	m4 := readTFLMResultsFile(t, "results_cortex-m4.jsonl")
	require.Len(t, m4, len(host), "the same cases on both targets")
	for name, r := range m4 {
		t.Run(name, func(t *testing.T) {
			h, ok := host[name]
			require.True(t, ok, "case missing from results.jsonl")
			if reason, ok := cortexMDifferences[name]; ok {
				assert.False(t, h.Status == r.Status && assert.ObjectsAreEqual(h.Outputs, r.Outputs),
					"listed as differing (%s) but the same", reason)
				return
			}
			assert.Equal(t, h.Status, r.Status, "status")
			assert.Equal(t, h.Outputs, r.Outputs, "outputs")
			assert.Equal(t, h.Aborted, r.Aborted, "aborted")
		})
	}
}
