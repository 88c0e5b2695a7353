package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
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

// TestFromBinaries regenerates the schemas from provider executables (the
// offline providers themselves, standing in for locally built real ones)
// and expects the committed files back, byte for byte: extraction through
// terraform and filtering lose nothing and add nothing.
func TestFromBinaries(t *testing.T) {
	if _, err := tfrun.FindTerraform(); errors.Is(err, tfrun.ErrNoTerraform) {
		t.Skip(err)
	}
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	bins := binaries{}
	for _, p := range offline.Providers {
		script := filepath.Join(t.TempDir(), "terraform-provider-"+p.Name)
		src := "#!/bin/sh\n" + offline.ProviderEnv + "=" + p.Name + " exec '" + exe + "' \"$@\"\n"
		if err := os.WriteFile(script, []byte(src), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := bins.Set(p.Name + "=" + script); err != nil {
			t.Fatal(err)
		}
	}
	out := t.TempDir()
	committed := filepath.Join("..", "schemas")
	if err := run("/nonexistent", bins, filepath.Join("..", "..", "..", "modules"), out); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"aws.json.gz", "google.json.gz", "azurerm.json.gz", "types.txt"} {
		got, err := os.ReadFile(filepath.Join(out, f))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join(committed, f))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s regenerated from the providers differs from the committed one", f)
		}
	}
}

func TestRunRejects(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte("resource \"random_id\" \"x\" {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run("/nonexistent", binaries{}, dir, t.TempDir()); err == nil {
		t.Error("a module needing the random provider was accepted")
	}
	if err := run("/nonexistent", binaries{"azure": "/x"}, t.TempDir(), t.TempDir()); err == nil {
		t.Error("-binary azure (not a provider) was accepted")
	}
	if err := run("/nonexistent", binaries{}, t.TempDir(), t.TempDir()); err == nil {
		t.Error("a missing -src was accepted")
	}
}
