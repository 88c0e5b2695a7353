package deploy

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/state"
)

// TestErroredStateIsKept: terraform writes errored.tfstate into the
// workdir when it cannot save state (a backend gone mid-apply); skyform
// moves it to a name no later run overwrites.
func TestErroredStateIsKept(t *testing.T) {
	d := &Deployment{Dir: t.TempDir()}
	if got := d.keepErroredState(); got != "" {
		t.Fatalf("nothing to keep, got %q", got)
	}
	if err := os.WriteFile(filepath.Join(d.Dir, "errored.tfstate"), []byte(`{"serial": 7}`), 0o600); err != nil {
		t.Fatal(err)
	}
	kept := d.keepErroredState()
	if !strings.HasPrefix(filepath.Base(kept), "errored-") || filepath.Ext(kept) != ".tfstate" {
		t.Fatalf("kept as %q", kept)
	}
	if data, err := os.ReadFile(kept); err != nil || string(data) != `{"serial": 7}` {
		t.Fatalf("state lost: %q %v", data, err)
	}
	if _, err := os.Stat(filepath.Join(d.Dir, "errored.tfstate")); !os.IsNotExist(err) {
		t.Error("errored.tfstate is still where the next failure would overwrite it")
	}
}

// TestOneChangeRewritesOneFile opens a 1200-queue blueprint, then the same
// blueprint with one queue's setting changed: only the file holding that
// queue's module call (one of the resources files, 64 to 128 module
// calls) is written, and terraform init is not run again (its
// stamp is not even touched).
func TestOneChangeRewritesOneFile(t *testing.T) {
	bin, log := fakeTerraform(t, "1.11.4")
	opts := Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log}}
	dir := t.TempDir()
	file := filepath.Join(dir, "skyform.yaml")
	blueprint := func(timeout string) *blueprints.Blueprint {
		var b strings.Builder
		b.WriteString("blueprint: shop\nresources:\n")
		for i := range 1200 {
			fmt.Fprintf(&b, "  q%d: {kind: queue}\n", i)
		}
		fmt.Fprintf(&b, "  orders: {kind: queue, visibility_timeout: %s}\n", timeout)
		bp, ds := blueprints.Parse(file, []byte(b.String()))
		if ds.HasErrors() {
			t.Fatal(ds)
		}
		return bp
	}
	openOnce := func(bp *blueprints.Blueprint) *state.Changes {
		t.Helper()
		d, ds, err := Open(context.Background(), bp, opts)
		if err != nil || ds.HasErrors() {
			t.Fatalf("open: %v %v", err, ds)
		}
		defer d.Close()
		return d.Changes
	}
	first := openOnce(blueprint("1m"))
	if len(calls(t, log)) != 1 {
		t.Fatal("the first open did not run init")
	}
	stamp := filepath.Join(Workdir(blueprint("1m"), []blueprints.Cloud{blueprints.AWS}, false), initStampName)
	before, err := os.Stat(stamp)
	if err != nil {
		t.Fatal(err)
	}

	ch := openOnce(blueprint("2m"))
	if got := calls(t, log); got != nil {
		t.Errorf("init ran again for a changed setting: %q", got)
	}
	if len(ch.Written) != 1 || !strings.HasPrefix(ch.Written[0], "resources-") || ch.Removed != nil {
		t.Errorf("written %v, removed %v; want the one resources file holding module.orders", ch.Written, ch.Removed)
	}
	if ch.Bytes*8 > first.Bytes {
		t.Errorf("the change wrote %d of %d bytes; want one small file's worth", ch.Bytes, first.Bytes)
	}
	if ch.Unchanged != len(first.Written)-1 {
		t.Errorf("%d files left alone, want %d", ch.Unchanged, len(first.Written)-1)
	}
	t.Logf("first open wrote %d files (%d bytes); the change wrote %v (%d bytes)", len(first.Written), first.Bytes, ch.Written, ch.Bytes)
	after, err := os.Stat(stamp)
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) || !after.ModTime().Equal(before.ModTime()) {
		t.Error("the init stamp was rewritten")
	}
}

// TestVariablesFileLivesWithTheRun: the root variables' values are in a
// 0600 file only while the Deployment is open; Close removes it, and so
// does an Open that fails or is interrupted in terraform init.
func TestVariablesFileLivesWithTheRun(t *testing.T) {
	dir := t.TempDir()
	bin := filepath.Join(dir, "terraform")
	script := `#!/bin/sh
case "$1" in
version) echo '{"terraform_version":"1.11.4","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}' ;;
init) stat -c %a skyform.auto.tfvars.json > "$FAKE_DIR/mode"; cat skyform.auto.tfvars.json > "$FAKE_DIR/vars"
  case "$FAKE_INIT" in
  fail) exit 1 ;;
  hang) touch "$FAKE_DIR/started"; exec sleep 20 ;;
  esac
  mkdir -p .terraform/modules; echo '{}' > .terraform/modules/modules.json; touch .terraform.lock.hcl ;;
*) exit 1 ;;
esac
`
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "skyform.yaml")
	bp, ds := blueprints.Parse(file, []byte("blueprint: shop\ncloud: azure\nresources:\n  jobs: {kind: queue}\n"))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	vars := filepath.Join(Workdir(bp, []blueprints.Cloud{blueprints.Azure}, false), varsFile)
	for _, mode := range []string{"ok", "fail", "hang"} {
		t.Run(mode, func(t *testing.T) {
			fake := t.TempDir()
			opts := Options{Terraform: bin, CacheDir: t.TempDir(), Variables: map[string]string{"azure_subscription_id": "canary-" + mode},
				Env: map[string]string{"FAKE_DIR": fake, "FAKE_INIT": mode}}
			// Each case runs init again.
			_ = os.RemoveAll(filepath.Dir(vars))
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			if mode == "hang" {
				go func() {
					for {
						if _, err := os.Stat(filepath.Join(fake, "started")); err == nil {
							cancel()
							return
						}
						time.Sleep(10 * time.Millisecond)
					}
				}()
			}
			d, _, err := Open(ctx, bp, opts)
			if got, _ := os.ReadFile(filepath.Join(fake, "mode")); strings.TrimSpace(string(got)) != "600" {
				t.Errorf("the variables file terraform read was mode %q, want 600", got)
			}
			if got, _ := os.ReadFile(filepath.Join(fake, "vars")); !strings.Contains(string(got), `"canary-`+mode+`"`) {
				t.Errorf("terraform read %q", got)
			}
			if mode == "ok" {
				if err != nil {
					t.Fatal(err)
				}
				if _, err := os.Stat(vars); err != nil {
					t.Errorf("the variables file is gone while the deployment is open: %v", err)
				}
				if err := d.Close(); err != nil {
					t.Fatal(err)
				}
			} else if err == nil {
				d.Close()
				t.Fatal("open succeeded")
			}
			if _, err := os.Stat(vars); !os.IsNotExist(err) {
				t.Errorf("the variables file outlives the run: %v", err)
			}
		})
	}
}

// TestErroredStatesOldestFirst: kept states are pushed in the order they
// were written, terraform's own errored.tfstate (left by a run killed
// before skyform kept it) last, and archived ones are not waiting.
func TestErroredStatesOldestFirst(t *testing.T) {
	dir := t.TempDir()
	for _, f := range []string{"errored.tfstate", "errored-20260102T000000.000Z.tfstate", "errored-20260101T000000.000Z.tfstate", "errored-20251231T000000.000Z.tfstate.pushed", "terraform.tfstate"} {
		if err := os.WriteFile(filepath.Join(dir, f), []byte(`{"resources": [{"mode": "managed"}, {"mode": "data"}]}`), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	err := unsaved(dir, nil)
	var us *UnsavedStateError
	if !errors.As(err, &us) {
		t.Fatalf("unsaved = %v", err)
	}
	var got []string
	for _, f := range us.Files {
		got = append(got, filepath.Base(f))
	}
	want := []string{"errored-20260101T000000.000Z.tfstate", "errored-20260102T000000.000Z.tfstate", "errored.tfstate"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if us.Resources != 1 {
		t.Errorf("resources = %d, want 1 (data sources are not resources)", us.Resources)
	}
	if err := unsaved(t.TempDir(), nil); err != nil {
		t.Errorf("an empty workdir: %v", err)
	}
}

// TestConflictLine: terraform state push writes colours it cannot be told
// to leave out; the conflict keeps its words alone.
func TestConflictLine(t *testing.T) {
	out := "exit status 1\n\x1b[31mFailed to write state: cannot overwrite existing state with serial 2 with a different state that has the same serial\x1b[0m\x1b[0m\n\n"
	got := lineWith(out, "with a different state that has the same serial")
	if want := "Failed to write state: cannot overwrite existing state with serial 2 with a different state that has the same serial"; got != want {
		t.Errorf("lineWith = %q, want %q", got, want)
	}
}
