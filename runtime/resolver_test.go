package runtime

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// resolverOps reads testdata/tflm_ops/resolver_ops.txt, the operators
// TFLM's MicroMutableOpResolver registers (resolver_ops.sh writes it from
// the pinned tflite-micro's micro_mutable_op_resolver.h).
func resolverOps(t *testing.T) []string {
	f, err := os.Open(filepath.Join(tflmOpsDir, "resolver_ops.txt"))
	require.NoError(t, err)
	defer f.Close()
	var ops []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
			ops = append(ops, line)
		}
	}
	require.NoError(t, sc.Err())
	return ops
}

// TestSupportedOpsAgainstResolver: every operator the runtime implements
// is one TFLM's resolver offers, every builtin of the list is one the
// schema defines, and the runtime implements every operator of the
// resolver but CUSTOM:ethos-u, which TFLM runs only in Ethos-U builds and
// the runtime refuses saying so.
func TestSupportedOpsAgainstResolver(t *testing.T) {
	ops := resolverOps(t)
	require.Len(t, ops, 118)
	for _, op := range ops {
		if custom, ok := strings.CutPrefix(op, "CUSTOM:"); ok {
			assert.NotEmpty(t, custom)
			continue
		}
		_, ok := tflite.ParseBuiltinOp(op)
		assert.True(t, ok, "%s is not a builtin of the schema", op)
	}
	supported := SupportedOps()
	for _, op := range supported {
		assert.Contains(t, ops, op, "the runtime implements %s, which TFLM's resolver lacks", op)
	}
	for _, op := range ops {
		if vendorReason(op) != "" {
			assert.NotContains(t, supported, op)
			continue
		}
		assert.Contains(t, supported, op, "TFLM's resolver offers %s, which the runtime lacks", op)
	}
	assert.Len(t, supported, len(ops)-1, "all but CUSTOM:ethos-u")
}
