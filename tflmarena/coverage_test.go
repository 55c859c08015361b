package tflmarena

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/footprint-dev/footprint/tflite"
)

func TestModelled(t *testing.T) {
	assert.True(t, Modelled(tflite.OpCode{Builtin: tflite.OpConv2D}))
	assert.True(t, Modelled(tflite.OpCode{Builtin: tflite.OpCustom, Custom: "SignalRfft"}))
	assert.False(t, Modelled(tflite.OpCode{Builtin: tflite.OpCustom, Custom: "ethos-u"}))
	assert.False(t, Modelled(tflite.OpCode{Builtin: tflite.OpCustom, Custom: "CONV_2D"}))
}
