package tflmarena

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// sharedDir finds shared/ beside the repository by walking up from the
// test's working directory; it skips the test when shared/ is absent.
func sharedDir(t testing.TB) string {
	t.Helper()
	dir, err := os.Getwd()
	require.NoError(t, err)
	for {
		candidate := filepath.Join(dir, "shared")
		if _, err := os.Stat(filepath.Join(candidate, "README.md")); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Skip("shared/ (models and oracle) not found beside the repository")
		}
		dir = parent
	}
}

// oracleRecord is the part of a shared/oracle JSON file the tests compare.
type oracleRecord struct {
	Status         string `json:"status"`
	ArenaUsedBytes int64  `json:"arena_used_bytes"`
	ArenaHeadBytes int64  `json:"arena_head_bytes"`
	ArenaTailBytes int64  `json:"arena_tail_bytes"`
	MinArenaBytes  int64  `json:"min_arena_bytes"`
	Recording      struct {
		ArenaUsedBytes int64 `json:"arena_used_bytes"`
		Allocations    map[string]struct {
			Requested int64 `json:"requested_bytes"`
			Used      int64 `json:"used_bytes"`
			Count     int   `json:"count"`
		} `json:"allocations"`
	} `json:"recording"`
}

// oracleCase is one model measured on one target.
type oracleCase struct {
	name   string
	model  string
	abi    ABI
	oracle oracleRecord
}

func oracleCases(t *testing.T) []oracleCase {
	shared := sharedDir(t)
	files, err := filepath.Glob(filepath.Join(shared, "oracle", "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	var cases []oracleCase
	for _, abi := range Targets() {
		dir := filepath.Join(shared, "oracle")
		if abi.Name == Host64.Name {
			dir = filepath.Join(dir, "host64")
		}
		for _, f := range files {
			base := strings.TrimSuffix(filepath.Base(f), ".json")
			raw, err := os.ReadFile(filepath.Join(dir, base+".json"))
			require.NoError(t, err)
			var rec oracleRecord
			require.NoError(t, json.Unmarshal(raw, &rec))
			cases = append(cases, oracleCase{
				name:   abi.Name + "/" + base,
				model:  filepath.Join(shared, "models", base+".tflite"),
				abi:    abi,
				oracle: rec,
			})
		}
	}
	return cases
}

func loadModel(t testing.TB, path string) *tflite.Model {
	t.Helper()
	raw, err := os.ReadFile(path)
	require.NoError(t, err)
	m, err := tflite.Parse(raw)
	require.NoError(t, err)
	return m
}

func TestOracleDebug(t *testing.T) {
	for _, c := range oracleCases(t) {
		m := loadModel(t, c.model)
		est, err := EstimateArena(m, c.abi)
		if err != nil {
			t.Logf("%s: %v", c.name, err)
			continue
		}
		o := c.oracle
		ok := est.ArenaUsedBytes == o.ArenaUsedBytes && est.MinArenaBytes == o.MinArenaBytes && est.Head == o.ArenaHeadBytes
		t.Logf("%-50s %v exact=%v used %d/%d head %d/%d tail %d/%d min %d/%d", c.name, ok, est.Exact, est.ArenaUsedBytes, o.ArenaUsedBytes, est.Head, o.ArenaHeadBytes, est.Tail, o.ArenaTailBytes, est.MinArenaBytes, o.MinArenaBytes)
	}
	assert.True(t, true)
}
