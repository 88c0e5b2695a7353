// Package blueprinttest holds blueprints that several packages' tests
// parse: one place for the fixtures, so they cannot drift apart.
package blueprinttest

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/skyform/skyform/blueprints"
)

// Parse parses src as skyform.yaml in a fresh temporary directory and fails
// the test on any error.
func Parse(t *testing.T, src string) *blueprints.Blueprint {
	t.Helper()
	file := filepath.Join(t.TempDir(), "skyform.yaml")
	bp, ds := blueprints.Parse(file, []byte(src))
	if ds.HasErrors() {
		t.Fatalf("blueprint: %v", ds)
	}
	return bp
}

// One queue named jobs in blueprint shop, with each kind of state backend.
const (
	S3      = "blueprint: shop\nbackend: {type: s3, bucket: acme-tfstate, region: eu-west-1}\nresources:\n  jobs: {kind: queue}\n"
	Keyed   = "blueprint: shop\nbackend:\n  type: s3\n  bucket: acme-tfstate\n  key: shop/prod.tfstate\nresources:\n  jobs: {kind: queue}\n"
	Plain   = "blueprint: shop\nresources:\n  jobs: {kind: queue}\n"
	AzureRM = "blueprint: shop\ncloud: azure\nbackend: {type: azurerm, storage_account: acmetfstate, container: tfstate, resource_group: platform-state}\nresources:\n  jobs: {kind: queue}\n"
	GCS     = "blueprint: shop\ncloud: gcp\nbackend: {type: gcs, bucket: acme-tfstate}\nresources:\n  jobs: {kind: queue}\n"
)

// Schedule is a schedule trigger as the blueprint parser makes it from a
// cron expression and a time zone name.
func Schedule(t *testing.T, expr, zone string) blueprints.Trigger {
	t.Helper()
	c, err := blueprints.ParseCron(expr)
	if err != nil {
		t.Fatalf("schedule %q: %v", expr, err)
	}
	loc, lerr := time.LoadLocation(zone)
	if lerr != nil {
		t.Fatal(lerr)
	}
	return blueprints.Trigger{Schedule: &blueprints.ScheduleTrigger{Cron: c, Timezone: zone, Location: loc}}
}
