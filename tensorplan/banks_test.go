package tensorplan

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPlanBanksFillsFastBankByTouches(t *testing.T) {
	buffers := []Buffer{
		{Size: 64, First: 0, Last: 1, Fixed: Online},  // 0: touched by 2 operators
		{Size: 128, First: 1, Last: 4, Fixed: Online}, // 1: touched by 5
		{Size: 32, First: 2, Last: 3, Fixed: Online},  // 2: touched by 5, smaller: first
		{Size: 96, First: 3, Last: 4, Fixed: Online},  // 3: touched by 1
		{Size: 48, First: 0, Last: 0, Fixed: Online},  // 4: touched by 2
	}
	touches := []int{2, 5, 5, 1, 2}
	banks := []Bank{{"FAST", 176}, {"SLOW", 1024}}
	bp, err := Best{}.PlanBanks(buffers, touches, banks)
	require.NoError(t, err)
	// 2 and 1 (160 bytes at steps 2-3) go first; 4 (48, step 0) fits
	// beside them; 0 (64, steps 0-1) does not: 128+64 > 176 at step 1.
	assert.Equal(t, []int{1, 0, 0, 1, 0}, bp.Bank)
	assert.Equal(t, []int64{160, 96}, bp.Used)
	checkBanks(t, buffers, banks, bp)

	_, err = Best{}.PlanBanks(buffers, touches, []Bank{{"FAST", 64}, {"SLOW", 128}})
	assert.ErrorContains(t, err, "bank SLOW: the")
	_, err = Best{}.PlanBanks([]Buffer{{Size: 16, Fixed: 0}}, []int{1}, banks)
	assert.ErrorContains(t, err, "fixed")
	_, err = Best{}.PlanBanks(buffers, touches[:2], banks)
	assert.ErrorContains(t, err, "touch counts")
	_, err = Best{}.PlanBanks(buffers, touches, nil)
	assert.Error(t, err)
}

// checkBanks validates each bank's plan on its own.
func checkBanks(t *testing.T, buffers []Buffer, banks []Bank, bp BankPlan) {
	t.Helper()
	for k, bank := range banks {
		var ids []int
		for i := range buffers {
			if bp.Bank[i] == k {
				ids = append(ids, i)
			}
		}
		offsets := make([]int64, len(ids))
		for j, id := range ids {
			offsets[j] = bp.Offsets[id]
		}
		sub := subset(buffers, ids)
		require.NoError(t, Validate(sub, Plan{Offsets: offsets, ArenaSize: bp.Used[k]}), "bank %s", bank.Name)
		require.LessOrEqual(t, bp.Used[k], bank.Capacity)
		require.Equal(t, arenaEnd(sub, offsets), bp.Used[k])
	}
}

func TestPlanBanksRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(51, 52))
	for range 200 {
		buffers := randomBuffers(r, 5+r.IntN(30), 2+r.IntN(20), false)
		touches := make([]int, len(buffers))
		for i := range touches {
			touches[i] = 1 + r.IntN(6)
		}
		whole := LowerBound(buffers)
		banks := []Bank{{"FAST", whole / 3}, {"SLOW", 1 << 20}}
		bp, err := Best{}.PlanBanks(buffers, touches, banks)
		require.NoError(t, err)
		checkBanks(t, buffers, banks, bp)
		// Every buffer left to SLOW was tried first: it did not fit FAST
		// beside the buffers touched more.
		for i := range buffers {
			if bp.Bank[i] == 1 {
				assert.Positive(t, buffers[i].Size, "an empty buffer always fits")
			}
		}
	}
}
