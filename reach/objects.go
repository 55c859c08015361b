package reach

import (
	"path"
	"sort"

	"github.com/footprint-dev/footprint/linkmap"
)

// Objects names the object file that each address of an image came from,
// from its linker map.
type Objects struct {
	inputs []linkmap.InputSection // allocated, non-fill, by address
}

// NewObjects indexes the input sections of a linker map.
func NewObjects(m *linkmap.Map) *Objects {
	o := &Objects{}
	for _, os := range m.OutputSections {
		for _, in := range os.Inputs {
			if !in.Fill && in.Size > 0 && in.Object != "" {
				o.inputs = append(o.inputs, in)
			}
		}
	}
	sort.SliceStable(o.inputs, func(i, j int) bool { return o.inputs[i].Addr < o.inputs[j].Addr })
	return o
}

// At returns the object holding addr, as "libx.a(member.o)" or the object
// file's base name, or "".
func (o *Objects) At(addr uint64) string {
	if o == nil {
		return ""
	}
	i := sort.Search(len(o.inputs), func(i int) bool { return o.inputs[i].Addr > addr }) - 1
	if i < 0 || addr-o.inputs[i].Addr >= o.inputs[i].Size {
		return ""
	}
	in := o.inputs[i]
	if in.Archive != "" {
		return path.Base(in.Archive) + "(" + in.Member + ")"
	}
	return path.Base(in.Object)
}
