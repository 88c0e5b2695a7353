package state

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWriteGeneratedKeepsWhatItDidNotWrite(t *testing.T) {
	dir := t.TempDir()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(WriteGenerated(dir, map[string][]byte{"main.tf": []byte("a"), "modules/aws/queue/main.tf": []byte("q"), "build/f.zip": []byte("z")}))
	// terraform's own files live beside the generated ones.
	must(os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte("{}"), 0o600))
	must(os.MkdirAll(filepath.Join(dir, ".terraform"), 0o755))

	must(WriteGenerated(dir, map[string][]byte{"main.tf": []byte("b")}))

	if got, _ := os.ReadFile(filepath.Join(dir, "main.tf")); string(got) != "b" {
		t.Errorf("main.tf = %q, want b", got)
	}
	for _, gone := range []string{"modules", "build/f.zip"} {
		if _, err := os.Stat(filepath.Join(dir, gone)); !os.IsNotExist(err) {
			t.Errorf("%s should have been removed: %v", gone, err)
		}
	}
	for _, kept := range []string{"terraform.tfstate", ".terraform"} {
		if _, err := os.Stat(filepath.Join(dir, kept)); err != nil {
			t.Errorf("%s was touched: %v", kept, err)
		}
	}
}

func TestWriteGeneratedRefusesEscapes(t *testing.T) {
	dir := t.TempDir()
	if err := WriteGenerated(dir, map[string][]byte{"../evil.tf": []byte("x")}); err == nil {
		t.Fatal("want an error for a path outside the directory")
	}
	if _, err := os.Stat(filepath.Join(filepath.Dir(dir), "evil.tf")); !os.IsNotExist(err) {
		t.Fatal("a file was written outside the directory")
	}
}

func TestWriteGeneratedLeavesUnchangedFiles(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"main.tf": []byte("a")}
	if err := WriteGenerated(dir, files); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(dir, "main.tf")
	st1, _ := os.Stat(p)
	if err := WriteGenerated(dir, files); err != nil {
		t.Fatal(err)
	}
	st2, _ := os.Stat(p)
	if !os.SameFile(st1, st2) || !st1.ModTime().Equal(st2.ModTime()) {
		t.Error("an unchanged file was rewritten")
	}
}

// TestWriteGeneratedChanges counts what each write touched: everything the
// first time; then only the file whose bytes changed (of the same size or
// not), the removed one, and a file edited by hand since, which is put
// back; the others keep their inode and time.
func TestWriteGeneratedChanges(t *testing.T) {
	dir := t.TempDir()
	files := map[string][]byte{"main.tf": []byte("aaaa"), "outputs.tf": []byte("o"), "modules/aws/queue/main.tf": []byte("q"), "build/1.zip": []byte("z")}
	ch, err := WriteGeneratedChanges(dir, files)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"build/1.zip", "main.tf", "modules/aws/queue/main.tf", "outputs.tf"}, ch.Written); diff != "" || ch.Unchanged != 0 {
		t.Errorf("first write (-want +got):\n%s unchanged=%d", diff, ch.Unchanged)
	}
	stat := func(name string) os.FileInfo {
		st, err := os.Stat(filepath.Join(dir, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return st
	}
	before := map[string]os.FileInfo{}
	for name := range files {
		before[name] = stat(name)
	}

	tests := []struct {
		reason  string
		change  func()
		written []string
		removed []string
	}{
		{"nothing changed", func() {}, nil, nil},
		{"same size, other bytes", func() { files["main.tf"] = []byte("aaab") }, []string{"main.tf"}, nil},
		{"another size", func() { files["main.tf"] = []byte("aaabbb") }, []string{"main.tf"}, nil},
		{"a file no longer generated", func() { delete(files, "build/1.zip"); files["build/2.zip"] = []byte("y") }, []string{"build/2.zip"}, []string{"build/1.zip"}},
		{"edited by hand", func() {
			if err := os.WriteFile(filepath.Join(dir, "outputs.tf"), []byte("x"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, []string{"outputs.tf"}, nil},
	}
	for _, tc := range tests {
		tc.change()
		ch, err := WriteGeneratedChanges(dir, files)
		if err != nil {
			t.Fatalf("%s: %v", tc.reason, err)
		}
		if diff := cmp.Diff(tc.written, ch.Written); diff != "" {
			t.Errorf("%s: written (-want +got):\n%s", tc.reason, diff)
		}
		if diff := cmp.Diff(tc.removed, ch.Removed); diff != "" {
			t.Errorf("%s: removed (-want +got):\n%s", tc.reason, diff)
		}
		if want := len(files) - len(tc.written); ch.Unchanged != want {
			t.Errorf("%s: %d unchanged, want %d", tc.reason, ch.Unchanged, want)
		}
		for name, data := range files {
			if got, _ := os.ReadFile(filepath.Join(dir, filepath.FromSlash(name))); string(got) != string(data) {
				t.Errorf("%s: %s = %q, want %q", tc.reason, name, got, data)
			}
		}
	}
	if st := stat("modules/aws/queue/main.tf"); !os.SameFile(before["modules/aws/queue/main.tf"], st) || !st.ModTime().Equal(before["modules/aws/queue/main.tf"].ModTime()) {
		t.Error("a file whose bytes never changed was rewritten")
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 5 { // main.tf outputs.tf modules build manifest
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("workdir holds %v: a temporary file was left behind?", names)
	}
}
