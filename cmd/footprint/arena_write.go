package main

import (
	"fmt"
	"os"
	"strings"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
	"github.com/footprint-dev/footprint/tflmarena"
)

// writePlannedModel writes model with a plan of lt by planner (report's)
// embedded as OfflineMemoryAllocation metadata to path
// (tflmarena.EmbedPlan), records the joint plan in report, and returns the
// lines that say so: what was written, the bytes added, stock TFLM's head
// and kTensorArenaSize on abi before and after (tflmarena's estimates of
// both files), and how the head compares with the joint lower bound.
func writePlannedModel(path string, model *tflite.Model, lt *tensorplan.Lifetimes, report *tensorplan.Report, planner tensorplan.Planner, abi tflmarena.ABI) (string, error) {
	pm, err := tflmarena.EmbedPlan(model, lt, planner, abi)
	if err != nil {
		return "", fmt.Errorf("arena: --write-model: %w", err)
	}
	if err := os.WriteFile(path, pm.Data, 0o644); err != nil {
		return "", fmt.Errorf("arena: --write-model: %w", err)
	}
	before, after := pm.Before, pm.After
	on := abi.Name
	if abi.Kernels.IsCMSISNN() {
		on += " with " + abi.Kernels.String()
	}
	scratch := 0
	for _, b := range before.HeadBuffers {
		if b.Tensor < 0 {
			scratch++
		}
	}
	var lines []string
	if pm.Kept {
		lines = append(lines, fmt.Sprintf("wrote %s unchanged: every offline plan found leaves stock TFLM on %s a larger head than its own plan (%s bytes), since fixing the tensors changes where its greedy planner puts the kernels' %d scratch buffer(s)",
			path, on, bytesAtLeast(before.Head, before.Exact), scratch))
	} else {
		what := fmt.Sprintf("the %s plan above", report.Planner)
		if pm.Scratch > 0 {
			what = fmt.Sprintf("%s's plan of the tensors and the kernels' %d scratch buffer(s) (TFLM places those itself)", report.Planner, pm.Scratch)
		}
		lines = append(lines, fmt.Sprintf("wrote %s (+%d bytes): %s as %s metadata; stock TFLM on %s: head %s -> %s bytes, kTensorArenaSize %s -> %s",
			path, len(pm.Data)-len(model.Raw), what, tensorplan.OfflineMetadata, on,
			bytesAtLeast(before.Head, before.Exact), bytesAtLeast(after.Head, after.Exact),
			bytesAtLeast(before.MinArenaBytes, before.Exact), bytesAtLeast(after.MinArenaBytes, after.Exact)))
	}
	if !pm.Kept {
		// Print and report the plan written, which the joint planning may
		// have changed.
		report.ArenaBytes = 0
		for i := range report.Tensors {
			t := &report.Tensors[i]
			t.Offset = pm.Offsets[i]
			report.ArenaBytes = max(report.ArenaBytes, t.Offset+t.Bytes)
		}
		report.Optimal = report.ArenaBytes <= report.ProvenBound
	}
	if jp := pm.Joint; jp != nil {
		report.Joint = &tensorplan.JointSummary{
			ScratchBuffers: scratch, Bound: jp.Bound, HeadBefore: before.Head, Head: after.Head,
			Optimal: after.Head <= jp.Bound, SearchNodes: jp.Nodes, Written: !pm.Kept,
		}
		lines = append(lines, jointLine(report.Joint))
	}
	return strings.Join(lines, "\n"), nil
}

// jointLine says how the head TFLM plans for the written model compares
// with the joint lower bound, and why when it does not reach it.
func jointLine(j *tensorplan.JointSummary) string {
	bound := fmt.Sprintf("joint bound  %d bytes (peak of live tensor and scratch bytes, %d scratch buffer(s))", j.Bound, j.ScratchBuffers)
	if j.ScratchBuffers == 0 {
		bound = fmt.Sprintf("head bound   %d bytes (peak of live tensor bytes; the kernels request no scratch buffers)", j.Bound)
	}
	switch {
	case j.Optimal && j.HeadBefore <= j.Bound:
		return bound + ": stock TFLM's own plan reaches it already; the written plan does too (optimal)"
	case j.Optimal:
		return fmt.Sprintf("%s: the written plan reaches it (optimal), %d bytes below stock TFLM's own plan", bound, j.HeadBefore-j.Head)
	case j.HeadBefore <= j.Head:
		return fmt.Sprintf("%s: not reached; no plan found within %d search nodes whose scratch buffers TFLM's greedy planner puts where the plan has them beats stock TFLM's own %d bytes (a smaller one is not ruled out)", bound, j.SearchNodes, j.HeadBefore)
	}
	return fmt.Sprintf("%s: not reached; the best plan found within %d search nodes whose scratch buffers TFLM's greedy planner puts where the plan has them needs %d (a smaller one is not ruled out)", bound, j.SearchNodes, j.Head)
}

// bytesAtLeast prints n, as a lower bound unless exact.
func bytesAtLeast(n int64, exact bool) string {
	if exact {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("at least %d", n)
}
