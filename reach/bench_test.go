package reach

import (
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// BenchmarkOps is `footprint ops` on the largest firmware (TFLM with
// CMSIS-NN): call graph, map and the op attribution.
func BenchmarkOps(b *testing.B) {
	dir := sharedtest.Path(b, "firmware", "fw_micro_speech_cmsis")
	for b.Loop() {
		p, objs := open(b, dir)
		Ops(p, objs)
	}
}

// BenchmarkWhy is `footprint why --all` on the same firmware.
func BenchmarkWhy(b *testing.B) {
	dir := sharedtest.Path(b, "firmware", "fw_micro_speech_cmsis")
	for b.Loop() {
		p, objs := open(b, dir)
		i, err := Lookup(p, "arm_nn_mat_mult_nt_t_s8")
		if err != nil {
			b.Fatal(err)
		}
		Explain(p, i, true, objs)
	}
}
