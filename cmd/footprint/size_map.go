package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/linkmap"
	"github.com/footprint-dev/footprint/report"
)

// mapOptions are the size flags that bring in a linker map and memory
// regions.
type mapOptions struct {
	mapFile  string
	regions  []string
	ldScript string
	lenient  bool
}

func addMapFlags(cmd *cobra.Command, o *mapOptions) {
	f := cmd.Flags()
	f.StringVar(&o.mapFile, "map", "", "linker map (GNU ld or lld) to attribute bytes to objects, archives and memory regions")
	f.StringArrayVar(&o.regions, "region", nil, "memory region NAME=ORIGIN:LENGTH, e.g. RAM=0x20000000:128K (repeatable; replaces a same-named region)")
	f.StringVar(&o.ldScript, "ld-script", "", "linker script whose MEMORY { } gives the memory regions (for lld maps, which have none)")
	f.BoolVar(&o.lenient, "lenient", false, "skip map lines that cannot be parsed (and say how many) instead of failing")
}

// applyMap reads the map, linker script and regions that o names, fills in
// the Object, Archive and Region of rep's pieces and rep.Regions, and adds
// a warning for every section whose size the map and the ELF disagree on.
func applyMap(rep *report.Report, o mapOptions) error {
	var m *linkmap.Map
	if o.mapFile != "" {
		f, err := os.Open(o.mapFile)
		if err != nil {
			return fmt.Errorf("--map: %w", err)
		}
		defer f.Close()
		if m, err = linkmap.Parse(f, o.mapFile, linkmap.Options{Lenient: o.lenient}); err != nil {
			return fmt.Errorf("--map: %w", err)
		}
		if m.SkippedLines > 0 {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("--lenient: skipped %d unreadable lines of %s", m.SkippedLines, o.mapFile))
		}
		for _, mm := range linkmap.CrossCheck(m, linkmap.ReportSections(rep)) {
			rep.Warnings = append(rep.Warnings, "map and ELF disagree: "+mm.String())
		}
		linkmap.Annotate(rep, m)
		for _, d := range m.DiscardedByObject() {
			rep.Discarded = append(rep.Discarded, report.Discarded{Object: d.Object, Sections: d.Sections, Bytes: d.Size})
		}
	}
	regions, err := memoryRegions(m, o)
	if err != nil {
		return err
	}
	if len(regions) == 0 {
		return nil
	}
	linkmap.AssignRegions(rep, regions)
	sections := elfOutputSections(rep)
	if m != nil {
		sections = m.OutputSections
	}
	for _, u := range linkmap.Usage(regions, sections, linkmap.KindsFromReport(rep)) {
		rep.Regions = append(rep.Regions, report.RegionUsage{Name: u.Name, Origin: u.Origin, Length: u.Length,
			Used: u.Used, Percent: u.Percent(), HighWater: u.HighWater, Sections: append([]string{}, u.Sections...)})
	}
	return nil
}

// memoryRegions returns the map's Memory Configuration, replaced by the
// linker script's MEMORY when --ld-script is given, with --region entries
// replacing same-named regions or added after them.
func memoryRegions(m *linkmap.Map, o mapOptions) ([]linkmap.Region, error) {
	var regions []linkmap.Region
	if m != nil {
		regions = m.Regions
	}
	if o.ldScript != "" {
		f, err := os.Open(o.ldScript)
		if err != nil {
			return nil, fmt.Errorf("--ld-script: %w", err)
		}
		defer f.Close()
		if regions, err = linkmap.LoadMemoryFromLinkerScript(f); err != nil {
			return nil, fmt.Errorf("--ld-script %s: %w", o.ldScript, err)
		}
	}
	for _, s := range o.regions {
		r, err := linkmap.ParseRegion(s)
		if err != nil {
			return nil, fmt.Errorf("--region: %w", err)
		}
		replaced := false
		for i := range regions {
			if regions[i].Name == r.Name {
				regions[i], replaced = r, true
			}
		}
		if !replaced {
			regions = append(regions, r)
		}
	}
	return regions, nil
}

// elfOutputSections gives the ELF's allocated sections the shape of map
// output sections, for region usage without a map.
func elfOutputSections(rep *report.Report) []linkmap.OutputSection {
	var out []linkmap.OutputSection
	for _, s := range rep.Sections {
		if s.Alloc {
			out = append(out, linkmap.OutputSection{Name: s.Name, VMA: s.Addr, LMA: s.LMA, Size: s.Size})
		}
	}
	return out
}

// renderRegions writes the region usage table: name, bytes used, length,
// percentage, and the high-water mark GNU ld's --print-memory-usage shows.
func renderRegions(w io.Writer, regions []report.RegionUsage) error {
	if len(regions) == 0 {
		return nil
	}
	cells := [][5]string{{"REGION", "USED", "SIZE", "USE", "HIGH WATER"}}
	for _, r := range regions {
		cells = append(cells, [5]string{r.Name, strconv.FormatUint(r.Used, 10) + " (" + report.Human(r.Used) + ")",
			report.Human(r.Length), strconv.FormatFloat(r.Percent, 'f', 1, 64) + " %", strconv.FormatUint(r.HighWater, 10)})
	}
	var width [5]int
	for _, c := range cells {
		for i, s := range c {
			width[i] = max(width[i], len(s))
		}
	}
	var b strings.Builder
	for _, c := range cells {
		fmt.Fprintf(&b, "%-*s  %*s  %*s  %*s  %*s\n", width[0], c[0], width[1], c[1], width[2], c[2], width[3], c[3], width[4], c[4])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// renderDiscarded writes one line summing what --gc-sections removed, with
// the objects that lost the most; the JSON output lists every object.
func renderDiscarded(w io.Writer, discarded []report.Discarded) error {
	if len(discarded) == 0 {
		return nil
	}
	var bytes uint64
	var sections int
	for _, d := range discarded {
		bytes += d.Bytes
		sections += d.Sections
	}
	largest := slices.Clone(discarded)
	slices.SortStableFunc(largest, func(a, b report.Discarded) int { return cmp.Compare(b.Bytes, a.Bytes) })
	var names []string
	for _, d := range largest[:min(3, len(largest))] {
		names = append(names, fmt.Sprintf("%s %d B", shortObject(d.Object), d.Bytes))
	}
	_, err := fmt.Fprintf(w, "discarded by the linker: %d bytes in %d sections of %d objects (largest: %s)\n",
		bytes, sections, len(discarded), strings.Join(names, ", "))
	return err
}

// shortObject drops the directories of an object or archive path for
// display: "/usr/lib/.../libgcc.a(_udivsi3.o)" becomes "libgcc.a(_udivsi3.o)".
func shortObject(path string) string {
	archive, member, ok := strings.Cut(path, "(")
	if !ok {
		return filepath.Base(path)
	}
	return filepath.Base(archive) + "(" + member
}
