package main

import (
	"fmt"
	"io"
	"runtime/debug"

	"github.com/spf13/cobra"

	"github.com/footprint-dev/footprint/tflmarena"
)

func newVersionCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "version",
		Short: "Print footprint's module version and the TFLM commit its arena model follows",
		Args:  cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error {
			_, err := fmt.Fprintf(stdout, "footprint %s\ntflite-micro %s (arena model)\ncmsis-nn %s\n", moduleVersion(), tflmarena.TFLMCommit, tflmarena.CMSISNNCommit)
			return err
		},
	}
}

// moduleVersion is the version `go install ...@version` built, "(devel)"
// for a build from a checkout (with its VCS revision when Go recorded one).
func moduleVersion() string {
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	v := info.Main.Version
	if v == "" || v == "(devel)" {
		v = "(devel)"
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				v += " " + s.Value[:12]
			}
		}
	}
	return v
}
