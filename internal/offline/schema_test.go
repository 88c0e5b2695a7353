package offline

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/skyform/skyform/internal/offline/schemaset"
)

// repoRoot is the repository root, relative to this package.
var repoRoot = filepath.Join("..", "..")

// TestModuleTypesAreServed fails when a module uses a resource or data
// type that the committed schemas lack, or a provider that is not served
// offline: terraform would reject the module offline.
func TestModuleTypesAreServed(t *testing.T) {
	uses, err := schemaset.Scan(filepath.Join(repoRoot, "modules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, problem := range unserved(t, uses) {
		t.Error(problem)
	}
}

// unserved says which uses terraform would reject offline.
func unserved(t *testing.T, uses []schemaset.Use) []string {
	var out []string
	for _, u := range uses {
		if u.Builtin() {
			continue
		}
		where := filepath.ToSlash(filepath.Join("modules", u.File)) + ":" + strconv.Itoa(u.Line)
		if _, ok := Lookup(u.Provider()); !ok {
			out = append(out, fmt.Sprintf("%s: %s needs provider %q, which is not served offline (only aws, google, azurerm)", where, u.Type, u.Provider()))
			continue
		}
		s, err := LoadSchema(u.Provider())
		if err != nil {
			t.Fatal(err)
		}
		m := s.Resources
		if u.Kind == schemaset.Data {
			m = s.DataSources
		}
		if _, ok := m[u.Name]; !ok {
			out = append(out, fmt.Sprintf("%s: %s is not in the committed offline schemas; run `make schemas`", where, u.Type))
		}
	}
	return out
}

func TestUnservedTypesAreReported(t *testing.T) {
	uses := []schemaset.Use{
		{Type: schemaset.Type{Kind: schemaset.Resource, Name: "aws_sqs_queue"}, File: "aws/queue/main.tf", Line: 1},
		{Type: schemaset.Type{Kind: schemaset.Resource, Name: "terraform_data"}, File: "aws/queue/main.tf", Line: 2},
		{Type: schemaset.Type{Kind: schemaset.Resource, Name: "aws_not_carried"}, File: "aws/queue/main.tf", Line: 3},
		{Type: schemaset.Type{Kind: schemaset.Data, Name: "aws_sqs_queue"}, File: "aws/queue/main.tf", Line: 4},
		{Type: schemaset.Type{Kind: schemaset.Resource, Name: "random_id"}, File: "aws/queue/main.tf", Line: 5},
	}
	want := []string{
		"modules/aws/queue/main.tf:3: resource \"aws_not_carried\" is not in the committed offline schemas; run `make schemas`",
		"modules/aws/queue/main.tf:4: data \"aws_sqs_queue\" is not in the committed offline schemas; run `make schemas`",
		"modules/aws/queue/main.tf:5: resource \"random_id\" needs provider \"random\", which is not served offline (only aws, google, azurerm)",
	}
	if d := cmp.Diff(want, unserved(t, uses)); d != "" {
		t.Errorf("unserved (-want +got):\n%s", d)
	}
}

// TestSchemasAreCurrent regenerates the schemas from the shared full
// schemas, where they are available, and compares: the committed files
// must be exactly what `make schemas` writes.
func TestSchemasAreCurrent(t *testing.T) {
	src := filepath.Join(repoRoot, "..", "shared", "provider-schemas")
	if _, err := os.Stat(src); err != nil {
		t.Skipf("no full provider schemas at %s to regenerate from", src)
	}
	uses, err := schemaset.Scan(filepath.Join(repoRoot, "modules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range Providers {
		full, err := os.ReadFile(filepath.Join(src, p.Name+".json.gz"))
		if err != nil {
			t.Fatal(err)
		}
		want, err := schemaset.Filter(full, p.Name, schemaset.Want(uses, p.Name))
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		got, err := schemaFS.ReadFile("schemas/" + p.Name + ".json.gz")
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("schemas/%s.json.gz is stale; run `make schemas`", p.Name)
		}
	}
}

func TestProviders(t *testing.T) {
	var names []string
	for _, p := range Providers {
		names = append(names, p.Name)
		if !strings.HasSuffix(p.Address().String(), "/hashicorp/"+p.Name) || p.Source() != "hashicorp/"+p.Name {
			t.Errorf("%s: address %s, source %s", p.Name, p.Address(), p.Source())
		}
	}
	if d := cmp.Diff(schemaset.Providers, names); d != "" {
		t.Errorf("offline.Providers and schemaset.Providers differ (-schemaset +offline):\n%s", d)
	}
	if _, ok := Lookup("random"); ok {
		t.Error("Lookup(random) succeeded")
	}
}

func TestLoadSchema(t *testing.T) {
	for _, p := range Providers {
		s, err := LoadSchema(p.Name)
		if err != nil {
			t.Fatalf("%s: %v", p.Name, err)
		}
		if len(s.Provider.Block.Attributes) == 0 || len(s.Resources) == 0 || len(s.DataSources) == 0 {
			t.Errorf("%s: provider has %d attributes, %d resources, %d data sources", p.Name, len(s.Provider.Block.Attributes), len(s.Resources), len(s.DataSources))
		}
	}
	aws, _ := LoadSchema("aws")
	q := aws.Resources["aws_sqs_queue"]
	if q == nil {
		t.Fatal("aws_sqs_queue is missing")
	}
	attrs := map[string]bool{}
	for _, a := range q.Block.Attributes {
		attrs[a.Name] = a.Computed && !a.Optional
	}
	if !attrs["arn"] || !attrs["url"] {
		t.Errorf("aws_sqs_queue arn and url should be computed-only: %v", attrs)
	}
	if _, err := LoadSchema("random"); err == nil {
		t.Error("LoadSchema(random) succeeded")
	}
}
