package runtime

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cortexMDifferences are the cases whose outputs or status on TFLM built
// for the Cortex-M4 (results_cortex-m4.jsonl) differ from x86-64's
// (results.jsonl), and why. The runtime follows the x86-64 results.
var cortexMDifferences = map[string]string{}

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
