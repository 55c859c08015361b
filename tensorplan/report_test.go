package tensorplan

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// allPlanners are the planners in CLI order.
func allPlanners(t *testing.T) []Planner {
	t.Helper()
	var out []Planner
	for _, name := range PlannerNames() {
		p, err := ByName(name)
		require.NoError(t, err)
		out = append(out, p)
	}
	return out
}

func TestBuildReportOnMiniMallocExample(t *testing.T) {
	inst := loadMiniMalloc(t, "examples/input.12.csv")["input.12.csv"]
	r, err := BuildReport("input.12.csv", inst.Lifetimes(), "best", allPlanners(t))
	require.NoError(t, err)
	assert.Equal(t, int64(12), r.LowerBound)
	assert.Equal(t, int64(12), r.ArenaBytes)
	require.Len(t, r.Planners, 3)
	assert.Equal(t, PlannerSummary{Name: "linear", ArenaBytes: 20, GapBytes: 8, GapPercent: 100 * 8.0 / 12}, r.Planners[0])
	assert.Equal(t, "b1", r.Tensors[0].Name)

	var text bytes.Buffer
	require.NoError(t, r.WriteText(&text, 8))
	out := text.String()
	assert.Contains(t, out, "lower bound  12 bytes")
	assert.Contains(t, out, "plan by best: 12 bytes")
	assert.Contains(t, out, "timeline (columns: steps 0-20, 3 steps each")
	assert.Contains(t, out, "peak  ^^^    \n")

	data, err := json.Marshal(r)
	require.NoError(t, err)
	for _, field := range []string{`"version":1`, `"arena_bytes":12`, `"lower_bound":12`, `"tensors":[`, `"persistent":[]`, `"gap_percent"`} {
		assert.Contains(t, string(data), field)
	}
	var back Report
	require.NoError(t, json.Unmarshal(data, &back))
	assert.Equal(t, *r, back)
}

// overlapping is a broken planner that puts every buffer at offset 0.
type overlapping struct{}

func (overlapping) Name() string { return "overlapping" }

func (overlapping) Plan(buffers []Buffer) (Plan, error) {
	var size int64
	for _, b := range buffers {
		size = max(size, b.Size)
	}
	return Plan{Offsets: make([]int64, len(buffers)), ArenaSize: size}, nil
}

func TestBuildReportRejectsInvalidPlans(t *testing.T) {
	inst := loadMiniMalloc(t, "examples/input.12.csv")["input.12.csv"]
	_, err := BuildReport("input.12.csv", inst.Lifetimes(), "overlapping", []Planner{overlapping{}})
	require.ErrorIs(t, err, ErrInvalidPlan)
	assert.False(t, strings.Contains(err.Error(), "\n"))
	_, err = BuildReport("input.12.csv", inst.Lifetimes(), "best", []Planner{TFLM{}})
	assert.ErrorContains(t, err, `planner "best" is not among those run`)
}

// TestPlannerNames checks the planners' CLI names and that ByName finds
// each.
func TestPlannerNames(t *testing.T) {
	assert.Equal(t, []string{"linear", "tflm", "best"}, PlannerNames())
	for i, name := range PlannerNames() {
		p, err := ByName(name)
		require.NoError(t, err)
		assert.Equal(t, Planners()[i], p)
	}
	_, err := ByName("greedy")
	assert.EqualError(t, err, `unknown planner "greedy" (want linear, tflm or best)`)
}
