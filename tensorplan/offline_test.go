package tensorplan

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// TestEmbedPlanSharedModels writes each shared model's best plan into it
// and reads the model back: the same tensors are planned, with the same
// sizes and lifetimes, each now fixed at our offset, so TFLM's planner
// reproduces the plan exactly.
func TestEmbedPlanSharedModels(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), "models", "*.tflite"))
	require.NoError(t, err)
	require.NotEmpty(t, paths)
	for _, p := range paths {
		t.Run(strings.TrimSuffix(filepath.Base(p), ".tflite"), func(t *testing.T) {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			m, err := tflite.Parse(data)
			require.NoError(t, err)
			lt, err := ModelLifetimes(m)
			require.NoError(t, err)
			plan := planAndValidate(t, Best{}, lt.Buffers())

			out, err := EmbedPlan(m, lt, plan.Offsets)
			require.NoError(t, err)
			m2, err := tflite.Parse(out)
			require.NoError(t, err)
			lt2, err := ModelLifetimes(m2)
			require.NoError(t, err)
			require.Len(t, lt2.Tensors, len(lt.Tensors))
			for i, tb := range lt2.Tensors {
				want := lt.Tensors[i]
				want.Fixed = plan.Offsets[i]
				require.Equal(t, want, tb, "tensor %d", tb.Index)
			}
			require.Equal(t, lt.Persistent, lt2.Persistent)
			tflm := planAndValidate(t, TFLM{}, lt2.Buffers())
			require.Equal(t, plan, tflm, "TFLM's planner keeps the embedded plan")

			total := 0
			for _, sg := range m2.Subgraphs {
				total += len(sg.Tensors)
			}
			offsets, err := offlineOffsets(m2, total)
			require.NoError(t, err)
			planned := 0
			for _, o := range offsets {
				if o >= 0 {
					planned++
				}
			}
			assert.Equal(t, len(lt.Tensors), planned, "every other tensor is left to TFLM (-1)")
		})
	}
}

func TestEncodeOfflinePlan(t *testing.T) {
	// Tensor 1 is constant, tensor 3 a variable: both stay -1.
	m := testModel(4, tflite.Int8, []int32{16}, []int32{0}, []int32{2},
		op([]int32{0, 1, 3}, []int32{2}))
	m.Buffers = append(m.Buffers, tflite.Buffer{Data: make([]byte, 16)})
	m.Subgraphs[0].Tensors[1].Buffer = 1
	m.Subgraphs[0].Tensors[3].IsVariable = true
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	require.Len(t, lt.Tensors, 2)
	data, err := EncodeOfflinePlan(m, lt, []int64{32, 0})
	require.NoError(t, err)
	words := make([]int32, len(data)/4)
	for i := range words {
		words[i] = int32(binary.LittleEndian.Uint32(data[4*i:]))
	}
	assert.Equal(t, []int32{1, 1, 4, 32, -1, 0, -1}, words)
	offsets, err := decodeOfflineOffsets(data, 4)
	require.NoError(t, err)
	assert.Equal(t, []int64{32, -1, 0, -1}, offsets)
}

func TestEncodeOfflinePlanRefuses(t *testing.T) {
	m := testModel(2, tflite.Int8, []int32{16}, []int32{0}, []int32{1}, op([]int32{0}, []int32{1}))
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	for name, tc := range map[string]struct {
		offsets []int64
		lt      *Lifetimes
		want    string
	}{
		"too few offsets":  {[]int64{0}, lt, "1 offsets for 2 planned tensors"},
		"negative offset":  {[]int64{0, -16}, lt, "at offset -16"},
		"offset too large": {[]int64{0, 1 << 31}, lt, "at offset 2147483648"},
		"planned twice":    {[]int64{0, 16}, &Lifetimes{Tensors: []TensorBuffer{lt.Tensors[0], lt.Tensors[0]}}, "planned twice"},
		"not in the model": {[]int64{0}, &Lifetimes{Tensors: []TensorBuffer{{TensorRef: TensorRef{Subgraph: 1}}}}, "not in the model"},
	} {
		_, err := EncodeOfflinePlan(m, tc.lt, tc.offsets)
		assert.ErrorContains(t, err, tc.want, name)
	}
}

func TestEncodeOfflinePlanVariableLookup(t *testing.T) {
	// TFLM looks up subgraph 1's variable tensor 0 at entry 0, subgraph
	// 0's tensor 0: planning that one would leave the variable without
	// memory.
	m := testModel(2, tflite.Int8, []int32{16}, []int32{0}, []int32{1}, op([]int32{0}, []int32{1}))
	m.Subgraphs = append(m.Subgraphs, tflite.Subgraph{Tensors: []tflite.Tensor{{Type: tflite.Int8, Shape: []int32{16}, IsVariable: true}}})
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	_, err = EncodeOfflinePlan(m, lt, []int64{0, 16})
	assert.ErrorContains(t, err, "variable tensor 0 of subgraph 1 without memory")
}

func TestPlanForOffline(t *testing.T) {
	data, err := os.ReadFile(sharedtest.ModelPath(t, "micro_speech__audio_preprocessor_int8"))
	require.NoError(t, err)
	m, err := tflite.Parse(data)
	require.NoError(t, err)
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)

	offsets, head, withScratch, err := PlanForOffline(Best{}, lt, nil)
	require.NoError(t, err)
	best := planAndValidate(t, Best{}, lt.Buffers())
	assert.Equal(t, best.Offsets, offsets, "without scratch buffers: the plan of the tensors")
	assert.Equal(t, best.ArenaSize, head)
	assert.False(t, withScratch)

	// SignalRfft requests a work area of fft_length int16 values, which
	// TFLM plans around the offline offsets: around best's plan of the
	// tensors alone it lands above them all (3120 bytes), while best's plan
	// of tensors and work area together leaves room for it (3040, what
	// TFLM needs without an offline plan).
	var scratch []Buffer
	for oi, op := range m.Subgraphs[0].Operators {
		if m.OpName(op) == "CUSTOM:SignalRfft" {
			out := m.Subgraphs[0].Tensors[op.Outputs[0]]
			b, err := lt.ScratchBuffer(0, oi, 2*int64(out.Shape[len(out.Shape)-1]-2))
			require.NoError(t, err)
			scratch = append(scratch, b)
		}
	}
	require.Len(t, scratch, 1)
	alone, err := HeadWithScratch(lt, best.Offsets, scratch)
	require.NoError(t, err)
	assert.Equal(t, int64(3120), alone)
	offsets, head, withScratch, err = PlanForOffline(Best{}, lt, scratch)
	require.NoError(t, err)
	assert.True(t, withScratch)
	assert.Equal(t, int64(3040), head)
	again, err := HeadWithScratch(lt, offsets, scratch)
	require.NoError(t, err)
	assert.Equal(t, head, again)

	_, err = HeadWithScratch(lt, offsets[1:], scratch)
	assert.ErrorContains(t, err, "offsets for")
}
