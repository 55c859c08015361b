package runtime

import (
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// oracle is the part of a shared/oracle JSON file the tests use.
type oracle struct {
	Model     string   `json:"model"`
	Status    string   `json:"status"`
	Operators []string `json:"operators"`
	Outputs   []struct {
		Index int    `json:"index"`
		Type  string `json:"type"`
		Hex   string `json:"hex"`
	} `json:"outputs"`
}

// loadShared parses a shared model and its oracle file.
func loadShared(tb testing.TB, name string) (*tflite.Model, *oracle) {
	tb.Helper()
	shared := sharedtest.Dir(tb)
	data, err := os.ReadFile(filepath.Join(shared, "models", name+".tflite"))
	require.NoError(tb, err)
	model, err := tflite.Parse(data)
	require.NoError(tb, err)
	raw, err := os.ReadFile(filepath.Join(shared, "oracle", name+".json"))
	require.NoError(tb, err)
	var o oracle
	require.NoError(tb, json.Unmarshal(raw, &o))
	return model, &o
}

// oracleInputs returns the oracle's input pattern for every model input.
func oracleInputs(in *Interpreter) [][]byte {
	var inputs [][]byte
	for _, n := range in.InputBytes() {
		inputs = append(inputs, OraclePattern(n))
	}
	return inputs
}

// oracleOutputs decodes the oracle's output bytes.
func oracleOutputs(tb testing.TB, o *oracle) [][]byte {
	tb.Helper()
	var out [][]byte
	for _, x := range o.Outputs {
		b, err := hex.DecodeString(x.Hex)
		require.NoError(tb, err)
		out = append(out, b)
	}
	return out
}
