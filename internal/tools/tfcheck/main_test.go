package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
)

func TestMain(m *testing.M) {
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(m.Run())
}

func TestRun(t *testing.T) {
	if _, err := tfrun.FindTerraform(); errors.Is(err, tfrun.ErrNoTerraform) {
		t.Skip(err)
	}
	root := t.TempDir()
	good := filepath.Join(root, "good")
	bad := filepath.Join(root, "bad")
	versions := "terraform {\n  required_providers {\n    google = { source = \"hashicorp/google\" }\n  }\n}\n"
	for dir, main := range map[string]string{
		good: "resource \"google_pubsub_topic\" \"t\" {\n  name = \"orders\"\n}\n",
		bad:  "resource \"google_pubsub_topic\" \"t\" {\n  name = \"orders\"\n\n  nope = 1\n}\n",
	} {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		for name, src := range map[string]string{"versions.tf": versions, "main.tf": main} {
			if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	var stdout, stderr bytes.Buffer
	if code := run([]string{good, bad}, &stdout, &stderr); code != 1 {
		t.Errorf("exit %d, want 1\n%s%s", code, stdout.String(), stderr.String())
	}
	out := stdout.String()
	for _, want := range []string{
		good + ": valid\n",
		filepath.Join(bad, "main.tf") + ":4:3: error: Unsupported argument\n",
		bad + ": invalid (1 errors, 0 warnings)\n",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	for _, dir := range []string{good, bad} {
		if _, err := os.Stat(filepath.Join(dir, ".terraform")); err == nil {
			t.Errorf("tfcheck wrote .terraform into %s", dir)
		}
	}
	stdout.Reset()
	if code := run([]string{good}, &stdout, &stderr); code != 0 {
		t.Errorf("exit %d for a valid directory\n%s", code, stdout.String())
	}
	if code := run(nil, &stdout, &stderr); code != 2 {
		t.Errorf("exit %d without arguments, want 2", code)
	}
}
