package tflmarena

import (
	"fmt"
	"strings"
)

// KernelSet names the operator kernels TFLM was built with. They decide
// each operator's OpData, the buffers its Prepare keeps and the scratch
// buffers it requests, so the arena depends on them.
type KernelSet string

// Kernel sets.
const (
	// ReferenceKernels are TFLM's portable kernels
	// (tensorflow/lite/micro/kernels/*.cc), the default build.
	ReferenceKernels KernelSet = "reference"
	// CMSISNN is TFLM built with OPTIMIZED_KERNEL_DIR=cmsis_nn: the kernels
	// that have a kernels/cmsis_nn/ version use it and call Arm's CMSIS-NN
	// library, whose buffer sizes depend on the CPU's extension.
	CMSISNN KernelSet = "cmsis-nn"
)

// CMSISNNCommit is the ARM-software/CMSIS-NN commit that TFLM's build
// downloads at TFLMCommit, whose buffer-size formulas the model follows.
const CMSISNNCommit = "4ab83cc3cc98"

// Extension is the Arm instruction-set extension that picks CMSIS-NN's code
// path: the library compiles one of three implementations of most
// functions depending on what the compiler targets (ARM_MATH_DSP from
// __ARM_FEATURE_DSP, ARM_MATH_MVEI from __ARM_FEATURE_MVE), and their
// scratch buffers differ.
type Extension string

// Extensions.
const (
	// NoExtension: plain C (Armv6-M, Armv7-M without DSP).
	NoExtension Extension = "none"
	// DSP: the Armv7E-M/Armv8-M DSP (SIMD) instructions.
	DSP Extension = "dsp"
	// MVE: the M-profile Vector Extension (Helium), integer and float.
	MVE Extension = "mve"
)

// CPU is an Arm Cortex-M core as TFLM and CMSIS-NN see it: the extension
// its default -mcpu enables and which measured core its figures rest on.
type CPU struct {
	// Name is the -mcpu name, e.g. "cortex-m4".
	Name string `json:"name"`
	// Extension is the CMSIS-NN code path arm-none-eabi-gcc's -mcpu=Name
	// selects.
	Extension Extension `json:"extension"`
	// Measured is the core whose TFLM + CMSIS-NN measurement (shared/oracle/
	// cmsis_nn) the figures for this core follow: Name itself when it was
	// measured, else the measured core on the same code path.
	Measured string `json:"measured"`
	// Note says how the figures of a core that was not measured itself
	// relate to the measured one; empty for a measured core.
	Note string `json:"note,omitempty"`
}

// IsMeasured reports whether real TFLM + CMSIS-NN was measured on c.
func (c CPU) IsMeasured() bool { return c.Measured == c.Name }

// basis says what c's CMSIS-NN figures rest on.
func (c CPU) basis() string {
	if c.IsMeasured() {
		return "checked against real TFLM + CMSIS-NN on " + c.Name
	}
	return c.Note
}

// path names the CMSIS-NN code path of extension x.
func (x Extension) path() string {
	switch x {
	case DSP:
		return "DSP path"
	case MVE:
		return "MVE path"
	}
	return "plain-C path"
}

// noExtensionNote says what a core without DSP or MVE shares with the
// measured DSP core and where the two differ.
const noExtensionNote = "modelled from the sources: as the measured cortex-m4, except that int8 depthwise convolution and average pooling request no scratch buffer"

// CPUs lists the Cortex-M cores the --cpu flag knows, smallest first. Every
// one uses the cortex-m ABI (32-bit pointers, GCC's short enums).
func CPUs() []CPU {
	sameAs := func(m string) string {
		return "modelled from the sources: the same code path as the measured " + m
	}
	return []CPU{
		{Name: "cortex-m0plus", Extension: NoExtension, Measured: "cortex-m4", Note: noExtensionNote},
		{Name: "cortex-m3", Extension: NoExtension, Measured: "cortex-m4", Note: noExtensionNote},
		{Name: "cortex-m4", Extension: DSP, Measured: "cortex-m4"},
		{Name: "cortex-m7", Extension: DSP, Measured: "cortex-m4", Note: sameAs("cortex-m4")},
		{Name: "cortex-m33", Extension: DSP, Measured: "cortex-m4", Note: sameAs("cortex-m4")},
		{Name: "cortex-m55", Extension: MVE, Measured: "cortex-m55"},
		{Name: "cortex-m85", Extension: MVE, Measured: "cortex-m55", Note: sameAs("cortex-m55")},
	}
}

// CPUByName returns the core called name ("cortex-m0+" is accepted for
// "cortex-m0plus").
func CPUByName(name string) (CPU, error) {
	want := strings.ReplaceAll(strings.ToLower(name), "+", "plus")
	var names []string
	for _, c := range CPUs() {
		if c.Name == want {
			return c, nil
		}
		names = append(names, c.Name)
	}
	return CPU{}, fmt.Errorf("unknown CPU %q (want %s)", name, strings.Join(names, ", "))
}

// Kernels says which kernels a TFLM build uses: the reference kernels, or
// CMSIS-NN's compiled for one CPU. The zero value is the reference kernels.
type Kernels struct {
	Set KernelSet
	// CPU is the core the build targets; required for CMSIS-NN, whose
	// buffers depend on its extension, and optional (information only) for
	// the reference kernels.
	CPU *CPU
}

// IsCMSISNN reports whether k is a CMSIS-NN build.
func (k Kernels) IsCMSISNN() bool { return k.Set == CMSISNN }

// String describes the build in a few words: "reference kernels" or
// "CMSIS-NN kernels on cortex-m7, DSP path".
func (k Kernels) String() string {
	if !k.IsCMSISNN() {
		if k.CPU != nil {
			return "reference kernels, " + k.CPU.Name
		}
		return "reference kernels"
	}
	return fmt.Sprintf("CMSIS-NN kernels on %s, %s", k.CPU.Name, k.CPU.Extension.path())
}

// ParseKernels resolves the names the CLI takes: set is "reference" (or
// empty) or "cmsis-nn", cpu a name CPUByName knows or empty. CMSIS-NN needs
// a CPU.
func ParseKernels(set, cpu string) (Kernels, error) {
	var k Kernels
	switch KernelSet(strings.ToLower(set)) {
	case "", ReferenceKernels:
		k.Set = ReferenceKernels
	case CMSISNN, "cmsis_nn", "cmsisnn":
		k.Set = CMSISNN
	default:
		return Kernels{}, fmt.Errorf("unknown kernel set %q (want reference or cmsis-nn)", set)
	}
	if cpu != "" {
		c, err := CPUByName(cpu)
		if err != nil {
			return Kernels{}, err
		}
		k.CPU = &c
	}
	if k.IsCMSISNN() && k.CPU == nil {
		return Kernels{}, fmt.Errorf("CMSIS-NN kernels need a CPU: their scratch buffers depend on its extension (want one of %s)", cpuNames())
	}
	return k, nil
}

func cpuNames() string {
	var names []string
	for _, c := range CPUs() {
		names = append(names, c.Name)
	}
	return strings.Join(names, ", ")
}

// WithKernels returns target a built with kernels k. A CPU means a
// Cortex-M core, so it needs the cortex-m ABI.
func (a ABI) WithKernels(k Kernels) (ABI, error) {
	if k.CPU != nil && a.Name != CortexM.Name {
		return ABI{}, fmt.Errorf("%s is a Cortex-M core: it needs target %s, not %s", k.CPU.Name, CortexM.Name, a.Name)
	}
	if k.Set == "" {
		k.Set = ReferenceKernels
	}
	a.Kernels = k
	return a, nil
}

// ParseTarget resolves the CLI's --target, --kernels and --cpu flags into
// a target: the ABI called target built with the kernels and CPU named.
func ParseTarget(target, kernels, cpu string) (ABI, error) {
	abi, err := TargetByName(target)
	if err != nil {
		return ABI{}, err
	}
	k, err := ParseKernels(kernels, cpu)
	if err != nil {
		return ABI{}, err
	}
	return abi.WithKernels(k)
}
