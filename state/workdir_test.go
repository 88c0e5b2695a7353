package state

import (
	"os"
	"path/filepath"
	"testing"
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
