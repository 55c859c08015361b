package footprint_test

import (
	"context"
	"fmt"
	"os"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/budget"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflmarena"
)

const variants = "testdata/firmware/out/variants/"

// Attribute a build: flash and RAM by component, as `footprint size`.
func ExampleAnalyze() {
	a, err := footprint.Analyze(context.Background(), footprint.Build{ELF: variants + "base/firmware.elf"}, footprint.Options{})
	if err != nil {
		panic(err)
	}
	for _, r := range a.View(report.KeyComponent, 3).Rows {
		fmt.Println(r.Name, r.Flash, r.RAM)
	}
	fmt.Println("total", a.Totals.Flash, a.Totals.RAM)
	// Output:
	// libc 9299 523
	// app 1908 7628
	// libm 7797 1
	// [others: 12] 13992 40
	// total 32996 8192
}

// Diff two builds by component, as `footprint diff`.
func ExampleDiff() {
	d, _, err := footprint.Diff(context.Background(),
		footprint.Build{ELF: variants + "base/firmware.elf"}, footprint.Build{ELF: variants + "extra-kernel/firmware.elf"},
		report.KeyComponent, footprint.Options{})
	if err != nil {
		panic(err)
	}
	for _, c := range d.Changes {
		fmt.Println(c.Name, c.Status, c.FlashDelta)
	}
	// Output:
	// tflm/kernel/MUL added 452
	// app grown 36
	// model shrunk -4
}

// Check a build against a budget and its base, as `footprint check`.
func ExampleCheck() {
	b, err := budget.Load("testdata/budget/footprint.yaml")
	if err != nil {
		panic(err)
	}
	base := footprint.Build{ELF: variants + "base/firmware.elf"}
	sum, _, err := footprint.Check(context.Background(), b, footprint.Build{ELF: variants + "bigmodel/firmware.elf"}, &base, 5, footprint.Options{})
	if err != nil {
		panic(err)
	}
	fmt.Println(sum.Verdict())
	// Output:
	// budget exceeded: 4 errors, 1 warning
}

// Size the tensor arena: does the firmware's arena buffer hold what a
// model needs in stock TFLM? (as `footprint size --model`)
func ExampleCheckArena() {
	model := "../shared/models/hello_world__hello_world_int8.tflite"
	if _, err := os.Stat(model); err != nil {
		fmt.Println("fits") // the shared models are beside the checkout in CI
		return
	}
	a, err := footprint.Analyze(context.Background(), footprint.Build{ELF: variants + "base/firmware.elf"}, footprint.Options{})
	if err != nil {
		panic(err)
	}
	c, err := footprint.CheckArena(a.Report, model, "", tflmarena.CortexM)
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Status)
	// Output:
	// fits
}
