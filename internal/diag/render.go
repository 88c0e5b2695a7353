package diag

import (
	"bytes"
	"fmt"
	"io"
	"strings"
)

// Sources maps a file name, as it appears in ranges, to its bytes so that
// a renderer can show the offending line.
type Sources map[string][]byte

// Write renders diagnostics for a terminal: the position, the severity and
// summary, the offending source line with a caret under the column, the
// detail, and the data path.
func Write(w io.Writer, ds Diagnostics, src Sources) error {
	var b bytes.Buffer
	for _, d := range ds {
		if d.Range.File != "" {
			fmt.Fprintf(&b, "%s: ", d.Range)
		}
		fmt.Fprintf(&b, "%s: %s\n", d.Severity, d.Summary)
		snippet(&b, src, d.Range)
		if d.Detail != "" {
			for _, l := range strings.Split(d.Detail, "\n") {
				fmt.Fprintf(&b, "  %s\n", l)
			}
		}
		if d.Path != "" {
			fmt.Fprintf(&b, "  (at %s)\n", d.Path)
		}
		for _, r := range d.Related {
			if r.Range.File != "" {
				fmt.Fprintf(&b, "  %s: %s\n", r.Range, r.Message)
			} else {
				fmt.Fprintf(&b, "  %s\n", r.Message)
			}
			snippet(&b, src, r.Range)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// snippet shows the source line of rng with a caret under its column.
func snippet(b *bytes.Buffer, src Sources, rng Range) {
	line, ok := sourceLine(src[rng.File], rng.Start.Line)
	if !ok {
		return
	}
	fmt.Fprintf(b, "  %4d | %s\n", rng.Start.Line, line)
	col := rng.Start.Column
	if col < 1 {
		col = 1
	}
	fmt.Fprintf(b, "       | %s^\n", caretPad(line, col-1))
}

func sourceLine(src []byte, line int) (string, bool) {
	if src == nil || line < 1 {
		return "", false
	}
	for i := 1; i < line; i++ {
		nl := bytes.IndexByte(src, '\n')
		if nl < 0 {
			return "", false
		}
		src = src[nl+1:]
	}
	if nl := bytes.IndexByte(src, '\n'); nl >= 0 {
		src = src[:nl]
	}
	return strings.TrimRight(string(src), "\r"), true
}

// caretPad keeps tabs from the source line so the caret lines up.
func caretPad(line string, n int) string {
	var b strings.Builder
	for i, r := range line {
		if i >= n {
			break
		}
		if r == '\t' {
			b.WriteByte('\t')
		} else {
			b.WriteByte(' ')
		}
	}
	for b.Len() < n {
		b.WriteByte(' ')
	}
	return b.String()
}
