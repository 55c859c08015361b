package tflmarena

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/internal/sharedtest"
)

// cmsisOracleCases are the models measured with TFLM built with CMSIS-NN,
// one case per model and measured CPU (shared/oracle/cmsis_nn/<cpu>/).
func cmsisOracleCases(t *testing.T) []oracleCase {
	shared := sharedtest.Dir(t)
	dirs, err := filepath.Glob(filepath.Join(shared, "oracle", "cmsis_nn", "*"))
	require.NoError(t, err)
	require.NotEmpty(t, dirs)
	var cases []oracleCase
	for _, dir := range dirs {
		cpu, err := CPUByName(filepath.Base(dir))
		require.NoError(t, err)
		require.True(t, cpu.IsMeasured(), "%s has an oracle but is not marked measured", cpu.Name)
		abi, err := CortexM.WithKernels(Kernels{Set: CMSISNN, CPU: &cpu})
		require.NoError(t, err)
		files, err := filepath.Glob(filepath.Join(dir, "*.json"))
		require.NoError(t, err)
		for _, f := range files {
			base := strings.TrimSuffix(filepath.Base(f), ".json")
			cases = append(cases, oracleCase{
				name:   cpu.Name + "/" + base,
				model:  filepath.Join(shared, "models", base+".tflite"),
				abi:    abi,
				oracle: readOracle(t, f),
			})
		}
	}
	return cases
}

// TestCMSISNNOracle compares both numbers, the head and the tail with real
// TFLM + CMSIS-NN's for every shared model on every measured CPU.
func TestCMSISNNOracle(t *testing.T) { checkOracle(t, cmsisOracleCases(t)) }

// TestCMSISNNOracleRecording compares every RecordingMicroAllocator
// category (requested bytes, used bytes, count) with real TFLM + CMSIS-NN's.
func TestCMSISNNOracleRecording(t *testing.T) { checkRecordings(t, cmsisOracleCases(t)) }

// TestCompareKernelsKeywordSpotting pins where CMSIS-NN's arena differs
// from the reference kernels' on keyword_scrambled: on cortex-m4 each
// FULLY_CONNECTED's OpData grows by a 16-byte slot and SVDF's and
// SOFTMAX's OpData fit the same slots; on cortex-m55 every SVDF also keeps
// its feature weights' kernel sums (64 filters of int32 on the first four,
// 32 on the next three) and every FULLY_CONNECTED its own.
func TestCompareKernelsKeywordSpotting(t *testing.T) {
	m := sharedModel(t, "tflm_models__keyword_scrambled")
	ref, err := EstimateArena(m, CortexM)
	require.NoError(t, err)
	for cpu, want := range map[string]map[string]int64{
		"cortex-m4":  {"FULLY_CONNECTED": 5 * 32},
		"cortex-m55": {"FULLY_CONNECTED": 5*32 + 4*64 + 16, "SVDF": 4*256 + 3*128},
	} {
		abi, err := ParseTarget("cortex-m", "cmsis-nn", cpu)
		require.NoError(t, err)
		est, err := EstimateArena(m, abi)
		require.NoError(t, err)
		got := map[string]int64{}
		for _, d := range CompareKernels(ref, est) {
			assert.Zero(t, d.Scratch, "%s op %d", cpu, d.Op)
			got[d.OpName] += d.Tail
		}
		assert.Equal(t, want, got, cpu)
		assert.Equal(t, est.Tail-ref.Tail, got["FULLY_CONNECTED"]+got["SVDF"], cpu)
	}
}

// TestFirmwareArenaCMSISNN judges the tensor arena of the shared
// micro_speech firmware built with CMSIS-NN for a Cortex-M4F (28 KiB) for
// the CMSIS-NN kernels on cortex-m4 and cortex-m55 and says which build
// the need is for.
func TestFirmwareArenaCMSISNN(t *testing.T) {
	dir := sharedtest.Path(t, "firmware", "fw_micro_speech_cmsis")
	rep, err := elfsize.Open(filepath.Join(dir, "firmware.elf"), elfsize.Options{Demangle: true})
	require.NoError(t, err)
	model := sharedtest.ModelPath(t, "micro_speech__micro_speech_quantized")
	for cpu, need := range map[string]int64{"cortex-m4": 6836, "cortex-m55": 7812} {
		abi, err := ParseTarget("cortex-m", "cmsis-nn", cpu)
		require.NoError(t, err)
		c, err := CheckFirmware(rep.Pieces, "", model, abi)
		require.NoError(t, err)
		assert.Equal(t, need, c.MinArenaBytes)
		assert.Equal(t, CMSISNN, c.Kernels)
		assert.Equal(t, cpu, c.CPU)
		assert.Equal(t, ArenaOversized, c.Status)
		assert.Contains(t, c.Message, fmt.Sprintf("the %d the model needs with CMSIS-NN kernels on %s", need, cpu))
	}
	c, err := CheckFirmware(rep.Pieces, "", model, CortexM)
	require.NoError(t, err)
	assert.Equal(t, ReferenceKernels, c.Kernels)
	assert.Equal(t, int64(6800), c.MinArenaBytes)
	assert.NotContains(t, c.Message, "CMSIS-NN")
}

// TestCMSISNNOutputsEqualReference checks what lets `footprint verify`
// (reference arithmetic) speak for CMSIS-NN builds: on every shared model
// TFLM runs, on every measured CPU, TFLM + CMSIS-NN produced the same
// output bytes as TFLM's reference kernels for the same input.
func TestCMSISNNOutputsEqualReference(t *testing.T) {
	type outputs struct {
		Status  string `json:"status"`
		Outputs []struct {
			Index int    `json:"index"`
			Hex   string `json:"hex"`
		} `json:"outputs"`
	}
	read := func(path string) outputs {
		raw, err := os.ReadFile(path)
		require.NoError(t, err)
		var o outputs
		require.NoError(t, json.Unmarshal(raw, &o))
		return o
	}
	shared := sharedtest.Dir(t)
	files, err := filepath.Glob(filepath.Join(shared, "oracle", "cmsis_nn", "*", "*.json"))
	require.NoError(t, err)
	compared := 0
	for _, f := range files {
		got := read(f)
		want := read(filepath.Join(shared, "oracle", filepath.Base(f)))
		if want.Status != "ok" {
			assert.NotEqual(t, "ok", got.Status, f)
			continue
		}
		require.Equal(t, "ok", got.Status, f)
		require.NotEmpty(t, got.Outputs, f)
		assert.Equal(t, want.Outputs, got.Outputs, f)
		compared++
	}
	assert.Equal(t, 48, compared, "24 runnable models on 2 CPUs")
}

// TestCMSISNNMinimumIsTight checks, for every shared model and every CPU,
// that the CMSIS-NN minimum passes every TFLM check and one byte less fails
// one, and that the cores sharing a code path get the same figures.
func TestCMSISNNMinimumIsTight(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(sharedtest.Dir(t), "models", "*.tflite"))
	require.NoError(t, err)
	for _, f := range files {
		m := loadModel(t, f)
		byPath := map[Extension]*Estimate{}
		for _, cpu := range CPUs() {
			abi, err := CortexM.WithKernels(Kernels{Set: CMSISNN, CPU: &cpu})
			require.NoError(t, err)
			checkMinimumIsTight(t, m, abi, f+" "+cpu.Name)

			est, err := EstimateArena(m, abi)
			require.NoError(t, err)
			if prev := byPath[cpu.Extension]; prev != nil {
				assert.Equal(t, []int64{prev.MinArenaBytes, prev.Head, prev.Tail}, []int64{est.MinArenaBytes, est.Head, est.Tail}, "%s %s", f, cpu.Name)
			}
			byPath[cpu.Extension] = est
		}
	}
}
