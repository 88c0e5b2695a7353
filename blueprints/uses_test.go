package blueprints

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/blueprints/templates"
	"github.com/skyform/skyform/internal/diag"
)

func diagRange() diag.Range {
	return diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: 2, Column: 7}}
}

const usesTemplate = `template: svc
version: 1.0.0
parameters:
  name: {type: string, required: true}
  memory: {type: number, default: 256}
  ha: {type: bool, default: false}
  greeting: {type: string, default: hello}
labels:
  tier: backend
resources:
  ${{ params.name }}-fn:
    kind: function
    runtime: python3.12
    source: ./fn
    memory_mb: ${{ params.memory }}
    env:
      DB: ${${{ params.name }}-db.host}
      GREETING: ${{ params.greeting }}
  ${{ params.name }}-db:
    kind: database
    engine: postgres
    high_availability: ${{ params.ha }}
`

// usesDir writes a blueprint directory with the template above under
// templates/svc and returns it.
func usesDir(t *testing.T, tmpl string) string {
	t.Helper()
	dir := t.TempDir()
	for p, data := range map[string]string{"templates/svc/template.yaml": tmpl, "fn/main.py": "def handler(e, c): pass\n"} {
		p = filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// lock records the template ./templates/svc@1.0.0 in the lock file of
// the blueprint file, as skyform templates lock does.
func lock(t *testing.T, file string) {
	t.Helper()
	ref, err := templates.ParseRef("./templates/svc@1.0.0")
	if err != nil {
		t.Fatal(err)
	}
	res, ds := (&templates.Resolver{}).Resolve(ref, filepath.Dir(file), diagRange())
	if ds.HasErrors() {
		t.Fatalf("cannot lock: %v", ds)
	}
	l := &templates.Lock{}
	l.Set(res.Entry())
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(templates.LockPath(file), data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestUses(t *testing.T) {
	dir := usesDir(t, usesTemplate)
	file := filepath.Join(dir, "skyform.yaml")
	src := `blueprint: shop
labels: {team: web, tier: backend}
uses: ./templates/svc@1.0.0
with:
  name: orders
  memory: 512
  greeting: "hi ${orders-db.host}"
resources:
  jobs: {kind: queue}
`
	lock(t, file)
	bp, ds := Parse(file, []byte(src))
	if ds.HasErrors() {
		t.Fatalf("Parse: %v", ds)
	}
	var names []string
	for _, r := range bp.Resources {
		names = append(names, r.Name)
	}
	if diff := cmp.Diff([]string{"jobs", "orders-db", "orders-fn"}, names); diff != "" {
		t.Errorf("the template's resources and the blueprint's (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]Label{{"team", "web"}, {"tier", "backend"}}, bp.Labels); diff != "" {
		t.Errorf("labels (-want +got):\n%s", diff)
	}
	fn := bp.Resource("orders-fn")
	if fn.Function.MemoryMB != 512 {
		t.Errorf("memory_mb = %d, want the parameter's 512", fn.Function.MemoryMB)
	}
	env := map[string]Template{}
	for _, e := range fn.Function.Env {
		env[e.Name] = e.Value
	}
	if r := env["DB"]; len(r) != 1 || r[0].Ref == nil || r[0].Ref.Resource != "orders-db" {
		t.Errorf("the template's own reference resolves: %+v", r)
	}
	if g := env["GREETING"]; len(g) != 1 || g[0].Ref != nil || g[0].Text != "hi ${orders-db.host}" {
		t.Errorf("a parameter's ${ is text, never a reference: %+v", g)
	}
	if fn.Range.File != filepath.Join(dir, "templates/svc/template.yaml") || fn.Range.Start.Line != 11 {
		t.Errorf("a template resource is positioned in the template: %v", fn.Range)
	}
	if bp.Uses.Template.Name != "svc" || bp.Sources()[fn.Range.File] == nil {
		t.Errorf("the template and its source are kept: %+v", bp.Uses)
	}
}

func TestUsesErrors(t *testing.T) {
	cases := map[string]struct {
		reason string
		tmpl   string
		src    string
		noLock bool
		want   []string
	}{
		"field": {
			reason: "a value written into the template's text is checked there, with the blueprint's line that gave it",
			src:    "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: Orders}\n",
			want: []string{
				`templates/svc/template.yaml:11:3: error: invalid resource name "Orders-fn"; use lower-case letters, digits and dashes, starting with a letter and not ending with a dash (the value given here at skyform.yaml:3:14)`,
				`templates/svc/template.yaml:19:3: error: invalid resource name "Orders-db"; use lower-case letters, digits and dashes, starting with a letter and not ending with a dash (the value given here at skyform.yaml:3:14)`,
			},
		},
		"range": {
			reason: "a whole value the field refuses is reported at the blueprint's value, with the template's line using it",
			src:    "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: orders, memory: 64}\n",
			want:   []string{`skyform.yaml:3:30: error: memory_mb out of range; 64 is not between 128 and 10240 (the value is used by template svc here at templates/svc/template.yaml:15:16)`},
		},
		"whole": {
			reason: "a whole value keeps the blueprint's position and names the template's use",
			src:    "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: orders, memory: 64.5}\n",
			want:   []string{`skyform.yaml:3:30: error: wrong type; memory_mb must be a whole number, not a number (64.5) (the value is used by template svc here at templates/svc/template.yaml:15:16)`},
		},
		"duplicate": {
			reason: "a blueprint cannot replace a template's resource or change its labels",
			src:    "blueprint: shop\nlabels: {tier: front}\nuses: ./templates/svc@1.0.0\nwith: {name: orders}\nresources:\n  orders-db: {kind: queue}\n",
			want: []string{
				`skyform.yaml:2:10: error: label "tier" is set by template svc; a blueprint adds labels to its template's; it cannot change them (declared by the template here at templates/svc/template.yaml:9:3)`,
				`skyform.yaml:6:3: error: resource "orders-db" is already declared by template svc; a blueprint adds resources to its template's; give this one another name (declared by the template here at templates/svc/template.yaml:19:3)`,
			},
		},
		"version": {
			reason: "a version the template does not have lists the ones it has",
			src:    "blueprint: shop\nuses: ./templates/svc@2.0.0\nwith: {name: orders}\n",
			noLock: true,
			want:   []string{`skyform.yaml:2:7: error: template svc has no version 2.0.0; versions available: 1.0.0 (the template declares version 1.0.0 here at templates/svc/template.yaml:2:10)`},
		},
		"unlocked": {
			reason: "a template not in the lock file is refused",
			src:    "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: orders}\n",
			noLock: true,
			want:   []string{`skyform.yaml:2:7: error: template ./templates/svc@1.0.0 is not locked; run skyform templates lock to record its commit and content hash in skyform.lock, then commit that file`},
		},
		"body": {
			reason: "a mistake in the template body is reported at the template's line",
			tmpl:   strings.Replace(usesTemplate, "    engine: postgres", "    engine: postgress", 1),
			src:    "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: orders}\n",
			want:   []string{`templates/svc/template.yaml:21:13: error: unknown engine "postgress"; did you mean "postgres"? allowed: postgres, mysql`},
		},
		"no-uses": {
			reason: "with: needs uses:",
			src:    "blueprint: shop\nwith: {name: orders}\nresources: {q: {kind: queue}}\n",
			want:   []string{`skyform.yaml:2:1: error: with: without uses:; with gives the parameters of the template named by uses: <template>@<version>`},
		},
		"ref": {
			reason: "a uses: value that is not a pinned reference",
			src:    "blueprint: shop\nuses: ./templates/svc\n",
			want:   []string{`skyform.yaml:2:7: error: invalid template reference "./templates/svc"; a template is used at a pinned version: NAME@1.2.0, ./DIR@1.2.0 or git+URL//DIR@v1.2.0 (or @COMMIT)`},
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			tmpl := tc.tmpl
			if tmpl == "" {
				tmpl = usesTemplate
			}
			dir := usesDir(t, tmpl)
			wd, _ := os.Getwd()
			if err := os.Chdir(dir); err != nil {
				t.Fatal(err)
			}
			defer os.Chdir(wd)
			if !tc.noLock && strings.Contains(tc.src, "uses: ./templates/svc@1.0.0") {
				lock(t, "skyform.yaml")
			}
			_, ds := Parse("skyform.yaml", []byte(tc.src))
			var got []string
			for _, d := range ds.Errs() {
				got = append(got, d.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestUsesLockChanged(t *testing.T) {
	dir := usesDir(t, usesTemplate)
	file := filepath.Join(dir, "skyform.yaml")
	src := "blueprint: shop\nuses: ./templates/svc@1.0.0\nwith: {name: orders}\n"
	lock(t, file)
	if _, ds := Parse(file, []byte(src)); ds.HasErrors() {
		t.Fatal(ds)
	}
	// The same version with other content.
	changed := strings.Replace(usesTemplate, "tier: backend", "tier: api", 1)
	if err := os.WriteFile(filepath.Join(dir, "templates/svc/template.yaml"), []byte(changed), 0o644); err != nil {
		t.Fatal(err)
	}
	_, ds := Parse(file, []byte(src))
	if len(ds.Errs()) != 1 || ds[0].Summary != "template ./templates/svc@1.0.0 changed since it was locked" || len(ds[0].Related) != 1 || ds[0].Related[0].Range.File != filepath.Join(dir, "skyform.lock") {
		t.Errorf("a template changed under its version: %v", ds)
	}
}
