package importer

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// wantFound compares an import's resources and what it lists as not
// imported, by name, with those wanted.
func wantFound(t *testing.T, res *Result, want, unsupported []string) {
	t.Helper()
	var got, gotUnsupported []string
	for _, r := range res.Resources {
		got = append(got, r.Name)
	}
	for _, u := range res.Unsupported {
		gotUnsupported = append(gotUnsupported, u.Resource)
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("resources (-want +got):\n%s", d)
	}
	if d := cmp.Diff(unsupported, gotUnsupported); d != "" {
		t.Errorf("unsupported (-want +got):\n%s", d)
	}
}

// wantExample compares the files an import wrote with the example in dir,
// or with -update makes them the example (its functions replaced).
func wantExample(t *testing.T, dir string, files map[string][]byte) {
	t.Helper()
	if *update {
		os.RemoveAll(filepath.Join(dir, "functions"))
		for p, data := range files {
			dst := filepath.Join(dir, filepath.FromSlash(p))
			os.MkdirAll(filepath.Dir(dst), 0o755)
			if err := os.WriteFile(dst, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	for p, want := range files {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Fatalf("%v (go test ./internal/importer -update)", err)
		}
		if d := cmp.Diff(string(got), string(want)); d != "" {
			t.Errorf("%s differs from a new import (-file +import; go test ./internal/importer -update):\n%s", p, d)
		}
	}
}
