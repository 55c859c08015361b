package runtime

import (
	"encoding/binary"
	"fmt"

	"github.com/footprint-dev/footprint/tflite"
)

// buildDecode is TFLM's TFLM_DECODE custom operator, which decompresses
// constant tensors: output k is decoded from the encoded constant input
// 2k and the constant ancillary input 2k+1, whose first 16 bytes are the
// decode common metadata (DCM): byte 0 the decode type (0 LUT, 1 Huffman,
// 2 Prune; 127, custom, TFLM refuses), byte 1 the DCM version (1), byte 4
// the type's own version (1) and bytes 5 and 6 its parameters; the type's
// tables follow. Both inputs being constant, the outputs are too: the
// runtime decodes them once, at prepare time, checking every read TFLM
// would make unchecked (TFLM reads past a short input or table), and each
// invocation copies them out, as TFLM decodes them again each time.
func buildDecode(n *node) (func([][]byte), error) {
	if len(n.outputs) == 0 || len(n.inputs) != 2*len(n.outputs) {
		return nil, fmt.Errorf("takes two inputs per output, has %d inputs and %d outputs", len(n.inputs), len(n.outputs))
	}
	decoded := make([][]byte, len(n.outputs))
	outputs := make([]*tensorInfo, len(n.outputs))
	for k := range n.outputs {
		input, err := n.need(2 * k)
		if err != nil {
			return nil, err
		}
		ancillary, err := n.need(2*k + 1)
		if err != nil {
			return nil, err
		}
		outputs[k] = n.output(k)
		if decoded[k], err = n.decodeOne(input, ancillary, outputs[k]); err != nil {
			return nil, fmt.Errorf("output %d: %w", k, err)
		}
	}
	return func(mem [][]byte) {
		for k, out := range outputs {
			copy(mem[out.index], decoded[k])
		}
	}, nil
}

// Decode common metadata: its size and the offsets of its fields.
const (
	dcmBytes       = 16
	dcmType        = 0
	dcmVersion     = 1
	dcmTypeVersion = 4
	dcmParams      = 5
	dcmLUTStride   = 6
)

// Decode types of the DCM.
const (
	dcmTypeLUT     = 0
	dcmTypeHuffman = 1
	dcmTypePrune   = 2
	dcmTypeCustom  = 127
)

// decodeOne checks one encoded tensor and its ancillary tensor as TFLM's
// Prepare and the DecodeState's Setup do, and decodes it.
func (n *node) decodeOne(input, ancillary, output *tensorInfo) ([]byte, error) {
	for _, t := range []*tensorInfo{input, ancillary} {
		if t.constant == nil {
			return nil, fmt.Errorf("tensor %d %q must be constant", t.index, t.name)
		}
	}
	anc := ancillary.constant
	if len(anc) < dcmBytes {
		return nil, fmt.Errorf("ancillary tensor %d %q holds %d bytes, less than the %d of the decode metadata", ancillary.index, ancillary.name, len(anc), dcmBytes)
	}
	if v := anc[dcmVersion]; v != 1 {
		return nil, fmt.Errorf("decode metadata version %d != 1", v)
	}
	typ := anc[dcmType]
	switch typ {
	case dcmTypeLUT, dcmTypeHuffman, dcmTypePrune:
	case dcmTypeCustom:
		return nil, fmt.Errorf("custom decode type %d: TFLM does not support it yet", typ)
	default:
		return nil, fmt.Errorf("unsupported decode type %d", typ)
	}
	if v := anc[dcmTypeVersion]; v != 1 {
		return nil, fmt.Errorf("decode type %d: unsupported version %d", typ, v)
	}
	switch typ {
	case dcmTypeLUT:
		return n.decodeLUT(input.constant, anc, output)
	case dcmTypeHuffman:
		return decodeHuffman(input.constant, anc, output)
	default:
		return n.decodePrune(input.constant, anc, output)
	}
}

// decodeChannels is how TFLM's LUT and Prune decoders split the output
// into channels: by the scales of its (affine) quantisation, along the
// first dimension, or along the last one ("alternate axis") when there
// are several channels and the quantised dimension is the last; any other
// quantised dimension is refused. It returns the number of channels and
// whether they lie along the last dimension.
func (n *node) decodeChannels(output *tensorInfo) (channels int, alternate bool, err error) {
	q := n.in.graph.Tensors[output.index].Quant
	if q == nil || len(q.Scale) == 0 || len(q.ZeroPoint) == 0 {
		return 1, false, nil
	}
	channels = len(q.Scale)
	switch dim := int(q.QuantizedDimension); {
	case dim == len(output.shape)-1 && channels > 1:
		alternate = true
		if output.elems%channels != 0 {
			// TFLM's loop over whole rows of channels never ends.
			return 0, false, fmt.Errorf("%d elements are not rows of %d channels", output.elems, channels)
		}
	case dim != 0:
		return 0, false, fmt.Errorf("unsupported quantization axis %d", dim)
	case output.elems%channels != 0:
		// TFLM decodes elements/channels per channel and leaves the rest
		// of the output unwritten.
		return 0, false, fmt.Errorf("%d elements do not divide into %d channels", output.elems, channels)
	}
	return channels, alternate, nil
}

// channelOf returns the function giving element i's channel.
func channelOf(elems, channels int, alternate bool) func(i int) int {
	if alternate {
		return func(i int) int { return i % channels }
	}
	per := elems / channels
	return func(i int) int { return i / per }
}

// decodeValueSize is the size of one value of a LUT- or Prune-decoded
// output type, 0 for the types TFLM's decoders refuse (Prune copies
// FLOAT32 as 32-bit integers, its pruned elements 0.0).
func decodeValueSize(t tflite.TensorType) int {
	switch t {
	case tflite.Bool, tflite.Int8:
		return 1
	case tflite.Int16:
		return 2
	case tflite.Float32, tflite.Int32:
		return 4
	case tflite.Int64:
		return 8
	}
	return 0
}

// decodeLUT is TFLM's DecodeStateLut: element i of the output is entry
// index of its channel's value table, where index is the i-th bit-width
// bits (1 to 7, params & 7) of the input read most significant bit first,
// and channel c's table starts stride (byte 6) entries after channel
// c-1's. The values are copied as they are, of the output's type. TFLM's
// optimised int8 paths for widths 2, 3 and 4 give the same result.
func (n *node) decodeLUT(in, anc []byte, output *tensorInfo) ([]byte, error) {
	channels, alternate, err := n.decodeChannels(output)
	if err != nil {
		return nil, err
	}
	size := decodeValueSize(output.kind)
	if size == 0 {
		return nil, fmt.Errorf("LUT decode: unsupported tensor type %v", output.kind)
	}
	width := int(anc[dcmParams] & 7)
	if width == 0 {
		// TFLM's decoder checks it (a TFLITE_DCHECK) only in debug builds
		// and otherwise reads every index as 0.
		return nil, fmt.Errorf("LUT decode: index bit width 0, want 1 to 7")
	}
	stride := int(anc[dcmLUTStride])
	if need := (output.elems*width + 7) / 8; len(in) < need {
		return nil, fmt.Errorf("LUT decode: %d indices of %d bits need %d bytes, the input has %d", output.elems, width, need, len(in))
	}
	table := anc[dcmBytes:]
	channel := channelOf(output.elems, channels, alternate)
	out := make([]byte, output.elems*size)
	for i := range output.elems {
		entry := channel(i)*stride + int(readBits(in, i*width, width))
		if (entry+1)*size > len(table) {
			return nil, fmt.Errorf("LUT decode: element %d reads value %d, past the table's %d", i, entry, len(table)/size)
		}
		copy(out[i*size:], table[entry*size:(entry+1)*size])
	}
	return out, nil
}

// readBits reads width (at most 32) bits of buf from bit pos on, most
// significant bit first.
func readBits(buf []byte, pos, width int) uint32 {
	var v uint32
	for b := pos; b < pos+width; b++ {
		v = v<<1 | uint32(buf[b>>3]>>(7-b&7)&1)
	}
	return v
}

// decodeHuffman is TFLM's DecodeStateHuffman. The input is a bit stream,
// most significant bit first (TFLM reads it as big-endian 32-bit words),
// and the table follows the metadata: 16-bit entries (int8 outputs only)
// unless bit 0 of the parameters asks for 32-bit ones. Each symbol starts
// with (params>>4)+1 bits indexing the table; an entry without its
// symbol-found bit names how many more bits (count field + 1) index which
// further table (value field, an offset from the current one); an entry
// with it holds the symbol in its low bits (truncated to the output type)
// and, in its count field, how many of the bits last read belong to the
// symbol's code: the others are read again for the next symbol.
func decodeHuffman(in, anc []byte, output *tensorInfo) ([]byte, error) {
	wide := anc[dcmParams]&1 != 0
	initial := int(anc[dcmParams]>>4) + 1
	var entrySize, countShift int
	var found, countMask, valueMask uint32
	if wide {
		entrySize, found, countMask, countShift, valueMask = 4, 0x80000000, 0x78000000, 27, 0x07FFFFFF
	} else {
		entrySize, found, countMask, countShift, valueMask = 2, 0x8000, 0x7800, 11, 0x07FF
	}
	var size int
	switch {
	case output.kind == tflite.Int8:
		size = 1
	case output.kind == tflite.Int16 && wide:
		size = 2
	case wide:
		return nil, fmt.Errorf("Huffman decode: unsupported tensor type %v", output.kind)
	default:
		return nil, fmt.Errorf("Huffman decode: 16-bit tables decode INT8, not %v", output.kind)
	}
	table := anc[dcmBytes:]
	entry := func(off int) (uint32, error) {
		if off >= len(table)/entrySize {
			return 0, fmt.Errorf("Huffman decode: table entry %d past the table's %d", off, len(table)/entrySize)
		}
		if wide {
			return binary.LittleEndian.Uint32(table[4*off:]), nil
		}
		return uint32(binary.LittleEndian.Uint16(table[2*off:])), nil
	}
	// A symbol's first read may look past the end of the stream (TFLM
	// reads the word after it); the bits it puts back do not change the
	// symbol, so they read as zeros here. Reads past that word, or
	// symbols that end past the stream, are refused.
	pos, bitsIn := 0, 8*len(in)
	next := func(count int) (int, error) {
		if pos+count > bitsIn+32 {
			return 0, fmt.Errorf("Huffman decode: the codewords end before the %d elements", output.elems)
		}
		var v uint32
		for b := pos; b < pos+count; b++ {
			bit := uint32(0)
			if b < bitsIn {
				bit = uint32(in[b>>3]>>(7-b&7)) & 1
			}
			v = v<<1 | bit
		}
		pos += count
		return int(v), nil
	}
	out := make([]byte, output.elems*size)
	for i := range output.elems {
		used := initial
		off, err := next(used)
		if err != nil {
			return nil, err
		}
		value, err := entry(off)
		if err != nil {
			return nil, err
		}
		for value&found == 0 {
			used = int((value&countMask)>>countShift) + 1
			index, err := next(used)
			if err != nil {
				return nil, err
			}
			off += int(value&valueMask) + index
			if value, err = entry(off); err != nil {
				return nil, err
			}
		}
		if size == 1 {
			out[i] = byte(value)
		} else {
			binary.LittleEndian.PutUint16(out[2*i:], uint16(value))
		}
		if residual := int((value & countMask) >> countShift); used > residual {
			pos -= used - residual
		}
		if pos > bitsIn {
			return nil, fmt.Errorf("Huffman decode: the codewords end before the %d elements", output.elems)
		}
	}
	return out, nil
}

// decodePrune is TFLM's DecodeStatePrune: bit i of the input (most
// significant first) says whether element i is kept, the kept values
// following the metadata in order; a pruned element is its channel's zero
// point (int8 outputs with several channels and a non-zero zero point) or
// the first zero point, truncated to int8. Outputs of other types than
// INT8 must have zero zero points.
func (n *node) decodePrune(in, anc []byte, output *tensorInfo) ([]byte, error) {
	channels, alternate, err := n.decodeChannels(output)
	if err != nil {
		return nil, err
	}
	zeros := []int8{0}
	if q := n.in.graph.Tensors[output.index].Quant; q != nil && len(q.Scale) > 0 && len(q.ZeroPoint) > 0 {
		// TFLM's TfLiteAffineQuantization holds one int zero point per
		// scale, all the first when their counts differ.
		zeros = make([]int8, channels)
		nonZero := false
		for c := range zeros {
			zp := q.ZeroPoint[0]
			if len(q.ZeroPoint) == len(q.Scale) {
				zp = q.ZeroPoint[c]
			}
			nonZero = nonZero || int32(zp) != 0
			zeros[c] = int8(zp)
		}
		if nonZero && output.kind != tflite.Int8 {
			return nil, fmt.Errorf("Prune decode: all zero-points must be zero for %v", output.kind)
		}
		if !nonZero {
			zeros = zeros[:1]
		}
	}
	size := decodeValueSize(output.kind)
	if size == 0 {
		return nil, fmt.Errorf("Prune decode: unsupported tensor type %v", output.kind)
	}
	if need := (output.elems + 7) / 8; len(in) < need {
		return nil, fmt.Errorf("Prune decode: %d elements need %d bytes of flags, the input has %d", output.elems, need, len(in))
	}
	values := anc[dcmBytes:]
	channel := func(int) int { return 0 }
	if len(zeros) > 1 {
		channel = channelOf(output.elems, channels, alternate)
	}
	out := make([]byte, output.elems*size)
	kept := 0
	for i := range output.elems {
		if readBits(in, i, 1) == 0 {
			// The zero point sign-extended to the element's width (only
			// INT8 outputs have a non-zero one).
			zp := zeros[channel(i)]
			for b := range size {
				out[i*size+b] = byte(int64(zp) >> (8 * b))
			}
			continue
		}
		if (kept+1)*size > len(values) {
			return nil, fmt.Errorf("Prune decode: element %d is kept value %d, past the %d values", i, kept, len(values)/size)
		}
		copy(out[i*size:], values[kept*size:(kept+1)*size])
		kept++
	}
	return out, nil
}
