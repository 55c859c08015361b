package tensorplan

import (
	"encoding/binary"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// op is an operator of a test model with the given inputs and outputs.
func op(inputs, outputs []int32) tflite.Operator {
	return tflite.Operator{Inputs: inputs, Outputs: outputs}
}

// testModel builds a one-subgraph model of n tensors of the given type and
// shape, all without data, like tflite-micro's test_helpers.cc models.
func testModel(n int, typ tflite.TensorType, shape []int32, inputs, outputs []int32, ops ...tflite.Operator) *tflite.Model {
	sg := tflite.Subgraph{Inputs: inputs, Outputs: outputs, Operators: ops}
	for range n {
		sg.Tensors = append(sg.Tensors, tflite.Tensor{Type: typ, Shape: shape})
	}
	return &tflite.Model{Subgraphs: []tflite.Subgraph{sg}, Buffers: []tflite.Buffer{{}}, OpCodes: []tflite.OpCode{{}}}
}

// withOfflinePlan adds an OfflineMemoryAllocation metadata buffer.
func withOfflinePlan(m *tflite.Model, offsets ...int32) *tflite.Model {
	data := binary.LittleEndian.AppendUint32(nil, 1)
	data = binary.LittleEndian.AppendUint32(data, 0)
	data = binary.LittleEndian.AppendUint32(data, uint32(len(offsets)))
	for _, o := range offsets {
		data = binary.LittleEndian.AppendUint32(data, uint32(o))
	}
	m.Buffers = append(m.Buffers, tflite.Buffer{Data: data})
	m.Metadata = append(m.Metadata, tflite.Metadata{Name: OfflineMetadata, Buffer: uint32(len(m.Buffers) - 1)})
	return m
}

// tflmOffsets computes lifetimes and the tflm plan, keyed by tensor index.
func tflmOffsets(t *testing.T, m *tflite.Model) (map[int]int64, *Lifetimes) {
	t.Helper()
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	plan := planAndValidate(t, TFLM{}, lt.Buffers())
	out := map[int]int64{}
	for i, tb := range lt.Tensors {
		out[tb.Index] = plan.Offsets[i]
	}
	return out, lt
}

// The models and offsets below are from tflite-micro's micro_allocator_test.cc.

func TestLifetimesModelWithBranches(t *testing.T) {
	m := testModel(4, tflite.Float32, []int32{2, 2, 3}, []int32{0}, []int32{3},
		op([]int32{0}, []int32{1}), op([]int32{0}, []int32{2}), op([]int32{1, 2}, []int32{3}))
	offsets, lt := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 0, 1: 96, 2: 48, 3: 0}, offsets)
	var steps [][2]int
	for _, tb := range lt.Tensors {
		assert.Equal(t, int64(48), tb.Size)
		steps = append(steps, [2]int{tb.First, tb.Last})
	}
	assert.Equal(t, [][2]int{{0, 2}, {1, 3}, {2, 3}, {3, 3}}, steps)
	assert.Equal(t, 3, lt.LastStep)
}

func TestLifetimesOfflinePlannerBasic(t *testing.T) {
	m := withOfflinePlan(testModel(4, tflite.Float32, []int32{2, 2, 3}, []int32{0}, []int32{3},
		op([]int32{0}, []int32{1}), op([]int32{1}, []int32{2}), op([]int32{2}, []int32{3})), 0, 48, 0, 48)
	offsets, _ := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 0, 1: 48, 2: 0, 3: 48}, offsets)
}

func TestLifetimesOfflinePlannerOverlappingAllocation(t *testing.T) {
	m := withOfflinePlan(testModel(4, tflite.Float32, []int32{2, 2, 3}, []int32{0, 1}, []int32{3},
		op([]int32{0, 1}, []int32{2}), op([]int32{2}, []int32{3})), 0, 0, 48, -1)
	offsets, _ := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 0, 1: 0, 2: 48, 3: 0}, offsets)
}

func TestLifetimesOfflinePlannerOfflineOnline(t *testing.T) {
	m := withOfflinePlan(testModel(5, tflite.Float32, []int32{2, 2, 3}, []int32{0, 1}, []int32{3, 4},
		op([]int32{0, 1}, []int32{2}), op([]int32{2}, []int32{3, 4})), 0, 48, -1, 0, -1)
	offsets, _ := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 0, 1: 48, 2: 96, 3: 0, 4: 48}, offsets)
}

func TestLifetimesUnusedTensors(t *testing.T) {
	// t1 is an input nobody reads, t3 a tensor nobody touches.
	m := testModel(4, tflite.Int8, []int32{1, 64}, []int32{0, 1}, []int32{2}, op([]int32{0}, []int32{2}))
	offsets, lt := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 64, 1: 0, 2: 0, 3: 0}, offsets)
	assert.Equal(t, [2]int{-1, -1}, [2]int{lt.Tensors[3].First, lt.Tensors[3].Last})
}

func TestLifetimesUnusedOperatorOutputs(t *testing.T) {
	m := testModel(2, tflite.Int8, []int32{1, 64}, nil, []int32{0}, op(nil, []int32{0, 1}))
	offsets, lt := tflmOffsets(t, m)
	assert.Equal(t, map[int]int64{0: 64, 1: 0}, offsets)
	assert.Equal(t, [2]int{1, 1}, [2]int{lt.Tensors[1].First, lt.Tensors[1].Last})
}

func TestLifetimesSkipsConstantsVariablesAndEmpty(t *testing.T) {
	m := testModel(4, tflite.Int8, []int32{3}, []int32{0}, []int32{3}, op([]int32{0, 1, 2}, []int32{3}))
	m.Buffers = append(m.Buffers, tflite.Buffer{Data: []byte{1, 2, 3}})
	m.Subgraphs[0].Tensors[1].Buffer = 1        // constant
	m.Subgraphs[0].Tensors[2].IsVariable = true // persistent
	m.Subgraphs[0].Tensors[0].Shape = []int32{0}
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	require.Len(t, lt.Tensors, 1)
	assert.Equal(t, 3, lt.Tensors[0].Index)
	assert.Equal(t, int64(16), lt.Tensors[0].Size, "3 bytes round up to 16")
	assert.Equal(t, []TensorRef{{Subgraph: 0, Index: 2, Bytes: 3}}, lt.Persistent)
}

func TestLifetimesScratchBuffer(t *testing.T) {
	m := testModel(2, tflite.Int8, []int32{4}, []int32{0}, []int32{1}, op([]int32{0}, []int32{1}))
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	b, err := lt.ScratchBuffer(0, 0, 100)
	require.NoError(t, err)
	assert.Equal(t, Buffer{Size: 112, First: 1, Last: 1, Fixed: Online}, b)
	_, err = lt.ScratchBuffer(0, 5, 100)
	assert.Error(t, err)
}

func TestLifetimesRejectsBadModels(t *testing.T) {
	for name, m := range map[string]*tflite.Model{
		"no subgraphs":       {},
		"input out of range": testModel(1, tflite.Int8, nil, []int32{7}, nil),
		"output -1":          testModel(1, tflite.Int8, nil, nil, nil, op(nil, []int32{-1})),
		"dynamic shape":      testModel(1, tflite.Int8, []int32{-1, 4}, []int32{0}, nil),
		"short offline plan": withOfflinePlan(testModel(2, tflite.Int8, nil, nil, nil), 0),
		"string tensor":      testModel(1, tflite.String, nil, []int32{0}, nil),
	} {
		_, err := ModelLifetimes(m)
		assert.Error(t, err, name)
	}
}

func TestDecodeOfflineOffsets(t *testing.T) {
	_, err := decodeOfflineOffsets([]byte{1, 0, 0}, 1)
	assert.ErrorContains(t, err, "12-byte header")
	_, err = decodeOfflineOffsets([]byte{1, 0, 0, 0, 0, 0, 0, 0, 255, 255, 255, 255}, 1)
	assert.ErrorContains(t, err, "offsets for 1 tensors")
}

// FuzzDecodeOfflineOffsets checks that arbitrary metadata bytes give offsets
// or a clean error, never a panic or an allocation beyond the input.
func FuzzDecodeOfflineOffsets(f *testing.F) {
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff}, 1)
	f.Add([]byte{1, 0, 0, 0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 48, 0, 0, 0}, 2)
	f.Fuzz(func(t *testing.T, data []byte, tensors int) {
		offsets, err := decodeOfflineOffsets(data, tensors)
		if err == nil {
			require.Len(t, offsets, tensors)
			require.LessOrEqual(t, 12+4*len(offsets), len(data))
		}
	})
}

// FuzzModelLifetimes parses arbitrary bytes as a model and computes its
// lifetimes: any model the parser accepts must give lifetimes or a clean
// error, and lifetimes every planner can place validly.
func FuzzModelLifetimes(f *testing.F) {
	if paths, err := filepath.Glob(filepath.Join("..", "..", "shared", "models", "*.tflite")); err == nil {
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil && len(data) < 64<<10 {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := tflite.Parse(data)
		if err != nil {
			return
		}
		lt, err := ModelLifetimes(m)
		if err != nil {
			return
		}
		buffers := lt.Buffers()
		if len(buffers) > 256 {
			return // keep each input cheap to plan
		}
		plan, err := Best{NodeBudget: 1000}.Plan(buffers)
		if err != nil {
			return // e.g. sizes beyond the planners' limits
		}
		require.NoError(t, Validate(buffers, plan))
	})
}
