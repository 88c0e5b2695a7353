package aws

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/tfir"
)

// iface is what a module declares: its variables (required or not) and
// outputs, read from modules/aws/<kind> in the source tree.
type iface struct {
	vars    map[string]bool // name -> required
	outputs map[string]bool
}

func readModule(t *testing.T, kind string) iface {
	t.Helper()
	dir := filepath.Join("..", "..", "modules", "aws", kind)
	files, err := filepath.Glob(filepath.Join(dir, "*.tf"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no module at %s", dir)
	}
	m := iface{vars: map[string]bool{}, outputs: map[string]bool{}}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		file, diags := hclsyntax.ParseConfig(src, f, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", f, diags)
		}
		for _, b := range file.Body.(*hclsyntax.Body).Blocks {
			switch b.Type {
			case "variable":
				_, hasDefault := b.Body.Attributes["default"]
				m.vars[b.Labels[0]] = !hasDefault
				for _, a := range []string{"type", "description"} {
					if _, ok := b.Body.Attributes[a]; !ok {
						t.Errorf("%s: variable %s has no %s", f, b.Labels[0], a)
					}
				}
			case "output":
				m.outputs[b.Labels[0]] = true
			}
		}
	}
	return m
}

// TestModuleInterfaces checks lowering against the modules it calls: every
// argument is a variable, every required variable is set, every module has
// its kind's neutral outputs, and every output lowering references exists.
func TestModuleInterfaces(t *testing.T) {
	pg := blueprints.Database{Engine: blueprints.Postgres, Version: "16", Size: blueprints.Medium, StorageGB: 20}
	b := bp(
		queue("orders", blueprints.Queue{FIFO: true, VisibilityTimeout: time.Minute, Retention: time.Hour, DeadLetter: &blueprints.DeadLetter{MaxDeliveries: 3}}),
		db("orders-db", pg),
		cluster("platform", blueprints.Cluster{Kubernetes: "1.34", NodePools: []blueprints.NodePool{{Name: "default", Size: blueprints.Medium, Min: 1, Max: 1, Spot: true}}}),
		fn("worker", func(f *blueprints.Function) {
			f.Concurrency = 3
			f.Triggers = []blueprints.Trigger{{Queue: "orders", BatchSize: 10}, {HTTP: &blueprints.HTTPTrigger{Public: true}}}
			f.Env = []blueprints.EnvVar{env("DB", ref("orders-db", "host")), env("S", ref("orders-db", "password_secret")), env("Q", ref("orders", "url"))}
		}),
	)
	frag, ds := lower(t, b)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	ifaces := map[string]iface{}
	for _, mod := range frag.ModulesUsed {
		kind := strings.TrimPrefix(mod, "aws/")
		ifaces["./modules/"+mod] = readModule(t, kind)
		m := ifaces["./modules/"+mod]
		for _, a := range blueprints.Attributes[blueprints.Kind(kind)] {
			if !m.outputs[a.Name] {
				t.Errorf("module %s lacks the neutral output %q", mod, a.Name)
			}
		}
		for _, v := range []string{"name", "labels"} {
			if _, ok := m.vars[v]; !ok {
				t.Errorf("module %s lacks variable %q", mod, v)
			}
		}
	}
	var refs []string
	for _, blk := range frag.Modules {
		got := args(t, blk)
		m := ifaces[strings.Trim(got["source"], `"`)]
		for a := range got {
			if _, ok := m.vars[a]; !ok && a != "source" {
				t.Errorf("module %s: argument %s is not a variable of %s", blk.Labels[0], a, got["source"])
			}
		}
		for v, required := range m.vars {
			if _, set := got[v]; required && !set {
				t.Errorf("module %s: required variable %s is not set", blk.Labels[0], v)
			}
		}
		for _, it := range blk.Items {
			if it.Attr != nil {
				refs = append(refs, traversals(it.Attr.Value)...)
			}
		}
	}
	// Every module.X.output lowering uses exists in X's module.
	sources := map[string]string{}
	for _, blk := range frag.Modules {
		sources[blk.Labels[0]] = strings.Trim(args(t, blk)["source"], `"`)
	}
	sort.Strings(refs)
	for _, r := range refs {
		parts := strings.Split(r, ".")
		if parts[0] != "module" {
			continue
		}
		if !ifaces[sources[parts[1]]].outputs[parts[2]] {
			t.Errorf("lowering references %s, which module %s does not output", r, sources[parts[1]])
		}
	}
	if len(refs) == 0 {
		t.Error("no references found: the walk is broken")
	}
}

func traversals(e tfir.Expr) []string {
	switch e := e.(type) {
	case tfir.Traversal:
		return []string{strings.Join(e, ".")}
	case tfir.Template:
		var out []string
		for _, p := range e {
			out = append(out, traversals(p)...)
		}
		return out
	case tfir.Object:
		var out []string
		for _, a := range e {
			out = append(out, traversals(a.Value)...)
		}
		return out
	case tfir.List:
		var out []string
		for _, v := range e {
			out = append(out, traversals(v)...)
		}
		return out
	}
	return nil
}

var password = regexp.MustCompile(`(?m)^\s*password(_wo)?\s*=`)

// TestModuleFiles checks each module has the four files and a versions.tf
// that requires only hashicorp/aws, without a version constraint.
func TestModuleFiles(t *testing.T) {
	for _, kind := range []string{"network", "queue", "function", "database", "cluster"} {
		dir := filepath.Join("..", "..", "modules", "aws", kind)
		var names []string
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			names = append(names, e.Name())
		}
		if diff := cmp.Diff([]string{"main.tf", "outputs.tf", "variables.tf", "versions.tf"}, names); diff != "" {
			t.Errorf("%s files (-want +got):\n%s", kind, diff)
		}
		v, err := os.ReadFile(filepath.Join(dir, "versions.tf"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(v), `source = "hashicorp/aws"`) || strings.Contains(string(v), "version") {
			t.Errorf("%s/versions.tf must require hashicorp/aws without a version:\n%s", kind, v)
		}
		main, _ := os.ReadFile(filepath.Join(dir, "main.tf"))
		for _, forbidden := range []string{`resource "random_`, `resource "null_`, `data "archive_`, `resource "tls_`} {
			if strings.Contains(string(main), forbidden) {
				t.Errorf("%s/main.tf uses %q", kind, forbidden)
			}
		}
		if password.Match(main) {
			t.Errorf("%s/main.tf sets a password argument; passwords are managed by the cloud", kind)
		}
	}
}
