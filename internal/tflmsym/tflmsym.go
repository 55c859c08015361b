// Package tflmsym recognises TFLite Micro's functions by their demangled
// names (without parameter lists): the operator registration functions and
// the interpreter, the only code that calls op kernels' init, prepare,
// invoke and free through their registrations. The stack analysis and the
// op-cost report share it.
package tflmsym

import (
	"regexp"
	"strings"
)

// registerFunc matches tflite::Register_CONV_2D, tflite::Register_FULLY_CONNECTED_INT8.
var registerFunc = regexp.MustCompile(`^tflite::(?:[A-Za-z_]\w*::)*Register_([A-Z][A-Z0-9_]*)$`)

// RegisteredOp returns the operator a registration function registers.
func RegisteredOp(plain string) (op string, ok bool) {
	if m := registerFunc.FindStringSubmatch(plain); m != nil {
		return m[1], true
	}
	return "", false
}

// coreClasses are the runtime's entry classes: the interpreter (with
// MicroInterpreterGraph and MicroInterpreterContext) and the allocator.
var coreClasses = []string{"tflite::MicroInterpreter", "tflite::MicroAllocator::"}

// IsCore reports whether a function belongs to the interpreter or the
// allocator.
func IsCore(plain string) bool {
	for _, c := range coreClasses {
		if strings.HasPrefix(plain, c) {
			return true
		}
	}
	return false
}

// CallsKernels reports whether a function may call an op kernel's entry
// points: only the interpreter and its graph do (not the context it hands
// the kernels, MicroInterpreterContext, whose methods kernels call).
func CallsKernels(plain string) bool {
	return strings.HasPrefix(plain, "tflite::MicroInterpreter::") || strings.HasPrefix(plain, "tflite::MicroInterpreterGraph::")
}
