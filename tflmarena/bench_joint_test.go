package tflmarena

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
)

// BenchmarkPlanJointSharedModels times the joint planning of every shared
// model's head, tensors and reference kernels' scratch buffers
// (tensorplan.Best.PlanJoint), and the whole write-back (EmbedPlan: the
// estimate before, the plan, the rewritten file and its estimate).
func BenchmarkPlanJointSharedModels(b *testing.B) {
	paths, err := filepath.Glob(sharedtest.Path(b, "models", "*.tflite"))
	require.NoError(b, err)
	for _, p := range paths {
		m := loadModel(b, p)
		lt, err := tensorplan.ModelLifetimes(m)
		require.NoError(b, err)
		est, err := EstimateArena(m, CortexM)
		require.NoError(b, err)
		var scratch []tensorplan.Buffer
		for _, h := range est.HeadBuffers {
			if h.Tensor < 0 {
				scratch = append(scratch, tensorplan.Buffer{Size: h.Size, First: h.First, Last: h.Last, Fixed: tensorplan.Online})
			}
		}
		name := strings.TrimSuffix(filepath.Base(p), ".tflite")
		b.Run("plan/"+name, func(b *testing.B) {
			for b.Loop() {
				jp, err := tensorplan.Best{}.PlanJoint(lt.Buffers(), scratch)
				require.NoError(b, err)
				require.True(b, jp.Optimal)
			}
		})
		b.Run("embed/"+name, func(b *testing.B) {
			for b.Loop() {
				_, err := EmbedPlan(m, lt, tensorplan.Best{}, CortexM)
				require.NoError(b, err)
			}
		})
	}
}
