// Package sharedtest locates the project's shared test data: the real
// .tflite models, TFLM measurements and benchmark instances kept in shared/
// beside the checkout (../shared in CI). Tests use it instead of copying
// that data into the repository.
package sharedtest

import (
	"os"
	"path/filepath"
	"testing"
)

// Find returns the shared/ directory found by walking up from the working
// directory, or "" when there is none (for fuzz seeding, which must not skip).
func Find() string {
	dir, err := os.Getwd()
	if err != nil {
		return ""
	}
	for {
		candidate := filepath.Join(dir, "shared")
		if _, err := os.Stat(filepath.Join(candidate, "README.md")); err == nil {
			return candidate
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return ""
		}
		dir = parent
	}
}

// Dir returns the shared/ directory, skipping the test when it is absent.
func Dir(tb testing.TB) string {
	tb.Helper()
	dir := Find()
	if dir == "" {
		tb.Skip("shared/ test data (real models and TFLM oracle) not found beside the repository")
	}
	return dir
}

// Path returns the path of parts under shared/, skipping the test when
// shared/ is absent.
func Path(tb testing.TB, parts ...string) string {
	tb.Helper()
	return filepath.Join(append([]string{Dir(tb)}, parts...)...)
}

// ModelPath returns the path of shared/models/<name>.tflite.
func ModelPath(tb testing.TB, name string) string {
	tb.Helper()
	return Path(tb, "models", name+".tflite")
}
