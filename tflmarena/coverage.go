package tflmarena

import "github.com/footprint-dev/footprint/tflite"

// Modelled reports whether the arena model knows what the reference kernel
// of the operator allocates (its OpData, Prepare's persistent buffers and
// scratch requests), so that EstimateArena is exact, not a lower bound,
// for a model made of such operators.
func Modelled(code tflite.OpCode) bool {
	o := Op{Builtin: code.Builtin}
	if code.Builtin == tflite.OpCustom {
		o.Custom = code.Custom
	}
	_, ok := kernels[o]
	return ok
}
