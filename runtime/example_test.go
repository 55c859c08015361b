package runtime_test

import (
	"fmt"
	"os"

	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tflite"
)

// Example verifies a hand-written plan for hello_world: the three layers'
// outputs take turns in two 16-byte slots.
func Example() {
	data, err := os.ReadFile("../../shared/models/hello_world__hello_world_int8.tflite")
	if err != nil {
		fmt.Println("shared models not available")
		return
	}
	model, err := tflite.Parse(data)
	if err != nil {
		panic(err)
	}
	in, err := runtime.New(model)
	if err != nil {
		panic(err)
	}
	// Tensor 0 is the input, 7 and 8 the hidden layers, 9 the output.
	layout := &runtime.Layout{ArenaBytes: 32, Tensors: []runtime.Placement{
		{Tensor: 0, Offset: 16}, {Tensor: 7, Offset: 0}, {Tensor: 8, Offset: 16}, {Tensor: 9, Offset: 0},
	}}
	res, err := runtime.Verify(in, layout, [][]byte{{3}})
	if err != nil {
		panic(err)
	}
	fmt.Println("pass:", res.Pass, "ops:", res.OpsRun, "output:", res.Outputs[0])

	// Moving the second layer's output onto the first's, which the second
	// layer is still reading, fails.
	layout.Tensors[2].Offset = 0
	res, err = runtime.Verify(in, layout, [][]byte{{3}})
	if err != nil {
		panic(err)
	}
	fmt.Println("pass:", res.Pass, "clobber:", res.Clobber.Tensor, "by operator", res.Clobber.Op)
	// Output:
	// pass: true ops: 3 output: [254]
	// pass: false clobber: 7 by operator 1
}
