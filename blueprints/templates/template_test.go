package templates

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/skyform/skyform/internal/diag"
	"github.com/skyform/skyform/internal/diagtest"
	"gopkg.in/yaml.v3"
)

func node(t *testing.T, src string) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func num(f float64) *float64 { return &f }

func TestParamCheck(t *testing.T) {
	cases := map[string]struct {
		reason string
		param  Param
		value  string
		want   string // summary, "" when allowed
	}{
		"string":         {"a string is a string", Param{Name: "p", Type: String}, `abc`, ""},
		"string-number":  {"a number is not a string", Param{Name: "p", Type: String}, `12`, `wrong type for parameter "p"`},
		"string-pattern": {"the whole string must match", Param{Name: "p", Type: String, Pattern: mustPattern("[a-z]+")}, `abc1`, `value "abc1" not allowed for parameter "p"`},
		"string-length":  {"min and max bound a string's length", Param{Name: "p", Type: String, Max: num(3)}, `abcd`, `parameter "p" out of range`},
		"string-enum":    {"enum lists the values", Param{Name: "p", Type: String, Enum: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "a"}}}, `b`, `value "b" not allowed for parameter "p"`},
		"number":         {"an int is a number", Param{Name: "p", Type: Number, Min: num(1), Max: num(10)}, `10`, ""},
		"number-float":   {"a float is a number", Param{Name: "p", Type: Number}, `1.5`, ""},
		"number-low":     {"below min", Param{Name: "p", Type: Number, Min: num(1)}, `0`, `parameter "p" out of range`},
		"number-string":  {"a quoted number is a string", Param{Name: "p", Type: Number}, `"5"`, `wrong type for parameter "p"`},
		"number-enum":    {"numbers compare by value", Param{Name: "p", Type: Number, Enum: []*yaml.Node{{Kind: yaml.ScalarNode, Value: "8"}}}, `8.0`, ""},
		"bool":           {"true is a bool", Param{Name: "p", Type: Bool}, `true`, ""},
		"bool-string":    {"yes-like strings are not bools", Param{Name: "p", Type: Bool}, `"true"`, `wrong type for parameter "p"`},
		"list":           {"a list", Param{Name: "p", Type: List, Max: num(2)}, `[a, b]`, ""},
		"list-long":      {"max bounds the items", Param{Name: "p", Type: List, Max: num(1)}, `[a, b]`, `parameter "p" out of range`},
		"list-scalar":    {"a scalar is not a list", Param{Name: "p", Type: List}, `a`, `wrong type for parameter "p"`},
		"map":            {"a mapping", Param{Name: "p", Type: Map}, `{a: 1}`, ""},
		"map-small":      {"min bounds the entries", Param{Name: "p", Type: Map, Min: num(2)}, `{a: 1}`, `parameter "p" out of range`},
		"map-list":       {"a list is not a map", Param{Name: "p", Type: Map}, `[a]`, `wrong type for parameter "p"`},
		"null":           {"an empty value has no type", Param{Name: "p", Type: String}, `~`, `wrong type for parameter "p"`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, _ := tc.param.Check(node(t, tc.value))
			if got != tc.want {
				t.Errorf("%s: Check(%s) = %q, want %q", tc.reason, tc.value, got, tc.want)
			}
		})
	}
}

func mustPattern(p string) *regexp.Regexp { return regexp.MustCompile(`^(?:` + p + `)$`) }

// TestParseErrors checks every mistake in a template declaration at the
// line its # ERROR mark is on.
func TestParseErrors(t *testing.T) {
	diagtest.CheckFiles(t, "testdata/errors/*.yaml", func(t *testing.T, file string) ([]byte, diag.Diagnostics) {
		src, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		_, ds := Parse(file, map[string][]byte{FileName: src})
		return src, ds
	})
}

const webTemplate = `template: web
version: 1.2.0
parameters:
  name: {type: string, required: true}
  memory: {type: number, default: 256}
  public: {type: bool, default: false}
  tags: {type: list}
  env: {type: map}
labels:
  team: ${{ params.name }}
resources:
  ${{ params.name }}-fn:
    kind: function
    memory_mb: ${{ params.memory }}
    triggers: [{http: {public: "${{ params.public }}"}}]
    tags: ${{ params.tags }}
    env: ${{ params.env }}
    note: "runs ${{ params.name }} with ${{ params.memory }} MB"
    ref: ${${{ params.name }}-db.host}
`

func parseWeb(t *testing.T) *Template {
	t.Helper()
	tp, ds := Parse("web/template.yaml", map[string][]byte{FileName: []byte(webTemplate)})
	if ds.HasErrors() {
		t.Fatalf("template does not parse: %v", ds)
	}
	return tp
}

func bpRange(n *yaml.Node) diag.Range {
	return diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: n.Line, Column: n.Column}}
}

func TestExpand(t *testing.T) {
	tp := parseWeb(t)
	cases := map[string]struct {
		reason string
		with   string
		want   string
	}{
		"defaults": {
			"absent optional parameters drop their entries; defaults keep their type",
			`{name: shop}`,
			`shop-fn:
    kind: function
    memory_mb: 256
    triggers: [{http: {public: false}}]
    note: "runs shop with 256 MB"
    ref: ${shop-db.host}
`,
		},
		"given": {
			"given values keep their YAML type; lists and maps are whole values",
			`{name: api, memory: 512, public: true, tags: [a, b], env: {A: "${x.y}"}}`,
			`api-fn:
    kind: function
    memory_mb: 512
    triggers: [{http: {public: true}}]
    tags: [a, b]
    env: {A: "${x.y}"}
    note: "runs api with 512 MB"
    ref: ${api-db.host}
`,
		},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			ex, ds := Expand(tp, node(t, tc.with), diag.Range{}, bpRange)
			if ds.HasErrors() {
				t.Fatalf("Expand: %v", ds)
			}
			out, err := yaml.Marshal(ex.Resources)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(normalize(tc.want), normalize(string(out))); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
			if ex.Labels.Content[1].Value != strings.SplitN(strings.TrimPrefix(tc.with, "{name: "), ",", 2)[0] && !strings.HasPrefix(tc.with, "{name: shop}") {
				t.Errorf("labels: %v", ex.Labels.Content[1].Value)
			}
		})
	}
}

// normalize drops YAML layout differences (flow or block) by decoding.
func normalize(s string) string {
	var v any
	if err := yaml.Unmarshal([]byte(s), &v); err != nil {
		return "unparsable: " + err.Error() + "\n" + s
	}
	out, _ := yaml.Marshal(v)
	return string(out)
}

// TestExpandData checks that parameter values stay data: the parts a
// value supplied are marked, the template's own ${ are not.
func TestExpandData(t *testing.T) {
	tp := parseWeb(t)
	ex, ds := Expand(tp, node(t, `{name: "a${b", env: {A: "${x.y}"}}`), diag.Range{}, bpRange)
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	fn := ex.Resources.Content[1]
	var ref, env *yaml.Node
	for i := 0; i+1 < len(fn.Content); i += 2 {
		switch fn.Content[i].Value {
		case "ref":
			ref = fn.Content[i+1]
		case "env":
			env = fn.Content[i+1]
		}
	}
	if ref.Value != "${a${b-db.host}" {
		t.Fatalf("ref = %q", ref.Value)
	}
	if diff := cmp.Diff([]Span{{2, 6}}, ex.Data[ref]); diff != "" {
		t.Errorf("only the value is data (-want +got):\n%s", diff)
	}
	if got := ex.Data[env.Content[1]]; len(got) != 1 || got[0] != (Span{0, 6}) {
		t.Errorf("a map value's strings are data: %v", got)
	}
	if ex.Files[ref] != "web/template.yaml" || ex.Files[env.Content[1]] != "" {
		t.Errorf("files: ref in %q, env value in %q", ex.Files[ref], ex.Files[env.Content[1]])
	}
}

func TestExpandErrors(t *testing.T) {
	tp := parseWeb(t)
	cases := map[string]struct {
		reason string
		with   string
		want   []string
	}{
		"wrong-type": {"a value of the wrong type points at the value and at the declaration", `{name: shop, memory: "512"}`, []string{
			`skyform.yaml:1:22: error: wrong type for parameter "memory"; memory must be a number, not the string "512" (parameter "memory" declared here (number) at web/template.yaml:5:3)`,
		}},
		"unknown": {"an unknown parameter has a did-you-mean", `{name: shop, memroy: 1}`, []string{
			`skyform.yaml:1:14: error: unknown parameter "memroy"; did you mean "memory"? parameters of web: name, memory, public, tags, env`,
		}},
		"missing": {"a required parameter", `{memory: 1}`, []string{
			`skyform.yaml:9:1: error: missing parameter "name" for template web; give it under with: (string) (parameter "name" declared here at web/template.yaml:4:3)`,
		}},
		"text": {"a list cannot be written inside text", `{name: [a]}`, []string{
			`skyform.yaml:1:8: error: wrong type for parameter "name"; name must be a string, not a list (parameter "name" declared here (string) at web/template.yaml:4:3)`,
		}},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			_, ds := Expand(tp, node(t, tc.with), diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: 9, Column: 1}}, bpRange)
			var got []string
			for _, d := range ds {
				got = append(got, d.Error())
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestExpandTemplateErrors(t *testing.T) {
	src := `template: t
version: 1.0.0
parameters:
  items: {type: list, default: [a]}
resources:
  r:
    a: ${{ params.nme }}
    b: ${{ name }}
    c: "x ${{ params.items }}"
    d: ${{ params.items
`
	tp, ds := Parse("t/template.yaml", map[string][]byte{FileName: []byte(src)})
	if ds.HasErrors() {
		t.Fatal(ds)
	}
	_, ds = Expand(tp, nil, diag.Range{}, bpRange)
	var got []string
	for _, d := range ds {
		got = append(got, d.Error())
	}
	want := []string{
		`t/template.yaml:7:8: error: undeclared parameter "nme"; declared: items`,
		`t/template.yaml:8:8: error: unknown expression ${{ name }}; a template refers to its parameters as ${{ params.NAME }}`,
		`t/template.yaml:9:11: error: a parameter inside text must be a single value; ${{ params.items }} is a list; write ${{ params.NAME }} alone as the whole value to pass a list or mapping`,
		`t/template.yaml:10:8: error: unclosed ${{; a parameter is written ${{ params.NAME }}`,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("errors in the template body point at the template's lines (-want +got):\n%s", diff)
	}
}

func TestParseRef(t *testing.T) {
	cases := map[string]struct {
		reason string
		in     string
		want   Ref
		err    string
	}{
		"local":      {"a directory beside the blueprint", "./templates/web@1.2.0", Ref{Raw: "./templates/web@1.2.0", Kind: Local, Path: "./templates/web", Version: "1.2.0"}, ""},
		"starter":    {"a bare name", "queue-worker@1.0.0", Ref{Raw: "queue-worker@1.0.0", Kind: Embedded, Path: "queue-worker", Version: "1.0.0"}, ""},
		"git":        {"a repository and a directory in it", "git+file:///srv/t.git//web@v1.2.0", Ref{Raw: "git+file:///srv/t.git//web@v1.2.0", Kind: Git, Repo: "file:///srv/t.git", Subdir: "web", Version: "v1.2.0"}, ""},
		"git-root":   {"a template at the repository's root", "git+https://example.com/t.git@v1.0.0", Ref{Raw: "git+https://example.com/t.git@v1.0.0", Kind: Git, Repo: "https://example.com/t.git", Version: "v1.0.0"}, ""},
		"commit":     {"a commit pin", "git+file:///t.git//a@0123456789abcdef0123456789abcdef01234567", Ref{Raw: "git+file:///t.git//a@0123456789abcdef0123456789abcdef01234567", Kind: Git, Repo: "file:///t.git", Subdir: "a", Version: "0123456789abcdef0123456789abcdef01234567"}, ""},
		"no-version": {"every use is pinned", "./web", Ref{}, "a template is used at a pinned version"},
		"partial":    {"versions have three parts", "web@1.2", Ref{}, `"1.2" is not a semantic version`},
		"branch":     {"a branch is not a pin", "git+file:///t.git@main", Ref{}, `"main" is neither a semantic version`},
		"bad-name":   {"names are lower-case", "Web@1.0.0", Ref{}, `"Web" is not a template`},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			got, err := ParseRef(tc.in)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("%s: ParseRef(%q) error = %v, want %q", tc.reason, tc.in, err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tc.want, got); diff != "" {
				t.Errorf("%s (-want +got):\n%s", tc.reason, diff)
			}
		})
	}
}

func TestStarters(t *testing.T) {
	list, err := Starters()
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range list {
		names = append(names, s.Uses)
		if s.Description == "" || len(s.Parameters) == 0 {
			t.Errorf("%s: no description or parameters", s.Name)
		}
	}
	if diff := cmp.Diff([]string{"http-api@1.0.0", "k8s-cluster@1.0.0", "queue-worker@1.0.0"}, names); diff != "" {
		t.Errorf("starters (-want +got):\n%s", diff)
	}
}

func TestLocalVersion(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, FileName), []byte(webTemplate), 0o644); err != nil {
		t.Fatal(err)
	}
	ref, _ := ParseRef("./web@1.3.0")
	ref.Path = dir
	_, ds := (&Resolver{}).Resolve(ref, "", diag.Range{File: "skyform.yaml", Start: diag.Pos{Line: 2, Column: 7}})
	if len(ds) != 1 || !strings.HasPrefix(ds[0].Error(), "skyform.yaml:2:7: error: template web has no version 1.3.0; versions available: 1.2.0 (the template declares version 1.2.0 here at ") {
		t.Errorf("a version a local template does not declare: %v", ds)
	}
}

func TestLock(t *testing.T) {
	dir := t.TempDir()
	path := LockPath(filepath.Join(dir, "app.yaml"))
	if filepath.Base(path) != "app.lock" {
		t.Fatalf("LockPath = %s", path)
	}
	l, ds, err := ReadLock(path)
	if err != nil || ds != nil || len(l.Entries) != 0 {
		t.Fatalf("a missing lock is empty: %v %v %v", l, ds, err)
	}
	res := &Resolved{Ref: Ref{Raw: "./web@1.2.0"}, Template: &Template{Name: "web", Version: "1.2.0", Hash: "sha256:aa"}}
	at := diag.Range{File: "app.yaml", Start: diag.Pos{Line: 3, Column: 7}}
	if ds := l.Verify(res, at); len(ds) != 1 || ds[0].Summary != "template ./web@1.2.0 is not locked" {
		t.Errorf("unlocked: %v", ds)
	}
	l.Set(res.Entry())
	data, err := l.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	l, ds, err = ReadLock(path)
	if err != nil || ds.HasErrors() || len(l.Entries) != 1 {
		t.Fatalf("read back: %v %v %v", l, ds, err)
	}
	if ds := l.Verify(res, at); len(ds) != 0 {
		t.Errorf("same hash: %v", ds)
	}
	res.Template.Hash = "sha256:bb"
	ds = l.Verify(res, at)
	if len(ds) != 1 || ds[0].Error() != "app.yaml:3:7: error: template ./web@1.2.0 changed since it was locked; it was sha256:aa and is now sha256:bb; review the change, then run skyform templates lock --update (locked here at "+path+":5:5)" {
		t.Errorf("changed: %v", ds)
	}
	if err := os.WriteFile(path, []byte("templates: 3\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, ds, _ := ReadLock(path); len(ds) != 1 || ds[0].Summary != "malformed lock file" {
		t.Errorf("malformed: %v", ds)
	}
}

func TestHash(t *testing.T) {
	a := Hash(map[string][]byte{"template.yaml": []byte("x"), "files/a": []byte("1")})
	for name, files := range map[string]map[string][]byte{
		"content": {"template.yaml": []byte("y"), "files/a": []byte("1")},
		"name":    {"template.yaml": []byte("x"), "files/b": []byte("1")},
		"added":   {"template.yaml": []byte("x"), "files/a": []byte("1"), "files/c": nil},
	} {
		if Hash(files) == a {
			t.Errorf("a change of %s keeps the hash", name)
		}
	}
	if Hash(map[string][]byte{"files/a": []byte("1"), "template.yaml": []byte("x")}) != a {
		t.Error("the hash depends on map order")
	}
}
