package main

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/runtime"
	"github.com/footprint-dev/footprint/tflite"
)

// runOptions are the flags of `footprint run`.
type runOptions struct {
	model string
	inputOptions
	format string
	output string // -o: write here instead of stdout
}

func newRunCmd(stdout io.Writer) *cobra.Command {
	var o runOptions
	cmd := &cobra.Command{
		Use:   "run MODEL",
		Short: "Run a model once on the host with TFLM's reference arithmetic and print its outputs",
		Long: `run executes MODEL once with footprint's reference interpreter, whose integer
arithmetic is bit-identical to TFLM's reference kernels, and prints every
output tensor: its name, type, shape, quantisation and bytes, so that a
quantised model can be checked on the host and compared with the device.

Inputs are --input FILE (all inputs' raw bytes, concatenated), random bytes
from --seed N, or by default the oracle pattern that verify uses (byte i of
each input is (i*7+3) mod 256).

--format hex (the default) prints each output's bytes as a hex dump;
--format json also gives the values, dequantised for quantised tensors.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			o.model = args[0]
			if err := o.inputOptions.parse(cmd); err != nil {
				return err
			}
			if o.format != "hex" && o.format != "json" {
				return fmt.Errorf("--format %q: want hex or json", o.format)
			}
			return runRun(stdout, cmd.ErrOrStderr(), o)
		},
	}
	o.inputOptions.addFlags(cmd)
	cmd.Flags().StringVar(&o.format, "format", "hex", "output format: hex|json")
	cmd.Flags().StringVarP(&o.output, "output", "o", "", "write the outputs to this file instead of stdout")
	return cmd
}

// loadInterpreter reads the model file (warning on stderr as
// readModelFile does) and prepares the runtime's interpreter for it.
func loadInterpreter(stderr io.Writer, file string) (*tflite.Model, *runtime.Interpreter, error) {
	model, err := readModelFile(stderr, file)
	if err != nil {
		return nil, nil, err
	}
	interp, err := runtime.New(model)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", file, err)
	}
	return model, interp, nil
}

// runRun runs the model once and writes its outputs.
func runRun(stdout, stderr io.Writer, o runOptions) error {
	_, interp, err := loadInterpreter(stderr, o.model)
	if err != nil {
		return err
	}
	inputs, source, err := verifyInputs(o.inputOptions, interp.InputBytes())
	if err != nil {
		return err
	}
	outs, invocations, err := interp.RunToEnd(inputs)
	if err != nil {
		return fmt.Errorf("%s: %w", o.model, err)
	}
	var buf bytes.Buffer
	if o.format == "json" {
		err = writeRunJSON(&buf, o.model, source, invocations, outs)
	} else {
		writeRunHex(&buf, o.model, source, invocations, outs)
	}
	if err != nil {
		return err
	}
	if o.output != "" {
		return os.WriteFile(o.output, buf.Bytes(), 0o644)
	}
	_, err = stdout.Write(buf.Bytes())
	return err
}

// writeRunHex writes each output's description and a hex dump of its
// bytes, 16 to a line behind their offset.
func writeRunHex(w io.Writer, model, source string, invocations int, outs []runtime.Output) {
	fmt.Fprintf(w, "model   %s\n", filepath.Base(model))
	fmt.Fprintf(w, "inputs  %s\n", source)
	if invocations > 1 {
		fmt.Fprintf(w, "invoked %d times on these inputs: a streaming operator (CIRCULAR_BUFFER) ended the first %d early, as TFLM's Invoke does with kTfLiteAbort\n", invocations, invocations-1)
	}
	for k, o := range outs {
		fmt.Fprintf(w, "output %d: tensor %d %q %s%s, %s\n", k, o.Tensor, o.Name, tensorTypeShape(o), quantText(o), verifyCount(len(o.Data), "byte"))
		for off := 0; off < len(o.Data); off += 16 {
			line := o.Data[off:min(off+16, len(o.Data))]
			var sb strings.Builder
			for i, b := range line {
				if i > 0 {
					sb.WriteByte(' ')
				}
				sb.WriteString(hex.EncodeToString([]byte{b}))
			}
			fmt.Fprintf(w, "  %06x  %s\n", off, sb.String())
		}
	}
}

// tensorTypeShape formats a type and shape as INT8[1,96,96,1].
func tensorTypeShape(o runtime.Output) string {
	dims := make([]string, len(o.Shape))
	for i, d := range o.Shape {
		dims[i] = strconv.Itoa(d)
	}
	return o.Type.String() + "[" + strings.Join(dims, ",") + "]"
}

// quantText describes an output's quantisation: " scale S zero point Z",
// " per-channel (N scales along dimension D)", or nothing.
func quantText(o runtime.Output) string {
	switch {
	case len(o.Scale) == 0:
		return ""
	case len(o.Scale) > 1:
		return fmt.Sprintf(" per-channel (%d scales along dimension %d)", len(o.Scale), o.QuantizedDimension)
	}
	zero := int64(0)
	if len(o.ZeroPoint) > 0 {
		zero = o.ZeroPoint[0]
	}
	return fmt.Sprintf(" scale %g zero point %d", o.Scale[0], zero)
}

// runJSON is the document of `run --format json`.
type runJSON struct {
	Schema string `json:"schema"`
	Model  string `json:"model"`
	Inputs string `json:"inputs"`
	// Invocations is how many invocations the run took (more than one
	// when a streaming operator ended the first ones early).
	Invocations int             `json:"invocations"`
	Outputs     []runOutputJSON `json:"outputs"`
}

// runOutputJSON is one output tensor.
type runOutputJSON struct {
	Index        int           `json:"index"`
	Tensor       int           `json:"tensor"`
	Name         string        `json:"name"`
	Type         string        `json:"type"`
	Shape        []int         `json:"shape"`
	Bytes        int           `json:"bytes"`
	Quantization *runQuantJSON `json:"quantization,omitempty"`
	Hex          string        `json:"hex"`
	// Values are the elements, dequantised when the tensor is quantised;
	// absent for types without a numeric reading.
	Values []jsonNumber `json:"values,omitempty"`
}

// runQuantJSON is an output's quantisation.
type runQuantJSON struct {
	Scale              []float32 `json:"scale"`
	ZeroPoint          []int64   `json:"zero_point"`
	QuantizedDimension int       `json:"quantized_dimension"`
}

// jsonNumber is a float64 that JSON can carry when it is not finite: NaN
// and the infinities become the strings "NaN", "+Inf" and "-Inf".
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte(`"` + strconv.FormatFloat(f, 'g', -1, 64) + `"`), nil
	}
	return json.Marshal(f)
}

// writeRunJSON writes the outputs as a footprint.run/v1 document.
func writeRunJSON(w io.Writer, model, source string, invocations int, outs []runtime.Output) error {
	doc := runJSON{Schema: "footprint.run/v1", Model: model, Inputs: source, Invocations: invocations, Outputs: []runOutputJSON{}}
	for k, o := range outs {
		j := runOutputJSON{
			Index: k, Tensor: o.Tensor, Name: o.Name, Type: o.Type.String(), Shape: o.Shape,
			Bytes: len(o.Data), Hex: hex.EncodeToString(o.Data),
		}
		if j.Shape == nil {
			j.Shape = []int{}
		}
		if len(o.Scale) > 0 {
			j.Quantization = &runQuantJSON{Scale: o.Scale, ZeroPoint: o.ZeroPoint, QuantizedDimension: o.QuantizedDimension}
		}
		if values, err := o.Values(); err == nil {
			j.Values = make([]jsonNumber, len(values))
			for i, v := range values {
				j.Values[i] = jsonNumber(v)
			}
		}
		doc.Outputs = append(doc.Outputs, j)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
