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
	Added     Status = "added"
	Removed   Status = "removed"
	Grown     Status = "grown"
	Shrunk    Status = "shrunk"
	Unchanged Status = "unchanged"
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
	// Unchanged counts the groups present in both builds with equal bytes.
	Unchanged int `json:"unchanged"`
}

// Compare groups both reports' pieces by key k, matches the groups across
// the builds and returns the rows that changed.
func Compare(old, new *report.Report, k report.Key) *Diff {
	d := &Diff{By: k, Old: old.Totals, New: new.Totals}
	d.FlashDelta = int64(new.Totals.Flash) - int64(old.Totals.Flash)
	d.RAMDelta = int64(new.Totals.RAM) - int64(old.Totals.RAM)

	oldGroups, newGroups := group(old.Pieces, k), group(new.Pieces, k)
	if k == report.KeyFile || k == report.KeyObject {
		renamePaths(oldGroups, newGroups)
	}
	names := nameGroups(oldGroups, newGroups, k)

	for key, o := range oldGroups {
		n, ok := newGroups[key]
		c := Change{Name: names[key], Old: o.Totals}
		if ok {
			c.New = n.Totals
		}
		d.add(c, ok && n.pieces > 0, o.pieces > 0)
	}
	for key, n := range newGroups {
		if _, ok := oldGroups[key]; !ok {
			d.add(Change{Name: names[key], New: n.Totals}, true, false)
		}
	}
	slices.SortFunc(d.Changes, func(a, b Change) int {
		if c := cmp.Compare(b.magnitude(), a.magnitude()); c != 0 {
			return c
		}
		return cmp.Compare(a.Name, b.Name)
	})
	return d
}

// add classifies c and keeps it if it changed.
func (d *Diff) add(c Change, inNew, inOld bool) {
	c.FlashDelta = int64(c.New.Flash) - int64(c.Old.Flash)
	c.RAMDelta = int64(c.New.RAM) - int64(c.Old.RAM)
	switch {
	case !inOld:
		c.Status = Added
	case !inNew:
		c.Status = Removed
	case c.FlashDelta == 0 && c.RAMDelta == 0:
		d.Unchanged++
		return
	case c.FlashDelta+c.RAMDelta > 0 || c.FlashDelta+c.RAMDelta == 0 && c.FlashDelta > 0:
		c.Status = Grown
	default:
		c.Status = Shrunk
	}
	if c.Status != Grown && c.Status != Shrunk && c.magnitude() == 0 {
		// Zero-byte groups appearing or vanishing (empty sections,
		// zero-size markers) are not changes worth a row.
		d.Unchanged++
		return
	}
	d.Changes = append(d.Changes, c)
}

// groupTotals are one group's bytes and piece count.
type groupTotals struct {
	report.Totals
	pieces int
	// display is the group's name as shown, before disambiguation.
	display string
}

// group sums pieces by their match key for k.
func group(pieces []report.Piece, k report.Key) map[string]*groupTotals {
	groups := map[string]*groupTotals{}
	for i := range pieces {
		p := &pieces[i]
		key, display := matchKey(p, k)
		g := groups[key]
		if g == nil {
			g = &groupTotals{display: display}
			groups[key] = g
		}
		g.Flash += p.Flash
		g.RAM += p.RAM
		g.pieces++
	}
	return groups
}

// unitSep separates a symbol's normalised name from its unit in a match
// key; it cannot occur in either.
const unitSep = "\x00"

// matchKey returns the key a piece is matched by across builds when
// grouping by k, and the name to show for it.
func matchKey(p *report.Piece, k report.Key) (key, display string) {
	v := p.Get(k)
	if v == "" {
		v = report.NoValue(k)
	}
	if k != report.KeySymbol {
		return v, v
	}
	name := NormalizeSymbol(v)
	return name + unitSep + unitName(p.Object, p.File), name
}

// renamePaths re-keys old groups whose path exists only in the old build
// under the new build's path when the two are the same file built in
// another directory.
func renamePaths(oldGroups, newGroups map[string]*groupTotals) {
	var oldOnly, newOnly []string
	for k := range oldGroups {
		if _, ok := newGroups[k]; !ok {
			oldOnly = append(oldOnly, k)
		}
	}
	for k := range newGroups {
		if _, ok := oldGroups[k]; !ok {
			newOnly = append(newOnly, k)
		}
	}
	slices.Sort(oldOnly)
	slices.Sort(newOnly)
	for o, n := range pairPaths(oldOnly, newOnly) {
		g := oldGroups[o]
		g.display = newGroups[n].display
		delete(oldGroups, o)
		oldGroups[n] = g
	}
}

// nameGroups returns the name to show for each match key: the symbol
// name, followed by its unit in parentheses when the same name belongs to
// several units (two static functions called "init").
func nameGroups(oldGroups, newGroups map[string]*groupTotals, k report.Key) map[string]string {
	names := map[string]string{}
	units := map[string]int{}
	for _, gs := range []map[string]*groupTotals{oldGroups, newGroups} {
		for key, g := range gs {
			if _, ok := names[key]; !ok {
				names[key] = g.display
				units[g.display]++
			}
		}
	}
	if k != report.KeySymbol {
		return names
	}
	for key, name := range names {
		if units[name] > 1 {
			unit := key[len(name)+len(unitSep):]
			if unit == "" {
				unit = report.NoValue(report.KeyFile)
			}
			names[key] = name + " (" + unit + ")"
		}
	}
	return names
}
