package callgraph

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestARMAttributes(t *testing.T) {
	p, err := Open(firmware(t, "cortex-m4f"))
	require.NoError(t, err)
	assert.Equal(t, "7E-M", p.CPU)
	assert.True(t, p.FPU)
	p, err = Open(firmware(t, "cortex-m0plus"))
	require.NoError(t, err)
	assert.False(t, p.FPU)
}

// FuzzARMAttributes: any bytes parse to some attributes, without panicking.
func FuzzARMAttributes(f *testing.F) {
	// "A", a 0x1d-byte "aeabi" subsection with a Tag_File holding
	// Tag_CPU_name "7E-M" and Tag_FP_arch 4.
	f.Add([]byte("A\x1d\x00\x00\x00aeabi\x00\x01\x13\x00\x00\x00\x057E-M\x00\x0a\x04\x06\x0d"))
	f.Add([]byte("A\xff\xff\xff\xff"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		parseARMAttributes(data)
	})
}
