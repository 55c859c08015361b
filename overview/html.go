package overview

import (
	_ "embed"
	"fmt"
	"html/template"
	"io"
	"strconv"
)

//go:embed page.html.tmpl
var pageSource string

// page is what the HTML template draws.
type page struct {
	Doc     *Document
	Summary []summaryLine
	Regions []regionBar
	Treemap treemapView
	Tables  []table
	// Sizes and Charts are the arena's pictures; nil and empty without a model.
	Sizes  *barChart
	Charts []arenaChart
	// NoArenaBuffer is set when a model was given but the firmware has no
	// arena buffer to check.
	NoArenaBuffer bool
	// RAM is the RAM need drawn as one bar; nil without a stack analysis.
	RAM *ramBar
}

// regionBar is a memory region's usage bar.
type regionBar struct {
	Name, Used, Size, Percent string
	// Width is the bar's width and Fill that of its used part; Full marks
	// a region at 90 % or more.
	Fill, Width float64
	Full        bool
	// StackX and StackW place the worst-case stack at the region's top
	// end (StackW 0: not this region's); StackTitle is its tooltip.
	StackX, StackW float64
	StackTitle     string
}

// writeHTML writes d as one self-contained HTML page: inline CSS and SVG,
// no scripts, nothing fetched from elsewhere.
func (d *Document) writeHTML(w io.Writer) error {
	tmpl, err := template.New("page").Funcs(template.FuncMap{
		"px":  func(v float64) string { return strconv.FormatFloat(v, 'f', 1, 64) },
		"add": func(a, b float64) float64 { return a + b },
	}).Parse(pageSource)
	if err != nil {
		return fmt.Errorf("HTML template: %w", err)
	}
	p := page{Doc: d, Summary: d.summary(), Treemap: d.treemap(), Tables: d.tables()}
	for _, r := range d.Regions {
		bar := regionBar{Name: r.Name, Used: bytesHuman(r.Used), Size: bytesHuman(r.Length),
			Percent: strconv.FormatFloat(r.Percent, 'f', 1, 64) + " %", Width: regionBarWidth,
			Fill: min(r.Percent, 100) / 100 * regionBarWidth, Full: r.Percent >= 90}
		if n := d.RAM; n != nil && n.Region == r.Name && r.Length > 0 {
			// Cortex-M stacks grow down from the region's top end; a
			// stack of any size stays visible.
			bar.StackW = min(max(float64(max(n.Stack.Bytes, 0))/float64(r.Length)*regionBarWidth, 2), regionBarWidth)
			bar.StackX = regionBarWidth - bar.StackW
			bar.StackTitle = fmt.Sprintf("worst-case stack: %s bytes, drawn at the top of %s", n.Stack, r.Name)
		}
		p.Regions = append(p.Regions, bar)
	}
	if d.RAM != nil {
		bar := newRAMBar(d.RAM)
		p.RAM = &bar
	}
	if a := d.Arena; a != nil {
		sizes := newBarChart(a.measures())
		p.Sizes = &sizes
		p.NoArenaBuffer = a.Firmware == nil
		plan := make([]span, len(a.Plan.Tensors))
		for i, t := range a.Plan.Tensors {
			plan[i] = span{Name: t.Name, Label: fmt.Sprintf("#%d %s", t.Index, t.Name), Offset: t.Offset, Size: t.Bytes, Used: t.TensorBytes, First: t.First, Last: t.Last}
		}
		p.Charts = append(p.Charts, newArenaChart(fmt.Sprintf("Plan by %s: %d bytes for %d tensors", a.Plan.Planner, a.Plan.ArenaBytes, len(plan)),
			plan, a.Plan.LowerBound, "lower bound"))
		head := make([]span, len(a.TFLM.HeadBuffers))
		for i, b := range a.TFLM.HeadBuffers {
			label := fmt.Sprintf("#%d %s", b.Tensor, b.Name)
			if b.Tensor < 0 {
				label = b.Name
			}
			head[i] = span{Name: b.Name, Label: label, Offset: b.Offset, Size: b.Size, Used: b.Bytes, First: b.First, Last: b.Last}
		}
		p.Charts = append(p.Charts, newArenaChart(fmt.Sprintf("TFLM's greedy head: %d bytes for %d buffers (tensors and kernel scratch)", a.TFLM.Head, len(head)),
			head, a.Plan.LowerBound, "lower bound of the tensors alone"))
	}
	if err := tmpl.Execute(w, p); err != nil {
		return fmt.Errorf("writing HTML: %w", err)
	}
	return nil
}
