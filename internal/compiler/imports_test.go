package compiler

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints"
)

const importsBlueprint = `blueprint: shop
region: eu-west-1
imports: skyform.imports.yaml
resources:
  orders:
    kind: queue
  jobs:
    kind: queue
`

func compileWithImports(t *testing.T, imports string, format Format, target blueprints.Cloud) (*Result, string) {
	t.Helper()
	dir := t.TempDir()
	bpFile := filepath.Join(dir, "skyform.yaml")
	os.WriteFile(bpFile, []byte(importsBlueprint), 0o644)
	os.WriteFile(filepath.Join(dir, "skyform.imports.yaml"), []byte(imports), 0o644)
	bp, ds := blueprints.Parse(bpFile, []byte(importsBlueprint))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	res, ds, err := New(WithFormat(format)).Compile(bp, target)
	if err != nil {
		t.Fatal(err)
	}
	var msgs []string
	for _, d := range ds.Errs() {
		msgs = append(msgs, strings.TrimPrefix(d.Range.String(), dir+"/")+": "+d.Summary)
	}
	return res, strings.Join(msgs, "\n")
}

// TestImports: the import file becomes import blocks in the root module
// (HCL and JSON), only for resources on the file's cloud.
func TestImports(t *testing.T) {
	file := `cloud: aws
resources:
  orders:
    - to: aws_sqs_queue.this
      id: https://sqs.eu-west-1.amazonaws.com/1/shop-orders
    - to: aws_sqs_queue.dead_letter[0]
      id: https://sqs.eu-west-1.amazonaws.com/1/shop-orders-dlq
  jobs:
    - to: aws_iam_role_policy.consume["a.b_C-1"]
      id: "role:consume-a"
`
	res, errs := compileWithImports(t, file, HCL, "")
	if errs != "" {
		t.Fatal(errs)
	}
	want := `import {
  to = module.jobs.aws_iam_role_policy.consume["a.b_C-1"]
  id = "role:consume-a"
}

import {
  to = module.orders.aws_sqs_queue.this
  id = "https://sqs.eu-west-1.amazonaws.com/1/shop-orders"
}

import {
  to = module.orders.aws_sqs_queue.dead_letter[0]
  id = "https://sqs.eu-west-1.amazonaws.com/1/shop-orders-dlq"
}
`
	got := string(res.Files["imports.tf"])
	if i := strings.Index(got, "import {"); i >= 0 {
		got = got[i:]
	}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("imports.tf (-want +got):\n%s", d)
	}
	res, _ = compileWithImports(t, file, JSON, "")
	if !strings.Contains(string(res.Files["imports.tf.json"]), `"to": "module.orders.aws_sqs_queue.dead_letter[0]"`) {
		t.Errorf("imports.tf.json:\n%s", res.Files["imports.tf.json"])
	}
	res, _ = compileWithImports(t, file, HCL, blueprints.GCP)
	if _, ok := res.Files["imports.tf"]; ok {
		t.Error("moved to gcp, the blueprint still imports aws objects")
	}
}

// TestImportsRoleKeys: a for_each keyed by IAM role (roles/...) is an
// address the import file may name; a key holding a quote or a space is not.
func TestImportsRoleKeys(t *testing.T) {
	res, errs := compileWithImports(t, `cloud: gcp
resources:
  orders:
    - to: google_project_iam_member.admin["roles/cloudsql.client"]
      id: "p roles/cloudsql.client serviceAccount:a@p.iam.gserviceaccount.com only-db"
`, HCL, blueprints.GCP)
	if errs != "" {
		t.Fatal(errs)
	}
	if got := string(res.Files["imports.tf"]); !strings.Contains(got, `to = module.orders.google_project_iam_member.admin["roles/cloudsql.client"]`) {
		t.Errorf("imports.tf:\n%s", got)
	}
	_, errs = compileWithImports(t, `cloud: gcp
resources:
  orders:
    - to: google_project_iam_member.admin["roles/a b"]
      id: x
`, HCL, blueprints.GCP)
	if !strings.Contains(errs, `skyform.imports.yaml:4:7: invalid address "google_project_iam_member.admin[\"roles/a b\"]"`) {
		t.Errorf("errors: %s", errs)
	}
}

func TestImportsErrors(t *testing.T) {
	_, errs := compileWithImports(t, `cloud: aws
resources:
  orders:
    - to: module.x.aws_sqs_queue.this
      id: x
    - to: aws_sqs_queue.this
      id: ""
  payments:
    - to: aws_sqs_queue.this
      id: x
`, HCL, "")
	want := `skyform.imports.yaml:4:7: invalid address "module.x.aws_sqs_queue.this"
skyform.imports.yaml:6:7: missing import ID
skyform.imports.yaml:8:3: no resource "payments" in the blueprint`
	if d := cmp.Diff(want, errs); d != "" {
		t.Errorf("errors (-want +got):\n%s", d)
	}
	_, errs = compileWithImports(t, "cloud: aws\nresources: [", HCL, "")
	if !strings.Contains(errs, "skyform.imports.yaml:1:1: invalid import file") {
		t.Errorf("errors: %s", errs)
	}
}
