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
// names. Only the names that decide the result are shown: those of the
// rows printed, of rows tied with the last one printed, and of raw names
// that share a class with another (and so may merge). n <= 0 shows every
// name.
func GroupTopNames(pieces []Piece, k Key, n int, names Names) []Row {
	if n <= 0 {
		return groupShown(pieces, k, names)
	}
	// Rows by raw name.
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
	clear(index)
	// Merge the rows whose shown names are equal: only rows of one class
	// can be, so only those of classes with several rows are shown now
	// (in parallel: demangling is the costly part).
	class := make([]uint64, len(rows))
	parallel.Chunks(len(rows), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			raw := rows[i].Name
			if raw == "" {
				raw = NoValue(k)
			}
			class[i] = names.Class(raw)
		}
	})
	classes := make(map[uint64]int32, len(rows))
	for _, c := range class {
		classes[c]++
	}
	var shared []int
	for i, c := range class {
		if classes[c] > 1 {
			shared = append(shared, i)
		}
	}
	sharedNames := make([]string, len(shared))
	parallel.Chunks(len(shared), func(lo, hi int) {
		for i := lo; i < hi; i++ {
			sharedNames[i] = showName(rows[shared[i]].Name, k, names)
		}
	})
	shown := make([]bool, len(rows))
	merged := rows[:0]
	byShown := make(map[string]int, len(shared))
	next := 0
	for i := range rows {
		r := rows[i]
		if next == len(shared) || shared[next] != i {
			merged = append(merged, r)
			continue
		}
		r.Name = sharedNames[next]
		next++
		if j, ok := byShown[r.Name]; ok {
			merged[j].Flash += r.Flash
			merged[j].RAM += r.RAM
			merged[j].Pieces += r.Pieces
			continue
		}
		byShown[r.Name] = len(merged)
		shown[len(merged)] = true
		merged = append(merged, r)
	}
	rows, shown = merged, shown[:len(merged)]
	// Order by size alone, then show the rows that can reach the top n
	// (every row at least as large as the n-th) and order those by name
	// too.
	order := make([]int, len(rows))
	for i := range order {
		order[i] = i
	}
	bySize := func(a, b int) int {
		ra, rb := &rows[a], &rows[b]
		if c := cmp.Compare(rb.Flash+rb.RAM, ra.Flash+ra.RAM); c != 0 {
			return c
		}
		return cmp.Compare(rb.Flash, ra.Flash)
	}
	slices.SortFunc(order, bySize)
	if n >= len(rows) {
		n = len(rows)
	}
	cut := n
	for cut < len(order) && bySize(order[n-1], order[cut]) == 0 {
		cut++
	}
	top := make([]Row, cut)
	for i, j := range order[:cut] {
		top[i] = rows[j]
		if !shown[j] {
			top[i].Name = showName(top[i].Name, k, names)
		}
	}
	SortRows(top)
	if len(rows) == n {
		return top
	}
	out := top[:n:n]
	var others Row
	for _, r := range top[n:] {
		others.Flash += r.Flash
		others.RAM += r.RAM
		others.Pieces += r.Pieces
	}
	for _, j := range order[cut:] {
		others.Flash += rows[j].Flash
		others.RAM += rows[j].RAM
		others.Pieces += rows[j].Pieces
	}
	others.Name = othersName(len(rows) - n)
	return append(out, others)
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

// groupShown is Group on the shown names.
func groupShown(pieces []Piece, k Key, names Names) []Row {
	index := make(map[string]int)
	var rows []Row
	for i := range pieces {
		p := &pieces[i]
		raw := p.Get(k)
		j, ok := index[raw]
		if !ok {
			j = len(rows)
			index[raw] = j
			rows = append(rows, Row{Name: raw})
		}
		rows[j].Flash += p.Flash
		rows[j].RAM += p.RAM
		rows[j].Pieces++
	}
	byShown := make(map[string]int, len(rows))
	merged := rows[:0]
	for _, r := range rows {
		r.Name = showName(r.Name, k, names)
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
