package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/footprint-dev/footprint"
	"github.com/footprint-dev/footprint/report"
	"github.com/footprint-dev/footprint/stack"
)

// startSizeStack starts the worst-case stack analysis of `size --stack`
// beside the attribution and returns a function that waits for it. The
// analysis decodes the machine code, so size runs it only when asked.
func startSizeStack(path string, format report.Format) (wait func() (*stack.Report, error), err error) {
	if format == report.FormatCSV {
		return nil, errors.New("--stack: the CSV has no place for the stack (use table, json or markdown)")
	}
	type result struct {
		r   *stack.Report
		err error
	}
	done := make(chan result, 1)
	go func() {
		r, err := footprint.Stack(path, footprint.StackOptions{})
		done <- result{r, err}
	}()
	return func() (*stack.Report, error) {
		res := <-done
		if res.err != nil {
			return nil, fmt.Errorf("--stack: %w", res.err)
		}
		return res.r, nil
	}, nil
}

// stackLine is the one-line summary size prints: "worst case 1016 bytes
// (thread 832 + interrupts 184), reserved 4096 (_estack - _sstack)", with
// the first reason when the worst case is a lower bound.
func stackLine(r *stack.Report) string {
	parts := "thread " + r.Thread.String()
	if r.ExceptionFrame > 0 {
		parts += " + interrupts " + r.Interrupts.String()
	}
	reserved := "reserved unknown"
	if r.Reserved != nil {
		reserved = fmt.Sprintf("reserved %d (%s)", r.Reserved.Bytes, r.Reserved.Source)
	}
	line := fmt.Sprintf("worst case %s bytes (%s), %s", r.Total, parts, reserved)
	if reasons := r.TotalReasons(); len(reasons) > 0 {
		line += "; lower bound: " + reasons[0]
	}
	return line
}

// printSizeStack prints the stack line in the table and Markdown formats
// and the analysis's warnings on stderr. (The JSON carries the stack in
// its "stack" object: see jsonTail.)
func printSizeStack(stdout, stderr io.Writer, format report.Format, r *stack.Report) {
	for _, w := range r.Warnings {
		fmt.Fprintf(stderr, "footprint: warning: stack: %s\n", w)
	}
	switch format {
	case report.FormatTable:
		fmt.Fprintf(stdout, "stack: %s\n", stackLine(r))
	case report.FormatMarkdown:
		fmt.Fprintf(stdout, "\n**stack**: %s\n", report.MarkdownEscape(stackLine(r)))
	}
}

// jsonTail passes a JSON object through to w but holds back its last
// three bytes, the closing "\n}\n", so that a field can be added before
// them without holding the whole (possibly huge) object in memory.
type jsonTail struct {
	w    io.Writer
	tail []byte
}

// flushAt is how many bytes jsonTail gathers before passing them on.
const flushAt = 32 << 10

func (j *jsonTail) Write(p []byte) (int, error) {
	j.tail = append(j.tail, p...)
	if len(j.tail) >= flushAt {
		cut := len(j.tail) - 3
		if _, err := j.w.Write(j.tail[:cut]); err != nil {
			return 0, err
		}
		j.tail = append(j.tail[:0], j.tail[cut:]...)
	}
	return len(p), nil
}

// closeWith ends the object with one more field, name: v.
func (j *jsonTail) closeWith(name string, v any) error {
	head, ok := bytes.CutSuffix(j.tail, []byte("\n}\n"))
	if !ok {
		return errors.New("writing JSON: the view is not one object")
	}
	field, err := json.MarshalIndent(v, "  ", "  ")
	if err != nil {
		return fmt.Errorf("writing JSON: %w", err)
	}
	var b bytes.Buffer
	b.Write(head)
	fmt.Fprintf(&b, ",\n  %q: ", name)
	b.Write(field)
	b.WriteString("\n}\n")
	_, err = j.w.Write(b.Bytes())
	return err
}
