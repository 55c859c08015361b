package tensorplan

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strconv"
	"strings"
)

// Instance is a problem in MiniMalloc's CSV format (google/minimalloc): one
// row per buffer with columns id, lower, upper and size, where the buffer
// lives over the half-open interval [lower, upper). Buffers holds them as
// Buffers with First = lower and Last = upper-1. Offsets holds the optional
// offset column of a solved instance, nil when the file has none.
type Instance struct {
	IDs     []string
	Buffers []Buffer
	Offsets []int64
}

// ReadMiniMallocCSV reads an instance. The header row names the columns, in
// any order; id, lower, upper and size are required, offset is optional.
func ReadMiniMallocCSV(r io.Reader) (Instance, error) {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return Instance{}, errors.New("minimalloc csv: empty file, want header id,lower,upper,size")
		}
		return Instance{}, fmt.Errorf("minimalloc csv: header: %w", err)
	}
	col := map[string]int{"id": -1, "lower": -1, "upper": -1, "size": -1, "offset": -1}
	for i, name := range header {
		name = strings.TrimSpace(name)
		if j, ok := col[name]; ok && j < 0 {
			col[name] = i
		}
	}
	for _, name := range []string{"id", "lower", "upper", "size"} {
		if col[name] < 0 {
			return Instance{}, fmt.Errorf("minimalloc csv: header %q lacks column %q", strings.Join(header, ","), name)
		}
	}
	var inst Instance
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return Instance{}, fmt.Errorf("minimalloc csv: %w", err)
		}
		line, _ := cr.FieldPos(0)
		field := func(name string, lo, hi int64) (int64, error) {
			s := strings.TrimSpace(rec[col[name]])
			v, err := strconv.ParseInt(s, 10, 64)
			if err != nil || v < lo || v > hi {
				return 0, fmt.Errorf("minimalloc csv: line %d: %s %q is not an integer in [%d, %d]", line, name, s, lo, hi)
			}
			return v, nil
		}
		lower, err := field("lower", math.MinInt32, math.MaxInt32-1)
		if err != nil {
			return Instance{}, err
		}
		upper, err := field("upper", lower+1, math.MaxInt32)
		if err != nil {
			return Instance{}, err
		}
		size, err := field("size", 0, maxBufferSize)
		if err != nil {
			return Instance{}, err
		}
		inst.IDs = append(inst.IDs, strings.TrimSpace(rec[col["id"]]))
		inst.Buffers = append(inst.Buffers, Buffer{Size: size, First: int(lower), Last: int(upper) - 1, Fixed: Online})
		if col["offset"] >= 0 {
			offset, err := field("offset", 0, maxBufferSize)
			if err != nil {
				return Instance{}, err
			}
			inst.Offsets = append(inst.Offsets, offset)
		}
	}
	return inst, nil
}

// WriteMiniMallocCSV writes inst with the header id,lower,upper,size, plus
// an offset column when offsets is not nil (one per buffer, as in
// Plan.Offsets).
func WriteMiniMallocCSV(w io.Writer, inst Instance, offsets []int64) error {
	if len(inst.IDs) != len(inst.Buffers) {
		return fmt.Errorf("minimalloc csv: %d ids for %d buffers", len(inst.IDs), len(inst.Buffers))
	}
	if offsets != nil && len(offsets) != len(inst.Buffers) {
		return fmt.Errorf("minimalloc csv: %d offsets for %d buffers", len(offsets), len(inst.Buffers))
	}
	cw := csv.NewWriter(w)
	header := []string{"id", "lower", "upper", "size"}
	if offsets != nil {
		header = append(header, "offset")
	}
	if err := cw.Write(header); err != nil {
		return fmt.Errorf("minimalloc csv: %w", err)
	}
	for i, b := range inst.Buffers {
		rec := []string{inst.IDs[i], strconv.Itoa(b.First), strconv.Itoa(b.Last + 1), strconv.FormatInt(b.Size, 10)}
		if offsets != nil {
			rec = append(rec, strconv.FormatInt(offsets[i], 10))
		}
		if err := cw.Write(rec); err != nil {
			return fmt.Errorf("minimalloc csv: %w", err)
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return fmt.Errorf("minimalloc csv: %w", err)
	}
	return nil
}

// CapacityFromName returns the capacity MiniMalloc's benchmark files carry
// in their names ("A.1048576.csv" has 1048576 bytes), and false if the name
// has none.
func CapacityFromName(path string) (int64, bool) {
	parts := strings.Split(filepath.Base(path), ".")
	if len(parts) < 3 || parts[len(parts)-1] != "csv" {
		return 0, false
	}
	c, err := strconv.ParseInt(parts[len(parts)-2], 10, 64)
	if err != nil || c <= 0 {
		return 0, false
	}
	return c, true
}

// Lifetimes turns a MiniMalloc instance into the form BuildReport takes:
// one tensor per buffer, named by its id.
func (inst Instance) Lifetimes() *Lifetimes {
	lt := &Lifetimes{}
	for i, b := range inst.Buffers {
		lt.Tensors = append(lt.Tensors, TensorBuffer{TensorRef: TensorRef{Index: i, Name: inst.IDs[i], Bytes: b.Size}, Buffer: b})
		lt.LastStep = max(lt.LastStep, b.Last)
	}
	return lt
}
