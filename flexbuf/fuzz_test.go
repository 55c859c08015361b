package flexbuf

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/footprint-dev/footprint/internal/sharedtest"
	"github.com/footprint-dev/footprint/tflite"
)

// FuzzRoot reads everything reachable from the root of arbitrary bytes:
// malformed input must give errors, never a panic or a hang. The seeds
// are the custom options of every operator in the shared models, plus
// small hand-made buffers of each kind.
func FuzzRoot(f *testing.F) {
	if dir := sharedtest.Find(); dir != "" {
		paths, _ := filepath.Glob(filepath.Join(dir, "models", "*.tflite"))
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				continue
			}
			model, err := tflite.Parse(data)
			if err != nil {
				continue
			}
			for _, g := range model.Subgraphs {
				for _, op := range g.Operators {
					if len(op.CustomOptions) > 0 {
						f.Add(op.CustomOptions)
					}
				}
			}
		}
	}
	for _, seed := range [][]byte{
		{1, byte(TypeBool) << 2, 1},
		{0x34, 0x12, byte(TypeUint) << 2, 2},
		{3, 0, 3, 0, 0xff, 0xff, 5, 0, 6, byte(TypeVectorInt)<<2 | 1, 1},
		{0xd4, 0xfe, 2, 4, 4, byte(TypeInt) << 2, byte(TypeIndirectInt)<<2 | 1, 4, byte(TypeVector) << 2, 1},
		{2, 'h', 'i', 0, 3, byte(TypeString) << 2, 1},
		{0, 0, 1, 0, 0, byte(TypeMap) << 2, 1},
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		root, err := Root(data)
		if err != nil {
			return
		}
		budget := 10000
		_ = walk(root, &budget)
		if m, err := root.Map(); err == nil {
			_, _, _ = m.Get("num_channels")
		}
	})
}
