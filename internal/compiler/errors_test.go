package compiler

import (
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/diagtest"
)

// TestErrorPositions compiles each blueprint in testdata/errors as placed
// and checks the compiler's diagnostics against the file's # ERROR marks.
// The files parse cleanly: what they get wrong only the compiler sees.
func TestErrorPositions(t *testing.T) {
	diagtest.CheckFiles(t, "testdata/errors/*.yaml", func(t *testing.T, file string) ([]byte, diag.Diagnostics) {
		bp, ds, err := blueprints.Load(file)
		if err != nil {
			t.Fatal(err)
		}
		if ds.HasErrors() {
			t.Fatalf("%s does not parse: %v", file, ds)
		}
		_, cds, err := New().Compile(bp, "")
		if err != nil {
			t.Fatal(err)
		}
		return bp.Source, cds
	})
}
