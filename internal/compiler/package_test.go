package compiler

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
)

// sharedSources is a blueprint with three functions: two built from fn
// (different runtimes and handlers), one from other.
const sharedSources = `blueprint: shop
resources:
  jobs: {kind: queue}
  a: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs}]}
  b: {kind: function, runtime: python3.11, source: ./fn/, handler: main.other}
  c: {kind: function, runtime: python3.12, source: other}
`

func writeSources(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func loadBlueprint(t *testing.T, dir string) *blueprints.Blueprint {
	t.Helper()
	bp, ds, err := blueprints.Load(filepath.Join(dir, "skyform.yaml"))
	if err != nil || ds.HasErrors() {
		t.Fatalf("blueprint: %v %v", err, ds)
	}
	return bp
}

// moduleStrings reads every module call of a compiled root module and
// returns its literal string arguments, by module name.
func moduleStrings(t *testing.T, res *Result) map[string]map[string]string {
	t.Helper()
	out := map[string]map[string]string{}
	for name, src := range res.Files {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".tf") {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type != "module" {
				continue
			}
			args := map[string]string{}
			for k, a := range b.Body.Attributes {
				if v, d := a.Expr.Value(nil); !d.HasErrors() && v.Type().FriendlyName() == "string" {
					args[k] = v.AsString()
				}
			}
			out[b.Labels[0]] = args
		}
	}
	return out
}

func zips(res *Result) []string {
	var out []string
	for name := range res.Files {
		if strings.HasPrefix(name, "build/") {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// TestFunctionsShareOnePackagePerSource compiles three functions from two
// sources on every cloud: one zip per source, named by its content, each
// module call pointing at its source's zip with that zip's hash; a code
// change gives a new path and hash (a redeploy) to the functions built
// from the changed source only. terraform validates each output.
func TestFunctionsShareOnePackagePerSource(t *testing.T) {
	tf, cliConfig := offlineTerraform(t)
	hashVar := map[blueprints.Cloud][2]string{
		blueprints.AWS:   {"package_path", "package_sha256"},
		blueprints.GCP:   {"source_zip", "source_sha256"},
		blueprints.Azure: {"package_path", "package_sha256"},
	}
	for _, cloud := range blueprints.Clouds {
		t.Run(string(cloud), func(t *testing.T) {
			dir := t.TempDir()
			writeSources(t, dir, map[string]string{
				"skyform.yaml":  sharedSources,
				"fn/main.py":    "def handler(e, c):\n    return 1\n",
				"other/main.py": "def handler(e, c):\n    return 2\n",
			})
			c := New()
			res, ds, err := c.Compile(loadBlueprint(t, dir), cloud)
			if err != nil || ds.HasErrors() {
				t.Fatalf("compile: %v %v", err, ds.Errs())
			}
			if got := zips(res); len(got) != 2 {
				t.Fatalf("zips written = %v, want one per source (2)", got)
			}
			mods := moduleStrings(t, res)
			pathVar, shaVar := hashVar[cloud][0], hashVar[cloud][1]
			a, b, o := mods["a"], mods["b"], mods["c"]
			if a[pathVar] == "" || a[pathVar] != b[pathVar] || a[shaVar] != b[shaVar] {
				t.Errorf("a and b share a source but not a package: %s=%q/%q, %s=%q/%q", pathVar, a[pathVar], b[pathVar], shaVar, a[shaVar], b[shaVar])
			}
			if o[pathVar] == a[pathVar] || o[shaVar] == a[shaVar] {
				t.Errorf("c has its own source but shares a's package %q", a[pathVar])
			}
			for _, m := range []map[string]string{a, o} {
				if _, ok := res.Files[m[pathVar]]; !ok {
					t.Errorf("module points at %q, which is not written", m[pathVar])
				}
			}
			terraformValidate(t, tf, cliConfig, res)

			// A code change in fn: a and b get a new package, c keeps its own.
			writeSources(t, dir, map[string]string{"fn/main.py": "def handler(e, c):\n    return 3\n"})
			res2, _, err := New().Compile(loadBlueprint(t, dir), cloud)
			if err != nil {
				t.Fatal(err)
			}
			mods2 := moduleStrings(t, res2)
			if mods2["a"][pathVar] == a[pathVar] || mods2["a"][shaVar] == a[shaVar] || mods2["b"][pathVar] != mods2["a"][pathVar] {
				t.Errorf("after a code change: a=%v b=%v, want a new shared package (was %q)", mods2["a"], mods2["b"], a[pathVar])
			}
			if diff := cmp.Diff(o, mods2["c"]); diff != "" {
				t.Errorf("c changed though its source did not (-before +after):\n%s", diff)
			}
		})
	}
}

// TestPackageBuiltOncePerSource compiles one blueprint for every cloud with
// one Compiler: each source is zipped once for the whole run.
func TestPackageBuiltOncePerSource(t *testing.T) {
	dir := t.TempDir()
	writeSources(t, dir, map[string]string{
		"skyform.yaml":  sharedSources,
		"fn/main.py":    "def handler(e, c):\n    return 1\n",
		"other/main.py": "def handler(e, c):\n    return 2\n",
	})
	bp := loadBlueprint(t, dir)
	c := New()
	var first []string
	for _, cloud := range blueprints.Clouds {
		res, _, err := c.Compile(bp, cloud)
		if err != nil {
			t.Fatal(err)
		}
		if first == nil {
			first = zips(res)
		} else if diff := cmp.Diff(first, zips(res)); diff != "" {
			t.Errorf("%s packages differ from the first cloud's:\n%s", cloud, diff)
		}
	}
	if len(c.zips) != 2 {
		t.Errorf("zipped %d sources, want 2 (fn, other) for the whole run", len(c.zips))
	}
}
