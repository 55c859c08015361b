package runtime

import (
	"errors"
	"fmt"
)

// errUnsupported marks a kernel's refusal of a variant it does not
// implement (element types, options), as opposed to a malformed model.
var errUnsupported = errors.New("not supported")

// unsupportedf returns an error wrapping errUnsupported.
func unsupportedf(format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{errUnsupported}, args...)...)
}
