package diag

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteRelated(t *testing.T) {
	src := Sources{
		"skyform.yaml":           []byte("blueprint: shop\nuses: web@1.2.0\nwith:\n  replicas: many\n"),
		"templates/web/tpl.yaml": []byte("parameters:\n  replicas: {type: number, min: 1}\n"),
	}
	d := &Diagnostic{
		Severity: Error,
		Summary:  "parameter replicas must be a number",
		Path:     "with.replicas",
		Range:    Range{File: "skyform.yaml", Start: Pos{Line: 4, Column: 13}},
	}
	d.With(Range{File: "templates/web/tpl.yaml", Start: Pos{Line: 2, Column: 3}}, "replicas is declared here")
	d.With(Range{}, "no position for this one")
	var b bytes.Buffer
	if err := Write(&b, Diagnostics{d}, src); err != nil {
		t.Fatal(err)
	}
	want := `skyform.yaml:4:13: error: parameter replicas must be a number
     4 |   replicas: many
       |             ^
  (at with.replicas)
  templates/web/tpl.yaml:2:3: replicas is declared here
     2 |   replicas: {type: number, min: 1}
       |   ^
  no position for this one
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Write (-want +got):\n%s", diff)
	}
	wantErr := "skyform.yaml:4:13: error: parameter replicas must be a number (replicas is declared here at templates/web/tpl.yaml:2:3) (no position for this one)"
	if got := d.Error(); got != wantErr {
		t.Errorf("Error() = %q, want %q", got, wantErr)
	}
}

// TestWriteLines shows the right line for diagnostics in any order, CRLF
// line ends trimmed, the last line without a newline, and nothing for a
// line past the end or a file without source.
func TestWriteLines(t *testing.T) {
	src := Sources{"a.yaml": []byte("one\r\ntwo\nthree")}
	at := func(file string, line int) *Diagnostic {
		return &Diagnostic{Severity: Warning, Summary: "s", Range: Range{File: file, Start: Pos{Line: line, Column: 2}}}
	}
	var b bytes.Buffer
	if err := Write(&b, Diagnostics{at("a.yaml", 3), at("a.yaml", 1), at("a.yaml", 2), at("a.yaml", 9), at("b.yaml", 1)}, src); err != nil {
		t.Fatal(err)
	}
	want := `a.yaml:3:2: warning: s
     3 | three
       |  ^
a.yaml:1:2: warning: s
     1 | one
       |  ^
a.yaml:2:2: warning: s
     2 | two
       |  ^
a.yaml:9:2: warning: s
b.yaml:1:2: warning: s
`
	if diff := cmp.Diff(want, b.String()); diff != "" {
		t.Errorf("Write (-want +got):\n%s", diff)
	}
}

// TestWriteCollapsesRepeatedWarnings: a warning repeated more than ten
// times is shown three times, then summed up with where the next ones
// are; errors and rarer warnings are always shown in full.
func TestWriteCollapsesRepeatedWarnings(t *testing.T) {
	var ds Diagnostics
	for i := 1; i <= 12; i++ {
		ds = ds.Warnf(Range{File: "b.yaml", Start: Pos{Line: i, Column: 3}}, "", "handler approximated on azure", "entry points are found in the code")
		if i <= 10 {
			ds = ds.Warnf(Range{File: "b.yaml", Start: Pos{Line: i, Column: 5}}, "", "memory approximated on azure", "2048 MB")
		}
		ds = ds.Errorf(Range{File: "b.yaml", Start: Pos{Line: i, Column: 7}}, "", "queue not found", "")
	}
	var b bytes.Buffer
	if err := Write(&b, ds, nil); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	count := func(s string) int { return bytes.Count(b.Bytes(), []byte(s)) }
	if n := count("b.yaml:"); n < 3+10+12 {
		t.Errorf("positions shown %d times:\n%s", n, out)
	}
	if n := count(": warning: handler approximated on azure\n"); n != 3 {
		t.Errorf("the repeated warning is shown in full %d times, want 3:\n%s", n, out)
	}
	if n := count(": warning: memory approximated on azure\n"); n != 10 {
		t.Errorf("a warning repeated ten times is shown %d times, want all 10", n)
	}
	if n := count(": error: queue not found\n"); n != 12 {
		t.Errorf("errors shown %d times, want all 12", n)
	}
	want := "warning: handler approximated on azure: 9 more like it, at b.yaml:4:3, b.yaml:5:3, b.yaml:6:3, ... (--json lists every one)\n"
	if count(want) != 1 {
		t.Errorf("no summary line %q in:\n%s", want, out)
	}
	if thousands(39997) != "39,997" || thousands(997) != "997" || thousands(1000000) != "1,000,000" {
		t.Errorf("thousands: %s %s %s", thousands(39997), thousands(997), thousands(1000000))
	}
}
