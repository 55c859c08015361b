package main

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/footprint-dev/footprint/tflmarena"
)

func TestVersion(t *testing.T) {
	code, out, _ := runCLI("version")
	assert.Equal(t, exitOK, code)
	assert.Contains(t, out, "footprint ")
	assert.Contains(t, out, "tflite-micro "+tflmarena.TFLMCommit)
}
