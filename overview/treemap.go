package overview

import (
	"cmp"
	"slices"
)

// Rect is an axis-aligned rectangle: X and Y its top-left corner, W and H
// its width and height, in any unit (the HTML page uses SVG pixels).
type Rect struct {
	X, Y, W, H float64
}

// Area is W*H.
func (r Rect) Area() float64 { return r.W * r.H }

// Squarify lays values out as a treemap in bounds, with the squarified
// algorithm of Bruls, Huizing and van Wijk ("Squarified Treemaps", 2000):
// values are placed largest first in rows along the shorter side of the
// space left, and a row grows while adding the next value does not make
// its worst aspect ratio worse. Each value gets a rectangle whose area is
// its share of the total times bounds' area; the rectangles tile bounds
// without overlapping. The result is in the order of values; values that
// are zero, negative or NaN get an empty rectangle at bounds' corner.
func Squarify(values []float64, bounds Rect) []Rect {
	out := make([]Rect, len(values))
	for i := range out {
		out[i] = Rect{X: bounds.X, Y: bounds.Y}
	}
	var total float64
	order := make([]int, 0, len(values))
	for i, v := range values {
		if v > 0 {
			total += v
			order = append(order, i)
		}
	}
	if total == 0 || bounds.W <= 0 || bounds.H <= 0 {
		return out
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(values[b], values[a]) })
	scale := bounds.Area() / total
	areas := make([]float64, len(order))
	for k, i := range order {
		areas[k] = values[i] * scale
	}
	free := bounds
	for start := 0; start < len(areas); {
		side := min(free.W, free.H)
		end, sum := start+1, areas[start]
		for end < len(areas) && worstRatio(areas[start:end+1], sum+areas[end], side) <= worstRatio(areas[start:end], sum, side) {
			sum += areas[end]
			end++
		}
		if end == len(areas) {
			// The last row takes whatever is left, so rounding never
			// leaves a sliver uncovered or pushes a rectangle outside.
			sum = free.Area()
		}
		free = layoutRow(out, order[start:end], areas[start:end], sum, free)
		start = end
	}
	return out
}

// worstRatio is the largest aspect ratio (at least 1) among the rectangles
// of a row of the given areas, summing to sum, laid along a side of length
// side.
func worstRatio(row []float64, sum, side float64) float64 {
	lo, hi := row[0], row[0]
	for _, a := range row[1:] {
		lo, hi = min(lo, a), max(hi, a)
	}
	s2, w2 := sum*sum, side*side
	return max(w2*hi/s2, s2/(w2*lo))
}

// layoutRow places one row of areas (summing to sum) along the shorter side
// of free, writes the rectangles to out at the indices in order, and
// returns the space left.
func layoutRow(out []Rect, order []int, areas []float64, sum float64, free Rect) Rect {
	if free.W <= 0 || free.H <= 0 {
		// Rounding used the space up: the rest stays empty.
		for _, i := range order {
			out[i] = Rect{X: free.X, Y: free.Y}
		}
		return free
	}
	if free.W >= free.H {
		// A column at the left edge, its rectangles stacked top to bottom.
		width := min(sum/free.H, free.W)
		y := free.Y
		for k, i := range order {
			h := areas[k] / width
			if k == len(order)-1 {
				h = free.Y + free.H - y
			}
			out[i] = Rect{X: free.X, Y: y, W: width, H: h}
			y += h
		}
		return Rect{X: free.X + width, Y: free.Y, W: free.W - width, H: free.H}
	}
	// A row at the top edge, its rectangles left to right.
	height := min(sum/free.W, free.H)
	x := free.X
	for k, i := range order {
		w := areas[k] / height
		if k == len(order)-1 {
			w = free.X + free.W - x
		}
		out[i] = Rect{X: x, Y: free.Y, W: w, H: height}
		x += w
	}
	return Rect{X: free.X, Y: free.Y + height, W: free.W, H: free.H - height}
}
