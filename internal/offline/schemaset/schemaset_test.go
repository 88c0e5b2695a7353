package schemaset

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func TestScan(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"aws/queue/main.tf": `
# resource "aws_commented_out" "x" {}
resource "aws_sqs_queue" "q" {
  name = "resource \"aws_in_a_string\" \"y\""
}

data "aws_region" "current" {}
`,
		"aws/queue/other.tf":             `resource "aws_sqs_queue" "dlq" {}`,
		"gcp/queue/main.tf":              `resource "google_pubsub_topic" "t" {}`,
		"aws/queue/.terraform/x/main.tf": `resource "aws_ignored_in_dot_dir" "x" {}`,
		"aws/queue/README.md":            `resource "aws_not_tf" "x" {}`,
	})
	got, err := Scan(dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Use{
		{Type{Data, "aws_region"}, "aws/queue/main.tf", 7},
		{Type{Resource, "aws_sqs_queue"}, "aws/queue/main.tf", 3},
		{Type{Resource, "aws_sqs_queue"}, "aws/queue/other.tf", 1},
		{Type{Resource, "google_pubsub_topic"}, "gcp/queue/main.tf", 1},
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("Scan (-want +got):\n%s", d)
	}
}

func TestScanRejectsUnparsableFile(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{"main.tf": `resource "aws_vpc" {`})
	if _, err := Scan(dir); err == nil || !strings.Contains(err.Error(), "main.tf") {
		t.Fatalf("Scan = %v, want an error naming main.tf", err)
	}
}

func TestType(t *testing.T) {
	cases := map[string]struct {
		typ      Type
		provider string
		builtin  bool
		str      string
	}{
		"aws":       {Type{Resource, "aws_sqs_queue"}, "aws", false, `resource "aws_sqs_queue"`},
		"azurerm":   {Type{Data, "azurerm_client_config"}, "azurerm", false, `data "azurerm_client_config"`},
		"builtin":   {Type{Resource, "terraform_data"}, "terraform", true, `resource "terraform_data"`},
		"no prefix": {Type{Resource, "random"}, "random", false, `resource "random"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := tc.typ.Provider(); got != tc.provider {
				t.Errorf("Provider() = %q, want %q", got, tc.provider)
			}
			if got := tc.typ.Builtin(); got != tc.builtin {
				t.Errorf("Builtin() = %v, want %v", got, tc.builtin)
			}
			if got := tc.typ.String(); got != tc.str {
				t.Errorf("String() = %q, want %q", got, tc.str)
			}
		})
	}
}

func TestWant(t *testing.T) {
	uses := []Use{
		{Type: Type{Resource, "aws_zz_only_in_a_module"}},
		{Type: Type{Resource, "aws_sqs_queue"}}, // also provisional
		{Type: Type{Resource, "aws_sqs_queue"}},
		{Type: Type{Resource, "google_pubsub_topic"}},
	}
	got := Want(uses, "aws")
	seen := map[Type]int{}
	for i, typ := range got {
		seen[typ]++
		if typ.Provider() != "aws" {
			t.Errorf("Want(aws) includes %s", typ)
		}
		if i > 0 && !less(got[i-1], typ) {
			t.Errorf("Want is not sorted at %d: %s, %s", i, got[i-1], typ)
		}
	}
	for typ, n := range seen {
		if n > 1 {
			t.Errorf("%s appears %d times", typ, n)
		}
	}
	for _, typ := range []Type{{Resource, "aws_zz_only_in_a_module"}, {Resource, "aws_sqs_queue"}, {Data, "aws_iam_policy_document"}} {
		if seen[typ] == 0 {
			t.Errorf("Want(aws) lacks %s", typ)
		}
	}
}

// full is a miniature `terraform providers schema -json` output.
const full = `{
  "format_version": "1.0",
  "provider_schemas": {
    "example.test/hashicorp/aws": {
      "provider": {"version": 0, "block": {"attributes": {"region": {"type": "string", "description": "Where.", "description_kind": "plain", "optional": true}}, "description_kind": "plain"}},
      "resource_schemas": {
        "aws_sqs_queue": {"version": 0, "block": {"attributes": {"arn": {"type": "string", "computed": true, "description": "The ARN.", "description_kind": "markdown"}, "tags": {"type": ["map", "string"], "optional": true}}, "block_types": {"timeouts": {"nesting_mode": "single", "block": {"attributes": {"create": {"type": "string", "optional": true}}, "description": "Timeouts."}}}}},
        "aws_unwanted": {"version": 0, "block": {"attributes": {"id": {"type": "string", "computed": true}}}}
      },
      "data_source_schemas": {
        "aws_region": {"version": 0, "block": {"attributes": {"name": {"type": "string", "computed": true}}}}
      },
      "functions": {"arn_parse": {"parameters": [{"name": "arn", "type": "string"}], "return_type": "string"}}
    }
  }
}`

func TestFilter(t *testing.T) {
	want := []Type{{Resource, "aws_sqs_queue"}, {Data, "aws_region"}}
	gz, err := Filter([]byte(full), "aws", want)
	if err != nil {
		t.Fatal(err)
	}
	again, err := Filter([]byte(full), "aws", want)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(gz, again) {
		t.Error("Filter is not deterministic")
	}
	ps, err := Decode(gz)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := ps.ResourceSchemas["aws_unwanted"]; ok {
		t.Error("an unwanted resource type was kept")
	}
	if len(ps.ResourceSchemas) != 1 || len(ps.DataSourceSchemas) != 1 {
		t.Errorf("kept %d resources and %d data sources, want 1 and 1", len(ps.ResourceSchemas), len(ps.DataSourceSchemas))
	}
	if len(ps.Functions) != 0 {
		t.Error("functions were kept")
	}
	if ps.ConfigSchema == nil || ps.ConfigSchema.Block.Attributes["region"] == nil {
		t.Error("the provider configuration schema was dropped")
	}
	js, _ := readAll(gz)
	for _, s := range []string{"description", "The ARN", "example.test"} {
		if bytes.Contains(js, []byte(s)) {
			t.Errorf("filtered schema still contains %q", s)
		}
	}
	q := ps.ResourceSchemas["aws_sqs_queue"].Block
	if !q.Attributes["arn"].Computed || q.NestedBlocks["timeouts"] == nil {
		t.Errorf("aws_sqs_queue lost its attributes or blocks: %+v", q)
	}
}

func TestFilterReportsMissingTypes(t *testing.T) {
	_, err := Filter([]byte(full), "aws", []Type{{Resource, "aws_nope"}, {Data, "aws_sqs_queue"}})
	var missing *MissingError
	if !errors.As(err, &missing) {
		t.Fatalf("Filter = %v, want a *MissingError", err)
	}
	want := []Type{{Resource, "aws_nope"}, {Data, "aws_sqs_queue"}}
	if d := cmp.Diff(want, missing.Types); d != "" {
		t.Errorf("missing types (-want +got):\n%s", d)
	}
}

func TestFilterUnknownProvider(t *testing.T) {
	if _, err := Filter([]byte(full), "google", nil); err == nil {
		t.Fatal("Filter of a provider the input lacks succeeded")
	}
}
