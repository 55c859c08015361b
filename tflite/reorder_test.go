package tflite

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"testing"

	flatbuffers "github.com/google/flatbuffers/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// permuted returns old with subgraph sub's operators in order.
func permuted(old *Model, sub int, order []int) *Model {
	m := *old
	m.Subgraphs = slices.Clone(old.Subgraphs)
	ops := make([]Operator, len(order))
	for i, v := range order {
		ops[i] = old.Subgraphs[sub].Operators[v]
	}
	m.Subgraphs[sub].Operators = ops
	return &m
}

// TestReorderOperatorsSharedModels reverses the main subgraph's operators
// of every shared model (the file format does not care whether the order
// makes sense) and reads the copy back: the operators come in the new
// order, every byte and index else is the old one, and the old file follows
// the prefix unchanged.
func TestReorderOperatorsSharedModels(t *testing.T) {
	for _, name := range sharedModels(t) {
		t.Run(name, func(t *testing.T) {
			raw := readModel(t, name)
			old := parseModel(t, name)
			order := make([]int, len(old.Subgraphs[0].Operators))
			for i := range order {
				order[i] = len(order) - 1 - i
			}
			out, err := ReorderOperators(raw, 0, order)
			require.NoError(t, err)
			shift := requireShifted(t, raw, out)
			got, err := Parse(out)
			require.NoError(t, err)
			requireSameModel(t, permuted(old, 0, order), got, shift, -1)
			require.Equal(t, old.Metadata, got.Metadata)
			if len(old.Metadata) > 0 {
				checkPrefix(t, out, shift) // it follows the metadata vector
			}

			// Metadata goes on top, and reordering back restores the order.
			back := make([]int, len(order))
			for i, v := range order {
				back[v] = i
			}
			again, err := ReorderOperators(out, 0, back)
			require.NoError(t, err)
			m2, err := Parse(again)
			require.NoError(t, err)
			requireSameModel(t, old, m2, len(again)-len(raw), -1)
			withMeta, err := SetMetadata(out, "footprint_test", testPayload)
			require.NoError(t, err)
			m3, err := Parse(withMeta)
			require.NoError(t, err)
			require.Equal(t, got.Subgraphs[0].Operators[0].Inputs, m3.Subgraphs[0].Operators[0].Inputs)
		})
	}
}

func TestReorderOperatorsBadInput(t *testing.T) {
	raw := readModel(t, "hello_world__hello_world_int8")
	for _, tc := range []struct {
		name  string
		sub   int
		order []int
		want  string
	}{
		{"no such subgraph", 3, []int{0, 1, 2}, "subgraph 3 out of range"},
		{"too short", 0, []int{0, 1}, "order of 2 operators"},
		{"repeated", 0, []int{0, 1, 1}, "not a permutation"},
		{"out of range", 0, []int{0, 1, 3}, "not a permutation"},
	} {
		_, err := ReorderOperators(raw, tc.sub, tc.order)
		assert.ErrorContains(t, err, tc.want, tc.name)
	}
	_, err := ReorderOperators([]byte("junk"), 0, nil)
	assert.Error(t, err)
}

// FuzzReorderOperators reorders the shared models and whatever the fuzzer
// derives from them with a permutation drawn from seed: ReorderOperators
// must never panic, and a model it returns must parse with the operators
// in that order. As with FuzzParse, run it with -fuzzminimizetime 1s.
func FuzzReorderOperators(f *testing.F) {
	paths, _ := filepath.Glob(filepath.Join(sharedtest.Dir(f), "models", "*.tflite"))
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 32<<10 {
			continue // large models slow the fuzzer; the small ones cover the layouts
		}
		f.Add(data, uint64(1))
	}
	f.Add(testModelWith(flatbuffers.NewBuilder(0), nil, nil, nil), uint64(2))
	f.Fuzz(func(t *testing.T, model []byte, seed uint64) {
		m, err := Parse(model)
		if err != nil || len(m.Subgraphs) == 0 {
			return
		}
		order := rand.New(rand.NewPCG(seed, 0)).Perm(len(m.Subgraphs[0].Operators))
		out, err := ReorderOperators(model, 0, order)
		if err != nil {
			return
		}
		got, err := Parse(out)
		if err != nil {
			t.Fatalf("the reordered model does not parse: %v", err)
		}
		for i, v := range order {
			if !slices.Equal(got.Subgraphs[0].Operators[i].Inputs, m.Subgraphs[0].Operators[v].Inputs) {
				t.Fatalf("operator %d is not operator %d", i, v)
			}
		}
	})
}
