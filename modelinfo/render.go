package modelinfo

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// WriteJSON writes the report as one indented JSON object.
func (r Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteTable writes one row per operator (its activation inputs and
// outputs as TYPE[shape], constant inputs folded into the WEIGHTS column),
// then the totals and warnings.
func (r Report) WriteTable(w io.Writer) error {
	rows := [][]string{{"#", "OP", "INPUTS", "OUTPUTS", "MACS", "WEIGHTS", "RUN", "ARENA", "NOTE"}}
	for _, op := range r.Ops {
		var notes []string
		if op.Float {
			notes = append(notes, "float")
		}
		if !op.InTFLM {
			notes = append(notes, "not in TFLM")
		}
		index := strconv.Itoa(op.Index)
		if r.Subgraphs > 1 {
			index = strconv.Itoa(op.Subgraph) + ":" + index
		}
		rows = append(rows, []string{index, op.Name, activations(op.Inputs), activations(op.Outputs),
			count(op.MACs), strconv.FormatInt(op.WeightBytes, 10), yesNo(op.Runtime), yesNo(op.Arena), strings.Join(notes, ",")})
	}
	// Numbers align right, text left.
	rightAligned := []bool{true, false, false, false, true, true, false, false, false}
	widths := make([]int, len(rows[0]))
	for _, row := range rows {
		for i, cell := range row {
			widths[i] = max(widths[i], len(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		line := make([]string, len(row))
		for i, cell := range row {
			pad := strings.Repeat(" ", widths[i]-len(cell))
			if rightAligned[i] {
				line[i] = pad + cell
			} else {
				line[i] = cell + pad
			}
		}
		b.WriteString(strings.TrimRight(strings.Join(line, "  "), " "))
		b.WriteByte('\n')
	}
	t := r.Totals
	fmt.Fprintf(&b, "total: %d ops, %s MACs, %d weight bytes (%s), %d tensors, %d-byte model\n",
		t.Ops, count(t.MACs), t.WeightBytes, kib(t.WeightBytes), t.Tensors, r.FileBytes)
	fmt.Fprintf(&b, "runtime (run, verify): %d of %d ops; arena model (arena --tflm): %d of %d ops\n", t.RuntimeOps, t.Ops, t.ArenaOps, t.Ops)
	for _, warning := range r.Warnings {
		fmt.Fprintf(&b, "warning: %s\n", warning)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// activations lists the non-constant tensors as TYPE[d0,d1,...].
func activations(ts []Tensor) string {
	var parts []string
	for _, t := range ts {
		if t.Const {
			continue
		}
		dims := make([]string, len(t.Shape))
		for i, d := range t.Shape {
			dims[i] = strconv.Itoa(int(d))
		}
		parts = append(parts, t.Type+"["+strings.Join(dims, ",")+"]")
	}
	if parts == nil {
		return "-"
	}
	return strings.Join(parts, " ")
}

// count writes n, with a k suffix from 10000 and M or G from a million.
func count(n int64) string {
	switch {
	case n >= 1_000_000_000:
		return fmt.Sprintf("%.2fG", float64(n)/1e9)
	case n >= 1_000_000:
		return fmt.Sprintf("%.2fM", float64(n)/1e6)
	case n >= 10_000:
		return fmt.Sprintf("%.1fk", float64(n)/1e3)
	}
	return strconv.FormatInt(n, 10)
}

// kib writes a byte count in KiB.
func kib(n int64) string {
	return fmt.Sprintf("%.1f KiB", float64(n)/1024)
}

// yesNo writes a coverage flag.
func yesNo(v bool) string {
	if v {
		return "yes"
	}
	return "no"
}
