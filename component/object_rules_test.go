package component

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/report"
)

// TestBuiltinObjectRules checks the built-in rules on the object and
// archive names a linker map gives, with symbols that say nothing.
func TestBuiltinObjectRules(t *testing.T) {
	set, err := Compile(Builtin())
	require.NoError(t, err)
	for _, c := range []struct{ object, archive, want string }{
		{"conv.o", "", "tflm/kernel/CONV_2D"},
		{"depthwise_conv.cc.o", "libtensorflow-microlite.a", "tflm/kernel/DEPTHWISE_CONV_2D"},
		{"fully_connected_common.o", "libtflm.a", "tflm/kernel/FULLY_CONNECTED"},
		{"kernel_util.o", "libtensorflow-microlite.a", "tflm/runtime"},
		{"micro_interpreter.o", "", "tflm/runtime"},
		{"greedy_memory_planner.cc.o", "", "tflm/runtime"},
		{"flatbuffer_utils.o", "", "tflm/runtime"},
		{"some_support.o", "libtensorflow-microlite.a", "tflm/runtime"},
		{"exp.o", "libm.a", "libm"},
		{"lib_a-memcpy.o", "libc_nano.a", "libc"},
		{"_udivsi3.o", "libgcc.a", "libgcc"},
		{"new_op.o", "libstdc++_nano.a", "libstdc++"},
		{"board.o", "", Fallback},
	} {
		p := report.Piece{Section: ".text", Symbol: "[.text: unattributed]", Object: c.object, Archive: c.archive}
		assert.Equal(t, c.want, set.Component(&p), "%s(%s)", c.archive, c.object)
	}
}
