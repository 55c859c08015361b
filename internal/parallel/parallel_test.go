package parallel

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestChunksCoverEachIndexOnce(t *testing.T) {
	for _, n := range []int{0, 1, minChunked - 1, minChunked, 3*minChunked + 7} {
		seen := make([]int, n)
		Chunks(n, func(lo, hi int) {
			for i := lo; i < hi; i++ {
				seen[i]++
			}
		})
		for i, c := range seen {
			assert.Equal(t, 1, c, "n=%d index %d", n, i)
		}
	}
}
