package tensorplan

import (
	"os"
	"path/filepath"
	"testing"
)

// sharedDir finds the shared/ data directory that sits beside the checkout
// by walking up from the test's working directory, and skips the test when
// it is absent.
func sharedDir(tb testing.TB) string {
	tb.Helper()
	dir, err := os.Getwd()
	if err != nil {
		tb.Fatalf("getwd: %v", err)
	}
	for {
		candidate := filepath.Join(dir, "..", "shared")
		if _, err := os.Stat(filepath.Join(candidate, "README.md")); err == nil {
			return filepath.Clean(candidate)
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			tb.Skip("shared/ data (../shared beside the repository) not found; skipping tests on real models and benchmarks")
		}
		dir = parent
	}
}
