package tensorplan

// Linear is TFLM's LinearMemoryPlanner: every buffer gets bytes of its own,
// one after another in input order, with no reuse. It is the upper end of
// the scale the other planners are measured on. Unlike TFLM's, which rejects
// offline-planned buffers, it keeps fixed buffers at their offsets and
// stacks the others above the highest fixed end.
type Linear struct{}

// Name returns "linear".
func (Linear) Name() string { return "linear" }

// Plan places buffers one after another.
func (Linear) Plan(buffers []Buffer) (Plan, error) {
	if err := checkBuffers(buffers); err != nil {
		return Plan{}, err
	}
	offsets := make([]int64, len(buffers))
	var next int64
	for i := range buffers {
		if b := &buffers[i]; b.Fixed >= 0 {
			offsets[i] = b.Fixed
			next = max(next, b.Fixed+b.Size)
		}
	}
	for i := range buffers {
		if b := &buffers[i]; b.Fixed < 0 {
			offsets[i] = next
			next += b.Size
		}
	}
	return provenPlan(offsets, arenaEnd(buffers, offsets), LowerBound(buffers), 0), nil
}
