package runtime

// decreasingPartialArgSort is TFLM's DecreasingPartialArgSort: it fills
// indices with 0..len(indices)-1 and moves the first k of them, by value
// decreasing and then index increasing, to the front, in order. It is
// libstdc++'s std::partial_sort step for step (a heap of the first k, the
// rest sifted through it, then a heap sort), so that the order is TFLM's
// even where a NaN makes the comparison no order at all: TFLM's tuple
// comparison takes a NaN as equal to every value.
func decreasingPartialArgSort(values []float32, indices []int, k int) {
	for i := range indices {
		indices[i] = i
	}
	if k == 0 {
		return // TFLM sorts none only when there are none
	}
	// before is TFLM's comparator: std::tie(values[i], j) >
	// std::tie(values[j], i).
	before := func(i, j int) bool {
		if values[j] < values[i] {
			return true
		}
		if values[i] < values[j] {
			return false
		}
		return i < j
	}
	heap := indices[:k]
	makeHeap(heap, before)
	for i := k; i < len(indices); i++ {
		if before(indices[i], heap[0]) {
			// std::__pop_heap(first, middle, i).
			v := indices[i]
			indices[i] = heap[0]
			adjustHeap(heap, 0, v, before)
		}
	}
	for n := k; n > 1; n-- {
		v := heap[n-1]
		heap[n-1] = heap[0]
		adjustHeap(heap[:n-1], 0, v, before)
	}
}

// makeHeap is libstdc++'s std::__make_heap.
func makeHeap(h []int, less func(a, b int) bool) {
	if len(h) < 2 {
		return
	}
	for parent := (len(h) - 2) / 2; ; parent-- {
		adjustHeap(h, parent, h[parent], less)
		if parent == 0 {
			return
		}
	}
}

// adjustHeap is libstdc++'s std::__adjust_heap: it moves the hole at hole
// down to a leaf along the larger children, then pushes v up from there.
func adjustHeap(h []int, hole, v int, less func(a, b int) bool) {
	top, child := hole, hole
	for child < (len(h)-1)/2 {
		child = 2 * (child + 1)
		if less(h[child], h[child-1]) {
			child--
		}
		h[hole] = h[child]
		hole = child
	}
	if len(h)&1 == 0 && child == (len(h)-2)/2 {
		child = 2 * (child + 1)
		h[hole] = h[child-1]
		hole = child - 1
	}
	// std::__push_heap.
	parent := (hole - 1) / 2
	for hole > top && less(h[parent], v) {
		h[hole] = h[parent]
		hole = parent
		parent = (hole - 1) / 2
	}
	h[hole] = v
}
