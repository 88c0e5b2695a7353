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
