package runtime

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/footprint-dev/footprint/flexbuf"
	"github.com/footprint-dev/footprint/tflite"
)

// TFLite_Detection_PostProcess is the SSD detector's last stage (TFLM's
// kernels/detection_postprocess.cc): it decodes center-size box encodings
// against their anchors into corner boxes, then keeps the best-scoring boxes
// that do not overlap a better one (non-maximum suppression), either per
// class ("regular") or once over each anchor's best class ("fast"). It takes
// float32 only (TFLM's Eval refuses other box and score types) and writes
// four float32 outputs: boxes, classes, scores and the number of detections.
//
// TFLM sizes its scratch buffers from the options, not from what the
// kernel needs, and some options make it write past them; the port keeps
// the buffers' capacities (their bytes rounded up to the arena's 16-byte
// alignment, which is still theirs) and fails the run where TFLM would
// write beyond one, as it fails where TFLM would write past an output.

// detectionOptions are the kernel's custom options (a FlexBuffers map that
// TFLM reads by key).
type detectionOptions struct {
	maxDetections          int
	maxClassesPerDetection int
	detectionsPerClass     int
	numClasses             int
	regularNMS             bool
	scoreThreshold         float32
	iouThreshold           float32
	scale                  [4]float32 // y, x, h, w
}

// detectionDefaultPerClass is TFLM's detections_per_class when the option
// is absent (kNumDetectionsPerClass).
const detectionDefaultPerClass = 100

// detectionOpts reads the options; detections_per_class and
// use_regular_nms are optional, as in TFLM's Init.
func (n *node) detectionOpts() (detectionOptions, error) {
	var o detectionOptions
	opts, err := n.signalOpts()
	if err != nil {
		return o, err
	}
	ints := []struct {
		key string
		dst *int
	}{
		{"max_detections", &o.maxDetections},
		{"max_classes_per_detection", &o.maxClassesPerDetection},
		{"num_classes", &o.numClasses},
		{"detections_per_class", &o.detectionsPerClass},
	}
	o.detectionsPerClass = detectionDefaultPerClass
	for _, f := range ints {
		if f.key == "detections_per_class" && !opts.has(f.key) {
			continue // TFLM's default
		}
		if *f.dst, err = detectionInt(opts, f.key); err != nil {
			return o, err
		}
	}
	if opts.has("use_regular_nms") {
		if o.regularNMS, err = opts.bool("use_regular_nms"); err != nil {
			return o, err
		}
	}
	floats := []struct {
		key string
		dst *float32
	}{
		{"nms_score_threshold", &o.scoreThreshold},
		{"nms_iou_threshold", &o.iouThreshold},
		{"y_scale", &o.scale[0]},
		{"x_scale", &o.scale[1]},
		{"h_scale", &o.scale[2]},
		{"w_scale", &o.scale[3]},
	}
	for _, f := range floats {
		v, err := opts.value(f.key)
		if err != nil {
			return o, err
		}
		x, err := v.Float()
		if err != nil {
			return o, fmt.Errorf("custom option %q: %w", f.key, err)
		}
		*f.dst = float32(x)
	}
	return o, nil
}

// detectionInt reads an integer option as flexbuffers' AsInt32 does, a
// float truncated toward zero; one beyond int32 is refused.
func detectionInt(opts signalOptions, key string) (int, error) {
	v, err := opts.value(key)
	if err != nil {
		return 0, err
	}
	if t := v.Type(); t != flexbuf.TypeFloat && t != flexbuf.TypeIndirectFloat {
		i, err := opts.int32(key)
		return int(i), err
	}
	f, err := v.Float()
	if err != nil {
		return 0, fmt.Errorf("custom option %q: %w", key, err)
	}
	if math.IsNaN(f) || math.Abs(f) >= math.MaxInt32 {
		return 0, fmt.Errorf("custom option %q: %g does not fit int32", key, f)
	}
	return int(f), nil
}

// has reports whether the options hold key (TFLM's IsNull test): a
// present but unreadable entry counts as present, so that reading it fails.
func (o signalOptions) has(key string) bool {
	_, ok, err := o.m.Get(key)
	return ok || err != nil
}

// detectionKernel is one prepared TFLite_Detection_PostProcess.
type detectionKernel struct {
	n    *node
	opts detectionOptions

	boxes, classes, anchors                    *tensorInfo
	outBoxes, outClasses, outScores, outNumber *tensorInfo

	numBoxes    int
	boxStride   int // floats per box encoding (4, or more with keypoints)
	withBackgnd int // classes per anchor in the predictions
	labelOffset int // 1 when the predictions hold a background class first
	capacity    detectionCapacity

	// Working storage, sized by the inputs at prepare.
	decoded      []float32 // corner boxes: ymin, xmin, ymax, xmax per box
	scores       []float32
	classScores  []float32
	keep         []int
	active       []bool
	selected     []int
	classIndices []int // fast: each anchor's classes, best first
	kept         []int // regular: kept class-box indices, best first
	keptScores   []float32
	order        []int // regular: the sort's indices and sorted copies
	sortedKept   []int
	sortedScores []float32
}

// detectionCapacity is how many elements TFLM's scratch buffers hold.
type detectionCapacity struct {
	sortedIndices int // sorted_indices and scores_after_regular_nms
	boxIndices    int // buffer: regular NMS's kept indices
	selected      int
}

// scratchElems is how many 4-byte elements a scratch request of count
// elements really holds: the planner rounds every buffer up to 16 bytes.
func scratchElems(count int) int {
	if count <= 0 {
		return 0
	}
	return (4*count + 15) / 16 * 4
}

// buildDetectionPostProcess checks what TFLM's Prepare checks and what its
// Eval checks of shapes and types, and what TFLM takes on trust and then
// reads or writes out of bounds for.
func buildDetectionPostProcess(n *node) (func([][]byte), error) {
	if len(n.inputs) != 3 || len(n.outputs) != 4 {
		return nil, fmt.Errorf("takes 3 inputs and 4 outputs, has %d and %d", len(n.inputs), len(n.outputs))
	}
	k := &detectionKernel{n: n}
	ins, _, err := n.io(3)
	if err != nil {
		return nil, err
	}
	k.boxes, k.classes, k.anchors = ins[0], ins[1], ins[2]
	outs := make([]*tensorInfo, 4)
	for i := range outs {
		if outs[i] = n.output(i); outs[i] == nil {
			return nil, fmt.Errorf("output %d missing", i)
		}
	}
	k.outBoxes, k.outClasses, k.outScores, k.outNumber = outs[0], outs[1], outs[2], outs[3]
	if k.opts, err = n.detectionOpts(); err != nil {
		return nil, err
	}
	if err := k.checkShapes(); err != nil {
		return nil, err
	}
	if err := k.checkOptions(); err != nil {
		return nil, err
	}
	k.allocate()
	return k.run, nil
}

// checkShapes checks the tensors' ranks, shapes and types.
func (k *detectionKernel) checkShapes() error {
	for _, c := range []struct {
		t    *tensorInfo
		rank int
		what string
	}{{k.boxes, 3, "box encodings"}, {k.classes, 3, "class predictions"}, {k.anchors, 2, "anchors"}} {
		if len(c.t.shape) != c.rank {
			return fmt.Errorf("%s have shape %v, want %d dimensions", c.what, c.t.shape, c.rank)
		}
	}
	k.numBoxes, k.boxStride = k.boxes.shape[1], k.boxes.shape[2]
	if k.boxes.shape[0] != 1 || k.boxStride < 4 {
		return fmt.Errorf("box encodings have shape %v, want [1, boxes, 4 or more]", k.boxes.shape)
	}
	if k.numBoxes > 0 {
		// TFLM's Eval checks the type per box decoded.
		if err := wantKind(tflite.Float32, k.boxes); err != nil {
			return fmt.Errorf("box encodings: %w", err)
		}
	}
	if k.classes.shape[0] != 1 || k.classes.shape[1] != k.numBoxes {
		return fmt.Errorf("class predictions have shape %v, want [1, %d, classes]", k.classes.shape, k.numBoxes)
	}
	k.withBackgnd = k.classes.shape[2]
	k.labelOffset = k.withBackgnd - k.opts.numClasses
	if k.labelOffset != 0 && k.labelOffset != 1 {
		return fmt.Errorf("class predictions hold %d classes per box, want num_classes %d or one more", k.withBackgnd, k.opts.numClasses)
	}
	if err := wantKind(tflite.Float32, k.classes); err != nil {
		return fmt.Errorf("class predictions: %w", err)
	}
	// TFLM reads the anchors as float32 center-size boxes, whatever their
	// type and shape.
	if err := wantKind(tflite.Float32, k.anchors, k.outBoxes, k.outClasses, k.outScores, k.outNumber); err != nil {
		return fmt.Errorf("TFLM reads and writes float32 anchors and outputs: %w", err)
	}
	if k.anchors.elems < 4*k.numBoxes {
		return fmt.Errorf("anchors have shape %v, TFLM reads 4 floats for each of %d boxes", k.anchors.shape, k.numBoxes)
	}
	if k.outNumber.elems < 1 {
		return fmt.Errorf("number-of-detections output has shape %v, TFLM writes one float", k.outNumber.shape)
	}
	return nil
}

// checkOptions checks the options against what TFLM's Eval checks and what
// it writes.
func (k *detectionKernel) checkOptions() error {
	o := k.opts
	if o.maxDetections < 0 {
		return fmt.Errorf("max_detections %d is negative", o.maxDetections)
	}
	if o.numClasses < 0 || (o.numClasses == 0 && !o.regularNMS) {
		// The fast path reads the best class of each box: TFLM reads
		// an index it never wrote.
		return fmt.Errorf("num_classes %d: fast non-maximum suppression needs a class", o.numClasses)
	}
	// TFLM's int products of the scratch sizes.
	for _, bytes := range []int{4 * o.maxDetections * k.numBoxes, 4 * max(o.numClasses, o.maxDetections) * k.numBoxes} {
		if bytes > math.MaxInt32 {
			return fmt.Errorf("max_detections %d and num_classes %d ask TFLM for a scratch buffer of %d bytes, beyond its int sizes", o.maxDetections, o.numClasses, bytes)
		}
	}
	if o.regularNMS {
		if o.detectionsPerClass <= 0 {
			return fmt.Errorf("detections_per_class %d: regular non-maximum suppression wants at least 1", o.detectionsPerClass)
		}
		// Regular NMS writes every one of the max_detections outputs.
		if k.outBoxes.elems < 4*o.maxDetections || k.outClasses.elems < o.maxDetections || k.outScores.elems < o.maxDetections {
			return fmt.Errorf("outputs of shapes %v, %v, %v: TFLM writes %d detections", k.outBoxes.shape, k.outClasses.shape, k.outScores.shape, o.maxDetections)
		}
	} else if o.maxClassesPerDetection <= 0 {
		return fmt.Errorf("max_classes_per_detection %d: fast non-maximum suppression wants at least 1", o.maxClassesPerDetection)
	}
	if !o.regularNMS || o.numClasses > 0 {
		if !(o.iouThreshold > 0 && o.iouThreshold <= 1) {
			return fmt.Errorf("nms_iou_threshold %g is not in (0, 1]", o.iouThreshold)
		}
	}
	return nil
}

// allocate sizes the working storage by the inputs and records TFLM's
// scratch capacities.
func (k *detectionKernel) allocate() {
	o, nb := k.opts, k.numBoxes
	k.capacity = detectionCapacity{
		sortedIndices: scratchElems(o.maxDetections * nb),
		boxIndices:    scratchElems(max(o.numClasses, o.maxDetections) * nb),
		selected:      scratchElems(min(nb, o.maxDetections) * nb),
	}
	k.decoded = make([]float32, 4*nb)
	k.scores = make([]float32, k.classes.elems)
	k.classScores = make([]float32, nb)
	k.keep = make([]int, 0, nb)
	k.active = make([]bool, nb)
	k.selected = make([]int, 0, nb)
	if o.regularNMS {
		// At most max_detections kept and one class's selections.
		n := min(o.maxDetections, k.capacity.sortedIndices) + nb
		k.kept, k.keptScores = make([]int, 0, n), make([]float32, 0, n)
		k.order = make([]int, n)
		k.sortedKept, k.sortedScores = make([]int, n), make([]float32, n)
	} else {
		k.classIndices = make([]int, nb*o.numClasses)
	}
}

// run evaluates the kernel: decode, then one of the two suppressions.
func (k *detectionKernel) run(mem [][]byte) {
	k.decode(mem)
	decodeFloats(mem[k.classes.index], k.scores)
	var err error
	if k.opts.regularNMS {
		err = k.regular(mem)
	} else {
		err = k.fast(mem)
	}
	if err != nil {
		k.n.runFail(err)
	}
}

// decode turns each center-size encoding into a corner box, computing in
// double as TFLM does (explicit conversions keep Go from fusing the
// multiply-adds).
func (k *detectionKernel) decode(mem [][]byte) {
	boxes, anchors := mem[k.boxes.index], mem[k.anchors.index]
	s := k.opts.scale
	for i := range k.numBoxes {
		var b, a [4]float64 // y, x, h, w
		for c := range 4 {
			b[c] = float64(getFloat(boxes, i*k.boxStride+c))
			a[c] = float64(getFloat(anchors, 4*i+c))
		}
		yCenter := float32(float64(b[0]/float64(s[0])*a[2]) + a[0])
		xCenter := float32(float64(b[1]/float64(s[1])*a[3]) + a[1])
		halfH := float32(0.5 * math.Exp(b[2]/float64(s[2])) * a[2])
		halfW := float32(0.5 * math.Exp(b[3]/float64(s[3])) * a[3])
		k.decoded[4*i] = yCenter - halfH
		k.decoded[4*i+1] = xCenter - halfW
		k.decoded[4*i+2] = yCenter + halfH
		k.decoded[4*i+3] = xCenter + halfW
	}
}

// getFloat reads float32 element i.
func getFloat(b []byte, i int) float32 { return math.Float32frombits(getUint32(b, i)) }

// putFloat writes float32 element i.
func putFloat(b []byte, i int, v float32) { putUint32(b, i, math.Float32bits(v)) }

// validBoxes is TFLM's ValidateBoxes: every box has ymin < ymax and
// xmin < xmax (or a NaN, which no comparison fails).
func (k *detectionKernel) validBoxes() error {
	for i := range k.numBoxes {
		b := k.decoded[4*i : 4*i+4]
		if b[0] >= b[2] || b[1] >= b[3] {
			return fmt.Errorf("decoded box %d (%g, %g, %g, %g) has ymin >= ymax or xmin >= xmax", i, b[0], b[1], b[2], b[3])
		}
	}
	return nil
}

// iou is TFLM's ComputeIntersectionOverUnion of boxes i and j, in float32
// with std::max and std::min's comparisons.
func (k *detectionKernel) iou(i, j int) float32 {
	bi, bj := k.decoded[4*i:4*i+4], k.decoded[4*j:4*j+4]
	areaI := float32((bi[2] - bi[0]) * (bi[3] - bi[1]))
	areaJ := float32((bj[2] - bj[0]) * (bj[3] - bj[1]))
	if areaI <= 0 || areaJ <= 0 {
		return 0
	}
	yMin, xMin := cMax(bi[0], bj[0]), cMax(bi[1], bj[1])
	yMax, xMax := cMin(bi[2], bj[2]), cMin(bi[3], bj[3])
	inter := float32(cMax(yMax-yMin, 0) * cMax(xMax-xMin, 0))
	return inter / (float32(areaI+areaJ) - inter)
}

// cMax and cMin are std::max and std::min: the first argument unless the
// comparison picks the second, so NaNs pass through as C++ passes them.
func cMax(a, b float32) float32 {
	if a < b {
		return b
	}
	return a
}

func cMin(a, b float32) float32 {
	if b < a {
		return b
	}
	return a
}

// suppress is TFLM's NonMaxSuppressionSingleClassHelper: of the boxes
// scoring at least the threshold, best first (a stable sort: TFLM's merge
// sort keeps equal scores in box order), it selects up to limit boxes,
// each dropping the later ones it overlaps by more than the IoU threshold.
// It leaves the selected box indices in k.selected.
func (k *detectionKernel) suppress(scores []float32, limit int) error {
	if err := k.validBoxes(); err != nil {
		return err
	}
	k.keep = k.keep[:0]
	for i, s := range scores[:k.numBoxes] {
		if s >= k.opts.scoreThreshold {
			k.keep = append(k.keep, i)
		}
	}
	if len(k.keep) > k.capacity.sortedIndices {
		return fmt.Errorf("%d boxes pass the score threshold: TFLM sorts them in a scratch buffer of %d (max_detections %d times %d boxes)", len(k.keep), k.capacity.sortedIndices, k.opts.maxDetections, k.numBoxes)
	}
	slices.SortStableFunc(k.keep, func(a, b int) int { return cmp.Compare(scores[b], scores[a]) })
	k.selected = k.selected[:0]
	outputSize := min(len(k.keep), limit)
	remaining := len(k.keep)
	active := k.active[:len(k.keep)]
	for i := range active {
		active[i] = true
	}
	for i, box := range k.keep {
		if remaining == 0 || len(k.selected) >= outputSize {
			break
		}
		if !active[i] {
			continue
		}
		if len(k.selected) == k.capacity.selected {
			return fmt.Errorf("TFLM selects more than %d boxes in a scratch buffer of %d", len(k.selected), k.capacity.selected)
		}
		k.selected = append(k.selected, box)
		active[i] = false
		remaining--
		for j := i + 1; j < len(k.keep); j++ {
			if active[j] && k.iou(box, k.keep[j]) > k.opts.iouThreshold {
				active[j] = false
				remaining--
			}
		}
	}
	return nil
}

// regular is TFLM's NonMaxSuppressionMultiClassRegularHelper: suppression
// per class, then the best max_detections of all classes' selections, ties
// to the earlier (class-box) index; the outputs beyond them are zero.
func (k *detectionKernel) regular(mem [][]byte) error {
	o := k.opts
	k.kept, k.keptScores = k.kept[:0], k.keptScores[:0]
	for class := range o.numClasses {
		for row := range k.numBoxes {
			k.classScores[row] = k.scores[row*k.withBackgnd+class+k.labelOffset]
		}
		if err := k.suppress(k.classScores, o.detectionsPerClass); err != nil {
			return err
		}
		if n := len(k.kept) + len(k.selected); n > k.capacity.sortedIndices || n > k.capacity.boxIndices {
			return fmt.Errorf("%d detections overflow TFLM's scratch buffers of %d and %d (max_detections %d, %d boxes)", n, k.capacity.sortedIndices, k.capacity.boxIndices, o.maxDetections, k.numBoxes)
		}
		for _, box := range k.selected {
			k.kept = append(k.kept, box*k.withBackgnd+class+k.labelOffset)
			k.keptScores = append(k.keptScores, k.classScores[box])
		}
		// The best max_detections so far, in order.
		order := k.order[:len(k.kept)]
		sorted := min(len(order), o.maxDetections)
		decreasingPartialArgSort(k.keptScores, order, sorted)
		kept, scores := k.sortedKept[:sorted], k.sortedScores[:sorted]
		for i, p := range order[:sorted] {
			kept[i], scores[i] = k.kept[p], k.keptScores[p]
		}
		k.kept, k.keptScores = append(k.kept[:0], kept...), append(k.keptScores[:0], scores...)
	}
	boxes, classes, scores := mem[k.outBoxes.index], mem[k.outClasses.index], mem[k.outScores.index]
	for i := range o.maxDetections {
		var box [4]float32
		var class, score float32
		if i < len(k.kept) {
			anchor := k.kept[i] / k.withBackgnd
			copy(box[:], k.decoded[4*anchor:])
			class = float32(k.kept[i] - anchor*k.withBackgnd - k.labelOffset)
			score = k.keptScores[i]
		}
		for c, v := range box {
			putFloat(boxes, 4*i+c, v)
		}
		putFloat(classes, i, class)
		putFloat(scores, i, score)
	}
	putFloat(mem[k.outNumber.index], 0, float32(len(k.kept)))
	return nil
}

// fast is TFLM's NonMaxSuppressionMultiClassFastHelper: each anchor's best
// max_classes_per_detection classes, one suppression over the anchors'
// best scores, then every selected anchor's classes. TFLM advances its
// output position per class, not per anchor, so an anchor's classes land
// at k*position+class with position counting classes already written:
// with more than one class they spread out, leaving outputs unwritten in
// between and reaching beyond k times the selections. Like TFLM, it leaves
// the outputs it does not write as they were.
func (k *detectionKernel) fast(mem [][]byte) error {
	o := k.opts
	perAnchor := min(o.maxClassesPerDetection, o.numClasses)
	for row := range k.numBoxes {
		boxScores := k.scores[row*k.withBackgnd+k.labelOffset:][:o.numClasses]
		order := k.classIndices[row*o.numClasses:][:o.numClasses]
		decreasingPartialArgSort(boxScores, order, perAnchor)
		k.classScores[row] = boxScores[order[0]]
	}
	if err := k.suppress(k.classScores, o.maxDetections); err != nil {
		return err
	}
	boxes, classes, scores := mem[k.outBoxes.index], mem[k.outClasses.index], mem[k.outScores.index]
	room := min(k.outBoxes.elems/4, k.outClasses.elems, k.outScores.elems)
	written := 0
	for _, anchor := range k.selected {
		boxScores := k.scores[anchor*k.withBackgnd+k.labelOffset:]
		order := k.classIndices[anchor*o.numClasses:]
		for col := range perAnchor {
			at := perAnchor*written + col
			if at >= room {
				return fmt.Errorf("TFLM writes detection %d past outputs of shapes %v, %v, %v", at, k.outBoxes.shape, k.outClasses.shape, k.outScores.shape)
			}
			for c := range 4 {
				putFloat(boxes, 4*at+c, k.decoded[4*anchor+c])
			}
			putFloat(classes, at, float32(order[col]))
			putFloat(scores, at, boxScores[order[col]])
			written++
		}
	}
	putFloat(mem[k.outNumber.index], 0, float32(written))
	return nil
}
