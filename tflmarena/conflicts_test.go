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
// crashes), and from 1000 they clear them. The estimate reports the band,
// CheckArena calls an arena in it too small, and the text names it.
func TestBatchMatMulBands(t *testing.T) {
	m := loadModel(t, filepath.Join(tflmOpsDir, "models", "bmm_int8_1x2_2x1.tflite"))
	b := builder{m: m, abi: harnessABI(Host64)}
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

	est, err := EstimateArena(m, harnessABI(Host64))
	require.NoError(t, err)
	assert.Equal(t, int64(968), est.MinArenaBytes)
	assert.Equal(t, []ArenaRange{{From: 984, To: 999}}, est.FailingArenas)
	for size, status := range map[int64]ArenaStatus{967: ArenaTooSmall, 968: ArenaFits, 990: ArenaTooSmall, 1000: ArenaFits} {
		c := CheckArena("arena", 0x20000000, size, est)
		assert.Equal(t, status, c.Status, "%d bytes: %s", size, c.Message)
	}
	assert.Contains(t, CheckArena("arena", 0x20000000, 990, est).Message, "every arena of 984 to 999 bytes fails")
	var text strings.Builder
	require.NoError(t, est.WriteText(&text, false))
	assert.Contains(t, text.String(), "but 984 to 999 bytes fail:")
}
