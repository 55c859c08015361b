package elfsize

import (
	"cmp"
	"slices"
	"strings"
)

// sort orders list by section, address, then preference (larger first,
// then global before weak before local, then name, then table order). It
// is a radix sort on address and section, which the 100,000 symbols of a
// large binary need a few passes of, then a comparison sort of each run
// of symbols at one address.
func (s *symbols) sort(list []sym) {
	if len(list) < 2 {
		return
	}
	orig, scratch := list, make([]sym, len(list))
	for b := range 8 {
		shift := 8 * b
		if radixPass(list, scratch, func(y *sym) byte { return byte(y.addr >> shift) }) {
			list, scratch = scratch, list
		}
	}
	for b := range 4 {
		shift := 8 * b
		if radixPass(list, scratch, func(y *sym) byte { return byte(y.sec >> shift) }) {
			list, scratch = scratch, list
		}
	}
	if &list[0] != &orig[0] {
		copy(orig, list)
	}
	for lo := 0; lo < len(orig); {
		hi := lo + 1
		for hi < len(orig) && orig[hi].sec == orig[lo].sec && orig[hi].addr == orig[lo].addr {
			hi++
		}
		if hi-lo > 1 {
			slices.SortStableFunc(orig[lo:hi], s.prefer)
		}
		lo = hi
	}
}

// prefer orders symbols at one address by how well they name it: larger
// first, then global before weak before local, then by name.
func (s *symbols) prefer(a, b sym) int {
	if c := cmp.Compare(b.size, a.size); c != 0 {
		return c
	}
	if c := cmp.Compare(bindRank(a.bind()), bindRank(b.bind())); c != 0 {
		return c
	}
	return strings.Compare(s.name(a.name), s.name(b.name))
}

// radixPass moves src into dst stably ordered by the byte key gives each
// element, and reports whether it did: when every element has the same
// byte, nothing moves.
func radixPass[T any](src, dst []T, key func(*T) byte) bool {
	var count [256]int
	for i := range src {
		count[key(&src[i])]++
	}
	if count[key(&src[0])] == len(src) {
		return false
	}
	var next [256]int
	for i := 1; i < 256; i++ {
		next[i] = next[i-1] + count[i-1]
	}
	for i := range src {
		k := key(&src[i])
		dst[next[k]] = src[i]
		next[k]++
	}
	return true
}
