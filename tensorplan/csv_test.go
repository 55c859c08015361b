package tensorplan

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestReadMiniMallocExample(t *testing.T) {
	inst := loadMiniMalloc(t, "examples/input.12.csv")["input.12.csv"]
	require.Len(t, inst.Buffers, 5)
	assert.Equal(t, "b1", inst.IDs[0])
	// "b1,0,3,4": alive over [0, 3), so steps 0 to 2.
	assert.Equal(t, Buffer{Size: 4, First: 0, Last: 2, Fixed: Online}, inst.Buffers[0])
	assert.Nil(t, inst.Offsets)
	capacity, ok := CapacityFromName("input.12.csv")
	require.True(t, ok)
	plan := planAndValidate(t, Best{}, inst.Buffers)
	assert.Equal(t, capacity, plan.ArenaSize)
}

func TestMiniMallocCSVRoundTrip(t *testing.T) {
	for name, inst := range loadMiniMalloc(t, "challenging/*.csv") {
		plan, err := TFLM{}.Plan(inst.Buffers)
		require.NoError(t, err)
		var buf bytes.Buffer
		require.NoError(t, WriteMiniMallocCSV(&buf, inst, plan.Offsets))
		back, err := ReadMiniMallocCSV(&buf)
		require.NoError(t, err, name)
		assert.Equal(t, inst.IDs, back.IDs)
		assert.Equal(t, inst.Buffers, back.Buffers)
		assert.Equal(t, plan.Offsets, back.Offsets)
	}
}

func TestCapacityFromName(t *testing.T) {
	c, ok := CapacityFromName("bench/challenging/A.1048576.csv")
	assert.True(t, ok)
	assert.Equal(t, int64(1048576), c)
	_, ok = CapacityFromName("input.csv")
	assert.False(t, ok)
}

func TestReadMiniMallocCSVErrors(t *testing.T) {
	for input, want := range map[string]string{
		"":                                  "empty file",
		"id,lower,size\n":                   `lacks column "upper"`,
		"id,lower,upper,size\nx,3,3,1\n":    "line 2: upper",
		"id,lower,upper,size\nx,0,1,-5\n":   "line 2: size",
		"id,lower,upper,size\nx,0,1,1e99\n": "line 2: size",
		"id,lower,upper,size\nx,0,1\n":      "wrong number of fields",
	} {
		_, err := ReadMiniMallocCSV(strings.NewReader(input))
		require.Error(t, err, input)
		assert.Contains(t, err.Error(), want)
		assert.NotContains(t, err.Error(), "\n")
	}
}

// FuzzReadMiniMallocCSV feeds arbitrary text to the reader: it must fail
// cleanly or return buffers every planner can place validly.
func FuzzReadMiniMallocCSV(f *testing.F) {
	f.Add([]byte("id,lower,upper,size\nb1,0,3,4\nb2,3,9,4\n"))
	f.Add([]byte("id,lower,upper,size,offset\na,0,1,16,0\n"))
	if paths, err := filepath.Glob(filepath.Join("..", "..", "shared", "bench", "minimalloc", "examples", "*.csv")); err == nil {
		for _, p := range paths {
			if data, err := os.ReadFile(p); err == nil {
				f.Add(data)
			}
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		inst, err := ReadMiniMallocCSV(bytes.NewReader(data))
		if err != nil {
			return
		}
		if len(inst.Buffers) > 64 {
			return // keep each input cheap to plan
		}
		plan, err := Best{NodeBudget: 1000}.Plan(inst.Buffers)
		require.NoError(t, err)
		require.NoError(t, Validate(inst.Buffers, plan))
	})
}
