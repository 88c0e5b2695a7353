package pack

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, body := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestZipIsDeterministic(t *testing.T) {
	files := map[string]string{"main.py": "def handler(e, c):\n    return 1\n", "lib/util.py": "X = 1\n"}
	a, b := t.TempDir(), t.TempDir()
	writeTree(t, a, files)
	writeTree(t, b, files)
	// Different times and extra noise must not change the bytes.
	old := time.Date(2001, 2, 3, 4, 5, 6, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(b, "main.py"), old, old); err != nil {
		t.Fatal(err)
	}
	writeTree(t, b, map[string]string{"__pycache__/main.cpython-312.pyc": "junk", ".git/HEAD": "ref"})

	za, err := Zip(a)
	if err != nil {
		t.Fatal(err)
	}
	zb, err := Zip(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(za.Data, zb.Data) || za.SHA256 != zb.SHA256 {
		t.Fatalf("same files gave different archives: %s vs %s", za.SHA256Hex, zb.SHA256Hex)
	}

	zr, err := zip.NewReader(bytes.NewReader(za.Data), int64(len(za.Data)))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	if diff := cmp.Diff([]string{"lib/util.py", "main.py"}, names); diff != "" {
		t.Errorf("entries (-want +got):\n%s", diff)
	}
}

func TestZipChangesWithCode(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"main.py": "v1"})
	z1, err := Zip(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeTree(t, dir, map[string]string{"main.py": "v2"})
	z2, err := Zip(dir)
	if err != nil {
		t.Fatal(err)
	}
	if z1.SHA256 == z2.SHA256 {
		t.Fatal("a code change kept the same hash")
	}
}

func TestZipKeepsExecutableBit(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "bootstrap"), []byte("bin"), 0o755); err != nil {
		t.Fatal(err)
	}
	z, err := Zip(dir)
	if err != nil {
		t.Fatal(err)
	}
	zr, _ := zip.NewReader(bytes.NewReader(z.Data), int64(len(z.Data)))
	if got := zr.File[0].Mode().Perm(); got != 0o755 {
		t.Errorf("mode = %v, want 0755", got)
	}
}

func TestZipMissingDir(t *testing.T) {
	if _, err := Zip(filepath.Join(t.TempDir(), "nope")); err == nil {
		t.Fatal("want an error for a missing directory")
	}
}
