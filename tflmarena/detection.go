package tflmarena

import (
	"fmt"
	"math"

	"github.com/footprint-dev/footprint/flexbuf"
)

// TFLite_Detection_PostProcess (kernels/detection_postprocess.cc) sizes its
// eleven scratch buffers by its options as well as its inputs: Prepare
// takes the three inputs as temporaries, then requests, in this order, the
// active-candidate flags (a byte per box), the decoded boxes (four floats
// per box), the scores (the class predictions' boxes times classes,
// floats), two score arrays and a kept-index array of one float or int per
// box, the suppressed scores, sorted values and sorted indices of
// max_detections per box, the class-index buffer of max(num_classes,
// max_detections) per box and the selection of min(boxes, max_detections)
// per box. Its OpData (112 bytes on both ABIs) comes from Init.

// detectionPrepare models TFLite_Detection_PostProcess's Prepare.
func detectionPrepare(n *node) []step {
	s := n.temps(0, 1, 2)
	if len(n.op.Inputs) != 3 || len(n.op.Outputs) != 4 || n.rank(n.input(0)) != 3 || n.rank(n.input(1)) != 3 || n.rank(n.input(2)) != 2 {
		n.fail(fmt.Errorf("TFLite_Detection_PostProcess wants 3 inputs of 3, 3 and 2 dimensions and 4 outputs"))
		return s
	}
	maxDet, err := detectionOption(n.op.CustomOptions, "max_detections")
	if err != nil {
		n.fail(err)
		return s
	}
	classes, err := detectionOption(n.op.CustomOptions, "num_classes")
	if err != nil {
		n.fail(err)
		return s
	}
	boxes := n.dim(n.input(0), 1)
	// Prepare's sizes are C int products: refuse those that overflow or
	// go negative, whose requests TFLM garbles.
	for _, k := range []int64{maxDet, max(classes, maxDet), min(boxes, maxDet)} {
		if k < 0 || 4*k*boxes > math.MaxInt32 {
			n.fail(fmt.Errorf("TFLite_Detection_PostProcess: max_detections %d, num_classes %d and %d boxes make TFLM's int scratch sizes overflow or go negative", maxDet, classes, boxes))
			return s
		}
	}
	return append(s,
		scratch(boxes, "active candidates"),
		scratch(16*boxes, "decoded boxes"),
		scratch(4*n.dim(n.input(1), 1)*n.dim(n.input(1), 2), "scores"),
		scratch(4*boxes, "score buffer"),
		scratch(4*boxes, "kept scores"),
		scratch(4*maxDet*boxes, "scores after regular suppression"),
		scratch(4*maxDet*boxes, "sorted values"),
		scratch(4*boxes, "kept indices"),
		scratch(4*maxDet*boxes, "sorted indices"),
		scratch(4*max(classes, maxDet)*boxes, "class indices"),
		scratch(4*min(boxes, maxDet)*boxes, "selected"))
}

// detectionOption reads one integer option as TFLM's Init does
// (flexbuffers' AsInt32): an absent key reads 0, a float is truncated.
func detectionOption(options []byte, key string) (int64, error) {
	root, err := flexbuf.Root(options)
	if err != nil {
		return 0, fmt.Errorf("TFLite_Detection_PostProcess options: %w", err)
	}
	m, err := root.Map()
	if err != nil {
		return 0, fmt.Errorf("TFLite_Detection_PostProcess options: %w", err)
	}
	v, ok, err := m.Get(key)
	if err != nil || !ok {
		return 0, err
	}
	x, err := v.Int()
	if t := v.Type(); t == flexbuf.TypeFloat || t == flexbuf.TypeIndirectFloat {
		var f float64
		f, err = v.Float()
		if math.IsNaN(f) || math.Abs(f) > math.MaxInt32 {
			return 0, fmt.Errorf("TFLite_Detection_PostProcess option %q: %g does not fit int32", key, f)
		}
		x = int64(f)
	}
	if err != nil {
		return 0, fmt.Errorf("TFLite_Detection_PostProcess option %q: %w", key, err)
	}
	if x < math.MinInt32 || x > math.MaxInt32 {
		return 0, fmt.Errorf("TFLite_Detection_PostProcess option %q: %d does not fit int32", key, x)
	}
	return x, nil
}
