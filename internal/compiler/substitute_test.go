package compiler

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/offline"
	"github.com/skyform/skyform/internal/tfrun"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/state"
)

// wrapper writes a module that keeps skyform's contract for a kind on a
// cloud in another shape: it declares the embedded module's variables and
// outputs itself and passes everything through to a copy of that module
// nested inside it (module "inner" { source = "./inner" }).
func wrapper(t *testing.T, dir string, c blueprints.Cloud, k blueprints.Kind) {
	t.Helper()
	mod := string(c) + "/" + string(k)
	files, err := modules.Files(mod)
	if err != nil {
		t.Fatal(err)
	}
	iface, err := modules.Describe(mod)
	if err != nil {
		t.Fatal(err)
	}
	write := func(name string, data []byte) {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for name, data := range files {
		write("inner/"+name, data)
	}
	write("variables.tf", files["variables.tf"])
	write("versions.tf", files["versions.tf"])
	var main, outs bytes.Buffer
	main.WriteString("module \"inner\" {\n  source = \"./inner\"\n")
	for _, v := range iface.Variables {
		fmt.Fprintf(&main, "  %s = var.%s\n", v.Name, v.Name)
	}
	main.WriteString("}\n")
	for _, o := range iface.Outputs {
		fmt.Fprintf(&outs, "output %q {\n  value = module.inner.%s\n}\n\n", o.Name, o.Name)
	}
	write("main.tf", main.Bytes())
	write("outputs.tf", outs.Bytes())
}

// TestSubstitutedModulesRunOffline replaces the queue and function modules
// of every cloud with wrappers around the real ones, and has terraform
// init, validate, plan and apply the result through the offline providers;
// a second plan has no changes. The addresses show the wrappers were used.
func TestSubstitutedModulesRunOffline(t *testing.T) {
	tf, err := tfrun.FindTerraform()
	if err != nil {
		t.Fatalf("terraform is needed (make test installs it): %v", err)
	}
	dir := t.TempDir()
	var cfg, bp strings.Builder
	cfg.WriteString("modules:\n")
	bp.WriteString("blueprint: swap\nregion: europe-west\nmodules: ./skyform.modules.yaml\nresources:\n")
	for _, c := range blueprints.Clouds {
		for _, k := range []blueprints.Kind{blueprints.KindQueue, blueprints.KindFunction} {
			wrapper(t, filepath.Join(dir, "team", string(c), string(k)), c, k)
			fmt.Fprintf(&cfg, "  %s.%s:\n    source: ./team/%s/%s\n", k, c, c, k)
		}
		fmt.Fprintf(&bp, "  jobs-%s: {kind: queue, cloud: %s, dead_letter: {max_deliveries: 3}}\n", c, c)
		fmt.Fprintf(&bp, "  worker-%s: {kind: function, cloud: %s, runtime: python3.12, source: fn, triggers: [{queue: jobs-%s}], env: {JOBS: '${jobs-%s.url}'}}\n", c, c, c, c)
	}
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string]string{"skyform.modules.yaml": cfg.String(), "skyform.yaml": bp.String(), "fn/main.py": "def handler(event, context):\n    return None\n"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b, ds, err := blueprints.Load(filepath.Join(dir, "skyform.yaml"))
	if err != nil || ds.HasErrors() {
		t.Fatalf("%v %v", err, ds)
	}
	res, cds, err := New().Compile(b, "")
	if err != nil || cds.HasErrors() {
		t.Fatalf("compile: %v %v", err, cds.Errs())
	}
	for _, c := range blueprints.Clouds {
		if _, ok := res.Files["modules/custom/"+string(c)+"/queue/inner/main.tf"]; !ok {
			t.Fatalf("the %s queue wrapper was not copied into the output", c)
		}
		if _, ok := res.Files["modules/"+string(c)+"/queue/main.tf"]; ok {
			t.Errorf("the embedded %s queue module is still written though every queue on %s uses the team's", c, c)
		}
	}
	out := filepath.Join(dir, "out")
	if err := state.WriteGenerated(out, res.Files); err != nil {
		t.Fatal(err)
	}
	vars := map[string]string{}
	for _, v := range res.Variables {
		if v.Required {
			vars[v.Name] = "offline-" + strings.ReplaceAll(v.Name, "_", "-")
		}
	}
	data, err := json.Marshal(vars)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(out, "test.auto.tfvars.json"), data, 0o600); err != nil {
		t.Fatal(err)
	}
	cliConfig, err := offline.Install(filepath.Join(dir, "offline"))
	if err != nil {
		t.Fatal(err)
	}
	r, err := tfrun.New(out, tfrun.WithTerraform(tf), tfrun.WithCLIConfig(cliConfig))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := r.Init(ctx, tfrun.NoBackend()); err != nil {
		t.Fatal(err)
	}
	v, err := r.Validate(ctx)
	if err != nil || !v.Valid {
		t.Fatalf("validate: %v %+v", err, v)
	}
	plan := filepath.Join(out, "plan.bin")
	if _, err := r.Plan(ctx, tfrun.PlanOut(plan)); err != nil {
		t.Fatal(err)
	}
	p, err := r.ShowPlan(ctx, plan)
	if err != nil {
		t.Fatal(err)
	}
	var wrapped []string
	for _, rc := range p.ResourceChanges {
		if strings.Contains(rc.Address, ".module.inner.") && (strings.HasPrefix(rc.Address, "module.jobs_") || strings.HasPrefix(rc.Address, "module.worker_")) {
			wrapped = append(wrapped, strings.SplitN(rc.Address, ".module.inner.", 2)[0])
		}
	}
	sort.Strings(wrapped)
	seen := map[string]bool{}
	for _, w := range wrapped {
		seen[w] = true
	}
	for _, c := range blueprints.Clouds {
		for _, id := range []string{"module.jobs_" + string(c), "module.worker_" + string(c)} {
			if !seen[id] {
				t.Errorf("plan has no resource inside %s.module.inner: the substitute was not used", id)
			}
		}
	}
	if err := r.Apply(ctx, tfrun.ApplyPlan(plan)); err != nil {
		t.Fatal(err)
	}
	changes, err := r.Plan(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if changes {
		t.Error("a second plan after apply has changes")
	}
}
