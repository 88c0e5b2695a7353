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
	lines := lineIndex{src: src}
	repeated := repeatedWarnings(ds)
	for _, d := range ds {
		if r := repeated[d.Summary]; r != nil && d.Severity == Warning {
			r.shown++
			switch {
			case r.shown == repeatShown+1:
				fmt.Fprintf(&b, "%s: %s: %s more like it%s (--json lists every one)\n", d.Severity, d.Summary, thousands(r.count-repeatShown), r.where())
				continue
			case r.shown > repeatShown:
				continue
			}
		}
		if d.Range.File != "" {
			fmt.Fprintf(&b, "%s: ", d.Range)
		}
		fmt.Fprintf(&b, "%s: %s\n", d.Severity, d.Summary)
		snippet(&b, &lines, d.Range)
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
			snippet(&b, &lines, r.Range)
		}
	}
	_, err := w.Write(b.Bytes())
	return err
}

// A warning repeated more than repeatLimit times (one per resource of a
// large blueprint) is shown repeatShown times, then summed up in one line:
// thousands of identical explanations help nobody read a terminal, and
// rendering them was most of a large compile's time on Azure.
const (
	repeatLimit = 10
	repeatShown = 3
)

// repeats is a warning summary written more than repeatLimit times: how
// many times, where the first few not shown in full are, and how many have
// been rendered so far.
type repeats struct {
	count, shown int
	at           []string
}

// repeatedWarnings finds the warning summaries that occur more than
// repeatLimit times, with up to three positions after the first
// repeatShown. One map entry per summary: a large blueprint has tens of
// thousands of warnings of a few summaries.
func repeatedWarnings(ds Diagnostics) map[string]*repeats {
	all := map[string]*repeats{}
	for _, d := range ds {
		if d.Severity != Warning {
			continue
		}
		r := all[d.Summary]
		if r == nil {
			r = &repeats{}
			all[d.Summary] = r
		}
		r.count++
		if r.count > repeatShown && len(r.at) < 3 && !d.Range.IsZero() {
			r.at = append(r.at, d.Range.String())
		}
	}
	for k, r := range all {
		if r.count <= repeatLimit {
			delete(all, k)
		}
	}
	return all
}

// where names the first few positions of the repeats.
func (r *repeats) where() string {
	if len(r.at) == 0 {
		return ""
	}
	more := ""
	if r.count-repeatShown > len(r.at) {
		more = ", ..."
	}
	return ", at " + strings.Join(r.at, ", ") + more
}

// thousands writes n with comma separators: 39,997.
func thousands(n int) string {
	s := fmt.Sprint(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// snippet shows the source line of rng with a caret under its column.
func snippet(b *bytes.Buffer, lines *lineIndex, rng Range) {
	line, ok := lines.line(rng.File, rng.Start.Line)
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

// lineIndex finds source lines by number, indexing each file's line starts
// the first time it is asked for: many diagnostics in one large blueprint
// then cost one pass over it, not one each.
type lineIndex struct {
	src    Sources
	starts map[string][]int
}

func (x *lineIndex) line(file string, line int) (string, bool) {
	src := x.src[file]
	if src == nil || line < 1 {
		return "", false
	}
	starts, ok := x.starts[file]
	if !ok {
		starts = []int{0}
		for i, c := range src {
			if c == '\n' {
				starts = append(starts, i+1)
			}
		}
		if x.starts == nil {
			x.starts = map[string][]int{}
		}
		x.starts[file] = starts
	}
	if line > len(starts) {
		return "", false
	}
	l := src[starts[line-1]:]
	if nl := bytes.IndexByte(l, '\n'); nl >= 0 {
		l = l[:nl]
	}
	return strings.TrimRight(string(l), "\r"), true
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
