package main

import (
	"cmp"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

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
