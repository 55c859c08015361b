package overview

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/report"
)

// Sizes of the HTML page's pictures, in SVG pixels.
const (
	treemapWidth, treemapHeight = 960.0, 480.0
	chartWidth, chartHeight     = 960.0, 320.0
	// chartLeft and chartBottom leave room for the axes' labels.
	chartLeft, chartBottom, chartTop, chartRight = 80.0, 36.0, 12.0, 12.0
	// labelCharWidth is the width of one character of an 11px label,
	// roughly, to decide what fits in a tile; labelLineHeight is the height
	// of its line.
	labelCharWidth, labelLineHeight = 6.4, 12.0
	// regionBarWidth is the width of a region's usage bar.
	regionBarWidth = 240.0
)

// hue is the colour of the i-th tile of a picture: successive tiles are
// about the golden angle apart on the colour wheel, so neighbours differ.
func hue(i int) int { return (210 + 137*i) % 360 }

// tile is one rectangle of a picture with its tooltip and, when it fits,
// a label.
type tile struct {
	Rect
	Fill  string
	Title string
	// Label is the text drawn in the tile ("" when it would not fit), at
	// LabelX, LabelY.
	Label          string
	LabelX, LabelY float64
}

// tileGroup is a component's tile with its symbols' tiles inside.
type tileGroup struct {
	tile
	Children []tile
}

// treemapView is the flash treemap: components, each holding its symbols.
type treemapView struct {
	W, H   float64
	Groups []tileGroup
}

// treemap lays out flash: one tile per component, with tiles for its
// symbols inside, components below FoldShare of the total folded into one.
func (d *Document) treemap() treemapView {
	v := treemapView{W: treemapWidth, H: treemapHeight}
	total := d.Totals.Flash
	threshold := foldThreshold(total)
	var kept []Component
	var others Component
	folded := 0
	for _, c := range d.Components { // largest flash first
		switch {
		case c.Flash == 0:
		case c.Flash >= threshold:
			kept = append(kept, c)
		default:
			others.Flash += c.Flash
			folded++
		}
	}
	if folded > 0 {
		others.Name = othersName(folded) + " components"
		kept = append(kept, others)
	}
	values := make([]float64, len(kept))
	for i, c := range kept {
		values[i] = float64(c.Flash)
	}
	for i, r := range Squarify(values, Rect{W: treemapWidth, H: treemapHeight}) {
		c := kept[i]
		h := hue(i)
		g := tileGroup{tile: tile{Rect: r, Fill: fmt.Sprintf("hsl(%d,45%%,62%%)", h),
			Title: fmt.Sprintf("%s\n%s of flash (%s)", c.Name, bytesHuman(c.Flash), percent(c.Flash, total))}}
		if folded > 0 && i == len(kept)-1 {
			g.Fill = "#bbbbbb" // the folded components, greyed
		}
		g.Label, g.LabelX, g.LabelY = fitLabel(c.Name, r, 3)
		inner := Rect{X: r.X + 2, Y: r.Y + 16, W: r.W - 4, H: r.H - 18}
		if inner.W < 8 || inner.H < 8 || len(c.Symbols) == 0 {
			v.Groups = append(v.Groups, g)
			continue
		}
		sv := make([]float64, len(c.Symbols))
		for k, s := range c.Symbols {
			sv[k] = float64(s.Flash)
		}
		for k, sr := range Squarify(sv, inner) {
			s := c.Symbols[k]
			t := tile{Rect: sr, Fill: fmt.Sprintf("hsl(%d,50%%,%d%%)", h, 78+4*(k%2)),
				Title: fmt.Sprintf("%s\n%s: %s of flash (%s)", s.Name, c.Name, bytesHuman(s.Flash), percent(s.Flash, total))}
			if k == len(c.Symbols)-1 && strings.HasPrefix(s.Name, "[others: ") {
				t.Fill = fmt.Sprintf("hsl(%d,15%%,86%%)", h) // the folded tail, greyed
			}
			t.Label, t.LabelX, t.LabelY = fitLabel(s.Name, sr, 5)
			g.Children = append(g.Children, t)
		}
		v.Groups = append(v.Groups, g)
	}
	return v
}

// fitLabel returns name cut to fit in r (with "…" when cut) and where to
// draw it, or "" when not even one line of minChars (at least 1)
// characters fits.
func fitLabel(name string, r Rect, minChars int) (string, float64, float64) {
	fits := int((r.W - 6) / labelCharWidth)
	if fits < max(minChars, 1) || r.H < labelLineHeight+2 {
		return "", 0, 0
	}
	runes := []rune(name)
	if len(runes) > fits {
		name = string(runes[:fits-1]) + "…"
	}
	return name, r.X + 3, r.Y + labelLineHeight
}

// tick is one labelled position on an axis.
type tick struct {
	Pos   float64
	Label string
}

// arenaChart draws buffers in the arena: x is the step, y the offset (0 at
// the bottom), one rectangle per buffer over its lifetime.
type arenaChart struct {
	Title                      string
	W, H                       float64
	PlotX, PlotY, PlotW, PlotH float64
	Buffers                    []tile
	XTicks, YTicks             []tick
	// BoundY is the height of the lower bound line; BoundLabel its label,
	// drawn at BoundLabelY.
	BoundY, BoundLabelY float64
	BoundLabel          string
	// Note says what is not drawn (buffers never alive), "" when nothing.
	Note string
}

// span is one buffer to draw in an arena chart.
type span struct {
	// Name is the buffer's name, Label the short form drawn in it.
	Name, Label        string
	Offset, Size, Used int64
	First, Last        int
}

// newArenaChart lays out spans: steps from the first to the last any
// span is alive, offsets from 0 to the highest end or the bound, which is
// drawn as a line labelled boundLabel.
func newArenaChart(title string, spans []span, bound int64, boundLabel string) arenaChart {
	c := arenaChart{Title: title, W: chartWidth, H: chartHeight,
		PlotX: chartLeft, PlotY: chartTop, PlotW: chartWidth - chartLeft - chartRight, PlotH: chartHeight - chartTop - chartBottom}
	lo, hi, top := math.MaxInt, -1, bound
	never := 0
	for _, s := range spans {
		if s.First < 0 || s.Last < s.First {
			never++
			continue
		}
		lo, hi = min(lo, s.First), max(hi, s.Last)
		top = max(top, s.Offset+s.Size)
	}
	if never > 0 {
		c.Note = fmt.Sprintf("%d buffers that are never alive are not drawn", never)
	}
	if hi < 0 || top <= 0 {
		c.Note = "nothing to draw: no buffer is alive at any step"
		return c
	}
	steps := float64(hi - lo + 1)
	xOf := func(step int) float64 { return c.PlotX + float64(step-lo)/steps*c.PlotW }
	yOf := func(offset int64) float64 { return c.PlotY + c.PlotH - float64(offset)/float64(top)*c.PlotH }
	i := 0
	for _, s := range spans {
		if s.First < 0 || s.Last < s.First {
			continue
		}
		x0, x1 := xOf(s.First), xOf(s.Last+1)
		y0, y1 := yOf(s.Offset+s.Size), yOf(s.Offset)
		r := Rect{X: x0, Y: y0, W: x1 - x0, H: max(y1-y0, 1)} // a sliver stays visible
		steps := fmt.Sprintf("steps %d-%d", s.First, s.Last)
		if s.First == s.Last {
			steps = "step " + strconv.Itoa(s.First)
		}
		t := tile{Rect: r, Fill: fmt.Sprintf("hsl(%d,55%%,65%%)", hue(i)),
			Title: fmt.Sprintf("%s\n%d bytes (%d used) at offset %d-%d, %s", s.Name, s.Size, s.Used, s.Offset, s.Offset+s.Size, steps)}
		t.Label, t.LabelX, t.LabelY = fitLabel(s.Label, r, 3)
		c.Buffers = append(c.Buffers, t)
		i++
	}
	for _, v := range niceTicks(float64(lo), float64(hi), 12) {
		step := int(v)
		c.XTicks = append(c.XTicks, tick{Pos: (xOf(step) + xOf(step+1)) / 2, Label: strconv.Itoa(step)})
	}
	for _, v := range niceTicks(0, float64(top), 5) {
		c.YTicks = append(c.YTicks, tick{Pos: yOf(int64(v)), Label: strconv.FormatInt(int64(v), 10)})
	}
	c.BoundY = yOf(bound)
	c.BoundLabelY = c.BoundY - 4
	if c.BoundLabelY < c.PlotY+12 {
		c.BoundLabelY = c.BoundY + 13 // below the line when it is at the top
	}
	c.BoundLabel = fmt.Sprintf("%s %d", boundLabel, bound)
	return c
}

// niceTicks returns round values (1, 2 or 5 times a power of ten, whole
// numbers) from lo to hi, at most about n of them.
func niceTicks(lo, hi float64, n int) []float64 {
	if hi <= lo {
		return []float64{lo}
	}
	raw := (hi - lo) / float64(n)
	step := math.Pow(10, math.Floor(math.Log10(raw)))
	for _, m := range []float64{1, 2, 5, 10} {
		if m*step >= raw {
			step = m * step
			break
		}
	}
	step = max(step, 1)
	var out []float64
	for v := math.Ceil(lo/step) * step; v <= hi+1e-9; v += step {
		out = append(out, v)
	}
	return out
}

// bar is one bar of a horizontal bar chart.
type bar struct {
	Y, W         float64
	Label, Value string
	Fill         string
	Title        string
}

// barChart compares sizes: the arena measures.
type barChart struct {
	W, H, LabelW float64
	Bars         []bar
}

// newBarChart draws one bar per measure, scaled to the largest.
func newBarChart(ms []measure) barChart {
	const rowH, labelW, valueW = 22.0, 200.0, 90.0
	c := barChart{W: chartWidth, H: rowH*float64(len(ms)) + 4, LabelW: labelW}
	var top int64 = 1
	for _, m := range ms {
		top = max(top, m.Bytes)
	}
	fills := map[string]string{"bound": "#888888", "plan": "hsl(210,55%,60%)", "tflm": "hsl(30,70%,60%)",
		"firmware/fits": "hsl(120,40%,55%)", "firmware/oversized": "hsl(45,80%,55%)", "firmware/too-small": "hsl(0,65%,55%)"}
	for i, m := range ms {
		c.Bars = append(c.Bars, bar{Y: float64(i)*rowH + 2,
			W:     max(1, float64(m.Bytes)/float64(top)*(chartWidth-labelW-valueW)),
			Label: m.Label, Value: strconv.FormatInt(m.Bytes, 10), Fill: fills[m.Kind], Title: m.Note})
	}
	return c
}

// ramBar is the RAM need as one bar: static data, the arena beyond its
// buffer and the worst-case stack side by side, scaled to the total, with
// the region's end marked when the total passes it.
type ramBar struct {
	W, H     float64
	Segments []tile
	// LimitX is where the region ends (0: not drawn), labelled Limit.
	LimitX float64
	Limit  string
	// Caption says what the bar adds up to, against the region.
	Caption string
}

// ramBarHeight is the height of the RAM need bar.
const ramBarHeight = 28.0

// newRAMBar draws n's parts, each at least a sliver wide.
func newRAMBar(n *RAMNeed) ramBar {
	b := ramBar{W: chartWidth, H: ramBarHeight, Caption: "total " + strconv.FormatUint(n.Total, 10) + " bytes: " + n.verdict()}
	if n.LowerBound {
		b.Caption = "total at least " + strconv.FormatUint(n.Total, 10) + " bytes: " + n.verdict()
	}
	type part struct {
		name  string
		bytes uint64
		fill  string
	}
	parts := []part{{"static data", n.Static, "hsl(210,55%,60%)"}}
	if a := n.Arena; a != nil && a.Region == n.Region {
		parts = append(parts, part{"tensor arena beyond its buffer", a.Extra, "hsl(30,70%,60%)"})
	}
	parts = append(parts, part{"worst-case stack", uint64(max(n.Stack.Bytes, 0)), "hsl(280,45%,62%)"})
	scale := float64(max(n.Total, 1))
	x := 0.0
	for _, p := range parts {
		if p.bytes == 0 {
			continue
		}
		w := min(max(float64(p.bytes)/scale*chartWidth, 2), chartWidth-x)
		r := Rect{X: x, Y: 0, W: w, H: ramBarHeight}
		t := tile{Rect: r, Fill: p.fill, Title: fmt.Sprintf("%s: %d bytes (%s)", p.name, p.bytes, percent(p.bytes, n.Total))}
		t.Label, t.LabelX, t.LabelY = fitLabel(fmt.Sprintf("%s %d", p.name, p.bytes), r, 8)
		t.LabelY += 6 // centred in the bar's height
		b.Segments = append(b.Segments, t)
		x += w
	}
	if n.Region != "" && n.Total > n.RegionSize {
		b.LimitX = float64(n.RegionSize) / scale * chartWidth
		b.Limit = fmt.Sprintf("end of %s (%s)", n.Region, report.Human(n.RegionSize))
	}
	return b
}
