// Package parallel shares out independent work on the elements of a slice
// among the available CPUs.
package parallel

import (
	"runtime"
	"sync"
)

// minChunked is the smallest n worth splitting.
const minChunked = 4096

// Chunks calls fn on consecutive chunks [lo, hi) of [0, n), one per CPU,
// and waits for them all; a small n runs in the calling goroutine. fn must
// only touch its own chunk.
func Chunks(n int, fn func(lo, hi int)) {
	workers := runtime.GOMAXPROCS(0)
	if workers == 1 || n < minChunked {
		fn(0, n)
		return
	}
	var wg sync.WaitGroup
	chunk := (n + workers - 1) / workers
	for lo := 0; lo < n; lo += chunk {
		hi := min(lo+chunk, n)
		wg.Go(func() { fn(lo, hi) })
	}
	wg.Wait()
}
