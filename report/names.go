package report

import (
	"cmp"
	"slices"

	"github.com/footprint-dev/footprint/internal/parallel"
)

// Names says how the raw symbol names of pieces (as a symbol table spells
// them) are shown, so that a report can keep raw names and pay for
// demangling only the names it prints. elfsize.Names implements it for
// ELF symbols. Show(raw) is raw itself unless Mangled(raw).
type Names interface {
	// Show returns the name shown for raw, e.g. demangled.
	Show(raw string) string
	// Mangled reports whether Show may change raw.
	Mangled(raw string) bool
	// Class returns a value equal for any two raw names that Show maps to
	// the same string (names in different classes are shown differently).
	Class(raw string) uint64
	// Alike returns, for a raw name Show may change, a key equal for two
	// such names only if Show maps them to the same string: raw itself,
	// or raw with what Show certainly leaves out made uniform (say, the
	// variant of a constructor). It lets names be merged without showing
	// them.
	Alike(raw string) string
	// Contains returns a test reporting whether Show(raw), when it differs
	// from raw, may contain s; false means it certainly does not. The test
	// is built once per s and run on many names.
	Contains(s string) func(raw string) bool
	// MayBeIdent reports whether Show(raw), when it differs from raw, may
	// consist of letters, digits, '_' and '$' only.
	MayBeIdent(raw string) bool
}

// GroupTopNames is Top(Group(pieces, k), n) for pieces whose key k holds
// raw names that names shows: rows are grouped and named by the shown
// names. Only the names that decide the result are shown (see TopNames).
// n <= 0 shows every name.
func GroupTopNames(pieces []Piece, k Key, n int, names Names) []Row {
	index := make(map[string]int, len(pieces)/2)
	var rows []Row
	for i := range pieces {
		p := &pieces[i]
		name := p.Get(k)
		j, ok := index[name]
		if !ok {
			j = len(rows)
			index[name] = j
			rows = append(rows, Row{Name: name})
		}
		rows[j].Flash += p.Flash
		rows[j].RAM += p.RAM
		rows[j].Pieces++
	}
	return TopNames(rows, k, n, names)
}

// TopNames is Top(rows merged by shown name, n), sorted as Group sorts,
// for rows of key k named by raw names that names shows ("" for no
// value); a raw name may have several rows. Only the names that decide
// the result are shown: those of the rows printed, of rows tied with the
// last one printed, and of raw names that may merge with another (they
// share a class) and cannot be told apart without showing them (see
// Names.Alike). n <= 0 shows every name. TopNames reorders and rewrites
// rows.
func TopNames(rows []Row, k Key, n int, names Names) []Row {
	if n <= 0 {
		return showAll(rows, nil, k, names)
	}
	rows, shown := mergeAlike(rows, k, names)
	if n >= len(rows) {
		return showAll(rows, shown, k, names)
	}
	// The rows that can reach the top n: every row at least as large as
	// the n-th, whose names are shown and which are then ordered by name
	// too.
	least := nthLargest(rows, n)
	var top []Row
	var total Row
	for i := range rows {
		r := &rows[i]
		total.Flash += r.Flash
		total.RAM += r.RAM
		total.Pieces += r.Pieces
		if bySize(r, &least) > 0 {
			continue
		}
		t := *r
		if !shown[i] {
			t.Name = showName(t.Name, k, names)
		}
		top = append(top, t)
	}
	SortRows(top)
	out := top[:n:n]
	others := Row{Name: othersName(len(rows) - n)}
	others.Flash, others.RAM, others.Pieces = total.Flash, total.RAM, total.Pieces
	for _, r := range out {
		others.Flash -= r.Flash
		others.RAM -= r.RAM
		others.Pieces -= r.Pieces
	}
	return append(out, others)
}

// bySize orders rows largest first by flash+RAM, then flash (Group's
// order without the name).
func bySize(a, b *Row) int {
	if c := cmp.Compare(b.Flash+b.RAM, a.Flash+a.RAM); c != 0 {
		return c
	}
	return cmp.Compare(b.Flash, a.Flash)
}

// nthLargest returns the n-th row (1 <= n <= len(rows)) in bySize order,
// keeping the n largest in a heap whose root is the smallest of them.
func nthLargest(rows []Row, n int) Row {
	heap := make([]Row, 0, n)
	// less reports whether heap[i] is smaller than heap[j].
	less := func(i, j int) bool { return bySize(&heap[i], &heap[j]) > 0 }
	down := func(i int) {
		for {
			c := 2*i + 1
			if c >= len(heap) {
				return
			}
			if c+1 < len(heap) && less(c+1, c) {
				c++
			}
			if !less(c, i) {
				return
			}
			heap[i], heap[c] = heap[c], heap[i]
			i = c
		}
	}
	for i := range rows {
		r := rows[i]
		r.Name = ""
		if len(heap) < n {
			heap = append(heap, r)
			for j := len(heap) - 1; j > 0 && less(j, (j-1)/2); j = (j - 1) / 2 {
				heap[j], heap[(j-1)/2] = heap[(j-1)/2], heap[j]
			}
			continue
		}
		if bySize(&r, &heap[0]) < 0 {
			heap[0] = r
			down(0)
		}
	}
	return heap[0]
}

// mergeAlike merges the rows whose names are shown alike, reporting which
// rows now hold shown names. Only rows of one class can merge: of those,
// rows whose names are certainly alike (Names.Alike, or not mangled and
// equal) merge unseen, and only classes left with several rows have a
// name per row shown (in parallel: demangling is the costly part).
func mergeAlike(rows []Row, k Key, names Names) ([]Row, []bool) {
	raw := func(i int) string {
		if rows[i].Name == "" {
			return NoValue(k)
		}
		return rows[i].Name
	}
	class := make([]uint64, len(rows))
	parallel.Chunks(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			class[i] = names.Class(raw(i))
		}
	})
	// The classes of several rows, found by sorting (cheaper than a map
	// of every class).
	sorted := slices.Clone(class)
	slices.Sort(sorted)
	var several []uint64
	for i := 1; i < len(sorted); i++ {
		if sorted[i] == sorted[i-1] && (len(several) == 0 || several[len(several)-1] != sorted[i]) {
			several = append(several, sorted[i])
		}
	}
	var shared []int
	for i, c := range class {
		if _, ok := slices.BinarySearch(several, c); ok {
			shared = append(shared, i)
		}
	}
	// The shared rows by class, then by key: a mangled name's Alike key,
	// or the shown name of one that is not (never equal to a key: the
	// bool tells them apart).
	type key struct {
		mangled bool
		name    string
	}
	keys := make([]key, len(shared))
	parallel.Chunks(len(shared), func(lo, hi int) {
		for s := lo; s < hi; s++ {
			i := shared[s]
			if name := rows[i].Name; name != "" && names.Mangled(name) {
				keys[s] = key{true, names.Alike(name)}
			} else {
				keys[s] = key{false, raw(i)}
			}
		}
	})
	order := make([]int, len(shared))
	for s := range order {
		order[s] = s
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(class[shared[a]], class[shared[b]]); c != 0 {
			return c
		}
		if c := cmp.Compare(keys[a].name, keys[b].name); c != 0 {
			return c
		}
		if keys[a].mangled != keys[b].mangled {
			return cmp.Compare(btoi(keys[a].mangled), btoi(keys[b].mangled))
		}
		return cmp.Compare(a, b)
	})
	// Runs of one class and key are shown alike, unless their key is a
	// mangled name's Alike key and the names do not show at all. A run
	// whose rows spell one raw name merges unseen when it is the only one
	// of its class; other runs show their first name (and every name when
	// that one does not show) and merge by the names shown.
	type run struct {
		first, last int // in order
		// spellings: the rows spell several raw names; oneByOne: they
		// are shown one by one.
		spellings, oneByOne bool
	}
	var runs []run
	var toShow []int // indexes in runs
	for lo := 0; lo < len(order); {
		hi := lo + 1
		for hi < len(order) && class[shared[order[hi]]] == class[shared[order[lo]]] {
			hi++
		}
		classRuns := len(runs)
		for a := lo; a < hi; {
			r := run{first: a}
			for r.last = a + 1; r.last < hi && keys[order[r.last]] == keys[order[a]]; r.last++ {
				r.spellings = r.spellings || rows[shared[order[r.last]]].Name != rows[shared[order[a]]].Name
			}
			runs = append(runs, r)
			a = r.last
		}
		for r := classRuns; r < len(runs); r++ {
			if runs[r].spellings || len(runs)-classRuns > 1 {
				toShow = append(toShow, r)
			}
		}
		lo = hi
	}
	show := func(s int) string {
		if keys[s].mangled {
			return names.Show(rows[shared[s]].Name)
		}
		return keys[s].name
	}
	// shownNames[t] is the name shown for run toShow[t]; "" when its rows
	// are shown one by one.
	shownNames := make([]string, len(toShow))
	parallel.Chunks(len(toShow), func(lo, hi int) {
		for t := lo; t < hi; t++ {
			r := &runs[toShow[t]]
			s := order[r.first]
			name := show(s)
			if r.spellings && name == rows[shared[s]].Name {
				name = "" // not demangled: each spelling shows as itself
			}
			shownNames[t] = name
		}
	})
	// into[i] is the row row i merges into, plus one (0: itself).
	into := make([]int32, len(rows))
	shown := make([]bool, len(rows))
	byShown := make(map[string]int, len(toShow))
	merge := func(i int, name string) {
		rows[i].Name, shown[i] = name, true
		if j, ok := byShown[name]; ok {
			into[i] = int32(j) + 1
			return
		}
		byShown[name] = i
	}
	for t, name := range shownNames {
		r := &runs[toShow[t]]
		if name != "" {
			merge(shared[order[r.first]], name)
			continue
		}
		r.oneByOne = true
		for _, s := range order[r.first:r.last] {
			merge(shared[s], show(s))
		}
	}
	for _, r := range runs {
		if r.oneByOne {
			continue
		}
		first := shared[order[r.first]]
		for _, s := range order[r.first+1 : r.last] {
			into[shared[s]] = int32(first) + 1
		}
	}
	// Merge, following chains (a run's first row may itself merge into
	// another run's by shown name), and keep the rows merged into.
	target := func(i int) int {
		for into[i] != 0 {
			i = int(into[i]) - 1
		}
		return i
	}
	for i := range rows {
		if t := target(i); t != i {
			rows[t].Flash += rows[i].Flash
			rows[t].RAM += rows[i].RAM
			rows[t].Pieces += rows[i].Pieces
		}
	}
	kept := rows[:0]
	keptShown := shown[:0]
	for i := range rows {
		if into[i] == 0 {
			kept = append(kept, rows[i])
			keptShown = append(keptShown, shown[i])
		}
	}
	return kept, keptShown
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// showAll names every row by its shown name (but those shown already:
// shown[i], if shown is not nil), merges the rows shown alike and sorts
// them as Group does.
func showAll(rows []Row, shown []bool, k Key, names Names) []Row {
	parallel.Chunks(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			if shown == nil || !shown[i] {
				rows[i].Name = showName(rows[i].Name, k, names)
			}
		}
	})
	byShown := make(map[string]int, len(rows))
	merged := rows[:0]
	for _, r := range rows {
		if j, ok := byShown[r.Name]; ok {
			merged[j].Flash += r.Flash
			merged[j].RAM += r.RAM
			merged[j].Pieces += r.Pieces
			continue
		}
		byShown[r.Name] = len(merged)
		merged = append(merged, r)
	}
	SortRows(merged)
	return merged
}

// NewViewNames is NewView for a report whose pieces hold raw symbol names
// that names shows: grouped by symbol, it shows only the names that decide
// the rows (see GroupTopNames). Its pieces keep their raw names, so it is
// for the table, CSV and Markdown formats, which print rows only.
func NewViewNames(r *Report, k Key, n int, names Names) *View {
	if k != KeySymbol {
		return NewView(r, k, n)
	}
	return &View{Report: r, By: k, Top: max(n, 0), Rows: GroupTopNames(r.Pieces, k, n, names)}
}

// NewViewRows is NewView for rows by key k that are named by raw names
// names shows, such as elfsize.AnalyzeRows returns, with r's pieces left
// unread (see TopNames). It is for the table, CSV and Markdown formats,
// which print rows only.
func NewViewRows(r *Report, k Key, rows []Row, n int, names Names) *View {
	return &View{Report: r, By: k, Top: max(n, 0), Rows: TopNames(rows, k, n, names)}
}

// showName shows a raw name, as Group names an empty value.
func showName(raw string, k Key, names Names) string {
	if raw == "" {
		return NoValue(k)
	}
	if !names.Mangled(raw) {
		return raw
	}
	return names.Show(raw)
}
