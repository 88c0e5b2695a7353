package tfrun_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
)

// TestMain lets this test binary be the offline providers.
func TestMain(m *testing.M) {
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(m.Run())
}

// TestCallerEnvironmentIsIgnored runs terraform with a hostile caller
// environment: each of these variables, if terraform saw it, would make
// init or validate fail or read another configuration.
func TestCallerEnvironmentIsIgnored(t *testing.T) {
	tf, err := tfrun.FindTerraform()
	if errors.Is(err, tfrun.ErrNoTerraform) {
		t.Skip(err)
	}
	for k, v := range map[string]string{
		"TF_CLI_ARGS":          "-no-such-flag",
		"TF_CLI_ARGS_init":     "-no-such-flag",
		"TF_CLI_ARGS_validate": "-no-such-flag",
		"TF_VAR_name":          "from-the-caller",
		"TF_WORKSPACE":         "no-such-workspace",
		"TF_DATA_DIR":          "/nonexistent/data",
		"TF_PLUGIN_CACHE_DIR":  "/nonexistent/cache",
		"TF_CLI_CONFIG_FILE":   "/nonexistent/terraformrc",
		"TF_LOG":               "TRACE",
	} {
		t.Setenv(k, v)
	}
	cfg, err := offline.Install(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := `
terraform {
  required_providers {
    aws = { source = "hashicorp/aws" }
  }
}

variable "name" {
  type = string
}

resource "aws_sqs_queue" "q" {
  name = var.name
  fifo = true
}
`
	if err := os.WriteFile(filepath.Join(dir, "main.tf"), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	r, err := tfrun.New(dir, tfrun.WithTerraform(tf), tfrun.WithCLIConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range r.Env() {
		if strings.HasPrefix(kv, "TF_CLI_ARGS") || strings.HasPrefix(kv, "TF_VAR_") || strings.HasPrefix(kv, "TF_DATA_DIR=") ||
			strings.HasPrefix(kv, "TF_PLUGIN_CACHE_DIR=") || strings.HasPrefix(kv, "TF_WORKSPACE=") || strings.HasPrefix(kv, "TF_LOG") {
			t.Errorf("terraform would see %s", kv)
		}
	}
	ctx := context.Background()
	if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, ".terraform")); err != nil {
		t.Errorf("init did not use the working directory's data dir: %v", err)
	}
	out, err := r.Validate(ctx)
	if err != nil {
		t.Fatalf("validate: %v", err)
	}
	if out.Valid || out.ErrorCount != 1 || !strings.Contains(out.Diagnostics[0].Detail, `"fifo"`) {
		t.Errorf("validate = %+v; want the one error about fifo, as data", out)
	}
}
