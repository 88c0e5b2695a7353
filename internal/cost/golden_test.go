package cost

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

var update = flag.Bool("update", os.Getenv("SKYFORM_UPDATE_GOLDEN") != "", "rewrite golden files")

// TestGolden estimates every example on every cloud with the embedded
// table and compares the table with testdata/golden/<example>.txt. Run
// with -update (or SKYFORM_UPDATE_GOLDEN=1) to rewrite them.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob("../../examples/*/skyform.yaml")
	if err != nil || len(files) < 4 {
		t.Fatalf("want at least four examples, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		name := filepath.Base(filepath.Dir(file))
		t.Run(name, func(t *testing.T) {
			bp := load(t, file)
			rep, ds, err := Estimate(bp, Options{})
			if err != nil || ds.HasErrors() {
				t.Fatalf("estimate: %v %v", err, ds)
			}
			var got bytes.Buffer
			if err := rep.WriteText(&got); err != nil {
				t.Fatal(err)
			}
			golden := filepath.Join("testdata", "golden", name+".txt")
			if *update {
				if err := os.WriteFile(golden, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test ./internal/cost -update)", err)
			}
			if d := cmp.Diff(string(want), got.String()); d != "" {
				t.Errorf("cost table of %s changed (-want +got):\n%s", name, d)
			}
		})
	}
}

func load(t *testing.T, file string) *blueprints.Blueprint {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	bp, ds := blueprints.Parse(file, src)
	if ds.HasErrors() {
		t.Fatalf("blueprint does not parse: %v", ds)
	}
	return bp
}

func parse(t *testing.T, src string) *blueprints.Blueprint {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(e, c): pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "skyform.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return load(t, file)
}
