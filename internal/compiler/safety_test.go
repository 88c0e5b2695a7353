package compiler

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/providers/conformance"
	"github.com/zclconf/go-cty/cty"
)

// unsafeConstructs reads a Terraform file with hclsyntax and lists what
// generated code must never hold: a provisioner (it runs commands on the
// machine applying or on the resource), a data source that runs a program
// or fetches a URL while planning (external, http), and a module whose
// source is fetched from anywhere but the module directory, unless the
// blueprint's module config allows that source's prefix.
func unsafeConstructs(name string, src []byte, allow []string) []string {
	f, ds := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if ds.HasErrors() {
		return []string{fmt.Sprintf("%s does not parse: %v", name, ds)}
	}
	var out []string
	var walk func(b *hclsyntax.Block, top bool)
	walk = func(b *hclsyntax.Block, top bool) {
		at := fmt.Sprintf("%s:%d", name, b.TypeRange.Start.Line)
		switch {
		case b.Type == "provisioner":
			out = append(out, at+": provisioner block")
		case top && b.Type == "data" && len(b.Labels) > 0 && (b.Labels[0] == "external" || b.Labels[0] == "http"):
			out = append(out, fmt.Sprintf("%s: data %q", at, b.Labels[0]))
		case top && b.Type == "module":
			attr, ok := b.Body.Attributes["source"]
			if !ok {
				out = append(out, at+": module without a source")
				break
			}
			v, vds := attr.Expr.Value(nil)
			if vds.HasErrors() || v.Type() != cty.String || v.IsNull() {
				out = append(out, at+": module source is not a literal string")
				break
			}
			if s := v.AsString(); !localSource(s) && !allowed(s, allow) {
				out = append(out, fmt.Sprintf("%s: module source %q is remote and not on the allow list", at, s))
			}
		}
		for _, nb := range b.Body.Blocks {
			walk(nb, false)
		}
	}
	for _, b := range f.Body.(*hclsyntax.Body).Blocks {
		walk(b, true)
	}
	return out
}

// localSource is a module path inside the configuration.
func localSource(s string) bool {
	return strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../")
}

func allowed(s string, allow []string) bool {
	for _, a := range allow {
		if strings.HasPrefix(s, a) {
			return true
		}
	}
	return false
}

// checkSafe holds every Terraform file of a compiled output to
// unsafeConstructs; only .tf files are emitted, so any other Terraform
// file is itself a failure (it would escape the check).
func checkSafe(t *testing.T, what string, files map[string][]byte, allow []string) {
	t.Helper()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	checked := 0
	for _, n := range names {
		switch {
		case strings.HasSuffix(n, ".tf"):
			checked++
			for _, p := range unsafeConstructs(n, files[n], allow) {
				t.Errorf("%s: %s", what, p)
			}
		case strings.HasSuffix(n, ".tf.json"):
			t.Errorf("%s: %s is Terraform JSON, which this check does not read", what, n)
		}
	}
	if checked == 0 {
		t.Errorf("%s: no Terraform file to check", what)
	}
}

func moduleAllowList(t *testing.T, bp *blueprints.Blueprint) []string {
	t.Helper()
	if bp.Modules == "" {
		return nil
	}
	cfg, ds, err := modules.LoadConfig(bp.Modules)
	if err != nil || ds.HasErrors() {
		t.Fatalf("module config %s: %v %v", bp.Modules, err, ds)
	}
	return cfg.Allow
}

// TestGeneratedCodeIsSafe walks every module under modules/ and the
// compiled output of every example (for every target) and every
// conformance case (for every cloud) and fails on a provisioner, an
// external or http data source, or a remote module source the module
// config does not allow.
func TestGeneratedCodeIsSafe(t *testing.T) {
	t.Run("modules", func(t *testing.T) {
		files := map[string][]byte{}
		err := filepath.WalkDir("../../modules", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !(strings.HasSuffix(p, ".tf") || strings.HasSuffix(p, ".tf.json")) {
				return err
			}
			data, err := os.ReadFile(p)
			files[strings.TrimPrefix(p, "../../")] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		checkSafe(t, "modules", files, nil)
	})
	c := New()
	for _, file := range compiledCases(t) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		bp, ds := blueprints.Parse(file, src)
		if ds.HasErrors() {
			t.Fatalf("%s does not parse: %v", file, ds)
		}
		allow := moduleAllowList(t, bp)
		for _, tg := range targets(bp) {
			what := filepath.Base(filepath.Dir(file)) + "/" + tg.name
			t.Run(what, func(t *testing.T) {
				res, cds, err := c.Compile(bp, tg.cloud)
				if err != nil || cds.HasErrors() {
					t.Fatalf("does not compile: %v %v", err, cds.Errs())
				}
				checkSafe(t, what, res.Files, allow)
			})
		}
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(event, context):\n    return 'ok'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range conformance.Cases {
		if len(tc.WantErrors) > 0 {
			continue
		}
		for _, cloud := range blueprints.Clouds {
			other := blueprints.AWS
			if cloud == blueprints.AWS {
				other = blueprints.GCP
			}
			what := "conformance/" + tc.Name + "/" + string(cloud)
			t.Run(what, func(t *testing.T) {
				src := strings.NewReplacer("CLOUD", string(cloud), "OTHER", string(other)).Replace(tc.Blueprint)
				bp, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), []byte(src))
				if ds.HasErrors() {
					t.Fatalf("does not parse: %v", ds)
				}
				res, cds, err := c.Compile(bp, "")
				if err != nil || cds.HasErrors() {
					t.Fatalf("does not compile: %v %v", err, cds.Errs())
				}
				checkSafe(t, what, res.Files, nil)
			})
		}
	}
}

// TestUnsafeConstructsFound holds the check itself to each construct it
// must catch, so a check that finds nothing cannot pass unnoticed.
func TestUnsafeConstructsFound(t *testing.T) {
	cases := map[string]struct {
		src   string
		allow []string
		want  []string
	}{
		"provisioner in a resource": {
			src:  "resource \"aws_instance\" \"a\" {\n  provisioner \"local-exec\" {\n    command = \"id\"\n  }\n}\n",
			want: []string{"x.tf:2: provisioner block"},
		},
		"provisioner after another nested block": {
			src:  "resource \"terraform_data\" \"a\" {\n  lifecycle {\n  }\n  provisioner \"remote-exec\" {\n  }\n}\n",
			want: []string{"x.tf:4: provisioner block"},
		},
		"external data source": {
			src:  "data \"external\" \"x\" {\n  program = [\"sh\"]\n}\n",
			want: []string{`x.tf:1: data "external"`},
		},
		"http data source": {
			src:  "data \"http\" \"x\" {\n  url = \"https://example.com\"\n}\n",
			want: []string{`x.tf:1: data "http"`},
		},
		"remote module": {
			src:  "module \"m\" {\n  source = \"git::https://example.com/m.git?ref=v1.0.0\"\n}\n",
			want: []string{`x.tf:1: module source "git::https://example.com/m.git?ref=v1.0.0" is remote and not on the allow list`},
		},
		"allowed remote module": {
			src:   "module \"m\" {\n  source = \"git::https://example.com/m.git?ref=v1.0.0\"\n}\n",
			allow: []string{"git::https://example.com/"},
		},
		"computed module source": {
			src:  "module \"m\" {\n  source = \"${var.x}\"\n}\n",
			want: []string{"x.tf:1: module source is not a literal string"},
		},
		"local module and ordinary data source": {
			src: "module \"m\" {\n  source = \"./modules/aws/queue\"\n}\ndata \"aws_region\" \"r\" {\n}\n",
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got := unsafeConstructs("x.tf", []byte(tc.src), tc.allow)
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}
