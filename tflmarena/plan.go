package tflmarena

import (
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
)

// scratchRequest is one RequestScratchBufferInArena call: bytes wanted by
// operator op of subgraph sub.
type scratchRequest struct {
	sub, op int
	opName  string
	bytes   int64
	what    string
}

// HeadBuffer is one buffer of the planned head: a tensor or a kernel's
// scratch buffer, with its offset in the arena.
type HeadBuffer struct {
	// Subgraph and Tensor identify a tensor; Tensor is -1 for a scratch
	// buffer, which names its operator in Op.
	Subgraph int    `json:"subgraph"`
	Tensor   int    `json:"tensor"`
	Op       int    `json:"op"`
	OpName   string `json:"op_name,omitempty"`
	Name     string `json:"name"`
	Bytes    int64  `json:"bytes"`
	// Size is Bytes rounded up to 16, as TFLM plans it.
	Size   int64 `json:"size"`
	First  int   `json:"first"`
	Last   int   `json:"last"`
	Offset int64 `json:"offset"`
}

// headPlan follows TFLM's AllocationInfoBuilder and CreatePlan: the
// tensors tensorplan.ModelLifetimes finds TFLM plans, in TFLM's order, then
// one buffer per scratch request, alive over its operator's steps, planned
// by tensorplan's replica of the greedy planner. It returns the planned
// buffers and the head size.
func headPlan(lt *tensorplan.Lifetimes, requests []scratchRequest) ([]HeadBuffer, int64, error) {
	buffers := lt.Buffers()
	head := make([]HeadBuffer, 0, len(buffers)+len(requests))
	for _, t := range lt.Tensors {
		head = append(head, HeadBuffer{Subgraph: t.Subgraph, Tensor: t.Index, Name: t.Name, Bytes: t.Bytes,
			Size: t.Size, First: t.First, Last: t.Last})
	}
	for _, r := range requests {
		b, err := lt.ScratchBuffer(r.sub, r.op, r.bytes)
		if err != nil {
			// An operator TFLM never visits keeps the unset lifetime.
			b = tensorplan.Buffer{Size: alignUp(r.bytes, tensorplan.Alignment), First: -1, Last: -1, Fixed: tensorplan.Online}
		}
		buffers = append(buffers, b)
		head = append(head, HeadBuffer{Subgraph: r.sub, Tensor: -1, Op: r.op, OpName: r.opName, Name: scratchPrefix + r.what,
			Bytes: r.bytes, Size: b.Size, First: b.First, Last: b.Last})
	}
	if len(buffers) == 0 {
		return nil, 0, nil
	}
	plan, err := tensorplan.TFLM{}.Plan(buffers)
	if err != nil {
		return nil, 0, fmt.Errorf("planning the head: %w", err)
	}
	for i := range head {
		head[i].Offset = plan.Offsets[i]
	}
	return head, plan.ArenaSize, nil
}

// scratchPrefix starts the name of a scratch buffer in the head.
const scratchPrefix = "scratch: "

// alignUp rounds n up to a multiple of a (a power of two).
func alignUp(n, a int64) int64 { return (n + a - 1) &^ (a - 1) }
