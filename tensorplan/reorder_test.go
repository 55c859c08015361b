package tensorplan

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// graphModel builds a one-subgraph model whose tensor i holds sizes[i]
// int8 elements (all without data) and whose operators are ops.
func graphModel(sizes []int32, inputs, outputs []int32, ops ...tflite.Operator) *tflite.Model {
	sg := tflite.Subgraph{Inputs: inputs, Outputs: outputs, Operators: ops}
	for _, n := range sizes {
		sg.Tensors = append(sg.Tensors, tflite.Tensor{Type: tflite.Int8, Shape: []int32{n}})
	}
	return &tflite.Model{Subgraphs: []tflite.Subgraph{sg}, Buffers: []tflite.Buffer{{}}, OpCodes: []tflite.OpCode{{}}}
}

// reordered returns a copy of m whose main subgraph runs its operators in
// order.
func reordered(m *tflite.Model, order []int) *tflite.Model {
	out := *m
	out.Subgraphs = slices.Clone(m.Subgraphs)
	sg := &out.Subgraphs[0]
	sg.Operators = make([]tflite.Operator, len(order))
	for i, v := range order {
		sg.Operators[i] = m.Subgraphs[0].Operators[v]
	}
	return &out
}

// jointBound is the definition Graph.Peak must meet: the lower bound of
// the model's tensors, by TFLM's lifetime rules, and of each operator's
// scratch buffer, live over the operator's steps.
func jointBound(t *testing.T, m *tflite.Model, scratch map[int]int64, order []int) int64 {
	t.Helper()
	lt, err := ModelLifetimes(m)
	require.NoError(t, err)
	buffers := lt.Buffers()
	for pos, v := range order {
		if scratch[v] > 0 {
			b, err := lt.ScratchBuffer(0, pos, scratch[v])
			require.NoError(t, err)
			buffers = append(buffers, b)
		}
	}
	return LowerBound(buffers)
}

// topoOrders calls f with every order of g's operators that keeps its
// dependencies.
func topoOrders(g *Graph, f func(order []int)) {
	n := g.NumOps()
	done := make([]uint64, g.words)
	order := make([]int, 0, n)
	var rec func()
	rec = func() {
		if len(order) == n {
			f(order)
			return
		}
		for v := range n {
			if !has(done, v) && g.ready(done, v) {
				set(done, v)
				order = append(order, v)
				rec()
				order = order[:len(order)-1]
				done[v/64] &^= 1 << (v % 64)
			}
		}
	}
	rec()
}

// inceptionModel is a block of four branches between a 64-byte input and
// their concatenation: each branch widens its input and narrows it again,
// so running the branches one at a time keeps one wide tensor alive
// instead of four. Tensor 0 is the input, 9 the output.
func inceptionModel() *tflite.Model {
	sizes := []int32{64, 512, 32, 400, 32, 304, 32, 208, 32, 128}
	ops := []tflite.Operator{
		op([]int32{0}, []int32{1}), op([]int32{0}, []int32{3}), op([]int32{0}, []int32{5}), op([]int32{0}, []int32{7}), // widen
		op([]int32{1}, []int32{2}), op([]int32{3}, []int32{4}), op([]int32{5}, []int32{6}), op([]int32{7}, []int32{8}), // narrow
		op([]int32{2, 4, 6, 8}, []int32{9}), // concatenate
	}
	return graphModel(sizes, []int32{0}, []int32{9}, ops...)
}

// residualModel is two residual blocks: x -> a -> b, then x + b, where
// computing the skip branch's 1x1 projection early keeps it alive through
// the block.
func residualModel() *tflite.Model {
	sizes := []int32{96, 256, 96, 48, 96, 256, 96, 96}
	ops := []tflite.Operator{
		op([]int32{0}, []int32{3}),    // 0: projection of the skip branch
		op([]int32{0}, []int32{1}),    // 1: expand
		op([]int32{1}, []int32{2}),    // 2: contract
		op([]int32{2, 3}, []int32{4}), // 3: add
		op([]int32{4}, []int32{5}),    // 4: expand
		op([]int32{5}, []int32{6}),    // 5: contract
		op([]int32{4, 6}, []int32{7}), // 6: add
	}
	return graphModel(sizes, []int32{0}, []int32{7}, ops...)
}

func TestScheduleBranchedModels(t *testing.T) {
	for _, tc := range []struct {
		name         string
		m            *tflite.Model
		scratch      map[int]int64
		before, best int64
	}{
		// Model order: every branch widens first, so all four wide
		// tensors are alive at once (64+512+400+304+208 at step 4);
		// branch by branch the first is the largest: 64+512+32.
		{"inception", inceptionModel(), nil, 1488, 608},
		{"inception with scratch", inceptionModel(), map[int]int64{0: 100, 8: 64}, 1488, 688},
		// Model order is already best without scratch; with 80 bytes of
		// scratch in the expansion, computing the projection (48 bytes)
		// after it, not before, saves 32.
		{"residual", residualModel(), nil, 448, 448},
		{"residual with scratch", residualModel(), map[int]int64{1: 80, 0: 200}, 480, 448},
	} {
		t.Run(tc.name, func(t *testing.T) {
			g, err := ModelGraph(tc.m, tc.scratch)
			require.NoError(t, err)
			identity := make([]int, g.NumOps())
			for i := range identity {
				identity[i] = i
			}
			before, err := g.Peak(identity)
			require.NoError(t, err)
			assert.Equal(t, tc.before, before)
			assert.Equal(t, jointBound(t, tc.m, tc.scratch, identity), before)

			s := g.Schedule(0)
			assert.Equal(t, tc.best, s.Peak)
			assert.True(t, s.Optimal)
			assert.Equal(t, s.Peak, s.Bound)
			peak, err := g.Peak(s.Order)
			require.NoError(t, err)
			assert.Equal(t, s.Peak, peak)
			after := reordered(tc.m, s.Order)
			assert.Equal(t, s.Peak, jointBound(t, after, tc.scratch, s.Order), "the reordered model's bound, by TFLM's rules")

			brute := before
			topoOrders(g, func(order []int) {
				p, err := g.Peak(order)
				require.NoError(t, err)
				require.Equal(t, jointBound(t, reordered(tc.m, order), tc.scratch, order), p, "order %v", order)
				brute = min(brute, p)
			})
			assert.Equal(t, brute, s.Peak, "the smallest peak over every order")
		})
	}
}

// randomGraphModel draws a DAG of n operators, each reading one to three
// earlier tensors and writing one or two, with random sizes; some tensors
// are outputs, some read by no one.
func randomGraphModel(r *rand.Rand, n int) (*tflite.Model, map[int]int64) {
	sizes := []int32{int32(1 + r.IntN(200))}
	var ops []tflite.Operator
	scratch := map[int]int64{}
	for v := range n {
		var ins []int32
		for range 1 + r.IntN(3) {
			in := int32(r.IntN(len(sizes)))
			if !slices.Contains(ins, in) {
				ins = append(ins, in)
			}
		}
		var outs []int32
		for range 1 + r.IntN(2) {
			outs = append(outs, int32(len(sizes)))
			sizes = append(sizes, int32(1+r.IntN(200)))
		}
		ops = append(ops, op(ins, outs))
		if r.IntN(3) == 0 {
			scratch[v] = int64(1 + r.IntN(300))
		}
	}
	outputs := []int32{int32(len(sizes) - 1)}
	if r.IntN(2) == 0 {
		outputs = append(outputs, int32(r.IntN(len(sizes))))
	}
	return graphModel(sizes, []int32{0}, outputs, ops...), scratch
}

func TestScheduleMatchesBruteForce(t *testing.T) {
	r := rand.New(rand.NewPCG(31, 32))
	improved := 0
	for range 300 {
		m, scratch := randomGraphModel(r, 1+r.IntN(7))
		g, err := ModelGraph(m, scratch)
		require.NoError(t, err)
		s := g.Schedule(0)
		require.True(t, s.Optimal)
		var brute int64 = -1
		topoOrders(g, func(order []int) {
			p, err := g.Peak(order)
			require.NoError(t, err)
			require.Equal(t, jointBound(t, reordered(m, order), scratch, order), p, "order %v", order)
			if brute < 0 || p < brute {
				brute = p
			}
		})
		require.Equal(t, brute, s.Peak)
		identity := make([]int, g.NumOps())
		for i := range identity {
			identity[i] = i
		}
		if before, _ := g.Peak(identity); s.Peak < before {
			improved++
		} else {
			require.Equal(t, identity, s.Order, "the model's order is kept unless another is better")
		}
	}
	assert.Greater(t, improved, 30)
}

func TestScheduleBeamWhenBudgetRunsOut(t *testing.T) {
	r := rand.New(rand.NewPCG(33, 34))
	m, scratch := randomGraphModel(r, 40)
	g, err := ModelGraph(m, scratch)
	require.NoError(t, err)
	exact := g.Schedule(0)
	require.True(t, exact.Optimal)
	beam := g.Schedule(8)
	peak, err := g.Peak(beam.Order)
	require.NoError(t, err)
	assert.Equal(t, beam.Peak, peak)
	assert.GreaterOrEqual(t, beam.Peak, exact.Peak)
	if beam.Peak > exact.Peak {
		assert.False(t, beam.Optimal, "a cut search does not claim optimality")
		assert.Less(t, beam.Bound, beam.Peak)
	}
}

func TestModelGraphRefuses(t *testing.T) {
	twice := graphModel([]int32{16, 16}, []int32{0}, []int32{1}, op([]int32{0}, []int32{1}), op([]int32{0}, []int32{1}))
	_, err := ModelGraph(twice, nil)
	assert.ErrorContains(t, err, "written by operators 0 and 1")
	early := graphModel([]int32{16, 16, 16}, []int32{0}, []int32{2}, op([]int32{1}, []int32{2}), op([]int32{0}, []int32{1}))
	_, err = ModelGraph(early, nil)
	assert.ErrorContains(t, err, "operator 0 reads tensor 1 before operator 1 writes it")
	_, err = ModelGraph(&tflite.Model{}, nil)
	assert.Error(t, err)

	g, err := ModelGraph(inceptionModel(), nil)
	require.NoError(t, err)
	_, err = g.Peak([]int{4, 0, 1, 2, 3, 5, 6, 7, 8})
	assert.ErrorContains(t, err, "runs before an operator it depends on")
	_, err = g.Peak([]int{0, 0, 1, 2, 3, 5, 6, 7, 8})
	assert.ErrorContains(t, err, "comes twice")
	_, err = g.Peak([]int{0})
	assert.Error(t, err)
}

// TestModelGraphVariablesKeepOrder: two operators updating one variable
// tensor (as SVDF's state) never swap, though no tensor links them.
func TestModelGraphVariablesKeepOrder(t *testing.T) {
	m := graphModel([]int32{16, 512, 16, 16, 16}, []int32{0}, []int32{2, 4},
		op([]int32{0, 1}, []int32{2}), op([]int32{0, 1}, []int32{4}))
	m.Subgraphs[0].Tensors[1].IsVariable = true
	g, err := ModelGraph(m, nil)
	require.NoError(t, err)
	n := 0
	topoOrders(g, func(order []int) {
		n++
		assert.Equal(t, []int{0, 1}, order)
	})
	assert.Equal(t, 1, n)
}

// TestModelGraphSharedModels checks Peak against ModelLifetimes and
// LowerBound on every shared model in its own order, and that the schedule
// never raises it.
func TestModelGraphSharedModels(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), "models", "*.tflite"))
	require.NoError(t, err)
	for _, p := range paths {
		name := strings.TrimSuffix(filepath.Base(p), ".tflite")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(p)
			require.NoError(t, err)
			m, err := tflite.Parse(data)
			require.NoError(t, err)
			lt, err := ModelLifetimes(m)
			require.NoError(t, err)
			g, err := ModelGraph(m, map[int]int64{0: 48})
			require.NoError(t, err)
			identity := make([]int, g.NumOps())
			for i := range identity {
				identity[i] = i
			}
			peak, err := g.Peak(identity)
			require.NoError(t, err)
			if lt.Buffers()[0].Fixed < 0 { // an offline plan (vela) makes LowerBound the plan's end
				assert.Equal(t, jointBound(t, m, map[int]int64{0: 48}, identity), peak)
			}
			s := g.Schedule(0)
			assert.LessOrEqual(t, s.Peak, peak)
			assert.True(t, s.Optimal)
		})
	}
}

// inceptionChain chains blocks inception blocks (nine operators each, in
// the order of inceptionModel: all branches widen, then all narrow): each
// block's concatenation feeds the next block's four branches.
func inceptionChain(blocks int) *tflite.Model {
	sizes := []int32{64}
	var ops []tflite.Operator
	in := int32(0)
	for b := range blocks {
		var widen, narrow []tflite.Operator
		var narrowed []int32
		for branch := range 4 {
			wide := int32(len(sizes))
			sizes = append(sizes, int32(512-96*branch+16*(b%3)))
			sizes = append(sizes, 16)
			widen = append(widen, op([]int32{in}, []int32{wide}))
			narrow = append(narrow, op([]int32{wide}, []int32{wide + 1}))
			narrowed = append(narrowed, wide+1)
		}
		out := int32(len(sizes))
		sizes = append(sizes, 64)
		ops = append(slices.Concat(ops, widen, narrow), op(narrowed, []int32{out}))
		in = out
	}
	return graphModel(sizes, []int32{0}, []int32{in}, ops...)
}

// localDAG draws n operators, each reading one to three of the ten
// tensors written last, as in networks with skip connections.
func localDAG(r *rand.Rand, n int) *tflite.Model {
	sizes := []int32{int32(16 + r.IntN(512))}
	var ops []tflite.Operator
	for range n {
		var ins []int32
		for range 1 + r.IntN(3) {
			in := int32(max(0, len(sizes)-1-r.IntN(10)))
			if !slices.Contains(ins, in) {
				ins = append(ins, in)
			}
		}
		out := int32(len(sizes))
		sizes = append(sizes, int32(16+r.IntN(512)))
		ops = append(ops, op(ins, []int32{out}))
	}
	return graphModel(sizes, []int32{0}, []int32{int32(len(sizes) - 1)}, ops...)
}

// BenchmarkSchedule300 reorders graphs of about 300 operators: 33 chained
// inception blocks (297 operators, exact) and a random local DAG of 300.
func BenchmarkSchedule300(b *testing.B) {
	for _, tc := range []struct {
		name string
		m    *tflite.Model
	}{
		{"inception33", inceptionChain(33)},
		{"localDAG300", localDAG(rand.New(rand.NewPCG(41, 42)), 300)},
	} {
		b.Run(tc.name, func(b *testing.B) {
			g, err := ModelGraph(tc.m, nil)
			require.NoError(b, err)
			var s Schedule
			for b.Loop() {
				s = g.Schedule(0)
			}
			identity := make([]int, g.NumOps())
			for i := range identity {
				identity[i] = i
			}
			before, err := g.Peak(identity)
			require.NoError(b, err)
			optimal := 0.0
			if s.Optimal {
				optimal = 1
			}
			b.ReportMetric(float64(g.NumOps()), "ops")
			b.ReportMetric(float64(before), "peak-before")
			b.ReportMetric(float64(s.Peak), "peak-after")
			b.ReportMetric(float64(s.States), "states")
			b.ReportMetric(optimal, "optimal")
		})
	}
}

func TestDefaultStatesShrinkWithGraphSize(t *testing.T) {
	assert.Equal(t, DefaultStateBudget, defaultStates(10))
	assert.Equal(t, DefaultStateBudget, defaultStates(256))
	assert.Equal(t, DefaultStateBudget/4, defaultStates(512))
	assert.Equal(t, 1024, defaultStates(100_000))
}

// FuzzSchedule parses arbitrary bytes as a model and reorders it: any
// model the parser accepts must give a graph or a clean error, and a
// schedule whose order keeps the dependencies and has the peak it claims.
func FuzzSchedule(f *testing.F) {
	if paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(f), "models", "*.tflite")); err == nil {
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
		g, err := ModelGraph(m, map[int]int64{0: 100})
		if err != nil || g.NumOps() > 200 {
			return
		}
		s := g.Schedule(2000)
		peak, err := g.Peak(s.Order)
		require.NoError(t, err)
		require.Equal(t, s.Peak, peak)
		require.LessOrEqual(t, s.Bound, s.Peak)
	})
}
