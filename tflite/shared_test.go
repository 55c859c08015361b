package tflite

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/stretchr/testify/require"
)

// sharedModels returns the names (without .tflite) of the shared models.
func sharedModels(tb testing.TB) []string {
	tb.Helper()
	paths, err := filepath.Glob(filepath.Join(sharedtest.Dir(tb), "models", "*.tflite"))
	require.NoError(tb, err)
	require.NotEmpty(tb, paths)
	names := make([]string, len(paths))
	for i, p := range paths {
		names[i] = strings.TrimSuffix(filepath.Base(p), ".tflite")
	}
	sort.Strings(names)
	return names
}

// readModel reads a shared model file.
func readModel(tb testing.TB, name string) []byte {
	tb.Helper()
	data, err := os.ReadFile(filepath.Join(sharedtest.Dir(tb), "models", name+".tflite"))
	require.NoError(tb, err)
	return data
}

// parseModel reads and parses a shared model.
func parseModel(tb testing.TB, name string) *Model {
	tb.Helper()
	m, err := Parse(readModel(tb, name))
	require.NoError(tb, err, name)
	return m
}

// oracle is the part of a shared/oracle JSON file these tests compare with:
// what the real TFLM saw when it loaded the model.
type oracle struct {
	SchemaVersion   uint32   `json:"schema_version"`
	Subgraphs       int      `json:"subgraphs"`
	TensorsTotal    int      `json:"tensors_total"`
	OpsTotal        int      `json:"ops_total"`
	Operators       []string `json:"operators"`
	TensorPlacement []struct {
		Subgraph    int     `json:"subgraph"`
		Index       int     `json:"index"`
		Name        string  `json:"name"`
		FbType      string  `json:"fb_type"`
		Type        string  `json:"type"`
		IsVariable  bool    `json:"is_variable"`
		Buffer      uint32  `json:"buffer"`
		Shape       []int32 `json:"shape"`
		Bytes       int64   `json:"bytes"`
		Location    string  `json:"location"`
		ModelOffset *int    `json:"model_offset"`
	} `json:"tensor_placement"`
}

// readOracle reads the oracle file of a shared model.
func readOracle(tb testing.TB, name string) *oracle {
	tb.Helper()
	raw, err := os.ReadFile(filepath.Join(sharedtest.Dir(tb), "oracle", name+".json"))
	require.NoError(tb, err)
	var o oracle
	require.NoError(tb, json.Unmarshal(raw, &o))
	return &o
}
