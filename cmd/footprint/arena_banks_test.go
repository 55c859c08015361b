package main

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflmarena"
)

func TestArenaBanks(t *testing.T) {
	model := sharedtest.ModelPath(t, "micro_speech__audio_preprocessor_int8")
	code, stdout, errOut := runCLI("arena", model, "--banks", "FAST=2K,SLOW=1M")
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, stdout, "head         3040 bytes in stock TFLM's one arena; joint bound 3040 (26 tensors and scratch buffers)")
	assert.Regexp(t, `FAST\s+2048\s+2016\s+23\s+44\s+optimal`, stdout)
	assert.Regexp(t, `SLOW\s+1048576\s+1040\s+3\s+5\s+optimal`, stdout)

	code, stdout, errOut = runCLI("arena", model, "--banks", "FAST=2K,SLOW=1M", "--format", "json")
	require.Equal(t, 0, code, errOut)
	var bh tflmarena.BankedHead
	require.NoError(t, json.Unmarshal([]byte(stdout), &bh))
	require.Len(t, bh.Buffers, 26)
	// Each bank's plan is valid on its own, and the fast bank holds the
	// buffers touched most: none left to SLOW is touched more than every
	// buffer in FAST that could have made room for it.
	for k := range bh.Banks {
		var buffers []tensorplan.Buffer
		var offsets []int64
		for _, b := range bh.Buffers {
			if b.Bank == k {
				buffers = append(buffers, tensorplan.Buffer{Size: b.Size, First: b.First, Last: b.Last, Fixed: tensorplan.Online})
				offsets = append(offsets, b.Offset)
			}
		}
		assert.NoError(t, tensorplan.Validate(buffers, tensorplan.Plan{Offsets: offsets, ArenaSize: bh.Used[k]}))
		assert.LessOrEqual(t, bh.Used[k], bh.Banks[k].Capacity)
	}
}

func TestArenaBanksBadInput(t *testing.T) {
	model := sharedtest.ModelPath(t, "tflm_models__person_detect")
	for _, tc := range []struct {
		want string
		args []string
	}{
		{"is not NAME=SIZE", []string{"arena", model, "--banks", "FAST"}},
		{"at least two memories", []string{"arena", model, "--banks", "FAST=64K"}},
		{"is not a byte count", []string{"arena", model, "--banks", "FAST=lots,SLOW=1M"}},
		{"bank SLOW: the", []string{"arena", model, "--banks", "FAST=16K,SLOW=32K"}},
		{"goes with neither", []string{"arena", model, "--banks", "FAST=16K,SLOW=1M", "--tflm"}},
		{"carries an OfflineMemoryAllocation plan", []string{"arena", sharedtest.ModelPath(t, "tflm_models__person_detect_vela"), "--banks", "A=1M,B=1M"}},
	} {
		code, stdout, errOut := runCLI(tc.args...)
		assert.Equal(t, 2, code, tc.want)
		assert.Empty(t, stdout, tc.want)
		assert.Contains(t, errOut, tc.want)
	}
}

func TestParseBanks(t *testing.T) {
	banks, err := parseBanks("DTCM=64K, SRAM=1M,EXT=4096")
	require.NoError(t, err)
	assert.Equal(t, []tensorplan.Bank{{Name: "DTCM", Capacity: 65536}, {Name: "SRAM", Capacity: 1 << 20}, {Name: "EXT", Capacity: 4096}}, banks)
	for _, bad := range []string{"", "A=1", "A=1,B", "=1,B=2", "A=-1,B=2", "A=1G,B=2", "A=99999999999M,B=1"} {
		_, err := parseBanks(bad)
		assert.Error(t, err, bad)
	}
}

// FuzzParseBanks: any string gives banks or an error, never a panic, and
// banks are at least two, named, with sizes in range.
func FuzzParseBanks(f *testing.F) {
	for _, s := range []string{"FAST=64K,SLOW=1M", "A=1,B=2,C=3k", "A=", "=,=", "A=1M,B=1048576"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, spec string) {
		banks, err := parseBanks(spec)
		if err != nil {
			return
		}
		require.GreaterOrEqual(t, len(banks), 2)
		for _, b := range banks {
			require.NotEmpty(t, b.Name)
			require.GreaterOrEqual(t, b.Capacity, int64(0))
			require.LessOrEqual(t, b.Capacity, int64(1)<<40)
		}
	})
}
