package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// Severity says whether a diagnostic stops the pipeline.
type Severity int

const (
	// Error stops the pipeline before anything is written.
	Error Severity = iota
	// Warning is reported but lets the pipeline finish; lowering uses it to
	// say where a cloud approximates a setting.
	Warning
)

func (s Severity) String() string {
	if s == Warning {
		return "warning"
	}
	return "error"
}

// MarshalText renders the severity as "error" or "warning" in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Pos is a 1-based line and column in a source file; the zero value means
// "no position".
type Pos struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

// Range is where a diagnostic points: a file and a start position.
type Range struct {
	File  string `json:"file"`
	Start Pos    `json:"start"`
}

// IsZero reports whether the range carries no position.
func (r Range) IsZero() bool { return r.Start.Line == 0 }

// String renders the range as file:line:column.
func (r Range) String() string {
	if r.IsZero() {
		return r.File
	}
	return fmt.Sprintf("%s:%d:%d", r.File, r.Start.Line, r.Start.Column)
}

// Diagnostic is one problem found in a blueprint.
type Diagnostic struct {
	Severity Severity `json:"severity"`
	Summary  string   `json:"summary"`
	Detail   string   `json:"detail,omitempty"`
	// Path is the data path inside the blueprint, e.g. resources.orders.retention.
	Path  string `json:"path,omitempty"`
	Range Range  `json:"range"`
	// Related are other places that explain the diagnostic: the template
	// line that declares a parameter whose value is wrong, the policy rule
	// a field breaks. Each is shown with its own source line.
	Related []Related `json:"related,omitempty"`
}

// Related is a second position a diagnostic points to, with what is there.
type Related struct {
	Message string `json:"message"`
	Range   Range  `json:"range"`
}

// With adds a related position to the diagnostic and returns it.
func (d *Diagnostic) With(rng Range, format string, args ...any) *Diagnostic {
	d.Related = append(d.Related, Related{Message: fmt.Sprintf(format, args...), Range: rng})
	return d
}

// Error makes a Diagnostic usable where an error is expected (tests, logs).
func (d *Diagnostic) Error() string {
	var b strings.Builder
	if d.Range.File != "" {
		b.WriteString(d.Range.String())
		b.WriteString(": ")
	}
	b.WriteString(d.Severity.String())
	b.WriteString(": ")
	b.WriteString(d.Summary)
	if d.Detail != "" {
		b.WriteString("; ")
		b.WriteString(d.Detail)
	}
	for _, r := range d.Related {
		b.WriteString(" (")
		b.WriteString(r.Message)
		if r.Range.File != "" {
			b.WriteString(" at ")
			b.WriteString(r.Range.String())
		}
		b.WriteString(")")
	}
	return b.String()
}

// Diagnostics is a list of diagnostics collected by one stage or more.
type Diagnostics []*Diagnostic

// Errorf appends an error diagnostic and returns the list.
func (ds Diagnostics) Errorf(rng Range, path, summary, detailFormat string, args ...any) Diagnostics {
	return append(ds, &Diagnostic{Severity: Error, Summary: summary, Detail: format(detailFormat, args), Path: path, Range: rng})
}

// Warnf appends a warning diagnostic and returns the list.
func (ds Diagnostics) Warnf(rng Range, path, summary, detailFormat string, args ...any) Diagnostics {
	return append(ds, &Diagnostic{Severity: Warning, Summary: summary, Detail: format(detailFormat, args), Path: path, Range: rng})
}

// format is fmt.Sprintf(f, args...). A large blueprint has tens of
// thousands of warnings, so the formats details are written with are done
// here without fmt's reflection: a format without verbs is its text, and
// %s, %q and %d of strings and integers are appended directly (as fmt
// writes them: %q is strconv.Quote). Anything else goes to fmt.
func format(format string, args []any) string {
	f := format
	if len(args) == 0 && !strings.Contains(f, "%") {
		return f
	}
	// Grown once: the format's text, each string argument (quotes and
	// escapes aside) and 20 bytes for each other one.
	n := len(f)
	for _, a := range args {
		if s, ok := a.(string); ok {
			n += len(s) + 2
		} else {
			n += 20
		}
	}
	var b strings.Builder
	b.Grow(n)
	var scratch [64]byte
	next := 0
	for {
		k := strings.IndexByte(f, '%')
		if k < 0 {
			b.WriteString(f)
			break
		}
		b.WriteString(f[:k])
		if k+1 == len(f) {
			return fmt.Sprintf(format, args...)
		}
		verb := f[k+1]
		f = f[k+2:]
		if verb == '%' {
			b.WriteByte('%')
			continue
		}
		if next == len(args) {
			return fmt.Sprintf(format, args...)
		}
		switch a := args[next].(type) {
		case string:
			switch verb {
			case 's':
				b.WriteString(a)
			case 'q':
				b.Write(strconv.AppendQuote(scratch[:0], a))
			default:
				return fmt.Sprintf(format, args...)
			}
		case int:
			if verb != 'd' {
				return fmt.Sprintf(format, args...)
			}
			b.Write(strconv.AppendInt(scratch[:0], int64(a), 10))
		case int64:
			if verb != 'd' {
				return fmt.Sprintf(format, args...)
			}
			b.Write(strconv.AppendInt(scratch[:0], a, 10))
		default:
			return fmt.Sprintf(format, args...)
		}
		next++
	}
	if next != len(args) {
		return fmt.Sprintf(format, args...)
	}
	return b.String()
}

// HasErrors reports whether any diagnostic is an error.
func (ds Diagnostics) HasErrors() bool {
	for _, d := range ds {
		if d.Severity == Error {
			return true
		}
	}
	return false
}

// Errs returns only the error diagnostics.
func (ds Diagnostics) Errs() Diagnostics { return ds.filter(Error) }

// Warnings returns only the warning diagnostics.
func (ds Diagnostics) Warnings() Diagnostics { return ds.filter(Warning) }

func (ds Diagnostics) filter(s Severity) Diagnostics {
	var out Diagnostics
	for _, d := range ds {
		if d.Severity == s {
			out = append(out, d)
		}
	}
	return out
}

// Sort orders diagnostics by file, line and column, keeping the order of
// diagnostics at the same position; reports then read top to bottom.
func (ds Diagnostics) Sort() {
	// Diagnostics mostly come sorted already (each stage sorts its own),
	// and a large blueprint has tens of thousands: checking is one pass.
	if slices.IsSortedFunc(ds, byPosition) {
		return
	}
	slices.SortStableFunc(ds, byPosition)
}

func byPosition(x, y *Diagnostic) int {
	a, b := x.Range, y.Range
	if c := strings.Compare(a.File, b.File); c != 0 {
		return c
	}
	if c := cmp.Compare(a.Start.Line, b.Start.Line); c != 0 {
		return c
	}
	return cmp.Compare(a.Start.Column, b.Start.Column)
}
