package runtime

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// coverageFile summarises the differential cases per operator.
const coverageFile = "coverage.md"

// TestTFLMOpsCoverage keeps testdata/tflm_ops/coverage.md, the per-operator
// summary of the differential cases (what TFLM ran and the runtime matched,
// what both refused), in step with the cases and results.jsonl. Set
// FOOTPRINT_WRITE_TFLM_OPS=1 to rewrite it.
func TestTFLMOpsCoverage(t *testing.T) {
	got := renderCoverage(t, tflmCases(), readTFLMResults(t), resolverOps(t))
	path := filepath.Join(tflmOpsDir, coverageFile)
	if os.Getenv("FOOTPRINT_WRITE_TFLM_OPS") != "" {
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), got, "set FOOTPRINT_WRITE_TFLM_OPS=1 to rewrite %s", coverageFile)
}

// opCoverage counts one operator's cases.
type opCoverage struct {
	types                 map[string]bool // element types of the cases TFLM ran
	ran, refused, trusted int
}

// renderCoverage tabulates the cases by operator: every operator a case's
// model uses counts the case.
func renderCoverage(t *testing.T, cases []tflmCase, results map[string]tflmResult, resolver []string) string {
	rows := map[string]*opCoverage{}
	for _, op := range resolver {
		rows[op] = &opCoverage{types: map[string]bool{}}
	}
	var ran, refused, trusted int
	for _, c := range cases {
		model, err := tflite.Parse(c.model)
		require.NoError(t, err, c.name)
		r, ok := results[c.name]
		require.True(t, ok, "no TFLM result for %s", c.name)
		switch {
		case c.refuse != "":
			trusted++
		case r.Status == "ok":
			ran++
		default:
			refused++
		}
		for name, typ := range caseOps(model) {
			row := rows[name]
			if row == nil {
				row = &opCoverage{types: map[string]bool{}}
				rows[name] = row
			}
			switch {
			case c.refuse != "":
				row.trusted++
			case r.Status == "ok":
				row.ran++
				row.types[typ] = true
			default:
				row.refused++
			}
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "# Differential cases per operator\n\n")
	fmt.Fprintf(&b, "Written by `go test ./runtime -run TestTFLMOpsCoverage` (`FOOTPRINT_WRITE_TFLM_OPS=1`) from\n")
	fmt.Fprintf(&b, "the cases and `results.jsonl`. %d cases: %d that real TFLM ran, whose outputs the\n", len(cases), ran)
	fmt.Fprintf(&b, "runtime reproduces; %d that TFLM refuses (to allocate, to invoke, or by crashing)\n", refused)
	fmt.Fprintf(&b, "and the runtime refuses too; %d that TFLM runs on trust and computes garbage for,\n", trusted)
	fmt.Fprintf(&b, "which the runtime refuses with the reason. A case counts for every operator its\n")
	fmt.Fprintf(&b, "model uses; a type is the operator's first input's (its output's when it has\n")
	fmt.Fprintf(&b, "none), with the output's after an arrow when they differ. Operators without\n")
	fmt.Fprintf(&b, "cases here are checked on the shared real models (`verify`, the oracle tests).\n\n")
	fmt.Fprintf(&b, "| operator | types TFLM ran | ran | refused | refused on trust |\n|---|---|--:|--:|--:|\n")
	for _, name := range slices.Sorted(maps.Keys(rows)) {
		row := rows[name]
		types := strings.Join(slices.Sorted(maps.Keys(row.types)), ", ")
		fmt.Fprintf(&b, "| %s | %s | %d | %d | %d |\n", name, types, row.ran, row.refused, row.trusted)
	}
	return b.String()
}

// caseOps are the operators of a model, each with the element types of its
// first use: the first input's, and the output's when it differs.
func caseOps(m *tflite.Model) map[string]string {
	ops := map[string]string{}
	for _, sg := range m.Subgraphs {
		typeOf := func(list []int32) (tflite.TensorType, bool) {
			for _, i := range list {
				if i >= 0 && int(i) < len(sg.Tensors) {
					return sg.Tensors[i].Type, true
				}
			}
			return 0, false
		}
		for _, op := range sg.Operators {
			name := m.OpName(op)
			if _, seen := ops[name]; seen {
				continue
			}
			in, hasIn := typeOf(op.Inputs)
			out, hasOut := typeOf(op.Outputs)
			switch {
			case !hasIn && !hasOut:
				ops[name] = "-"
			case !hasIn:
				ops[name] = strings.ToLower(out.String())
			case !hasOut || in == out:
				ops[name] = strings.ToLower(in.String())
			default:
				ops[name] = strings.ToLower(in.String()) + "→" + strings.ToLower(out.String())
			}
		}
	}
	return ops
}
