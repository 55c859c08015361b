package component

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/linkmap"
	"github.com/footprint-dev/footprint/report"
)

// firmwareReport attributes a shared firmware with its map, as
// `footprint size --map` does, and assigns the built-in components.
func firmwareReport(t *testing.T, name string) *report.Report {
	t.Helper()
	dir := sharedtest.Path(t, "firmware", name)
	rep, err := elfsize.Open(filepath.Join(dir, "firmware.elf"), elfsize.Options{Files: true, Demangle: true})
	require.NoError(t, err)
	f, err := os.Open(filepath.Join(dir, "firmware.map"))
	require.NoError(t, err)
	defer f.Close()
	m, err := linkmap.Parse(f, "firmware.map", linkmap.Options{})
	require.NoError(t, err)
	linkmap.Annotate(rep, m)
	require.NoError(t, Assign(rep, nil))
	return rep
}

// cmsisTable is the part of shared/firmware/fw_micro_speech_cmsis/
// cmsis_nn_functions.json the tests read: for every CMSIS-NN function (or
// data section) the TFLM kernels (kernels/cmsis_nn/<stem>.cc) that reach
// it in a Cortex-M4 build, from their call sites and the library's
// relocations.
type cmsisTable struct {
	Functions map[string]struct {
		Member      string   `json:"member"`
		ReachingOps []string `json:"reaching_ops"`
	} `json:"functions"`
}

func readCMSISTable(t *testing.T) cmsisTable {
	raw, err := os.ReadFile(sharedtest.Path(t, "firmware", "fw_micro_speech_cmsis", "cmsis_nn_functions.json"))
	require.NoError(t, err)
	var table cmsisTable
	require.NoError(t, json.Unmarshal(raw, &table))
	require.NotEmpty(t, table.Functions)
	return table
}

// TestCMSISNNRulesMatchCallGraph checks the built-in rules against the
// call graph of all 14 TFLM CMSIS-NN kernels and the whole library (157
// functions and tables): a function one operator's kernel reaches is that
// operator's, one several reach is cmsis-nn/common, and one none reaches
// is never "app". Each is tried by symbol name alone, by source file
// alone and by archive member alone.
func TestCMSISNNRulesMatchCallGraph(t *testing.T) {
	set, err := Compile(Builtin())
	require.NoError(t, err)
	clone := regexp.MustCompile(`\.(isra|constprop|part)\.[0-9]+$`)
	for name, f := range readCMSISTable(t).Functions {
		symbol, _, _ := strings.Cut(name, "@")
		if strings.HasPrefix(symbol, ".rodata.") {
			symbol = strings.TrimPrefix(symbol, ".rodata.")
		}
		var want string
		switch len(f.ReachingOps) {
		case 0:
			want = "" // any component but app
		case 1:
			want = "tflm/kernel/" + kernelOp(f.ReachingOps[0])
		default:
			want = CMSISNNCommon
		}
		stem := clone.ReplaceAllString(strings.TrimSuffix(f.Member, ".o"), "")
		pieces := []report.Piece{
			{Section: ".text", Symbol: symbol, Object: f.Member, Archive: "libcmsis-nn.a",
				File: "/src/tflm/tools/make/downloads/cmsis_nn/Source/NNSupportFunctions/" + stem + ".c"},
		}
		if !strings.HasPrefix(name, ".rodata.") {
			// Functions are known by name alone; a table needs its object.
			pieces = append(pieces, report.Piece{Section: ".text", Symbol: symbol})
		}
		for _, p := range pieces {
			got := set.Component(&p)
			assert.NotEqual(t, Fallback, got, "%s", name)
			assert.True(t, got == CMSISNNCommon || strings.HasPrefix(got, "tflm/kernel/"), "%s: %s", name, got)
			if want != "" {
				assert.Equal(t, want, got, "%s (%v)", name, f.ReachingOps)
			}
		}
		// A piece with no symbol name (stripped, or bytes between
		// functions) goes by its archive member or source file; files
		// holding several functions' buffer-size helpers go with their
		// family or to common.
		for _, p := range []report.Piece{
			{Section: ".text", Symbol: "[.text: unattributed]", Object: f.Member, Archive: "libcmsis-nn.a"},
			{Section: ".text", Symbol: "[.text: unattributed]", File: "/x/CMSIS-NN/Source/NNSupportFunctions/" + stem + ".c"},
		} {
			got := set.Component(&p)
			assert.True(t, got == CMSISNNCommon || strings.HasPrefix(got, "tflm/kernel/"), "%s: %+v: %s", name, p, got)
		}
	}
}

// TestCMSISNNFirmware attributes the real micro_speech firmware built with
// TFLM's CMSIS-NN kernels for a Cortex-M4F: every byte of libcmsis-nn.a
// goes to an operator or to cmsis-nn/common, never to app; each function
// goes where the call graph says (here DEPTHWISE_CONV_2D,
// FULLY_CONNECTED, SOFTMAX and the helpers those share with operators
// the firmware does not run), and the archive's total is the map's.
func TestCMSISNNFirmware(t *testing.T) {
	rep := firmwareReport(t, "fw_micro_speech_cmsis")
	table := readCMSISTable(t)
	byComponent := map[string]uint64{}
	var total uint64
	functions := map[string]string{}
	for _, p := range rep.Pieces {
		if p.Archive != "libcmsis-nn.a" {
			continue
		}
		total += p.Flash
		byComponent[p.Component] += p.Flash
		assert.NotEqual(t, Fallback, p.Component, "%+v", p)
		functions[p.Symbol] = p.Component
	}
	assert.Equal(t, uint64(22844), total, "libcmsis-nn.a bytes (ground_truth.json per_archive)")
	assert.Equal(t, map[string]uint64{
		"tflm/kernel/DEPTHWISE_CONV_2D": 11316,
		"tflm/kernel/FULLY_CONNECTED":   4170,
		"tflm/kernel/SOFTMAX":           3688,
		CMSISNNCommon:                   3670,
	}, byComponent)
	assert.Len(t, functions, 33)
	for name, component := range functions {
		f, ok := table.Functions[name]
		require.True(t, ok, name)
		if len(f.ReachingOps) == 1 {
			assert.Equal(t, "tflm/kernel/"+kernelOp(f.ReachingOps[0]), component, name)
		} else {
			assert.Equal(t, CMSISNNCommon, component, name)
		}
	}
	// TFLM's own kernels/cmsis_nn/ objects go to their operators.
	for _, p := range rep.Pieces {
		if strings.Contains(p.File, "/kernels/cmsis_nn/") {
			assert.True(t, strings.HasPrefix(p.Component, "tflm/kernel/"), "%+v", p)
		}
	}

	// The reference build has no CMSIS-NN.
	for _, p := range firmwareReport(t, "fw_micro_speech").Pieces {
		assert.NotEqual(t, CMSISNNCommon, p.Component, "%+v", p)
	}
}

// TestCMSISNNRulesLeaveCMSISDSP checks that CMSIS-DSP, which shares
// CMSIS-NN's arm_ prefix and source layout, is not taken for CMSIS-NN.
func TestCMSISNNRulesLeaveCMSISDSP(t *testing.T) {
	set, err := Compile(Builtin())
	require.NoError(t, err)
	for _, p := range []report.Piece{
		{Section: ".text", Symbol: "arm_add_f32", File: "/x/CMSIS-DSP/Source/BasicMathFunctions/arm_add_f32.c"},
		{Section: ".text", Symbol: "arm_max_q7", File: "/x/CMSIS-DSP/Source/StatisticsFunctions/arm_max_q7.c"},
		{Section: ".text", Symbol: "arm_q7_to_q15", File: "/x/CMSIS-DSP/Source/SupportFunctions/arm_q7_to_q15.c"},
		{Section: ".text", Symbol: "arm_mat_trans_q7", Object: "arm_mat_trans_q7.o", Archive: "libCMSISDSP.a"},
		{Section: ".text", Symbol: "arm_conv_q15"},
	} {
		assert.Equal(t, Fallback, set.Component(&p), "%+v", p)
	}
}
