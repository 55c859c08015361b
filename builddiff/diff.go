// Package builddiff compares the attributions of two builds of the same
// firmware: what grew, what shrank, what was added or removed, grouped by
// any key of the report (component, region, section, file, object, symbol).
//
// Both builds are report.Reports, the model footprint size produces, so
// the diff needs no ELF reading of its own. Matching is made stable across
// rebuilds: compiler clones (".constprop.N", ".isra.N", ".part.N",
// ".lto_priv.N", ".cold") fold into their function, static symbols of the
// same name are told apart by their object or source file, anonymous
// literals are grouped per section and object, and source or object paths
// that differ only by build directory are paired. Rebuilding unchanged
// sources therefore diffs to zero.
package builddiff

import (
	"cmp"
	"slices"

	"github.com/footprint-dev/footprint/report"
)

// Status says how one row changed between the builds.
type Status string

// The statuses of a row.
const (
	Added   Status = "added"
	Removed Status = "removed"
	Grown   Status = "grown"
	Shrunk  Status = "shrunk"
)

// Change is one row of a diff: the old and new bytes of one group.
type Change struct {
	Name   string `json:"name"`
	Status Status `json:"status"`
	// Old and New are the group's bytes in each build.
	Old report.Totals `json:"old"`
	New report.Totals `json:"new"`
	// FlashDelta and RAMDelta are New-Old.
	FlashDelta int64 `json:"flash_delta"`
	RAMDelta   int64 `json:"ram_delta"`
}

// magnitude is the size of a change for ordering: |Δflash|+|ΔRAM|.
func (c *Change) magnitude() uint64 {
	return absInt(c.FlashDelta) + absInt(c.RAMDelta)
}

func absInt(v int64) uint64 {
	if v < 0 {
		return uint64(-v)
	}
	return uint64(v)
}

// Diff is the comparison of two builds grouped by one key.
type Diff struct {
	By report.Key `json:"by"`
	// Old and New are the builds' totals; FlashDelta and RAMDelta New-Old.
	Old        report.Totals `json:"old"`
	New        report.Totals `json:"new"`
	FlashDelta int64         `json:"flash_delta"`
	RAMDelta   int64         `json:"ram_delta"`
	// Changes are the rows that changed, largest absolute change first.
	Changes []Change `json:"changes"`
	// Unchanged counts the groups whose bytes are the same in both builds
	// (zero-byte groups present in only one included).
	Unchanged int `json:"unchanged"`
	// Why explains the largest added symbols, when asked (diff --why).
	Why []Pull `json:"why,omitempty"`
}

// Compare groups both reports' pieces by key k, matches the groups across
// the builds and returns the rows that changed.
func Compare(old, new *report.Report, k report.Key) *Diff {
	d := &Diff{By: k, Old: old.Totals, New: new.Totals}
	d.FlashDelta = int64(new.Totals.Flash) - int64(old.Totals.Flash)
	d.RAMDelta = int64(new.Totals.RAM) - int64(old.Totals.RAM)

	groups := make(map[groupKey]*match, len(new.Pieces)/2)
	addPieces(groups, old.Pieces, k, 0)
	addPieces(groups, new.Pieces, k, 1)
	if k == report.KeyFile || k == report.KeyObject {
		renamePaths(groups)
	}
	names := nameGroups(groups)
	for key, m := range groups {
		d.add(names(key), m)
	}
	slices.SortFunc(d.Changes, func(a, b Change) int {
		if c := cmp.Compare(b.magnitude(), a.magnitude()); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return d
}

// add classifies group m and keeps it as a row if its bytes changed.
func (d *Diff) add(name string, m *match) {
	c := Change{Name: name, Old: m.side[0].Totals, New: m.side[1].Totals}
	c.FlashDelta = int64(c.New.Flash) - int64(c.Old.Flash)
	c.RAMDelta = int64(c.New.RAM) - int64(c.Old.RAM)
	switch sum := c.FlashDelta + c.RAMDelta; {
	case c.FlashDelta == 0 && c.RAMDelta == 0:
		// Also zero-byte groups appearing or vanishing (empty sections,
		// zero-size markers): not changes worth a row.
		d.Unchanged++
		return
	case m.side[0].pieces == 0:
		c.Status = Added
	case m.side[1].pieces == 0:
		c.Status = Removed
	case sum > 0 || sum == 0 && c.FlashDelta > 0:
		c.Status = Grown
	default:
		c.Status = Shrunk
	}
	d.Changes = append(d.Changes, c)
}

// groupTotals are one group's bytes and piece count in one build.
type groupTotals struct {
	report.Totals
	pieces int
}

// match is one group in both builds: side[0] old, side[1] new.
type match struct {
	side [2]groupTotals
}

// groupKey is what groups are matched by across builds: the normalised
// name and, for symbols, the unit (object or source file base name) that
// tells apart static symbols of the same name.
type groupKey struct {
	name, unit string
}

// addPieces sums pieces into their groups' side (0 old, 1 new).
func addPieces(groups map[groupKey]*match, pieces []report.Piece, k report.Key, side int) {
	for i := range pieces {
		p := &pieces[i]
		key := matchKey(p, k)
		m := groups[key]
		if m == nil {
			m = &match{}
			groups[key] = m
		}
		g := &m.side[side]
		g.Flash += p.Flash
		g.RAM += p.RAM
		g.pieces++
	}
}

// matchKey returns the key a piece is matched by across builds when
// grouping by k.
func matchKey(p *report.Piece, k report.Key) groupKey {
	v := p.Get(k)
	if v == "" {
		return groupKey{name: report.NoValue(k)}
	}
	if k != report.KeySymbol {
		return groupKey{name: v}
	}
	return groupKey{name: NormalizeSymbol(v), unit: unitName(p.Object, p.File)}
}

// renamePaths merges a group whose path exists only in the old build into
// the group whose path exists only in the new build when the two are the
// same file built in another directory.
func renamePaths(groups map[groupKey]*match) {
	var oldOnly, newOnly []string
	for k, m := range groups {
		switch {
		case m.side[1].pieces == 0:
			oldOnly = append(oldOnly, k.name)
		case m.side[0].pieces == 0:
			newOnly = append(newOnly, k.name)
		}
	}
	slices.Sort(oldOnly)
	slices.Sort(newOnly)
	for o, n := range pairPaths(oldOnly, newOnly) {
		groups[groupKey{name: n}].side[0] = groups[groupKey{name: o}].side[0]
		delete(groups, groupKey{name: o})
	}
}

// nameGroups returns a function naming each group: the name, followed by
// its unit in parentheses when the same name belongs to several units (two
// static functions called "init").
func nameGroups(groups map[groupKey]*match) func(groupKey) string {
	units := make(map[string]int)
	for key := range groups {
		units[key.name]++
	}
	return func(key groupKey) string {
		if units[key.name] <= 1 {
			return key.name
		}
		unit := key.unit
		if unit == "" {
			unit = report.NoValue(report.KeyFile)
		}
		return key.name + " (" + unit + ")"
	}
}
