package blueprints

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/skyform/skyform/internal/tfir"
)

// FuzzParse feeds arbitrary bytes to the parser. It must never panic, every
// error must carry a position, and a blueprint it accepts must be safe to
// lower: identifiers valid, every reference resolved.
func FuzzParse(f *testing.F) {
	seeds, _ := filepath.Glob("testdata/errors/*.yaml")
	for _, s := range seeds {
		data, err := os.ReadFile(s)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("blueprint: b\nresources:\n  q: {kind: queue, ordering: fifo}\n  f: {kind: function, runtime: go, source: fn, env: {A: '${q.url}'}, triggers: [{queue: q}]}\n"))
	f.Add(aliasBomb())
	f.Fuzz(func(t *testing.T, src []byte) {
		bp, ds := Parse(filepath.Join("testdata", "errors", "fuzz.yaml"), src)
		for _, d := range ds {
			if d.Severity == 0 && d.Range.Start.Line == 0 {
				t.Fatalf("error without a position: %v", d)
			}
		}
		if ds.HasErrors() {
			return
		}
		if !tfir.ValidIdentifier(bp.Name) {
			t.Fatalf("accepted blueprint name %q", bp.Name)
		}
		for _, r := range bp.Resources {
			if !tfir.ValidIdentifier(r.ID()) {
				t.Fatalf("accepted resource name %q", r.Name)
			}
			if r.Function == nil {
				continue
			}
			for _, e := range r.Function.Env {
				for _, ref := range e.Value.Refs() {
					if target := bp.Resource(ref.Resource); target == nil {
						t.Fatalf("unresolved reference %s.%s accepted", ref.Resource, ref.Attribute)
					} else if _, ok := LookupAttribute(target.Kind, ref.Attribute); !ok {
						t.Fatalf("unknown attribute %s.%s accepted", ref.Resource, ref.Attribute)
					}
				}
			}
		}
	})
}
