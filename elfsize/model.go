package elfsize

import (
	"debug/elf"
	"fmt"

	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/tflite"
)

// tfliteIdent is the flatbuffer file identifier of a .tflite model, stored
// at byte 4 of the buffer.
const tfliteIdent = "TFL3"

// minModelSize is the smallest object considered as a model: a root
// offset, the identifier and a minimal table.
const minModelSize = 32

// findModels returns the data or read-only objects whose bytes are a
// .tflite flatbuffer (the TFL3 identifier at byte 4), with their op lists
// when modelOps is set, each under the (demangled) name of the piece it
// starts, which nameAt gives (false: no piece starts there). It reads 4
// bytes per candidate object, and the whole of each model it decodes.
func (img *image) findModels(syms *symbols, nameAt func(section string, addr uint64) (string, bool), modelOps func([]byte) ([]string, error)) []report.Model {
	models := []report.Model{}
	for i := range syms.list {
		y := &syms.list[i]
		if !img.holdsModel(y) {
			continue
		}
		s := &img.secs[y.sec]
		off := s.Offset + (y.addr - s.Addr)
		name, ok := nameAt(s.Name, y.addr)
		if !ok {
			name = syms.name(y.name)
		}
		m := report.Model{Symbol: Demangle(name), Section: s.Name, Addr: y.addr, Size: y.size, Ops: []string{}}
		if modelOps != nil {
			data := make([]byte, y.size) // within its section, so within the file
			if _, err := img.r.ReadAt(data, int64(off)); err != nil {
				m.Error = fmt.Sprintf("reading the model: %v", err)
			} else if ops, err := modelOps(data); err != nil {
				m.Error = err.Error()
			} else if ops != nil {
				m.Ops = ops
			}
		}
		models = append(models, m)
	}
	return models
}

// holdsModel reports whether a sized symbol is a data or read-only object
// whose bytes carry the .tflite identifier, reading 4 bytes.
func (img *image) holdsModel(y *sym) bool {
	s := &img.secs[y.sec]
	if y.typ() != elf.STT_OBJECT || y.size < minModelSize || s.Type == elf.SHT_NOBITS || y.addr < s.Addr || y.addr-s.Addr+y.size > s.Size {
		return false
	}
	var id [4]byte
	_, err := img.r.ReadAt(id[:], int64(s.Offset+(y.addr-s.Addr))+4)
	return err == nil && string(id[:]) == tfliteIdent
}

// TFLiteOps is the usual Options.ModelOps: it decodes a .tflite flatbuffer
// with the tflite package and lists its distinct operators in first-use
// order over all subgraphs.
func TFLiteOps(data []byte) ([]string, error) {
	model, err := tflite.Parse(data)
	if err != nil {
		return nil, err
	}
	ops := []string{}
	seen := map[string]bool{}
	for _, sg := range model.Subgraphs {
		for _, op := range sg.Operators {
			if name := model.OpName(op); !seen[name] {
				seen[name] = true
				ops = append(ops, name)
			}
		}
	}
	return ops, nil
}

// pieceNames returns the name of the first piece that starts at an
// address of a section, looked up in pieces.
func pieceNames(pieces []report.Piece) func(section string, addr uint64) (string, bool) {
	return func(section string, addr uint64) (string, bool) {
		for i := range pieces {
			if pieces[i].Addr == addr && pieces[i].Section == section {
				return pieces[i].Symbol, true
			}
		}
		return "", false
	}
}

// spanNames is pieceNames for the pieces attribute would cut with raw
// names, found by walking the spans without building the pieces.
func (img *image) spanNames(syms *symbols) func(section string, addr uint64) (string, bool) {
	return func(section string, addr uint64) (string, bool) {
		name, found := "", false
		var names fallbackNames
		img.walk(syms, func(sp span) {
			if found || sp.start != addr || sp.sec.Name != section {
				return
			}
			found = true
			if sp.sym != nil {
				name = syms.name(sp.sym.name)
			} else {
				name = names.of(sp)
			}
		})
		return name, found
	}
}
