package tflmarena

// Byte-level conflicts between a kernel's persistent buffers and its live
// temporaries.
//
// TFLM's AllocatePersistentBuffer checks the tail against the head only,
// not against the temporaries above it, so a kernel that allocates
// persistent buffers while its temporary TfLiteTensors are live may
// overwrite them. Whether that breaks anything depends on the bytes: a
// temporary's field the kernel (or DeallocateTempTfLiteTensor) reads after
// a persistent write landed on it, or a persistent field Eval needs that
// a later write to a temporary (the deallocation clears four of its
// fields) landed on. Everything else may overlap, so the smallest working
// arena is often well inside the temporaries, and a slightly larger arena
// can fail where a field moves under a write.

// Field is a field's byte range in a struct: offset and size.
type Field struct {
	Offset, Size int64
}

// StructFields are fields of TFLM's runtime structs (TF_LITE_STATIC_MEMORY)
// whose bytes the conflict models name. They are offsetof/sizeof probes
// compiled against TFLM's tensorflow/lite/c/common.h with
// -DTF_LITE_STATIC_MEMORY by host g++ 12.2 and arm-none-eabi-g++ 12.2
// -mcpu=cortex-m4, as for the sizes: offsetof(TfLiteTensor, F) for F in
// quantization.type, quantization.params, params.zero_point, data, dims,
// type; offsetof(TfLiteAffineQuantization, zero_point);
// offsetof(TfLiteEvalTensor, F) for data, dims, type; and sizeof of
// TfLiteType (one byte with the Cortex-M's short enums) and
// TfLiteQuantizationType (four on both).
type StructFields struct {
	// TfLiteTensor: quantization (its type and params pointer), its
	// type alone, params.zero_point, data, dims and type.
	TensorQuantization, TensorQuantizationType, TensorZeroPoint Field
	TensorData, TensorDims, TensorType                          Field
	// TfLiteAffineQuantization's zero_point pointer.
	AffineZeroPoint Field
	// TfLiteEvalTensor: data, dims and type.
	EvalData, EvalDims, EvalType Field
}

// cortexMFields and host64Fields are the probes' offsets and sizes.
var (
	cortexMFields = StructFields{
		TensorQuantization: Field{0, 8}, TensorQuantizationType: Field{0, 4}, TensorZeroPoint: Field{12, 4},
		TensorData: Field{16, 4}, TensorDims: Field{20, 4}, TensorType: Field{28, 1},
		AffineZeroPoint: Field{4, 4},
		EvalData:        Field{0, 4}, EvalDims: Field{4, 4}, EvalType: Field{8, 1},
	}
	host64Fields = StructFields{
		TensorQuantization: Field{0, 16}, TensorQuantizationType: Field{0, 4}, TensorZeroPoint: Field{20, 4},
		TensorData: Field{24, 8}, TensorDims: Field{32, 8}, TensorType: Field{48, 4},
		AffineZeroPoint: Field{8, 8},
		EvalData:        Field{0, 8}, EvalDims: Field{8, 8}, EvalType: Field{16, 4},
	}
)

// Parts of a temporary tensor's allocation (builder.tempTensor): the
// TfLiteTensor, its TfLiteAffineQuantization and its zero-point array. A
// persistent step has only the first.
const (
	partStruct = iota
	partQuantization
	partZeroPoints
)

// region is a byte range of one part of a step's allocation.
type region struct {
	step, part int
	lo, hi     int64
}

// fieldOf is the region of field f of part part of step i.
func fieldOf(i, part int, f Field) region {
	return region{step: i, part: part, lo: f.Offset, hi: f.Offset + f.Size}
}

// stepConflict is a persistent region and a temporary region that must
// not overlap.
type stepConflict struct {
	persistent, temp region
}

// accessKind is what a kernel does to a region after its temporaries are
// allocated.
type accessKind int

const (
	// writePersistent: the kernel writes a persistent buffer's bytes.
	writePersistent accessKind = iota
	// readTemp: the kernel or the deallocation reads a temporary's bytes
	// and fails (or crashes) on a wrong value.
	readTemp
	// writeTemp: the kernel or the deallocation writes a temporary's
	// bytes.
	writeTemp
	// needPersistent: the persistent bytes must keep what Prepare wrote
	// (Eval reads them).
	needPersistent
)

// access is one access of a region, in the kernel's order.
type access struct {
	kind accessKind
	r    region
}

// conflictsOf derives the step of a kernel's accesses: a temporary's
// region read after a persistent write must not lie under it, and a
// persistent region needed afterwards must not lie under a write to a
// temporary.
func conflictsOf(accesses []access) step {
	var out []stepConflict
	for i, a := range accesses {
		switch a.kind {
		case readTemp:
			for _, w := range accesses[:i] {
				if w.kind == writePersistent {
					out = append(out, stepConflict{persistent: w.r, temp: a.r})
				}
			}
		case writeTemp:
			for _, n := range accesses {
				if n.kind == needPersistent {
					out = append(out, stepConflict{persistent: n.r, temp: a.r})
				}
			}
		}
	}
	return step{kind: stepConflicts, conflicts: out, what: "live temporaries"}
}

// resolveConflicts turns the regions of a kernel's step conflicts into
// event conflicts, given the events of each step. A region of a part the
// allocation lacks (an unquantised temporary's quantisation) is dropped.
func resolveConflicts(cs []stepConflict, stepEvents [][]int) []conflict {
	event := func(r region) (int, bool) {
		if r.step < 0 || r.step >= len(stepEvents) || r.part >= len(stepEvents[r.step]) {
			return 0, false
		}
		return stepEvents[r.step][r.part], true
	}
	var out []conflict
	for _, c := range cs {
		p, okP := event(c.persistent)
		t, okT := event(c.temp)
		if okP && okT {
			out = append(out, conflict{persistent: p, temp: t,
				pLo: c.persistent.lo, pHi: c.persistent.hi, tLo: c.temp.lo, tHi: c.temp.hi})
		}
	}
	return out
}
