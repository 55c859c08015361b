package component

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRequiredLiterals(t *testing.T) {
	for expr, want := range map[string][]string{
		`(^|[ (<*&,])(tflite|flatbuffers)::`:                    {"tflite::", "flatbuffers::"},
		`(^|::)Register_(?P<op>[A-Z][A-Z0-9_]*)\(`:              {"Register_", "::Register_"},
		`^[^(]* (std|__gnu_cxx|__cxxabiv1)::`:                   {" std::", " __gnu_cxx::", " __cxxabiv1::"},
		`(^|/)tensorflow/lite/micro/kernels/(?:[a-z_]+/)?x\.cc`: {"tensorflow/lite/micro/kernels/", "/tensorflow/lite/micro/kernels/"},
		`^abc$`:     {"abc"},
		`a|b*`:      nil,
		`(?i)hello`: nil,
		`.*`:        nil,
	} {
		assert.ElementsMatch(t, want, requiredLiterals(expr), expr)
	}
}

func TestPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern, value string
		want           bool
	}{
		{"main", "main", true},
		{"main", "main2", false},
		{"*_Handler", "SysTick_Handler", true},
		{"__aeabi_*", "__aeabi_dadd", true},
		{"*/libm/*", "/src/newlib/libm/math/s_sin.c", true},
		{"*crti.*", "crti.o", true},
		{"a*b?c", "axxbyc", true},
		{"a*b?c", "axxbc", false},
		{"re:^tflite::", "tflite::MicroInterpreter::Invoke()", true},
		{"re:^tflite::", "void tflite::Foo()", false},
	} {
		m, err := compilePattern(tc.pattern)
		assert.NoError(t, err)
		assert.Equal(t, tc.want, m.match(tc.value), "%s ~ %s", tc.pattern, tc.value)
	}
	_, err := compilePattern("re:(")
	assert.Error(t, err)
}

func TestAnchoredPrefixes(t *testing.T) {
	assert.Equal(t, []string{"arm_", "depthwise_conv_s8_mult_4"}, anchoredPrefixes(`^(?P<fn>arm_[a-z0-9_]+|depthwise_conv_s8_mult_4)(?:\.isra\.[0-9]+)*$`))
	assert.Equal(t, []string{"micro_"}, anchoredPrefixes(`^(micro_[a-z]+|micro_x)\.o$`))
	for _, expr := range []string{`arm_`, `^(?i)arm_`, `^(arm_|[a-z]+)`, `^a*b`, `(?m)^arm_`, `^(`} {
		assert.Nil(t, anchoredPrefixes(expr), expr)
	}
	m, err := compilePattern(`re:^(arm_x|conv_y)$`)
	require.NoError(t, err)
	assert.True(t, m.match("conv_y"))
	assert.False(t, m.match("a conv_y"))
}
