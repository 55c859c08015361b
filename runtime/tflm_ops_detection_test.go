package runtime

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/footprint-dev/footprint/tflite"
)

// detectionName is the custom code TFLM registers the kernel under.
const detectionName = "TFLite_Detection_PostProcess"

// detectionOptionsMap is the kernel's options with every key TFLM's
// generated test data carry; scales y, x 10 and h, w 5 as there.
func detectionOptionsMap(maxDet, maxClasses, perClass int, regular bool, scoreThreshold, iou float32, classes int) map[string]any {
	return map[string]any{
		"max_detections":            int32(maxDet),
		"max_classes_per_detection": int32(maxClasses),
		"detections_per_class":      int32(perClass),
		"use_regular_nms":           regular,
		"nms_score_threshold":       scoreThreshold,
		"nms_iou_threshold":         iou,
		"num_classes":               int32(classes),
		"y_scale":                   float32(10),
		"x_scale":                   float32(10),
		"h_scale":                   float32(5),
		"w_scale":                   float32(5),
	}
}

// detectionInputs are one case's box encodings, class predictions and
// (constant) anchors, with their shapes.
type detectionInputs struct {
	boxes, scores, anchors []float32
	numBoxes, stride       int
	classes                int // per box, background included
}

// detectionModel builds the one-operator model: box encodings [1, boxes,
// stride] and class predictions [1, boxes, classes] as inputs, the anchors
// [boxes, 4] constant, and outputs of room detections.
func detectionModel(o map[string]any, d detectionInputs, room int) []byte {
	return detectionModelOf(o, d, room, false)
}

// detectionModelOf is detectionModel with, when zeroed, variable box,
// class and score outputs: TFLM zeroes those at allocation, so that the
// entries fast suppression does not write hold zeros rather than the
// arena's leftovers.
func detectionModelOf(o map[string]any, d detectionInputs, room int, zeroed bool) []byte {
	nb := int32(d.numBoxes)
	tensors := []tmTensor{
		f32(1, nb, int32(d.stride)), f32(1, nb, int32(d.classes)),
		constTensor(tflite.Float32, []int32{nb, 4}, floats(d.anchors...), 0),
		f32(1, int32(room), 4), f32(1, int32(room)), f32(1, int32(room)), f32(1),
	}
	for i := 3; i < 6; i++ {
		tensors[i].variable = zeroed
	}
	return customOneOp(detectionName, o, tensors, []int32{0, 1, 2}, []int32{3, 4, 5, 6})
}

// tflmTestDetections are TFLM's own test's inputs: six boxes, two classes
// and a background, the anchors' boxes 0..2 and 3..4 overlapping.
func tflmTestDetections() detectionInputs {
	return detectionInputs{
		boxes: []float32{
			0, 0, 0, 0, 0, 1, 0, 0, 0, -1, 0, 0,
			0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0,
		},
		scores: []float32{0, .9, .8, 0, .75, .72, 0, .6, .5, 0, .93, .95, 0, .5, .4, 0, .3, .2},
		anchors: []float32{
			0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1, 0.5, 0.5, 1, 1,
			0.5, 10.5, 1, 1, 0.5, 10.5, 1, 1, 0.5, 100.5, 1, 1,
		},
		numBoxes: 6, stride: 4, classes: 3,
	}
}

// withoutBackground drops the background class and adds a fifth
// (keypoint) float to every box encoding, as TFLM's keypoint tests do.
func (d detectionInputs) withoutBackground() detectionInputs {
	var boxes, scores []float32
	for i := range d.numBoxes {
		boxes = append(boxes, d.boxes[4*i:4*i+4]...)
		boxes = append(boxes, 1)
		scores = append(scores, d.scores[i*d.classes+1:(i+1)*d.classes]...)
	}
	d.boxes, d.scores, d.stride, d.classes = boxes, scores, 5, d.classes-1
	return d
}

// randomDetections are numBoxes boxes on a grid of anchors 0.3 apart (a
// box overlaps its neighbours), with encodings in [-1, 1) (h and w in
// [-0.5, 0.5), which go through exp) and distinct scores in (0, 1).
func randomDetections(numBoxes, classes int, seed uint32) detectionInputs {
	next := func() float32 { // an LCG: deterministic, varied
		seed = seed*1664525 + 1013904223
		return float32(seed>>8) / (1 << 24)
	}
	d := detectionInputs{numBoxes: numBoxes, stride: 4, classes: classes}
	for i := range numBoxes {
		d.boxes = append(d.boxes, 2*next()-1, 2*next()-1, next()-0.5, next()-0.5)
		d.anchors = append(d.anchors, 0.3*float32(i/5), 0.3*float32(i%5), 0.5, 0.5)
	}
	for i := range numBoxes * classes {
		// Distinct: a permutation of the steps of 1/(n+1).
		d.scores = append(d.scores, float32((i*7919)%(numBoxes*classes)+1)/float32(numBoxes*classes+1))
	}
	return d
}

// detectionCases are TFLite_Detection_PostProcess's differential cases:
// float32 only (TFLM's Eval refuses other box and score types), both
// suppressions, with and without a background class, several classes per
// detection, thresholds that keep nothing, and the checks of TFLM's Prepare
// and Eval. Equal scores are fine: TFLM's merge sort is stable and its
// partial sort breaks ties by index, so the order is determined.
func detectionCases() []tflmCase {
	var cases []tflmCase
	add := func(name string, o map[string]any, d detectionInputs, room int) {
		cases = append(cases, tflmCase{name: "detection_" + name, model: detectionModel(o, d, room), inputs: [][]byte{floats(d.boxes...), floats(d.scores...)}})
	}
	// zeroed adds a fast case that leaves outputs unwritten.
	zeroed := func(name string, o map[string]any, d detectionInputs, room int) {
		cases = append(cases, tflmCase{name: "detection_" + name, model: detectionModelOf(o, d, room, true), inputs: [][]byte{floats(d.boxes...), floats(d.scores...)}})
	}
	refuse := func(name, reason string, model []byte, d detectionInputs) {
		cases = append(cases, tflmCase{name: "detection_" + name, model: model, inputs: [][]byte{floats(d.boxes...), floats(d.scores...)}, refuse: reason})
	}
	opts := detectionOptionsMap
	test := tflmTestDetections()

	// TFLM's own tests.
	add("fast", opts(3, 1, 1, false, 0, 0.5, 2), test, 3)
	add("regular", opts(3, 1, 1, true, 0, 0.5, 2), test, 3)
	add("fast_no_background_keypoints", opts(3, 1, 1, false, 0, 0.5, 2), test.withoutBackground(), 3)
	add("regular_no_background_keypoints", opts(3, 1, 1, true, 0, 0.5, 2), test.withoutBackground(), 3)
	ties := test.withoutBackground()
	ties.scores = []float32{0.015625, 0.007812, 0.003906, 0.015625, 0.015625, 0.007812, 0.019531, 0.019531, 0.007812, 0.003906, 0.003906, 0.003906}
	add("fast_equal_scores", opts(3, 1, 1, false, 0, 0.5, 2), ties, 3)
	add("regular_equal_scores", opts(3, 1, 2, true, 0, 0.5, 2), ties, 3)
	add("regular_per_class_3", opts(5, 1, 3, true, 0.1, 0.5, 2), test, 5)

	// Larger ones: the merge sort's runs (20 boxes and more), boxes that
	// overlap partly, exp of the sizes.
	add("fast_random", opts(6, 1, 1, false, 0.2, 0.3, 3), randomDetections(30, 4, 1), 6)
	add("regular_random", opts(8, 1, 4, true, 0.3, 0.4, 3), randomDetections(25, 4, 2), 8)
	add("regular_random_no_background", opts(10, 1, 5, true, 0.1, 0.6, 4), randomDetections(40, 4, 3), 10)
	add("regular_iou_1", opts(4, 1, 3, true, 0, 1, 2), test, 4)
	add("fast_iou_1", opts(3, 1, 1, false, 0.5, 1, 2), test, 3)

	// Several classes per detection: TFLM writes an anchor's classes at
	// k*position+class, position counting classes, so they spread out and
	// leave entries between them unwritten.
	zeroed("fast_2_classes_per_detection", opts(2, 2, 1, false, 0, 0.5, 2), test, 8)
	zeroed("fast_3_classes_per_detection", opts(1, 3, 1, false, 0, 0.5, 3), randomDetections(6, 4, 4), 9)
	zeroed("fast_classes_per_detection_capped", opts(1, 5, 1, false, 0, 0.5, 2), test, 6)

	// Outputs of room for max_detections times max_classes_per_detection
	// (TFLite's shape): TFLM's positions run past them.
	zeroed("fast_classes_past_outputs", opts(3, 3, 1, false, 0, 0.5, 5), randomDetections(8, 6, 6), 9)

	// Thresholds that keep nothing: regular zeroes its outputs, fast
	// leaves them as they were.
	add("regular_nothing_kept", opts(3, 1, 1, true, 0.99, 0.5, 2), test, 3)
	zeroed("fast_nothing_kept", opts(3, 1, 1, false, 0.99, 0.5, 2), test, 3)
	zeroed("fast_max_detections_0", opts(0, 1, 1, false, 0.99, 0.5, 2), test, 1)
	add("regular_background_only", opts(3, 1, 1, true, 0, 0.5, 0), detectionInputs{
		boxes: test.boxes, scores: []float32{.1, .2, .3, .4, .5, .6}, anchors: test.anchors, numBoxes: 6, stride: 4, classes: 1,
	}, 3)
	defaults := opts(3, 1, 1, false, 0, 0.5, 2)
	delete(defaults, "detections_per_class")
	delete(defaults, "use_regular_nms")
	add("default_options", defaults, test, 3)
	// Numbers of other types, as flexbuffers converts them.
	converted := opts(3, 1, 1, true, 0, 0.5, 2)
	converted["max_detections"], converted["detections_per_class"], converted["use_regular_nms"] = 3.9, float32(2), int32(1)
	converted["nms_iou_threshold"], converted["y_scale"] = 1, int64(10)
	add("converted_options", converted, test, 3)
	// Anchors of five floats: TFLM reads them as packed four-float ones.
	wide := test
	wide.anchors = append(append([]float32(nil), test.anchors...), 0.5, 0.5, 1, 1, 0.5, 0.5)
	cases = append(cases, tflmCase{name: "detection_anchors_6x5", model: customOneOp(detectionName, opts(3, 1, 2, true, 0, 0.5, 2), []tmTensor{
		f32(1, 6, 4), f32(1, 6, 3), constTensor(tflite.Float32, []int32{6, 5}, floats(wide.anchors...), 0),
		f32(1, 3, 4), f32(1, 3), f32(1, 3), f32(1)}, []int32{0, 1, 2}, []int32{3, 4, 5, 6}),
		inputs: [][]byte{floats(test.boxes...), floats(test.scores...)}})
	// No boxes.
	none := detectionInputs{numBoxes: 0, stride: 4, classes: 3}
	add("regular_no_boxes", opts(3, 1, 1, true, 0, 0.5, 2), none, 3)
	zeroed("fast_no_boxes", opts(3, 1, 1, false, 0, 0.5, 2), none, 3)
	// A fast case whose earlier invocation selected more boxes: the
	// outputs it does not write keep the earlier values.
	cases = append(cases, tflmCase{name: "detection_fast_stale_outputs",
		model:   detectionModel(opts(3, 1, 1, false, 0.1, 0.5, 2), test, 3),
		earlier: [][][]byte{{floats(test.boxes...), floats(test.scores...)}},
		inputs:  [][]byte{floats(test.boxes...), floats(0, .9, .8, 0, .75, .72, 0, .6, .5, 0, .93, .95, 0, .5, .4, 0, .01, .02)},
	})

	// NaNs: TFLM's partial sort takes a NaN score as equal to every
	// other (the port follows libstdc++'s std::partial_sort step by
	// step); a NaN best score or threshold keeps nothing; a NaN box
	// passes the box check and overlaps nothing.
	nan := float32(math.NaN())
	nanScores := randomDetections(8, 6, 5)
	for _, i := range []int{1, 3, 8, 14, 15, 16, 20, 27, 33, 36, 41, 47} {
		nanScores.scores[i] = nan
	}
	zeroed("fast_nan_scores_3_classes", opts(4, 3, 1, false, 0, 0.5, 5), nanScores, 36)
	zeroed("fast_nan_scores_5_classes", opts(2, 5, 1, false, 0, 0.5, 5), nanScores, 50)
	zeroed("fast_nan_scores", opts(8, 1, 1, false, 0, 0.5, 5), nanScores, 8)
	add("regular_nan_scores", opts(8, 1, 2, true, 0, 0.5, 5), nanScores, 8)
	add("regular_nan_threshold", opts(3, 1, 1, true, nan, 0.5, 2), test, 3)
	nanBox := test
	nanBox.boxes = append([]float32(nil), test.boxes...)
	nanBox.boxes[4*1+1] = nan
	nanBox.boxes[4*4+2] = float32(math.Inf(1))
	add("regular_nan_box", opts(4, 1, 3, true, 0, 0.5, 2), nanBox, 4)
	zeroed("fast_nan_box", opts(4, 1, 1, false, 0, 0.5, 2), nanBox, 4)

	// What TFLM's Eval refuses.
	bad := test
	bad.anchors = append([]float32(nil), test.anchors...)
	bad.anchors[4*2+2] = 0 // box 2 of height 0
	add("empty_box", opts(3, 1, 1, false, 0, 0.5, 2), bad, 3)
	add("iou_0", opts(3, 1, 1, false, 0, 0, 2), test, 3)
	add("iou_above_1", opts(3, 1, 1, true, 0, 1.5, 2), test, 3)
	add("per_class_0", opts(3, 1, 0, true, 0, 0.5, 2), test, 3)
	add("classes_per_detection_0", opts(3, 0, 1, false, 0, 0.5, 2), test, 3)
	add("num_classes_mismatch", opts(3, 1, 1, false, 0, 0.5, 5), test, 3)
	add("num_classes_2_fewer", opts(3, 1, 1, true, 0, 0.5, 1), test, 3)
	short := test
	short.boxes, short.stride = test.boxes[:18], 3
	add("box_stride_3", opts(3, 1, 1, false, 0, 0.5, 2), short, 3)
	typed := func(boxes, scores tflite.TensorType) []byte {
		tensors := []tmTensor{ofType(boxes, 1, 6, 4), ofType(scores, 1, 6, 3),
			constTensor(tflite.Float32, []int32{6, 4}, floats(test.anchors...), 0),
			f32(1, 3, 4), f32(1, 3), f32(1, 3), f32(1)}
		if boxes == tflite.Uint8 {
			tensors[0] = tmTensor{typ: tflite.Uint8, shape: []int32{1, 6, 4}, scale: []float32{0.1}, zero: []int64{128}}
		}
		if scores == tflite.Int8 {
			tensors[1] = q8([]int32{1, 6, 3}, 1.0/256, -128)
		}
		return customOneOp(detectionName, opts(3, 1, 1, false, 0, 0.5, 2), tensors, []int32{0, 1, 2}, []int32{3, 4, 5, 6})
	}
	cases = append(cases,
		tflmCase{name: "detection_uint8_boxes", model: typed(tflite.Uint8, tflite.Float32)},
		tflmCase{name: "detection_int8_scores", model: typed(tflite.Float32, tflite.Int8)})

	// Options that make TFLM's scratch sizes negative or overflow.
	add("max_detections_negative", opts(-1, 1, 1, false, 0, 0.5, 2), test, 3)
	add("max_detections_huge", opts(1<<28, 1, 1, false, 0, 0.5, 2), test, 3)

	// What TFLM's Prepare refuses.
	threeOut := customOneOp(detectionName, opts(3, 1, 1, false, 0, 0.5, 2), []tmTensor{
		f32(1, 6, 4), f32(1, 6, 3), constTensor(tflite.Float32, []int32{6, 4}, floats(test.anchors...), 0),
		f32(1, 3, 4), f32(1, 3), f32(1, 3)}, []int32{0, 1, 2}, []int32{3, 4, 5})
	cases = append(cases, tflmCase{name: "detection_three_outputs", model: threeOut, inputs: [][]byte{floats(test.boxes...), floats(test.scores...)}})
	flatAnchors := customOneOp(detectionName, opts(3, 1, 1, false, 0, 0.5, 2), []tmTensor{
		f32(1, 6, 4), f32(1, 6, 3), constTensor(tflite.Float32, []int32{24}, floats(test.anchors...), 0),
		f32(1, 3, 4), f32(1, 3), f32(1, 3), f32(1)}, []int32{0, 1, 2}, []int32{3, 4, 5, 6})
	cases = append(cases, tflmCase{name: "detection_anchors_rank_1", model: flatAnchors, inputs: [][]byte{floats(test.boxes...), floats(test.scores...)}})

	// What TFLM takes on trust and reads or writes out of bounds for.
	anchors5 := func() []byte {
		return customOneOp(detectionName, opts(3, 1, 1, false, 0, 0.5, 2), []tmTensor{
			f32(1, 6, 4), f32(1, 6, 3), constTensor(tflite.Float32, []int32{5, 4}, floats(test.anchors[:20]...), 0),
			f32(1, 3, 4), f32(1, 3), f32(1, 3), f32(1)}, []int32{0, 1, 2}, []int32{3, 4, 5, 6})
	}
	refuse("anchors_too_few", "TFLM reads 4 floats for each of 6 boxes", anchors5(), test)
	int8Classes := customOneOp(detectionName, opts(3, 1, 1, false, 0, 0.5, 2), []tmTensor{
		f32(1, 6, 4), f32(1, 6, 3), constTensor(tflite.Float32, []int32{6, 4}, floats(test.anchors...), 0),
		f32(1, 3, 4), t8(1, 3), f32(1, 3), f32(1)}, []int32{0, 1, 2}, []int32{3, 4, 5, 6})
	refuse("int8_classes_output", "is INT8, want FLOAT32", int8Classes, test)
	noScale := opts(3, 1, 1, false, 0, 0.5, 2)
	delete(noScale, "y_scale")
	refuse("no_y_scale", `"y_scale" missing`, detectionModel(noScale, test, 3), test)
	refuse("regular_outputs_too_small", "TFLM writes 3 detections", detectionModel(opts(3, 1, 1, true, 0, 0.5, 2), test, 2), test)
	refuse("fast_num_classes_0", "needs a class", detectionModel(opts(3, 1, 1, false, 0, 0.5, 0), detectionInputs{
		boxes: test.boxes, scores: []float32{.1, .2, .3, .4, .5, .6}, anchors: test.anchors, numBoxes: 6, stride: 4, classes: 1,
	}, 3), detectionInputs{boxes: test.boxes, scores: []float32{.1, .2, .3, .4, .5, .6}})
	return cases
}

// TestDetectionRunFailures checks the runs TFLM takes on trust and writes
// out of bounds for: the runtime fails them naming the reason.
func TestDetectionRunFailures(t *testing.T) {
	test := tflmTestDetections()
	one := detectionInputs{boxes: test.boxes[:4], scores: []float32{0, .9, .8, .7, .6, .5}, anchors: test.anchors[:4], numBoxes: 1, stride: 4, classes: 6}
	for name, c := range map[string]struct {
		model  []byte
		inputs detectionInputs
		reason string
	}{
		// One box and five classes: TFLM's regular suppression keeps
		// max_detections+1 scores in a buffer of max_detections*boxes
		// (rounded up to 16 bytes).
		"overflowing scratch": {detectionModel(detectionOptionsMap(4, 1, 1, true, 0, 0.5, 5), one, 4),
			one, "overflow TFLM's scratch buffers"},
		"max_detections 0 keeps boxes": {detectionModel(detectionOptionsMap(0, 1, 1, false, 0, 0.5, 2), test, 1),
			test, "TFLM sorts them in a scratch buffer of 0"},
		"two classes beyond the outputs": {detectionModel(detectionOptionsMap(3, 2, 1, false, 0, 0.5, 2), test, 6),
			test, "TFLM writes detection 7 past outputs"},
	} {
		t.Run(name, func(t *testing.T) {
			model, err := tflite.Parse(c.model)
			require.NoError(t, err)
			in, err := New(model)
			require.NoError(t, err)
			_, err = in.Run([][]byte{floats(c.inputs.boxes...), floats(c.inputs.scores...)})
			require.Error(t, err)
			assert.Contains(t, err.Error(), c.reason)
		})
	}
}

// TestDetectionHostileOptions checks that options far out of range give
// an error from New and no large allocation.
func TestDetectionHostileOptions(t *testing.T) {
	test := tflmTestDetections()
	for name, o := range map[string]map[string]any{
		"max_detections huge":     detectionOptionsMap(math.MaxInt32, 1, 1, false, 0, 0.5, 2),
		"max_detections negative": detectionOptionsMap(-1, 1, 1, false, 0, 0.5, 2),
		"num_classes huge":        detectionOptionsMap(3, 1, 1, true, 0, 0.5, math.MaxInt32),
		"num_classes negative":    detectionOptionsMap(3, 1, 1, true, 0, 0.5, -1),
		"string option":           {"max_detections": "3"},
	} {
		t.Run(name, func(t *testing.T) {
			model, err := tflite.Parse(detectionModel(o, test, 3))
			require.NoError(t, err)
			_, err = New(model)
			require.Error(t, err)
			assert.Contains(t, err.Error(), "TFLite_Detection_PostProcess")
		})
	}
}

// FuzzDetectionOptions replaces the kernel's custom options with arbitrary
// bytes: New must reject what it cannot use, and whatever it accepts must
// run without a panic (a run may fail where TFLM would write out of
// bounds).
func FuzzDetectionOptions(f *testing.F) {
	test := tflmTestDetections()
	data := detectionModel(detectionOptionsMap(3, 1, 1, false, 0, 0.5, 2), test, 16)
	for _, c := range detectionCases() {
		model, err := tflite.Parse(c.model)
		require.NoError(f, err)
		if ops := model.Subgraphs[0].Operators; len(ops) == 1 {
			f.Add(ops[0].CustomOptions)
		}
	}
	f.Fuzz(func(t *testing.T, options []byte) {
		model, err := tflite.Parse(data)
		require.NoError(t, err)
		model.Subgraphs[0].Operators[0].CustomOptions = options
		in, err := New(model)
		if err != nil {
			return
		}
		_, _ = in.Run([][]byte{floats(test.boxes...), floats(test.scores...)})
	})
}

// TestDecreasingPartialArgSort checks the port of std::partial_sort
// against a plain sort where the comparison is an order (no NaN).
func TestDecreasingPartialArgSort(t *testing.T) {
	values := []float32{3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9}
	want := []int{5, 12, 14, 11, 13, 7, 4, 8, 10, 2, 0, 9, 6, 1, 3}
	for k := 0; k <= len(values); k++ {
		got := make([]int, len(values))
		decreasingPartialArgSort(values, got, k)
		assert.Equal(t, want[:k], got[:k], "k=%d", k)
	}
}
