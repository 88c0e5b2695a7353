package offline_test

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	tfjson "github.com/hashicorp/terraform-json"
	"github.com/zclconf/go-cty/cty"

	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/offline/schemaset"
	"github.com/skyform/skyform/internal/tfrun"
)

// TestMain lets this test binary be the offline providers that terraform
// starts through the mirror.
func TestMain(m *testing.M) {
	if offline.ServeIfRequested() {
		return
	}
	os.Exit(m.Run())
}

// terraformOrSkip returns the terraform binary; the end-to-end tests are
// skipped only when there is none at all.
func terraformOrSkip(t *testing.T) string {
	t.Helper()
	p, err := tfrun.FindTerraform()
	if errors.Is(err, tfrun.ErrNoTerraform) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// workdir writes files into a new directory and returns a runner for it
// that uses a fresh offline mirror.
func workdir(t *testing.T, files map[string]string) *tfrun.Runner {
	t.Helper()
	tf := terraformOrSkip(t)
	cfg, err := offline.Install(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := tfrun.New(dir, tfrun.WithTerraform(tf), tfrun.WithCLIConfig(cfg))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

const versions = `
terraform {
  required_providers {
    aws     = { source = "hashicorp/aws", version = "` + offline.AWSVersion + `" }
    google  = { source = "hashicorp/google", version = "` + offline.GoogleVersion + `" }
    azurerm = { source = "hashicorp/azurerm", version = "` + offline.AzureRMVersion + `" }
  }
}
`

const mainTF = `
provider "aws" {
  region = "eu-west-1"
}

provider "google" {
  project = "demo"
  region  = "europe-west1"
}

provider "azurerm" {
  features {}
  subscription_id = "11111111-1111-1111-1111-111111111111"
}

resource "aws_sqs_queue" "dlq" {
  name = "orders-dlq"
}

resource "aws_sqs_queue" "q" {
  name                       = "orders"
  visibility_timeout_seconds = 30
  redrive_policy             = jsonencode({ deadLetterTargetArn = aws_sqs_queue.dlq.arn, maxReceiveCount = 5 })
}

resource "google_pubsub_topic" "t" {
  name   = "orders"
  labels = { team = "payments" }
}

resource "azurerm_resource_group" "rg" {
  name     = "orders-rg"
  location = "westeurope"
}

data "aws_availability_zones" "az" {}

output "queue_arn" { value = aws_sqs_queue.q.arn }
output "topic"     { value = google_pubsub_topic.t.id }
output "group"     { value = azurerm_resource_group.rg.id }
output "zones"     { value = data.aws_availability_zones.az.names }
`

func values(t *testing.T, st *tfjson.State) map[string]map[string]any {
	t.Helper()
	out := map[string]map[string]any{}
	if st.Values == nil {
		return out
	}
	for _, r := range st.Values.RootModule.Resources {
		out[r.Address] = r.AttributeValues
	}
	return out
}

func change(t *testing.T, p *tfjson.Plan, addr string) *tfjson.ResourceChange {
	t.Helper()
	for _, rc := range p.ResourceChanges {
		if rc.Address == addr {
			return rc
		}
	}
	t.Fatalf("plan has no change for %s", addr)
	return nil
}

func TestEndToEnd(t *testing.T) {
	ctx := context.Background()
	files := map[string]string{"versions.tf": versions, "main.tf": mainTF}
	r := workdir(t, files)

	start := time.Now()
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	t.Logf("init: %v", time.Since(start))
	start = time.Now()
	v, err := r.Validate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("validate: %v", time.Since(start))
	if !v.Valid {
		t.Fatalf("invalid: %+v", v.Diagnostics)
	}

	planFile := filepath.Join(r.Dir(), "plan.bin")
	changes, err := r.Plan(ctx, tfrun.PlanOut(planFile))
	if err != nil || !changes {
		t.Fatalf("first plan: changes=%v, err=%v", changes, err)
	}
	p, err := r.ShowPlan(ctx, planFile)
	if err != nil {
		t.Fatal(err)
	}
	q := change(t, p, "aws_sqs_queue.q")
	unknown, _ := q.Change.AfterUnknown.(map[string]any)
	if unknown["arn"] != true || unknown["url"] != true || unknown["name"] == true {
		t.Errorf("plan: arn and url should be unknown, name known: %v", unknown)
	}
	if after, _ := q.Change.After.(map[string]any); after["name"] != "orders" {
		t.Errorf("plan: name = %v", after["name"])
	}

	if err := r.Apply(ctx, tfrun.ApplyPlan(planFile)); err != nil {
		t.Fatal(err)
	}
	st, err := r.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := values(t, st)
	for addr, want := range map[string]map[string]any{
		"aws_sqs_queue.q":           {"arn": "arn:aws:sqs:eu-west-1:000000000000:orders", "id": "https://sqs.eu-west-1.offline.invalid/000000000000/orders", "region": "eu-west-1"},
		"google_pubsub_topic.t":     {"id": "projects/demo/topics/orders", "project": "demo"},
		"azurerm_resource_group.rg": {"id": "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/orders-rg"},
	} {
		for k, w := range want {
			if got[addr][k] != w {
				t.Errorf("%s.%s = %v, want %v", addr, k, got[addr][k], w)
			}
		}
	}
	if rp, _ := got["aws_sqs_queue.q"]["redrive_policy"].(string); !strings.Contains(rp, "arn:aws:sqs:eu-west-1:000000000000:orders-dlq") {
		t.Errorf("redrive_policy = %q, want the DLQ's fake ARN", rp)
	}
	outs, err := r.Output(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var zones []string
	if err := json.Unmarshal(outs["zones"].Value, &zones); err != nil || strings.Join(zones, " ") != "eu-west-1a eu-west-1b eu-west-1c" {
		t.Errorf("zones output = %s (%v)", outs["zones"].Value, err)
	}

	if changes, err := r.Plan(ctx); err != nil || changes {
		t.Errorf("plan after apply: changes=%v, err=%v; want no changes", changes, err)
	}

	// The same configuration elsewhere yields the same state.
	other := workdir(t, files)
	if err := other.Init(ctx); err != nil {
		t.Fatal(err)
	}
	if err := other.Apply(ctx); err != nil {
		t.Fatal(err)
	}
	st2, err := other.Show(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(got, values(t, st2)); d != "" {
		t.Errorf("a second apply of the same configuration differs (-first +second):\n%s", d)
	}

	// Rename the group (replace) and change the queue in place.
	edited := strings.NewReplacer(`"orders-rg"`, `"orders-rg-2"`, "visibility_timeout_seconds = 30", "visibility_timeout_seconds = 60").Replace(mainTF)
	if err := os.WriteFile(filepath.Join(r.Dir(), "main.tf"), []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := r.Plan(ctx, tfrun.PlanOut(planFile)); err != nil {
		t.Fatal(err)
	}
	if p, err = r.ShowPlan(ctx, planFile); err != nil {
		t.Fatal(err)
	}
	if a := change(t, p, "azurerm_resource_group.rg").Change.Actions; !a.Replace() {
		t.Errorf("renamed group: actions %v, want a replacement", a)
	}
	if a := change(t, p, "aws_sqs_queue.q").Change.Actions; !a.Update() {
		t.Errorf("queue with a new timeout: actions %v, want an update in place", a)
	}
	if err := r.Apply(ctx, tfrun.ApplyPlan(planFile)); err != nil {
		t.Fatal(err)
	}
	if st, err = r.Show(ctx); err != nil {
		t.Fatal(err)
	}
	if id := values(t, st)["azurerm_resource_group.rg"]["id"]; id != "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/orders-rg-2" {
		t.Errorf("replaced group id = %v", id)
	}

	if err := r.Destroy(ctx); err != nil {
		t.Fatal(err)
	}
	if st, err = r.Show(ctx); err != nil {
		t.Fatal(err)
	}
	if left := values(t, st); len(left) != 0 {
		t.Errorf("destroy left %d resources", len(left))
	}
}

func TestValidateReportsDiagnostics(t *testing.T) {
	ctx := context.Background()
	r := workdir(t, map[string]string{"versions.tf": versions, "main.tf": `
resource "aws_sqs_queue" "q" {
  name      = "orders"
  no_such   = true
}
`})
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	v, err := r.Validate(ctx)
	if err != nil {
		t.Fatalf("a configuration error must be data, not a Go error: %v", err)
	}
	if v.Valid || v.ErrorCount != 1 || len(v.Diagnostics) != 1 {
		t.Fatalf("validate = %+v, want one error", v)
	}
	d := v.Diagnostics[0]
	if d.Summary != "Unsupported argument" || d.Range == nil || d.Range.Filename != "main.tf" || d.Range.Start.Line != 4 {
		t.Errorf("diagnostic = %s at %+v, want Unsupported argument at main.tf:4", d.Summary, d.Range)
	}
}

// TestSchemasRoundTrip checks that terraform sees through the plugins
// exactly the committed schemas: nothing lost in the conversion to the
// plugin protocol.
func TestSchemasRoundTrip(t *testing.T) {
	ctx := context.Background()
	r := workdir(t, map[string]string{"versions.tf": versions})
	if err := r.Init(ctx); err != nil {
		t.Fatal(err)
	}
	got, err := r.ProvidersSchema(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range offline.Providers {
		gz, err := os.ReadFile(filepath.Join("schemas", p.Name+".json.gz"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := schemaset.Decode(gz)
		if err != nil {
			t.Fatal(err)
		}
		served := got.Schemas[p.Address().String()]
		if served == nil {
			t.Fatalf("terraform reports no schema for %s", p.Address())
		}
		opts := []cmp.Option{
			cmp.Comparer(func(a, b cty.Type) bool { return a.Equals(b) }),
			cmpopts.IgnoreFields(tfjson.SchemaBlock{}, "DescriptionKind"),
			cmpopts.IgnoreFields(tfjson.SchemaAttribute{}, "DescriptionKind"),
			cmpopts.IgnoreFields(tfjson.ProviderSchema{}, "Functions", "EphemeralResourceSchemas", "ResourceIdentitySchemas", "ListResourceSchemas", "ActionSchemas", "StateStoreSchemas"),
			cmpopts.EquateEmpty(),
		}
		if d := cmp.Diff(want, served, opts...); d != "" {
			js, _ := json.Marshal(served.ConfigSchema)
			t.Errorf("%s: served schema differs from the committed one (-committed +served):\n%s\nprovider block: %.300s", p.Name, d, js)
		}
	}
}
