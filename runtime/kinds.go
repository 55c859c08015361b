package runtime

import (
	"errors"
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// elemKind is a tensor's element type.
type elemKind = tflite.TensorType

// Element types the kernels handle.
const (
	kindFloat32 = tflite.Float32
	kindFloat16 = tflite.Float16
	kindFloat64 = tflite.Float64
	kindInt8    = tflite.Int8
	kindUint8   = tflite.Uint8
	kindInt16   = tflite.Int16
	kindUint16  = tflite.Uint16
	kindInt32   = tflite.Int32
	kindUint32  = tflite.Uint32
	kindInt64   = tflite.Int64
	kindUint64  = tflite.Uint64
	kindBool    = tflite.Bool
)

// errUnsupported marks a kernel's refusal of a variant it does not
// implement (element types, options), as opposed to a malformed model.
var errUnsupported = errors.New("not supported")

// unsupportedf returns an error wrapping errUnsupported.
func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUnsupported}, args...)...)
}
