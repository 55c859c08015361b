package linkmap

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/elfsize"
	"github.com/footprint-dev/footprint/report"
)

// TestAnnotateMatchesMap checks, for every target, that after Annotate the
// pieces of each (section, object) pair add up to exactly the bytes the map
// gives that object in that output section, and that totals are unchanged.
func TestAnnotateMatchesMap(t *testing.T) {
	for _, tg := range targets {
		t.Run(tg.dir, func(t *testing.T) {
			rep, err := elfsize.Open(filepath.Join(fw, tg.dir, "firmware.elf"), elfsize.Options{})
			require.NoError(t, err)
			m := parseFile(t, filepath.Join(fw, tg.dir, "firmware.map"), Options{})
			before := rep.Totals
			Annotate(rep, m)
			assert.Equal(t, before, report.SumPieces(rep.Pieces))

			type key struct{ section, object, archive string }
			got := map[key]uint64{}
			for _, p := range rep.Pieces {
				require.NotEmpty(t, p.Object, "%s %#x", p.Section, p.Addr)
				got[key{p.Section, p.Object, p.Archive}] += p.Size
			}
			want := map[key]uint64{}
			for i := range m.OutputSections {
				o := &m.OutputSections[i]
				if !hasPieces(rep, o.Name) {
					continue
				}
				for _, c := range o.Contributions() {
					k := key{section: o.Name}
					switch {
					case c.Fill:
						k.object = fillName(o.Name, c.Section)
					case c.Member != "":
						k.object, k.archive = c.Member, filepath.Base(c.Archive)
					default:
						k.object = filepath.Base(c.Object)
					}
					want[k] += c.Size
				}
			}
			assert.Equal(t, want, got)
		})
	}
}

func hasPieces(rep *report.Report, section string) bool {
	for _, p := range rep.Pieces {
		if p.Section == section {
			return true
		}
	}
	return false
}

func TestAnnotateM4FArchives(t *testing.T) {
	rep, err := elfsize.Open(filepath.Join(fw, "cortex-m4f/firmware.elf"), elfsize.Options{})
	require.NoError(t, err)
	m := parseFile(t, filepath.Join(fw, "cortex-m4f/firmware.map"), Options{})
	Annotate(rep, m)
	AssignRegions(rep, m.Regions)
	rows := map[string]report.Row{}
	for _, r := range report.Group(rep.Pieces, report.KeyArchive) {
		rows[r.Name] = r
	}
	for _, a := range []string{"libm.a", "libgcc.a", "libg_nano.a", "libstdc++_nano.a", "[no archive]"} {
		assert.Contains(t, rows, a)
	}
	regions := map[string]report.Row{}
	for _, r := range report.Group(rep.Pieces, report.KeyRegion) {
		regions[r.Name] = r
	}
	// .ccmram (0x40 bytes) is the only thing in CCMRAM; it costs both flash
	// (its initialiser) and RAM.
	assert.Equal(t, report.Row{Name: "CCMRAM", Flash: 0x40, RAM: 0x40, Pieces: regions["CCMRAM"].Pieces}, regions["CCMRAM"])
	assert.Equal(t, rep.Totals.Flash, regions["FLASH"].Flash+regions["RAM"].Flash+regions["CCMRAM"].Flash)
}
