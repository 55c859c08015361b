package callgraph

import (
	"errors"
	"fmt"
	"sort"

	"github.com/footprint-dev/footprint/isa"
)

// maxProblems caps the problems kept per function: one undecodable region
// should not flood a report.
const maxProblems = 8

// analyzer decodes functions one at a time, reusing its buffers, so memory
// stays proportional to the largest function rather than the whole text.
type analyzer struct {
	l     *loader
	dec   isa.Decoder
	insts []isa.Inst
	depth []int64 // stack depth on entry to each instruction; -1 unvisited
	work  []int
}

func newAnalyzer(l *loader) *analyzer {
	return &analyzer{l: l, dec: l.arch.newDecoder(l.p.Symbols)}
}

// function decodes node fi and fills in its frame, calls and references.
func (a *analyzer) function(fi int) {
	n := &a.l.p.Nodes[fi]
	s := a.l.section(n.Addr)
	if s == nil || !s.exec {
		return
	}
	end := min(n.Addr+n.Size, s.addr+uint64(len(s.data)))
	a.decode(n, s, end)
	if len(a.insts) == 0 {
		return
	}
	a.walk(fi, end)
	a.references(fi)
}

// decode fills a.insts with the function's instructions, skipping the data
// ranges ($d) inside it.
func (a *analyzer) decode(n *Node, s *loadedSection, end uint64) {
	a.insts = a.insts[:0]
	a.dec.Reset()
	minLen := uint64(a.dec.MinLen())
	dr := sort.Search(len(a.l.dataRanges), func(i int) bool { return a.l.dataRanges[i].end > n.Addr })
	for addr := n.Addr; addr < end; {
		if dr < len(a.l.dataRanges) && a.l.dataRanges[dr].start <= addr {
			addr = max(addr, a.l.dataRanges[dr].end)
			dr++
			a.dec.Reset()
			continue
		}
		stop := end
		if dr < len(a.l.dataRanges) {
			stop = min(stop, a.l.dataRanges[dr].start)
		}
		code := s.data[addr-s.addr : stop-s.addr]
		in, err := a.dec.Decode(code, addr)
		if err != nil {
			msg := "undecodable instruction"
			if errors.Is(err, isa.ErrTruncated) {
				msg = "code ends mid-instruction"
			}
			a.problem(n, fmt.Sprintf("%#x: %s (%v)", addr, msg, err))
			in = isa.Inst{Addr: addr, Len: in.Len, Flow: isa.FlowStop}
		}
		if in.Len <= 0 {
			in.Len = int(minLen)
		}
		in.Addr = addr
		a.insts = append(a.insts, in)
		addr += uint64(in.Len)
	}
}

func (a *analyzer) problem(n *Node, msg string) {
	if len(n.Problems) < maxProblems {
		n.Problems = append(n.Problems, msg)
	} else if len(n.Problems) == maxProblems {
		n.Problems = append(n.Problems, "more problems not shown")
	}
}

// index returns the instruction starting at addr, or -1.
func (a *analyzer) index(addr uint64) int {
	i := sort.Search(len(a.insts), func(i int) bool { return a.insts[i].Addr >= addr })
	if i < len(a.insts) && a.insts[i].Addr == addr {
		return i
	}
	return -1
}

// walk follows the function's control flow from its entry, giving every
// reachable instruction its stack depth, and records the calls. Code that
// no branch reaches (the cases of a jump table) gets the depth of the
// indirect jump before it, so switch cases are measured too.
func (a *analyzer) walk(fi int, end uint64) {
	n := &a.l.p.Nodes[fi]
	a.depth = a.depth[:0]
	for range a.insts {
		a.depth = append(a.depth, -1)
	}
	entry := a.l.arch.entryDepth
	frame := entry
	seed, seedDepth := 0, entry
	lastTable := int64(-1)
	for {
		a.work = append(a.work[:0], seed)
		a.depth[seed] = seedDepth
		for len(a.work) > 0 {
			i := a.work[len(a.work)-1]
			a.work = a.work[:len(a.work)-1]
			d := a.depth[i]
			frame = max(frame, a.step(fi, n, i, d, end))
		}
		// Seed the first instruction not reached yet: everything before
		// the last seed has been reached, so the scan goes on from there.
		from := seed
		seed = -1
		for i := from; i < len(a.insts); i++ {
			if a.depth[i] >= 0 {
				if a.insts[i].Flow == isa.FlowIndirectJump {
					lastTable = a.depth[i]
				}
				continue
			}
			seed = i
			switch {
			case lastTable >= 0:
				seedDepth = lastTable
			case i > 0 && a.depth[i-1] >= 0:
				seedDepth = a.depth[i-1]
			default:
				seedDepth = entry
			}
			break
		}
		if seed < 0 {
			break
		}
	}
	n.Frame = frame
	if a.l.millicodeSave(n.Addr) > 0 {
		// The save routine's register-valued SP step is its ABI contract,
		// applied at its call sites.
		n.DynamicStack = false
	}
}

// step processes instruction i reached with depth d: it records calls,
// queues successors and returns the deepest stack the instruction reaches.
func (a *analyzer) step(fi int, n *Node, i int, d int64, end uint64) int64 {
	in := &a.insts[i]
	out := d - in.SPDelta
	if in.SPDynamic {
		// Setting the SP before anything was pushed is a stack switch
		// (a reset handler loading the initial SP), not alloca.
		if d != a.l.arch.entryDepth {
			n.DynamicStack = true
		}
		out = d
		if in.SPDelta > 0 {
			out = d - in.SPDelta
		}
	}
	if out < 0 {
		out = 0
	}
	inside := func(t uint64) bool { return t >= n.Addr && t < end }
	next := func(depth int64) {
		if i+1 < len(a.insts) {
			a.visit(i+1, depth)
		}
	}
	switch in.Flow {
	case isa.FlowNext:
		next(out)
	case isa.FlowJump, isa.FlowCondJump:
		if inside(in.Target) {
			if j := a.index(in.Target); j >= 0 {
				a.visit(j, out)
			} else {
				a.problem(n, fmt.Sprintf("%#x: branch into the middle of an instruction at %#x", in.Addr, in.Target))
			}
		} else {
			a.call(fi, n, in, Tail, out-a.l.arch.entryDepth)
		}
		if in.Flow == isa.FlowCondJump {
			next(out)
		}
	case isa.FlowCall:
		if in.Target == 0 {
			// A weak undefined function (address 0), guarded by a test.
			next(out)
			break
		}
		if inside(in.Target) && in.Target != n.Addr {
			// A call of a local subroutine (hand-written assembly such as
			// libgcc's): its pushes count in this function's frame.
			if j := a.index(in.Target); j >= 0 {
				a.visit(j, out)
			}
			next(out)
			break
		}
		a.call(fi, n, in, Direct, out)
		next(out + a.l.millicodeSave(in.Target))
	case isa.FlowIndirectCall:
		a.call(fi, n, in, Indirect, out)
		next(out)
	case isa.FlowIndirectJump:
		// A jump table keeps the frame; a tail call through a pointer has
		// released it.
		if targets := a.jumpTable(in, n.Addr, end); targets != nil {
			for _, t := range targets {
				if j := a.index(t); j >= 0 {
					a.visit(j, out)
				}
			}
		} else if in.Op != "tbb" && in.Op != "tbh" && out == a.l.arch.entryDepth {
			a.call(fi, n, in, IndirectTail, 0)
		}
	case isa.FlowReturn:
		if in.Conditional {
			next(d)
		}
	}
	return max(d, out)
}

// jumpTable returns the targets of a Thumb "ldr pc, [rN, rM, lsl #2]"
// switch: a table of code addresses inside the function, in the data range
// ($d) that starts right after the instruction (GCC's -Os switch). It
// returns nil for any other indirect jump.
func (a *analyzer) jumpTable(in *isa.Inst, start, end uint64) []uint64 {
	if !a.l.arch.thumb || in.Op != "ldr" {
		return nil
	}
	at := (in.Addr + uint64(in.Len) + 3) &^ 3
	i := sort.Search(len(a.l.dataRanges), func(i int) bool { return a.l.dataRanges[i].start >= at })
	if i == len(a.l.dataRanges) || a.l.dataRanges[i].start != at {
		return nil
	}
	var out []uint64
	for w := at; w+4 <= a.l.dataRanges[i].end; w += 4 {
		v, ok := a.l.word(w)
		if !ok || v&1 == 0 || v&^1 < start || v&^1 >= end {
			break
		}
		out = append(out, v&^1)
	}
	return out
}

// visit queues instruction j with depth d unless it was reached already.
func (a *analyzer) visit(j int, d int64) {
	if a.depth[j] >= 0 {
		return
	}
	a.depth[j] = d
	a.work = append(a.work, j)
}

// call records a call site, resolving its callee.
func (a *analyzer) call(fi int, n *Node, in *isa.Inst, kind CallKind, depth int64) {
	c := Call{Site: in.Addr, Kind: kind, Depth: max(depth, 0), Callee: -1}
	if kind.IsIndirect() {
		// A branch through a literal that holds a function's address
		// (a veneer, a GOT slot in the file) is a direct call.
		if in.RefKind == isa.RefLoad {
			if v, ok := a.l.word(in.Ref); ok {
				if f := a.l.codeValue(v); f >= 0 {
					c.Callee, c.Target = f, a.l.p.Nodes[f].Addr
					c.Kind = Direct
					if kind == IndirectTail {
						c.Kind = Tail
					}
				}
			}
		}
		n.Calls = append(n.Calls, c)
		return
	}
	c.Target = in.Target
	c.Callee = a.l.p.FuncAt(in.Target)
	if c.Callee < 0 {
		if j := a.l.p.At(in.Target); j >= 0 && a.l.p.Nodes[j].Kind == Func {
			// An entry into another function's body (assembly routines
			// sharing code): that function's worst case covers it.
			c.Callee = j
		} else if name := a.l.pltName(in.Target); name != "" {
			c.External = name
		} else if s, ok := a.l.p.SectionOf(in.Target); ok && s.Exec && !s.NoBits {
			// Code no symbol names (an assembly routine's local entry
			// placed before its symbol): it gets a node of its own once
			// every function is decoded (loader.addAnonymousCode).
			a.l.unnamedCode = append(a.l.unnamedCode, in.Target)
		} else {
			c.External = fmt.Sprintf("%#x", in.Target)
			a.problem(n, fmt.Sprintf("%#x: %s to %#x, which is in no function", in.Addr, kind, in.Target))
		}
	}
	if c.Callee == fi && kind == Tail && a.l.p.Nodes[fi].Addr == in.Target {
		// A branch back to the function's own entry is a loop.
		return
	}
	n.Calls = append(n.Calls, c)
}

// references notes the addresses the function's code refers to:
// literal-pool words and what they hold, ADR/MOVW+MOVT/AUIPC addresses,
// RIP-relative operands. They are resolved to nodes once every node,
// anonymous data included, is known (loader.resolveCodeRefs).
func (a *analyzer) references(fi int) {
	for i := range a.insts {
		in := &a.insts[i]
		switch in.RefKind {
		case isa.RefLoad:
			a.l.codeRefs = append(a.l.codeRefs, codeRef{from: fi, site: in.Addr, value: in.Ref})
			if v, ok := a.l.word(in.Ref); ok {
				a.l.codeRefs = append(a.l.codeRefs, codeRef{from: fi, site: in.Addr, value: v})
			}
		case isa.RefAddr:
			a.l.codeRefs = append(a.l.codeRefs, codeRef{from: fi, site: in.Addr, value: in.Ref})
		}
	}
}
