package tflmarena

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestBatchMatMulBands checks which arenas work for an int8 BATCH_MATMUL
// of a 1x2 by a 2x1 matrix, size by size, against what the harness found
// running real TFLM with each size (tflm_run's Fits, one arena at a time):
// below 968 bytes its persistent buffers clobber the temporaries'
// quantisation pointers and dims, from 968 the output dims and the
// transposed operand lie on bytes nobody reads again, from 984 the output
// dims cover the output's quantisation pointers (the deallocation
// crashes), and from 1000 they clear them.
func TestBatchMatMulBands(t *testing.T) {
	m := loadModel(t, filepath.Join(tflmOpsDir, "models", "bmm_int8_1x2_2x1.tflite"))
	b := builder{m: m, abi: harnessABI}
	events, _, err := b.build(false)
	require.NoError(t, err)
	// One character per arena size from 944 bytes: 1 works, 0 fails.
	const measured = "00000000" + "0000000000000000" + "1111111111111111" + "0000000000000000" + "11111111"
	var got strings.Builder
	for n := int64(944); n < 944+int64(len(measured)); n++ {
		if fits(events, n) {
			got.WriteByte('1')
		} else {
			got.WriteByte('0')
		}
	}
	assert.Equal(t, measured, got.String())
	assert.Equal(t, int64(968), minimumArena(events))
}
