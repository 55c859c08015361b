package main

import (
	"errors"
	"io"

	"github.com/spf13/cobra"
)

func newSizeCmd(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:   "size FILE",
		Short: "Attribute every byte of a firmware ELF",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return errors.New("not implemented yet")
		},
	}
}
