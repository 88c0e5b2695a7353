package compiler

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/skyform/skyform/blueprints"
)

// queues is a blueprint of n queues plus a function consuming the first;
// extra is added to queue q7.
func queues(t *testing.T, n int, extra string) *blueprints.Blueprint {
	t.Helper()
	dir := t.TempDir()
	writeSources(t, dir, map[string]string{"fn/main.py": "def handler(e, c):\n    return 1\n"})
	var b strings.Builder
	b.WriteString("blueprint: shop\nresources:\n  worker: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: q0}]}\n")
	for i := range n {
		e := ""
		if i == 7 {
			e = extra
		}
		fmt.Fprintf(&b, "  q%d: {kind: queue%s}\n", i, e)
	}
	bp, ds := blueprints.Parse(filepath.Join(dir, "skyform.yaml"), []byte(b.String()))
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	return bp
}

// blocksByFile lists "module NAME" and "output NAME" per root file.
func blocksByFile(t *testing.T, res *Result) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for name, src := range res.Files {
		if strings.Contains(name, "/") || !strings.HasSuffix(name, ".tf") {
			continue
		}
		f, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		for _, b := range f.Body.(*hclsyntax.Body).Blocks {
			if b.Type == "module" || b.Type == "output" {
				out[name] = append(out[name], b.Type+" "+b.Labels[0])
			}
		}
	}
	return out
}

// TestLargeBlueprintSpreadOverFiles: past 256 resources, each resource's
// module call and output sit together in one of a few resources-<hex>.tf
// files (64 to 128 resources each), main.tf keeping the implicit modules; a
// changed or added resource changes one file. terraform validates the
// output, in HCL and in JSON.
func TestLargeBlueprintSpreadOverFiles(t *testing.T) {
	small := blocksByFile(t, compileAWS(t, queues(t, 10, ""), HCL))
	if len(small) != 2 || len(small["main.tf"]) != 11 || len(small["outputs.tf"]) != 11 {
		t.Errorf("a small blueprint: %v, want its modules in main.tf and outputs in outputs.tf", small)
	}

	res := compileAWS(t, queues(t, 400, ""), HCL)
	files := blocksByFile(t, res)
	shard := regexp.MustCompile(`^resources-[0-9a-f]+\.tf$`)
	where := map[string]string{}
	for name, blocks := range files {
		if name != "main.tf" && !shard.MatchString(name) {
			t.Errorf("unexpected file %s holding %v", name, blocks)
		}
		if name != "main.tf" && (len(blocks) < 2*32 || len(blocks) > 2*192) {
			t.Errorf("%s holds %d blocks, want about 64 to 128 resources' module and output", name, len(blocks))
		}
		for _, b := range blocks {
			if prev, ok := where[b]; ok {
				t.Errorf("%s in %s and %s", b, prev, name)
			}
			where[b] = name
		}
	}
	for i := range 400 {
		m, o := where[fmt.Sprintf("module q%d", i)], where[fmt.Sprintf("output q%d", i)]
		if m == "" || m != o || m == "main.tf" {
			t.Errorf("q%d: module in %q, output in %q; want both in the same resources file", i, m, o)
		}
	}
	for _, b := range files["main.tf"] {
		if strings.HasPrefix(b, "module q") || strings.HasPrefix(b, "output ") || b == "module worker" {
			t.Errorf("main.tf holds %s; it keeps the implicit modules alone", b)
		}
	}
	if _, ok := res.Files["outputs.tf"]; ok {
		t.Error("outputs.tf written beside the resources files")
	}

	changed := func(a, b *Result) []string {
		var out []string
		for name, data := range b.Files {
			if string(a.Files[name]) != string(data) {
				out = append(out, name)
			}
		}
		for name := range a.Files {
			if _, ok := b.Files[name]; !ok {
				out = append(out, name)
			}
		}
		return out
	}
	q7 := where["module q7"]
	if got := changed(res, compileAWS(t, queues(t, 400, ", visibility_timeout: 2m"), HCL)); len(got) != 1 || got[0] != q7 {
		t.Errorf("a changed setting on q7 changed %v, want %s alone", got, q7)
	}
	if got := changed(res, compileAWS(t, queues(t, 401, ""), HCL)); len(got) != 1 || !shard.MatchString(got[0]) {
		t.Errorf("one more queue changed %v, want one resources file", got)
	}

	tf, cliConfig := offlineTerraform(t)
	terraformValidate(t, tf, cliConfig, res)
	terraformValidate(t, tf, cliConfig, compileAWS(t, queues(t, 400, ""), JSON))
}

func compileAWS(t *testing.T, bp *blueprints.Blueprint, f Format) *Result {
	t.Helper()
	res, ds, err := New(WithFormat(f)).Compile(bp, blueprints.AWS)
	if err != nil || ds.HasErrors() {
		t.Fatalf("compile: %v %v", err, ds.Errs())
	}
	return res
}
