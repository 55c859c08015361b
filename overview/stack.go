package overview

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
)

// RAMNeed is the RAM a firmware needs at run time, as three parts: its
// static data, what the model's tensor arena needs beyond the buffer in
// that data, and the worst-case stack; compared with the memory region
// that holds the static data when regions are known.
//
// Counting is careful not to add anything twice. Static data is every
// RAM section as the report counts it (.data, .bss, .noinit, ...) except
// the sections that reserve the stack (ST's ._user_heap_stack, .stack,
// ...): the worst-case stack stands in for them. A tensor arena buffer is
// a static array, so it is already in the static data; the arena part is
// only what the model needs beyond that buffer, or the whole need when the
// firmware has no buffer (the arena then comes from elsewhere at run time).
type RAMNeed struct {
	// Region is the memory region compared with: the one holding the most
	// static data, where the stack is assumed to be too. "" without
	// regions; RegionSize is its length.
	Region     string `json:"region,omitempty"`
	RegionSize uint64 `json:"region_size,omitempty"`
	// Static is the static data in Region (in all of RAM without regions)
	// and StaticSections the sections it comes from, in file order.
	Static         uint64   `json:"static"`
	StaticSections []string `json:"static_sections"`
	// Elsewhere is static data outside Region, in the regions named by
	// ElsewhereRegions, not compared with Region.
	Elsewhere        uint64   `json:"elsewhere,omitempty"`
	ElsewhereRegions []string `json:"elsewhere_regions,omitempty"`
	// Replaced are the stack reservation sections left out of Static.
	Replaced []SectionBytes `json:"replaced"`
	// Arena is the tensor arena's part, nil without a model.
	Arena *ArenaNeed `json:"arena,omitempty"`
	// Stack is the worst-case stack: thread mode plus interrupts.
	Stack stack.Depth `json:"stack"`
	// Total is Static + Arena.Extra (when in Region) + Stack; LowerBound
	// is set when the stack or the arena's need is only a lower bound.
	Total      uint64 `json:"total"`
	LowerBound bool   `json:"lower_bound"`
}

// SectionBytes is a section's RAM bytes.
type SectionBytes struct {
	Name  string `json:"name"`
	Bytes uint64 `json:"bytes"`
}

// ArenaNeed is the tensor arena's part of the RAM need.
type ArenaNeed struct {
	// Need is the arena stock TFLM needs for the model (kTensorArenaSize),
	// at least that when not Exact.
	Need  uint64 `json:"need"`
	Exact bool   `json:"exact"`
	// Symbol is the firmware's arena buffer, "" when it has none; Size is
	// its size (counted in the static data of Region, the buffer's region)
	// and Usable what TFLM can use of it after aligning its start.
	Symbol string `json:"symbol,omitempty"`
	Size   uint64 `json:"size,omitempty"`
	Usable uint64 `json:"usable,omitempty"`
	Region string `json:"region,omitempty"`
	// Extra is what the RAM need adds for the arena: the need beyond the
	// buffer's usable bytes, or the whole need without a buffer.
	Extra uint64 `json:"extra"`
}

// Fits reports whether the need is known to fit its region: false
// without a region.
func (n *RAMNeed) Fits() bool { return n.Region != "" && n.Total <= n.RegionSize }

// isStackReservation reports whether section s reserves the stack (alone
// or with the heap): its name says so, or the stack analysis found the
// reservation there.
func isStackReservation(s string, st *stack.Report) bool {
	return strings.Contains(strings.ToLower(s), "stack") || st.Reserved != nil && st.Reserved.Source == "section "+s
}

// newRAMNeed adds up rep's static data, arena's need beyond its buffer
// and st's worst case, in the region holding most of the static data.
func newRAMNeed(rep *report.Report, arena *Arena, st *stack.Report) *RAMNeed {
	n := &RAMNeed{Stack: st.Total, LowerBound: st.Total.LowerBound, StaticSections: []string{}, Replaced: []SectionBytes{}}
	for _, s := range rep.Sections {
		if s.RAM > 0 && isStackReservation(s.Name, st) {
			n.Replaced = append(n.Replaced, SectionBytes{s.Name, s.RAM})
		}
	}
	// Static data by region, and each region's sections in file order.
	byRegion := map[string]uint64{}
	sections := map[string][]string{}
	for i := range rep.Pieces {
		p := &rep.Pieces[i]
		if p.RAM == 0 || isStackReservation(p.Section, st) {
			continue
		}
		byRegion[p.Region] += p.RAM
		if names := sections[p.Region]; len(names) == 0 || names[len(names)-1] != p.Section {
			sections[p.Region] = append(names, p.Section)
		}
	}
	var most uint64
	for _, r := range rep.Regions {
		if byRegion[r.Name] > most {
			n.Region, n.RegionSize, most = r.Name, r.Length, byRegion[r.Name]
		}
	}
	n.Static = byRegion[n.Region]
	n.StaticSections = append(n.StaticSections, sections[n.Region]...)
	if n.Region != "" {
		for _, r := range rep.Regions {
			if r.Name != n.Region && byRegion[r.Name] > 0 {
				n.Elsewhere += byRegion[r.Name]
				n.ElsewhereRegions = append(n.ElsewhereRegions, r.Name)
			}
		}
		if b := byRegion[""]; b > 0 {
			n.Elsewhere += b
			n.ElsewhereRegions = append(n.ElsewhereRegions, "no region")
		}
	}
	n.Total = n.Static + uint64(max(st.Total.Bytes, 0))
	if arena != nil {
		n.Arena = arenaNeed(rep, arena)
		if n.Arena.Symbol == "" {
			n.Arena.Region = n.Region // no buffer: the need counts with the static data
		}
		n.LowerBound = n.LowerBound || !n.Arena.Exact
		if n.Arena.Region == n.Region {
			n.Total += n.Arena.Extra
		} else if n.Arena.Extra > 0 {
			n.Elsewhere += n.Arena.Extra
			if !slices.Contains(n.ElsewhereRegions, n.Arena.Region) {
				n.ElsewhereRegions = append(n.ElsewhereRegions, n.Arena.Region)
			}
		}
	}
	return n
}

// arenaNeed is the arena's part: its need and, when the firmware has an
// arena buffer, the need beyond it, in the buffer's region.
func arenaNeed(rep *report.Report, a *Arena) *ArenaNeed {
	need := uint64(max(a.TFLM.MinArenaBytes, 0))
	out := &ArenaNeed{Need: need, Exact: a.TFLM.Exact, Extra: need}
	f := a.Firmware
	if f == nil {
		return out
	}
	out.Symbol, out.Size, out.Usable = f.Symbol, uint64(max(f.Size, 0)), uint64(max(f.Usable, 0))
	out.Extra = need - min(need, out.Usable)
	for i := range rep.Pieces {
		p := &rep.Pieces[i]
		if p.RAM > 0 && p.Addr <= f.Address && f.Address < p.Addr+p.Size {
			out.Region = p.Region
			break
		}
	}
	return out
}

// stackTable is the stack section of the report: thread mode, interrupts,
// the total and the reservation, with why the figure is a lower bound.
func stackTable(r *stack.Report) table {
	cpu := ""
	if r.CPU != "" {
		cpu = ", " + r.CPU
	}
	if r.ExceptionFrame > 0 {
		fpu := "no FPU"
		if r.FPU {
			fpu = "FPU"
		}
		cpu += fmt.Sprintf(", %s: exception entry stacks %d bytes", fpu, r.ExceptionFrame)
	}
	t := table{Title: "Stack: worst case from the machine code (" + r.Machine + cpu + ")",
		Header: []string{"stack", "bytes", "note"}, Right: []bool{false, true, false}}
	thread := "no thread-mode entry point"
	if rt, ok := r.ThreadRoot(); ok {
		thread = rt.Name + " (" + rt.Kind + ")"
	}
	t.Rows = append(t.Rows, []string{"thread mode", r.Thread.String(), thread})
	total := "thread mode"
	if r.ExceptionFrame > 0 {
		total = "thread mode + interrupts"
		t.Rows = append(t.Rows, []string{"interrupts", r.Interrupts.String(), interruptNote(r)})
	}
	t.Rows = append(t.Rows, []string{"total", r.Total.String(), total})
	if res := r.Reserved; res != nil {
		t.Rows = append(t.Rows, []string{"reserved", strconv.FormatInt(res.Bytes, 10), res.Source + ": " + reservationVerdict(r)})
	} else {
		t.Rows = append(t.Rows, []string{"reserved", "", "unknown: no stack size symbol or .stack section"})
	}
	for _, why := range r.TotalReasons() {
		t.Notes = append(t.Notes, "lower bound: "+why)
	}
	for _, w := range r.Warnings {
		t.Notes = append(t.Notes, "warning: "+w)
	}
	return t
}

// interruptNote names the handlers the interrupt figure adds up.
func interruptNote(r *stack.Report) string {
	hs := r.CountedHandlers()
	if len(hs) == 0 {
		if r.Nesting == 0 {
			return "not counted (nesting 0)"
		}
		return "no handler"
	}
	parts := make([]string, len(hs))
	for i, h := range hs {
		parts[i] = fmt.Sprintf("%s %s + %d-byte exception frame", h.Name, h.Depth, r.ExceptionFrame)
	}
	what := "the deepest handler, one at a time"
	if r.Nesting > 1 {
		what = fmt.Sprintf("the %d deepest handlers nested", len(hs))
	}
	return what + ": " + strings.Join(parts, "; ")
}

// reservationVerdict says whether the worst case fits the reservation.
func reservationVerdict(r *stack.Report) string {
	spare := r.Reserved.Bytes - r.Total.Bytes
	switch {
	case spare < 0:
		return fmt.Sprintf("TOO SMALL by %d bytes", -spare)
	case r.Total.LowerBound:
		return fmt.Sprintf("fits the lower bound (%d spare)", spare)
	}
	return fmt.Sprintf("fits (%d spare)", spare)
}

// ramTable is the RAM need: static data + arena + worst-case stack
// against the region, with what is not counted and why; st is the stack
// analysis n adds up.
func (n *RAMNeed) ramTable(st *stack.Report) table {
	title := "RAM need"
	if n.Region != "" {
		title += " in " + n.Region
	}
	if n.Arena == nil {
		title += ": static data + worst-case stack"
	} else {
		title += ": static data + tensor arena + worst-case stack"
	}
	t := table{Title: title, Header: []string{"part", "bytes", "note"}, Right: []bool{false, true, false}}
	static := "sections " + strings.Join(n.StaticSections, ", ")
	if a := n.Arena; a != nil && a.Symbol != "" && a.Region == n.Region {
		static += fmt.Sprintf("; includes the arena buffer %s (%d bytes)", a.Symbol, a.Size)
	}
	t.Rows = append(t.Rows, []string{"static data", strconv.FormatUint(n.Static, 10), static})
	if a := n.Arena; a != nil {
		t.Rows = append(t.Rows, []string{"tensor arena", strconv.FormatUint(a.Extra, 10), a.note(n.Region)})
	}
	stackNote := "thread mode " + st.Thread.String()
	if st.ExceptionFrame > 0 {
		stackNote += " + interrupts " + st.Interrupts.String()
	}
	t.Rows = append(t.Rows, []string{"worst-case stack", n.Stack.String(), stackNote})
	total := strconv.FormatUint(n.Total, 10)
	if n.LowerBound {
		total = ">= " + total
	}
	t.Total = []string{"total", total, n.verdict()}
	for _, s := range n.Replaced {
		note := fmt.Sprintf("not counted: %s (%d bytes), the linker script's stack reservation: the worst-case stack takes its place", s.Name, s.Bytes)
		if strings.Contains(strings.ToLower(s.Name), "heap") {
			note = fmt.Sprintf("not counted: %s (%d bytes), the linker script's heap and stack reservation: the worst-case stack takes its place; heap use is not measured", s.Name, s.Bytes)
		}
		t.Notes = append(t.Notes, note)
	}
	if n.Elsewhere > 0 {
		t.Notes = append(t.Notes, fmt.Sprintf("not counted: %d bytes of static data in %s", n.Elsewhere, strings.Join(n.ElsewhereRegions, ", ")))
	}
	return t
}

// note explains the arena's part: what the model needs and where it is
// counted.
func (a *ArenaNeed) note(region string) string {
	need := fmt.Sprintf("the model needs %d bytes", a.Need)
	if !a.Exact {
		need = fmt.Sprintf("the model needs at least %d bytes", a.Need)
	}
	switch {
	case a.Symbol == "":
		return need + "; no arena buffer in static data, so all of it is added"
	case a.Region != region:
		return fmt.Sprintf("%s; the arena buffer %s is in %s, not counted here", need, a.Symbol, a.Region)
	case a.Extra > 0:
		return fmt.Sprintf("%s, %d more than the %d usable bytes of %s in static data", need, a.Extra, a.Usable, a.Symbol)
	}
	return fmt.Sprintf("%s; %s in static data holds them (%d usable), so nothing is added", need, a.Symbol, a.Usable)
}

// verdict compares the total with the region.
func (n *RAMNeed) verdict() string {
	if n.Region == "" {
		return "no memory region known (give --map, --ld-script or --region)"
	}
	size := fmt.Sprintf("%s's %s", n.Region, report.Human(n.RegionSize))
	if n.Total > n.RegionSize {
		return fmt.Sprintf("exceeds %s by %d bytes", size, n.Total-n.RegionSize)
	}
	fits := "fits"
	if n.LowerBound {
		fits = "the lower bound fits"
	}
	return fmt.Sprintf("%s of %s: %s, %d bytes spare", percent(n.Total, n.RegionSize), size, fits, n.RegionSize-n.Total)
}
