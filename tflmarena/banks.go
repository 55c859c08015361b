package tflmarena

import (
	"fmt"

	"github.com/footprint-dev/footprint/tensorplan"
	"github.com/footprint-dev/footprint/tflite"
)

// BankedHead is a model's head (every tensor and kernel scratch buffer
// stock TFLM plans) planned across several memories.
type BankedHead struct {
	Banks []tensorplan.Bank
	// Buffers are the head's buffers in TFLM's order, each with the
	// operators touching it, its bank and its offset in that bank.
	Buffers []BankedBuffer
	// Used is the bytes each bank's plan needs; Optimal whether that plan
	// is proven smallest for its buffers.
	Used    []int64
	Optimal []bool
	// Head is the head stock TFLM plans in one arena, Bound the joint
	// lower bound of all the buffers in one arena.
	Head, Bound int64
	Exact       bool
}

// BankedBuffer is one head buffer of a banked plan.
type BankedBuffer struct {
	HeadBuffer
	// Touches counts the operators that read or write it: 1 for a
	// scratch buffer.
	Touches int `json:"touches"`
	Bank    int `json:"bank"`
}

// PlanBanks plans m's head on abi (tensors and the scratch buffers abi's
// kernels request) across banks with p (tensorplan.Best.PlanBanks): the
// first bank takes the buffers the most operators touch, as many as fit,
// the last the rest. Stock TFLM plans one head; a banked head needs an
// allocator that puts each buffer in its bank, at its offset from the
// bank's start.
func PlanBanks(m *tflite.Model, abi ABI, banks []tensorplan.Bank, p tensorplan.Best) (*BankedHead, error) {
	est, err := EstimateArena(m, abi)
	if err != nil {
		return nil, err
	}
	lt, err := tensorplan.ModelLifetimes(m)
	if err != nil {
		return nil, err
	}
	for _, t := range lt.Tensors {
		if t.Fixed >= 0 {
			return nil, fmt.Errorf("the model carries an %s plan, which addresses one arena", tensorplan.OfflineMetadata)
		}
	}
	touches := map[[2]int]int{}
	for si := range m.Subgraphs {
		for _, op := range m.Subgraphs[si].Operators {
			seen := map[int32]bool{}
			for _, t := range append(append([]int32{}, op.Inputs...), op.Outputs...) {
				if t >= 0 && !seen[t] {
					seen[t] = true
					touches[[2]int{si, int(t)}]++
				}
			}
		}
	}
	buffers := make([]tensorplan.Buffer, len(est.HeadBuffers))
	counts := make([]int, len(est.HeadBuffers))
	for i, h := range est.HeadBuffers {
		buffers[i] = tensorplan.Buffer{Size: h.Size, First: h.First, Last: h.Last, Fixed: tensorplan.Online}
		counts[i] = 1
		if h.Tensor >= 0 {
			counts[i] = touches[[2]int{h.Subgraph, h.Tensor}]
		}
	}
	bp, err := p.PlanBanks(buffers, counts, banks)
	if err != nil {
		return nil, err
	}
	bh := &BankedHead{Banks: banks, Used: bp.Used, Optimal: bp.Optimal, Head: est.Head,
		Bound: tensorplan.LowerBound(buffers), Exact: est.Exact}
	for i, h := range est.HeadBuffers {
		h.Offset = bp.Offsets[i]
		bh.Buffers = append(bh.Buffers, BankedBuffer{HeadBuffer: h, Touches: counts[i], Bank: bp.Bank[i]})
	}
	return bh, nil
}
