package runtime

import (
	"testing"

	"github.com/footprint-dev/footprint/tflite"
)

func TestZZProbe(t *testing.T) {
	for _, c := range tflmCases() {
		model, _ := tflite.Parse(c.model)
		in, err := New(model)
		if err == nil {
			_, err = in.Run(roundInputs(in, c.inputs))
		}
		if err != nil {
			t.Logf("%s: %v", c.name, err)
		}
	}
}
