package tensorplan

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/stretchr/testify/require"
)

// loadMiniMalloc reads every MiniMalloc benchmark instance under shared/.
func loadMiniMalloc(tb testing.TB, pattern string) map[string]Instance {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(tb), "bench", "minimalloc", pattern))
	require.NoError(tb, err)
	require.NotEmpty(tb, paths)
	out := map[string]Instance{}
	for _, p := range paths {
		f, err := os.Open(p)
		require.NoError(tb, err)
		inst, err := ReadMiniMallocCSV(f)
		f.Close()
		require.NoError(tb, err, p)
		out[filepath.Base(p)] = inst
	}
	return out
}

// BenchmarkMiniMalloc plans each challenging MiniMalloc instance and
// reports the arena reached relative to the instance's capacity
// (arena/capacity) and to the lower bound.
func BenchmarkMiniMalloc(b *testing.B) {
	for name, inst := range loadMiniMalloc(b, "challenging/*.csv") {
		capacity, ok := CapacityFromName(name)
		require.True(b, ok, name)
		for _, p := range []Planner{TFLM{}, Best{}} {
			b.Run(strings.TrimSuffix(name, ".csv")+"/"+p.Name(), func(b *testing.B) {
				var plan Plan
				for b.Loop() {
					var err error
					plan, err = p.Plan(inst.Buffers)
					require.NoError(b, err)
				}
				require.NoError(b, Validate(inst.Buffers, plan))
				b.ReportMetric(float64(plan.ArenaSize)/float64(capacity), "arena/capacity")
				b.ReportMetric(float64(plan.ArenaSize)/float64(LowerBound(inst.Buffers)), "arena/bound")
			})
		}
	}
}

// BenchmarkMiniMallocAtCapacity asks the question MiniMalloc's published
// figures answer (0.6-5.4 s per challenging instance): do the buffers fit
// in the capacity the file name gives? It runs the search alone, without
// Best's greedy plans, and reports the nodes spent.
func BenchmarkMiniMallocAtCapacity(b *testing.B) {
	for name, inst := range loadMiniMalloc(b, "challenging/*.csv") {
		capacity, ok := CapacityFromName(name)
		require.True(b, ok, name)
		b.Run(strings.TrimSuffix(name, ".1048576.csv"), func(b *testing.B) {
			items, sections, ok := searchProblem(inst.Buffers)
			require.True(b, ok)
			var offsets []int64
			var nodes int
			for b.Loop() {
				var result searchResult
				offsets, result, nodes = fitsIn(items, sections, capacity, DefaultNodeBudget)
				require.Equal(b, found, result)
			}
			plan := Plan{Offsets: bufferOffsets(inst.Buffers, items, offsets), ArenaSize: capacity}
			require.NoError(b, Validate(inst.Buffers, plan))
			b.ReportMetric(float64(nodes), "nodes")
		})
	}
}
