package component

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
)

// TestAssignNamesMatchesAssign checks that components assigned on raw
// names, showing them only where a rule needs it, are those assigned on
// demangled names, for every test ELF and the large C++ binaries present.
func TestAssignNamesMatchesAssign(t *testing.T) {
	paths, err := filepath.Glob("../testdata/firmware/out/*/*.elf")
	require.NoError(t, err)
	variants, err := filepath.Glob("../testdata/firmware/out/variants/*/*.elf")
	require.NoError(t, err)
	paths = append(paths, variants...)
	firmware := len(paths)
	if _, err := os.Stat("/usr/bin/node"); err == nil && !testing.Short() {
		paths = append(paths, "/usr/bin/node")
	}
	require.NotEmpty(t, paths)
	user := []Rule{
		{Component: "user/std", Symbol: Patterns{"std::*"}},
		{Component: "user/heap", Symbol: Patterns{"re:Heap::"}},
	}
	for pi, path := range paths {
		t.Run(filepath.Base(filepath.Dir(path))+"/"+filepath.Base(path), func(t *testing.T) {
			sets := [][]Rule{nil, user}
			if pi >= firmware {
				sets = sets[:1] // one pass over a large binary is enough
			}
			for _, rules := range sets {
				want, err := elfsize.Open(path, elfsize.Options{Files: true, Demangle: true})
				require.NoError(t, err)
				require.NoError(t, Assign(want, rules))
				got, err := elfsize.Open(path, elfsize.Options{Files: true})
				require.NoError(t, err)
				require.NoError(t, AssignNames(got, rules, elfsize.Names{}))
				require.Len(t, got.Pieces, len(want.Pieces))
				for i := range want.Pieces {
					if want.Pieces[i].Component != got.Pieces[i].Component {
						assert.Equal(t, want.Pieces[i].Component, got.Pieces[i].Component, "%s (%s)", want.Pieces[i].Symbol, got.Pieces[i].Symbol)
					}
				}
			}
		})
	}
}

func TestIdentOnly(t *testing.T) {
	for expr, want := range map[string]bool{
		`^(mem|str|wcs|wmem)[a-z]+$`: true,
		`^_?_[a-z0-9_]+_r$`:          true,
		`^__[a-z]+(qi|hi|si)[0-9]?$`: true,
		`^std::`:                     false,
		`^a.b$`:                      false,
		`Register_`:                  false,
		`^[^(]*$`:                    false,
	} {
		assert.Equal(t, want, identOnlyRegexp(expr), expr)
	}
	assert.True(t, identOnlyString("sinf"))
	assert.False(t, identOnlyString("operator new"))
}
