package tflmarena

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
)

// TFLMCommit is the tflite-micro commit whose allocator and kernels the
// model replicates.
const TFLMCommit = "90b983c2b3f1"

// WriteJSON writes the estimate as indented JSON.
func (e *Estimate) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(e); err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	return nil
}

// WriteText writes the two numbers and the tail's breakdown by category as
// an aligned table; with allocations set it lists every tail allocation in
// TFLM's order and every head buffer too.
func (e *Estimate) WriteText(w io.Writer, allocations bool) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	p := func(format string, args ...any) { fmt.Fprintf(tw, format, args...) }
	bound := ""
	if !e.Exact {
		bound = "at least "
	}
	if e.Kernels == CMSISNN && e.CPU != nil {
		p("TFLM tensor arena, target %s (tflite-micro %s, CMSIS-NN %s kernels, greedy planner)\n", e.Target, TFLMCommit, CMSISNNCommit)
		p("cpu: %s, CMSIS-NN's %s (%s)\n", e.CPU.Name, e.CPU.Extension.path(), e.CPU.basis())
	} else {
		target := e.Target
		if e.CPU != nil {
			target += ", " + e.CPU.Name
		}
		p("TFLM tensor arena, target %s (tflite-micro %s, reference kernels, greedy planner)\n", target, TFLMCommit)
	}
	p("minimum kTensorArenaSize:\t%s%d bytes (16-byte aligned arena; setup needs room beyond the final use)\n", bound, e.MinArenaBytes)
	for _, r := range e.FailingArenas {
		p("  but %d to %d bytes fail:\ta kernel's persistent buffers land on bytes of its temporaries it still reads\n", r.From, r.To)
	}
	p("arena_used_bytes():\t%s%d bytes = head %d + tail %d\n", bound, e.ArenaUsedBytes, e.Head, e.Tail)
	p("\n")
	p("head: %d bytes, %d planned buffers (tensors and scratch buffers)\n", e.Head, len(e.HeadBuffers))
	p("tail: %d bytes\tcount\trequested\tused\n", e.Tail)
	for _, c := range e.Categories {
		p("  %s\t%d\t%d\t%d\n", c.Category, c.Count, c.Bytes, c.Used)
	}
	if scratch := e.scratchBuffers(); len(scratch) > 0 {
		p("\nkernel scratch buffers (in the head):\n")
		p("  op\tkernel\twhat\tbytes\toffset\tsteps\n")
		for _, h := range scratch {
			p("  %d\t%s\t%s\t%d\t%d\t%d-%d\n", h.Op, h.OpName, strings.TrimPrefix(h.Name, scratchPrefix), h.Bytes, h.Offset, h.First, h.Last)
		}
	}
	if allocations {
		p("\ntail allocations in TFLM's order:\n")
		p("  category\twhat\top\tbytes\talign\tused\n")
		for _, a := range e.Allocations {
			op := ""
			if a.Op >= 0 {
				op = fmt.Sprintf("%d %s", a.Op, a.OpName)
			}
			p("  %s\t%s\t%s\t%d\t%d\t%d\n", a.Category, a.What, op, a.Bytes, a.Align, a.Used)
		}
		p("\nhead buffers:\n")
		p("  name\tbytes\tsize\tfirst\tlast\toffset\n")
		for _, h := range e.HeadBuffers {
			p("  %s\t%d\t%d\t%d\t%d\t%d\n", h.Name, h.Bytes, h.Size, h.First, h.Last, h.Offset)
		}
	}
	for _, r := range e.Reasons {
		p("\nnot exact: %s\n", r)
	}
	if err := tw.Flush(); err != nil {
		return fmt.Errorf("writing table: %w", err)
	}
	return nil
}

// KernelsText names the kernels the figures are for: "reference kernels"
// or "CMSIS-NN kernels on cortex-m4, DSP path".
func (e *Estimate) KernelsText() string {
	if e.Kernels != CMSISNN || e.CPU == nil {
		return "reference kernels"
	}
	return Kernels{Set: CMSISNN, CPU: e.CPU}.String()
}

// scratchBuffers returns the head buffers that are kernel scratch buffers.
func (e *Estimate) scratchBuffers() []HeadBuffer {
	var out []HeadBuffer
	for _, h := range e.HeadBuffers {
		if h.Tensor < 0 {
			out = append(out, h)
		}
	}
	return out
}

// TargetText names the target and, for a CMSIS-NN build, the kernels:
// "cortex-m" or "cortex-m, CMSIS-NN kernels on cortex-m4, DSP path".
func (e *Estimate) TargetText() string {
	if e.Kernels == CMSISNN && e.CPU != nil {
		return e.Target + ", " + e.KernelsText()
	}
	return e.Target
}
