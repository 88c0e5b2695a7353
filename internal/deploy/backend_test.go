package deploy

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/blueprinttest"
	"github.com/skyform/skyform/state"
)

var (
	parse          = blueprinttest.Parse
	s3Blueprint    = blueprinttest.S3
	keyedBlueprint = blueprinttest.Keyed
	plainBlueprint = blueprinttest.Plain
	azureBlueprint = blueprinttest.AzureRM
	gcsBlueprint   = blueprinttest.GCS
)

func TestStateLocked(t *testing.T) {
	d := &Deployment{Dir: "/w"}
	te := &TerraformError{Op: "plan", Err: errors.New("Error acquiring the state lock: Error message: operation error S3: PutObject, https response error StatusCode: 412, api error PreconditionFailed: The object already exists\nLock Info:\n  ID:        4d1c9f0e-1b7e-2c3d-8e9f-0a1b2c3d4e5f\n  Path:      acme-tfstate/shop/aws/terraform.tfstate\n  Operation: OperationTypeApply\n  Who:       ci@runner-7\n  Version:   1.11.4\n  Created:   2026-11-21 10:00:00.123456 +0000 UTC\n  Info:      \n\nTerraform acquires a state lock...")}
	err := d.stateLockedOr(te)
	var le *StateLockedError
	if !errors.As(err, &le) {
		t.Fatalf("got %v", err)
	}
	want := "the state acme-tfstate/shop/aws/terraform.tfstate is locked by ci@runner-7 (terraform apply, since 2026-11-21T10:00:00Z, lock ID 4d1c9f0e-1b7e-2c3d-8e9f-0a1b2c3d4e5f); wait for that run to finish, or if it died, release the lock with: terraform -chdir=/w force-unlock 4d1c9f0e-1b7e-2c3d-8e9f-0a1b2c3d4e5f"
	if err.Error() != want {
		t.Errorf("message:\n got %s\nwant %s", err, want)
	}
	if !IsTerraformError(err) {
		t.Error("a state lock held elsewhere is no longer a terraform error (exit 3)")
	}
	// The gcs backend's lock information names its lock file.
	gcs := &TerraformError{Op: "apply", Err: errors.New("Error acquiring the state lock: writing \"gs://acme-tfstate/shop/gcp/default.tflock\" failed: googleapi: Error 412: Precondition Failed, conditionNotMet\nLock Info:\n  ID:        1796247855921080\n  Path:      gs://acme-tfstate/shop/gcp/default.tflock\n  Operation: OperationTypeApply\n  Who:       ci@runner-7\n  Version:   1.11.4\n  Created:   2026-11-21 10:00:00.123456 +0000 UTC\n  Info:      \n")}
	err = d.stateLockedOr(gcs)
	want = "the state gs://acme-tfstate/shop/gcp/default.tfstate is locked by ci@runner-7 (terraform apply, since 2026-11-21T10:00:00Z, lock ID 1796247855921080); wait for that run to finish, or if it died, release the lock with: terraform -chdir=/w force-unlock 1796247855921080"
	if err.Error() != want {
		t.Errorf("gcs message:\n got %s\nwant %s", err, want)
	}
	other := &TerraformError{Op: "plan", Err: errors.New("Error: Invalid provider configuration")}
	if got := d.stateLockedOr(other); got != other {
		t.Errorf("another failure became %v", got)
	}
}

// fakeTerraform writes a terraform stand-in that answers version, records
// the arguments and environment of init, and pulls the state in
// $FAKE_STATE.
func fakeTerraform(t *testing.T, version string) (bin, log string) {
	t.Helper()
	dir := t.TempDir()
	bin, log = filepath.Join(dir, "terraform"), filepath.Join(dir, "calls.log")
	script := `#!/bin/sh
case "$1" in
version) echo '{"terraform_version":"` + version + `","platform":"linux_amd64","provider_selections":{},"terraform_outdated":false}' ;;
init) echo "$* AWS_PROFILE=$AWS_PROFILE" >> "$FAKE_LOG"; mkdir -p .terraform/modules; echo '{}' > .terraform/modules/modules.json; touch .terraform.lock.hcl ;;
state) echo "$*" >> "$FAKE_LOG"; if [ -n "$FAKE_STATE" ]; then cat "$FAKE_STATE"; fi ;;
*) echo "unexpected: $*" >> "$FAKE_LOG"; exit 1 ;;
esac
`
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return bin, log
}

func calls(t *testing.T, log string) []string {
	t.Helper()
	data, err := os.ReadFile(log)
	if os.IsNotExist(err) {
		return nil
	}
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(log); err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSpace(string(data)), "\n")
}

func open(t *testing.T, bp *blueprints.Blueprint, opts Options) error {
	t.Helper()
	d, ds, err := Open(context.Background(), bp, opts)
	if err != nil {
		return err
	}
	if ds.HasErrors() {
		t.Fatalf("diagnostics: %v", ds)
	}
	return d.Close()
}

// TestInitArgs runs Open with a stand-in terraform: init gets the partial
// backend's settings, -reconfigure when the backend changed with no state
// behind, nothing again while nothing changed, and the extra environment.
func TestInitArgs(t *testing.T) {
	bin, log := fakeTerraform(t, "1.11.4")
	bp := parse(t, s3Blueprint)
	opts := Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log, "AWS_PROFILE": "ci"}}
	if err := open(t, bp, opts); err != nil {
		t.Fatal(err)
	}
	want := []string{"init -no-color -input=false -backend=true -get=true -upgrade=false -reconfigure " +
		"-backend-config=bucket=acme-tfstate -backend-config=encrypt=true -backend-config=key=shop/aws/terraform.tfstate " +
		"-backend-config=region=eu-west-1 -backend-config=use_lockfile=true AWS_PROFILE=ci"}
	got := calls(t, log)
	if len(got) != 1 || !sameWords(got[0], want[0]) {
		t.Errorf("first init:\n got %q\nwant %q", got, want)
	}
	dir := Workdir(bp, []blueprints.Cloud{blueprints.AWS}, false)
	if data, err := os.ReadFile(filepath.Join(dir, state.BackendFile)); err != nil || !strings.Contains(string(data), `backend "s3"`) {
		t.Errorf("backend.tf: %s %v", data, err)
	}
	// Nothing changed: no init.
	if err := open(t, bp, opts); err != nil {
		t.Fatal(err)
	}
	if got := calls(t, log); got != nil {
		t.Errorf("unchanged: init ran again: %q", got)
	}
	// Another bucket: the previous one is asked for its state first (none).
	opts.BackendConfig = []string{"bucket=acme-tfstate-2"}
	if err := open(t, bp, opts); err != nil {
		t.Fatal(err)
	}
	got = calls(t, log)
	if len(got) != 2 || got[0] != "state pull" || !strings.Contains(got[1], "-reconfigure") || !strings.Contains(got[1], "-backend-config=bucket=acme-tfstate-2") {
		t.Errorf("changed bucket: %q", got)
	}
}

// TestBackendChangeWithState: a backend change is refused while the
// previous backend holds resources, and done by migrating on request.
func TestBackendChangeWithState(t *testing.T) {
	bin, log := fakeTerraform(t, "1.11.4")
	bp := parse(t, plainBlueprint)
	opts := Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log}}
	if err := open(t, bp, opts); err != nil {
		t.Fatal(err)
	}
	calls(t, log)
	dir := Workdir(bp, []blueprints.Cloud{blueprints.AWS}, false)
	st := `{"version":4,"resources":[{"mode":"managed","type":"aws_sqs_queue"},{"mode":"data","type":"aws_region"}]}`
	if err := os.WriteFile(filepath.Join(dir, "terraform.tfstate"), []byte(st), 0o600); err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
	opts.Backend, opts.BackendConfig = "s3", []string{"bucket=acme-tfstate"}
	err := open(t, bp, opts)
	var bc *BackendChangedError
	if !errors.As(err, &bc) || bc.Resources != 1 || !strings.HasPrefix(bc.From, "local") {
		t.Fatalf("got %v; want the change refused for 1 managed resource", err)
	}
	if _, err := os.Stat(filepath.Join(dir, state.BackendFile)); !os.IsNotExist(err) {
		t.Error("the refused backend's block was written")
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "main.tf")); string(after) != string(before) {
		t.Error("the workdir changed although the run was refused")
	}
	if got := calls(t, log); got != nil {
		t.Errorf("terraform ran: %q", got)
	}
	opts.MigrateState = true
	if err := open(t, bp, opts); err != nil {
		t.Fatal(err)
	}
	got := calls(t, log)
	if len(got) != 1 || !strings.Contains(got[0], " -force-copy ") {
		t.Errorf("migrate: %q", got)
	}
}

func TestS3NeedsLockfileTerraform(t *testing.T) {
	bin, log := fakeTerraform(t, "1.5.7")
	err := open(t, parse(t, s3Blueprint), Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log}})
	if err == nil || !strings.Contains(err.Error(), "the s3 backend locks state with a lock file in the bucket (use_lockfile), which needs terraform 1.10 or later") ||
		!strings.Contains(err.Error(), "is terraform 1.5.7") {
		t.Errorf("got %v", err)
	}
	if got := calls(t, log); got != nil {
		t.Errorf("terraform ran: %q", got)
	}
	// The local backend is fine with it.
	if err := open(t, parse(t, plainBlueprint), Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log}}); err != nil {
		t.Errorf("local backend with terraform 1.5.7: %v", err)
	}
}

// sameWords compares argument lists regardless of order: terraform-exec
// decides where its own flags go.
func sameWords(a, b string) bool {
	wa, wb := strings.Fields(a), strings.Fields(b)
	if len(wa) != len(wb) {
		return false
	}
	count := map[string]int{}
	for _, w := range wa {
		count[w]++
	}
	for _, w := range wb {
		if count[w]--; count[w] < 0 {
			return false
		}
	}
	return true
}

// TestInitArgsPerBackend: each remote backend gets its partial block in
// backend.tf and its settings, by terraform's names, on init's command line.
func TestInitArgsPerBackend(t *testing.T) {
	cases := map[string]struct {
		src   string
		cloud blueprints.Cloud
		block string
		args  []string
	}{
		"s3": {s3Blueprint, blueprints.AWS, `backend "s3"`, []string{
			"-backend-config=bucket=acme-tfstate", "-backend-config=encrypt=true", "-backend-config=key=shop/aws/terraform.tfstate",
			"-backend-config=region=eu-west-1", "-backend-config=use_lockfile=true"}},
		"gcs": {gcsBlueprint, blueprints.GCP, `backend "gcs"`, []string{
			"-backend-config=bucket=acme-tfstate", "-backend-config=prefix=shop/gcp"}},
		"azurerm": {azureBlueprint, blueprints.Azure, `backend "azurerm"`, []string{
			"-backend-config=container_name=tfstate", "-backend-config=key=shop/azure/terraform.tfstate",
			"-backend-config=resource_group_name=platform-state", "-backend-config=storage_account_name=acmetfstate"}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			bin, log := fakeTerraform(t, "1.11.4")
			bp := parse(t, tc.src)
			opts := Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"FAKE_LOG": log},
				Variables: map[string]string{"gcp_project": "p", "azure_subscription_id": "00000000-0000-0000-0000-000000000000"}}
			if err := open(t, bp, opts); err != nil {
				t.Fatal(err)
			}
			got := calls(t, log)
			if len(got) != 1 {
				t.Fatalf("calls %q", got)
			}
			var settings []string
			for _, w := range strings.Fields(got[0]) {
				if strings.HasPrefix(w, "-backend-config=") {
					settings = append(settings, w)
				}
			}
			if d := cmp.Diff(tc.args, settings); d != "" {
				t.Errorf("init's -backend-config (-want +got):\n%s", d)
			}
			dir := Workdir(bp, []blueprints.Cloud{tc.cloud}, false)
			block, err := os.ReadFile(filepath.Join(dir, state.BackendFile))
			if err != nil || !strings.Contains(string(block), tc.block) {
				t.Errorf("backend.tf: %s %v", block, err)
			}
			for _, f := range []string{"main.tf", "providers.tf", "versions.tf"} {
				if data, _ := os.ReadFile(filepath.Join(dir, f)); strings.Contains(string(data), "backend") {
					t.Errorf("%s names the backend:\n%s", f, data)
				}
			}
		})
	}
}

// TestEnvIsChecked: Options.Env reaches terraform through tfrun, which
// still refuses the variables that would change the run behind skyform.
func TestEnvIsChecked(t *testing.T) {
	bin, _ := fakeTerraform(t, "1.11.4")
	err := open(t, parse(t, plainBlueprint), Options{Terraform: bin, CacheDir: t.TempDir(), Env: map[string]string{"TF_VAR_gcp_project": "x"}})
	if err == nil || !strings.Contains(err.Error(), "TF_VAR_gcp_project cannot be set for terraform") {
		t.Errorf("got %v", err)
	}
}
