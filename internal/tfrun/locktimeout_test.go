package tfrun

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLockTimeoutReachesTerraform runs plan and apply against a stand-in
// terraform that records its arguments.
func TestLockTimeoutReachesTerraform(t *testing.T) {
	dir := t.TempDir()
	log := filepath.Join(dir, "args")
	tf := filepath.Join(dir, "terraform")
	script := `#!/bin/sh
if [ "$1" = version ]; then echo '{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}'; exit 0; fi
echo "$@" >> ` + log + `
`
	if err := os.WriteFile(tf, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	r, err := New(dir, WithTerraform(tf), WithLockTimeout(90*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := r.PlanJSON(ctx, io.Discard, PlanOut("p.tfplan")); err != nil {
		t.Fatal(err)
	}
	if err := r.ApplyJSON(ctx, io.Discard, ApplyPlan("p.tfplan")); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(log)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	if len(lines) != 2 {
		t.Fatalf("want a plan and an apply, got %q", lines)
	}
	for _, l := range lines {
		if !strings.Contains(l, "-lock-timeout=1m30s") {
			t.Errorf("terraform ran without the lock timeout: %s", l)
		}
	}
}
