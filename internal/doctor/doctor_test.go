package doctor

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

// testBlueprint has a cluster of two pools (one spot), a database, a queue
// and a function consuming it, in europe-west.
const testBlueprint = `blueprint: shop
cloud: aws
region: europe-west

resources:
  db:
    kind: database
    engine: postgres
    version: "16"
    size: medium
  jobs:
    kind: queue
  worker:
    kind: function
    runtime: python3.12
    source: ./worker
    handler: main.handler
    triggers:
      - queue: jobs
  k8s:
    kind: cluster
    kubernetes: "1.32"
    node_pools:
      general: {size: medium, min: 1, max: 3}
      batch: {size: large, min: 0, max: 5, spot: true}
`

func loadBlueprint(t *testing.T, src string) *blueprints.Blueprint {
	t.Helper()
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "worker"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "worker", "main.py"), []byte("def handler(e, c):\n    pass\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "skyform.yaml")
	if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	bp, ds, err := blueprints.Load(file)
	if err != nil || ds.HasErrors() {
		t.Fatalf("load: %v %v", err, ds)
	}
	return bp
}

func TestRequirements(t *testing.T) {
	bp := loadBlueprint(t, testBlueprint)
	cases := map[string]struct {
		cloud     blueprints.Cloud
		region    string
		machines  map[string][]string
		databases []DatabaseNeed
		apis      []string
	}{
		"aws: the spot pool may draw on its alternatives": {
			cloud: blueprints.AWS, region: "eu-west-1",
			machines: map[string][]string{
				"m7i.xlarge": {"cluster k8s pool general"}, "m7i.2xlarge": {"cluster k8s pool batch"},
				"m6i.2xlarge": {"cluster k8s pool batch"}, "m7a.2xlarge": {"cluster k8s pool batch"}, "m6a.2xlarge": {"cluster k8s pool batch"},
			},
			databases: []DatabaseNeed{{Class: "db.m7g.large", Engine: "postgres", Version: "16", Resource: "database db"}},
		},
		"gcp: the APIs of every module called": {
			cloud: blueprints.GCP, region: "europe-west1",
			machines:  map[string][]string{"e2-standard-4": {"cluster k8s pool general"}, "e2-standard-8": {"cluster k8s pool batch"}},
			databases: []DatabaseNeed{{Class: "db-custom-2-8192", Engine: "postgres", Version: "POSTGRES_16", Resource: "database db"}},
			apis: []string{"artifactregistry.googleapis.com", "cloudbuild.googleapis.com", "cloudfunctions.googleapis.com", "cloudresourcemanager.googleapis.com",
				"compute.googleapis.com", "container.googleapis.com", "iam.googleapis.com", "pubsub.googleapis.com", "run.googleapis.com",
				"servicenetworking.googleapis.com", "sqladmin.googleapis.com", "storage.googleapis.com"},
		},
		"azure: the default pool and the others": {
			cloud: blueprints.Azure, region: "westeurope",
			machines:  map[string][]string{"Standard_D4s_v5": {"cluster k8s pool general"}, "Standard_D8s_v5": {"cluster k8s pool batch"}},
			databases: []DatabaseNeed{{Class: "GP_Standard_D2ads_v5", Engine: "postgres", Version: "16", Resource: "database db"}},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			n, _, err := Requirements(bp.Retarget(tc.cloud), tc.cloud)
			if err != nil {
				t.Fatal(err)
			}
			if n.Region != tc.region {
				t.Errorf("region %q, want %q", n.Region, tc.region)
			}
			if d := cmp.Diff(tc.machines, n.Machines); d != "" {
				t.Errorf("machines (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.databases, n.Databases); d != "" {
				t.Errorf("databases (-want +got):\n%s", d)
			}
			if d := cmp.Diff(tc.apis, sortedKeys(n.APIs), cmpEmpty); d != "" {
				t.Errorf("apis (-want +got):\n%s", d)
			}
		})
	}
}

var cmpEmpty = cmp.Comparer(func(a, b []string) bool { return strings.Join(a, ",") == strings.Join(b, ",") })

// summary renders checks as "status name" lines for comparison.
// wantChecks compares checks with the summary lines wanted, the details
// and fixes wanted by check name, and wants a fix on every failure.
func wantChecks(t *testing.T, got []Check, want []string, detail, fix map[string]string) {
	t.Helper()
	if d := cmp.Diff(want, summary(got)); d != "" {
		t.Errorf("checks (-want +got):\n%s", d)
	}
	for name, want := range detail {
		if c := find(t, got, name); c.Detail != want {
			t.Errorf("%s: detail %q, want %q", name, c.Detail, want)
		}
	}
	for name, want := range fix {
		if c := find(t, got, name); c.Fix != want {
			t.Errorf("%s: fix %q, want %q", name, c.Fix, want)
		}
	}
	for _, c := range got {
		if c.Status == Failed && c.Fix == "" {
			t.Errorf("%s fails without a fix", c.Name)
		}
	}
}

func summary(cs []Check) []string {
	var out []string
	for _, c := range cs {
		out = append(out, string(c.Status)+" "+string(c.Cloud)+" "+c.Name)
	}
	return out
}

func find(t *testing.T, cs []Check, name string) Check {
	t.Helper()
	for _, c := range cs {
		if c.Name == name {
			return c
		}
	}
	t.Fatalf("no check %q in %v", name, summary(cs))
	return Check{}
}

func TestTerraform(t *testing.T) {
	dir := t.TempDir()
	fake := func(name, ver string) string {
		p := filepath.Join(dir, name)
		script := "#!/bin/sh\necho '{\"terraform_version\": \"" + ver + "\"}'\n"
		if err := os.WriteFile(p, []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	cases := map[string]struct {
		env, min string
		status   Status
		detail   string
	}{
		"new enough":            {env: fake("tf-new", "1.11.4"), status: OK, detail: "terraform 1.11.4 at"},
		"older than skyform":    {env: fake("tf-old", "1.4.6"), status: Failed, detail: "terraform 1.4.6 at " + dir + "/tf-old is too old: the blueprint's root module needs 1.5.0 or later"},
		"older than the module": {env: fake("tf-mid", "1.9.0"), min: "1.11.0", status: Failed, detail: "needs 1.11.0 or later"},
		"not there":             {env: filepath.Join(dir, "missing"), status: Failed, detail: "cannot run terraform at " + dir + "/missing"},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			t.Setenv("SKYFORM_TERRAFORM", tc.env)
			c := checkTerraform(context.Background(), TerraformOptions{}, tc.min, "the blueprint's root module")
			if c.Status != tc.status || !strings.Contains(c.Detail, tc.detail) {
				t.Errorf("got %s %q, want %s containing %q", c.Status, c.Detail, tc.status, tc.detail)
			}
			if c.Status != OK && c.Fix == "" {
				t.Error("a failure without a fix")
			}
		})
	}
}

// A team's local module replaces skyform's: its own resource types decide
// the APIs; a remote one cannot be read, so it adds none.
func TestRequirementsSubstitutedModules(t *testing.T) {
	bp := loadBlueprint(t, "blueprint: shop\ncloud: gcp\nregion: europe-west\nmodules: ./skyform.modules.yaml\nresources:\n  jobs:\n    kind: queue\n  audit:\n    kind: queue\n")
	dir := bp.Dir
	write := func(name, src string) {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("skyform.modules.yaml", "modules:\n  queue.gcp:\n    source: ./team/queue\n")
	write("team/queue/main.tf", `variable "name" { type = string }
resource "google_pubsub_topic" "this" { name = var.name }
resource "google_secret_manager_secret" "key" { secret_id = var.name }
resource "google_bigquery_dataset" "log" { dataset_id = var.name }
output "name" { value = google_pubsub_topic.this.name }
`)
	n, ds, err := Requirements(bp, blueprints.GCP)
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	want := map[string][]string{"pubsub.googleapis.com": {"queue audit", "queue jobs"}, "secretmanager.googleapis.com": {"queue audit", "queue jobs"}}
	if d := cmp.Diff(want, n.APIs); d != "" {
		t.Errorf("apis (-want +got):\n%s", d)
	}

	write("skyform.modules.yaml", "modules:\n  queue.gcp:\n    source: git::https://git.example.com/queue.git?ref=v1.2.3\nallow: [\"git::https://git.example.com/\"]\n")
	n, ds, err = Requirements(bp, blueprints.GCP)
	if err != nil || ds.HasErrors() {
		t.Fatal(err, ds)
	}
	if len(n.APIs) != 0 {
		t.Errorf("a remote module gave APIs %v", n.APIs)
	}
}
