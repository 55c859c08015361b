package component

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/report"
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

// TestAssignAllMatchesEach checks that assigning several builds together,
// each distinct piece once, gives each build the components assigned to
// it alone: builds that share most pieces, and builds with other models
// (their own model rules).
func TestAssignAllMatchesEach(t *testing.T) {
	dir := "../testdata/firmware/out/variants/"
	paths := []string{dir + "base/firmware.elf", dir + "extra-kernel/firmware.elf", dir + "bigmodel/firmware.elf", dir + "base/firmware.elf"}
	user := []Rule{{Component: "user/heap", Symbol: Patterns{"re:Heap"}}}
	var alone, together []*report.Report
	for _, path := range paths {
		rep, err := elfsize.Open(path, elfsize.Options{Files: true, ModelOps: elfsize.TFLiteOps})
		require.NoError(t, err)
		require.NoError(t, AssignNames(rep, user, elfsize.Names{}))
		alone = append(alone, rep)
		rep, err = elfsize.Open(path, elfsize.Options{Files: true, ModelOps: elfsize.TFLiteOps})
		require.NoError(t, err)
		together = append(together, rep)
	}
	require.NotEqual(t, together[0].Models, together[2].Models, "bigmodel embeds another model")
	require.NoError(t, AssignAll(together, user, elfsize.Names{}))
	for i := range paths {
		require.Equal(t, alone[i].Pieces, together[i].Pieces, paths[i])
	}
	var models int
	for _, p := range together[2].Pieces {
		if p.Component == "model" {
			models++
		}
	}
	assert.Positive(t, models)
}
