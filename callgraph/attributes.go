package callgraph

// armAttributes are the build attributes footprint reads from
// .ARM.attributes.
type armAttributes struct {
	cpu    string // Tag_CPU_name
	fpArch uint64 // Tag_FP_arch: 0 without an FPU
}

// The public "aeabi" attribute tags footprint reads; the ABI for the Arm
// Architecture's build attributes document defines them.
const (
	tagFile    = 1
	tagCPUName = 5
	tagFPArch  = 10
)

// parseARMAttributes reads the "aeabi" subsection of an .ARM.attributes
// section: format version 'A', then subsections (length, vendor name,
// sub-subsections of tag/value pairs, ULEB128 tags whose values are ULEB128
// numbers or, for a few tags, NUL-terminated strings). It reads what it can
// and ignores what it does not understand.
func parseARMAttributes(b []byte) armAttributes {
	var out armAttributes
	if len(b) < 1 || b[0] != 'A' {
		return out
	}
	b = b[1:]
	for len(b) >= 4 {
		n := int(uint32(b[0]) | uint32(b[1])<<8 | uint32(b[2])<<16 | uint32(b[3])<<24)
		if n < 4 || n > len(b) {
			return out
		}
		sub := b[4:n]
		b = b[n:]
		vendor, rest, ok := cString(sub)
		if !ok || vendor != "aeabi" {
			continue
		}
		for len(rest) >= 5 {
			tag := rest[0]
			size := int(uint32(rest[1]) | uint32(rest[2])<<8 | uint32(rest[3])<<16 | uint32(rest[4])<<24)
			if size < 5 || size > len(rest) {
				return out
			}
			if tag == tagFile {
				readFileAttributes(rest[5:size], &out)
			}
			rest = rest[size:]
		}
	}
	return out
}

// readFileAttributes reads the tag/value pairs of a Tag_File
// sub-subsection.
func readFileAttributes(b []byte, out *armAttributes) {
	for len(b) > 0 {
		tag, n := uleb128(b)
		if n == 0 {
			return
		}
		b = b[n:]
		// Tags 4, 5, 32 and 65 and odd tags above 32 hold strings.
		if tag == 4 || tag == 5 || tag == 32 || tag == 65 || (tag > 32 && tag%2 == 1) {
			s, rest, ok := cString(b)
			if !ok {
				return
			}
			if tag == tagCPUName {
				out.cpu = s
			}
			b = rest
			continue
		}
		v, n := uleb128(b)
		if n == 0 {
			return
		}
		if tag == tagFPArch {
			out.fpArch = v
		}
		b = b[n:]
	}
}

// cString splits a NUL-terminated string off b.
func cString(b []byte) (string, []byte, bool) {
	for i, c := range b {
		if c == 0 {
			return string(b[:i]), b[i+1:], true
		}
	}
	return "", nil, false
}

// uleb128 decodes an unsigned LEB128 number; n is 0 when b ends first or
// the number does not fit in 64 bits.
func uleb128(b []byte) (v uint64, n int) {
	for i, c := range b {
		if i == 10 {
			return 0, 0
		}
		v |= uint64(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			return v, i + 1
		}
	}
	return 0, 0
}
