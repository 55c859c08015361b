package report

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// toyNames is a Names whose mangled names are "_Z" + a name, shown as the
// name without its '#' variant marks ("_Zfoo#1" and "_Zfoo#2" show as
// "foo"), unless the name starts with "bad": those do not demangle and
// show as themselves. A class is the hash of what a name shows once its
// "bad" prefix and marks are gone, so that the bad names share classes,
// or with coarse 0 for every name.
type toyNames struct{ coarse bool }

func (toyNames) Mangled(raw string) bool { return strings.HasPrefix(raw, "_Z") }

func (toyNames) Show(raw string) string {
	s, ok := strings.CutPrefix(raw, "_Z")
	if !ok || strings.HasPrefix(s, "bad") {
		return raw
	}
	return unmark(s)
}

// unmark drops every '#' and the character after it.
func unmark(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '#' {
			i++
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func (n toyNames) Class(raw string) uint64 {
	if n.coarse {
		return 0
	}
	s := strings.TrimPrefix(strings.TrimPrefix(raw, "_Z"), "bad")
	h := fnv.New64a()
	h.Write([]byte(unmark(s)))
	return h.Sum64()
}

func (n toyNames) Alike(raw string) string {
	if strings.Contains(raw, "#") {
		return "#" + unmark(raw)
	}
	return raw
}

func (toyNames) Contains(string) func(string) bool { return func(string) bool { return true } }
func (toyNames) MayBeIdent(string) bool            { return true }

// TestTopNamesMatchesGroup checks TopNames against grouping the shown
// names, for random rows of names that merge unseen, merge once shown,
// do not demangle or only share a class, and every cut.
func TestTopNamesMatchesGroup(t *testing.T) {
	bases := []string{"foo", "bar", "baz", "f", "x1", "padding"}
	rng := rand.New(rand.NewPCG(1, 2))
	for round := range 400 {
		names := toyNames{coarse: round%2 == 1}
		var pieces []Piece
		for range 1 + rng.IntN(40) {
			base := bases[rng.IntN(len(bases))]
			var raw string
			switch rng.IntN(8) {
			case 0:
				raw = base
			case 1:
				raw = "_Z" + base
			case 2:
				raw = fmt.Sprintf("_Z%s#%d", base, rng.IntN(3))
			case 3:
				raw = fmt.Sprintf("_Zbad%s#%d", base, rng.IntN(3))
			case 4:
				raw = "_Zbad" + base
			case 5:
				raw = ""
			case 6:
				raw = NoValue(KeySymbol)
			case 7:
				raw = "#_Z" + base // spelt as another name's key
			}
			size := uint64(rng.IntN(4) * 8)
			pieces = append(pieces, Piece{Symbol: raw, Flash: size, RAM: uint64(rng.IntN(2)) * size, Size: size})
		}
		shown := make([]Piece, len(pieces))
		for i, p := range pieces {
			if p.Symbol != "" {
				p.Symbol = names.Show(p.Symbol)
			}
			shown[i] = p
		}
		for n := 0; n <= len(pieces)+1; n++ {
			want := Top(Group(shown, KeySymbol), n)
			require.Equal(t, want, GroupTopNames(pieces, KeySymbol, n, names), "round %d, top %d: %v", round, n, pieces)
			// Rows that spell one name twice merge too.
			var rows []Row
			for _, p := range pieces {
				rows = append(rows, Row{Name: p.Symbol, Flash: p.Flash, RAM: p.RAM, Pieces: 1})
			}
			require.Equal(t, want, TopNames(rows, KeySymbol, n, names), "round %d, top %d, one row a piece", round, n)
		}
	}
}

// TestTopNamesShowsLittle checks that names that merge unseen are not
// shown, and that only the rows printed are.
func TestTopNamesShowsLittle(t *testing.T) {
	shows := 0
	names := countingNames{&shows}
	rows := []Row{
		{Name: "_Zbig#1", Flash: 100, Pieces: 1},
		{Name: "_Zbig#2", Flash: 50, Pieces: 1},
		{Name: "_Zsmall", Flash: 1, Pieces: 1},
		{Name: "_Ztiny", Flash: 0, Pieces: 1},
	}
	out := TopNames(rows, KeySymbol, 1, names)
	assert.Equal(t, []Row{{Name: "big", Flash: 150, Pieces: 2}, {Name: "[others: 2]", Flash: 1, Pieces: 2}}, out)
	assert.Equal(t, 1, shows, "one name printed, the pair merged unseen")
}

// countingNames is toyNames counting the names it shows.
type countingNames struct{ n *int }

func (c countingNames) Show(raw string) string {
	*c.n++
	return toyNames{}.Show(raw)
}
func (countingNames) Mangled(raw string) bool                 { return toyNames{}.Mangled(raw) }
func (countingNames) Class(raw string) uint64                 { return toyNames{}.Class(raw) }
func (countingNames) Alike(raw string) string                 { return toyNames{}.Alike(raw) }
func (countingNames) Contains(s string) func(raw string) bool { return toyNames{}.Contains(s) }
func (countingNames) MayBeIdent(raw string) bool              { return true }
