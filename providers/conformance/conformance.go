package conformance

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/skyform/skyform/blueprints"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/pack"
	"github.com/skyform/skyform/internal/tfir"
	"github.com/skyform/skyform/modules"
	"github.com/skyform/skyform/providers"
)

// Case is one blueprint of the suite.
type Case struct {
	Name   string
	Reason string
	// Blueprint is YAML; "CLOUD" is replaced by the cloud under test and
	// "OTHER" by another cloud.
	Blueprint string
	// WantErrors are summaries (substrings) that must be reported as errors;
	// when empty, lowering must report no error.
	WantErrors []string
	// WantInModule maps a module label to text its rendered block must hold.
	WantInModule map[string][]string
}

// Cases is the suite's table.
var Cases = []Case{
	{Name: "standard queue", Reason: "the smallest blueprint", Blueprint: `
blueprint: shop
cloud: CLOUD
resources:
  jobs: {kind: queue}
`},
	{Name: "fifo queue with dead letter", Reason: "ordering and dead-letter semantics", Blueprint: `
blueprint: shop
cloud: CLOUD
region: europe-west
resources:
  orders: {kind: queue, ordering: fifo, visibility_timeout: 2m, retention: 4d, dead_letter: {max_deliveries: 5}}
`},
	{Name: "http function", Reason: "a public HTTPS function per runtime", Blueprint: `
blueprint: web
cloud: CLOUD
labels: {team: web, env: prod}
resources:
  api: {kind: function, runtime: python3.12, source: fn, memory_mb: 512, timeout: 10s, triggers: [{http: {public: true}}]}
  node-api: {kind: function, runtime: nodejs20, source: fn, handler: index.handler, triggers: [{http: {public: false}}]}
  go-api: {kind: function, runtime: go, source: fn, concurrency: 10, triggers: [{http: {public: true}}]}
`, WantInModule: map[string][]string{"api": {`team`, `"web"`, "skyform-resource"}}},
	{Name: "queue-triggered function", Reason: "event source wiring and least privilege to one queue", Blueprint: `
blueprint: shop
cloud: CLOUD
resources:
  orders: {kind: queue, visibility_timeout: 5m, dead_letter: {max_deliveries: 5}}
  worker:
    kind: function
    runtime: nodejs22
    source: fn
    handler: index.handler
    timeout: 1m
    triggers: [{queue: orders, batch_size: 10}]
    env: {QUEUE: "${orders.name}", MODE: "batch ${HOME} %{x}"}
`, WantInModule: map[string][]string{"worker": {"module.orders.name"}}},
	{Name: "databases", Reason: "both engines, every size, high availability", Blueprint: `
blueprint: data
cloud: CLOUD
resources:
  pg: {kind: database, engine: postgres, version: "16", size: small, storage_gb: 50, high_availability: true, backup_retention_days: 14}
  pg-large: {kind: database, engine: postgres, version: "15", size: large}
  my: {kind: database, engine: mysql, version: "8.0", size: medium, deletion_protection: false}
  my-xl: {kind: database, engine: mysql, size: xlarge}
`},
	{Name: "function reaching a database", Reason: "network reachability and connection settings", Blueprint: `
blueprint: orders
cloud: CLOUD
resources:
  db: {kind: database, engine: postgres}
  api:
    kind: function
    runtime: python3.12
    source: fn
    triggers: [{http: {public: true}}]
    env:
      DB_HOST: ${db.host}
      DB_URL: "postgres://${db.username}@${db.host}:${db.port}/${db.name}"
      DB_SECRET: ${db.password_secret}
`, WantInModule: map[string][]string{"api": {"module.db.host", "module.db.port"}}},
	{Name: "cluster", Reason: "two node pools, one spot, private endpoint", Blueprint: `
blueprint: platform
cloud: CLOUD
resources:
  k8s:
    kind: cluster
    kubernetes: "1.31"
    private_endpoint: true
    node_pools:
      general: {size: medium, min: 1, max: 5}
      batch: {size: large, min: 0, max: 10, spot: true}
  small: {kind: cluster, node_pools: {default: {size: small}, huge: {size: xlarge, max: 2}}}
`},
	{Name: "scheduled function", Reason: "cron schedules read in time zones: weekly, a working day, both day fields", Blueprint: `
blueprint: reports
cloud: CLOUD
resources:
  report:
    kind: function
    runtime: python3.12
    source: fn
    timeout: 2m
    triggers:
      - {schedule: "0 14 * * SAT", timezone: Europe/Berlin}
      - {schedule: "*/15 9-17 * * MON-FRI", timezone: America/New_York}
      - {schedule: "0 6 1 * MON"}
      - {http: {public: false}}
`, WantInModule: map[string][]string{"report": {"schedule_triggers", `"1"`, `"3`}}},
	{Name: "cross-cloud queue trigger", Reason: "a trigger cannot be wired natively across clouds", Blueprint: `
blueprint: hybrid
cloud: CLOUD
resources:
  jobs: {kind: queue, cloud: OTHER}
  worker: {kind: function, runtime: python3.12, source: fn, triggers: [{queue: jobs}]}
`, WantErrors: []string{"not supported on CLOUD"}},
}

// Run runs the suite against one cloud's lowering.
func Run(t *testing.T, c providers.Cloud) {
	t.Helper()
	cloud := c.Name()
	other := blueprints.AWS
	if cloud == blueprints.AWS {
		other = blueprints.GCP
	}
	dir := t.TempDir()
	if err := os.MkdirAll(filepath.Join(dir, "fn"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "fn", "main.py"), []byte("def handler(event, context):\n    return 'ok'\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range Cases {
		t.Run(tc.Name, func(t *testing.T) {
			src := strings.NewReplacer("CLOUD", string(cloud), "OTHER", string(other)).Replace(tc.Blueprint)
			file := filepath.Join(dir, "skyform.yaml")
			bp, ds := blueprints.Parse(file, []byte(src))
			if ds.HasErrors() {
				t.Fatalf("suite blueprint does not parse: %v", ds)
			}
			in := input(t, bp, cloud)
			frag, lds := c.Lower(in)
			if len(tc.WantErrors) > 0 {
				for _, want := range tc.WantErrors {
					want = strings.ReplaceAll(want, "CLOUD", string(cloud))
					if !hasError(lds, want) {
						t.Errorf("%s: want an error containing %q, got %v", tc.Reason, want, lds)
					}
				}
				return
			}
			if lds.HasErrors() {
				t.Fatalf("%s: lowering failed: %v", tc.Reason, lds.Errs())
			}
			checkDiagnostics(t, file, lds)
			checkFragment(t, c, bp, in, frag)
			for label, wants := range tc.WantInModule {
				text := string(render(t, moduleBlock(frag, label)))
				for _, w := range wants {
					if !strings.Contains(text, w) {
						t.Errorf("%s: module %q should contain %q:\n%s", tc.Reason, label, w, text)
					}
				}
			}
			again, _ := c.Lower(input(t, bp, cloud))
			if !bytes.Equal(render(t, frag.Modules...), render(t, again.Modules...)) {
				t.Errorf("lowering the same blueprint twice gave different output")
			}
		})
	}
	t.Run("sizes", func(t *testing.T) { checkSizes(t, c) })
}

func input(t *testing.T, bp *blueprints.Blueprint, cloud blueprints.Cloud) *providers.Input {
	t.Helper()
	in := &providers.Input{Blueprint: bp, Resources: bp.Placed(cloud), Packages: map[string]providers.Package{}}
	for _, r := range bp.Resources {
		if r.Function == nil {
			continue
		}
		z, err := pack.Zip(r.Function.SourceDir)
		if err != nil {
			t.Fatal(err)
		}
		in.Packages[r.Name] = providers.Package{Path: "build/" + r.Name + ".zip", SHA256: z.SHA256, SHA256Hex: z.SHA256Hex}
	}
	return in
}

func hasError(ds diag.Diagnostics, summary string) bool {
	for _, d := range ds.Errs() {
		if strings.Contains(d.Summary, summary) {
			return true
		}
	}
	return false
}

// checkDiagnostics wants every warning to point into the blueprint with a
// data path, so a portability report can show where it comes from.
func checkDiagnostics(t *testing.T, file string, ds diag.Diagnostics) {
	t.Helper()
	for _, d := range ds {
		if d.Range.File != file || d.Range.Start.Line == 0 {
			t.Errorf("diagnostic without a blueprint position: %v", d)
		}
		if d.Path == "" || d.Detail == "" {
			t.Errorf("diagnostic without a path or a detail: %v", d)
		}
	}
}

var metaArguments = map[string]bool{"source": true, "providers": true, "depends_on": true, "count": true, "for_each": true, "version": true}

func checkFragment(t *testing.T, c providers.Cloud, bp *blueprints.Blueprint, in *providers.Input, frag *providers.Fragment) {
	t.Helper()
	if frag == nil {
		t.Fatal("no fragment")
	}
	local := c.Provider().LocalName
	found := false
	for _, p := range frag.Providers {
		if p.Type == "provider" && len(p.Labels) == 1 && p.Labels[0] == local {
			found = true
		}
	}
	if !found {
		t.Errorf("no provider %q block", local)
	}
	for _, v := range frag.Variables {
		if v.Type != "variable" || len(v.Labels) != 1 || !strings.HasPrefix(v.Labels[0], string(c.Name())+"_") {
			t.Errorf("root variable %v must be named %s_...", v.Labels, c.Name())
		}
	}
	used := map[string]bool{}
	for _, m := range frag.ModulesUsed {
		used[m] = true
		if !modules.Exists(m) {
			t.Errorf("ModulesUsed names %s, which is not embedded", m)
		}
	}
	labels := map[string]int{}
	for _, m := range frag.Modules {
		if m.Type != "module" || len(m.Labels) != 1 {
			t.Errorf("unexpected block %s %v among modules", m.Type, m.Labels)
			continue
		}
		labels[m.Labels[0]]++
		checkModuleCall(t, m, used)
	}
	for _, r := range in.Resources {
		if labels[r.ID()] != 1 {
			t.Errorf("resource %s should lower to exactly one module %q, got %d", r.Name, r.ID(), labels[r.ID()])
			continue
		}
		mod := string(c.Name()) + "/" + string(r.Kind)
		iface, err := modules.Describe(mod)
		if err != nil {
			t.Errorf("%v", err)
			continue
		}
		for _, a := range blueprints.Attributes[r.Kind] {
			if iface.Output(a.Name) == nil {
				t.Errorf("module %s lacks output %q that references to a %s use", mod, a.Name, r.Kind)
			}
		}
		text := string(render(t, moduleBlock(frag, r.ID())))
		for _, l := range bp.Labels {
			if !strings.Contains(text, l.Key) {
				t.Errorf("module %s does not get label %q", r.ID(), l.Key)
			}
		}
	}
}

// checkModuleCall checks a module call against the module's variables.
func checkModuleCall(t *testing.T, m *tfir.Block, used map[string]bool) {
	t.Helper()
	args := map[string]bool{}
	source := ""
	for _, it := range m.Items {
		if it.Attr == nil {
			continue
		}
		args[it.Attr.Name] = true
		if it.Attr.Name == "source" {
			if s, ok := it.Attr.Value.(tfir.Str); ok {
				source = string(s)
			}
		}
	}
	mod := strings.TrimPrefix(source, "./modules/")
	if mod == source || !used[mod] {
		t.Errorf("module %q: source %q is not one of ModulesUsed", m.Labels[0], source)
		return
	}
	iface, err := modules.Describe(mod)
	if err != nil {
		t.Errorf("%v", err)
		return
	}
	declared := map[string]bool{}
	for _, v := range iface.Variables {
		declared[v.Name] = true
		if v.Required && !args[v.Name] {
			t.Errorf("module %q: required variable %q of %s is not set", m.Labels[0], v.Name, mod)
		}
	}
	for a := range args {
		if !declared[a] && !metaArguments[a] {
			t.Errorf("module %q: argument %q is not a variable of %s", m.Labels[0], a, mod)
		}
	}
}

func moduleBlock(frag *providers.Fragment, label string) *tfir.Block {
	for _, m := range frag.Modules {
		if len(m.Labels) == 1 && m.Labels[0] == label {
			return m
		}
	}
	return tfir.NewBlock("missing", label)
}

func render(t *testing.T, bs ...*tfir.Block) []byte {
	t.Helper()
	cfg := &tfir.Config{}
	cfg.File("main").Add(bs...)
	out, err := cfg.HCL()
	if err != nil {
		t.Fatalf("cannot render: %v", err)
	}
	return out["main.tf"]
}

func checkSizes(t *testing.T, c providers.Cloud) {
	seen := map[string]bool{}
	for _, s := range c.Sizes() {
		key := string(s.Kind) + "/" + string(s.Size)
		if seen[key] {
			t.Errorf("size %s listed twice", key)
		}
		seen[key] = true
		if s.Type == "" || s.VCPU <= 0 || s.MemoryGiB <= 0 {
			t.Errorf("size %s is incomplete: %+v", key, s)
		}
	}
	for _, k := range []blueprints.Kind{blueprints.KindDatabase, blueprints.KindCluster} {
		for _, sz := range blueprints.Sizes {
			if !seen[string(k)+"/"+string(sz)] {
				t.Errorf("no %s size %s", k, sz)
			}
		}
	}
}
