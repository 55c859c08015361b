package stack

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"go.yaml.in/yaml/v3"
)

// Facts are what a user knows about the program that its machine code does
// not say, read from a calls file:
//
//	calls:              # the possible targets of a function's indirect calls
//	  main: [fp_target]
//	recursion:          # at most this many activations on one path
//	  rec: 11
//	interrupts:
//	  nesting: 2        # how many handlers may be active at once (default 1; 0: none)
//
// Names are symbol names, mangled or demangled.
type Facts struct {
	Calls      map[string][]string `yaml:"calls"`
	Recursion  map[string]int      `yaml:"recursion"`
	Interrupts struct {
		Nesting *int `yaml:"nesting"`
	} `yaml:"interrupts"`
}

// ParseFacts reads a calls file; unknown keys are errors, so a typo does
// not silently drop a fact.
func ParseFacts(data []byte) (*Facts, error) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var f Facts
	if err := dec.Decode(&f); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("calls file: %w", err)
	}
	if n := f.Interrupts.Nesting; n != nil && *n < 0 {
		return nil, fmt.Errorf("calls file: interrupts: nesting must be at least 0, not %d", *n)
	}
	return &f, nil
}
